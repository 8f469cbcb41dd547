"""paginate(): the galley into pages (page breaks, recto starts, blank versos, numbering, running
heads and folios), in absolute points."""

from __future__ import annotations

from booksmith.errors import Diagnostics
from booksmith.pagemodel import PageModel
from booksmith.paginate.sequence import PageSequence
from booksmith.preset import Preset
from booksmith.typeset.lines import Galley


def paginate(galley: Galley, preset: Preset, diagnostics: Diagnostics) -> PageModel:
    sequence = PageSequence(galley, preset, diagnostics)
    sequence.front_matter()
    for index, chapter in enumerate(galley.chapters):
        sequence.chapter(index, chapter)
    return sequence.finish()
