"""Spreads as a printed book opens, and the printer rules as data."""

from __future__ import annotations

import pytest

from booksmith.errors import BooksmithError, Severity
from booksmith.proof import RULE_SETS, rules_named
from booksmith.proof.catalogue import CHECKS
from booksmith.proof.model import spreads_of


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
