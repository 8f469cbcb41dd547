"""typeset(): the document tree into a galley of set lines (shaping, hyphenation, Knuth-Plass)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from booksmith.doctree import Book, Chapter
from booksmith.errors import Diagnostic, Diagnostics, Location
from booksmith.fonts import FontChain, FontRegistry, shape
from booksmith.preset import Preset
from booksmith.typeset.blocks import ChapterSetting, typeset_chapter
from booksmith.typeset.footnotes import set_footnotes
from booksmith.typeset.front import contents, front_pages
from booksmith.typeset.headings import chapter_name
from booksmith.typeset.hyphenate import Hyphenator
from booksmith.typeset.items import Piece
from booksmith.typeset.lines import Galley, GalleyChapter, SetLine
from booksmith.typeset.paragraph import ParagraphMemo, TextStyle, TypesetContext, set_display

if TYPE_CHECKING:  # a progress bar is drawn only for a build at a terminal: rich stays out of start-up
    from rich.progress import Progress

FOLIO_CHARACTERS = "0123456789ivxlcdm"


@dataclass(frozen=True)
class SetChapter:
    """A chapter set on its own: its galley without the name and running head the book gives it,
    and the problems setting it found (a chapter kept from an earlier build brings them back)."""

    chapter: GalleyChapter
    diagnostics: tuple[Diagnostic, ...]


class MakeChapter(Protocol):
    """Sets a chapter now, taking the body paragraphs `paragraphs` holds as they were set before."""

    def __call__(self, paragraphs: ParagraphMemo | None = None) -> SetChapter: ...


# Gives a chapter's setting: kept from an earlier build, or made now by calling the function it is
# passed. typeset() knows no cache; the pipeline passes one in, keyed on the book, preset and fonts.
ChapterLookup = Callable[[Chapter, ChapterSetting, MakeChapter], SetChapter]


def typeset(book: Book, preset: Preset, registry: FontRegistry, diagnostics: Diagnostics,
            progress: Progress | None = None, lookup: ChapterLookup | None = None) -> Galley:
    chain = FontChain(registry, preset.fonts.body, preset.fonts.fallback)
    hyphenation = preset.hyphenation
    hyphenator = None
    if hyphenation.enabled:
        hyphenator = Hyphenator(hyphenation.language or book.meta.language, hyphenation.left_min,
                                hyphenation.right_min, hyphenation.min_word)
    features = ("onum",) if preset.body.oldstyle_figures else ()
    context = TypesetContext(preset, chain, hyphenator, diagnostics, book.source, features)
    work = list(zip(book.chapters, _chapter_settings(book, preset, context)))
    chapters = _set_chapters(work, context, progress, lookup)
    heads = {
        "title": _head_line(book.meta.title, preset, context, 1),
        "author": _head_line(book.meta.author or book.meta.title, preset, context, 1),
    }
    meta = book.meta
    set_chapters = tuple(chapters)
    return Galley(front_pages(meta, context), contents(meta, set_chapters, context),
                  set_footnotes(book.footnotes, context), set_chapters, heads,
                  _folio_figures(preset, chain), meta.title, meta.author, meta.language, book.source,
                  _natural_space_em(chain))


def _set_chapters(work: list[tuple[Chapter, ChapterSetting]], context: TypesetContext,
                  progress: Progress | None, lookup: ChapterLookup | None) -> list[GalleyChapter]:
    """Chapters one after another, each from the lookup where there is one (the build cache, or the
    chapters halves.py has set in two processes)."""
    task = progress.add_task("Setting lines", total=len(work)) if progress else None
    done = []
    for chapter, setting in work:
        def make(paragraphs: ParagraphMemo | None = None, chapter: Chapter = chapter,
                 setting: ChapterSetting = setting) -> SetChapter:
            return _set_one(chapter, setting, context, paragraphs)

        found = lookup(chapter, setting, make) if lookup else make()
        context.diagnostics.items.extend(found.diagnostics)
        done.append(replace(found.chapter, name=setting.name, head=setting.head))
        if progress and task is not None:
            progress.advance(task)
    return done


def _set_one(chapter: Chapter, setting: ChapterSetting, context: TypesetContext,
             paragraphs: ParagraphMemo | None) -> SetChapter:
    """A chapter set with problems of its own, so that they can be kept with it."""
    book_diagnostics, context.diagnostics = context.diagnostics, Diagnostics()
    context.paragraphs = paragraphs
    try:
        galley = typeset_chapter(chapter, setting, context)
        found = tuple(context.diagnostics.items)
    finally:
        context.diagnostics = book_diagnostics
        context.paragraphs = None
    return SetChapter(replace(galley, name="", head=None), found)


def _chapter_settings(book: Book, preset: Preset, context: TypesetContext) -> list[ChapterSetting]:
    """Number chapters through the book or within parts; a lone untitled story takes the book's
    title and no number."""
    if len(book.chapters) == 1 and book.chapters[0].title is None and not book.chapters[0].heading:
        chapter = book.chapters[0]
        name = book.meta.title
        return [ChapterSetting(None, name, name, _head_line(name, preset, context, chapter.line))]
    settings = []
    chapter_number = part_number = 0
    for chapter in book.chapters:
        number: int | None = None
        if chapter.kind == "part":
            part_number += 1
            number = part_number
            if preset.chapter.numbering == "part":
                chapter_number = 0
        elif chapter.kind == "chapter":
            chapter_number += 1
            number = chapter_number
        name = chapter_name(chapter, number, preset, book.meta.title)
        head = _head_line(name, preset, context, chapter.line) if chapter.kind != "part" else None
        settings.append(ChapterSetting(number, chapter.title, name, head))
    return settings


def running_head_style(preset: Preset) -> TextStyle:
    heads = preset.running_heads
    return TextStyle(
        size=heads.size,
        measure=preset.measure * 0.8,
        align="center",
        extra_features=("smcp", "c2sc") if heads.style == "smallcaps" else (),
        tracking=heads.letterspacing if heads.style in ("smallcaps", "uppercase") else 0.0,
        uppercase=heads.style == "uppercase",
        style_override={"italic": "italic", "bold": "bold"}.get(heads.style),
    )


def _head_line(text: str, preset: Preset, context: TypesetContext, source_line: int) -> SetLine:
    """A running head is one line: a title too long for it is set on its first line only."""
    lines = set_display(text, running_head_style(preset), context, source_line)
    if len(lines) > 1:
        context.diagnostics.warn(f"the running head '{text}' is too long for one line; only its first "
                                 "line is used", Location(context.source, source_line),
                                 "Shorten the title, or use a smaller running-head size in the preset.")
    return lines[0]


def _natural_space_em(chain: FontChain) -> float:
    face = chain.primary["regular"]
    return shape(face, " ").width / face.upem


def _folio_figures(preset: Preset, chain: FontChain) -> dict[str, Piece]:
    face = chain.primary["regular"]
    features = ("onum",) if preset.body.oldstyle_figures else ("lnum",)
    return {char: Piece(shape(face, char, features), preset.folios.size) for char in FOLIO_CHARACTERS}
