"""Output profiles: what differs between the print file and the screen file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    cmyk: bool  # black as pure K (0 0 0 1 k) rather than RGB
    blank_pages: bool  # keep blank versos and end padding (print needs them; a screen reader does not)
    outline: bool  # bookmarks per chapter
    trim_box: bool
    links: bool  # live links (contents entries, URLs); a print file has none


PRINT = Profile("print", cmyk=True, blank_pages=True, outline=False, trim_box=True, links=False)
SCREEN = Profile("screen", cmyk=False, blank_pages=False, outline=True, trim_box=False, links=True)
