"""Printer preflight on small PDFs drawn with ReportLab's canvas, one printing problem each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.colors import CMYKColorSep
from reportlab.pdfgen.canvas import Canvas

from booksmith.errors import Severity
from booksmith.proof import ProofOptions, proof
from booksmith.proof.rules import GENERIC_PRINT

SIZE = (432.0, 648.0)


def pdf_with(path: Path, draw: Callable[[Canvas, int], None], pages: int = 2) -> Path:
    """A 6 × 9 in PDF with a TrimBox and a line of text in the safe area on each page, and `draw`."""
    from bookmaker import FONT, _register_font

    _register_font()
    canvas = Canvas(str(path), pagesize=SIZE, invariant=True, initialFontName=FONT)
    for page in range(pages):
        canvas.setTrimBox((0, 0, *SIZE))
        canvas.setFillColorCMYK(0, 0, 0, 1)
        canvas.setFont(FONT, 11)
        canvas.drawString(72, 400, "A line of text well inside the margins.")
        draw(canvas, page)
        canvas.showPage()
    canvas.save()
    return path


def findings(path: Path) -> list[tuple[str, int | None, Severity, str]]:
    result = proof(path, ProofOptions(images=False, out_dir=path.parent / "proof"))
    return [(f.check, f.page, f.severity, f.message) for f in result.findings]


def test_a_plain_two_page_file_has_nothing_to_report(tmp_path: Path) -> None:
    assert findings(pdf_with(tmp_path / "plain.pdf", lambda canvas, page: None)) == []


def test_text_in_four_inks_is_rich_black_and_over_the_ink_limit(tmp_path: Path) -> None:
    def draw(canvas: Canvas, page: int) -> None:
        if page == 1:
            canvas.setFillColorCMYK(0.8, 0.7, 0.7, 1)
            canvas.drawString(72, 300, "Rich black")

    found = findings(pdf_with(tmp_path / "ink.pdf", draw))
    assert [(check, page, severity) for check, page, severity, _ in found] == [
        ("total-ink", 1, Severity.ERROR), ("rich-black-text", 1, Severity.WARNING)]
    assert "320% total ink" in found[0][3] and "C80 M70 Y70 K100" in found[1][3]


def test_links_transparency_and_spot_colours_are_reported_on_their_pages(tmp_path: Path) -> None:
    def draw(canvas: Canvas, page: int) -> None:
        if page == 0:
            canvas.linkURL("https://example.org", (72, 390, 200, 412))
        else:
            canvas.setFillAlpha(0.5)
            canvas.setFillColor(CMYKColorSep(0, 0.5, 1, 0, spotName="PANTONE 123 C"))
            canvas.rect(72, 100, 100, 50, fill=1, stroke=0)

    found = findings(pdf_with(tmp_path / "x.pdf", draw))
    found = {(check, page, severity) for check, page, severity, _ in found}
    assert found == {("annotation", 0, Severity.WARNING), ("transparency", 1, Severity.NOTE),
                     ("colour-spot", 1, Severity.WARNING)}


def test_text_too_close_to_the_trim_or_the_gutter_is_outside_the_safe_area(tmp_path: Path) -> None:
    def draw(canvas: Canvas, page: int) -> None:
        canvas.drawString(10 if page == 0 else 300, 200, "Near the edge")  # the recto's gutter: left

    found = findings(pdf_with(tmp_path / "edge.pdf", draw))
    assert [(check, page) for check, page, *_ in found] == [("safe-area", 0)]
    assert found[0][3].startswith("inside edge: text 0.139 in from the trim "
                                  "(the least is 0.375 in for 2 pages)")


def test_the_gutter_grows_with_the_page_count() -> None:
    assert [GENERIC_PRINT.inside_margin(n) / 72 for n in (24, 150, 151, 336, 700, 828)] == [
        0.375, 0.375, 0.5, 0.625, 0.75, 0.875]


def test_bleed_boxes_are_checked_against_the_trim_and_the_printers_bleed(tmp_path: Path) -> None:
    path = tmp_path / "bleed.pdf"
    canvas = Canvas(str(path), pagesize=(444.0, 666.0), invariant=True)  # 9 pt of bleed all round
    for _ in range(2):
        canvas.setTrimBox((9, 9, 441, 657))
        canvas.setBleedBox((4, 4, 444, 666))  # 5 pt at the left and foot: not the 9 pt printers want
        canvas.showPage()
    canvas.save()
    found = [(check, severity, message) for check, _, severity, message in findings(path)
             if check == "page-boxes"]
    messages = [message for *_, message in found]
    assert any("bleed at the foot edge is 0.0694 in; the printer wants 0.125 in" in m for m in messages)
    assert all(severity == Severity.ERROR for _, severity, _ in found)


def test_an_odd_page_count_is_an_error_for_print(tmp_path: Path) -> None:
    found = findings(pdf_with(tmp_path / "odd.pdf", lambda canvas, page: None, pages=3))
    assert [(check, page, severity) for check, page, severity, _ in found] == [
        ("page-count", None, Severity.ERROR)]


def test_a_file_that_is_not_a_pdf_is_refused_with_an_address(tmp_path: Path) -> None:
    from booksmith.errors import BooksmithError

    text = tmp_path / "notes.pdf"
    text.write_text("not a PDF at all")
    with pytest.raises(BooksmithError, match="not a PDF") as raised:
        proof(text)
    assert str(text) in str(raised.value)
    with pytest.raises(BooksmithError, match="does not exist"):
        proof(tmp_path / "nowhere.pdf")
