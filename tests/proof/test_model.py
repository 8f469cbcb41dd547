"""Spreads as a printed book opens, and the printer rules as data."""

from __future__ import annotations

import pytest

from booksmith.errors import BooksmithError, Severity
from booksmith.proof import RULE_SETS, rules_named
from booksmith.proof.catalogue import CHECKS
from booksmith.proof.geometry import text_block_lines
from booksmith.proof.model import Geometry, PageText, TextLine, spreads_of


def test_the_first_page_is_alone_on_the_right_and_an_even_book_ends_alone_on_the_left() -> None:
    assert [(s.left, s.right) for s in spreads_of(6)] == [(None, 0), (1, 2), (3, 4), (5, None)]
    assert [(s.left, s.right) for s in spreads_of(5)] == [(None, 0), (1, 2), (3, 4)]
    assert [s.name for s in spreads_of(3)] == ["spread-001", "spread-002"]
    assert spreads_of(0) == ()


def test_every_rule_set_names_only_checks_that_exist_and_says_when_it_was_checked() -> None:
    for rules in RULE_SETS.values():
        assert set(rules.severities) <= set(CHECKS)
        assert rules.checked and rules.description


def test_the_screen_rules_switch_off_print_checks_but_keep_the_fonts() -> None:
    screen = rules_named("screen")
    assert screen.severity("colour-rgb") is None
    assert screen.severity("font-not-embedded") == Severity.WARNING
    assert rules_named("generic").severity("colour-rgb") == Severity.ERROR


def test_an_unknown_rule_set_lists_the_known_ones() -> None:
    with pytest.raises(BooksmithError, match="no printer rules named 'kdpp'") as raised:
        rules_named("kdpp")
    assert "generic" in raised.value.diagnostic.hint


def _line(baseline: float, x0: float, size: float, text: str) -> TextLine:
    return TextLine(baseline, x0, x0 + 200, baseline - 3, baseline + size * 0.7, size, "Garamond", text, ())


def test_a_long_pages_last_line_belongs_to_the_text_block_even_in_a_letter_but_its_folio_does_not() -> None:
    """A page run a line long to level its spread may end inside a letter set smaller and indented;
    the folio one leading lower, centred, is still no text."""
    geometry = Geometry(11.0, 14.0, 579.4, 61.4, (72.0, 399.6), (57.6, 385.2), True, 11.0, 0.25)
    lines = [_line(75.4, 92.0, 10.0, "write explicitly. We have judged it best"),
             _line(61.4, 92.0, 10.0, "this house, of which I hope you will approve."),
             _line(47.4, 92.0, 10.0, "write again as soon as anything more is determined on."),
             _line(33.4, 228.0, 10.0, "262")]
    page = PageText(0, 432.0, 648.0, tuple(lines), 4)
    assert [line.text for line in text_block_lines(page, geometry)] == [line.text for line in lines[:3]]
