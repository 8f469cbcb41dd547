"""The wrap cover's geometry for a printer: back, spine and front side by side with bleed all
round; the spine's width is the interior's page count times the paper's thickness per page."""

from __future__ import annotations

from dataclasses import dataclass

from booksmith.errors import BooksmithError
from booksmith.preset import Preset
from booksmith.printers.model import Printer

INCH = 72.0
SPINE_TEXT_MARGIN = 0.0625 * INCH  # kept clear on each side of the spine text
BARCODE_ZONE = (2.0 * INCH, 1.2 * INCH)  # width, height kept clear for the printer's barcode
BARCODE_INSET = 0.25 * INCH  # from the back cover's trim at the spine side and the foot


@dataclass(frozen=True)
class CoverGeometry:
    """Everything in points, from the bottom left of the whole sheet (bleed included)."""

    trim_width: float  # one cover panel
    trim_height: float
    bleed: float
    spine: float
    pages: int
    spine_text: bool  # the printer allows text on a spine this thick

    @property
    def width(self) -> float:
        return 2 * self.bleed + 2 * self.trim_width + self.spine

    @property
    def height(self) -> float:
        return self.trim_height + 2 * self.bleed

    @property
    def back(self) -> tuple[float, float, float, float]:
        return (self.bleed, self.bleed, self.bleed + self.trim_width, self.bleed + self.trim_height)

    @property
    def spine_box(self) -> tuple[float, float, float, float]:
        left = self.bleed + self.trim_width
        return (left, self.bleed, left + self.spine, self.bleed + self.trim_height)

    @property
    def front(self) -> tuple[float, float, float, float]:
        left = self.bleed + self.trim_width + self.spine
        return (left, self.bleed, left + self.trim_width, self.bleed + self.trim_height)

    @property
    def trim_box(self) -> tuple[float, float, float, float]:
        return (self.bleed, self.bleed, self.width - self.bleed, self.height - self.bleed)

    @property
    def barcode_zone(self) -> tuple[float, float, float, float]:
        """Bottom right of the back cover, where the printer places the ISBN barcode."""
        right = self.back[2] - BARCODE_INSET
        bottom = self.back[1] + BARCODE_INSET
        return (right - BARCODE_ZONE[0], bottom, right, bottom + BARCODE_ZONE[1])


def cover_geometry(preset: Preset, printer: Printer, paper: str, pages: int) -> CoverGeometry:
    per_page = printer.spine_per_page.get(paper)
    if per_page is None:
        offered = ", ".join(sorted(printer.spine_per_page)) or "none"
        raise BooksmithError(f"{printer.name} has no spine width for '{paper}' paper",
                             hint=f"Papers with a spine width in printers/{printer.name}.json: {offered}.")
    if not printer.min_pages <= pages <= printer.max_pages:
        raise BooksmithError(f"the interior has {pages} pages; {printer.name} prints {printer.min_pages} to "
                             f"{printer.max_pages}")
    return CoverGeometry(preset.trim.width, preset.trim.height, printer.bleed, pages * per_page, pages,
                         pages >= printer.spine_text_min_pages)
