"""The resolved preset: every length in points, every key present (defaults come from schema.json)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Trim:
    width: float
    height: float


@dataclass(frozen=True)
class Margins:
    inside: float
    outside: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Fonts:
    body: str
    display: str
    fallback: tuple[str, ...]


@dataclass(frozen=True)
class Body:
    size: float
    leading: float
    indent: float
    align: str
    oldstyle_figures: bool


@dataclass(frozen=True)
class Hyphenation:
    enabled: bool
    language: str
    left_min: int
    right_min: int
    min_word: int
    max_consecutive: int


@dataclass(frozen=True)
class LineBreaking:
    pretolerance: float
    tolerance: float
    line_penalty: float
    hyphen_penalty: float
    explicit_hyphen_penalty: float
    consecutive_hyphen_demerits: float
    final_hyphen_demerits: float
    fitness_demerits: float
    emergency_stretch: float
    space_stretch: float
    space_shrink: float
    runt_width: float
    runt_demerits: float


@dataclass(frozen=True)
class FrontMatter:
    half_title: bool
    toc: bool
    roman_folios: bool


@dataclass(frozen=True)
class Pages:
    orphans: int
    widows: int
    even_page_count: bool


@dataclass(frozen=True)
class ChapterStyle:
    recto: bool
    sink: float
    title_size: float
    title_style: str
    lines_after: int
    indent_first: bool
    number_style: str
    number_label: str
    number_size: float
    number_text_style: str
    numbering: str
    ornament: str
    opening: str
    dropcap_lines: int
    leadin_words: int


@dataclass(frozen=True)
class RunningHeads:
    verso: str
    recto: str
    size: float
    style: str
    letterspacing: float
    raise_: float


@dataclass(frozen=True)
class Folios:
    position: str
    size: float
    drop: float
    on_chapter_openings: bool


@dataclass(frozen=True)
class SceneBreakStyle:
    style: str
    mark: str


@dataclass(frozen=True)
class BlockQuoteStyle:
    indent: float
    size: float


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    source: str
    trim: Trim
    margins: Margins
    fonts: Fonts
    body: Body
    hyphenation: Hyphenation
    linebreak: LineBreaking
    front_matter: FrontMatter
    pages: Pages
    chapter: ChapterStyle
    running_heads: RunningHeads
    folios: Folios
    scene_break: SceneBreakStyle
    block_quote: BlockQuoteStyle
    printer: str | None = None  # a printer profile to fit to, unless the book or --printer names another

    @property
    def measure(self) -> float:
        """Width of the text block."""
        return self.trim.width - self.margins.inside - self.margins.outside

    @property
    def lines_per_page(self) -> int:
        """Body lines on a full page: the first baseline sits one body size below the text block's top."""
        text_height = self.trim.height - self.margins.top - self.margins.bottom
        return int((text_height - self.body.size) // self.body.leading) + 1
