"""Whatever a writer's word processor exported: every input gets a PDF or a clear one-paragraph error
(file, line or setting, what to do), a non-zero exit, no traceback, and no partial file in dist/."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT
from pdfread import document_text, words

SAMPLE_TEXT = "The tide came in over the flats, and the birds rose ahead of it in long grey sheets."


def run(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "booksmith", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def assert_clean_failure(result: subprocess.CompletedProcess[str], *expected: str, cwd: Path) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    for part in expected:
        assert part in message, message
    dist = cwd / "dist"
    leftovers = [p for p in dist.rglob("*") if p.is_file()] if dist.exists() else []
    assert leftovers == [], leftovers


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    book = write(tmp_path / "empty.md", "  \n\n")
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "empty.md", "empty", cwd=tmp_path)


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", b"%PDF-1.4\x00\x01\x02binary")
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "binary", "UTF-8", cwd=tmp_path)


def test_text_that_is_not_utf8_names_the_byte_the_line_and_an_encoding(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", "# One\n\nA caf\u00e9 by the sea.\n".encode("cp1252"))
    result = run("build", str(book), cwd=tmp_path)
    assert_clean_failure(result, "line 3", "0xE9", "UTF-8", cwd=tmp_path)
    assert "Latin-1" in result.stderr or "1252" in result.stderr


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted_silently(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", b"\xef\xbb\xbf---\r\ntitle: Windows\r\n---\r\n\r\n# One\r\n\r\n"
                 + SAMPLE_TEXT.encode() + b"\r\n")
    result = run("build", str(book), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    found = words(document_text(tmp_path / "dist" / "book" / "book-print.pdf"))
    assert "windows" in found
    assert " ".join(words(SAMPLE_TEXT)) in " ".join(found)


def test_broken_yaml_front_matter_names_its_line_and_column(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", "---\ntitle: Fine\nauthor: [unclosed\n---\n\n# One\n\nText.\n")
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "book.md", "line", "column", cwd=tmp_path)


def test_an_unknown_front_matter_key_is_a_warning_naming_the_nearest_key(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", f"---\ntitle: Fine\nauthr: Someone\n---\n\n# One\n\n{SAMPLE_TEXT}\n")
    result = run("build", str(book), cwd=tmp_path)
    assert result.returncode == 0
    assert "warning" in result.stderr and "'authr'" in result.stderr and "'author'" in result.stderr
    assert "line 3" in result.stderr


def test_an_unknown_layout_lists_the_presets_and_suggests_the_nearest(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n")
    result = run("build", str(book), "--layout", "clasic-5x8", cwd=tmp_path)
    assert_clean_failure(result, "clasic-5x8", "Did you mean 'classic-5x8'?", "novel-6x9", cwd=tmp_path)


def test_a_preset_that_is_not_json_names_the_line(tmp_path: Path) -> None:
    preset = write(tmp_path / "mine.json", '{\n  "extends": "novel-6x9",\n  "body": {"size": "12pt",}\n}\n')
    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n")
    assert_clean_failure(run("build", str(book), "--layout", str(preset), cwd=tmp_path),
                         "mine.json", "line 3", "not valid JSON", cwd=tmp_path)


def test_a_preset_failing_the_schema_names_the_json_path_and_what_was_found(tmp_path: Path) -> None:
    preset = write(tmp_path / "mine.json", json.dumps({"extends": "novel-6x9", "body": {"leading": True}}))
    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n")
    assert_clean_failure(run("build", str(book), "--layout", str(preset), cwd=tmp_path),
                         "body/leading", "True", "Expected", cwd=tmp_path)


def test_an_unknown_preset_key_suggests_the_nearest(tmp_path: Path) -> None:
    preset = write(tmp_path / "mine.json", json.dumps({"extends": "novel-6x9", "body": {"leadng": "13pt"}}))
    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n")
    assert_clean_failure(run("build", str(book), "--layout", str(preset), cwd=tmp_path),
                         "leadng", "Did you mean 'leading'?", cwd=tmp_path)


def _book_with_fonts(tmp_path: Path, family: str) -> Path:
    (tmp_path / "fonts").mkdir(exist_ok=True)
    front = f"---\nlayout: {{extends: novel-6x9, fonts: {{body: {family}}}}}\n---\n"
    return write(tmp_path / "book.md", f"{front}\n# One\n\n{SAMPLE_TEXT}\n")


def test_a_font_family_that_is_not_installed_is_named_with_the_families_there_are(tmp_path: Path) -> None:
    book = _book_with_fonts(tmp_path, "Baskerville Imaginary")
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "Baskerville Imaginary", "EB Garamond",
                         cwd=tmp_path)


def test_a_font_file_that_is_not_a_font_is_named(tmp_path: Path) -> None:
    book = _book_with_fonts(tmp_path, "EB Garamond")
    write(tmp_path / "fonts" / "Broken-Regular.ttf", b"this is not a font at all" * 10)
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "Broken-Regular.ttf", "not a font",
                         cwd=tmp_path)


def test_a_cff_flavoured_font_is_refused_with_the_reason(tmp_path: Path) -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "a"])
    builder.setupCharacterMap({ord("a"): "a"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0))
    pen.lineTo((400, 0))
    pen.lineTo((400, 400))
    pen.closePath()
    outlines = {".notdef": pen.getCharString(), "a": pen.getCharString()}
    builder.setupCFF("Cffy-Regular", {"FullName": "Cffy"}, outlines, {})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "a": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Cffy", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    book = _book_with_fonts(tmp_path, "Cffy")
    builder.save(str(tmp_path / "fonts" / "Cffy-Regular.otf"))
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "Cffy-Regular.otf", "CFF", cwd=tmp_path)


def test_a_family_missing_a_style_the_book_needs_is_named(tmp_path: Path) -> None:
    import shutil

    book = _book_with_fonts(tmp_path, "Charis SIL")
    for style in ("Regular", "Bold", "BoldItalic"):  # no Italic
        shutil.copy(ROOT / "fonts" / "charis-sil" / f"CharisSIL-{style}.ttf", tmp_path / "fonts")
    # the bundled Charis has its italic: a family of the same name in the book's folder is found first
    # only for the styles it has, so name a family only the book's folder has
    for path in (tmp_path / "fonts").iterdir():
        from fontTools.ttLib import TTFont

        font = TTFont(path)
        for record in font["name"].names:
            if record.nameID in (1, 16):
                record.string = "Charis Partial"
            if record.nameID == 6:
                record.string = f"CharisPartial-{path.stem.split('-')[1]}"
        font.save(path)
    book = _book_with_fonts(tmp_path, "Charis Partial")
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "Charis Partial", "italic", cwd=tmp_path)


def test_a_character_no_font_has_names_it_its_line_and_the_fonts_tried(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n\nA comet \u2604 overhead.\n")
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "U+2604 COMET", "line 5",
                         "EBGaramond-Regular", "CharisSIL", cwd=tmp_path)


def test_a_missing_image_is_named_with_the_folder_searched(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n\n![A map](maps/coast.png)\n")
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "maps/coast.png", "does not exist",
                         "line 5", cwd=tmp_path)


def test_a_corrupt_image_is_named(tmp_path: Path) -> None:
    write(tmp_path / "broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20)
    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n\n![Broken](broken.png)\n")
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "broken.png", "cannot be read", cwd=tmp_path)


def test_a_decompression_bomb_is_refused(tmp_path: Path) -> None:
    Image.new("1", (20000, 20000)).save(tmp_path / "bomb.png", optimize=True)  # 400 Mpx, a few KB
    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n\n![Bomb](bomb.png)\n")
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "bomb.png", "decompression bomb",
                         cwd=tmp_path)


def test_images_outside_the_manuscripts_folder_or_on_the_web_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    for source, reason in (("../../etc/passwd", "outside"), ("/etc/passwd", "outside"),
                           ("https://example.org/a.png", "web address")):
        book = write(folder / "book.md", f"# One\n\n{SAMPLE_TEXT}\n\n![X]({source})\n")
        assert_clean_failure(run("build", str(book), cwd=tmp_path), reason, cwd=tmp_path)


def test_a_word_longer_than_the_line_is_broken_with_a_warning(tmp_path: Path) -> None:
    token = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    book = write(tmp_path / "book.md", f"# One\n\nThe checksum {token * 2} was wrong.\n")
    result = run("build", str(book), "--layout", "pocket-4.25x6.87", cwd=tmp_path)
    assert result.returncode == 0
    assert "longer than the line" in result.stderr and "line 3" in result.stderr


def test_a_book_of_headings_and_no_text_is_refused(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", "# One\n\n# Two\n\n# Three\n")
    assert_clean_failure(run("build", str(book), cwd=tmp_path), "no text", cwd=tmp_path)


def test_a_single_paragraph_of_200000_words_is_set(tmp_path: Path) -> None:
    vocabulary = SAMPLE_TEXT.replace(",", "").replace(".", "").split()
    paragraph = " ".join(vocabulary[i % len(vocabulary)] for i in range(200_000))
    book = write(tmp_path / "book.md", f"# One\n\n{paragraph}.\n")
    result = run("build", str(book), "--quiet", cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr
    found = words(document_text(tmp_path / "dist" / "book" / "book-print.pdf"))
    assert found.count("flats") == paragraph.count("flats")


def test_five_hundred_levels_of_block_quotes_keep_their_text(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", "# One\n\n" + ">" * 500 + " The innermost words.\n")
    result = run("build", str(book), "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "innermost words" in document_text(tmp_path / "dist" / "book" / "book-print.pdf")


def test_thousands_of_unclosed_emphasis_marks_keep_their_text(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", "# One\n\n" + " ".join("*tide" for _ in range(4000)) + "\n")
    result = run("build", str(book), "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = document_text(tmp_path / "dist" / "book" / "book-print.pdf")
    assert words(text).count("tide") == 4000


def test_a_manuscript_over_the_word_limit_stops_with_a_message_before_setting_it(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", "# One\n\n" + (SAMPLE_TEXT + "\n\n") * 2000)
    assert_clean_failure(run("build", str(book), "--max-words", "10000", cwd=tmp_path), "words",
                         "--max-words", cwd=tmp_path)


def test_max_pages_and_time_limit_stop_a_service_build_with_a_message(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", "# One\n\n" + (SAMPLE_TEXT + "\n\n") * 400)
    assert_clean_failure(run("build", str(book), "--max-pages", "3", cwd=tmp_path), "pages",
                         "--max-pages", cwd=tmp_path)
    assert_clean_failure(run("build", str(book), "--time-limit", "0.05", cwd=tmp_path), "time limit",
                         cwd=tmp_path)


def test_a_read_only_output_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders; covered by a path that cannot be a folder")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n")
    result = run("build", str(book), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "output folder" in result.stderr


def test_an_output_path_that_cannot_be_a_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    blocker = write(tmp_path / "afile", "not a folder")
    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n")
    result = run("build", str(book), "--out", str(blocker), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "output folder" in result.stderr


def test_an_interrupted_build_leaves_the_previous_pdf_and_no_partial_file(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n")
    assert run("build", str(book), cwd=tmp_path).returncode == 0
    pdf = tmp_path / "dist" / "book" / "book-print.pdf"
    before = pdf.read_bytes()
    write(book, "# One\n\n" + (SAMPLE_TEXT + "\n\n") * 12000)  # a build of several seconds
    for sig in (signal.SIGINT, signal.SIGKILL):
        process = subprocess.Popen([sys.executable, "-m", "booksmith", "build", str(book)], cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
        assert "Traceback" not in stderr
        assert pdf.read_bytes() == before
    # a killed build cannot tidy up: the next build removes what it left behind
    write(book, f"# One\n\n{SAMPLE_TEXT}\n")
    assert run("build", str(book), cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["book-print.pdf", "book-screen.pdf"]


def test_two_builds_of_the_same_book_at_once_do_not_corrupt_each_other(tmp_path: Path) -> None:
    book = write(tmp_path / "book.md", "# One\n\n" + (SAMPLE_TEXT + "\n\n") * 300)
    processes = [subprocess.Popen([sys.executable, "-m", "booksmith", "build", str(book), "--quiet"],
                                  cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(2)]
    assert [process.wait(timeout=300) for process in processes] == [0, 0]
    pdf = tmp_path / "dist" / "book" / "book-print.pdf"
    alone = tmp_path / "alone"
    assert run("build", str(book), "--out", str(alone), "--quiet", cwd=tmp_path).returncode == 0
    assert pdf.read_bytes() == (alone / "book" / "book-print.pdf").read_bytes()
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["book-print.pdf", "book-screen.pdf"]


def test_source_date_epoch_sets_the_pdf_dates_and_rebuilds_are_identical(tmp_path: Path) -> None:
    import pikepdf

    book = write(tmp_path / "book.md", f"# One\n\n{SAMPLE_TEXT}\n")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    outputs = []
    for name in ("one", "two"):
        subprocess.run([sys.executable, "-m", "booksmith", "build", str(book), "--out", name], cwd=tmp_path,
                       env=env, check=True, capture_output=True)
        outputs.append((tmp_path / name / "book" / "book-print.pdf").read_bytes())
    assert outputs[0] == outputs[1]
    with pikepdf.open(tmp_path / "one" / "book" / "book-print.pdf") as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20231114")


def test_a_pdf_never_carries_javascript_launch_actions_or_embedded_files(tmp_path: Path) -> None:
    """Not even when the manuscript asks for them with a javascript: link or raw HTML."""
    import pikepdf

    book = write(tmp_path / "book.md", "# One\n\nA [link](javascript:alert(1)) and <script>alert(2)</script> "
                 "and a [file](file:///etc/passwd).\n")
    assert run("build", str(book), "--quiet", cwd=tmp_path).returncode == 0
    for kind in ("print", "screen"):
        with pikepdf.open(tmp_path / "dist" / "book" / f"book-{kind}.pdf") as pdf:
            names = pdf.Root.get("/Names", {})
            assert "/JavaScript" not in names and "/EmbeddedFiles" not in names
            assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
            for page in pdf.pages:
                for annotation in page.get("/Annots", []):
                    action = annotation.get("/A", {})
                    assert action.get("/S") not in ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData")
                    assert not str(action.get("/URI", "")).startswith(("javascript:", "file:"))
