"""Fonts: the registry (family/style to face), coverage and fallback, shaping with a per-word cache."""

from booksmith.fonts.chain import FontChain, MissingGlyph
from booksmith.fonts.registry import STYLES, FontFace, FontRegistry
from booksmith.fonts.shaping import Glyphs, ShapedRun, run_glyphs, shape

__all__ = ["STYLES", "FontChain", "FontFace", "FontRegistry", "Glyphs", "MissingGlyph", "ShapedRun",
           "run_glyphs", "shape"]
