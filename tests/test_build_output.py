"""Whole builds, read back from the PDFs: what a print shop and a reader would check."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from booksmith.errors import Diagnostics
from booksmith.manuscript import ManuscriptOptions, parse_manuscript
from booksmith.pipeline import BuildOptions, BuildResult, build
from booksmith.typeset.headings import number_in_words
from conftest import SAMPLE, corpus_file
from pdfread import document_text, missing_in_order, page_lines, words

BOOKS = ["sample_build", "novel_build"]
INCH = 72.0


@pytest.fixture(params=BOOKS)
def book(request: pytest.FixtureRequest) -> BuildResult:
    return request.getfixturevalue(request.param)


def manuscript_words(path: Path, **options: str) -> list[str]:
    book = parse_manuscript(path, Diagnostics(), ManuscriptOptions(**options))
    texts: list[str] = []

    def collect(blocks: tuple) -> None:
        for block in blocks:
            if hasattr(block, "inlines"):
                texts.append(block.text)
            elif hasattr(block, "blocks"):
                collect(block.blocks)

    for chapter in book.chapters:
        texts.append(chapter.title or "")
        collect(chapter.blocks)
    return words(" ".join(texts).replace("\u2060", "").replace("\u00ad", ""))


def body_text(result: BuildResult) -> str:
    """The print PDF's text inside the text block (running heads and folios lie outside it)."""
    preset = result.preset
    area = (preset.margins.bottom - preset.body.leading, preset.trim.height - preset.margins.top)
    return document_text(result.print_pdf.path, area)


def test_every_word_of_the_sample_book_is_in_the_print_pdf_in_order(sample_build: BuildResult) -> None:
    found = words(body_text(sample_build))
    assert missing_in_order(manuscript_words(SAMPLE), found) == []


def test_every_word_of_pride_and_prejudice_is_in_the_print_pdf_in_order(novel_build: BuildResult) -> None:
    found = words(body_text(novel_build))
    expected = manuscript_words(corpus_file("pride-and-prejudice.md"))
    assert len(expected) > 120_000
    assert missing_in_order(expected, found) == []


def test_every_word_of_the_seed_story_is_in_the_print_pdf_in_order(tmp_path: Path) -> None:
    story = corpus_file("seed-story.txt")
    result = build(story, BuildOptions(out_dir=tmp_path, title="The Seed", author="A. Reader"))
    found = words(body_text(result))
    assert missing_in_order(manuscript_words(story, title="The Seed"), found) == []
    assert "the seed" in " ".join(found)


def test_print_pages_are_the_trim_size_with_a_trim_box_on_every_page(book: BuildResult) -> None:
    trim = book.preset.trim
    with pikepdf.open(book.print_pdf.path) as pdf:
        for page in pdf.pages:
            assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, trim.width, trim.height])
            assert "/TrimBox" in page.obj
            assert [float(v) for v in page.obj.TrimBox] == pytest.approx([0, 0, trim.width, trim.height])


def test_the_print_page_count_is_even(book: BuildResult) -> None:
    assert book.print_pdf.pages % 2 == 0
    assert len(pdfium.PdfDocument(str(book.print_pdf.path))) == book.print_pdf.pages


def _font_dicts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    fonts = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
            fonts.append(obj)
    return fonts


@pytest.mark.parametrize("which", ["print_pdf", "screen_pdf"])
def test_every_font_is_embedded_and_none_is_a_base_14_font(book: BuildResult, which: str) -> None:
    with pikepdf.open(getattr(book, which).path) as pdf:
        fonts = _font_dicts(pdf)
        assert fonts
        for font in fonts:
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, f"{font.get('/BaseFont')} has no descriptor: not embedded"
            assert "/FontFile2" in descriptor, f"{font.get('/BaseFont')} is not embedded"
            assert "Helvetica" not in str(font.get("/BaseFont"))
        raw = Path(getattr(book, which).path).read_bytes()
        assert b"Helvetica" not in raw


COLOUR_OPERATORS = {"g", "G", "rg", "RG", "k", "K", "sc", "SC", "scn", "SCN", "cs", "CS"}


def _colour_operations(path: Path) -> list[tuple[str, list[float]]]:
    found = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in COLOUR_OPERATORS:
                    found.append((str(operator), [float(v) for v in operands]))
    return found


