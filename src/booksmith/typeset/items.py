"""Boxes, glue and penalties: the paragraph as Knuth & Plass (1981) describe it."""

from __future__ import annotations

from dataclasses import dataclass

from booksmith.fonts import ShapedRun

INFINITY = 10000  # a penalty this large forbids a break; its negative forces one
FIL = 100000.0  # stretch that swamps all finite stretch (TeX's fil order, for \parfillskip)

# The items and pieces are not frozen dataclasses, though nothing changes one once made, and each
# hashes as a frozen one would (unsafe_hash): a novel makes some 100,000 of them, mostly for words
# met for the first time, and a frozen dataclass's __init__, which sets each field through
# object.__setattr__, takes three times as long. (The same goes for ShapedRun, PlacedPiece and Break.)


@dataclass(slots=True, unsafe_hash=True)
class Piece:
    """Something drawn: a shaped run at a size, raised by `rise` (a footnote mark in a face with no
    superior figures), live as a link to `link` in the screen PDF; an empty box has run=None."""

    run: ShapedRun | None
    size: float
    link: str | None = None
    rise: float = 0.0


@dataclass(slots=True, unsafe_hash=True)
class Box:
    width: float
    piece: Piece | None = None
    # the footnote this box marks, if it is a footnote mark
    note: int = 0


@dataclass(slots=True, unsafe_hash=True)
class Glue:
    width: float
    stretch: float
    shrink: float
    # the space glyph drawn in the gap, so the PDF's text layer has its word spaces
    piece: Piece | None = None
    # the unbroken form of a break inside a ligature (see Discretionary in paragraph.py): drawn, with
    # the box after it, as `piece` when the line does not break at the penalty before it
    unbroken: bool = False


@dataclass(slots=True, unsafe_hash=True)
class Penalty:
    width: float
    penalty: float
    flagged: bool = False
    # what is drawn at the end of the line when the break is taken here (a hyphen)
    piece: Piece | None = None


Item = Box | Glue | Penalty


def item_kind(item: Item) -> type:
    """Box, Glue or Penalty: the one the item is (line breaking and assembly compare an item's own
    class quickly, and call this for an item of a class derived from one of them)."""
    kind = type(item)
    if kind is Box or kind is Glue or kind is Penalty:
        return kind
    return Box if isinstance(item, Box) else Glue if isinstance(item, Glue) else Penalty
