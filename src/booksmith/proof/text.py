"""The manuscript against the PDF: every word of the manuscript should be in the PDF's text block, in
order. Words are compared case-folded, as runs of letters and digits (so quotes, dashes and ligatures
do not matter); a word hyphenated at a line's end is joined again.

The two word lists are aligned by walking both while they agree; where they part, the nearest point
where three words agree again (least words skipped on both sides) resynchronises them, searching
ever wider windows. What was skipped in the manuscript is missing; what was skipped in the PDF is
extra, except before the first and after the last word of the manuscript (title pages, back matter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from booksmith.doctree import BlockQuote, Paragraph
from booksmith.errors import Diagnostics
from booksmith.manuscript import ManuscriptOptions, parse_manuscript

from .findings import Findings
from .geometry import text_block_lines
from .model import Box, Geometry, PageText, union

HEADING_RATIO = 1.15

WORD = re.compile(r"\w+")
# a heading that only numbers ("Chapter 13", "Chapter Thirteen", "IV"): layouts spell these their own way
NUMBER = (
    r"(\d+|[ivxlcdm]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|and)"
)
NAMED_NUMBERING = re.compile(rf"^(chapter|part|book|section|volume)(\s+{NUMBER}){{1,5}}$")
NUMBERING = re.compile(rf"^((chapter|part|book|section|volume)(\s+{NUMBER}){{1,5}}|\d+|[ivxlcdm]+)$")
ANCHOR = 3  # words that must agree to resynchronise
WINDOWS = (64, 512, 4096, 1 << 30)
MAX_FINDINGS = 40  # per kind; the rest are summed up in one more finding
SOFT_HYPHENS = "\x02\ufffe\u00ad"


class SourceWord(NamedTuple):  # a named tuple: a novel has 120,000 of them, made in a blink
    text: str
    line: int  # the manuscript line of the paragraph or heading


class PrintedWord(NamedTuple):
    text: str
    page: int
    box: Box


@dataclass(frozen=True)
class Gap:
    kind: str  # missing | extra
    start: int  # index into the manuscript's words (missing) or the PDF's (extra)
    end: int
    at: int  # the PDF word where it happened


def manuscript_words(path: Path, options: ManuscriptOptions | None = None) -> list[SourceWord]:
    book = parse_manuscript(path, Diagnostics(), options)
    found: list[SourceWord] = []

    def add(text: str, line: int) -> None:
        clean = text.replace("\u2060", "").replace("\u00ad", "").casefold()
        found.extend(SourceWord(word, line) for word in WORD.findall(clean))

    def blocks(items: tuple) -> None:
        for block in items:
            if isinstance(block, Paragraph):
                add(block.text, block.line)
            elif isinstance(block, BlockQuote):
                blocks(block.blocks)

    for chapter in book.chapters:
        if chapter.title and not _numbering(chapter.title):
            add(chapter.title, chapter.line)
        blocks(chapter.blocks)
    return found


def printed_words(pages: list[PageText], geometry: Geometry | None) -> list[PrintedWord]:
    """The PDF's words in reading order, from the text block only (no running heads or folios)."""
    found: list[PrintedWord] = []
    carry: tuple[str, int, Box] | None = None  # the first half of a word hyphenated at a line's end
    for page in pages:
        lines = text_block_lines(page, geometry) if geometry else list(page.lines)
        initials = _drop_caps(lines)
        for number, line in enumerate(lines):
            if line.drop_cap:
                continue
            heading = geometry is not None and line.size >= HEADING_RATIO * geometry.body_size
            if len(line.words) <= 5 and _numbering(line.text, NUMBERING if heading else NAMED_NUMBERING):
                continue
            words = list(line.words)
            initial = initials.get(number)
            for position, word in enumerate(words):
                text = word.text
                if initial is not None and word.x0 >= initial[1]:
                    text, initial = initial[0] + text, None
                box = (word.x0, line.bottom, word.x1, line.top)
                if carry is not None:
                    text = carry[0] + text
                    page_index, box = carry[1], carry[2]
                    carry = None
                else:
                    page_index = page.index
                if position == len(words) - 1 and text[-1:] in SOFT_HYPHENS:
                    carry = (text.rstrip(SOFT_HYPHENS), page_index, box)
                    continue
                found.extend(PrintedWord(token, page_index, box) for token in WORD.findall(text.casefold()))
    if carry is not None:
        found.extend(PrintedWord(token, carry[1], carry[2]) for token in WORD.findall(carry[0].casefold()))
    return found


def _numbering(text: str, pattern: re.Pattern[str] = NUMBERING) -> bool:
    return bool(pattern.match(" ".join(WORD.findall(text.casefold()))))


def _drop_caps(lines: list) -> dict[int, tuple[str, float]]:
    """A drop cap belongs before the first word right of it on the highest line it stands beside
    (an opening quote may hang to its left). Returns, by line, the cap and where it ends."""
    initials: dict[int, tuple[str, float]] = {}
    for cap in (line for line in lines if line.drop_cap):
        beside = [
            n
            for n, line in enumerate(lines)
            if not line.drop_cap
            and line.x1 > cap.x1
            and cap.bottom - 1 <= line.baseline <= cap.top + 0.8 * line.size
        ]
        if beside:
            first = min(beside, key=lambda n: -lines[n].baseline)
            initials[first] = (cap.text, cap.x1 - 1)
    return initials


