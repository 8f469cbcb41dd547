"""paginate(): the galley into pages (page breaks, recto starts, blank versos, numbering, running
heads and folios), in absolute points."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from booksmith.errors import Diagnostics
from booksmith.pagemodel import PageModel
from booksmith.paginate.flow import PageSlice
from booksmith.paginate.sequence import PageSequence, opening_labels
from booksmith.preset import Preset
from booksmith.typeset.lines import Galley

# a chapter's page breaks, by its place in the galley
Breaks = Mapping[int, tuple[PageSlice, ...]]


def paginate(galley: Galley, preset: Preset, diagnostics: Diagnostics,
             broken: Breaks | None = None) -> PageModel:
    """Chapters are broken into pages first: their page numbers do not depend on the front matter
    (arabic numbering starts at the first chapter, which opens on a recto), and the contents in the
    front matter needs them. `broken` holds chapters already broken into pages (chapter_breaks)."""
    sequence = PageSequence(galley, preset, diagnostics)
    broken = broken or {}
    plans = [sequence.plan(chapter, broken.get(index)) for index, chapter in enumerate(galley.chapters)]
    sequence.front_matter(opening_labels(plans, preset.chapter.recto))
    for index, (chapter, plan) in enumerate(zip(galley.chapters, plans)):
        sequence.chapter(index, chapter, plan)
    return sequence.finish()


def chapter_breaks(galley: Galley, preset: Preset,
                   indexes: Iterable[int]) -> dict[int, tuple[PageSlice, ...]]:
    """The page breaks of these chapters of the galley. A chapter's breaks depend on nothing before
    or after it (it opens on a page of its own), so chapters may be broken apart, in two processes
    at once, and their breaks handed to paginate()."""
    sequence = PageSequence(galley, preset, Diagnostics())
    return {index: tuple(sequence.plan(galley.chapters[index]).slices) for index in indexes}
