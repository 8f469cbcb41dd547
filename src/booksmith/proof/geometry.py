"""The text block as the pages show it: body size, leading, the column on left- and right-hand pages,
indent, where full pages start and end, and the natural word space, each taken as the most common
value in the text layer. Nothing here knows which preset (or which program) made the PDF."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from collections.abc import Iterable

from .model import Geometry, PageText, TextLine


def _mode(values: Iterable[float], step: float = 0.5) -> float | None:
    counts = Counter(round(v / step) * step for v in values)
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def is_body(line: TextLine, body_size: float) -> bool:
    return abs(line.size - body_size) < 0.35


def text_block_lines(page: PageText, geometry: Geometry) -> list[TextLine]:
    """The page's lines inside the text block (not running heads or folios). A page may run a line
    long (to keep a spread level or avoid a widow): a line one leading below the last, no larger
    than the body and starting at the column's edge, its indent, or where a line above it starts (a
    letter set narrower), belongs to the block too; a centred folio starts nowhere of those."""
    bottom, top = geometry.band
    left, _ = geometry.column(page.index)
    found: list[TextLine] = []
    for line in page.lines:
        if not line.text.strip():
            continue
        if bottom <= line.baseline <= top or (
            line.baseline < bottom
            and found
            and line.size < geometry.body_size + 0.35
            and abs(found[-1].baseline - line.baseline - geometry.leading) < 0.5
            and _starts_as_text(line, left, geometry.indent, found)
        ):
            found.append(line)
    return found


def _starts_as_text(line: TextLine, left: float, indent: float, above: list[TextLine]) -> bool:
    # an opening quote mark may hang before the edge by up to half a size
    hang = 0.6 * line.size if line.text[:1] in "\u201c\u2018\"'" else 1.0
    starts = [left, left + indent, *(other.x0 for other in above)]
    return any(start - hang < line.x0 < start + 1.0 for start in starts)


def infer_geometry(pages: list[PageText]) -> Geometry | None:
    """None when the PDF has too little running text to judge (a cover, a poster, a blank file)."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size, 1)] += len(line.text)
    if not sizes:
        return None
    body_size = sizes.most_common(1)[0][0]
    body = {page.index: [line for line in page.lines if is_body(line, body_size)] for page in pages}
    if sum(len(lines) for lines in body.values()) < 8:
        return None
    leading = _mode(
        (
            a.baseline - b.baseline
            for lines in body.values()
            for a, b in itertools.pairwise(lines)
            if 0.95 * body_size <= a.baseline - b.baseline <= 2.2 * body_size
        ),
        0.1,
    )
    leading = leading or 1.2 * body_size
    sides = _sides(body)
    recto = _column([line for index, lines in body.items() if sides[index] == 0 for line in lines])
    verso = _column([line for index, lines in body.items() if sides[index] == 1 for line in lines])
    recto, verso = recto or verso, verso or recto
    assert recto is not None and verso is not None
    body_lines = [line for lines in body.values() for line in lines]
    justified = _justified(body, recto, verso, sides)
    indent = _indent(body, recto, verso, sides)
    full_pages = [lines for lines in body.values() if len(lines) >= 5]
    top = _mode((lines[0].baseline for lines in full_pages), 0.1) or max(line.baseline for line in body_lines)
    bottom = _mode((lines[-1].baseline for lines in full_pages), 0.1) or min(
        line.baseline for line in body_lines
    )
    if bottom > top:
        bottom, top = top, bottom
    odd_sides = frozenset(index for index, side in sides.items() if side != index % 2)
    geometry = Geometry(
        body_size, leading, top, bottom, recto, verso, justified, indent, 0.25, swapped=odd_sides
    )
    natural = _natural_space(body, geometry)
    extra = _extra_columns(pages, geometry)
    return Geometry(
        body_size, leading, top, bottom, recto, verso, justified, indent, natural, extra, odd_sides
    )


