"""Lines drawn apart from a PDF (half a book in each of two processes) are the lines a PDF draws:
a line's drawing depends on the book's glyphs alone, which are given their codes before any page."""

from __future__ import annotations

from pathlib import Path

import pytest

from booksmith import pipeline
from booksmith.cache import galley_glyphs, galley_lines
from booksmith.errors import Diagnostics
from booksmith.fonts import FontRegistry
from booksmith.manuscript import ManuscriptOptions, parse_manuscript
from booksmith.pagemodel import PageModel, TextLine
from booksmith.paginate import paginate
from booksmith.pipeline import BuildOptions, build
from booksmith.preset import load_preset
from booksmith.render import PRINT, SCREEN, book_glyphs, draw_lines, render_pdf
from booksmith.render.pdf import PAGE_FURNITURE
from booksmith.resources import fonts_dir
from booksmith.typeset import typeset
from booksmith.typeset.lines import Galley
from conftest import SAMPLE


@pytest.fixture(scope="module")
def laid_out() -> tuple[Galley, PageModel]:
    book = parse_manuscript(SAMPLE, Diagnostics(), ManuscriptOptions())
    preset = load_preset(book.meta.layout or "novel-6x9", book.meta.layout_overrides, SAMPLE)
    galley = typeset(book, preset, FontRegistry([fonts_dir()]), Diagnostics())
    return galley, paginate(galley, preset, Diagnostics())


def chapter_lines(galley: Galley, model: PageModel) -> list[TextLine]:
    ids = {id(line.pieces) for chapter in galley.chapters for line in galley_lines(chapter)}
    return [line for page in model.pages for line in page.lines if id(line.pieces) in ids]


def test_lines_drawn_apart_are_drawn_as_both_pdfs_draw_them(laid_out, tmp_path: Path) -> None:
    galley, model = laid_out
    glyphs = book_glyphs(model, galley_glyphs(galley.chapters))
    lines = chapter_lines(galley, model)
    apart = draw_lines(model, lines, glyphs)
    assert len(apart) == len({id(line.pieces) for line in lines}) > 100
    for profile, name in ((PRINT, "print.pdf"), (SCREEN, "screen.pdf")):
        drawn: dict = {}
        render_pdf(model, profile, tmp_path / name, glyphs, drawn)
        assert {key: drawn[key] for key in apart} == apart


def test_lines_with_glyphs_given_no_code_before_drawing_are_not_drawn_apart(laid_out) -> None:
    """Without the text's glyphs given first, a line's codes would depend on where each glyph was
    first met: no drawing is made apart."""
    galley, model = laid_out
    furniture_only = book_glyphs(model, {})
    assert not any(line.role in PAGE_FURNITURE for line in chapter_lines(galley, model))
    assert draw_lines(model, chapter_lines(galley, model), furniture_only) == {}


def test_a_book_drawn_in_two_processes_is_the_book_drawn_in_one(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "LEAST_LINES_TO_SPLIT", 1)
    split = build(SAMPLE, BuildOptions(out_dir=tmp_path / "split", cache=False))
    monkeypatch.setenv("BOOKSMITH_SERIAL", "1")
    alone = build(SAMPLE, BuildOptions(out_dir=tmp_path / "alone", cache=False))
    for ours, theirs in ((split.print_pdf, alone.print_pdf), (split.screen_pdf, alone.screen_pdf)):
        assert ours.path.read_bytes() == theirs.path.read_bytes()


def test_the_child_that_set_chapters_draws_their_lines_with_the_bytes_of_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where chapters are set in two processes, the child is kept on and draws the lines it set,
    and this process only its own; the PDFs are those of a build in one process."""
    from booksmith import halves, render

    monkeypatch.setattr(halves, "LEAST_TEXT_TO_SPLIT", 1)
    drawn_here: list[int] = []
    drawn_in_all: list[int] = []
    kept_on: list[bool] = []
    original_draw, original_in_two = render.draw_lines, pipeline._draw_text_in_two

    def counting_draw(model, lines, glyphs):  # type: ignore[no-untyped-def]
        drawn_here.append(len(lines))
        return original_draw(model, lines, glyphs)

    def counting_in_two(model, laid_out, glyphs, drawn):  # type: ignore[no-untyped-def]
        kept_on.append(laid_out.there is not None)
        original_in_two(model, laid_out, glyphs, drawn)
        drawn_in_all.append(len(drawn))

    monkeypatch.setattr(render, "draw_lines", counting_draw)
    monkeypatch.setattr(pipeline, "_draw_text_in_two", counting_in_two)
    split = build(SAMPLE, BuildOptions(out_dir=tmp_path / "split", cache=False))
    assert kept_on == [True], "the child that set chapters is kept on"
    assert 0 < sum(drawn_here) < drawn_in_all[0], "the child drew the lines it set, this process the rest"
    monkeypatch.setenv("BOOKSMITH_SERIAL", "1")
    alone = build(SAMPLE, BuildOptions(out_dir=tmp_path / "alone", cache=False))
    for ours, theirs in ((split.print_pdf, alone.print_pdf), (split.screen_pdf, alone.screen_pdf)):
        assert ours.path.read_bytes() == theirs.path.read_bytes()