def align(expected: list[str], found: list[str]) -> list[Gap]:
    gaps: list[Gap] = []
    i = j = 0
    while i < len(expected) and j < len(found):
        if expected[i] == found[j]:
            i += 1
            j += 1
        elif i + 1 < len(expected) and found[j] == expected[i] + expected[i + 1]:
            i, j = i + 2, j + 1  # "twenty-" / "five" read back as one word
        elif j + 1 < len(found) and expected[i] == found[j] + found[j + 1]:
            i, j = i + 1, j + 2  # a word split at a line's end with a typed hyphen
        else:
            skip = _resynchronise(expected, found, i, j)
            if skip is None:
                break
            a, b = skip
            if a:
                gaps.append(Gap("missing", i, i + a, j))
            if b:
                gaps.append(Gap("extra", j, j + b, j))
            i, j = i + a, j + b
    if i < len(expected):
        gaps.append(Gap("missing", i, len(expected), min(j, len(found) - 1)))
    if j < len(found):
        gaps.append(Gap("extra", j, len(found), j))
    return gaps


def _resynchronise(expected: list[str], found: list[str], i: int, j: int) -> tuple[int, int] | None:
    """The fewest words (a in the manuscript, b in the PDF) to skip so that ANCHOR words agree again."""
    for window in WINDOWS:
        size = min(ANCHOR, len(expected) - i, len(found) - j)
        first: dict[tuple[str, ...], int] = {}
        end = min(len(found), j + window)
        for b in range(0, end - j - size + 1):
            first.setdefault(tuple(found[j + b : j + b + size]), b)
        best: tuple[int, int] | None = None
        for a in range(0, min(window, len(expected) - i - size + 1)):
            if best is not None and a >= sum(best):
                break
            b = first.get(tuple(expected[i + a : i + a + size]))
            if b is not None and (best is None or a + b < sum(best)):
                best = (a, b)
        if best is not None:
            return best
        if end >= len(found) and i + window >= len(expected):
            return None
    return None


def _body_range(expected: list[str], found: list[str], anchor: int = 5) -> tuple[int, int]:
    """Where the manuscript's text starts and ends among the PDF's words: what comes before its first
    words is front matter (title page, copyright page), what comes after its last words back matter."""
    start, end = 0, len(found)
    if len(expected) < anchor:
        return start, end
    head, tail = expected[:anchor], expected[-anchor:]
    for position in range(len(found) - anchor + 1):
        if found[position] == head[0] and found[position : position + anchor] == head:
            start = position
            break
    for position in range(len(found) - anchor, start - 1, -1):
        if found[position] == tail[0] and found[position : position + anchor] == tail:
            end = position + anchor
            break
    return start, end


def _quote(words: list[str], limit: int = 12) -> str:
    shown = " ".join(words[:limit])
    return f"“{shown}{' …' if len(words) > limit else ''}”"


def run_text_check(
    manuscript: list[SourceWord], pages: list[PageText], geometry: Geometry | None, found: Findings
) -> dict[str, int]:
    """Report missing and extra words; returns the figures for the report's summary."""
    printed = printed_words(pages, geometry)
    expected = [w.text for w in manuscript]
    found_words = [w.text for w in printed]
    start, end = _body_range(expected, found_words)
    gaps = [
        Gap(
            g.kind,
            g.start + (start if g.kind == "extra" else 0),
            g.end + (start if g.kind == "extra" else 0),
            g.at + start,
        )
        for g in align(expected, found_words[start:end])
    ]
    counts = {
        "manuscript": len(manuscript),
        "pdf": len(printed),
        "front_matter": start,
        "back_matter": len(printed) - end,
        "missing": 0,
        "extra": 0,
    }
    shown = {"missing": 0, "extra": 0}
    hidden = {"missing": [0, 0], "extra": [0, 0]}
    for gap in gaps:
        size = gap.end - gap.start
        counts[gap.kind] += size
        if shown[gap.kind] >= MAX_FINDINGS:
            hidden[gap.kind][0] += 1
            hidden[gap.kind][1] += size
            continue
        shown[gap.kind] += 1
        plural = "s" if size > 1 else ""
        if gap.kind == "missing":
            words = manuscript[gap.start : gap.end]
            where = printed[gap.at] if printed else None
            before = f" before “{where.text}”" if where else ""
            found.add(
                "missing-words",
                f"{size} word{plural} missing{before}: {_quote([w.text for w in words])} "
                f"(manuscript line {words[0].line})",
                where.page if where else None,
                where.box if where else None,
            )
        else:
            words = printed[gap.start : gap.end]
            on_page = [w.box for w in words if w.page == words[0].page]
            found.add(
                "extra-words",
                f"{size} word{plural} not in the manuscript: {_quote([w.text for w in words])}",
                words[0].page,
                union(on_page),
            )
    for kind, (runs, words) in hidden.items():
        if runs:
            check = "missing-words" if kind == "missing" else "extra-words"
            found.add(check, f"and {runs} more places with {words} {kind} words")
    return counts
