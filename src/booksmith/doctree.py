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


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph."""


Inline = Span | LineBreak


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    line: int

    @property
    def text(self) -> str:
        return "".join(i.text if isinstance(i, Span) else "\n" for i in self.inlines)


@dataclass(frozen=True)
class SceneBreak:
    line: int


@dataclass(frozen=True)
class BlockQuote:
    blocks: tuple[Block, ...]
    line: int


Block = Paragraph | SceneBreak | BlockQuote


@dataclass(frozen=True)
class Chapter:
    """A chapter; title is None for a manuscript with no headings (a short story)."""

    title: str | None
    blocks: tuple[Block, ...]
    line: int


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
    layout: str | None = None
    # preset keys the book overrides in its front matter, e.g. {"body": {"size": "12pt"}}
    layout_overrides: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Book:
    meta: BookMeta
    chapters: tuple[Chapter, ...]
    source: Path

    @property
    def slug(self) -> str:
        return slugify(self.source.stem) or slugify(self.meta.title) or "book"


def slugify(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
