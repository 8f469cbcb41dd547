"""What happens to a writer's characters: invisible marks, missing glyphs, long words, hyphens."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from booksmith.errors import BooksmithError
from booksmith.pipeline import BuildOptions, BuildResult, build
from pdfread import document_text, page_lines


def build_text(tmp_path: Path, body: str, layout: str = "novel-6x9") -> BuildResult:
    manuscript = tmp_path / "book.md"
    manuscript.write_text(f"---\ntitle: Trial\nauthor: Tester\n---\n\n# One\n\n{body}\n", encoding="utf-8")
    return build(manuscript, BuildOptions(out_dir=tmp_path / "dist", layout=layout))


def test_word_joiners_and_soft_hyphens_are_honoured_and_never_drawn(tmp_path: Path) -> None:
    result = build_text(tmp_path, "She paused\u2060\u2014and went on. An extra\u00adordinary day.")
    text = document_text(result.print_pdf.path)
    assert "paused\u2014and" in text
    assert "extraordinary" in text
    assert "\u2060" not in text and "\ufffd" not in text


def test_a_character_no_font_has_is_an_error_naming_it_its_line_and_the_fonts(tmp_path: Path) -> None:
    with pytest.raises(BooksmithError) as caught:
        build_text(tmp_path, "Plain words.\n\nA snowman \u2603 here.")
    message = str(caught.value)
    assert "U+2603 SNOWMAN" in message
    assert "line 10" in message
    assert "EBGaramond-Regular" in message and "CharisSIL" in message
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").rglob("*.pdf"))


def test_a_character_the_body_font_lacks_is_drawn_from_the_fallback_font(tmp_path: Path) -> None:
    charis = "\u0501"  # CYRILLIC SMALL LETTER KOMI DE: in Charis SIL, not in EB Garamond
    result = build_text(tmp_path, f"The vowel {charis} comes from Charis.")
    assert charis in document_text(result.print_pdf.path)
    raw = result.print_pdf.path.read_bytes()
    assert b"CharisSIL" in raw


def test_an_unbreakable_url_is_broken_at_its_slashes_and_never_overflows(tmp_path: Path) -> None:
    url = "https://www.example.org/archives/harbour-commission/annual-reports/1911/appendix-b/tables"
    result = build_text(tmp_path, f"See {url} for the figures.", layout="classic-5x8")
    preset = result.preset
    for index, lines in enumerate(page_lines(result.print_pdf.path)):
        left = preset.margins.inside if index % 2 == 0 else preset.margins.outside
        for line in lines:
            assert line.x1 <= left + preset.measure + 1.5
    assert url in document_text(result.print_pdf.path).replace("\n", "")


def test_a_word_wider_than_the_line_is_broken_with_a_warning(tmp_path: Path) -> None:
    word = "3f8a9c0d5e7b1a2c4d6e8f0a" * 4  # a checksum: no hyphenation point, no separator
    result = build_text(tmp_path, f"A word: {word} ends here.", layout="classic-5x8")
    assert any("longer than the line" in str(item) for item in result.diagnostics.items)
    preset = result.preset
    for index, lines in enumerate(page_lines(result.print_pdf.path)):
        left = preset.margins.inside if index % 2 == 0 else preset.margins.outside
        for line in lines:
            assert line.x1 <= left + preset.measure + 1.5


def test_hyphenation_leaves_two_letters_before_and_three_after(sample_build: BuildResult) -> None:
    preset = sample_build.preset
    top, bottom = preset.trim.height - preset.margins.top, preset.margins.bottom - preset.body.leading
    lines = [line.text for page in page_lines(sample_build.print_pdf.path) for line in page
             if bottom <= line.y <= top]
    breaks = 0
    for here, following in itertools.pairwise(lines):
        if here.endswith(("\x02", "\ufffe", "\u00ad")):
            before = re.findall(r"\w+", here)[-1]
            after = re.match(r"\w+", following)
            if after is None or "-" in here[-3:-1]:
                continue
            breaks += 1
            assert len(before) >= 2, here
            if after.group() == following.split()[0].strip(".,;:!?”’"):
                assert len(after.group()) >= 3, following
                assert len(before + after.group()) >= 5
    assert breaks > 10


LIGATURE_WORDS = ["official", "affairs", "suffered", "effluent", "offices", "different", "coffee", "baffled"]


def test_a_word_may_break_at_a_hyphenation_point_inside_a_ligature(tmp_path: Path) -> None:
    """'of-ficial' set with an ffi ligature: the break is TeX's discretionary (f and a hyphen, then
    fi on the next line); unbroken, the ligature stays. Over many narrow lines some breaks fall inside
    ligatures, and every word reads back whole."""
    sentences = [f"The {a} and {b} were {c} by {d}."
                 for a, b, c, d in itertools.permutations(LIGATURE_WORDS, 4)]
    body = " ".join(sentences[::37][:40])
    result = build_text(tmp_path, body, layout="pocket-4.25x6.87")
    lines = [line.text for page in page_lines(result.print_pdf.path) for line in page]
    inside = [(here, following) for here, following in itertools.pairwise(lines)
              if re.search(r"f[\x02\ufffe\u00ad]$", here) and following.startswith("f")]
    assert inside, "some line breaks inside an ff or ffi ligature"
    text = re.sub(r"[\x02\ufffe\u00ad]\s*", "", document_text(result.print_pdf.path))
    for word in LIGATURE_WORDS:
        assert text.count(word) == body.count(word), word


def test_a_year_alone_on_a_line_is_printed_though_markdown_reads_it_as_an_empty_list_item(
        tmp_path: Path) -> None:
    """'1911.' on a line of its own is, to CommonMark, a numbered list item with nothing in it: its
    number is all its text, and it is printed (found by the generated-manuscript test)."""
    result = build_text(tmp_path, "The light was first lit in\n\n1911.\n\nIt has not gone out since.")
    text = document_text(result.print_pdf.path)
    assert re.search(r"lit in\s+1911\.\s+It has not", text), text
