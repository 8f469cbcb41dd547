"""paginate(): the galley into pages (page breaks, recto starts, blank versos, numbering, running
heads and folios), in absolute points."""

from __future__ import annotations

from booksmith.errors import Diagnostics
from booksmith.pagemodel import PageModel
from booksmith.paginate.sequence import PageSequence, opening_labels
from booksmith.preset import Preset
from booksmith.typeset.lines import Galley


def paginate(galley: Galley, preset: Preset, diagnostics: Diagnostics) -> PageModel:
    """Chapters are broken into pages first: their page numbers do not depend on the front matter
    (arabic numbering starts at the first chapter, which opens on a recto), and the contents in the
    front matter needs them."""
    sequence = PageSequence(galley, preset, diagnostics)
    plans = [sequence.plan(chapter) for chapter in galley.chapters]
    sequence.front_matter(opening_labels(plans, preset.chapter.recto))
    for index, (chapter, plan) in enumerate(zip(galley.chapters, plans)):
        sequence.chapter(index, chapter, plan)
    return sequence.finish()
