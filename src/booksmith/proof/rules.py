"""Printer rules: the limits a printer sets and how seriously it takes each check, as data.

There is one rule set per printer (or purpose); `generic` is the default and holds the limits most
print-on-demand printers publish for book interiors; `kdp`, `ingramspark` and `lulu` are read from
the printer profiles in printers/ that `booksmith build --printer` uses. A printer that wants
something else is a new entry in RULE_SETS made with dataclasses.replace(GENERIC_PRINT, ...):
changed limits, and in `severities` a different severity for a check, or None to switch it off.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from booksmith.errors import BooksmithError, Severity
from booksmith.printers import load_printer, printer_names

from .catalogue import CHECKS

INCH = 72.0


@dataclass(frozen=True)
class Gutter:
    """The least inside margin for books of up to `pages` pages."""

    pages: int
    inside: float


@dataclass(frozen=True)
class PrinterRules:
    name: str
    description: str
    checked: str  # when and against what the limits were last checked
    print_file: bool = True
    severities: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    max_total_ink: float = 300.0  # percent
    image_ppi_warning: float = 300.0  # below this an image is reported as a warning
    image_ppi_error: float = 150.0  # and below this as an error
    min_margin: float = 0.25 * INCH  # top, bottom and outside, from the trim to any text
    gutter: tuple[Gutter, ...] = ()  # the least inside margin by page count (first that fits)
    bleed: float = 0.125 * INCH  # bleed past the trim where a page has bleed
    even_page_count: bool = True
    min_pages: int | None = None
    max_pages: int | None = None
    trim_sizes: tuple[tuple[float, float], ...] = ()  # allowed (width, height); empty: any
    pdfx: str = ""  # the GTS_PDFXVersion a printer requires ("PDF/X-1a:2001"); "": not required
    pdfx_accepted: tuple[str, ...] = ()  # other versions the printer also takes ("PDF/X-4")

    def severity(self, check_id: str) -> Severity | None:
        """This printer's severity for a check, or None when the check does not apply."""
        if check_id in self.severities:
            return self.severities[check_id]
        return CHECKS[check_id].severity

    def inside_margin(self, page_count: int) -> float:
        for step in self.gutter:
            if page_count <= step.pages:
                return step.inside
        return self.gutter[-1].inside if self.gutter else self.min_margin


GENERIC_PRINT = PrinterRules(
    name="generic",
    description="A print-on-demand book interior: CMYK or grey only, fonts embedded, 300 ppi images, "
    "0.25 in from the trim to any text, a gutter that grows with the page count, an even "
    "page count.",
    checked="not against one printer: the common ground of print-on-demand interior guides, until "
    "printer profiles name their own limits and dates",
    gutter=(
        Gutter(150, 0.375 * INCH),
        Gutter(300, 0.5 * INCH),
        Gutter(500, 0.625 * INCH),
        Gutter(700, 0.75 * INCH),
        Gutter(10_000, 0.875 * INCH),
    ),
)

# Reading on a screen: colour, links and page boxes do not matter; fonts and typography still do.
SCREEN = PrinterRules(
    name="screen",
    description="A PDF for reading on a screen: no colour, box, ink, margin or page-count rules.",
    checked="not a printer",
    print_file=False,
    severities=MappingProxyType(
        {
            "font-not-embedded": Severity.WARNING,
            "colour-rgb": None,
            "colour-spot": None,
            "rich-black-text": None,
            "total-ink": None,
            "transparency": None,
            "annotation": None,
            "page-boxes": None,
            "safe-area": None,
            "page-count": None,
            "pdfx": None,
            "hyphen-page-foot": None,
            "uneven-spread": None,
            "blank-pages": None,
        }
    ),
    image_ppi_warning=96.0,
    image_ppi_error=72.0,
    even_page_count=False,
)



def from_printer_profile(name: str) -> PrinterRules:
    """The rules of a printer profile (printers/<name>.json, the same data `booksmith build --printer`
    fits a book to), with the generic severities."""
    printer = load_printer(name)
    return replace(
        GENERIC_PRINT,
        name=printer.name,
        description=printer.description,
        checked=f"the dated figures of {Path(printer.source).name}",
        max_total_ink=printer.max_total_ink,
        image_ppi_warning=printer.min_image_ppi,
        min_margin=printer.min_margin,
        gutter=tuple(Gutter(band.max_pages, band.inside) for band in printer.gutter),
        bleed=printer.bleed,
        even_page_count=printer.even_pages,
        min_pages=printer.min_pages,
        max_pages=printer.max_pages,
        trim_sizes=printer.trim_sizes,
        pdfx=printer.pdfx_version,
        pdfx_accepted=tuple(version for version in printer.pdfx_accepted if version),
    )


RULE_SETS: dict[str, PrinterRules] = {
    rules.name: rules
    for rules in (GENERIC_PRINT, SCREEN, *(from_printer_profile(name) for name in printer_names()))
}


def rules_named(name: str) -> PrinterRules:
    try:
        return RULE_SETS[name]
    except KeyError:
        raise BooksmithError(
            f"no printer rules named {name!r}", hint=f"Choose one of: {', '.join(sorted(RULE_SETS))}."
        ) from None
