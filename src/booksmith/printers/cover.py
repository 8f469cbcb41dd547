"""The wrap cover's geometry for a printer: back, spine and front side by side with bleed all
round; the spine's width is the interior's page count times the paper's thickness per page. Also
the printer's rules a cover must meet: the page count, the trim, the front image's resolution, and
the back text kept clear of the barcode."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from booksmith.errors import BooksmithError, Diagnostics, Location
from booksmith.preset import Preset
from booksmith.printers.fit import check_trim
from booksmith.printers.model import Printer
from booksmith.units import format_inches

INCH = 72.0
SPINE_TEXT_MARGIN = 0.0625 * INCH  # kept clear on each side of the spine text
BARCODE_ZONE = (2.0 * INCH, 1.2 * INCH)  # width, height kept clear for the printer's barcode
BARCODE_INSET = 0.25 * INCH  # from the back cover's trim at the spine side and the foot
# Text is kept this far inside the trim of each panel. booksmith's own figure, not a printer's: the
# printers' pages read here give no cover figure booksmith could confirm (reports for KDP range from
# 0.125 to 0.375 in); twice the 0.125 in trimming variance Lulu states is safe for all three.
SAFE_MARGIN = 0.25 * INCH
# Below this share of the printer's least resolution a front image is refused rather than warned
# about: at half of 300 ppi the pixels show in print.
REFUSED_RESOLUTION_SHARE = 0.5

Box = tuple[float, float, float, float]  # left, bottom, right, top


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
    def back(self) -> Box:
        return (self.bleed, self.bleed, self.bleed + self.trim_width, self.bleed + self.trim_height)

    @property
    def spine_box(self) -> Box:
        left = self.bleed + self.trim_width
        return (left, self.bleed, left + self.spine, self.bleed + self.trim_height)

    @property
    def front(self) -> Box:
        left = self.bleed + self.trim_width + self.spine
        return (left, self.bleed, left + self.trim_width, self.bleed + self.trim_height)

    @property
    def trim_box(self) -> Box:
        return (self.bleed, self.bleed, self.width - self.bleed, self.height - self.bleed)

    @property
    def front_image_box(self) -> Box:
        """The front panel grown by the bleed at the top, the foot and the outside edge (never over
        the spine): where a front image is placed."""
        return (self.front[0], 0.0, self.width, self.height)

    @property
    def barcode_zone(self) -> Box:
        """Bottom right of the back cover, where the printer places the ISBN barcode."""
        right = self.back[2] - BARCODE_INSET
        bottom = self.back[1] + BARCODE_INSET
        return (right - BARCODE_ZONE[0], bottom, right, bottom + BARCODE_ZONE[1])

    def safe_area(self, panel: Box) -> Box:
        left, bottom, right, top = panel
        return (left + SAFE_MARGIN, bottom + SAFE_MARGIN, right - SAFE_MARGIN, top - SAFE_MARGIN)

    @property
    def spine_safe_area(self) -> Box:
        left, bottom, right, top = self.spine_box
        return (left + SPINE_TEXT_MARGIN, bottom + SAFE_MARGIN, right - SPINE_TEXT_MARGIN, top - SAFE_MARGIN)

    @property
    def back_text_box(self) -> Box:
        """Where the back cover's text is set: the back panel inside a margin of an eighth of its
        width (never less than the safe margin), down to a line's space above the barcode zone."""
        left, _, right, top = self.back
        margin = max(SAFE_MARGIN, self.trim_width / 8)
        return (left + margin, self.barcode_zone[3] + SAFE_MARGIN, right - margin, top - margin)


def cover_geometry(preset: Preset, printer: Printer, paper: str, pages: int) -> CoverGeometry:
    per_page = printer.spine_per_page.get(paper)
    profile = Path(printer.source)
    if per_page is None:
        offered = ", ".join(sorted(printer.spine_per_page))
        hint = (f"Papers with a spine width for {printer.name}: {offered}." if offered else
                f"Add the printer's spine width per page for each paper (from its cover template) to "
                f"spine.per_page in {profile.name}, with the date checked and the page it came from.")
        raise BooksmithError(f"{printer.name} has no spine width for '{paper}' paper",
                             Location(profile, json_path="spine/per_page"), hint)
    check_trim(preset, printer)
    check_cover_pages(pages, printer, (preset.trim.width, preset.trim.height), paper)
    return CoverGeometry(preset.trim.width, preset.trim.height, printer.bleed, pages * per_page, pages,
                         pages >= printer.spine_text_min_pages)


