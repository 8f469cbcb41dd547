"""The font registry: family and style to a TrueType face, with coverage and metrics.

Faces are read with uharfbuzz (the only importer of uharfbuzz is this package). Only glyf-outline
TrueType is accepted, because the renderer (ReportLab) can embed nothing else.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import uharfbuzz as hb

from booksmith.errors import BooksmithError, Location

STYLES = ("regular", "italic", "bold", "bolditalic")


@dataclass(eq=False)
class FontFace:
    """One font file. Identity is the PostScript name, which is also its name in the PDF."""

    key: str
    path: Path
    family: str
    style: str
    hb_face: hb.Face = field(repr=False)

    @cached_property
    def hb_font(self) -> hb.Font:
        return hb.Font(self.hb_face)

    @cached_property
    def upem(self) -> int:
        return self.hb_face.upem

    @cached_property
    def unicodes(self) -> frozenset[int]:
        return frozenset(self.hb_face.unicodes)

    def covers(self, char: str) -> bool:
        return ord(char) in self.unicodes

    @cached_property
    def characters(self) -> frozenset[str]:
        """The characters the face has glyphs for, to test a word at once (covers_all)."""
        return frozenset(map(chr, self.unicodes))

    def covers_all(self, text: str) -> bool:
        return self.characters.issuperset(text)

    @cached_property
    def ascender(self) -> int:
        return self.hb_font.get_font_extents("ltr").ascender

    @cached_property
    def descender(self) -> int:
        return self.hb_font.get_font_extents("ltr").descender

    @cached_property
    def cap_height(self) -> int:
        glyph = self.hb_font.get_nominal_glyph(ord("H"))
        extents = self.hb_font.get_glyph_extents(glyph) if glyph else None
        return extents.y_bearing if extents else int(self.upem * 0.66)

    def __reduce__(self) -> tuple:
        return (open_face, (self.path,))

    def glyph_advance(self, gid: int) -> int:
        return self.hb_font.get_glyph_h_advance(gid)

    def nominal_glyph(self, char: str) -> int | None:
        return self.hb_font.get_nominal_glyph(ord(char))


class FontRegistry:
    """All faces found in the font folders, by (family, style)."""

    def __init__(self, folders: list[Path]) -> None:
        self.faces: dict[tuple[str, str], FontFace] = {}
        self.by_key: dict[str, FontFace] = {}
        for folder in folders:
            for path in sorted(folder.rglob("*.ttf")) + sorted(folder.rglob("*.otf")):
                self._add(path)

    def _add(self, path: Path) -> None:
        face = open_face(path)
        self.faces.setdefault((face.family.casefold(), face.style), face)
        self.by_key.setdefault(face.key, face)

    def families(self) -> list[str]:
        return sorted({face.family for face in self.faces.values()})

    def face(self, family: str, style: str, where: Location | None = None) -> FontFace:
        found = self.faces.get((family.casefold(), style))
        if found:
            return found
        if any(fam == family.casefold() for fam, _ in self.faces):
            have = sorted(s for fam, s in self.faces if fam == family.casefold())
            raise BooksmithError(
                f"the font family '{family}' has no {style} style (it has: {', '.join(have)})",
                where,
                f"Add the {style} TrueType file of '{family}' to fonts/, or choose another family.",
            )
        nearest = difflib.get_close_matches(family, self.families(), n=1)
        hint = f"Did you mean '{nearest[0]}'? " if nearest else ""
        raise BooksmithError(
            f"no font family named '{family}' is installed",
            where,
            f"{hint}Families in fonts/: {', '.join(self.families())}.",
        )


_opened: dict[Path, FontFace] = {}


def open_face(path: Path) -> FontFace:
    """The face in a font file, opened once per process: a face sent between processes (pickled)
    comes back as the very object the receiving process already uses."""
    path = Path(path)
    found = _opened.get(path.resolve())
    if found is None:
        found = _opened[path.resolve()] = _read_face(path)
    return found


def _read_face(path: Path) -> FontFace:
    try:
        blob = hb.Blob.from_file_path(str(path))
    except Exception:  # uharfbuzz raises plain exceptions for unreadable files
        raise BooksmithError("the font file cannot be read", Location(path),
                             "Check that it exists and is readable.") from None
    face = hb.Face(blob)
    if face.glyph_count == 0 or face.upem == 0:
        raise BooksmithError("this file is not a font", Location(path),
                             "Replace it with a TrueType (.ttf) font file.")
    if len(face.reference_table("glyf")) == 0:
        raise BooksmithError(
            "this font has CFF (PostScript) outlines, which cannot be embedded in the PDF",
            Location(path),
            "Use the TrueType (glyf) version of the family, usually the .ttf download.",
        )
    family = face.get_name(16) or face.get_name(1) or path.stem
    subfamily = (face.get_name(17) or face.get_name(2) or "Regular").casefold()
    key = face.get_name(6) or path.stem
    return FontFace(key=key, path=path, family=family, style=_style_of(subfamily), hb_face=face)


def _style_of(subfamily: str) -> str:
    bold = "bold" in subfamily or "black" in subfamily or "heavy" in subfamily
    italic = "italic" in subfamily or "oblique" in subfamily
    return ("bold" if bold else "") + ("italic" if italic else "") or "regular"