def test_print_text_is_pure_black_k_only(book: BuildResult) -> None:
    operations = _colour_operations(book.print_pdf.path)
    assert operations
    assert {op for op, _ in operations} <= {"k", "K"}
    assert all(values == [0, 0, 0, 1] for _, values in operations)


def test_screen_text_is_rgb_black(book: BuildResult) -> None:
    operations = _colour_operations(book.screen_pdf.path)
    assert {op for op, _ in operations} == {"rg"}


def test_the_print_pdf_has_no_links_annotations_or_outline(book: BuildResult) -> None:
    with pikepdf.open(book.print_pdf.path) as pdf:
        assert all("/Annots" not in page.obj for page in pdf.pages)
        assert "/Outlines" not in pdf.Root


def test_the_screen_pdf_has_a_bookmark_per_chapter_at_its_opening_page(sample_build: BuildResult) -> None:
    document = pdfium.PdfDocument(str(sample_build.screen_pdf.path))
    toc = [(item.get_title(), item.get_dest().get_index()) for item in document.get_toc()]
    titles = [title for title, _ in toc]
    assert titles == ["The Lamp Room", "A Letter from the Commission", "Port Ailsa", "The Inspector",
                      "The Missing Page", "The Weather Turns", "The Long Night", "The Record"]
    pages = page_lines(sample_build.screen_pdf.path)
    for title, index in toc:
        heading = [line.text.strip() for line in pages[index][:2]]
        assert heading == [f"Chapter {number_in_words(titles.index(title) + 1)}", title]


def test_screen_page_labels_are_roman_then_arabic_from_chapter_one(book: BuildResult) -> None:
    document = pdfium.PdfDocument(str(book.screen_pdf.path))
    labels = [document.get_page_label(i) for i in range(len(document))]
    assert labels[0] == "i"
    first_chapter = document.get_toc().__next__().get_dest().get_index()
    assert all(re.fullmatch(r"[ivxlcdm]+", label) for label in labels[:first_chapter])
    assert labels[first_chapter] == "1"
    numbers = [int(label) for label in labels[first_chapter:]]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_the_screen_pdf_has_no_blank_pages(book: BuildResult) -> None:
    assert all(page for page in page_lines(book.screen_pdf.path))


def test_document_title_author_and_language_are_set(sample_build: BuildResult) -> None:
    with pikepdf.open(sample_build.screen_pdf.path) as pdf:
        assert str(pdf.docinfo["/Title"]).startswith("The Lighthouse Keeper")
        assert str(pdf.docinfo["/Author"]) == "Elspeth Varley"
        assert str(pdf.Root.Lang) == "en-GB"


def test_rebuilding_gives_byte_identical_pdfs(tmp_path: Path) -> None:
    first = build(SAMPLE, BuildOptions(out_dir=tmp_path / "one"))
    second = build(SAMPLE, BuildOptions(out_dir=tmp_path / "two"))
    assert first.print_pdf.path.read_bytes() == second.print_pdf.path.read_bytes()
    assert first.screen_pdf.path.read_bytes() == second.screen_pdf.path.read_bytes()


def test_a_build_whose_process_ends_with_it_leaves_its_objects_and_the_collector_paused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's one book: what the build made is left for the process's end, and the
    collector is not started again to look through it; a build in a process that goes on (a
    library's, --watch's) frees what it made and restarts the collector, and the PDFs are the same."""
    import gc

    from booksmith import pipeline

    monkeypatch.setattr(pipeline, "_LEFT_TO_THE_END", [])
    try:
        ending = pipeline.build(SAMPLE, pipeline.BuildOptions(out_dir=tmp_path / "ending", cache=False,
                                                              process_ends=True))
        assert not gc.isenabled() and len(pipeline._LEFT_TO_THE_END) == 1
    finally:
        gc.enable()
    going_on = pipeline.build(SAMPLE, pipeline.BuildOptions(out_dir=tmp_path / "going-on", cache=False))
    assert gc.isenabled() and len(pipeline._LEFT_TO_THE_END) == 1
    assert ending.print_pdf.path.read_bytes() == going_on.print_pdf.path.read_bytes()
