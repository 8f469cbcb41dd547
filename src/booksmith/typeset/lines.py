"""Set lines: the output of line breaking, and the galley of a chapter that pagination consumes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from booksmith.typeset.items import Piece


# Not frozen, and hashed as if it were: a novel places some 400,000 pieces, and a frozen
# dataclass's __init__ takes three times as long (see items.py). Nothing changes one once made.
@dataclass(slots=True, unsafe_hash=True)
class PlacedPiece:
    """A piece at x from the line's start; y moves it off the line's baseline (a drop cap sits on
    a lower line's baseline)."""

    x: float
    piece: Piece
    y: float = 0.0


@dataclass(frozen=True, slots=True)
class SetLine:
    """One line of type: pieces at x offsets from the line's left edge, which is `indent` from the
    text block's left edge. The pieces are a tuple, or for a line read from the build cache a
    sequence that makes them when first wanted (cache.KeptPieces)."""

    pieces: Sequence[PlacedPiece]
    width: float
    indent: float = 0.0
    ratio: float = 0.0
    hyphenated: bool = False
    overfull: bool = False
    last: bool = False
    # mean word space of the line in em of its size (None where the line has no word space)
    space_em: float | None = None
    notes: tuple[int, ...] = ()  # footnotes marked on this line

    def text(self) -> str:
        return "".join("".join(p.piece.run.texts) for p in self.pieces if p.piece.run)

    def with_pieces_before(self, pieces: Sequence[PlacedPiece]) -> SetLine:
        """The line with more pieces drawn before its own: a hung label, a drop cap, a note's number."""
        return replace(self, pieces=(*pieces, *self.pieces))


@dataclass(frozen=True)
class FigureItem:
    """An image placed in the text block: its file, its size on the page in points, and its left
    edge measured from the text block's left."""

    path: Path
    x: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class GalleyLine:
    """A line in the vertical list. `paragraph` numbers paragraphs within the chapter; `index` and
    `count` give the line's place in its paragraph, for widow and orphan control."""

    line: SetLine
    paragraph: int
    index: int
    count: int
    kind: str = "body"  # body | quote | verse | list | table | figure | scene-break
    keep_with_next: bool = False
    figure: FigureItem | None = None  # an image whose top sits on this row (the rows below are its)
    # a table's rules around this row: ("above" or "below", from x, to x) from the text block's left
    rules: tuple[tuple[str, float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class GalleySpace:
    """Vertical space in whole body lines; dropped at the top and foot of a page."""

    lines: int = 1


GalleyItem = GalleyLine | GalleySpace


@dataclass(frozen=True)
class PlacedLine:
    """A display line placed on a page by its baseline's distance below the text block's top."""

    line: SetLine
    depth: float


@dataclass(frozen=True)
class ParagraphVariant:
    """A paragraph set `change` lines longer (+1) or shorter (-1) than its best setting; `cost` is
    the extra demerits, for pagination to weigh against a short page or an uneven spread."""

    change: int
    lines: tuple[SetLine, ...]
    cost: float


@dataclass(frozen=True)
class GalleyChapter:
    """A chapter, part or back-matter section set in lines: its name (for the outline and contents),
    its heading lines placed below the top of the text block, its running head, and its body as a
    vertical list."""

    kind: str  # chapter | part | back
    name: str
    heading_lines: tuple[PlacedLine, ...]
    head: SetLine | None
    body: tuple[GalleyItem, ...]
    source_line: int
    # other settings of the chapter's paragraphs, by paragraph number and change in lines
    variants: dict[int, dict[int, ParagraphVariant]] = field(default_factory=dict)


@dataclass(frozen=True)
class Footnotes:
    """The book's footnotes set in lines, by number, with the leading and size they are set at."""

    notes: dict[int, tuple[SetLine, ...]]
    leading: float
    size: float

    def height(self, number: int) -> float:
        return len(self.notes.get(number, ())) * self.leading


@dataclass(frozen=True)
class Contents:
    """The contents page's heading and one entry line per chapter, in book order (the page numbers
    are added by pagination)."""

    heading: SetLine
    entries: tuple[SetLine, ...]


@dataclass(frozen=True)
class FrontPage:
    """A page of front matter (title page, copyright page): display lines at fixed depths."""

    kind: str
    lines: tuple[PlacedLine, ...]


@dataclass(frozen=True)
class Galley:
    """The whole book in lines, with the display text pagination places on each page: running heads
    set in their style and single figures for folios (numbers exist only once pages do)."""

    front: tuple[FrontPage, ...]
    contents: Contents | None
    footnotes: Footnotes
    chapters: tuple[GalleyChapter, ...]
    heads: dict[str, SetLine]  # "author", "title"
    folio_figures: dict[str, Piece]
    title: str
    author: str
    language: str
    source: Path
    natural_space_em: float  # the body face's word space, in em
