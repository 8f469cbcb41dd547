"""Typographic checks, from the text layer and the text block it shows (geometry.py): widows, orphans,
runts, stranded headings and scene breaks, overfull and loose lines, hyphen ladders, a hyphen at the
foot of a right-hand page, facing pages ending on different baselines, runs of blank pages and
characters drawn in a fallback font.

Paragraphs are recognised as a reader sees them: a paragraph starts with an indented line, or at the
column's edge after a heading, a scene break or extra space; in justified text a paragraph's last
line stops short of the measure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .findings import Findings
from .geometry import is_body, text_block_lines
from .model import Box, Geometry, PageText, TextLine, union

HEADING_RATIO = 1.15  # type this much larger than the body is a heading
FLUSH = 1.0  # points: a line ending this close to the measure is full
RAGGED_FULL = 0.2  # in ragged text, a line ending within this share of the measure counts as full
# past the measure before a line counts as overfull, in em: PDFium's boxes include the ink of a final
# letter that overhangs its advance (an f, an italic), by up to about 0.15 em
OVERFULL = 0.15
LOOSE_FACTOR = 1.5
LADDER = 2  # more hyphens in a row than this make a ladder
RUNT_LETTERS = 4
HYPHEN_MARKS = "-\u2010\x02\ufffe\u00ad"


@dataclass(frozen=True)
class Item:
    """A line in the text block, with what kind of line it is."""

    line: TextLine
    kind: str  # body | heading | break | label | other
    starts: bool = False  # a body line that starts a paragraph
    after_gap: bool = False


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _is_scene_break(line: TextLine, column: tuple[float, float]) -> bool:
    centre = (column[0] + column[1]) / 2
    return (
        len(line.text) <= 16
        and _letters(line.text) == 0
        and abs((line.x0 + line.x1) / 2 - centre) < 0.1 * (column[1] - column[0])
    )


class PageReader:
    """Each page's text block as a sequence of classified lines."""

    def __init__(self, pages: list[PageText], geometry: Geometry) -> None:
        self.pages = pages
        self.geometry = geometry
        self.items = [self._classify(page) for page in pages]

    def _classify(self, page: PageText) -> list[Item]:
        g = self.geometry
        left, _ = g.column(page.index)
        items: list[Item] = []
        previous: TextLine | None = None
        column = g.column(page.index)
        centre = (column[0] + column[1]) / 2
        for line in text_block_lines(page, g):
            if line.drop_cap:
                continue
            gap = previous is not None and previous.baseline - line.baseline > 1.4 * g.leading
            if _is_scene_break(line, g.column(page.index)):
                kind = "break"
            elif line.size >= g.body_size * HEADING_RATIO:
                kind = "heading"
            elif (
                abs((line.x0 + line.x1) / 2 - centre) < 2.0
                and line.width < 0.6 * (column[1] - column[0])
                and abs(line.x0 - left) > 1.0
                and abs(line.x0 - left - g.indent) > 1.0
            ):
                kind = "label"  # a centred line of its own: a chapter number, a dateline, a signature
            elif is_body(line, g.body_size):
                kind = "body"
            else:
                kind = "other"
            starts = False
            if kind == "body":
                indented = g.indent > 0 and abs(line.x0 - left - g.indent) < 1.0
                after = bool(items and items[-1].kind in ("heading", "break", "label")) or gap
                starts = indented or (after and abs(line.x0 - left) < 1.0)
            items.append(Item(line, kind, starts, bool(gap)))
            previous = line
        return items

    def body(self, index: int) -> list[Item]:
        return [item for item in self.items[index] if item.kind == "body"]

    def full(self, index: int, line: TextLine) -> bool:
        """The line runs to the measure (in ragged text: to within a fifth of it)."""
        left, right = self.geometry.column(index)
        if self.geometry.justified:
            return line.x1 >= right - FLUSH
        return line.x1 >= right - RAGGED_FULL * (right - left)

    def continues_from_previous_page(self, index: int) -> bool:
        """The page's first text continues a paragraph from the page before."""
        items = self.items[index]
        if index == 0 or not items or items[0].kind != "body" or items[0].starts:
            return False
        before = self.items[index - 1]
        return bool(before) and before[-1].kind == "body"

    def opens_with_heading(self, index: int) -> bool:
        items = self.items[index]
        return bool(items) and items[0].kind in ("heading", "label")


