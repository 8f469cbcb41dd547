"""The build cache: whatever it keeps, a build gives the bytes a cold build gives, and a change to the
manuscript, preset, fonts, images or engine sets again exactly what it changes.

Each test has its own cache folder (BOOKSMITH_CACHE_DIR, set as a user would). Most build a small
book written here; the byte-for-byte comparisons also build the sample novella.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import fields, replace
from pathlib import Path

import pytest
from PIL import Image

import booksmith
from booksmith import cache, halves
from booksmith.cli import main
from booksmith.doctree import Book
from booksmith.errors import Diagnostics
from booksmith.fonts import FontChain, FontRegistry
from booksmith.manuscript import ManuscriptOptions, parse_manuscript
from booksmith.pipeline import BuildOptions, BuildResult, _font_folders, build, build_many
from booksmith.preset import load_preset
from booksmith.resources import fonts_dir
from booksmith.typeset import _chapter_settings, hyphenate
from booksmith.typeset.blocks import typeset_chapter
from booksmith.typeset.hyphenate import Hyphenator
from booksmith.typeset.paragraph import TypesetContext

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "manuscripts" / "the-lighthouse-keepers-daughter.md"

WORDS = ["the", "keeper", "climbed", "the", "tower", "stair", "at", "dusk", "and", "trimmed", "the",
         "wick", "while", "the", "weather", "turned", "grey", "over", "the", "northern", "water", "and",
         "the", "lamp", "threw", "its", "two", "white", "flashes", "every", "fifteen", "seconds", "across",
         "the", "shipping", "lanes", "where", "the", "trawlers", "worked", "through", "the", "long",
         "autumn", "nights"]


def paragraph(seed: int, words: int = 70) -> str:
    text = " ".join(WORDS[(seed * 7 + index * 3) % len(WORDS)] for index in range(words))
    return text[0].upper() + text[1:] + "."


PARAGRAPHS = 6  # in each chapter: enough to run on past its opening page, under running heads


def small_book(layout: str = "") -> str:
    """Three chapters; `layout` is the front matter's layout entry, if any."""
    chapters = []
    for number, title in enumerate(("The Lamp", "The Storm", "The Boat")):
        body = "\n\n".join(paragraph(number * PARAGRAPHS + index) for index in range(PARAGRAPHS))
        chapters.append(f"# {title}\n\n{body}\n")
    front = f"---\ntitle: A Cache Test\nauthor: A. Tester\n{layout}---\n\n"
    return front + "\n".join(chapters)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BOOKSMITH_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "book" / "book.md"
    path.parent.mkdir()
    path.write_text(small_book(), encoding="utf-8")
    return path


def build_to(manuscript: Path, out: Path, use_cache: bool = True) -> BuildResult:
    return build(manuscript, BuildOptions(out_dir=out, cache=use_cache))


def pdfs(result: BuildResult) -> tuple[bytes, bytes]:
    return result.print_pdf.path.read_bytes(), result.screen_pdf.path.read_bytes()


def counts(result: BuildResult) -> cache.CacheCounts:
    assert result.cache is not None
    return result.cache


def forget_whole_builds(cache_dir: Path) -> None:
    """Leave only the set chapters, so that the next build sets its book from them."""
    shutil.rmtree(cache_dir / "books")


def _galley(manuscript: Path) -> object:
    """The galley of a book set with the chapters its cache keeps."""
    from booksmith.typeset import typeset

    book = parse_manuscript(manuscript, Diagnostics(), ManuscriptOptions())
    preset = load_preset(book.meta.layout or "novel-6x9", book.meta.layout_overrides, manuscript)
    registry = FontRegistry(_font_folders(manuscript))
    store = cache.BuildCache().chapters(book, preset, registry)
    galley = typeset(book, preset, registry, Diagnostics(), lookup=store)
    assert store.cache.counts.chapters_set == 0
    return galley


def chapter_lines(manuscript: Path) -> list[int]:
    book = parse_manuscript(manuscript, Diagnostics(), ManuscriptOptions())
    return [chapter.line for chapter in book.chapters]


# -- where the cache is ------------------------------------------------------------------------------


