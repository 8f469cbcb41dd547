"""Tables set simply, as a book sets them: columns as wide as their widest cell (narrowed in
proportion, and cells wrapped, when the table is wider than the measure), cells aligned as the
Markdown asks, a rule above and below the header and below the last row."""

from __future__ import annotations

from dataclasses import dataclass, replace

from booksmith.doctree import Inline, Table
from booksmith.typeset.lines import PlacedPiece, SetLine
from booksmith.typeset.paragraph import TextStyle, TypesetContext, set_paragraph, set_unbroken

WIDE = 1e6


@dataclass(frozen=True)
class TableRow:
    lines: tuple[SetLine, ...]
    header: bool
    left: float  # the table's extent, from the text block's left edge
    right: float


def set_table(table: Table, context: TypesetContext) -> list[TableRow]:
    preset = context.preset
    size = preset.body.size * 0.9
    rows = ([table.header] if table.header else []) + list(table.rows)
    columns = max((len(row) for row in rows), default=0)
    if not columns:
        return []
    aligns = list(table.aligns) + ["left"] * (columns - len(table.aligns))
    gutter = size
    natural = [max((_natural_width(_cell(row, column), size, context, table.line) for row in rows),
                   default=0.0) for column in range(columns)]
    room = preset.measure - gutter * (columns - 1)
    widths = natural if sum(natural) <= room else [room * width / sum(natural) for width in natural]
    total = sum(widths) + gutter * (columns - 1)
    left = (preset.measure - total) / 2
    starts = [left + sum(widths[:column]) + gutter * column for column in range(columns)]
    set_rows = []
    for number, row in enumerate(rows):
        cells = []
        for column in range(columns):
            style = TextStyle(size=size, measure=max(widths[column], size), align="left")
            lines = set_paragraph(_cell(row, column), style, 0.0, context, table.line)
            cells.append([_aligned(line, widths[column], aligns[column], starts[column]) for line in lines])
        set_rows.append(TableRow(_merge(cells), bool(table.header) and number == 0, left, left + total))
    return set_rows


def _cell(row: tuple[tuple[Inline, ...], ...], column: int) -> tuple[Inline, ...]:
    return row[column] if column < len(row) else ()


def _natural_width(inlines: tuple[Inline, ...], size: float, context: TypesetContext, line: int) -> float:
    if not inlines:
        return 0.0
    return set_unbroken(inlines, TextStyle(size=size, measure=WIDE, align="left"), context, line).width


def _aligned(line: SetLine, width: float, align: str, start: float) -> SetLine:
    offset = {"right": width - line.width, "center": (width - line.width) / 2}.get(align, 0.0)
    return replace(line, indent=start + max(0.0, offset))


def _merge(cells: list[list[SetLine]]) -> tuple[SetLine, ...]:
    """A row's visual lines: line k of every cell, side by side on one baseline."""
    depth = max((len(lines) for lines in cells), default=0)
    merged = []
    for index in range(depth):
        pieces: list[PlacedPiece] = []
        for lines in cells:
            if index < len(lines):
                line = lines[index]
                pieces.extend(replace(placed, x=placed.x + line.indent) for placed in line.pieces)
        width = max((p.x for p in pieces), default=0.0)
        merged.append(SetLine(tuple(pieces), width, 0.0, last=index == depth - 1))
    return tuple(merged)
