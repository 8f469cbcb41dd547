"""`booksmith cover`: the wrap cover's size from trim, bleed and spine, its front image, back text and
guides, and the printer's limits, read back from the PDFs it writes."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from booksmith.cli import main
from booksmith.errors import BooksmithError
from booksmith.pipeline import CoverOptions, CoverResult, make_cover
from booksmith.printers import load_printer
from booksmith.printers.fit import check_page_count
from conftest import SAMPLE

INCH = 72.0
FOGRA39 = Path("/usr/share/texlive/texmf-dist/tex/generic/colorprofiles/FOGRA39L_coated.icc")
BLURB = ("On Skerrow Rock the lamp must be lit forty minutes before sunset.\n\n"
         "When her father falls ill, the light becomes *hers alone* to keep.")
SKY = (40, 90, 160)


def cover(tmp_path: Path, **options: object) -> CoverResult:
    settings: dict[str, object] = {"printer": "kdp", "paper": "white", "pages": 300,
                                   "out_dir": tmp_path / "out"}
    settings.update(options)
    return make_cover(SAMPLE, CoverOptions(**settings))  # type: ignore[arg-type]


def picture(path: Path, size: tuple[int, int] = (3000, 3000)) -> Path:
    """Sky blue with a black square at its centre, and black bands at the left and right edges that a
    centred crop to the front's proportions removes."""
    width, height = size
    image = Image.new("RGB", size, SKY)
    draw = ImageDraw.Draw(image)
    band = width // 6
    draw.rectangle((0, 0, band - 1, height - 1), fill=(0, 0, 0))
    draw.rectangle((width - band, 0, width - 1, height - 1), fill=(0, 0, 0))
    draw.rectangle((width // 2 - 100, height // 2 - 100, width // 2 + 99, height // 2 + 99), fill=(0, 0, 0))
    image.save(path)
    return path


def the_image(path: Path) -> tuple[Image.Image, list[float], str]:
    """The cover's one image XObject and the matrix it is drawn with."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        matrix: list[float] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "cm":
                matrix = [float(value) for value in operands]
            if str(operator) == "Do":
                image = page.Resources.XObject[operands[0]]
                return pikepdf.PdfImage(image).as_pil_image(), matrix, str(image.ColorSpace)
    raise AssertionError("no image drawn")


def text_in(path: Path, box: tuple[float, float, float, float]) -> str:
    page = pdfium.PdfDocument(str(path))[0]
    return page.get_textpage().get_text_bounded(*box)


def char_boxes(path: Path) -> list[tuple[float, float, float, float]]:
    textpage = pdfium.PdfDocument(str(path))[0].get_textpage()
    boxes = [textpage.get_charbox(index) for index in range(textpage.count_chars())]
    return [box for box in boxes if box[2] > box[0]]


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
        bleed = [float(v) / INCH for v in page.BleedBox]
    assert media[2] == pytest.approx(0.125 + 6 + 0.6756 + 6 + 0.125, abs=0.0005)
    assert round(media[2], 3) == 12.926 and media[3] == pytest.approx(9.25)
    assert trim == pytest.approx([0.125, 0.125, 12.926 - 0.125, 9.125], abs=0.0005)
    assert bleed == pytest.approx(media)


def test_the_spine_text_is_centred_on_the_spine(tmp_path):
    result = make_cover(SAMPLE, CoverOptions(printer="kdp", paper="white", pages=300, out_dir=tmp_path))
    left, bottom, right, top = result.geometry.spine_box
    on_spine = [box for box in char_boxes(result.path) if left <= box[0] and box[2] <= right]
    assert len(on_spine) > 20  # title and author
    x0, x1 = min(b[0] for b in on_spine), max(b[2] for b in on_spine)
    y0, y1 = min(b[1] for b in on_spine), max(b[3] for b in on_spine)
    assert (x0 + x1) / 2 == pytest.approx((left + right) / 2, abs=1.5)
    assert (y0 + y1) / 2 == pytest.approx((bottom + top) / 2, abs=1.5)


def test_a_thin_spine_carries_no_text_and_the_page_count_comes_from_the_interior(tmp_path):
    result = make_cover(SAMPLE, CoverOptions(printer="kdp", paper="cream", out_dir=tmp_path))
    interior = tmp_path / "the-lighthouse-keepers-daughter" / "the-lighthouse-keepers-daughter-print.pdf"
    with pikepdf.open(interior) as pdf:
        pages = len(pdf.pages)
    assert result.geometry.pages == pages and not result.geometry.spine_text
    assert result.geometry.spine == pytest.approx(pages * 0.0025 * INCH)


def test_spine_text_begins_at_the_printers_79_pages_and_a_spine_too_thin_for_5_pt_says_so(tmp_path):
    counts = (("a", 78), ("b", 79), ("c", 120))
    below, at, wider = (cover(tmp_path / name, pages=pages) for name, pages in counts)
    assert not below.geometry.spine_text and at.geometry.spine_text
    assert text_in(below.path, below.geometry.spine_box).strip() == ""
    assert not any("spine" in str(item) for item in below.diagnostics.items)
    # at 79 pages kdp allows spine text, but 0.178 in less 0.0625 in each side leaves room for 2.9 pt
    assert text_in(at.path, at.geometry.spine_box).strip() == ""
    assert any("the spine is 0.178 in wide" in str(item) and "left blank" in str(item)
               for item in at.diagnostics.items)
    assert "Elspeth Varley" in text_in(wider.path, wider.geometry.spine_box)


def test_a_paper_without_a_spine_width_is_refused_with_the_papers_offered(tmp_path):
    with pytest.raises(BooksmithError, match=r"no spine width for 'glossy'.*cream, white"):
        make_cover(SAMPLE, CoverOptions(printer="kdp", paper="glossy", pages=300, out_dir=tmp_path))


def test_a_printer_without_spine_widths_is_refused_naming_its_profile(tmp_path):
    with pytest.raises(BooksmithError, match=r"lulu\.json, at spine/per_page: lulu has no spine width"):
        cover(tmp_path, printer="lulu")


def test_a_page_count_beyond_the_printers_maximum_is_refused_naming_both_figures(tmp_path):
    with pytest.raises(BooksmithError) as caught:
        cover(tmp_path, pages=900)
    message = str(caught.value)
    assert "900 pages, more than the 828 kdp binds on white paper" in message
    assert "kdp.json" in message and "pages/max" in message
    with pytest.raises(BooksmithError, match=r"12 pages, fewer than the 24 kdp binds"):
        cover(tmp_path, pages=12)


def test_cream_paper_binds_fewer_pages_than_white_and_a_large_trim_fewer_still(tmp_path):
    """KDP: 828 pages on white, 776 on cream; at 8.5 x 11 in, 590 and 550 (the printer's data)."""
    assert cover(tmp_path / "white", pages=800).geometry.pages == 800
    with pytest.raises(BooksmithError) as caught:
        cover(tmp_path / "cream", pages=800, paper="cream")
    assert "800 pages, more than the 776 kdp binds on cream paper" in str(caught.value)
    assert "pages/max_by_paper" in str(caught.value)
    assert cover(tmp_path / "cream-ok", pages=776, paper="cream").geometry.pages == 776
    kdp = load_printer("kdp")
    letter = (8.5 * INCH, 11 * INCH)
    assert kdp.most_pages(letter, "white") == (590, "pages/max_by_trim")
    assert kdp.most_pages(letter, "cream") == (550, "pages/max_by_trim")
    assert kdp.most_pages(letter) == (590, "pages/max_by_trim"), "the interior, paper not yet chosen"
    assert kdp.most_pages((6 * INCH, 9 * INCH)) == (828, "pages/max_by_paper")
    with pytest.raises(BooksmithError, match=r"600 pages; kdp prints 24 to 590 at 8.5 in x 11 in"):
        check_page_count(600, kdp, letter)
    check_page_count(600, kdp, (6 * INCH, 9 * INCH))


def test_a_trim_the_printer_does_not_offer_is_refused(tmp_path):
    with pytest.raises(BooksmithError, match=r"kdp does not offer the trim 4.25 x 6.87"):
        cover(tmp_path, layout="pocket-4.25x6.87")


def test_the_front_image_covers_the_front_and_its_bleed_cropped_about_its_centre(tmp_path):
    result = cover(tmp_path, front=picture(tmp_path / "front.png"))
    geometry = result.geometry
    left, bottom, right, top = geometry.front_image_box
    assert (left, bottom, right, top) == pytest.approx(
        (geometry.front[0], 0.0, geometry.width, geometry.height))  # the outside, top and foot bleed
    pixels, matrix, _ = the_image(result.path)
    assert matrix == pytest.approx([right - left, 0, 0, top - bottom, left, bottom], abs=0.01)
    # cropped, never stretched: the pixels have the proportions of the box they fill
    assert pixels.size[1] == 3000
    assert pixels.size[0] == round(3000 * (right - left) / (top - bottom))
    # about the centre: the black bands at the picture's sides are cut away, the centre square kept
    width, height = pixels.size
    for x in (0, width - 1):
        assert pixels.getpixel((x, height // 2))[3] < 200, "a black side band survived the crop"
    assert pixels.getpixel((width // 2, height // 2)) == (0, 0, 0, 255)
    rendered = pdfium.PdfDocument(str(result.path))[0].render(scale=1).to_pil().convert("RGB")
    sheet_height = rendered.size[1]
    assert rendered.getpixel((rendered.size[0] - 1, sheet_height // 3)) != (255, 255, 255)  # outside bleed
    assert rendered.getpixel((round(left) + 20, 0)) != (255, 255, 255)  # top bleed
    assert rendered.getpixel((round(left) + 20, sheet_height - 1)) != (255, 255, 255)  # foot bleed
    spine_middle = round((geometry.spine_box[0] + geometry.spine_box[2]) / 2)
    assert rendered.getpixel((spine_middle, sheet_height - 3)) == (255, 255, 255)  # not over the spine


def test_the_front_image_is_cmyk_with_black_on_the_k_plate_alone_and_a_note_says_how(tmp_path):
    result = cover(tmp_path, front=picture(tmp_path / "front.png"))
    pixels, _, colour_space = the_image(result.path)
    assert colour_space == "/DeviceCMYK" and pixels.mode == "CMYK"
    width, height = pixels.size
    assert pixels.getpixel((width // 2, height // 2)) == (0, 0, 0, 255)
    cyan, _, yellow, black = pixels.getpixel((width // 2, 10))
    # sky blue comes back as itself under the plain CMYK-to-RGB a viewer uses
    assert (round((255 - cyan) * (255 - black) / 255), round((255 - yellow) * (255 - black) / 255)) == \
        pytest.approx((SKY[0], SKY[2]), abs=2)
    notes = [str(item) for item in result.diagnostics.items]
    assert any("front.png" in note and "plain conversion" in note for note in notes), notes


@pytest.mark.skipif(not FOGRA39.is_file(), reason="no CMYK ICC profile (TeX Live's FOGRA39) on this machine")
def test_with_a_cmyk_icc_profile_the_front_image_is_converted_through_it(tmp_path):
    result = cover(tmp_path, front=picture(tmp_path / "front.png"), icc=FOGRA39)
    pixels, _, colour_space = the_image(result.path)
    assert colour_space == "/DeviceCMYK"
    width, height = pixels.size
    cyan, _, _, black = pixels.getpixel((width // 2, height // 2))
    assert black > 240 and cyan > 100  # the profile's rich black, not the plain conversion's K alone
    assert any("FOGRA39L_coated.icc" in str(item) for item in result.diagnostics.items)


def test_a_front_image_below_300_ppi_warns_with_its_resolution_and_the_printers(tmp_path):
    result = cover(tmp_path, front=picture(tmp_path / "small.png", (1200, 1800)))
    assert result.front_ppi == pytest.approx(min(1192 / 6.125, 1800 / 9.25), abs=0.1)
    [warning] = [str(item) for item in result.diagnostics.items if item.severity == "warning"]
    assert "'small.png' prints at 195 ppi" in warning and "kdp's 300 ppi" in warning
    assert "1838 x 2775 pixels" in warning


def test_a_front_image_under_half_the_printers_resolution_is_refused(tmp_path):
    with pytest.raises(BooksmithError, match=r"'tiny.png' would print at 97 ppi.*least of 300 ppi"):
        cover(tmp_path, front=picture(tmp_path / "tiny.png", (600, 900)))


def test_the_title_is_set_over_a_front_image_only_when_asked(tmp_path):
    image = picture(tmp_path / "front.png")
    plain, titled = cover(tmp_path / "a", front=image), cover(tmp_path / "b", front=image, front_text=True)
    assert text_in(plain.path, plain.geometry.front).strip() == ""
    assert "Lighthouse" in text_in(titled.path, titled.geometry.front)
    typographic = cover(tmp_path / "c")
    assert "Elspeth Varley" in text_in(typographic.path, typographic.geometry.front)


def test_the_back_text_is_set_within_the_back_and_clear_of_the_barcode_zone(tmp_path):
    result = cover(tmp_path, back_text=BLURB)
    geometry = result.geometry
    text = " ".join(text_in(result.path, geometry.back).split())
    assert "On Skerrow Rock the lamp must be lit" in text and "hers alone to keep" in text
    left, bottom, right, top = geometry.back_text_box
    zone = geometry.barcode_zone
    on_back = [box for box in char_boxes(result.path) if box[2] <= geometry.back[2]]
    assert len(on_back) > 60
    for box in on_back:
        assert left - 0.5 <= box[0] and box[2] <= right + 0.5 and bottom <= box[1] and box[3] <= top + 3
        overlaps = box[0] < zone[2] and box[2] > zone[0] and box[1] < zone[3] and box[3] > zone[1]
        assert not overlaps


def test_the_back_text_can_come_from_a_file_or_the_front_matter(tmp_path):
    blurb = tmp_path / "blurb.md"
    blurb.write_text(BLURB, encoding="utf-8")
    from_file = cover(tmp_path / "a", back_text=str(blurb))
    assert "forty minutes" in text_in(from_file.path, from_file.geometry.back)
    manuscript = tmp_path / "book.md"
    manuscript.write_text("---\ntitle: The Tide Clock\nauthor: A. Writer\nback_cover: |\n  A clock that "
                          "keeps the tides.\n\n  And a second paragraph.\n---\n\n# One\n\nThe text.\n",
                          encoding="utf-8")
    result = make_cover(manuscript, CoverOptions(pages=100, out_dir=tmp_path / "b"))
    assert "keeps the tides" in text_in(result.path, result.geometry.back)
    assert not [item for item in result.diagnostics.items if "back_cover" in str(item)]


def test_back_text_too_long_for_the_back_is_refused_with_the_room_there_is(tmp_path):
    with pytest.raises(BooksmithError, match=r"back-cover text is .* in deep .* holds .* in above the "
                                             r"printer's barcode zone.*Shorten it by about \d+ words"):
        cover(tmp_path, back_text="The lamp was lit again. " * 400)


def test_back_text_that_is_not_paragraphs_or_a_missing_file_is_refused(tmp_path):
    with pytest.raises(BooksmithError, match="has a heading"):
        cover(tmp_path, back_text="# Praise\n\nA fine book.")
    with pytest.raises(BooksmithError, match="back-cover text file does not exist"):
        cover(tmp_path, back_text=str(tmp_path / "missing.md"))


def test_the_guides_are_drawn_in_the_guides_file_only(tmp_path):
    result = cover(tmp_path, front=picture(tmp_path / "front.png"), back_text=BLURB)
    assert result.guides_path.name == "the-lighthouse-keepers-daughter-cover-guides.pdf"
    clean_text = pdfium.PdfDocument(str(result.path))[0].get_textpage().get_text_range()
    guides_text = pdfium.PdfDocument(str(result.guides_path))[0].get_textpage().get_text_range()
    for label in ("trim", "spine fold", "safe area", "barcode zone"):
        assert label in guides_text and label not in clean_text
    with pikepdf.open(result.path) as clean, pikepdf.open(result.guides_path) as guides:
        assert "/ColorSpace" not in clean.pages[0].Resources
        [space] = guides.pages[0].Resources.ColorSpace.values()
        assert space[0] == "/Separation" and space[1] == "/booksmith-guides"
        assert list(clean.pages[0].TrimBox) == list(guides.pages[0].TrimBox)


def test_black_is_pure_k_and_no_rgb_or_gray_is_used(tmp_path):
    result = cover(tmp_path, front=picture(tmp_path / "front.png"), back_text=BLURB, front_text=True)
    with pikepdf.open(result.path) as pdf:
        colours = [(str(operator), [float(value) for value in operands])
                   for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
                   if str(operator) in ("k", "K", "rg", "RG", "g", "G", "sc", "scn", "cs", "CS")]
    assert ("k", [0, 0, 0, 1]) in colours
    assert all(operator == "k" and values in ([0, 0, 0, 1], [0, 0, 0, 0]) for operator, values in colours)


def test_the_same_cover_is_written_byte_for_byte_again(tmp_path):
    image = picture(tmp_path / "front.png")
    first, second = (cover(tmp_path / name, front=image, back_text=BLURB) for name in ("a", "b"))
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.guides_path.read_bytes() == second.guides_path.read_bytes()


def test_the_command_line_names_both_files_and_refuses_a_page_count_out_of_range(tmp_path, capsys):
    image = picture(tmp_path / "front.png")
    code = main(["cover", str(SAMPLE), "--pages", "300", "--front", str(image), "--back-text", BLURB,
                 "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0 and "12.926 x 9.250 in" in out and "cover-guides.pdf" in out and "front image at" in out
    assert main(["cover", str(SAMPLE), "--pages", "900", "--out", str(tmp_path)]) == 1
    assert "more than the 828 kdp binds" in capsys.readouterr().err