def run_typography(pages: list[PageText], geometry: Geometry, found: Findings) -> None:
    reader = PageReader(pages, geometry)
    for page in pages:
        index = page.index
        _widow_and_orphan(reader, index, found)
        _paragraph_ends(reader, index, found)
        _stranded(reader, index, found)
        _measure(reader, index, found)
        _hyphens(reader, index, found)
    _spreads(reader, found)
    _blank_pages(pages, found)
    _fallback_fonts(pages, geometry, found)


def _widow_and_orphan(reader: PageReader, index: int, found: Findings) -> None:
    g = reader.geometry
    if not g.justified and g.indent == 0:
        return  # paragraph ends cannot be seen in unindented ragged text
    items = reader.items[index]
    if reader.continues_from_previous_page(index):
        first = items[0]
        following = items[1] if len(items) > 1 else None
        alone = following is None or following.kind != "body" or following.starts or following.after_gap
        if alone and not reader.full(index, first.line):
            found.add(
                "widow",
                f"“{first.line.text}” ends a paragraph alone at the head of the page",
                index,
                first.line.box,
            )
    if index + 1 < len(reader.pages) and items and items[-1].kind == "body":
        last = items[-1]
        if last.starts and reader.continues_from_previous_page(index + 1) and reader.full(index, last.line):
            found.add(
                "orphan",
                f"“{last.line.text}” starts a paragraph alone at the foot of the page",
                index,
                last.line.box,
            )


def _is_paragraph_end(reader: PageReader, index: int, position: int) -> bool:
    items = reader.items[index]
    item = items[position]
    if item.kind != "body" or item.starts or reader.full(index, item.line):
        return False
    if position + 1 < len(items):
        following = items[position + 1]
        return following.kind != "body" or following.starts or following.after_gap
    return not reader.continues_from_previous_page(index + 1) if index + 1 < len(reader.pages) else True


def _paragraph_ends(reader: PageReader, index: int, found: Findings) -> None:
    if not reader.geometry.justified and reader.geometry.indent == 0:
        return
    for position, item in enumerate(reader.items[index]):
        if position == 0 and reader.continues_from_previous_page(index):
            pass  # the paragraph's earlier lines are on the page before; still a runt if short
        elif position == 0 or reader.items[index][position - 1].kind != "body":
            continue
        if not _is_paragraph_end(reader, index, position):
            continue
        words = item.line.words
        if len(words) == 1 and _letters(words[0].text) <= RUNT_LETTERS:
            found.add("runt", f"the paragraph ends on “{words[0].text}” alone", index, item.line.box)


def _stranded(reader: PageReader, index: int, found: Findings) -> None:
    items = reader.items[index]
    if not items or index + 1 >= len(reader.pages):
        return
    last = items[-1]
    if last.kind not in ("heading", "break"):
        return
    following = reader.items[index + 1]
    if not following or following[0].kind in ("heading", "label"):
        return
    if last.kind == "heading":
        found.add(
            "stranded-heading",
            f"the heading “{last.line.text}” is the last thing on the page",
            index,
            last.line.box,
        )
    else:
        found.add(
            "stranded-heading",
            f"the scene break “{last.line.text}” is the last thing on the page",
            index,
            last.line.box,
        )


