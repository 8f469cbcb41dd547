"""A printer profile resolved: every length in points, every key present."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GutterBand:
    """The least inside margin for books of up to max_pages pages."""

    max_pages: int
    inside: float


@dataclass(frozen=True)
class Printer:
    name: str
    description: str
    source: str  # the profile file
    min_pages: int
    max_pages: int
    even_pages: bool
    last_page_blank: bool
    max_consecutive_blank: int
    trim_sizes: tuple[tuple[float, float], ...]  # (width, height); empty: any trim
    gutter: tuple[GutterBand, ...]
    min_margin: float  # outside, top and bottom, without bleed
    min_margin_with_bleed: float
    bleed: float
    bleed_edges: frozenset[str]  # of top, bottom, outside, inside
    colour_space: str  # cmyk | gray
    max_total_ink: float
    min_image_ppi: float
    pdfx_version: str  # the default: "", "PDF/X-1a:2001" or "PDF/X-4"
    output_condition: str
    spine_per_page: dict[str, float]  # by paper
    spine_text_min_pages: int
    interior: str = "black-and-white"  # or "colour": what images in the print file become (gray or CMYK)
    pdfx_accepted: tuple[str, ...] = ()  # every PDF/X version the printer takes ("" is plain PDF)
    marks_allowed: bool = True  # may an interior file carry crop and bleed marks
    marks_rule: str = ""  # the printer's rule on marks, for the message refusing --marks
    marks_source: str = ""
    max_by_paper: dict[str, int] = field(default_factory=dict)
    # trims that bind fewer pages: ((width, height), most pages by paper)
    max_by_trim: tuple[tuple[tuple[float, float], dict[str, int]], ...] = ()

    def most_pages(self, trim: tuple[float, float], paper: str | None = None) -> tuple[int, str]:
        """The most pages the printer binds at this trim on this paper (on any paper it offers when
        none is named), and the key in its profile that says so."""
        limits, key = dict(self.max_by_paper), "pages/max_by_paper"
        for size, by_paper in self.max_by_trim:
            if abs(size[0] - trim[0]) < 0.5 and abs(size[1] - trim[1]) < 0.5:
                limits, key = {**limits, **by_paper}, "pages/max_by_trim"
        if not limits:
            return self.max_pages, "pages/max"
        if paper is None:
            return max(limits.values()), key
        return limits.get(paper, self.max_pages), key

    def accepts_pdfx(self, version: str) -> bool:
        return version in (self.pdfx_accepted or (self.pdfx_version,))

    def inside_margin(self, pages: int) -> float:
        """The least gutter for a book of this many pages (the last band beyond the range)."""
        for band in self.gutter:
            if pages <= band.max_pages:
                return band.inside
        return self.gutter[-1].inside

    def least_margin(self, bleed: bool) -> float:
        return self.min_margin_with_bleed if bleed else self.min_margin


@dataclass(frozen=True)
class PageBleed:
    """How far a page grows past its trim on each edge, in points."""

    top: float = 0.0
    bottom: float = 0.0
    outside: float = 0.0
    inside: float = 0.0

    @classmethod
    def of(cls, printer: Printer) -> PageBleed:
        edges = printer.bleed_edges
        sides = ("top", "bottom", "outside", "inside")
        return cls(*(printer.bleed if edge in edges else 0.0 for edge in sides))

    def left(self, side: str) -> float:
        return self.inside if side == "recto" else self.outside

    def right(self, side: str) -> float:
        return self.outside if side == "recto" else self.inside
