"""parse_manuscript(): Markdown and plain-text files into the document tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from booksmith.doctree import BlockQuote, Epigraph, LineBreak, Paragraph, SceneBreak, Span
from booksmith.errors import BooksmithError, Diagnostics, Severity
from booksmith.manuscript import ManuscriptOptions, parse_manuscript

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def parse(tmp_path: Path, name: str, text: str | bytes, options: ManuscriptOptions | None = None):
    return parse_manuscript(write(tmp_path, name, text), Diagnostics(), options)


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is not here (../shared/corpus is absent)")
    return path


def error_of(tmp_path: Path, name: str, data: str | bytes) -> BooksmithError:
    with pytest.raises(BooksmithError) as caught:
        parse(tmp_path, name, data)
    return caught.value


# --- Markdown structure -------------------------------------------------------------------------

TWO_CHAPTERS = """\
# The Harbour

The boats came in at dusk.

They brought no fish.

# The Lane

A cart went by.
"""


def test_level_one_headings_become_chapters_with_their_source_lines(tmp_path):
    book = parse(tmp_path, "book.md", TWO_CHAPTERS)
    assert [(chapter.title, chapter.line) for chapter in book.chapters] == [
        ("The Harbour", 1),
        ("The Lane", 7),
    ]
    first, second = book.chapters
    assert [block.text for block in first.blocks] == ["The boats came in at dusk.", "They brought no fish."]
    assert [block.line for block in first.blocks] == [3, 5]
    assert [block.text for block in second.blocks] == ["A cart went by."]
    assert second.blocks[0].line == 9


def test_chapter_lines_count_the_front_matter_above_the_body(tmp_path):
    book = parse(tmp_path, "book.md", "---\ntitle: Tides\n---\n\n" + TWO_CHAPTERS)
    assert [chapter.line for chapter in book.chapters] == [5, 11]
    assert book.chapters[0].blocks[0].line == 7


def test_a_manuscript_without_headings_is_one_untitled_chapter(tmp_path):
    book = parse(tmp_path, "story.md", "The rain stopped.\n\nShe went out.\n")
    assert len(book.chapters) == 1
    assert book.chapters[0].title is None
    assert len(book.chapters[0].blocks) == 2


@pytest.mark.parametrize("mark", ["* * *", "***", "---"])
def test_thematic_breaks_become_scene_breaks(tmp_path, mark):
    book = parse(tmp_path, "book.md", f"# One\n\nBefore the storm.\n\n{mark}\n\nAfter the storm.\n")
    blocks = book.chapters[0].blocks
    assert [type(block) for block in blocks] == [Paragraph, SceneBreak, Paragraph]
    assert blocks[1].line == 5


def test_emphasis_becomes_italic_and_strong_becomes_bold(tmp_path):
    book = parse(tmp_path, "book.md", "# One\n\nThe cart was *late* and **heavy** and ***both***.\n")
    assert book.chapters[0].blocks[0].inlines == (
        Span("The cart was "),
        Span("late", italic=True),
        Span(" and "),
        Span("heavy", bold=True),
        Span(" and "),
        Span("both", italic=True, bold=True),
        Span("."),
    )


def test_underscore_emphasis_is_italic_too(tmp_path):
    book = parse(tmp_path, "book.md", "# One\n\nShe read _Emma_ twice.\n")
    assert Span("Emma", italic=True) in book.chapters[0].blocks[0].inlines


def test_a_block_quote_holds_its_paragraphs(tmp_path):
    text = "# Letters\n\nIt read:\n\n> Dear Jane,\n>\n> Come at once.\n\nShe went.\n"
    blocks = parse(tmp_path, "book.md", text).chapters[0].blocks
    assert [type(block) for block in blocks] == [Paragraph, BlockQuote, Paragraph]
    quote = blocks[1]
    assert quote.line == 5
    assert all(isinstance(block, Paragraph) for block in quote.blocks)
    assert [block.text for block in quote.blocks] == ["Dear Jane,", "Come at once."]
    assert [block.line for block in quote.blocks] == [5, 7]


@pytest.mark.parametrize("end", ["\\", "  "])
def test_a_hard_line_break_is_kept_inside_the_paragraph(tmp_path, end):
    book = parse(tmp_path, "book.md", f"# Verse\n\nRoses are red,{end}\nviolets are blue.\n")
    paragraph = book.chapters[0].blocks[0]
    assert paragraph.inlines == (Span("Roses are red,"), LineBreak(), Span("violets are blue."))


def test_a_soft_line_break_joins_the_lines_with_a_space(tmp_path):
    book = parse(tmp_path, "book.md", "# One\n\nThe tide\nturned.\n")
    assert book.chapters[0].blocks[0].inlines == (Span("The tide turned."),)


def test_paragraph_text_is_smartened(tmp_path):
    book = parse(tmp_path, "book.md", '# One\n\n"Don\'t go---not yet," said Mr. Hale.\n')
    assert book.chapters[0].blocks[0].text == "\u201cDon\u2019t go\u2014not yet,\u201d said Mr.\u00a0Hale."


def test_a_quote_after_an_italic_span_is_judged_by_the_italic_text(tmp_path):
    book = parse(tmp_path, "book.md", '# One\n\n"*Hello*" she said.\n')
    assert book.chapters[0].blocks[0].text == "\u201cHello\u201d she said."


def test_a_lower_level_heading_is_a_bold_line_with_a_warning(tmp_path):
    diagnostics = Diagnostics()
    path = write(tmp_path, "book.md", "# One\n\nText.\n\n## Aside\n\nMore text.\n")
    book = parse_manuscript(path, diagnostics)
    assert len(book.chapters) == 1
    assert book.chapters[0].blocks[1] == Paragraph((Span("Aside", bold=True),), 5)
    assert [(d.severity, d.location.line) for d in diagnostics.items] == [(Severity.WARNING, 5)]


# --- front matter -------------------------------------------------------------------------------

FRONT_MATTER = """\
---
title: "The Salt Road"
subtitle: A Tale of Two Harbours
author: Nell Ashby
language: fr-FR
dedication: For my sister, who "knew the way"
epigraph:
  text: "The sea remembers what the land forgets."
  attribution: An old saying
