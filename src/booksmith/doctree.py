"""The document tree: what the manuscript says, before any layout. Every node carries its source line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Span:
    """A run of text in one style. The text is already typographically cleaned (curly quotes, dashes)."""

    text: str
    italic: bool = False
    bold: bool = False
    smallcaps: bool = False
    link: str | None = None


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph."""


@dataclass(frozen=True)
class FootnoteRef:
    """Where a footnote is cited; number is the note's number in the book."""

    number: int


Inline = Span | LineBreak | FootnoteRef


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    line: int

    @property
    def text(self) -> str:
        return inline_text(self.inlines)


def inline_text(inlines: tuple[Inline, ...]) -> str:
    return "".join(i.text if isinstance(i, Span) else "\n" if isinstance(i, LineBreak) else ""
                   for i in inlines)


@dataclass(frozen=True)
class SceneBreak:
    line: int


@dataclass(frozen=True)
class BlockQuote:
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True)
class Verse:
    """Poetry: stanzas of lines, each line kept as written."""

    stanzas: tuple[tuple[tuple[Inline, ...], ...], ...]
    line: int


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]
    line: int


@dataclass(frozen=True)
class Figure:
    """An image on a line of its own; source is the path as written, relative to the manuscript.
    A full-page figure (`{.full-page}`) is a plate: a page of its own, the picture to the trim and
    into the bleed, the text running on around it."""

    source: str
    caption: tuple[Inline, ...]
    line: int
    full_page: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    aligns: tuple[str, ...]  # left | right | center, per column
    line: int


Block = Paragraph | SceneBreak | BlockQuote | Verse | ListBlock | Figure | Table


@dataclass(frozen=True)
class Footnote:
    number: int
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True)
class Chapter:
    """A chapter, a part title, or a back-matter section. title is None for a manuscript with no
    headings (a short story) and for a heading that only numbers its chapter ("# Chapter 12")."""

    title: str | None
    blocks: tuple[Block, ...]
    line: int
    kind: str = "chapter"  # chapter | part | back
    heading: str = ""  # the heading as written


@dataclass(frozen=True)
class Epigraph:
    text: str
    attribution: str = ""


@dataclass(frozen=True)
class BookMeta:
    title: str
    author: str = ""
    subtitle: str = ""
    publisher: str = ""
    year: str = ""
    copyright: str = ""
    isbn: str = ""
    language: str = "en-GB"
    dedication: str = ""
    epigraph: Epigraph | None = None
    edition: str = ""
    printing: str = ""
    toc: bool | None = None  # None: as the preset says
    layout: str | None = None
    printer: str = ""  # a printer profile's name ('kdp'), as 'printer:' in the front matter gives it
    # preset keys the book overrides in its front matter, e.g. {"body": {"size": "12pt"}}
    layout_overrides: dict[str, Any] = field(default_factory=dict)
    back_cover: str = ""  # the back cover's text (Markdown paragraphs), for `booksmith cover`
    back_cover_line: int = 0  # the front-matter line of 'back_cover:'


@dataclass(frozen=True)
class Book:
    meta: BookMeta
    chapters: tuple[Chapter, ...]
    source: Path
    footnotes: tuple[Footnote, ...] = ()

    @property
    def slug(self) -> str:
        return slugify(self.source.stem) or slugify(self.meta.title) or "book"


def slugify(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def block_text(block: object) -> str:
    """A block's text, the text of the blocks inside it joined by spaces (for counting words)."""
    text = getattr(block, "text", None)
    if isinstance(text, str):
        return text
    return " ".join(block_text(inner) for inner in getattr(block, "blocks", ()))
