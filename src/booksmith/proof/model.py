"""What proofing reads out of a PDF and what it finds: frozen dataclasses passed between the readers
(structure.py, textlayer.py), the checks and the report. Every position is in PDF points in the page's
own user space (origin at the bottom left), as the PDF states it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from booksmith.errors import Severity

Box = tuple[float, float, float, float]  # (left, bottom, right, top)


def union(boxes: list[Box] | tuple[Box, ...]) -> Box | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


# ---------------------------------------------------------------- the structure (pikepdf)


@dataclass(frozen=True, slots=True)
class Paint:
    """One painted object: a path, a run of text or an image, with the colour it was painted in."""

    kind: str  # text | path | image | shading
    colour_space: str  # gray | rgb | cmyk | spot | lab | pattern | other
    values: tuple[float, ...]  # the colour's components (empty for images and patterns)
    box: Box
    font: str = ""  # for text: the font resource's BaseFont


@dataclass(frozen=True, slots=True)
class PlacedImage:
    name: str
    pixels: tuple[int, int]
    box: Box
    ppi: float  # effective resolution: the lower of the two axes
    colour_space: str
    max_ink: float | None  # for CMYK images: the highest total ink of any pixel, in percent
    has_soft_mask: bool


@dataclass(frozen=True, slots=True)
class Annotation:
    subtype: str
    box: Box


@dataclass(frozen=True, slots=True)
class FontUse:
    """A font as the PDF declares it, and where text is drawn with it."""

    name: str  # BaseFont, with any subset prefix
    subtype: str  # Type1 | TrueType | Type0 | Type3 | MMType1
    embedded: bool
    subset: bool
    pages: tuple[int, ...]  # page indexes whose content selects it
    first_text: tuple[int, Box] | None  # (page index, box) of the first text drawn with it

    @property
    def standard_name(self) -> str:
        return self.name.split("+", 1)[1] if self.subset else self.name


@dataclass(frozen=True, slots=True)
class PageStructure:
    index: int
    label: str  # the printed folio as the page labels give it, or the page number
    media_box: Box
    crop_box: Box
    trim_box: Box | None  # as the PDF states it (None when absent)
    bleed_box: Box | None
    rotate: int
    paints: tuple[Paint, ...]
    images: tuple[PlacedImage, ...]
    annotations: tuple[Annotation, ...]
    transparency: tuple[str, ...]  # what on the page uses transparency, in words
    spot_colours: tuple[str, ...]

    @property
    def trim(self) -> Box:
        return self.trim_box or self.crop_box


@dataclass(frozen=True)
class DocumentStructure:
    pages: tuple[PageStructure, ...]
    fonts: tuple[FontUse, ...]
    has_page_labels: bool
    pdfx_version: str  # the Info dictionary's GTS_PDFXVersion, or ""
    output_intents: tuple[str, ...]  # each intent's subtype and output condition
    producer: str
    creator: str


# ---------------------------------------------------------------- the text layer (pypdfium2)


class Word(NamedTuple):  # a named tuple: a book has a hundred thousand, sent between processes
    text: str
    x0: float
    x1: float


@dataclass(frozen=True, slots=True)
class TextLine:
    """Characters sharing a baseline. x0 is the first character's origin, x1 the last one's advance end."""

    baseline: float
    x0: float
    x1: float
    bottom: float
    top: float
    size: float  # the most common font size on the line
    family: str  # the most common font family on the line
    text: str
    words: tuple[Word, ...]
    # characters whose font family differs from the line's own: (family, characters, box)
    other_families: tuple[tuple[str, str, Box], ...] = ()
    hyphenated: bool = False  # ends with a hyphen (typed or added by the typesetter)
    soft_hyphen: bool = False  # ends with a hyphen the typesetter added (the text layer marks it)
    drop_cap: bool = False  # a large initial set beside the first lines of a paragraph

    @property
    def box(self) -> Box:
        return (self.x0, self.bottom, self.x1, self.top)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def gaps(self) -> list[float]:
        """The spaces between its words."""
        return [b.x0 - a.x1 for a, b in zip(self.words, self.words[1:])]


@dataclass(frozen=True, slots=True)
class PageText:
    index: int
    width: float
    height: float
    lines: tuple[TextLine, ...]  # top to bottom
    objects: int  # painted objects on the page (0: the page is blank)


# ---------------------------------------------------------------- findings


@dataclass(frozen=True, slots=True)
class Finding:
    check: str  # an id from catalogue.CHECKS
    severity: Severity
    message: str  # what was found, in one line
    page: int | None = None  # 0-based PDF page index; None for the whole document
    folio: str | None = None  # the page's number as printed (from the page labels)
    box: Box | None = None  # where on the page

    @property
    def where(self) -> str:
        if self.page is None:
            return "whole file"
        if self.folio and self.folio != str(self.page + 1):
            return f"p. {self.folio} (PDF p. {self.page + 1})"
        return f"p. {self.page + 1}"


@dataclass(frozen=True)
class Spread:
    """Pages side by side as the book opens: the first page alone on the right."""

    number: int  # 0-based
    left: int | None
    right: int | None

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(p for p in (self.left, self.right) if p is not None)

    @property
    def name(self) -> str:
        return f"spread-{self.number + 1:03d}"


def spreads_of(page_count: int) -> tuple[Spread, ...]:
    spreads = [Spread(0, None, 0)] if page_count else []
    for left in range(1, page_count, 2):
        right = left + 1 if left + 1 < page_count else None
        spreads.append(Spread(len(spreads), left, right))
    return tuple(spreads)


@dataclass(frozen=True)
class Geometry:
    """The text block as the pages show it (inferred from the text layer, not from any preset)."""

    body_size: float
    leading: float
    top_baseline: float  # the first body line's baseline on a full page
    bottom_baseline: float  # the last body line's baseline on a full page
    # (left, right) edges of the body column on right-hand (recto) and left-hand (verso) pages
    recto_column: tuple[float, float]
    verso_column: tuple[float, float]
    justified: bool
    indent: float  # paragraph indent, 0 when paragraphs are not indented
    natural_space: float  # a word space at natural width, in em of the type size
    # right edges of other justified columns (block quotes in a smaller size), by size
    extra_columns: dict[float, tuple[tuple[float, float], tuple[float, float]]] = field(default_factory=dict)

    # pages whose column is not the one their position suggests (a PDF whose sides do not alternate)
    swapped: frozenset[int] = frozenset()

    def column(self, page: int) -> tuple[float, float]:
        return self.recto_column if (page % 2 == 0) != (page in self.swapped) else self.verso_column

    @property
    def band(self) -> tuple[float, float]:
        """Baselines from here to here belong to the text block; running heads and folios lie outside."""
        return (self.bottom_baseline - 0.5 * self.leading, self.top_baseline + 0.5 * self.body_size)
