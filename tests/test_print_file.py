"""The print file for real printers, read back with pikepdf: images in the interior's colour space
with their resolution reported, images grown into the bleed, crop and bleed marks for a proof copy,
PDF/X-1a and PDF/X-4, 'printer:' in a preset, and Pride and Prejudice built for each printer."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from booksmith.cli import main
from booksmith.errors import BooksmithError, Diagnostics
from booksmith.fonts import FontRegistry
from booksmith.manuscript import ManuscriptOptions, parse_manuscript
from booksmith.pagemodel import Image as PlacedImage
from booksmith.pagemodel import PageModel
from booksmith.paginate import paginate
from booksmith.pipeline import BuildOptions, BuildResult, build
from booksmith.preset import load_preset
from booksmith.printers import PageBleed, load_printer
from booksmith.proof import ProofOptions, proof
from booksmith.render import PRINT, render_pdf
from booksmith.resources import fonts_dir
from booksmith.typeset import typeset
from conftest import SAMPLE, corpus_file, fake_cmyk_icc

INCH = 72.0
PRINTERS = ("kdp", "ingramspark", "lulu")


# --- reading a print file back ------------------------------------------------------------------


def operators(page: pikepdf.Page) -> list[tuple[str, list]]:
    return [(str(op), list(operands)) for operands, op in pikepdf.parse_content_stream(page)]


def rgb_uses(pdf: pikepdf.Pdf) -> list[str]:
    """Every place the file uses RGB: colour operators, colour spaces set by name, images, and
    transparency groups blended in RGB."""
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        for op, operands in operators(page):
            if op in ("rg", "RG"):
                found.append(f"page {number}: {op} {operands}")
            elif op in ("cs", "CS") and str(operands[0]) in ("/DeviceRGB", "/CalRGB"):
                found.append(f"page {number}: {op} {operands[0]}")
        for name, xobject in page.Resources.get("/XObject", {}).items():
            space = xobject.get("/ColorSpace")
            if space is not None and _is_rgb(space):
                found.append(f"page {number}: image {name} in {space}")
        group = page.obj.get("/Group")
        if group is not None and _is_rgb(group.get("/CS", pikepdf.Name.DeviceGray)):
            found.append(f"page {number}: an RGB transparency group")
    return found


def _is_rgb(space: object) -> bool:
    if isinstance(space, pikepdf.Array):
        kind = str(space[0])
        if kind == "/ICCBased":
            return int(space[1].N) == 3
        if kind == "/Indexed":
            return _is_rgb(space[1])
        return kind in ("/CalRGB",)
    return str(space) in ("/DeviceRGB", "/CalRGB")


def unembedded_fonts(pdf: pikepdf.Pdf) -> set[str]:
    missing = set()
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor")
            files = ("/FontFile", "/FontFile2", "/FontFile3")
            if descriptor is None or not any(key in descriptor for key in files):
                missing.add(str(font.get("/BaseFont")))
    return missing


def box(page: pikepdf.Page, name: str) -> list[float]:
    return [round(float(value), 3) for value in page.obj[name]]


def is_blank(page: pikepdf.Page) -> bool:
    return not any(op in ("BT", "Do") for op, _ in operators(page))


def least_text_x(page: pikepdf.Page) -> float | None:
    """The left end of the page's leftmost line of text (each line is 'BT 1 0 0 1 x y Tm'), in the
    page's own coordinates after the page-wide translation to the trim."""
    shift = 0.0
    xs = []
    for op, operands in operators(page):
        if op == "cm" and not xs and [float(v) for v in operands[:4]] == [1, 0, 0, 1]:
            shift += float(operands[4])
        elif op == "Tm":
            xs.append(float(operands[4]))
    return shift + min(xs) if xs else None


def stroked_segments(page: pikepdf.Page) -> list[tuple[float, float, float, float]]:
    """Every straight segment a page strokes ('x y m x y l' ... 'S'), as (x0, y0, x1, y1)."""
    segments, pending = [], []
    start: tuple[float, float] | None = None
    for op, operands in operators(page):
        if op == "m":
            start = (float(operands[0]), float(operands[1]))
        elif op == "l" and start is not None:
            pending.append((*start, float(operands[0]), float(operands[1])))
        elif op == "S":
            segments += pending
            pending = []
        elif op in ("n", "f", "B", "b"):
            pending = []
    return segments


# --- Pride and Prejudice for each printer -------------------------------------------------------