def _measure(reader: PageReader, index: int, found: Findings) -> None:
    g = reader.geometry
    if not g.justified:
        return
    natural = g.natural_space
    overfull: list[tuple[float, TextLine]] = []
    for position, item in enumerate(reader.items[index]):
        line = item.line
        if item.kind == "body":
            right = g.column(index)[1]
        elif item.kind == "other" and round(line.size, 1) in g.extra_columns:
            recto, verso = g.extra_columns[round(line.size, 1)]
            right = (recto if g.column(index) == g.recto_column else verso)[1]
        else:
            continue
        if line.x1 > right + OVERFULL * line.size:
            overfull.append((line.x1 - right, line))
        elif line.x1 >= right - FLUSH and item.kind == "body":
            gaps = [gap for gap in line.gaps() if gap > 0]
            if gaps and not _is_paragraph_end(reader, index, position):
                mean = sum(gaps) / len(gaps) / line.size
                if mean > LOOSE_FACTOR * natural:
                    found.add(
                        "loose-line",
                        f"word spaces of {mean / natural:.1f}× the natural space: “{line.text}”",
                        index,
                        line.box,
                    )
    for excess, line in overfull:
        found.add(
            "overfull-line", f"the line runs {excess:.1f} pt past the measure: “{line.text}”", index, line.box
        )


def _hyphens(reader: PageReader, index: int, found: Findings) -> None:
    body = reader.body(index)
    run: list[TextLine] = []
    for item in [*body, None]:
        if item is not None and item.line.hyphenated:
            run.append(item.line)
            continue
        if len(run) > LADDER:
            found.add(
                "hyphen-ladder",
                f"{len(run)} lines in a row end with a hyphen, from “{run[0].text}”",
                index,
                union([line.box for line in run]),
            )
        run = []
    if (
        index % 2 == 0
        and body
        and body[-1].line.hyphenated
        and index + 1 < len(reader.pages)
        and reader.continues_from_previous_page(index + 1)
    ):
        line = body[-1].line
        found.add(
            "hyphen-page-foot",
            f"the word “{line.words[-1].text.rstrip(HYPHEN_MARKS)}-” is split across the leaf",
            index,
            line.box,
        )


def _spreads(reader: PageReader, found: Findings) -> None:
    pages = reader.pages
    for verso in range(1, len(pages) - 1, 2):
        recto = verso + 1
        left, right = reader.items[verso], reader.items[recto]
        if not left or not right or reader.opens_with_heading(recto) or reader.opens_with_heading(verso):
            continue
        following = recto + 1
        if following >= len(pages) or not reader.items[following] or reader.opens_with_heading(following):
            continue  # the spread ends a chapter: its pages may end short
        if not reader.continues_from_previous_page(recto) and not reader.body(recto):
            continue
        step = left[-1].line.baseline - right[-1].line.baseline
        if abs(step) > 0.5:
            lines = abs(step) / reader.geometry.leading
            higher = "left" if step > 0 else "right"
            found.add(
                "uneven-spread",
                f"the {higher}-hand page ends {lines:.3g} line{'s' if lines > 1.01 else ''} "
                f"higher than the page facing it (pages {verso + 1} and {recto + 1})",
                verso,
                left[-1].line.box,
            )


def _blank_pages(pages: list[PageText], found: Findings) -> None:
    run: list[int] = []
    for page in [*pages, None]:
        if page is not None and page.objects == 0 and not page.lines:
            run.append(page.index)
            continue
        if len(run) > 2:
            found.add(
                "blank-pages",
                f"{len(run)} blank pages in a row (PDF pages {run[0] + 1}–{run[-1] + 1})",
                run[0],
            )
        run = []


def _fallback_fonts(pages: list[PageText], geometry: Geometry, found: Findings) -> None:
    families: Counter[str] = Counter()
    for page in pages:
        for line in page.lines:
            if is_body(line, geometry.body_size):
                families[line.family] += len(line.text)
    if not families:
        return
    body_family = families.most_common(1)[0][0]
    for page in pages:
        chars: dict[str, list[str]] = {}
        boxes: list[Box] = []
        for line in page.lines:
            if line.family != body_family:
                continue
            for family, text, box in line.other_families:
                if len(text) <= max(3, len(line.text) // 5):
                    chars.setdefault(family, []).append(text)
                    boxes.append(box)
        if chars:
            described = "; ".join(
                f"“{''.join(sorted(set(''.join(texts))))}” in {family}" for family, texts in chars.items()
            )
            found.add("fallback-font", f"{described}, not {body_family}", page.index, boxes[0])
