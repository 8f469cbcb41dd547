"""Word spacing measured from any PDF's text layer, the same way whichever program made it, so that
booksmith's pages can be compared with LaTeX's or Typst's.

Which lines are measured: the body lines of the text block (geometry.py finds the body size, the
column and the band between running heads and folios, from the text layer alone), classified as
proofing classifies them (typography.PageReader): type in the body size, not a heading (larger type), a
scene break or a centred line of its own (a chapter number, a signature), and not a drop cap. Of
those, a line is justified when it runs to the measure (ends within a point of the column's right
edge, or past it) and does not end its paragraph (a paragraph's last line is set at its natural
spacing). The word spaces of each such line are the gaps between its words, from the end of one
word's last advance to the next word's origin (textlayer.read_text with advance_ends), in em of the
line's type size; a gap narrower than a quarter of the natural space is a break PDFium guessed inside
a word, not a word space, and is left out.

The figures are those `booksmith build` reports from its own lines (paginate/summary.py): for each
line the mean of its word spaces, then the median and 95th percentile of those means over the book,
and the share of lines whose mean is over 1.5 times the font's natural space. Hyphens are counted over
all body lines, and the longest run of them in a row.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, replace
from pathlib import Path

from .geometry import infer_geometry
from .model import Box, Geometry, PageText
from .textlayer import page_count, read_text
from .typography import PageReader

LOOSE_FACTOR = 1.5  # as paginate/summary.py: a line spaced over 1.5 times the natural space is loose
FOLIO = re.compile(r"\d+|[ivxlcdm]+|[IVXLCDM]+")
NOT_A_SPACE = 0.25  # gaps narrower than this share of the natural space are not word spaces


@dataclass(frozen=True)
class SpacingFigures:
    """Word spacing and hyphenation of a PDF's body text."""

    pages: int
    justified: bool  # the body text is set justified (else every line keeps its natural spacing)
    body_size: float
    body_lines: int  # lines of body text in the text block
    measured_lines: int  # the justified lines whose spaces are measured
    natural_space_em: float
    natural_given: bool  # the natural space was given (from the font), not read from the pages
    space_median_em: float  # the median over lines of a line's mean word space
    space_p95_em: float
    loose_lines: int  # measured lines whose mean word space is over 1.5 times the natural space
    hyphenated_lines: int
    longest_hyphen_ladder: int

    @property
    def loose_line_share(self) -> float:
        return self.loose_lines / self.measured_lines if self.measured_lines else 0.0

    @property
    def hyphenated_share(self) -> float:
        return self.hyphenated_lines / self.body_lines if self.body_lines else 0.0


def measure_spacing(pdf: Path, natural_space_em: float | None = None) -> SpacingFigures | None:
    """The word-spacing figures of a PDF, or None when it has too little running text to judge.
    natural_space_em: the body font's space advance in em; without it, the median word space of
    paragraphs' last lines, which are set at natural width."""
    pages = without_folios(read_text(pdf, range(page_count(pdf)), advance_ends=True))
    geometry = infer_geometry(pages)
    if geometry is None:
        return None
    return spacing_of(pages, geometry, natural_space_em)


def without_folios(pages: list[PageText]) -> list[PageText]:
    """The pages without their folios: a page number alone on the first or last line. Set in the body
    size (as LaTeX's and Typst's are) a folio would otherwise be read as the text block's last line,
    and the line above it would never end a page."""
    stripped = []
    for page in pages:
        lines = list(page.lines)
        for end in (-1, 0):
            if lines and FOLIO.fullmatch(lines[end].text.strip()):
                del lines[end]
        stripped.append(replace(page, lines=tuple(lines)))
    return stripped


def spacing_of(
    pages: list[PageText], geometry: Geometry, natural_space_em: float | None = None
) -> SpacingFigures:
    natural = natural_space_em if natural_space_em is not None else geometry.natural_space
    reader = PageReader(pages, geometry)
    means: list[float] = []
    body_lines = hyphenated = ladder = longest = 0
    for page in pages:
        caps = [line.box for line in page.lines if line.drop_cap]
        for position, item in enumerate(reader.items[page.index]):
            if item.kind != "body":
                ladder = 0  # a heading or a scene break ends a run of hyphens
                continue
            body_lines += 1
            line = item.line
            if line.hyphenated:
                hyphenated += 1
                ladder += 1
                longest = max(longest, ladder)
            else:
                ladder = 0
            if not reader.full(page.index, line) or _ends_paragraph(reader, page.index, position):
                continue
            spaces = [
                (right.x0 - left.x1) / line.size
                for left, right in itertools.pairwise(line.words)
                if right.x0 - left.x1 >= NOT_A_SPACE * natural * line.size
                and not _across_a_drop_cap(left.x1, right.x0, line.baseline, caps)
            ]
            if spaces:
                means.append(sum(spaces) / len(spaces))
    ordered = sorted(means) or [natural]
    return SpacingFigures(
        pages=len(pages),
        justified=geometry.justified,
        body_size=geometry.body_size,
        body_lines=body_lines,
        measured_lines=len(means),
        natural_space_em=natural,
        natural_given=natural_space_em is not None,
        space_median_em=statistics.median(ordered),
        space_p95_em=ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
        loose_lines=sum(1 for mean in means if mean > LOOSE_FACTOR * natural),
        hyphenated_lines=hyphenated,
        longest_hyphen_ladder=longest,
    )


def _ends_paragraph(reader: PageReader, index: int, position: int) -> bool:
    """The line is its paragraph's last: what follows starts a paragraph, is not body text, or is on
    the next page and does not continue it. A last line may run to the measure, its spaces shrunk to
    fit it there; it is still not a justified line (booksmith's own figures leave it out too)."""
    items = reader.items[index]
    if position + 1 < len(items):
        following = items[position + 1]
        return following.kind != "body" or following.starts or following.after_gap
    if index + 1 < len(reader.pages):
        return not reader.continues_from_previous_page(index + 1)
    return True


def _across_a_drop_cap(x0: float, x1: float, baseline: float, caps: list[Box]) -> bool:
    """The gap holds a drop cap: an opening quote hung before the cap leaves one on the first line."""
    return any(cap[0] < x1 and x0 < cap[2] and cap[1] <= baseline <= cap[3] for cap in caps)
