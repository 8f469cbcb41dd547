"""Footnotes set for the foot of the page: smaller type on its own leading, each note opening with
its number; pagination keeps each note on the page that cites it."""

from __future__ import annotations

from dataclasses import replace

from booksmith.doctree import Footnote, Paragraph, Span
from booksmith.typeset.lines import Footnotes, PlacedPiece, SetLine
from booksmith.typeset.paragraph import TextStyle, TypesetContext, set_paragraph, set_unbroken

NOTE_SIZE = 0.8  # of the body size
NOTE_LEADING = 1.22  # of the note size


def set_footnotes(notes: tuple[Footnote, ...], context: TypesetContext) -> Footnotes:
    preset = context.preset
    size = round(preset.body.size * NOTE_SIZE, 2)
    style = TextStyle(size=size, measure=preset.measure)
    set_notes: dict[int, tuple[SetLine, ...]] = {}
    for note in notes:
        lines: list[SetLine] = []
        for block in note.blocks:
            if isinstance(block, Paragraph):
                lines.extend(set_paragraph(block.inlines, style, size if lines else 0.0, context, block.line))
        if lines:
            set_notes[note.number] = tuple(_numbered(lines, note.number, style, context))
    return Footnotes(set_notes, size * NOTE_LEADING, size)


def _numbered(lines: list[SetLine], number: int, style: TextStyle, context: TypesetContext) -> list[SetLine]:
    """The note's number hangs before its first line, as the mark in the text reads."""
    label = set_unbroken((Span(f"{number}\u2002"),), replace(style, extra_features=("lnum",)), context, 0)
    first = lines[0]
    pieces = tuple(replace(placed, x=placed.x - label.width) for placed in label.pieces)
    hung: list[PlacedPiece] = list(pieces)
    lines[0] = replace(first.with_pieces_before(hung), indent=first.indent + label.width)
    return lines
