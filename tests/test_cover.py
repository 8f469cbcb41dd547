"""`booksmith cover`: the wrap cover's size from trim, bleed and spine, read back from the PDF."""

from __future__ import annotations

import pikepdf
import pypdfium2 as pdfium
import pytest

from booksmith.errors import BooksmithError
from booksmith.pipeline import CoverOptions, make_cover
from conftest import SAMPLE

INCH = 72.0


def test_a_300_page_6x9_kdp_cover_on_white_paper_is_12_926_by_9_25_inches(tmp_path):
    result = make_cover(SAMPLE, CoverOptions(printer="kdp", paper="white", pages=300, out_dir=tmp_path))
    geometry = result.geometry
    assert geometry.spine / INCH == pytest.approx(0.6756)
    assert result.path.relative_to(tmp_path).as_posix() == (
        "the-lighthouse-keepers-daughter/the-lighthouse-keepers-daughter-cover.pdf")
    with pikepdf.open(result.path) as pdf:
        [page] = pdf.pages
        media = [float(v) / INCH for v in page.MediaBox]
        trim = [float(v) / INCH for v in page.TrimBox]
    assert media[2] == pytest.approx(0.125 + 6 + 0.6756 + 6 + 0.125, abs=0.0005)
    assert round(media[2], 3) == 12.926 and media[3] == pytest.approx(9.25)
    assert trim == pytest.approx([0.125, 0.125, 12.926 - 0.125, 9.125], abs=0.0005)


def test_the_spine_text_is_centred_on_the_spine(tmp_path):
    result = make_cover(SAMPLE, CoverOptions(printer="kdp", paper="white", pages=300, out_dir=tmp_path))
    left, bottom, right, top = result.geometry.spine_box
    document = pdfium.PdfDocument(str(result.path))
    textpage = document[0].get_textpage()
    boxes = [textpage.get_charbox(index) for index in range(textpage.count_chars())]
    on_spine = [box for box in boxes if left <= box[0] and box[2] <= right and box[2] > box[0]]
    assert len(on_spine) > 20  # title and author
    x0, x1 = min(b[0] for b in on_spine), max(b[2] for b in on_spine)
    y0, y1 = min(b[1] for b in on_spine), max(b[3] for b in on_spine)
    assert (x0 + x1) / 2 == pytest.approx((left + right) / 2, abs=1.5)
    assert (y0 + y1) / 2 == pytest.approx((bottom + top) / 2, abs=1.5)


def test_a_thin_spine_carries_no_text_and_the_page_count_comes_from_the_interior(tmp_path):
    result = make_cover(SAMPLE, CoverOptions(printer="kdp", paper="cream", out_dir=tmp_path))
    assert result.geometry.pages == 44 and not result.geometry.spine_text
    assert result.geometry.spine == pytest.approx(44 * 0.0025 * INCH)
    interior = tmp_path / "the-lighthouse-keepers-daughter" / "the-lighthouse-keepers-daughter-print.pdf"
    assert interior.is_file()


def test_a_paper_without_a_spine_width_is_refused_with_the_papers_offered(tmp_path):
    with pytest.raises(BooksmithError, match=r"no spine width for 'glossy'.*cream, white"):
        make_cover(SAMPLE, CoverOptions(printer="kdp", paper="glossy", pages=300, out_dir=tmp_path))
