"""smarten(): curly quotes, apostrophes, dashes, ellipses and tied honorifics."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booksmith.manuscript.typography import smarten

LDQ, RDQ = "\u201c", "\u201d"  # “ ”
LSQ, RSQ = "\u2018", "\u2019"  # ‘ ’
EN_DASH, EM_DASH, ELLIPSIS, NBSP = "\u2013", "\u2014", "\u2026", "\u00a0"


def test_straight_double_quotes_become_curly():
    assert smarten('"Hello," she said.') == f"{LDQ}Hello,{RDQ} she said."


def test_straight_single_quotes_become_curly():
    assert smarten("'Hello,' she said.") == f"{LSQ}Hello,{RSQ} she said."


def test_a_quote_at_the_start_of_the_text_opens():
    assert smarten('"') == LDQ
    assert smarten("'") == LSQ


@pytest.mark.parametrize("opener", ["(", "[", "{", " ", EM_DASH, LDQ])
def test_a_quote_after_a_space_or_opening_punctuation_opens(opener):
    assert smarten(f'x{opener}"word"') == f"x{opener}{LDQ}word{RDQ}"


def test_a_quote_after_a_letter_or_punctuation_closes():
    assert smarten('He said "no." "Yes!" "Why?"') == f"He said {LDQ}no.{RDQ} {LDQ}Yes!{RDQ} {LDQ}Why?{RDQ}"


@pytest.mark.parametrize(
    ("straight", "curly"),
    [
        ("don't", "don\u2019t"),
        ("it's", "it\u2019s"),
        ("they're here", "they\u2019re here"),
        ("the dogs' bones", "the dogs\u2019 bones"),
        ("O'Brien", "O\u2019Brien"),
    ],
)
def test_apostrophes_in_words_are_right_single_quotes(straight, curly):
    assert smarten(straight) == curly


@pytest.mark.parametrize(
    ("straight", "curly"),
    [
        ("'tis the season", "\u2019tis the season"),
        ("'Twas brillig", "\u2019Twas brillig"),
        ("in the '90s", "in the \u201990s"),
        ("rock 'n' roll", "rock \u2019n\u2019 roll"),
        ("tell 'em", "tell \u2019em"),
        ("'cause I said", "\u2019cause I said"),
    ],
)
def test_elisions_at_the_start_of_a_word_get_a_right_single_quote(straight, curly):
    assert smarten(straight) == curly


def test_a_quoted_word_that_merely_begins_like_an_elision_still_opens():
    assert smarten("'Emma,' she said") == f"{LSQ}Emma,{RSQ} she said"
    assert smarten("'no' twice") == f"{LSQ}no{RSQ} twice"


def test_single_quotes_nest_inside_double_quotes():
    text = "I said, \"He told me, 'They're here.'\""
    assert smarten(text) == f"I said, {LDQ}He told me, {LSQ}They{RSQ}re here.{RSQ}{RDQ}"


def test_an_elision_right_after_an_opening_double_quote_stays_an_apostrophe():
    assert smarten('"\'Tis true," he said') == f"{LDQ}{RSQ}Tis true,{RDQ} he said"


@pytest.mark.parametrize(
    ("straight", "curly"),
    [
        ('"I was going to---" she said.', f"{LDQ}I was going to{EM_DASH}{RDQ} she said."),
        ('"Wait--"', f"{LDQ}Wait{EN_DASH}{RDQ}"),
        ("'Stop---' he cried", f"{LSQ}Stop{EM_DASH}{RSQ} he cried"),
    ],
)
def test_a_quote_after_a_dash_that_ends_speech_closes(straight, curly):
    assert smarten(straight) == curly


def test_a_quote_after_a_dash_that_begins_speech_opens():
    assert smarten('He paused---"What?"') == f"He paused{EM_DASH}{LDQ}What?{RDQ}"


def test_two_hyphens_become_an_en_dash():
    assert smarten("pages 10--12") == f"pages 10{EN_DASH}12"


def test_three_hyphens_become_an_em_dash():
    assert smarten("and then---nothing") == f"and then{EM_DASH}nothing"


def test_a_single_hyphen_is_left_alone():
    assert smarten("well-known") == "well-known"


@pytest.mark.parametrize("dots", ["...", ". . ."])
def test_three_dots_become_an_ellipsis(dots):
    assert smarten(f"Wait{dots} what?") == f"Wait{ELLIPSIS} what?"


@pytest.mark.parametrize("honorific", ["Mr", "Mrs", "Dr"])
def test_honorifics_are_tied_to_the_name_with_a_no_break_space(honorific):
    assert smarten(f"said {honorific}. Darcy") == f"said {honorific}.{NBSP}Darcy"


def test_every_honorific_in_a_sentence_is_tied():
    assert smarten("Mr. Darcy, Mrs. Bennet and Dr. Watson") == (
        f"Mr.{NBSP}Darcy, Mrs.{NBSP}Bennet and Dr.{NBSP}Watson"
    )


def test_a_full_stop_that_ends_a_sentence_is_not_tied():
    assert smarten("It was over. Then she left.") == "It was over. Then she left."


def test_text_already_curly_is_left_unchanged():
    text = f"{LDQ}My dear Mr.{NBSP}Bennet,{RDQ} said she{EM_DASH}{LSQ}it{RSQ}s let at last{ELLIPSIS}{RSQ}"
    assert smarten(text) == text


@given(st.text(alphabet=st.characters(blacklist_characters="\"'-.", blacklist_categories=("Cs",))))
def test_text_without_straight_marks_dashes_or_dots_is_never_changed(text):
    assert smarten(text) == text


@given(st.text(alphabet="ab \"'-.()", max_size=40))
def test_smartening_twice_gives_the_same_as_smartening_once(text):
    once = smarten(text)
    assert smarten(once) == once


def test_previous_character_decides_an_opening_quote_at_the_start_of_a_span():
    # "*Hello*": the span after the italic starts with a quote mark judged by the italic's last letter
    assert smarten('"', previous="o") == RDQ
    assert smarten("'s", previous="n") == f"{RSQ}s"
    # and after a space (or at the paragraph's start) the same mark opens
    assert smarten('"Hi', previous=" ") == f"{LDQ}Hi"
    assert smarten('"Hi', previous="") == f"{LDQ}Hi"
    assert smarten("'Hi", previous="(") == f"{LSQ}Hi"
