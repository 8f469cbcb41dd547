"""Aligning the manuscript's words with the PDF's: what is missing, what is extra, and what only
reads differently (a word split at a line's end, front matter before the text)."""

from __future__ import annotations

from booksmith.proof.text import Gap, _body_range, align

SENTENCE = "it is a truth universally acknowledged that a single man in possession of a good fortune"
WORDS = SENTENCE.split()


def test_identical_texts_have_no_gaps() -> None:
    assert align(WORDS, WORDS) == []


def test_a_missing_and_an_extra_word_are_found_where_they_are() -> None:
    printed = [*WORDS[:4], *WORDS[5:9], "very", *WORDS[9:]]
    assert align(WORDS, printed) == [Gap("missing", 4, 5, 4), Gap("extra", 8, 9, 8)]


def test_a_word_split_or_joined_at_a_line_end_is_not_a_gap() -> None:
    joined = [*WORDS[:3], "truthuniversally", *WORDS[5:]]
    split = [*WORDS[:5], "acknow", "ledged", *WORDS[6:]]
    assert align(WORDS, joined) == []
    assert align(WORDS, split) == []


def test_a_long_passage_left_out_is_one_gap_and_the_text_resynchronises() -> None:
    long = [f"{word}{n}" for n in range(40) for word in WORDS]
    printed = long[:100] + long[400:]
    gaps = align(long, printed)
    assert len(gaps) == 1 and gaps[0].kind == "missing" and gaps[0].end - gaps[0].start == 300


def test_what_comes_before_the_first_words_and_after_the_last_is_front_and_back_matter() -> None:
    printed = ["the", "title", "page", "copyright", *WORDS, "about", "the", "author"]
    assert _body_range(WORDS, printed) == (4, 4 + len(WORDS))


def test_only_headings_that_number_a_chapter_may_be_spelled_another_way() -> None:
    from booksmith.proof.text import NAMED_NUMBERING, _numbering

    assert _numbering("Chapter 13") and _numbering("Chapter Fifty-Five") and _numbering("IV")
    assert _numbering("Part Two", NAMED_NUMBERING)
    assert not _numbering("book, and go.", NAMED_NUMBERING), "a line of text that starts with 'book'"
    assert not _numbering("The Lamp Room")