def _sides(body: dict[int, list[TextLine]]) -> dict[int, int]:
    """Which column each page uses, 0 (the one most even pages use) or 1, judged by where its lines
    start. In a book the sides alternate; in a PDF that dropped its blank pages (a screen PDF) or
    that is not a book they may not."""
    starts = {
        index: _mode((line.x0 for line in lines), 0.5) for index, lines in body.items() if len(lines) >= 5
    }
    common = Counter(starts.values()).most_common(2)
    if len(common) < 2 or common[1][1] < 0.1 * len(starts) or abs(common[0][0] - common[1][0]) < 3:
        return {index: index % 2 for index in body}
    first, second = common[0][0], common[1][0]
    even = Counter(starts[i] for i in starts if i % 2 == 0)
    recto = first if even[first] >= even[second] else second
    sides = {}
    for index in body:
        start = starts.get(index)
        if start is None or start not in (first, second):
            sides[index] = index % 2
        else:
            sides[index] = 0 if start == recto else 1
    return sides


def _column(lines: list[TextLine]) -> tuple[float, float] | None:
    if not lines:
        return None
    left = _mode((line.x0 for line in lines), 0.1)
    assert left is not None
    widest = max(line.x1 for line in lines)
    long_lines = [line.x1 for line in lines if line.x1 > left + 0.6 * (widest - left)]
    right = _mode(long_lines, 0.1) if long_lines else widest
    assert right is not None
    return (left, right)


def _justified(
    body: dict[int, list[TextLine]],
    recto: tuple[float, float],
    verso: tuple[float, float],
    sides: dict[int, int],
) -> bool:
    flush = total = 0
    for index, lines in body.items():
        left, right = recto if sides.get(index, index % 2) == 0 else verso
        for line in lines:
            if abs(line.x0 - left) < 1.5 or line.x0 > left:
                total += 1
                flush += abs(line.x1 - right) < 1.0
    return total > 0 and flush / total >= 0.4


def _indent(
    body: dict[int, list[TextLine]],
    recto: tuple[float, float],
    verso: tuple[float, float],
    sides: dict[int, int],
) -> float:
    offsets = []
    total = 0
    for index, lines in body.items():
        left, right = recto if sides.get(index, index % 2) == 0 else verso
        for line in lines:
            total += 1
            offset = line.x0 - left
            if 2.0 < offset < 0.2 * (right - left):
                offsets.append(offset)
    if not offsets or len(offsets) < 0.03 * total:
        return 0.0
    found = _mode(offsets, 0.1) or 0.0
    return found if sum(1 for o in offsets if abs(o - found) < 0.3) >= 0.03 * total else 0.0


def _natural_space(body: dict[int, list[TextLine]], geometry: Geometry) -> float:
    """The word space of lines set at their natural width: a paragraph's last line when the text is
    justified (it is not stretched), every line when it is not."""
    gaps = []
    for index, lines in body.items():
        left, right = geometry.column(index)
        for line in lines:
            short = line.x1 < right - 2 * geometry.body_size
            if not geometry.justified or (short and line.x0 >= left - 1):
                gaps.extend(gap / line.size for gap in line.gaps() if gap > 0)
    if len(gaps) < 10:
        return 0.25
    return statistics.median(gaps)


def _extra_columns(pages: list[PageText], geometry: Geometry) -> dict[float, tuple[tuple[float, float], ...]]:
    """Justified columns set in a smaller size than the body (block quotes, extracts)."""
    body_size = geometry.body_size
    by_size: dict[float, dict[int, list[TextLine]]] = {}
    for page in pages:
        for line in text_block_lines(page, geometry):
            size = round(line.size, 1)
            if abs(size - body_size) >= 0.35 and 0.6 * body_size <= size < body_size:
                by_size.setdefault(size, {}).setdefault(page.index, []).append(line)
    columns = {}
    for size, body in by_size.items():
        if sum(len(lines) for lines in body.values()) < 15:
            continue
        sides = {index: 0 if geometry.column(index) == geometry.recto_column else 1 for index in body}
        recto = _column([line for index, lines in body.items() if sides[index] == 0 for line in lines])
        verso = _column([line for index, lines in body.items() if sides[index] == 1 for line in lines])
        recto, verso = recto or verso, verso or recto
        if recto and verso and _justified(body, recto, verso, sides):
            columns[size] = (recto, verso)
    return columns
