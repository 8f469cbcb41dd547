"""A word's boxes, glue and penalties are the same whichever way they are made: straight from its
shaped run (most words) or glyph by glyph (the general way). Real fonts, real hyphenation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booksmith.errors import Diagnostics
from booksmith.fonts import FontChain, FontRegistry
from booksmith.preset import load_preset
from booksmith.typeset.hyphenate import Hyphenator
from booksmith.typeset.items import Box, Penalty
from booksmith.typeset.paragraph import SMALL_CAPS, TextStyle, TypesetContext, _ItemBuilder

ROOT = Path(__file__).resolve().parents[2]


def builder(layout: str = "novel-6x9") -> _ItemBuilder:
    preset = load_preset(layout)
    chain = FontChain(FontRegistry([ROOT / "fonts"]), preset.fonts.body, preset.fonts.fallback)
    hyphenation = preset.hyphenation
    context = TypesetContext(preset, chain, Hyphenator("en-US", hyphenation.left_min, hyphenation.right_min,
                                                       hyphenation.min_word), Diagnostics(),
                             ROOT / "book.md", ("onum",))
    return _ItemBuilder(TextStyle(11.0, 300.0), context, 1)


BUILDER = builder()

# words with hyphenation points, ligatures (ff, fi, ffl) at and away from them, explicit hyphens,
# dashes, figures, an address, and characters only a fallback face draws
WORDS = ["office", "officials", "difficulty", "affluent", "baffled", "inflexible", "shuffling",
         "Netherfield", "Longbourn", "extraordinary", "well-informed", "—indeed", "said—", "1811.",
         "https://example.org/a-path", "uncomfortable,", "fifty", "flowers", "Mr.", "a", "I",
         "unaffectedly", "self-sufficient", "coffee-house", "suffrage", "naïveté", "→", "x→y"]


@pytest.mark.parametrize("style", ["regular", "italic", "bold", "regular" + SMALL_CAPS])
@pytest.mark.parametrize("word", WORDS)
def test_a_word_made_from_its_shaped_run_matches_it_made_glyph_by_glyph(word: str, style: str) -> None:
    plain = BUILDER._plain_word_items(word, style, None)
    general = BUILDER._glyph_word_items([(word, style, None)])
    if plain is not None:
        assert plain == general
    if word in ("office", "difficulty", "extraordinary", "well-informed") and style == "regular":
        assert any(isinstance(item, Penalty) for item in general), "the word has break points"


def test_most_words_take_the_short_way_and_a_break_inside_a_ligature_does_not() -> None:
    taken = [word for word in WORDS if BUILDER._plain_word_items(word, "regular", None) is not None]
    assert {"extraordinary", "Netherfield", "well-informed", "1811."} <= set(taken)
    # "of-fice": the break falls inside the ffi ligature, which only the general way can split
    assert BUILDER._plain_word_items("office", "regular", None) is None
    general = BUILDER._glyph_word_items([("office", "regular", None)])
    assert sum(isinstance(item, Box) for item in general) >= 2


@settings(deadline=None, max_examples=200)
@given(st.text(alphabet="abcdefilnorstuyAEFMT-—,.’fl", min_size=1, max_size=18))
def test_any_word_gives_the_same_items_both_ways(word: str) -> None:
    plain = BUILDER._plain_word_items(word, "italic", "https://example.org")
    if plain is not None:
        assert plain == BUILDER._glyph_word_items([(word, "italic", "https://example.org")])
