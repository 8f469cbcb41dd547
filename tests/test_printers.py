"""Printer profiles (printers/*.json): loading and validating them, and builds fitted to them read
back from the PDF: the gutter by page count, bleed and page boxes, padding, bad input."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from booksmith.errors import BooksmithError
from booksmith.pagemodel import Page
from booksmith.pipeline import BuildOptions, build
from booksmith.printers import load_printer, printer_names
from booksmith.printers.fit import pad
from booksmith.printers.load import SCHEMA_PATH
from booksmith.proof import ProofOptions, proof
from conftest import SAMPLE, fake_cmyk_icc
from pdfread import page_lines

INCH = 72.0


def test_the_three_printers_are_bundled_and_load():
    assert {"kdp", "ingramspark", "lulu"} <= set(printer_names())
    kdp = load_printer("kdp")
    assert (kdp.min_pages, kdp.max_pages) == (24, 828)
    assert [band.max_pages for band in kdp.gutter] == [150, 300, 500, 700, 828]
    assert [band.inside / INCH for band in kdp.gutter] == [0.375, 0.5, 0.625, 0.75, 0.875]
    assert (kdp.min_margin / INCH, kdp.min_margin_with_bleed / INCH) == (0.25, 0.375)
    assert kdp.bleed_edges == {"top", "bottom", "outside"}
    assert kdp.spine_per_page["white"] == pytest.approx(0.002252 * INCH)
    assert kdp.spine_per_page["cream"] == pytest.approx(0.0025 * INCH)
    assert kdp.spine_text_min_pages == 79
    ingram = load_printer("ingramspark")
    assert ingram.pdfx_version == "PDF/X-1a:2001" and ingram.max_total_ink == 240
    assert ingram.last_page_blank and ingram.min_margin == 0.5 * INCH
    assert ingram.bleed_edges == {"top", "bottom", "outside"}
    lulu = load_printer("lulu")
    assert lulu.bleed_edges == {"top", "bottom", "outside", "inside"} and lulu.colour_space == "gray"


def test_every_figure_group_says_when_it_was_checked_and_where_it_came_from():
    for name in printer_names():
        data = json.loads((Path(load_printer(name).source)).read_text(encoding="utf-8"))
        for key, group in data.items():
            if isinstance(group, dict):
                assert group["checked"] and group["source"].startswith("http"), (name, key)


def test_every_schema_key_has_a_type_and_a_description():
    def walk(node: dict, path: str) -> None:
        for key, sub in node.get("properties", {}).items():
            assert "description" in sub or "$ref" in sub, f"{path}/{key}"
            assert "type" in sub or "$ref" in sub or "anyOf" in sub, f"{path}/{key}"
            walk(sub, f"{path}/{key}")

    walk(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")), "")


def test_an_unknown_printer_is_refused_with_the_nearest_name_and_the_list():
    with pytest.raises(BooksmithError) as caught:
        load_printer("kpd")
    message = str(caught.value)
    assert "kpd" in message and "Did you mean 'kdp'" in message and "ingramspark, kdp, lulu" in message


def test_bleed_without_a_printer_is_refused(tmp_path):
    with pytest.raises(BooksmithError, match="--bleed needs a printer"):
        build(SAMPLE, BuildOptions(out_dir=tmp_path, bleed=True))


def test_a_trim_the_printer_does_not_offer_is_refused_naming_both(tmp_path):
    with pytest.raises(BooksmithError) as caught:
        build(SAMPLE, BuildOptions(out_dir=tmp_path, printer="kdp", layout="pocket-4.25x6.87"))
    assert "4.25 x 6.87" in str(caught.value) and "6 x 9" in str(caught.value)


def test_a_book_shorter_than_the_printer_binds_is_refused_naming_the_figures(tmp_path):
    story = tmp_path / "story.md"
    story.write_text("---\ntitle: Short\nauthor: A. Writer\n---\n\n# One\n\nA few words only.\n")
    with pytest.raises(BooksmithError, match=r"has \d+ pages; kdp prints 24 to 828"):
        build(story, BuildOptions(out_dir=tmp_path, printer="kdp"))


def test_a_margin_below_the_printers_minimum_is_refused_naming_both_figures(tmp_path):
    story = tmp_path / "story.md"
    story.write_text("---\ntitle: Tight\nlayout: {extends: novel-6x9, margins: {outside: 0.3in}}\n---\n\n"
                     "# One\n\nText.\n")
    with pytest.raises(BooksmithError) as caught:
        build(story, BuildOptions(out_dir=tmp_path, printer="ingramspark"))
    message = str(caught.value)
    assert "outside margin" in message and "0.3 in" in message and "0.5 in" in message
    assert f"{story}, at layout/margins/outside" in message, "named where the writer set it"


def test_a_margin_below_the_printers_minimum_in_a_custom_preset_names_the_preset_and_the_key(tmp_path):
    preset = tmp_path / "tight.json"
    preset.write_text(json.dumps({"extends": "novel-6x9", "margins": {"bottom": "0.2in"}}), encoding="utf-8")
    with pytest.raises(BooksmithError) as caught:
        build(SAMPLE, BuildOptions(out_dir=tmp_path, printer="kdp", layout=str(preset)))
    message = str(caught.value)
    assert f"{preset}, at margins/bottom" in message
    assert "bottom margin of layout 'tight' is 0.2 in, less than kdp's minimum of 0.25 in" in message
    assert "without bleed" in message


def test_a_margin_enough_without_bleed_is_refused_with_it_naming_the_larger_figure(tmp_path):
    preset = tmp_path / "near.json"
    preset.write_text(json.dumps({"extends": "novel-6x9", "margins": {"outside": "0.3in"}}), encoding="utf-8")
    assert build(SAMPLE, BuildOptions(out_dir=tmp_path / "plain", printer="kdp", layout=str(preset))).printer
    with pytest.raises(BooksmithError) as caught:
        build(SAMPLE, BuildOptions(out_dir=tmp_path / "bled", printer="kdp", layout=str(preset), bleed=True))
    assert "outside margin of layout 'near' is 0.3 in, less than kdp's minimum of 0.375 in with bleed" in str(
        caught.value)


def test_a_trim_set_in_the_front_matter_is_named_there_when_the_printer_does_not_offer_it(tmp_path):
    story = tmp_path / "story.md"
    story.write_text("---\ntitle: Square\nlayout: {extends: novel-6x9, trim: {width: 7in, height: 7in}}\n"
                     "---\n\n# One\n\nText.\n")
    with pytest.raises(BooksmithError) as caught:
        build(story, BuildOptions(out_dir=tmp_path, printer="kdp"))
    message = str(caught.value)
    assert f"{story}, at layout/trim" in message and "7 x 7 in" in message and "8.5 x 8.5" in message


def test_an_unknown_printer_in_the_front_matter_names_the_manuscript(tmp_path):
    story = tmp_path / "story.md"
    story.write_text("---\ntitle: T\nprinter: ingram\n---\n\n# One\n\nText.\n")
    with pytest.raises(BooksmithError) as caught:
        build(story, BuildOptions(out_dir=tmp_path))
    message = str(caught.value)
    assert message.startswith(f"error: {story}: there is no printer profile named 'ingram'")
    assert "Did you mean 'ingramspark'?" in message


def test_the_printer_may_be_named_in_the_front_matter(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("---\n", "---\nprinter: lulu\n", 1)
    book = tmp_path / "book.md"
    book.write_text(text, encoding="utf-8")
    result = build(book, BuildOptions(out_dir=tmp_path))
    assert result.printer == "lulu"


def _long_manuscript(folder: Path, chapters: int) -> Path:
    phrase = ("the keeper walked along the harbour wall at dusk and counted the boats that came home "
              "while gulls wheeled over the grey water and the lamp turned slowly above him")
    words = phrase.split(" ")
    paragraphs = []
    for number in range(chapters):
        paragraphs.append(f"# Chapter {number + 1}\n")
        for index in range(30):
            start = (number * 7 + index * 3) % len(words)
            sentence = " ".join((words[start:] + words[:start]) * 3)
            paragraphs.append(sentence.capitalize() + ".\n")
    text = ("---\ntitle: The Long Book\nauthor: A. Writer\n"
            "layout: {extends: large-print-6x9, margins: {inside: 0.3in}}\n---\n\n" + "\n".join(paragraphs))
    path = folder / "long.md"
    path.write_text(text, encoding="utf-8")
    return path


def _recto_text_left(pdf: Path) -> float:
    """The least left edge of the text on the body pages that are rectos (odd page numbers)."""
    pages = page_lines(pdf)
    lefts = [min(line.x0 for line in lines) for index, lines in enumerate(pages)
             if index % 2 == 0 and len(lines) > 10]
    return min(lefts)


def test_the_gutter_widens_when_the_book_crosses_a_page_count_band(tmp_path):
    long_book = _long_manuscript(tmp_path, chapters=11)
    result = build(long_book, BuildOptions(out_dir=tmp_path / "long", printer="kdp"))
    assert 150 < result.print_pdf.pages <= 300
    assert result.layout_passes == 2
    assert result.inside_margin == pytest.approx(0.5 * INCH)
    assert _recto_text_left(result.print_pdf.path) == pytest.approx(0.5 * INCH, abs=0.2)
    short = build(SAMPLE, BuildOptions(out_dir=tmp_path / "short", printer="kdp"))
    assert short.inside_margin == pytest.approx(0.8 * INCH)  # novel-6x9's own gutter is wider than the band


def _boxes(pdf: Path, index: int) -> tuple[list[float], list[float], list[float]]:
    with pikepdf.open(pdf) as document:
        page = document.pages[index]
        return ([float(v) for v in page.MediaBox], [float(v) for v in page.TrimBox],
                [float(v) for v in page.BleedBox])


@pytest.mark.parametrize("printer, recto_left, recto_right, verso_left", [
    ("kdp", 0.0, 9.0, 9.0),
    ("ingramspark", 0.0, 9.0, 9.0),
    ("lulu", 9.0, 9.0, 9.0),
])
def test_bleed_grows_the_page_on_the_printers_edges_with_trim_and_bleed_boxes(tmp_path, printer, recto_left,
                                                                              recto_right, verso_left):
    result = build(SAMPLE, BuildOptions(out_dir=tmp_path, printer=printer, bleed=True))
    pdf = result.print_pdf.path
    width, height = 6 * INCH, 9 * INCH
    media, trim, bleed = _boxes(pdf, 0)  # a recto
    assert media == [0, 0, recto_left + width + recto_right, height + 18]
    assert trim == [recto_left, 9.0, recto_left + width, 9.0 + height]
    assert bleed == media
    media, trim, bleed = _boxes(pdf, 1)  # a verso: the outside edge is the left one
    assert trim == [verso_left, 9.0, verso_left + width, 9.0 + height]
    assert media[2] == verso_left + width + (9.0 if printer == "lulu" else 0.0)
    assert bleed == media
    # the text keeps its place on the trim: a recto's text starts the gutter's width from the trim
    with_bleed = page_lines(pdf)
    plain = build(SAMPLE, BuildOptions(out_dir=tmp_path / "plain", printer=printer))
    without = page_lines(plain.print_pdf.path)
    page = next(index for index, lines in enumerate(without) if len(lines) > 10 and index % 2 == 0)
    assert with_bleed[page][3].x0 - without[page][3].x0 == pytest.approx(recto_left, abs=0.01)
    assert with_bleed[page][3].y - without[page][3].y == pytest.approx(9.0, abs=0.11)


def test_ingramspark_books_end_on_a_blank_page_and_an_even_count(tmp_path):
    result = build(SAMPLE, BuildOptions(out_dir=tmp_path, printer="ingramspark"))
    pdf = result.print_pdf.path
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
    assert count % 2 == 0 and count == result.print_pdf.pages
    assert page_lines(pdf)[-1] == []


@dataclass(frozen=True)
class _Pages:
    pages: tuple[Page, ...]


def _text_pages(count: int) -> _Pages:
    return _Pages(tuple(Page(number, "recto" if number % 2 else "verso", "text", str(number), "arabic", ())
                        for number in range(1, count + 1)))


def test_padding_adds_a_blank_last_page_for_ingramspark_and_keeps_the_count_even():
    ingram, kdp = load_printer("ingramspark"), load_printer("kdp")
    padded = pad(_text_pages(40), ingram)
    assert padded.added == 2 and len(padded.model.pages) == 42
    assert [page.kind for page in padded.model.pages[-2:]] == ["blank", "blank"]
    assert [page.label for page in padded.model.pages[-2:]] == ["41", "42"]
    assert pad(_text_pages(41), ingram).added == 1
    assert pad(_text_pages(41), kdp).added == 1 and pad(_text_pages(40), kdp).added == 0


def test_lulu_interiors_are_grey_and_kdp_interiors_pure_k(tmp_path):
    lulu = build(SAMPLE, BuildOptions(out_dir=tmp_path / "lulu", printer="lulu")).print_pdf.path
    kdp = build(SAMPLE, BuildOptions(out_dir=tmp_path / "kdp", printer="kdp")).print_pdf.path
    with pikepdf.open(lulu) as document:
        stream = document.pages[4].Contents.read_bytes()
    assert b"0 g" in stream and b" k\n" not in stream
    with pikepdf.open(kdp) as document:
        stream = document.pages[4].Contents.read_bytes()
    assert b"0 0 0 1 k" in stream


def test_ingramspark_print_files_are_pdfx_1a_with_keys_intent_and_xmp(tmp_path):
    result = build(SAMPLE, BuildOptions(out_dir=tmp_path, printer="ingramspark"))
    assert result.pdfx == "PDF/X-1a:2001"
    assert any("CGATS TR 001" in item.message and "ICC" in item.message for item in result.diagnostics.items)
    with pikepdf.open(result.print_pdf.path) as pdf:
        assert pdf.pdf_version == "1.3"
        info = pdf.docinfo
        assert str(info.GTS_PDFXVersion) == "PDF/X-1a:2001"
        assert str(info.GTS_PDFXConformance) == "PDF/X-1a:2001"
        assert info.Trapped == pikepdf.Name("/False")
        [intent] = list(pdf.Root.OutputIntents)
        assert str(intent.S) == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "CGATS TR 001"
        assert str(intent.RegistryName) == "http://www.color.org"
        assert "/DestOutputProfile" not in intent
        meta = pdf.open_metadata()
        assert meta["pdfx:GTS_PDFXVersion"] == "PDF/X-1a:2001"
        assert meta["dc:title"] == "The Lighthouse Keeper\u2019s Daughter"
        assert meta["xmp:CreateDate"] and meta["xmp:ModifyDate"]
        assert all("/TrimBox" in page for page in pdf.pages)
    again = build(SAMPLE, BuildOptions(out_dir=tmp_path / "again", printer="ingramspark"))
    assert again.print_pdf.path.read_bytes() == result.print_pdf.path.read_bytes()


def test_a_given_icc_profile_is_embedded_as_the_output_intents_destination(tmp_path):
    icc = fake_cmyk_icc(tmp_path / "press.icc")
    result = build(SAMPLE, BuildOptions(out_dir=tmp_path, printer="ingramspark", icc=icc))
    with pikepdf.open(result.print_pdf.path) as pdf:
        [intent] = list(pdf.Root.OutputIntents)
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4 and profile.read_bytes() == icc.read_bytes()


def test_an_icc_profile_that_is_not_cmyk_is_refused(tmp_path):
    not_icc = tmp_path / "photo.icc"
    not_icc.write_bytes(b"not a profile" * 10)
    with pytest.raises(BooksmithError, match="not a CMYK output profile"):
        build(SAMPLE, BuildOptions(out_dir=tmp_path, printer="ingramspark", icc=not_icc))


def test_printers_that_take_plain_pdf_get_no_pdfx_keys(tmp_path):
    result = build(SAMPLE, BuildOptions(out_dir=tmp_path, printer="kdp"))
    with pikepdf.open(result.print_pdf.path) as pdf:
        assert "/GTS_PDFXVersion" not in pdf.docinfo and "/OutputIntents" not in pdf.Root


@pytest.mark.parametrize("printer", ["kdp", "ingramspark", "lulu"])
def test_a_book_built_for_a_printer_with_bleed_passes_that_printers_proof(tmp_path, printer):
    result = build(SAMPLE, BuildOptions(out_dir=tmp_path, printer=printer, bleed=True))
    proofed = proof(result.print_pdf.path, ProofOptions(printer=printer, images=False, workers=1,
                                                        out_dir=tmp_path / "proof"))
    assert proofed.errors == 0
