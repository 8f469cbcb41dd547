"""Page making and glyph setting, read back from the built PDFs."""

from __future__ import annotations

import ctypes
import re

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from booksmith.fonts import FontRegistry
from booksmith.pipeline import BuildResult
from conftest import ROOT
from pdfread import TextLineRead, document_text, page_lines

BOOKS = ["sample_build", "novel_build"]


@pytest.fixture(params=BOOKS)
def book(request: pytest.FixtureRequest) -> BuildResult:
    return request.getfixturevalue(request.param)


def chapter_titles(result: BuildResult) -> list[str]:
    document = pdfium.PdfDocument(str(result.screen_pdf.path))
    return [item.get_title() for item in document.get_toc()]


def body_lines(result: BuildResult, lines: list[TextLineRead]) -> list[TextLineRead]:
    """Lines inside the text block set at body or quote size (not titles, heads or folios)."""
    preset = result.preset
    top = preset.trim.height - preset.margins.top
    bottom = preset.margins.bottom - preset.body.leading
    return [line for line in lines if bottom <= line.y <= top and line.size <= preset.body.size + 0.5]


def test_every_chapter_opens_on_a_right_hand_page_without_a_running_head(book: BuildResult) -> None:
    pages = page_lines(book.print_pdf.path)
    openings = {}
    for title in chapter_titles(book):
        matches = [index for index, lines in enumerate(pages)
                   if title in [line.text.strip() for line in lines[:2]] and index not in openings.values()]
        assert matches, f"no page opens with the chapter heading {title!r}"
        openings[title] = matches[0]
    top = book.preset.trim.height - book.preset.margins.top
    for title, index in openings.items():
        assert index % 2 == 0, f"{title!r} opens on page {index + 1}, a left-hand page"
        assert pages[index][0].y < top - book.preset.chapter.sink + book.preset.body.size, "sunk heading"
        assert not [line for line in pages[index] if line.y > top], "no running head on an opening"


def test_blank_pages_before_chapters_are_clean(book: BuildResult) -> None:
    pages = page_lines(book.print_pdf.path)
    blanks = [index for index, lines in enumerate(pages) if not lines]
    assert blanks, "a book of several chapters has blank versos"
    with pikepdf.open(book.print_pdf.path) as pdf:
        for index in blanks:
            operators = {str(op) for _, op in pikepdf.parse_content_stream(pdf.pages[index])}
            assert not operators & {"Tj", "TJ", "'", '"', "Do", "re", "l", "f", "S"}, f"page {index + 1}"
            if index + 1 < len(pages):
                assert index % 2 == 1 or index == len(pages) - 1, "a blank page is a verso (or the last page)"


def test_running_heads_show_author_on_versos_and_title_on_rectos(sample_build: BuildResult) -> None:
    preset = sample_build.preset
    top = preset.trim.height - preset.margins.top
    heads = {"verso": set(), "recto": set()}
    for index, lines in enumerate(page_lines(sample_build.print_pdf.path)):
        above = [line.text.strip() for line in lines if line.y > top]
        heads["recto" if index % 2 == 0 else "verso"].update(above)
    assert heads["verso"] == {"Elspeth Varley"}
    assert heads["recto"] == {"The Lighthouse Keeper’s Daughter"}


def _is_full(line: TextLineRead, left: float, right: float) -> bool:
    return line.x1 > right - 1.5 and line.x0 < left + 40


def test_no_widows_or_orphans(book: BuildResult) -> None:
    """A widow: a paragraph's last line alone at the head of a page. An orphan: its first line alone
    at the foot. Paragraphs start indented and end short of the measure; justified lines are full."""
    preset = book.preset
    indent = preset.body.indent
    pages = [body_lines(book, lines) for lines in page_lines(book.print_pdf.path)]
    faults = []
    for index in range(1, len(pages)):
        previous, current = pages[index - 1], pages[index]
        if not previous or not current:
            continue
        left = preset.margins.inside if index % 2 == 0 else preset.margins.outside
        previous_left = preset.margins.outside if index % 2 == 0 else preset.margins.inside
        right, previous_right = left + preset.measure, previous_left + preset.measure
        first, last = current[0], previous[-1]
        continues = _is_full(last, previous_left, previous_right) and abs(last.x0 - previous_left) < 1
        if continues and abs(first.x0 - left) < 1 and not _is_full(first, left, right) and (
                len(current) == 1 or abs(current[1].x0 - left - indent) < 1):
            faults.append(f"widow at the head of page {index + 1}: {first.text!r}")
        starts = abs(last.x0 - previous_left - indent) < 1 and last.x1 > previous_right - 1.5
        if starts and abs(first.x0 - left) < 1:
            faults.append(f"orphan at the foot of page {index}: {last.text!r}")
    assert faults == []


