"""Placing a page's lines: the text block by page side (inside margin at the spine), running heads
and folios where a reader expects them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from booksmith.pagemodel import Image, Rule, TextLine
from booksmith.preset import Preset
from booksmith.typeset.lines import FigureItem, Galley, PlacedLine, PlacedPiece, SetLine


@dataclass(frozen=True)
class PageFrame:
    """The geometry of the text block, shared by every page of a book."""

    preset: Preset

    @property
    def first_baseline(self) -> float:
        return self.preset.trim.height - self.preset.margins.top - self.preset.body.size

    def baseline(self, slot: int) -> float:
        return self.first_baseline - slot * self.preset.body.leading

    def left(self, side: str) -> float:
        margins = self.preset.margins
        return margins.inside if side == "recto" else margins.outside

    def text_block(self, side: str) -> tuple[float, float, float, float]:
        preset = self.preset
        left = self.left(side)
        return (left, preset.margins.bottom, left + preset.measure, preset.trim.height - preset.margins.top)

    def depth_to_y(self, depth: float) -> float:
        """A baseline given by its depth below the top of the text block."""
        return self.preset.trim.height - self.preset.margins.top - depth

    def opening_first_slot(self, last_heading_depth: float | None) -> int:
        """The grid slot of a chapter's first body line, below its sunk heading."""
        chapter = self.preset.chapter
        body = self.preset.body
        if last_heading_depth is None:
            return max(0, math.ceil((chapter.sink - body.size) / body.leading - 1e-6))
        wanted = last_heading_depth + chapter.lines_after * body.leading
        return math.ceil((wanted - body.size) / body.leading - 1e-6)

    def heading(self, lines: tuple[PlacedLine, ...], side: str) -> list[TextLine]:
        return [self.place(placed.line, side, self.depth_to_y(placed.depth), "title") for placed in lines]

    def image(self, figure: FigureItem, side: str, baseline: float) -> Image:
        """A figure's top sits at the cap height of the row it starts on."""
        top = baseline + self.preset.body.size * 0.7
        left = self.left(side) + figure.x
        return Image(figure.path, left, top - figure.height, figure.width, figure.height)

    def rule(self, rule: tuple[str, float, float], side: str, baseline: float) -> Rule:
        where, start, end = rule
        leading = self.preset.body.leading
        y = baseline + leading * 0.74 if where == "above" else baseline - leading * 0.34
        left = self.left(side)
        return Rule(left + start, left + end, y, 0.5)

    def place(self, line: SetLine, side: str, y: float, role: str) -> TextLine:
        return TextLine(self.left(side) + line.indent, y, line.pieces, role)

    def running_head(self, galley: Galley, side: str, chapter_head: SetLine | None) -> TextLine | None:
        heads = self.preset.running_heads
        what = heads.verso if side == "verso" else heads.recto
        line = chapter_head if what == "chapter" else galley.heads.get(what)
        if what == "none" or line is None:
            return None
        return self.place(line, side, self.head_baseline, "head")

    @property
    def head_baseline(self) -> float:
        return self.first_baseline + self.preset.running_heads.raise_

    def contents_entry(self, entry: SetLine, label: str, side: str, slot: int, indent: float,
                       galley: Galley) -> tuple[list[TextLine], tuple[float, float, float, float]]:
        """A contents line: the name at the left, its page number flush right; and the area a
        reader clicks in the screen PDF."""
        y = self.baseline(slot)
        left = self.left(side)
        name = TextLine(left + indent, y, entry.pieces, "contents")
        figures = self.figures(galley, label)
        width = figures[-1].x + figures[-1].piece.run.width_at(figures[-1].piece.size) if figures else 0.0
        number = TextLine(left + self.preset.measure - width, y, tuple(figures), "contents")
        size = self.preset.body.size
        rect = (left, y - size * 0.3, left + self.preset.measure, y + size * 0.9)
        return [name, number], rect

    def figures(self, galley: Galley, label: str) -> list[PlacedPiece]:
        pieces: list[PlacedPiece] = []
        x = 0.0
        for char in label:
            piece = galley.folio_figures[char]
            pieces.append(PlacedPiece(x, piece))
            x += piece.run.width_at(piece.size) if piece.run else 0.0
        return pieces

    def folio(self, galley: Galley, label: str, side: str) -> TextLine:
        folios = self.preset.folios
        pieces = self.figures(galley, label)
        x = pieces[-1].x + pieces[-1].piece.run.width_at(pieces[-1].piece.size) if pieces else 0.0
        left = self.left(side)
        if folios.position == "head-outside":
            x0 = left + self.preset.measure - x if side == "recto" else left
            return TextLine(x0, self.head_baseline, tuple(pieces), "folio")
        y = self.baseline(self.preset.lines_per_page - 1) - folios.drop
        return TextLine(left + (self.preset.measure - x) / 2, y, tuple(pieces), "folio")