@dataclass(frozen=True)
class NovelBuilds:
    printer: str
    bled: BuildResult  # with --bleed, the printer's own PDF/X
    plain: BuildResult  # without bleed; IngramSpark's as PDF/X-4


@pytest.fixture(scope="module", params=PRINTERS)
def novel(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> NovelBuilds:
    """The novel built once with bleed and once without for each printer (about 5 s a build)."""
    novel_path = corpus_file("pride-and-prejudice.md")
    printer = request.param
    folder = tmp_path_factory.mktemp(f"novel-{printer}")
    bled = build(novel_path, BuildOptions(out_dir=folder / "bled", printer=printer, bleed=True))
    x4 = {"pdfx": "x4", "icc": fake_cmyk_icc(folder / "press.icc")} if printer == "ingramspark" else {}
    plain = build(novel_path, BuildOptions(out_dir=folder / "plain", printer=printer, **x4))
    return NovelBuilds(printer, bled, plain)


def test_the_novels_pages_are_the_trim_without_bleed_and_grow_on_the_printers_edges_with_it(novel):
    rules = load_printer(novel.printer)
    bleed = PageBleed.of(rules)
    width, height = 6 * INCH, 9 * INCH
    with pikepdf.open(novel.plain.print_pdf.path) as pdf:
        for page in pdf.pages:
            assert box(page, "/MediaBox") == [0, 0, width, height]
            assert box(page, "/TrimBox") == [0, 0, width, height]
    with pikepdf.open(novel.bled.print_pdf.path) as pdf:
        for index, page in enumerate(pdf.pages):
            side = "recto" if index % 2 == 0 else "verso"
            left, right = bleed.left(side), bleed.right(side)
            media = [0, 0, left + width + right, bleed.bottom + height + bleed.top]
            assert box(page, "/MediaBox") == media, index
            assert box(page, "/BleedBox") == media, index
            assert box(page, "/TrimBox") == [left, bleed.bottom, left + width, bleed.bottom + height], index


def test_the_novels_page_count_meets_the_printers_rules(novel):
    rules = load_printer(novel.printer)
    for result in (novel.bled, novel.plain):
        with pikepdf.open(result.print_pdf.path) as pdf:
            blanks = [is_blank(page) for page in pdf.pages]
        count = len(blanks)
        assert rules.min_pages <= count <= rules.max_pages and count == result.print_pdf.pages
        assert count % 2 == 0 or not rules.even_pages
        assert blanks[-1] or not rules.last_page_blank
        run = longest = 0
        for blank in blanks:
            run = run + 1 if blank else 0
            longest = max(longest, run)
        assert longest <= rules.max_consecutive_blank


def test_the_novels_gutter_is_its_page_bands_read_from_the_rectos_text(novel):
    rules = load_printer(novel.printer)
    result = novel.plain
    band = rules.inside_margin(result.print_pdf.pages)
    assert result.inside_margin == pytest.approx(max(0.8 * INCH, band))  # novel-6x9's gutter, or the band's
    with pikepdf.open(result.print_pdf.path) as pdf:
        lefts = [least_text_x(page) for page in list(pdf.pages)[::2]]  # rectos: the gutter is on the left
    body_lefts = [left for left in lefts if left is not None]
    hanging = 0.5 * result.preset.body.size  # an opening quote hangs into the margin
    assert min(body_lefts) >= result.inside_margin - hanging
    assert sorted(body_lefts)[len(body_lefts) // 2] == pytest.approx(result.inside_margin, abs=0.5)


def test_the_novels_print_file_embeds_every_font_and_uses_no_rgb(novel):
    for result in (novel.bled, novel.plain):
        with pikepdf.open(result.print_pdf.path) as pdf:
            assert unembedded_fonts(pdf) == set()
            assert rgb_uses(pdf) == []
            blacks = {(op, tuple(float(v) for v in operands)) for page in list(pdf.pages)[:40]
                      for op, operands in operators(page) if op in ("k", "K", "g", "G")}
        if load_printer(novel.printer).colour_space == "gray":
            assert blacks and {op for op, _ in blacks} <= {"g", "G"} and {v for _, v in blacks} == {(0.0,)}
        else:
            assert blacks == {("k", (0, 0, 0, 1)), ("K", (0, 0, 0, 1))} or blacks == {("k", (0, 0, 0, 1))}


def test_the_novel_declares_pdfx_where_the_printer_wants_it_with_keys_intent_and_xmp(novel):
    with pikepdf.open(novel.bled.print_pdf.path) as pdf:
        if novel.printer != "ingramspark":
            assert "/OutputIntents" not in pdf.Root and "/GTS_PDFXVersion" not in pdf.docinfo
            return
        assert pdf.pdf_version == "1.3"
        assert str(pdf.docinfo.GTS_PDFXVersion) == str(pdf.docinfo.GTS_PDFXConformance) == "PDF/X-1a:2001"
        assert pdf.docinfo.Trapped == pikepdf.Name("/False")
        [intent] = list(pdf.Root.OutputIntents)
        assert str(intent.S) == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "CGATS TR 001"
        assert pdf.open_metadata()["pdfx:GTS_PDFXVersion"] == "PDF/X-1a:2001"
    assert novel.plain.pdfx == "PDF/X-4"
    with pikepdf.open(novel.plain.print_pdf.path) as pdf:
        assert pdf.pdf_version == "1.6"
        info = pdf.docinfo
        assert str(info.GTS_PDFXVersion) == "PDF/X-4" and "/GTS_PDFXConformance" not in info
        assert info.Trapped == pikepdf.Name("/False")
        [intent] = list(pdf.Root.OutputIntents)
        assert str(intent.S) == "/GTS_PDFX" and int(intent.DestOutputProfile.N) == 4
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["xmpMM:DocumentID"].startswith("uuid:") and meta["xmpMM:RenditionClass"] == "default"
        assert meta["dc:title"] == "Pride and Prejudice"


def test_the_novel_with_bleed_passes_its_printers_proof(novel):
    """The proof's printer checks (margins from the trim, boxes, bleed, ink, page count); whether
    every word arrived is the business of the text tests."""
    pdf = novel.bled.print_pdf.path
    proofed = proof(pdf, ProofOptions(printer=novel.printer, images=False, out_dir=pdf.parent / "proof"))
    assert proofed.errors == 0


# --- images -------------------------------------------------------------------------------------


def book_with_images(folder: Path, images: dict[str, tuple[int, int]]) -> Path:
    """The sample book with each image (name: pixel size, an RGB picture) as a figure after the
    opening paragraph of its own chapter."""
    for name, size in images.items():
        picture = Image.new("RGB", size, (40, 120, 200))
        picture.paste((240, 200, 30), (size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4))
        picture.save(folder / name)
    text = SAMPLE.read_text(encoding="utf-8")
    chapters = text.split("\n# ")
    for index, name in enumerate(images, start=1):
        head, _, rest = chapters[index].partition("\n\n")
        first, _, after = rest.partition("\n\n")
        chapters[index] = f"{head}\n\n{first}\n\n![A picture called {name}]({name})\n\n{after}"
    path = folder / "book.md"
    path.write_text("\n# ".join(chapters), encoding="utf-8")
    return path


def drawn_image_spaces(pdf_path: Path) -> dict[int, list[str]]:
    with pikepdf.open(pdf_path) as pdf:
        return {number: [str(x.ColorSpace) for x in page.Resources.get("/XObject", {}).values()]
                for number, page in enumerate(pdf.pages, start=1) if "/XObject" in page.Resources}


def test_images_in_a_black_and_white_print_file_are_gray_and_the_screen_file_keeps_rgb(tmp_path):
    book = book_with_images(tmp_path, {"photo.png": (1500, 1000)})
    result = build(book, BuildOptions(out_dir=tmp_path / "out", printer="kdp"))
    assert load_printer("kdp").interior == "black-and-white"
    print_spaces = drawn_image_spaces(result.print_pdf.path)
    assert list(print_spaces.values()) == [["/DeviceGray"]]
    assert list(drawn_image_spaces(result.screen_pdf.path).values()) == [["/DeviceRGB"]]
    [use] = result.images
    assert (use.name, use.pixels, use.page) == ("photo.png", (1500, 1000), next(iter(print_spaces)))
    assert use.ppi == pytest.approx(1500 / (use.placed.width / INCH))
    assert use.ppi > 300 and not [item for item in result.diagnostics.items if "photo.png" in item.message]
    with pikepdf.open(result.print_pdf.path) as pdf:
        assert rgb_uses(pdf) == []


def test_the_gray_pixels_are_the_pictures_luminance(tmp_path):
    book = book_with_images(tmp_path, {"photo.png": (600, 400)})
    result = build(book, BuildOptions(out_dir=tmp_path / "out", printer="lulu"))
    with pikepdf.open(result.print_pdf.path) as pdf:
        [image] = [x for page in pdf.pages for x in page.Resources.get("/XObject", {}).values()]
        pixels = pikepdf.PdfImage(image).as_pil_image()
    assert pixels.mode == "L"
    assert pixels.getpixel((5, 5)) == round(0.299 * 40 + 0.587 * 120 + 0.114 * 200)
    assert pixels.getpixel((300, 200)) == round(0.299 * 240 + 0.587 * 200 + 0.114 * 30)


def test_a_print_file_without_a_printer_carries_its_images_in_cmyk_with_black_for_the_gray(tmp_path):
    book = book_with_images(tmp_path, {"photo.png": (600, 400)})
    result = build(book, BuildOptions(out_dir=tmp_path / "out"))
    with pikepdf.open(result.print_pdf.path) as pdf:
        [image] = [x for page in pdf.pages for x in page.Resources.get("/XObject", {}).values()]
        assert str(image.ColorSpace) == "/DeviceCMYK"
        pixels = pikepdf.PdfImage(image).as_pil_image()
        assert rgb_uses(pdf) == []
    # RGB (40, 120, 200): C M Y = 215 135 55; their common 55 goes to black
    assert pixels.getpixel((5, 5)) == (160, 80, 0, 55)
    assert list(drawn_image_spaces(result.screen_pdf.path).values()) == [["/DeviceRGB"]]


def test_a_transparent_image_is_flattened_on_white(tmp_path):
    picture = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    picture.paste((0, 0, 0, 255), (200, 0, 400, 300))
    picture.save(tmp_path / "half.png")
    book = book_with_images(tmp_path, {})
    text = book.read_text(encoding="utf-8").replace("\n# ", "\n![Half](half.png)\n\n# ", 1)
    book.write_text(text, encoding="utf-8")
    result = build(book, BuildOptions(out_dir=tmp_path / "out", printer="kdp"))
    with pikepdf.open(result.print_pdf.path) as pdf:
        [image] = [x for page in pdf.pages for x in page.Resources.get("/XObject", {}).values()]
        assert "/SMask" not in image and "/Mask" not in image
        pixels = pikepdf.PdfImage(image).as_pil_image()
    assert (pixels.getpixel((10, 10)), pixels.getpixel((390, 10))) == (255, 0)


def test_an_image_below_the_printers_resolution_is_warned_about_naming_the_page_and_both_figures(tmp_path):
    book = book_with_images(tmp_path, {"photo.png": (1500, 1000), "sketch.png": (328, 200)})
    result = build(book, BuildOptions(out_dir=tmp_path / "out", printer="ingramspark"))
    sketch = next(use for use in result.images if use.name == "sketch.png")
    assert sketch.ppi == pytest.approx(72, abs=1)
    warnings = [item.message for item in result.diagnostics.items if item.severity.value == "warning"
                and "sketch.png" in item.message and "page" in item.message]
    assert len(warnings) == 1
    assert f"on page {sketch.page} " in warnings[0]
    assert "72 ppi" in warnings[0] and "ingramspark's minimum of 300 ppi" in warnings[0]
    assert "328 x 200 px" in warnings[0]
    assert not [item for item in result.diagnostics.items if "photo.png" in item.message]
    with pikepdf.open(result.print_pdf.path) as pdf:
        page = pdf.pages[sketch.page - 1]
        assert len(page.Resources.XObject) == 1, "the warning names the page the image is on"


def test_the_build_prints_each_images_pixels_size_resolution_and_page(tmp_path, capsys):
    book = book_with_images(tmp_path, {"photo.png": (1500, 1000)})
    assert main(["build", str(book), "--printer", "kdp", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if "image photo.png" in line]
    assert "1500 x 1000 px at 4.55 x 3.03 in, 330 ppi, page " in line


# --- images into the bleed ----------------------------------------------------------------------


def sample_model() -> PageModel:
    """The sample book laid out as the pipeline lays it out, for drawing pages with hand-placed images."""
    diagnostics = Diagnostics()
    book = parse_manuscript(SAMPLE, diagnostics, ManuscriptOptions())
    preset = load_preset("novel-6x9")
    galley = typeset(book, preset, FontRegistry([fonts_dir()]), diagnostics)
    return paginate(galley, preset, diagnostics)


def test_an_image_reaching_the_trim_grows_into_the_bleed_on_those_edges_only(tmp_path):
    picture = tmp_path / "sea.png"
    Image.new("RGB", (2000, 1200), (30, 60, 90)).save(picture)
    model = sample_model()
    width, height = model.width, model.height
    # on the first recto: from the middle to the fore-edge, from the middle to the head
    placed = PlacedImage(picture, width / 2, height / 2, width / 2, height / 2)
    pages = list(model.pages)
    pages[0] = replace(pages[0], images=(placed,))
    kdp = load_printer("kdp")
    profile = replace(PRINT, bleed=PageBleed.of(kdp), image_mode="L")
    path = tmp_path / "bled.pdf"
    render_pdf(replace(model, pages=tuple(pages)), profile, path)
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        assert box(page, "/TrimBox") == [0, 9, width, 9 + height]
        found = operators(page)
    clip = next(operands for op, operands in found if op == "re")
    assert [float(v) for v in clip] == pytest.approx([width / 2, height / 2, width / 2 + 9, height / 2 + 9])
    matrix = [float(v) for v in [operands for op, operands in found if op == "cm"][-1]]
    drawn = (matrix[4], matrix[5], matrix[4] + matrix[0], matrix[5] + matrix[3])
    # the picture, in its own proportions, covers the grown box
    assert matrix[0] / matrix[3] == pytest.approx(2000 / 1200)
    assert drawn[0] <= width / 2 and drawn[1] <= height / 2
    assert drawn[2] >= width + 9 - 0.01 and drawn[3] >= height + 9 - 0.01
    # pixels (y down from the top of the bled page): the head and fore-edge bleed beside the picture
    # are picture; its left edge, inside the page, is not moved; the foot's bleed stays paper
    bitmap = pdfium.PdfDocument(str(path))[0].render(scale=1).to_pil().convert("L")
    assert bitmap.getpixel((int(width + 4), 4)) < 100, "the top right corner of the bleed is picture"
    assert bitmap.getpixel((int(width / 2 + 3), 100)) < 100
    assert bitmap.getpixel((int(width / 2 - 3), 100)) > 250, "left of the picture stays white"
    assert bitmap.getpixel((int(width - 5), bitmap.height - 4)) > 250, "the foot's bleed is not picture"


def test_an_image_inside_the_text_block_keeps_its_place_with_bleed_on(tmp_path):
    book = book_with_images(tmp_path, {"photo.png": (1500, 1000)})
    bled = build(book, BuildOptions(out_dir=tmp_path / "bled", printer="kdp", bleed=True))
    [use] = bled.images
    plain = build(book, BuildOptions(out_dir=tmp_path / "plain", printer="kdp"))
    assert use.placed == plain.images[0].placed


# --- crop and bleed marks -----------------------------------------------------------------------


def test_marks_grow_the_sheet_around_the_trim_and_lie_outside_the_bleed_box(tmp_path):
    result = build(SAMPLE, BuildOptions(out_dir=tmp_path, marks=True))
    width, height = 6 * INCH, 9 * INCH
    with pikepdf.open(result.print_pdf.path) as pdf:
        for page in list(pdf.pages)[:4]:
            media, trim, bleed = box(page, "/MediaBox"), box(page, "/TrimBox"), box(page, "/BleedBox")
            assert bleed == trim, "no bleed: the BleedBox is the trim"
            assert trim[2] - trim[0] == width and trim[3] - trim[1] == height
            assert media[0] < trim[0] and media[1] < trim[1] and media[2] > trim[2] and media[3] > trim[3]
            assert trim[0] - media[0] == media[2] - trim[2], "the slug is the same all round"
            marks = stroked_segments(page)
            assert len(marks) == 8, "two marks at each corner"
            for x0, y0, x1, y1 in marks:
                outside_x = max(x0, x1) < bleed[0] or min(x0, x1) > bleed[2]
                outside_y = max(y0, y1) < bleed[1] or min(y0, y1) > bleed[3]
                assert outside_x or outside_y, "a mark never enters the page"
                assert (y0 == y1 and y0 in (trim[1], trim[3])) or (x0 == x1 and x0 in (trim[0], trim[2])), \
                    "each mark lies on a line of the trim"
            colours = [(op, [float(v) for v in operands]) for op, operands in operators(page)
                       if op in ("K", "G", "RG")]
            assert colours[0] == ("K", [0, 0, 0, 1]), "the marks are pure black"


def test_with_bleed_the_marks_include_bleed_marks_on_the_bled_edges(tmp_path):
    model = sample_model()
    lulu = load_printer("lulu")
    profile = replace(PRINT, bleed=PageBleed.of(lulu), marks=True, image_mode="L")
    path = tmp_path / "marked.pdf"
    render_pdf(model, profile, path)
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        media, trim, bleed = box(page, "/MediaBox"), box(page, "/TrimBox"), box(page, "/BleedBox")
        marks = stroked_segments(page)
    assert bleed == [trim[0] - 9, trim[1] - 9, trim[2] + 9, trim[3] + 9]
    assert media[0] < bleed[0] and media[2] > bleed[2]
    assert len(marks) == 16, "a crop mark and a bleed mark each way at each corner"
    on_bleed_lines = [m for m in marks if (m[1] == m[3] and m[1] in (bleed[1], bleed[3]))
                      or (m[0] == m[2] and m[0] in (bleed[0], bleed[2]))]
    assert len(on_bleed_lines) == 8
    for x0, y0, x1, y1 in marks:
        outside_x = max(x0, x1) < bleed[0] or min(x0, x1) > bleed[2]
        assert outside_x or max(y0, y1) < bleed[1] or min(y0, y1) > bleed[3]
    bitmap = pdfium.PdfDocument(str(path))[0].render(scale=2).to_pil().convert("L")
    mark = next(m for m in marks if m[1] == m[3] == trim[3] and m[2] < bleed[0])  # top left, on the trim
    x, y = (mark[0] + mark[2]) / 2 * 2, (media[3] - mark[1]) * 2
    assert min(bitmap.getpixel((int(x), int(y) + d)) for d in (-1, 0, 1)) < 160, "the mark is drawn"


@pytest.mark.parametrize("printer", PRINTERS)
def test_marks_for_a_printer_that_takes_none_go_on_a_proof_copy_and_the_upload_file_stays_clean(
        tmp_path, printer):
    """KDP, IngramSpark and Lulu all ask for files without printer's marks: the print PDF is the one
    a build without --marks writes, byte for byte, and the marks are on a proof copy beside it."""
    marked = build(SAMPLE, BuildOptions(out_dir=tmp_path / "marked", printer=printer, bleed=True, marks=True,
                                        cache=False))
    clean = build(SAMPLE, BuildOptions(out_dir=tmp_path / "clean", printer=printer, bleed=True, cache=False))
    assert marked.print_pdf.path.read_bytes() == clean.print_pdf.path.read_bytes()
    copy = marked.proof_copy
    assert copy is not None and copy.path.name == "the-lighthouse-keepers-daughter-proof-copy.pdf"
    assert copy.pages == marked.print_pdf.pages
    with pikepdf.open(copy.path) as pdf, pikepdf.open(marked.print_pdf.path) as upload:
        for page, plain in zip(pdf.pages, upload.pages):
            assert box(page, "/TrimBox") != box(page, "/MediaBox"), "the sheet is larger than the page"
            assert [v - w for v, w in zip(box(page, "/BleedBox"), box(page, "/TrimBox"))] == [
                v - w for v, w in zip(box(plain, "/BleedBox"), box(plain, "/TrimBox"))], "the same bleed"
            assert len(stroked_segments(page)) >= 8, "crop marks at the corners"
    notes = [item.message for item in marked.diagnostics.items if "proof copy" in item.message]
    assert notes and load_printer(printer).marks_rule in notes[0]


def test_marks_on_the_command_line_for_kdp_name_the_proof_copy(tmp_path, capsys):
    code = main(["build", str(SAMPLE), "--printer", "kdp", "--marks", "--out", str(tmp_path), "--no-cache"])
    assert code == 0
    out = capsys.readouterr()
    assert "proof-copy.pdf" in out.out and "not for upload" in out.out
    assert "printer's marks should be disabled" in out.err


# --- PDF/X versions -----------------------------------------------------------------------------


def test_pdfx_4_is_written_for_ingramspark_on_request_with_the_profile_embedded(tmp_path):
    icc = fake_cmyk_icc(tmp_path / "press.icc")
    result = build(SAMPLE, BuildOptions(out_dir=tmp_path, printer="ingramspark", pdfx="x4", icc=icc))
    assert result.pdfx == "PDF/X-4"
    with pikepdf.open(result.print_pdf.path) as pdf:
        assert pdf.pdf_version == "1.6" and str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        assert "/GTS_PDFXConformance" not in pdf.docinfo
        assert pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes() == icc.read_bytes()
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4" and "pdfx:GTS_PDFXVersion" not in meta
        assert meta["xmpMM:VersionID"] == "1"
    again = build(SAMPLE, BuildOptions(out_dir=tmp_path / "again", printer="ingramspark", pdfx="x4", icc=icc))
    assert again.print_pdf.path.read_bytes() == result.print_pdf.path.read_bytes()
    proofed = proof(result.print_pdf.path, ProofOptions(printer="ingramspark", images=False,
                                                        out_dir=tmp_path / "proof"))
    assert [f.message for f in proofed.findings if f.check == "pdfx"] == [], "a version the printer takes"


def test_pdfx_4_without_an_icc_profile_is_refused_and_says_what_to_give(tmp_path):
    with pytest.raises(BooksmithError) as caught:
        build(SAMPLE, BuildOptions(out_dir=tmp_path, printer="ingramspark", pdfx="x4"))
    message = str(caught.value)
    assert "PDF/X-4 needs" in message and "--icc FILE" in message and "--pdfx x1a" in message


@pytest.mark.parametrize("printer, asked, accepted", [
    ("kdp", "x4", "plain PDF, PDF/X-1a:2001"),
    ("ingramspark", "none", "PDF/X-1a:2001, PDF/X-4"),
    ("lulu", "x1a", "plain PDF"),
])
def test_a_pdfx_version_the_printer_does_not_take_is_refused_naming_those_it_accepts(tmp_path, printer, asked,
                                                                                     accepted):
    with pytest.raises(BooksmithError) as caught:
        build(SAMPLE, BuildOptions(out_dir=tmp_path, printer=printer, pdfx=asked))
    message = str(caught.value)
    assert f"it accepts {accepted}" in message and f"{printer}.json" in message and "pdfx/accepted" in message


def test_pdfx_1a_may_be_asked_of_kdp_and_plain_pdf_of_a_book_without_a_printer(tmp_path):
    kdp = build(SAMPLE, BuildOptions(out_dir=tmp_path / "kdp", printer="kdp", pdfx="x1a"))
    with pikepdf.open(kdp.print_pdf.path) as pdf:
        assert pdf.pdf_version == "1.3" and str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1a:2001"
    plain = build(SAMPLE, BuildOptions(out_dir=tmp_path / "plain", pdfx="x1a"))
    assert plain.pdfx == "PDF/X-1a:2001"


# --- 'printer:' in a preset ---------------------------------------------------------------------


def write_preset(folder: Path, name: str, data: dict) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_preset_may_name_the_printer_and_a_preset_extending_it_inherits_it(tmp_path):
    base = write_preset(tmp_path, "for-lulu", {"extends": "novel-6x9", "printer": "lulu"})
    child = write_preset(tmp_path, "child", {"extends": str(base), "body": {"size": "11.5pt"}})
    assert load_preset(str(base)).printer == "lulu" and load_preset(str(child)).printer == "lulu"
    assert load_preset("novel-6x9").printer is None
    result = build(SAMPLE, BuildOptions(out_dir=tmp_path / "out", layout=str(child)))
    assert result.printer == "lulu"


def test_the_printer_flag_beats_the_front_matter_which_beats_the_preset(tmp_path):
    preset = write_preset(tmp_path, "for-lulu", {"extends": "novel-6x9", "printer": "lulu"})
    book = tmp_path / "book.md"
    text = SAMPLE.read_text(encoding="utf-8").replace("---\n", "---\nprinter: kdp\n", 1)
    book.write_text(text, encoding="utf-8")
    assert build(book, BuildOptions(out_dir=tmp_path / "a", layout=str(preset))).printer == "kdp"
    flagged = build(book, BuildOptions(out_dir=tmp_path / "b", layout=str(preset), printer="ingramspark"))
    assert flagged.printer == "ingramspark"


def test_an_unknown_printer_in_a_preset_is_named_with_the_preset_and_its_key(tmp_path):
    preset = write_preset(tmp_path, "typo", {"extends": "novel-6x9", "printer": "lullu"})
    with pytest.raises(BooksmithError) as caught:
        build(SAMPLE, BuildOptions(out_dir=tmp_path, layout=str(preset)))
    message = str(caught.value)
    assert str(preset) in message and "at printer" in message and "Did you mean 'lulu'" in message