def test_no_line_is_wider_than_the_measure(book: BuildResult) -> None:
    """PDFium reports ink boxes, and a final 'f' or an italic letter overhangs its advance by up to
    0.15 em; a line set even one space too wide would overshoot by far more."""
    preset = book.preset
    overhang = 0.15 * preset.body.size
    for index, lines in enumerate(page_lines(book.print_pdf.path)):
        left = preset.margins.inside if index % 2 == 0 else preset.margins.outside
        for line in body_lines(book, lines):
            hung = 0.6 * preset.body.size if line.text[:1] in "\u201c\u2018" else 0.0  # hanging punctuation
            assert line.x0 >= left - overhang - hung, f"page {index + 1}: {line.text!r} starts in the margin"
            assert line.x1 <= left + preset.measure + overhang, f"page {index + 1}: {line.text!r} is overfull"


def test_justified_lines_end_flush_with_the_measure(sample_build: BuildResult) -> None:
    preset = sample_build.preset
    ends = []
    for index, lines in enumerate(page_lines(sample_build.print_pdf.path)):
        left = preset.margins.inside if index % 2 == 0 else preset.margins.outside
        ends.extend(left + preset.measure - line.x1 for line in body_lines(sample_build, lines)
                    if abs(line.x0 - left) < 1)
    flush = [gap for gap in ends if abs(gap) < 1.0]
    assert len(flush) > len(ends) * 0.6


def _unicode_maps(pdf: pikepdf.Pdf) -> dict[str, list[str]]:
    """Each font's ToUnicode targets."""
    maps: dict[str, list[str]] = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/ToUnicode" in obj:
            cmap = obj.ToUnicode.read_bytes().decode("latin-1").split("beginbfchar", 1)[1]
            targets = [bytes.fromhex(hex_).decode("utf-16-be") for hex_ in
                       re.findall(r"<[0-9A-F]{2}> <([0-9A-F]+)>", cmap)]
            maps.setdefault(str(obj.BaseFont), []).extend(targets)
    return maps


def test_standard_ligatures_are_drawn_and_read_back_as_letters(sample_build: BuildResult) -> None:
    with pikepdf.open(sample_build.print_pdf.path) as pdf:
        targets = [t for values in _unicode_maps(pdf).values() for t in values]
    ligatures = {t for t in targets if len(t) > 1}
    assert ligatures & {"fi", "fl", "ffi", "ff", "ffl"}
    assert not ligatures & {"st", "ct", "sp"}, "discretionary ligatures are off"
    text = document_text(sample_build.print_pdf.path)
    assert not re.search("[\ue000-\uf8ff\U000f0000-\U0010ffff]", text), "no private-use characters"
    assert re.search(r"\bfi\w+", text)


def test_kerning_moves_glyphs_closer_than_their_advances(sample_build: BuildResult) -> None:
    registry = FontRegistry([ROOT / "fonts"])
    face = registry.face("EB Garamond", "regular")
    size = sample_build.preset.body.size
    document = pdfium.PdfDocument(str(sample_build.print_pdf.path))
    x, y = ctypes.c_double(), ctypes.c_double()
    kerned = 0
    for page in document:
        textpage = page.get_textpage()
        previous = None
        for index in range(textpage.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage, index))
            pdfium_c.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x), ctypes.byref(y))
            here = (char, x.value, y.value, pdfium_c.FPDFText_GetFontSize(textpage, index))
            if previous and previous[0] in "TVWY" and char in "aeo" and previous[2] == here[2] \
                    and abs(previous[3] - size) < 0.01:
                advance = face.glyph_advance(face.nominal_glyph(previous[0])) * size / face.upem
                if here[1] - previous[1] < advance - 0.2:
                    kerned += 1
            previous = here
    assert kerned >= 3


def test_the_books_build_without_a_single_warning(book: BuildResult) -> None:
    """Among other things: no page break had to give up a widow, orphan or scene-break rule."""
    assert [str(item) for item in book.diagnostics.items] == []