def check_cover_pages(pages: int, printer: Printer, trim: tuple[float, float], paper: str) -> None:
    """The interior's page count within what the printer binds at this trim on this paper, named
    with the figure it breaks."""
    most, most_key = printer.most_pages(trim, paper)
    if pages < printer.min_pages:
        rule, figure, key = "fewer than the", printer.min_pages, "pages/min"
    elif pages > most:
        rule, figure, key = "more than the", most, most_key
    else:
        return
    raise BooksmithError(
        f"the interior has {pages} pages, {rule} {figure} {printer.name} binds on {paper} paper (it prints "
        f"{printer.min_pages} to {most} pages at this trim)", Location(Path(printer.source), json_path=key),
        "Give the interior's real page count with --pages, or change the book's length or layout "
        "until the interior is in the printer's range.")


def check_front_resolution(image: str, pixels: tuple[int, int], geometry: CoverGeometry, printer: Printer,
                           diagnostics: Diagnostics) -> float:
    """The front image's effective resolution where it is placed: below the printer's least a
    warning, below half of it an error. Returns the resolution in pixels per inch."""
    left, bottom, right, top = geometry.front_image_box
    width_in, height_in = (right - left) / INCH, (top - bottom) / INCH
    ppi = front_resolution(pixels, geometry)
    least = printer.min_image_ppi
    if ppi >= least:
        return ppi
    needed = f"{math.ceil(width_in * least)} x {math.ceil(height_in * least)}"
    placed = f"the {format_inches(right - left)} x {format_inches(top - bottom)} front (bleed included)"
    hint = f"Supply the image at least {needed} pixels for {least:g} ppi."
    where = Location(Path(image))
    if ppi < least * REFUSED_RESOLUTION_SHARE:
        raise BooksmithError(
            f"the front image '{Path(image).name}' would print at {ppi:.0f} ppi on {placed}, under half "
            f"{printer.name}'s least of {least:g} ppi (colour.min_image_ppi): it would look pixelated",
            where, hint)
    diagnostics.warn(
        f"the front image '{Path(image).name}' prints at {ppi:.0f} ppi on {placed}, below "
        f"{printer.name}'s {least:g} ppi (colour.min_image_ppi); it will look soft", where, hint)
    return ppi


def front_resolution(pixels: tuple[int, int], geometry: CoverGeometry) -> float:
    """Pixels per inch of an image of this size stretched over the front with its bleed (the
    lesser of the two directions)."""
    left, bottom, right, top = geometry.front_image_box
    return min(pixels[0] / ((right - left) / INCH), pixels[1] / ((top - bottom) / INCH))


def check_front_ink(image: str, max_ink: float, printer: Printer, diagnostics: Diagnostics) -> None:
    """The converted image's heaviest ink (C + M + Y + K) within the printer's total."""
    if max_ink > printer.max_total_ink + 0.5:
        diagnostics.warn(
            f"the front image '{Path(image).name}' reaches {max_ink:.0f} % total ink in CMYK, over "
            f"{printer.name}'s {printer.max_total_ink:g} % (colour.max_total_ink)", Location(Path(image)),
            f"Convert it with a CMYK profile (--icc) that limits ink to {printer.max_total_ink:g} %, or "
            "lighten the image's darkest colours.")


def check_back_text_fits(height: float, lines: int, geometry: CoverGeometry, where: Location | None,
                         words: int) -> None:
    """The back text's depth within its box above the barcode zone."""
    _, bottom, _, top = geometry.back_text_box
    room = top - bottom
    if height <= room + 0.01:
        return
    spare = max(1, math.ceil(words * (1 - room / height)))
    raise BooksmithError(
        f"the back-cover text is {format_inches(height)} deep ({lines} lines) but the back cover holds "
        f"{format_inches(room)} above the printer's barcode zone", where,
        f"Shorten it by about {spare} words, or choose a layout with a smaller body size.")
