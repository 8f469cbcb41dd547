"""Output profiles: what differs between the print file and the screen file, and between printers."""

from __future__ import annotations

from dataclasses import dataclass, replace

from booksmith.printers import PageBleed, Printer


@dataclass(frozen=True)
class Profile:
    name: str
    cmyk: bool  # black as pure K (0 0 0 1 k) rather than RGB
    blank_pages: bool  # keep blank versos and end padding (print needs them; a screen reader does not)
    outline: bool  # bookmarks per chapter
    trim_box: bool
    links: bool  # live links (contents entries, URLs); a print file has none
    gray: bool = False  # black as DeviceGray (0 g), for a printer that wants a grayscale interior
    bleed: PageBleed | None = None  # pages grow past the trim by this much (a BleedBox is set)
    image_mode: str = ""  # images converted to "L" (gray) or "CMYK"; "": embedded as they are (RGB)
    marks: bool = False  # crop and bleed marks in a slug around the page, for a proof copy


PRINT = Profile("print", cmyk=True, blank_pages=True, outline=False, trim_box=True, links=False,
                image_mode="CMYK")
SCREEN = Profile("screen", cmyk=False, blank_pages=False, outline=True, trim_box=False, links=True)


def print_profile(printer: Printer | None, bleed: bool, marks: bool = False) -> Profile:
    """The print profile for a printer: its colour space and interior, its bleed when the book has
    bleed, and marks when a proof copy asks for them."""
    if printer is None:
        return replace(PRINT, marks=marks)
    gray = printer.colour_space == "gray"
    return replace(PRINT, cmyk=not gray, gray=gray, bleed=PageBleed.of(printer) if bleed else None,
                   image_mode="L" if printer.interior == "black-and-white" else "CMYK", marks=marks)