def test_the_cache_folder_is_booksmith_cache_dir_else_xdg_cache_home_else_the_home_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("BOOKSMITH_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert cache.cache_folder() == tmp_path / "home" / ".cache" / "booksmith"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_folder() == tmp_path / "xdg" / "booksmith"
    monkeypatch.setenv("BOOKSMITH_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_folder() == tmp_path / "mine"


# -- the bytes ----------------------------------------------------------------------------------------


def test_a_build_from_the_cache_writes_the_bytes_of_a_cold_build(cache_dir: Path, tmp_path: Path) -> None:
    cold = build_to(SAMPLE, tmp_path / "cold", use_cache=False)
    assert cold.cache is None
    first = build_to(SAMPLE, tmp_path / "first")
    chapters = len(chapter_lines(SAMPLE))
    assert (counts(first).chapters_kept, counts(first).chapters_set) == (0, chapters)
    again = build_to(SAMPLE, tmp_path / "again")
    assert counts(again).book_kept
    forget_whole_builds(cache_dir)
    from_chapters = build_to(SAMPLE, tmp_path / "from-chapters")
    assert (counts(from_chapters).chapters_kept, counts(from_chapters).chapters_set) == (chapters, 0)
    assert not counts(from_chapters).book_kept
    for result in (first, again, from_chapters):
        assert pdfs(result) == pdfs(cold)
        assert counts(result).broken_entries == 0
        assert result.print_pdf.pages == cold.print_pdf.pages
        assert result.summary == cold.summary
        assert [str(item) for item in result.diagnostics.items] == [
            str(item) for item in cold.diagnostics.items]


def test_a_build_for_a_printer_from_the_cache_writes_the_bytes_of_a_cold_build(
        cache_dir: Path, tmp_path: Path) -> None:
    """IngramSpark: the gutter chosen by page count (a layout pass for each gutter tried, each with
    its own chapters) and the PDF/X post-pass."""
    def build_for_printer(out: str, use_cache: bool = True) -> BuildResult:
        return build(SAMPLE, BuildOptions(out_dir=tmp_path / out, printer="ingramspark", cache=use_cache))

    cold = build_for_printer("cold", use_cache=False)
    assert cold.pdfx
    first = build_for_printer("first")
    again = build_for_printer("again")
    forget_whole_builds(cache_dir)
    from_chapters = build_for_printer("from-chapters")
    assert counts(again).book_kept
    assert counts(from_chapters).chapters_set == 0
    assert counts(from_chapters).chapters_kept == len(chapter_lines(SAMPLE)) * cold.layout_passes
    for result in (first, again, from_chapters):
        assert pdfs(result) == pdfs(cold)
        assert (result.pdfx, result.inside_margin, result.layout_passes) == (
            cold.pdfx, cold.inside_margin, cold.layout_passes)


def test_an_edited_paragraph_sets_only_its_own_chapter_again(cache_dir: Path, book: Path,
                                                            tmp_path: Path) -> None:
    build_to(book, tmp_path / "before")
    text = book.read_text(encoding="utf-8")
    second_chapter_paragraph = paragraph(PARAGRAPHS + 1)
    assert text.count(second_chapter_paragraph) == 1
    book.write_text(text.replace(second_chapter_paragraph, "A new opening. " + second_chapter_paragraph),
                    encoding="utf-8")
    edited = build_to(book, tmp_path / "after")
    assert counts(edited).set_at == [chapter_lines(book)[1]]
    assert counts(edited).chapters_kept == 2
    assert (counts(edited).breaks_kept, counts(edited).breaks_found) == (2, 1), "only its pages found again"
    assert (counts(edited).drawings_kept, counts(edited).drawings_made) == (2, 1), "only its lines drawn"
    assert pdfs(edited) == pdfs(build_to(book, tmp_path / "cold", use_cache=False))


def test_kept_chapters_without_kept_drawings_are_drawn_from_their_kept_lines(
        cache_dir: Path, book: Path, tmp_path: Path) -> None:
    """A chapter read from the cache makes its lines' pieces only when they are wanted: with its
    drawn lines gone, they are, and the PDFs are a cold build's; the galley equals a cold one."""
    from booksmith.typeset import typeset

    build_to(book, tmp_path / "first")
    forget_whole_builds(cache_dir)
    shutil.rmtree(cache_dir / "drawn")
    again = build_to(book, tmp_path / "again")
    kept_counts = counts(again)
    assert (kept_counts.chapters_kept, kept_counts.drawings_kept, kept_counts.drawings_made) == (3, 0, 3)
    assert pdfs(again) == pdfs(build_to(book, tmp_path / "cold", use_cache=False))
    kept = _galley(book)
    parsed = parse_manuscript(book, Diagnostics(), ManuscriptOptions())
    cold = typeset(parsed, load_preset("novel-6x9"), FontRegistry(_font_folders(book)), Diagnostics())
    assert kept.chapters == cold.chapters  # type: ignore[attr-defined]


def test_hyphenation_patterns_are_kept_and_given_back_to_pyphen_as_it_reads_them(
        cache_dir: Path, book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading pyphen's dictionary (0.06 s) was on the way to the chapter an edit sets: a build keeps
    the patterns it read, and the next hands them to pyphen, which then hyphenates as from its file;
    an entry that is not sound is ignored."""
    words = ["hyphenation", "Elizabeth", "extraordinary", "wonderfully", "acknowledgement"]

    def forget_pyphen() -> None:  # the dictionaries this process has read
        monkeypatch.setattr(hyphenate.pyphen, "hdcache", {})
        hyphenate._dictionary.cache_clear()

    forget_pyphen()
    from_file = [Hyphenator("en-GB", 2, 3, 5).points(word) for word in words]
    build_to(book, tmp_path / "first")
    parsed = parse_manuscript(book, Diagnostics(), ManuscriptOptions())
    store = cache.BuildCache().chapters(parsed, load_preset("novel-6x9"), FontRegistry([fonts_dir()]))
    forget_pyphen()
    store.give_patterns()
    assert len(hyphenate.pyphen.hdcache) == 1, "given before any word is hyphenated"
    assert [Hyphenator("en-GB", 2, 3, 5).points(word) for word in words] == from_file
    assert any(from_file)
    entry = next((cache_dir / "patterns").iterdir())
    entry.write_bytes(entry.read_bytes()[:100])
    forget_pyphen()
    store.give_patterns()
    assert hyphenate.pyphen.hdcache == {} and store.cache.counts.broken_entries == 1


def test_lines_are_drawn_again_when_the_text_gains_a_glyph_and_not_for_the_page_furniture(
        cache_dir: Path, book: Path, tmp_path: Path) -> None:
    """A line's drawing holds its glyphs' codes, which the book's text fixes (the page furniture's
    own glyphs come after): a title with letters the text never uses (on the title page and in the
    running heads) keeps every chapter's drawn lines; a paragraph that brings the text a new letter
    draws every line again. Each build writes a cold build's bytes."""
    build_to(book, tmp_path / "before")
    text = book.read_text(encoding="utf-8")
    assert "z" not in text.lower() and "q" not in text.lower()
    book.write_text(text.replace("title: A Cache Test", "title: A Quiz"), encoding="utf-8")
    retitled = build_to(book, tmp_path / "retitled")
    kept = counts(retitled)
    assert (kept.chapters_kept, kept.drawings_kept, kept.drawings_made) == (3, 3, 0)
    assert pdfs(retitled) == pdfs(build_to(book, tmp_path / "retitled-cold", use_cache=False))
    first_paragraph = paragraph(0)
    book.write_text(book.read_text(encoding="utf-8").replace(first_paragraph, first_paragraph + " A zebra."),
                    encoding="utf-8")
    zebra = build_to(book, tmp_path / "zebra")
    drawn = counts(zebra)
    assert (drawn.chapters_kept, drawn.drawings_kept, drawn.drawings_made) == (2, 0, 3)
    assert pdfs(zebra) == pdfs(build_to(book, tmp_path / "zebra-cold", use_cache=False))


def test_a_chapter_set_again_takes_its_unchanged_paragraphs_as_its_last_version_set_them(
        cache_dir: Path, book: Path, tmp_path: Path) -> None:
    """An edit sets its chapter again, but of its body paragraphs only the edited one: the others
    (all but the first, which opens the chapter with a drop cap) come as the chapter's last version
    set them, also after the edited one has moved them down. The PDFs are a cold build's."""
    build_to(book, tmp_path / "before")
    text = book.read_text(encoding="utf-8")
    edited = paragraph(PARAGRAPHS + 3)
    book.write_text(text.replace(edited, edited + " A sentence more,\nover two source lines."),
                    encoding="utf-8")
    rebuilt = build_to(book, tmp_path / "after")
    assert counts(rebuilt).set_at == [chapter_lines(book)[1]]
    assert counts(rebuilt).paragraphs_kept == PARAGRAPHS - 2
    assert pdfs(rebuilt) == pdfs(build_to(book, tmp_path / "cold", use_cache=False))


def test_a_paragraph_that_gave_a_warning_is_set_again_and_its_warning_names_its_new_line(
        cache_dir: Path, book: Path, tmp_path: Path) -> None:
    text = book.read_text(encoding="utf-8")
    warned = paragraph(PARAGRAPHS + 4)
    book.write_text(text.replace(warned, warned + " " + "1234567890" * 9), encoding="utf-8")
    first = build_to(book, tmp_path / "before")
    assert [item.location.line for item in first.diagnostics.items if item.location] == [30]
    second = paragraph(PARAGRAPHS + 1)
    book.write_text(book.read_text(encoding="utf-8").replace(second, second + "\n\nAn added paragraph."),
                    encoding="utf-8")
    rebuilt = build_to(book, tmp_path / "after")
    assert counts(rebuilt).paragraphs_kept == PARAGRAPHS - 2, "all but the drop-capped and the warned"
    assert [item.location.line for item in rebuilt.diagnostics.items if item.location] == [32]
    assert pdfs(rebuilt) == pdfs(build_to(book, tmp_path / "cold", use_cache=False))


def test_a_paragraph_added_moves_the_chapters_after_it_but_sets_only_its_own(
        cache_dir: Path, book: Path, tmp_path: Path) -> None:
    build_to(book, tmp_path / "before")
    lines_before = chapter_lines(book)
    text = book.read_text(encoding="utf-8")
    edited = paragraph(PARAGRAPHS + 1)
    book.write_text(text.replace(edited, edited + "\n\nA new paragraph.\nOver two lines."), encoding="utf-8")
    lines_after = chapter_lines(book)
    assert lines_after[2] == lines_before[2] + 3
    added = build_to(book, tmp_path / "after")
    assert counts(added).set_at == [lines_after[1]]
    cold = build_to(book, tmp_path / "cold", use_cache=False)
    assert pdfs(added) == pdfs(cold)
    assert [chapter.source_line for chapter in _galley(book).chapters] == lines_after


# -- what invalidates what ----------------------------------------------------------------------------


def test_a_changed_body_size_sets_every_chapter_again(cache_dir: Path, book: Path, tmp_path: Path) -> None:
    build_to(book, tmp_path / "before")
    book.write_text(small_book("layout:\n  extends: novel-6x9\n  body:\n    size: 12pt\n"), encoding="utf-8")
    bigger = build_to(book, tmp_path / "after")
    assert (counts(bigger).chapters_kept, counts(bigger).chapters_set) == (0, 3)
    assert pdfs(bigger) == pdfs(build_to(book, tmp_path / "cold", use_cache=False))


def test_changed_widows_keep_every_set_chapter_but_break_each_into_pages_again(
        cache_dir: Path, tmp_path: Path) -> None:
    """Widows are a rule of page breaking only: no chapter is set again, every chapter's page breaks
    are found again, and a footnote edited later does the same (its height comes to its page)."""
    manuscript = tmp_path / "notes" / "book.md"
    manuscript.parent.mkdir()
    text = small_book().replace("# The Storm\n\n", "# The Storm\n\nA line with a note.[^1]\n\n")
    manuscript.write_text(text + "\n[^1]: The first wording of the note.\n", encoding="utf-8")
    first = build_to(manuscript, tmp_path / "first")
    assert (counts(first).chapters_set, counts(first).breaks_found) == (3, 3)
    layout = "layout:\n  extends: novel-6x9\n  pages:\n    widows: 3\n"
    manuscript.write_text(manuscript.read_text(encoding="utf-8").replace(
        "title: A Cache Test\n", "title: A Cache Test\n" + layout), encoding="utf-8")
    widows = build_to(manuscript, tmp_path / "widows")
    assert (counts(widows).chapters_kept, counts(widows).breaks_kept, counts(widows).breaks_found) == (
        3, 0, 3)
    assert pdfs(widows) == pdfs(build_to(manuscript, tmp_path / "cold", use_cache=False))
    manuscript.write_text(manuscript.read_text(encoding="utf-8").replace(
        "The first wording of the note.", "A note now long enough " * 12), encoding="utf-8")
    noted = build_to(manuscript, tmp_path / "noted")
    assert (counts(noted).chapters_kept, counts(noted).breaks_kept, counts(noted).breaks_found) == (3, 0, 3)
    assert pdfs(noted) == pdfs(build_to(manuscript, tmp_path / "cold-noted", use_cache=False))
    forget_whole_builds(cache_dir)
    again = build_to(manuscript, tmp_path / "again")
    assert (counts(again).breaks_kept, counts(again).breaks_found) == (3, 0)
    assert pdfs(again) == pdfs(noted)


def test_a_changed_running_head_style_sets_no_chapter_again_yet_reaches_the_pages(
        cache_dir: Path, book: Path, tmp_path: Path) -> None:
    """Running heads are set for the book, not inside a chapter: a new style re-sets the heads only."""
    before = build_to(book, tmp_path / "before")
    book.write_text(small_book("layout:\n  extends: novel-6x9\n  running_heads:\n    style: italic\n"),
                    encoding="utf-8")
    italic = build_to(book, tmp_path / "after")
    assert (counts(italic).chapters_kept, counts(italic).chapters_set) == (3, 0)
    assert not counts(italic).book_kept
    assert pdfs(italic) != pdfs(before)
    assert pdfs(italic) == pdfs(build_to(book, tmp_path / "cold", use_cache=False))


RICH_BOOK = """---
title: Every Kind of Block
layout:
  extends: novel-6x9
  chapter:
    opening: smallcaps
---

# Blocks

{p0}

> {p1}
>
> > {p2}

* * *

{p3}[^1]

1. {p4}
2. Second item.

| Name | Light |
|------|------:|
| Skerrow | two white |
| Ness | one red |

Verse follows.

    The lamp is lit, the glass is clean,
    the sea is loud, the night is long.

[^1]: A note at the foot of the page.

# Part Two: Afterwards

# More

{p5}
"""


def test_setting_a_chapter_reads_none_of_the_preset_sections_its_key_leaves_out(tmp_path: Path) -> None:
    """The chapter key leaves out running heads, folios, page rules and front matter; setting every
    chapter of two books with those sections removed from the preset shows it never reads them."""
    rich = tmp_path / "rich.md"
    rich.write_text(RICH_BOOK.format(**{f"p{n}": paragraph(n) for n in range(6)}), encoding="utf-8")
    for manuscript in (SAMPLE, rich):
        diagnostics = Diagnostics()
        book = parse_manuscript(manuscript, diagnostics, ManuscriptOptions())
        preset = load_preset(book.meta.layout or "novel-6x9", book.meta.layout_overrides, manuscript)
        context = _context(book, preset, FontRegistry(_font_folders(manuscript)), diagnostics)
        settings = _chapter_settings(book, preset, context)
        stripped = replace(context, preset=cache.typesetting_preset(preset))
        assert stripped.preset.running_heads is None and stripped.preset.folios is None
        for chapter, setting in zip(book.chapters, settings):
            with_all = typeset_chapter(chapter, setting, context)
            assert typeset_chapter(chapter, setting, stripped) == with_all


def _context(book: Book, preset: object, registry: FontRegistry, diagnostics: Diagnostics) -> TypesetContext:
    """The context typeset() makes for a book."""
    hyphenation = preset.hyphenation  # type: ignore[attr-defined]
    hyphenator = Hyphenator(hyphenation.language or book.meta.language, hyphenation.left_min,
                            hyphenation.right_min, hyphenation.min_word)
    chain = FontChain(registry, preset.fonts.body, preset.fonts.fallback)  # type: ignore[attr-defined]
    features = ("onum",) if preset.body.oldstyle_figures else ()  # type: ignore[attr-defined]
    return TypesetContext(preset, chain, hyphenator, diagnostics, book.source, features)  # type: ignore[arg-type]


def flip_head_checksum(font: Path) -> None:
    """Change one byte of a TrueType file without breaking it: the checksum adjustment in its 'head'
    table, which readers do not check."""
    data = bytearray(font.read_bytes())
    tables = int.from_bytes(data[4:6], "big")
    for entry in range(12, 12 + 16 * tables, 16):
        if data[entry : entry + 4] == b"head":
            offset = int.from_bytes(data[entry + 8 : entry + 12], "big")
            data[offset + 8] ^= 0xFF
            font.write_bytes(bytes(data))
            return
    raise AssertionError(f"{font} has no head table")


def test_a_changed_font_file_sets_every_chapter_again(cache_dir: Path, book: Path, tmp_path: Path) -> None:
    local_fonts = book.parent / "fonts"
    shutil.copytree(fonts_dir() / "eb-garamond", local_fonts)
    before = build_to(book, tmp_path / "before")
    assert counts(before).chapters_set == 3
    assert counts(build_to(book, tmp_path / "same")).book_kept
    regular = next(path for path in local_fonts.glob("*.ttf") if "Regular" in path.name)
    flip_head_checksum(regular)
    changed = build_to(book, tmp_path / "after")
    assert (counts(changed).chapters_kept, counts(changed).chapters_set) == (0, 3)
    assert not counts(changed).book_kept
    assert pdfs(changed) == pdfs(build_to(book, tmp_path / "cold", use_cache=False))


def test_a_new_booksmith_version_sets_every_chapter_again(cache_dir: Path, book: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    build_to(book, tmp_path / "before")
    monkeypatch.setattr(booksmith, "__version__", booksmith.__version__ + ".post1")
    newer = build_to(book, tmp_path / "after")
    assert (counts(newer).chapters_kept, counts(newer).chapters_set, counts(newer).book_kept) == (0, 3, False)


def test_the_engine_digest_of_chapters_follows_the_typesetting_code_and_not_the_renderer(
        tmp_path: Path) -> None:
    copy = tmp_path / "booksmith"
    shutil.copytree(cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    original = cache.read_code(copy)
    assert original.chapter_digest == cache.read_code(cache.PACKAGE).chapter_digest
    with (copy / "render" / "pdf.py").open("a", encoding="utf-8") as renderer:
        renderer.write("\n# a change to the renderer\n")
    rendered = cache.read_code(copy)
    assert rendered.chapter_digest == original.chapter_digest
    assert rendered.book_digest != original.book_digest
    with (copy / "proof" / "report.py").open("a", encoding="utf-8") as report:
        report.write("\n# a change to the proof, which builds never run\n")
    assert cache.read_code(copy).book_digest == rendered.book_digest
    with (copy / "typeset" / "linebreak.py").open("a", encoding="utf-8") as breaker:
        breaker.write("\n# a change to line breaking\n")
    assert cache.read_code(copy).chapter_digest != original.chapter_digest


def test_a_changed_image_sets_its_chapter_again_and_its_warning_comes_back(
        cache_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pictures"
    folder.mkdir()
    Image.new("RGB", (120, 80), "navy").save(folder / "chart.png")
    manuscript = folder / "book.md"
    # the chapter also holds a word too long for any line: the typesetter warns about it, naming its line
    long_word = "1234567890" * 9  # no hyphenation point in it
    manuscript.write_text(small_book().replace(
        "# The Storm\n", f"# The Storm\n\n![The chart](chart.png)\n\nThe log said {long_word}.\n"),
        encoding="utf-8")
    first = build_to(manuscript, tmp_path / "first")
    low_resolution = [str(item) for item in first.diagnostics.items if "ppi" in str(item)]
    assert low_resolution
    forget_whole_builds(cache_dir)
    again = build_to(manuscript, tmp_path / "again")
    assert counts(again).chapters_set == 0
    assert [str(item) for item in again.diagnostics.items if "ppi" in str(item)] == low_resolution
    Image.new("RGB", (80, 120), "maroon").save(folder / "chart.png")
    changed = build_to(manuscript, tmp_path / "changed")
    assert counts(changed).set_at == [chapter_lines(manuscript)[1]]
    assert pdfs(changed) == pdfs(build_to(manuscript, tmp_path / "cold", use_cache=False))
    # a line added above moves the chapter and its word's warning: the chapter is set again to name
    # the new line; the chapter after it moves too, and is taken as it was (it gave no warning)
    text = manuscript.read_text(encoding="utf-8")
    manuscript.write_text(text.replace(paragraph(0), paragraph(0) + "\nMore."), encoding="utf-8")
    moved = build_to(manuscript, tmp_path / "moved")
    assert counts(moved).set_at == chapter_lines(manuscript)[:2]
    assert counts(moved).chapters_kept == 1
    cold = build_to(manuscript, tmp_path / "moved-cold", use_cache=False)
    assert [str(item) for item in moved.diagnostics.items] == [str(item) for item in cold.diagnostics.items]
    assert pdfs(moved) == pdfs(cold)


# -- entries that cannot be trusted -------------------------------------------------------------------


def test_torn_truncated_and_foreign_entries_are_ignored_and_written_again(cache_dir: Path, book: Path,
                                                                        tmp_path: Path) -> None:
    cold = build_to(book, tmp_path / "cold", use_cache=False)
    build_to(book, tmp_path / "first")
    chapters = sorted((cache_dir / "chapters").glob("*.entry"))
    assert len(chapters) == 3
    truncated, foreign, garbage = chapters
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    data = bytearray(foreign.read_bytes())
    data[len(cache.MAGIC)] ^= 0x01  # the format number of another version
    foreign.write_bytes(bytes(data))
    garbage.write_bytes(b"\x00" * 100)
    print_copy = next((cache_dir / "books").glob("*.print.pdf"))
    print_copy.write_bytes(print_copy.read_bytes()[:-10])  # a torn copy of the print PDF
    rebuilt = build_to(book, tmp_path / "rebuilt")
    assert counts(rebuilt).broken_entries == 4
    assert (counts(rebuilt).chapters_kept, counts(rebuilt).chapters_set) == (0, 3)
    assert pdfs(rebuilt) == pdfs(cold)
    again = build_to(book, tmp_path / "again")
    assert counts(again).book_kept and counts(again).broken_entries == 0
    forget_whole_builds(cache_dir)
    from_chapters = build_to(book, tmp_path / "from-chapters")
    assert (counts(from_chapters).chapters_kept, counts(from_chapters).broken_entries) == (3, 0)
    assert pdfs(again) == pdfs(from_chapters) == pdfs(cold)


def test_an_entry_under_another_key_is_not_read_as_this_one(cache_dir: Path, book: Path,
                                                            tmp_path: Path) -> None:
    build_to(book, tmp_path / "first")
    first, second, _ = sorted((cache_dir / "chapters").glob("*.entry"))
    shutil.copyfile(first, second)  # a whole, sound entry, but of another chapter
    forget_whole_builds(cache_dir)
    rebuilt = build_to(book, tmp_path / "rebuilt")
    found = counts(rebuilt)
    assert (found.chapters_kept, found.chapters_set, found.broken_entries) == (2, 1, 1)


def test_no_cache_neither_reads_nor_writes_the_cache_folder(cache_dir: Path, book: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(book), "--out", str(tmp_path / "out"), "--no-cache"]) == 0
    assert not cache_dir.exists()
    assert "cache:" not in capsys.readouterr().out
    assert main(["build", str(book), "--out", str(tmp_path / "out")]) == 0
    assert "cache: 0 chapters taken from the cache, 3 set" in capsys.readouterr().out
    before = {path: path.stat().st_mtime_ns for path in cache_dir.rglob("*")}
    assert main(["build", str(book), "--out", str(tmp_path / "out"), "--no-cache"]) == 0
    assert {path: path.stat().st_mtime_ns for path in cache_dir.rglob("*")} == before


def test_two_builds_of_one_book_at_once_leave_a_sound_cache(cache_dir: Path, book: Path,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "out"
    results = build_many([book, book], BuildOptions(out_dir=out))
    assert all(isinstance(result, BuildResult) for result in results)
    assert not list(cache_dir.rglob("*.tmp"))
    after = build_to(book, tmp_path / "after")
    assert counts(after).book_kept and counts(after).broken_entries == 0
    forget_whole_builds(cache_dir)
    from_chapters = build_to(book, tmp_path / "from-chapters")
    assert (counts(from_chapters).chapters_kept, counts(from_chapters).broken_entries) == (3, 0)
    cold = build_to(book, tmp_path / "cold", use_cache=False)
    assert pdfs(after) == pdfs(from_chapters) == pdfs(cold)


def test_the_cache_is_trimmed_to_its_size_limit_removing_the_least_recently_used(
        cache_dir: Path, book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_to(book, tmp_path / "first")
    oldest = sorted(cache_dir.rglob("*.entry"))
    for entry in oldest:
        os.utime(entry, (1_000_000_000, 1_000_000_000))  # used long ago
    size = sum(path.stat().st_size for path in cache_dir.rglob("*") if path.is_file())
    patterns = sum(path.stat().st_size for path in (cache_dir / "patterns").iterdir())
    limit_mb = (size + (size - patterns) / 2) / 1024 / 1024
    monkeypatch.setenv("BOOKSMITH_CACHE_MAX_MB", f"{limit_mb:.6f}")
    book.write_text(small_book("layout:\n  extends: novel-6x9\n  body:\n    size: 12pt\n"), encoding="utf-8")
    build_to(book, tmp_path / "second")  # as much again but the hyphenation patterns: over the limit
    remaining = sum(path.stat().st_size for path in cache_dir.rglob("*") if path.is_file())
    assert remaining <= limit_mb * 1024 * 1024 * cache.TRIM_TO + 4096
    assert not any(entry.exists() for entry in oldest)
    assert counts(build_to(book, tmp_path / "third")).book_kept


def test_a_cache_folder_that_cannot_be_written_gives_a_note_not_a_failure(
        tmp_path: Path, book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BOOKSMITH_CACHE_DIR", str(blocker / "cache"))
    result = build_to(book, tmp_path / "out")
    notes = [str(item) for item in result.diagnostics.items if "build cache" in str(item)]
    assert len(notes) == 1 and str(blocker / "cache") in notes[0]
    assert pdfs(result) == pdfs(build_to(book, tmp_path / "cold", use_cache=False))


def test_the_whole_build_key_is_the_same_in_every_process(book: Path) -> None:
    """Keys are made from the values themselves, never from repr() of a set (whose order changes with
    each process's string hashing): a printer holds one."""
    import subprocess
    import sys

    program = ("import sys; from pathlib import Path; from booksmith import cache; "
               "from booksmith.errors import Diagnostics; from booksmith.fonts import FontRegistry; "
               "from booksmith.manuscript import ManuscriptOptions, parse_manuscript; "
               "from booksmith.pipeline import BuildOptions, _font_folders; "
               "from booksmith.preset import load_preset; from booksmith.printers import load_printer; "
               "path = Path(sys.argv[1]); book = parse_manuscript(path, Diagnostics(), ManuscriptOptions()); "
               "print(cache.book_key(book, load_preset('novel-6x9'), load_printer('kdp'), "
               "FontRegistry(_font_folders(path)), BuildOptions()))")
    keys = {subprocess.run([sys.executable, "-c", program, str(book)], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(keys) == 1 and len(keys.pop().strip()) == 64


# -- keeping the cache's knowledge up to date ---------------------------------------------------------


def test_the_chapter_codec_writes_every_field_of_the_galley_classes() -> None:
    assert cache.codec_mismatches() == []


def test_the_cache_looks_for_icc_profiles_where_the_pdfx_writer_does() -> None:
    from booksmith.render.pdfx import ICC_FOLDERS

    assert cache.SYSTEM_ICC_FOLDERS == ICC_FOLDERS


def test_every_build_option_is_in_the_whole_build_key_and_a_named_file_by_its_bytes(
        book: Path, tmp_path: Path) -> None:
    assert all(item.repr for item in fields(BuildOptions))
    manuscript = parse_manuscript(book, Diagnostics(), ManuscriptOptions())
    preset = load_preset("novel-6x9")
    registry = FontRegistry(_font_folders(book))
    profile = tmp_path / "profile.icc"
    profile.write_bytes(b"one profile")

    def key(options: BuildOptions) -> str:
        return cache.book_key(manuscript, preset, None, registry, options)

    with_profile = key(BuildOptions(icc=profile))
    assert key(BuildOptions()) != with_profile
    assert key(BuildOptions(max_pages=400)) != key(BuildOptions())
    profile.write_bytes(b"another profile")
    assert key(BuildOptions(icc=profile)) != with_profile


def test_entries_are_written_only_while_the_code_run_is_the_code_hashed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone editing booksmith while a build runs: a module loaded after the hashing is trusted if
    its file was as hashed when checked after loading; one whose file had changed by then is not, and
    entries of the kind that depend on it are no longer written."""
    import importlib.util
    import sys

    copy = tmp_path / "booksmith"
    shutil.copytree(cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    watch = cache._CodeWatch(cache.read_code(copy))
    assert watch.as_hashed("books") and watch.as_hashed("chapters")

    def load(relative: str) -> None:
        name = "booksmith_copy_" + relative.replace("/", "_").removesuffix(".py")
        spec = importlib.util.spec_from_file_location(name, copy / relative)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        monkeypatch.setitem(sys.modules, name, module)

    load("units.py")
    assert watch.as_hashed("books")  # loaded as hashed: trusted from now on
    (copy / "units.py").write_text("# changed after it was loaded\n", encoding="utf-8")
    assert watch.as_hashed("books")
    resources = copy / "resources.py"
    resources.write_text(resources.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert watch.as_hashed("books")  # not loaded: it has not run
    load("resources.py")
    assert not watch.as_hashed("books")  # loaded after it changed: not the code hashed
    assert watch.as_hashed("chapters")  # which set chapters do not depend on


# -- chapters set in two processes ----------------------------------------------------------------------


def long_book(chapters: int = 8, paragraphs: int = 40) -> str:
    """Long enough (over halves.LEAST_TEXT_TO_SPLIT) for its chapters to be set in two processes."""
    body = "\n\n".join(f"# Watch {number + 1}\n\n" + "\n\n".join(
        paragraph(number * paragraphs + index) for index in range(paragraphs)) for number in range(chapters))
    return f"---\ntitle: A Long Watch\nauthor: A. Tester\n---\n\n{body}\n"


def test_chapters_set_in_two_processes_give_the_bytes_one_process_gives_and_count_in_book_order(
        cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manuscript = tmp_path / "long" / "book.md"
    manuscript.parent.mkdir()
    manuscript.write_text(long_book(), encoding="utf-8")
    book = parse_manuscript(manuscript, Diagnostics(), ManuscriptOptions())
    preset = load_preset("novel-6x9")
    registry = FontRegistry([ROOT / "fonts"])
    made = halves.set_in_two(book, preset, registry, None, None)
    assert isinstance(made, halves.Halves) and sorted(made.made) == list(range(8)), "all set, in two"
    assert sorted(made.broken) == list(range(8)), "and broken into pages where they were set"
    monkeypatch.setenv("BOOKSMITH_SERIAL", "1")
    assert halves.set_in_two(book, preset, registry, None, None) is None, "one process where it cannot fork"
    monkeypatch.delenv("BOOKSMITH_SERIAL")
    split = build_to(manuscript, tmp_path / "split")
    assert counts(split).chapters_set == 8 and counts(split).set_at == chapter_lines(manuscript)
    monkeypatch.setenv("BOOKSMITH_SERIAL", "1")  # one process: no fork
    alone = build_to(manuscript, tmp_path / "alone", use_cache=False)
    assert pdfs(split) == pdfs(alone)
    monkeypatch.delenv("BOOKSMITH_SERIAL")
    forget_whole_builds(cache_dir)
    again = build_to(manuscript, tmp_path / "again")  # both halves from the cache, in both processes
    assert counts(again).chapters_kept == 8 and counts(again).chapters_set == 0
    assert pdfs(again) == pdfs(alone)


def test_an_edit_sets_its_chapter_in_a_child_while_the_rest_are_read(
        cache_dir: Path, tmp_path: Path) -> None:
    """After an edit to a long book, the edited chapter is set (and broken into pages) in a second
    process while this one reads the other chapters from the cache; a torn entry found on the way
    is counted once and its chapter set again; the PDFs are a cold build's."""
    manuscript = tmp_path / "long" / "book.md"
    manuscript.parent.mkdir()
    manuscript.write_text(long_book(), encoding="utf-8")
    build_to(manuscript, tmp_path / "first")
    text = manuscript.read_text(encoding="utf-8")
    manuscript.write_text(text.replace("# Watch 3\n\n", "# Watch 3\n\nAn added opening paragraph.\n\n"),
                          encoding="utf-8")
    book = parse_manuscript(manuscript, Diagnostics(), ManuscriptOptions())
    preset = load_preset("novel-6x9")
    registry = FontRegistry([ROOT / "fonts"])
    store = cache.BuildCache().chapters(book, preset, registry)
    made = halves.set_in_two(book, preset, registry, store, store.cache.counts)
    assert made is not None and sorted(made.made) == list(range(8)), "every chapter at hand, the edited too"
    assert sorted(made.broken) == [2], "the edited chapter was broken into pages where it was set"
    assert store.cache.counts.set_at == [chapter_lines(manuscript)[2]]
    assert store.cache.counts.chapters_kept == 7
    forget_whole_builds(cache_dir)
    torn = store.cache.path("chapters", store._keys[id(book.chapters[0])])  # a chapter the edit left alone
    torn.write_bytes(torn.read_bytes()[: torn.stat().st_size // 2])
    edited = build_to(manuscript, tmp_path / "edited")
    assert counts(edited).broken_entries == 1 and counts(edited).chapters_set == 1
    assert counts(edited).chapters_kept == 7
    assert pdfs(edited) == pdfs(build_to(manuscript, tmp_path / "cold", use_cache=False))
