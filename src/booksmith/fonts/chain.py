"""Coverage and fallback: which face draws each character, along the preset's fallback families."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from booksmith.fonts.registry import FontFace, FontRegistry

# Characters that steer line breaking but are never drawn.
INVISIBLE = frozenset("\u2060\u00ad\u200b\u200c\u200d\ufeff")


@dataclass(frozen=True)
class MissingGlyph:
    char: str
    faces_tried: tuple[str, ...]

    @property
    def description(self) -> str:
        name = unicodedata.name(self.char, "unnamed character")
        return f"U+{ord(self.char):04X} {name} ('{self.char}')"


class FontChain:
    """A body family and its fallbacks, in every style."""

    def __init__(self, registry: FontRegistry, family: str, fallbacks: tuple[str, ...]) -> None:
        self.primary = {style: registry.face(family, style) for style in
                        ("regular", "italic", "bold", "bolditalic")}
        self.fallbacks: dict[str, list[FontFace]] = {style: [] for style in self.primary}
        for name in fallbacks:
            for style in self.primary:
                found = registry.faces.get((name.casefold(), style)) or registry.faces.get(
                    (name.casefold(), "regular"))
                if found:
                    self.fallbacks[style].append(found)

    def face_runs(self, text: str, style: str) -> tuple[list[tuple[FontFace, str]], list[MissingGlyph]]:
        """Split text into runs drawable by one face each; characters no face has are reported."""
        primary = self.primary[style]
        if primary.covers_all(text) and INVISIBLE.isdisjoint(text):  # most words
            return ([(primary, text)] if text else []), []
        runs: list[tuple[FontFace, str]] = []
        missing: list[MissingGlyph] = []
        for char in text:
            if char in INVISIBLE:
                continue
            face = primary if primary.covers(char) else self._fallback_for(char, style)
            if face is None:
                tried = (primary.key, *(f.key for f in self.fallbacks[style]))
                missing.append(MissingGlyph(char, tried))
                continue
            if runs and runs[-1][0] is face:
                runs[-1] = (face, runs[-1][1] + char)
            else:
                runs.append((face, char))
        return runs, missing

    def _fallback_for(self, char: str, style: str) -> FontFace | None:
        for face in self.fallbacks[style]:
            if face.covers(char):
                return face
        return None
