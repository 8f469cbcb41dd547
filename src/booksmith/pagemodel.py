"""The page model: the contract between pagination and rendering. Everything is placed in absolute
points on the trimmed page (origin at the bottom left, as in PDF)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from booksmith.typeset.lines import PlacedPiece

__all__ = ["Image", "Link", "OutlineEntry", "Page", "PageModel", "PlacedPiece", "Rule", "TextLine",
           "TypographySummary"]


@dataclass(frozen=True, slots=True)
class TextLine:
    """A line of type whose left end sits at (x, y) on the baseline."""

    x: float
    y: float
    pieces: Sequence[PlacedPiece]  # a set line's own
    role: str = "body"  # body | quote | scene-break | title | head | folio | front


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal rule from x0 to x1 at height y, `weight` points thick."""

    x0: float
    x1: float
    y: float
    weight: float = 0.5


@dataclass(frozen=True, slots=True)
class Image:
    path: Path
    x: float
    y: float  # bottom edge
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Link:
    """A live area of the screen PDF: to a page of the book ('#p12' is physical page 12) or a URL."""

    rect: tuple[float, float, float, float]
    target: str


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # 1-based position in the print file
    side: str  # recto | verso
    kind: str  # front | contents | opening | part | text | blank
    label: str  # the page's number as printed or implied: 'ii', '17'
    numbering: str  # roman | arabic
    lines: tuple[TextLine, ...]
    chapter: int | None = None  # index of the chapter whose text is on the page
    links: tuple[Link, ...] = ()
    rules: tuple[Rule, ...] = ()
    images: tuple[Image, ...] = ()

    @property
    def value(self) -> int:
        """The page's number as a number: its arabic label, or the value of its roman one."""
        if self.numbering == "arabic":
            return int(self.label)
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
        total = 0
        for current, following in zip(self.label, [*self.label[1:], ""]):
            value = values[current]
            total += -value if following and values[following] > value else value
        return total

    @property
    def blank(self) -> bool:
        return self.kind == "blank"


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    title: str
    page_number: int
    level: int = 0
    key: str = ""  # the destination name links to this entry's page use


@dataclass(frozen=True)
class TypographySummary:
    """Figures a compositor judges a book by, for the book's own report."""

    pages: int
    body_lines: int
    hyphenated_lines: int
    longest_hyphen_ladder: int
    runts: int
    uneven_spreads: int
    spreads: int
    space_median_em: float
    space_p95_em: float
    natural_space_em: float
    loose_line_share: float  # lines whose word space is over 1.5 times the natural space
    paragraphs_longer: int
    paragraphs_shorter: int
    rule_breaks: int


@dataclass(frozen=True)
class PageModel:
    width: float
    height: float
    pages: tuple[Page, ...]
    outline: tuple[OutlineEntry, ...]
    title: str
    author: str
    language: str
    # the text block on a recto and a verso, as (left, bottom, right, top), for checks and proofs
    text_block_recto: tuple[float, float, float, float]
    text_block_verso: tuple[float, float, float, float]
    summary: TypographySummary
