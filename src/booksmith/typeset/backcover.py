"""The back cover's text set as the book's body is: the body font and size, shaped, hyphenated and
broken into lines by the same Knuth-Plass breaker, justified or ragged as the layout says.
Paragraphs are separated by half a line of space rather than indented, as on most back covers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from booksmith.doctree import Paragraph
from booksmith.errors import Diagnostics
from booksmith.fonts import FontChain, FontRegistry
from booksmith.preset import Preset
from booksmith.typeset.hyphenate import Hyphenator
from booksmith.typeset.lines import SetLine
from booksmith.typeset.paragraph import TextStyle, TypesetContext, set_paragraph

PARAGRAPH_GAP = 0.5  # of the leading, between paragraphs
ASCENT = 0.75  # of the size: the first baseline sits this far below the top of the text box
DESCENT = 0.25  # of the size: below the last baseline


@dataclass(frozen=True)
class SetBackText:
    """Lines with the depth of each baseline below the top of the text box, and the whole depth."""

    lines: tuple[tuple[float, SetLine], ...]
    depth: float
    words: int


def set_back_text(paragraphs: tuple[Paragraph, ...], preset: Preset, registry: FontRegistry, language: str,
                  measure: float, source: Path, diagnostics: Diagnostics) -> SetBackText:
    context = _context(preset, registry, language, source, diagnostics)
    style = TextStyle(size=preset.body.size, measure=measure, align=preset.body.align)
    leading = preset.body.leading
    placed: list[tuple[float, SetLine]] = []
    baseline = preset.body.size * ASCENT
    for number, paragraph in enumerate(paragraphs):
        if number:
            baseline += leading * PARAGRAPH_GAP
        for line in set_paragraph(paragraph.inlines, style, 0.0, context, paragraph.line):
            placed.append((baseline, line))
            baseline += leading
    depth = placed[-1][0] + preset.body.size * DESCENT if placed else 0.0
    words = sum(len(paragraph.text.split()) for paragraph in paragraphs)
    return SetBackText(tuple(placed), depth, words)


def _context(preset: Preset, registry: FontRegistry, language: str, source: Path,
             diagnostics: Diagnostics) -> TypesetContext:
    """As the book's body is set (typeset() makes the same one for the interior)."""
    chain = FontChain(registry, preset.fonts.body, preset.fonts.fallback)
    hyphenation = preset.hyphenation
    hyphenator = None
    if hyphenation.enabled:
        hyphenator = Hyphenator(hyphenation.language or language, hyphenation.left_min,
                                hyphenation.right_min, hyphenation.min_word)
    features = ("onum",) if preset.body.oldstyle_figures else ()
    return TypesetContext(preset, chain, hyphenator, diagnostics, source, features)