---

# One

The road ran down to the sea.
"""


def test_front_matter_fields_are_read_into_the_book_meta(tmp_path):
    meta = parse(tmp_path, "book.md", FRONT_MATTER).meta
    assert meta.title == "The Salt Road"
    assert meta.subtitle == "A Tale of Two Harbours"
    assert meta.author == "Nell Ashby"
    assert meta.language == "fr-FR"
    assert meta.dedication == "For my sister, who \u201cknew the way\u201d"
    assert meta.epigraph == Epigraph("The sea remembers what the land forgets.", "An old saying")
    assert meta.layout is None
    assert meta.layout_overrides == {}


def test_an_epigraph_given_as_plain_text_has_no_attribution(tmp_path):
    meta = parse(tmp_path, "book.md", "---\nepigraph: Nothing lasts.\n---\n\nText.\n").meta
    assert meta.epigraph == Epigraph("Nothing lasts.", "")


def test_lang_is_accepted_for_language(tmp_path):
    meta = parse(tmp_path, "book.md", "---\nlang: de-DE\n---\n\nText.\n").meta
    assert meta.language == "de-DE"


def test_without_front_matter_the_title_comes_from_the_file_name(tmp_path):
    meta = parse(tmp_path, "the_salt-road.md", "Text.\n").meta
    assert meta.title == "The Salt Road"
    assert meta.language == "en-GB"


def test_command_line_options_override_the_title_and_author(tmp_path):
    options = ManuscriptOptions(title="A New Title", author="Someone Else")
    meta = parse(tmp_path, "book.md", FRONT_MATTER, options).meta
    assert (meta.title, meta.author) == ("A New Title", "Someone Else")


def test_layout_given_as_a_name_selects_that_preset(tmp_path):
    meta = parse(tmp_path, "book.md", "---\nlayout: classic-5x8\n---\n\nText.\n").meta
    assert meta.layout == "classic-5x8"
    assert meta.layout_overrides == {}


def test_layout_given_as_a_mapping_names_its_base_with_extends_and_keeps_the_rest_as_overrides(tmp_path):
    text = "---\nlayout:\n  extends: novel-6x9\n  body:\n    size: 12pt\n---\n\nText.\n"
    meta = parse(tmp_path, "book.md", text).meta
    assert meta.layout == "novel-6x9"
    assert meta.layout_overrides == {"body": {"size": "12pt"}}


def test_layout_given_as_a_mapping_without_extends_has_no_base(tmp_path):
    meta = parse(tmp_path, "book.md", "---\nlayout: {pages: {widows: 3}}\n---\n\nText.\n").meta
    assert meta.layout is None
    assert meta.layout_overrides == {"pages": {"widows": 3}}


def test_layout_of_another_type_is_an_error(tmp_path):
    error = error_of(tmp_path, "book.md", "---\nlayout: [a, b]\n---\n\nText.\n")
    assert "layout" in str(error)


def test_an_unknown_front_matter_key_is_a_warning_suggesting_the_nearest_key(tmp_path):
    diagnostics = Diagnostics()
    path = write(tmp_path, "book.md", "---\ntitle: Tides\nauthr: Nell Ashby\n---\n\nText.\n")
    book = parse_manuscript(path, diagnostics)
    assert book.meta.author == ""
    [warning] = diagnostics.items
    assert warning.severity is Severity.WARNING
    assert "authr" in warning.message
    assert "'author'" in warning.hint
    assert warning.location.file == path


def test_known_front_matter_keys_give_no_warnings(tmp_path):
    diagnostics = Diagnostics()
    parse_manuscript(write(tmp_path, "book.md", FRONT_MATTER), diagnostics)
    assert diagnostics.items == []


# --- plain text ---------------------------------------------------------------------------------


def test_plain_text_without_blank_lines_has_one_paragraph_per_line(tmp_path):
    book = parse(tmp_path, "story.txt", 'She said "hello".\nHe left.\nThe door shut.')
    [chapter] = book.chapters
    assert chapter.title is None
    assert [block.text for block in chapter.blocks] == [
        "She said \u201chello\u201d.",
        "He left.",
        "The door shut.",
    ]
    assert [block.line for block in chapter.blocks] == [1, 2, 3]


def test_plain_text_with_blank_lines_joins_the_lines_of_each_paragraph(tmp_path):
    text = "The first paragraph\nwraps onto a second line.\n\nThe second one\n   is indented oddly.\n"
    book = parse(tmp_path, "story.txt", text)
    blocks = book.chapters[0].blocks
    assert [block.text for block in blocks] == [
        "The first paragraph wraps onto a second line.",
        "The second one is indented oddly.",
    ]
    assert [block.line for block in blocks] == [1, 4]


def test_plain_text_scene_break_lines_become_scene_breaks(tmp_path):
    book = parse(tmp_path, "story.txt", "Morning came.\n\n* * *\n\nNight fell.\n")
    assert [type(block) for block in book.chapters[0].blocks] == [Paragraph, SceneBreak, Paragraph]
    assert book.chapters[0].blocks[1].line == 3


def test_plain_text_keeps_markdown_marks_as_text(tmp_path):
    book = parse(tmp_path, "story.txt", "# Not a heading, just a line\n")
    assert book.chapters[0].title is None
    assert book.chapters[0].blocks[0].text == "# Not a heading, just a line"


def test_plain_text_can_have_front_matter(tmp_path):
    book = parse(tmp_path, "story.txt", "---\ntitle: Short\n---\nOne line.\nTwo lines.\n")
    assert book.meta.title == "Short"
    assert [block.line for block in book.chapters[0].blocks] == [4, 5]


# --- encodings and line ends --------------------------------------------------------------------


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    book = parse(tmp_path, "book.md", "\ufeff---\ntitle: Caf\u00e9\n---\n\n# One\n\nText.\n".encode())
    assert book.meta.title == "Caf\u00e9"
    assert book.chapters[0].title == "One"


def test_crlf_line_ends_are_accepted(tmp_path):
    data = b"---\r\ntitle: Windows\r\n---\r\n\r\n# Start\r\n\r\nLine one\r\ncontinues.\r\n"
    book = parse(tmp_path, "book.md", data)
    assert book.meta.title == "Windows"
    assert [(chapter.title, chapter.line) for chapter in book.chapters] == [("Start", 5)]
    assert book.chapters[0].blocks[0].text == "Line one continues."


def test_crlf_plain_text_has_one_paragraph_per_line(tmp_path):
    book = parse(tmp_path, "story.txt", b"First.\r\nSecond.\r\n")
    assert [block.text for block in book.chapters[0].blocks] == ["First.", "Second."]


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \n\n\t\n"])
def test_an_empty_file_is_an_error(tmp_path, data):
    error = error_of(tmp_path, "book.md", data)
    assert "empty" in str(error)


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(BooksmithError, match="does not exist"):
        parse_manuscript(tmp_path / "nowhere.md", Diagnostics())


def test_a_binary_file_is_an_error(tmp_path):
    error = error_of(tmp_path, "book.md", b"PK\x03\x04\x14\x00\x00\x00binary stuff")
    assert "binary" in str(error)


def test_non_utf8_bytes_are_an_error_naming_the_line(tmp_path):
    error = error_of(tmp_path, "book.md", b"# One\n\nA caf\xe9 by the sea.\n")
    assert error.diagnostic.location.line == 3
    assert "line 3" in str(error)
    assert "UTF-8" in str(error)
    assert "0xE9" in str(error)


def test_non_utf8_bytes_after_a_byte_order_mark_name_the_right_line_and_byte(tmp_path):
    error = error_of(tmp_path, "book.md", b"\xef\xbb\xbfab\n\xe9t\xe9\n")
    assert error.diagnostic.location.line == 2
    assert "0xE9" in str(error)


@pytest.mark.parametrize(
    ("front_matter", "line"),
    [
        ("title: Tides\nsubtitle: one: two\n", 3),
        ("title: Tides\nauthor: Nell\nyear: [1999\n", 4),
    ],
)
def test_broken_yaml_front_matter_is_an_error_naming_the_line(tmp_path, front_matter, line):
    error = error_of(tmp_path, "book.md", f"---\n{front_matter}---\n\nText.\n")
    assert error.diagnostic.location.line == line
    assert f"line {line}" in str(error)
    assert "YAML" in str(error)


def test_front_matter_that_is_never_closed_is_an_error(tmp_path):
    error = error_of(tmp_path, "book.md", "---\ntitle: Tides\n\nText.\n")
    assert error.diagnostic.location.line == 1


def test_front_matter_that_is_not_a_mapping_is_an_error(tmp_path):
    error_of(tmp_path, "book.md", "---\n- a\n- b\n---\n\nText.\n")


def test_a_manuscript_with_headings_and_no_text_is_an_error(tmp_path):
    error = error_of(tmp_path, "book.md", "# One\n\n# Two\n")
    assert "no text" in str(error)


def test_a_manuscript_with_only_front_matter_is_an_error(tmp_path):
    error = error_of(tmp_path, "book.md", "---\ntitle: Tides\n---\n\n")
    assert "no text" in str(error)


# --- the shared corpus --------------------------------------------------------------------------


def test_pride_and_prejudice_parses_into_61_chapters():
    diagnostics = Diagnostics()
    book = parse_manuscript(corpus_file("pride-and-prejudice.md"), diagnostics)
    assert len(book.chapters) == 61
    assert book.chapters[0].heading == "Chapter 1"
    assert book.chapters[0].title is None  # the heading only numbers the chapter
    assert book.chapters[-1].heading == "Chapter 61"
    assert (book.meta.title, book.meta.author, book.meta.language) == (
        "Pride and Prejudice",
        "Jane Austen",
        "en-GB",
    )
    assert diagnostics.items == []


def test_the_seed_story_parses_into_19_paragraphs():
    book = parse_manuscript(corpus_file("seed-story.txt"), Diagnostics())
    [chapter] = book.chapters
    assert len(chapter.blocks) == 19
    assert all(isinstance(block, Paragraph) for block in chapter.blocks)
