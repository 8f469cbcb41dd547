"""break_lines(): Knuth & Plass total-fit line breaking, with fake monospace metrics.

Every letter is 1pt wide and a word space is glue of width 1, stretch 0.5 and shrink 0.33; each box
remembers its word's index so lines can be read back as words.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booksmith.typeset.items import FIL, INFINITY, Box, Glue, Item, Penalty
from booksmith.typeset.linebreak import BreakParams, break_lines, break_lines_with_alternatives


@dataclass(slots=True, unsafe_hash=True)  # as Box is
class WordBox(Box):
    """A box that remembers which word of the input it belongs to, so lines can be read back."""

    word_index: int = -1

SPACE = Glue(1.0, 0.5, 0.33)
HYPHEN = Penalty(1.0, 50, flagged=True)
GENEROUS = BreakParams(
    tolerance=10000,
    line_penalty=10,
    consecutive_hyphen_demerits=0,
    fitness_demerits=0,
    final_hyphen_demerits=0,
)


def paragraph_end() -> list[Item]:
    return [Penalty(0, INFINITY), Glue(0, FIL, 0), Penalty(0, -INFINITY)]


def words_to_items(words: list[str], first_index: int = 0) -> list[Item]:
    """Words with spaces between them; a '-' inside a word marks a hyphenation point."""
    items: list[Item] = []
    for offset, word in enumerate(words):
        if offset:
            items.append(SPACE)
        for number, syllable in enumerate(word.split("-")):
            if number:
                items.append(HYPHEN)
            items.append(WordBox(float(len(syllable)), word_index=first_index + offset))
    return items


def paragraph(words: list[str]) -> list[Item]:
    return [*words_to_items(words), *paragraph_end()]


@dataclass(frozen=True)
class Line:
    word_indexes: tuple[int, ...]
    natural: float
    stretch: float
    shrink: float


def lines_of(items: list[Item], positions: list[int]) -> list[Line]:
    """The lines that breaks at these item positions make, read the way the paper sets them: the
    glue at a break is dropped, a penalty's width (a hyphen) ends its line, and the glue and
    penalties after a break are discarded up to the next box."""
    lines = []
    start = 0
    for position in positions:
        segment = items[start:position]
        end = items[position]
        natural = sum(item.width for item in segment if not isinstance(item, Penalty))
        if isinstance(end, Penalty):
            natural += end.width
        glue = [item for item in segment if isinstance(item, Glue)]
        words = tuple(dict.fromkeys(item.word_index for item in segment if isinstance(item, WordBox)))
        lines.append(Line(words, natural, sum(g.stretch for g in glue), sum(g.shrink for g in glue)))
        start = position + 1
        while start < len(items) and not isinstance(items[start], Box):
            start += 1
    return lines


def positions_of(items: list[Item], measure: float, params: BreakParams) -> list[int]:
    breaks = break_lines(items, measure, params)
    assert breaks is not None
    return [b.position for b in breaks]


def badness(line: Line, measure: float) -> float:
    if line.natural < measure:
        if line.stretch == 0:
            return 10000.0
        ratio = (measure - line.natural) / line.stretch
    elif line.natural > measure:
        ratio = (measure - line.natural) / line.shrink
    else:
        ratio = 0.0
    return min(10000.0, 100 * abs(ratio) ** 3)


def demerits(lines: list[Line], measure: float, line_penalty: float) -> float:
    """The paper's demerits for breaks at glue only, with no fitness demerits: sum of (l + b)^2."""
    return sum((line_penalty + badness(line, measure)) ** 2 for line in lines)


def first_fit(words: list[str], measure: float) -> list[int]:
    """Greedy breaking: as many words on a line as fit at their natural width."""
    positions = []
    width = len(words[0])
    for index, word in enumerate(words[1:], start=1):
        if width + 1 + len(word) <= measure:
            width += 1 + len(word)
        else:
            positions.append(2 * index - 1)  # the space before word `index`
            width = len(word)
    return [*positions, 2 * len(words) + 1]  # the paragraph's final forced break


word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
word_lists = st.lists(word, min_size=1, max_size=40)
measures = st.integers(min_value=20, max_value=60).map(float)


# --- optimality ---------------------------------------------------------------------------------

# Greedy fills the first line exactly and leaves the second very loose (3pt over two spaces,
# ratio 3, badness 2700); total fit leaves 2pt and 1pt (ratios 2 and 2/3, badness 800 and 29.6).
EXAMPLE = ["a", "bbbb", "ccccc", "d", "ee", "fff", "gggg", "hhhhh"]


def test_total_fit_balances_lines_that_first_fit_leaves_uneven():
    items = paragraph(EXAMPLE)
    total_fit = positions_of(items, 14, GENEROUS)
    greedy = first_fit(EXAMPLE, 14)
    words = [[EXAMPLE[i] for i in line.word_indexes] for line in lines_of(items, total_fit)]
    assert words == [["a", "bbbb", "ccccc"], ["d", "ee", "fff", "gggg"], ["hhhhh"]]
    greedy_words = [[EXAMPLE[i] for i in line.word_indexes] for line in lines_of(items, greedy)]
    assert greedy_words == [["a", "bbbb", "ccccc", "d"], ["ee", "fff", "gggg"], ["hhhhh"]]

    def squared_slack(positions: list[int]) -> float:
        return sum((14 - line.natural) ** 2 for line in lines_of(items, positions)[:-1])

    assert squared_slack(total_fit) == 5 < squared_slack(greedy) == 9
    assert demerits(lines_of(items, total_fit), 14, 10) < demerits(lines_of(items, greedy), 14, 10)


def test_break_ratios_are_the_adjustment_ratios_of_the_lines():
    breaks = break_lines(paragraph(EXAMPLE), 14, GENEROUS)
    assert breaks is not None
    assert [b.ratio for b in breaks[:2]] == pytest.approx([2.0, 2 / 3])
    assert breaks[2].ratio == pytest.approx(0.0, abs=1e-3)  # the last line is filled by FIL glue
    assert not any(b.flagged for b in breaks)


@settings(deadline=None)
@given(word_lists, measures)
def test_total_fit_is_never_worse_than_first_fit(words, measure):
    items = paragraph(words)
    total_fit = demerits(lines_of(items, positions_of(items, measure, GENEROUS)), measure, 10)
    greedy = demerits(lines_of(items, first_fit(words, measure)), measure, 10)
    assert total_fit <= greedy * (1 + 1e-9)


@settings(deadline=None)
@given(word_lists, measures)
def test_lines_rejoin_into_the_input_words_and_none_is_wider_than_the_measure(words, measure):
    items = paragraph(words)
    breaks = break_lines(items, measure, GENEROUS)
    assert breaks is not None
    positions = [b.position for b in breaks]
    assert positions == sorted(set(positions))
    assert positions[-1] == len(items) - 1
    lines = lines_of(items, positions)
    assert [i for line in lines for i in line.word_indexes] == list(range(len(words)))
    for line in lines:
        assert line.natural - line.shrink <= measure + 1e-9


def test_a_paragraph_that_fits_on_one_line_is_one_line():
    breaks = break_lines(paragraph(["short", "and", "sweet"]), 40, GENEROUS)
    assert breaks is not None
    assert len(breaks) == 1


def fitness(ratio: float) -> int:
    """The paper's fitness classes: tight, decent, loose, very loose."""
    return 0 if ratio < -0.5 else 1 if ratio <= 0.5 else 2 if ratio <= 1 else 3


def paper_demerits(
    items: list[Item], positions: list[int], measures: float | tuple[float, ...], params: BreakParams
) -> float | None:
    """Demerits of a set of breaks as the paper sums them, or None when a line is infeasible. With
    several measures, line k is set to the k-th, the last to every line after it."""
    widths = (measures,) if isinstance(measures, float) else measures
    total, previous_fitness, previous_flagged = 0.0, 1, False
    for number, (position, line) in enumerate(zip(positions, lines_of(items, positions))):
        measure = widths[min(number, len(widths) - 1)]
        if line.natural > measure and (line.shrink == 0 or (line.natural - measure) / line.shrink > 1):
            return None
        bad = badness(line, measure)
        if bad > params.tolerance:
            return None
        end = items[position]
        penalty = end.penalty if isinstance(end, Penalty) else 0.0
        flagged = isinstance(end, Penalty) and end.flagged
        line_demerits = (params.line_penalty + bad) ** 2
        if penalty >= 0:
            line_demerits += penalty**2
        elif penalty > -INFINITY:
            line_demerits -= penalty**2
        if flagged and previous_flagged:
            line_demerits += params.consecutive_hyphen_demerits
        if penalty <= -INFINITY and previous_flagged:
            line_demerits += params.final_hyphen_demerits
        if line.natural < measure:
            ratio = (measure - line.natural) / line.stretch if line.stretch else 10000.0
        else:
            ratio = (measure - line.natural) / line.shrink if line.shrink else 0.0
        if abs(fitness(ratio) - previous_fitness) > 1:
            line_demerits += params.fitness_demerits
        total += line_demerits
        previous_fitness, previous_flagged = fitness(ratio), flagged
    return total


def legal_breaks(items: list[Item]) -> list[int]:
    """Glue after a box, or a penalty below INFINITY; the final forced break is left out."""
    return [
        index
        for index, item in enumerate(items[:-1])
        if (isinstance(item, Glue) and index and isinstance(items[index - 1], Box))
        or (isinstance(item, Penalty) and item.penalty < INFINITY)
    ]


hyphenated_word = st.sampled_from(
    ["a", "tar", "sea", "gull", "fer-ry", "har-bour", "cap-tain", "won-der-ful"]
)


@settings(deadline=None, max_examples=60)
@given(
    st.lists(hyphenated_word, min_size=1, max_size=6),
    st.integers(min_value=8, max_value=24).map(float),
    st.sampled_from([100, 1000, 10000]),
    st.sampled_from([0, 3000, 10000]),
    st.sampled_from([0, 10000]),
)
def test_breaks_have_the_least_demerits_of_all_feasible_sets_of_breaks(
    words, measure, tolerance, alpha, gamma
):
    # the paper's algorithm, without booksmith's hard limit on hyphen ladders
    params = BreakParams(tolerance, 10, alpha, gamma, final_hyphen_demerits=5000, max_consecutive_hyphens=99)
    items = paragraph(words)
    last = len(items) - 1
    candidates = legal_breaks(items)
    feasible = [
        cost
        for size in range(len(candidates) + 1)
        for chosen in itertools.combinations(candidates, size)
        if (cost := paper_demerits(items, [*chosen, last], measure, params)) is not None
    ]
    breaks = break_lines(items, measure, params)
    if not feasible:
        assert breaks is None
        return
    assert breaks is not None
    found = paper_demerits(items, [b.position for b in breaks], measure, params)
    assert found is not None
    assert found == pytest.approx(min(feasible), rel=1e-9)


def feasible_by_line_count(items: list[Item], measures: float | tuple[float, ...],
                           params: BreakParams) -> dict[int, float]:
    """The least demerits of every feasible set of breaks, by its number of lines."""
    last = len(items) - 1
    candidates = legal_breaks(items)
    least: dict[int, float] = {}
    for size in range(len(candidates) + 1):
        for chosen in itertools.combinations(candidates, size):
            cost = paper_demerits(items, [*chosen, last], measures, params)
            if cost is not None and cost < least.get(size + 1, float("inf")):
                least[size + 1] = cost
    return least


@settings(deadline=None, max_examples=60)
@given(
    st.lists(hyphenated_word, min_size=2, max_size=7),
    st.integers(min_value=8, max_value=20).map(float),
    st.integers(min_value=0, max_value=6).map(float),
    st.sampled_from([100, 400, 1000]),
)
def test_every_line_count_gets_its_least_demerits_with_narrower_first_lines(
    words, measure, narrower, tolerance
):
    # a drop cap's measures: the first two lines narrower than the rest; the breaker passes over
    # breakpoints too early for any node, which must never hide a feasible line of any width
    params = BreakParams(tolerance, 10, 3000, 10000, final_hyphen_demerits=5000, max_consecutive_hyphens=99)
    measures = (measure - narrower, measure - narrower, measure)
    items = paragraph(words)
    least = feasible_by_line_count(items, measures, params)
    found = break_lines_with_alternatives(items, measures, params)
    if not least:
        assert found is None
        return
    assert found is not None
    assert sorted(found) == sorted(least)
    for lines, alternative in found.items():
        assert len(alternative.breaks) == lines
        cost = paper_demerits(items, [b.position for b in alternative.breaks], measures, params)
        assert cost == pytest.approx(least[lines], rel=1e-9)
        assert alternative.demerits == pytest.approx(least[lines], rel=1e-9)


@settings(deadline=None, max_examples=150)
@given(
    st.lists(hyphenated_word, min_size=20, max_size=80),
    st.integers(min_value=30, max_value=70).map(float),
    st.integers(min_value=0, max_value=6).map(float),
    st.sampled_from([100, 400, 1000, 10000]),
    st.booleans(),
    st.integers(min_value=-2, max_value=12),
)
def test_a_search_for_one_line_count_finds_what_the_search_for_all_finds_for_it(
    words, measure, narrower, tolerance, fill_inside, choice
):
    """With lines_wanted, nodes that cannot lead to that many lines are never made: the setting
    found is the one the unrestricted search finds for that line count, and none other is given.
    (At a book's scale: a letter 5pt wide, so that the search's bounds, generous by a point a line,
    are tight enough to be tested.)"""
    params = BreakParams(tolerance, 10, 3000, 100, final_hyphen_demerits=5000, max_consecutive_hyphens=2)
    measures = tuple(5 * width for width in (measure - narrower, measure - narrower, measure))
    half = len(words) // 2
    inside: list[Item] = [Glue(0, FIL, 0), Penalty(0, -INFINITY)] if fill_inside else [SPACE]
    items = [_scaled(item, 5) for item in
             [*words_to_items(words[:half]), *inside, *words_to_items(words[half:], half), *paragraph_end()]]
    every = break_lines_with_alternatives(items, measures, params) or {}
    # mostly a line count there is a setting for, the loosest most often (its lines stretched
    # nearest the tolerance, where the bounds are tested hardest); else one with none
    counts = sorted(every, reverse=True)
    wanted = counts[choice % len(counts)] if counts and choice >= 0 else max(counts, default=0) - choice
    found = break_lines_with_alternatives(items, measures, replace(params, lines_wanted=wanted)) or {}
    assert set(found) <= {wanted}
    if wanted in every:
        assert found[wanted].breaks == every[wanted].breaks
        assert found[wanted].demerits == every[wanted].demerits
    else:
        assert not found


def _scaled(item: Item, factor: float) -> Item:
    if isinstance(item, Glue):
        return replace(item, width=item.width * factor, stretch=item.stretch * factor if item.stretch < FIL
                       else item.stretch, shrink=item.shrink * factor)
    return replace(item, width=item.width * factor)


# --- forced breaks ------------------------------------------------------------------------------


@settings(deadline=None)
@given(word_lists, word_lists, measures, st.booleans())
def test_a_forced_break_in_the_middle_is_always_taken(before, after, measure, with_fill):
    forced: list[Item] = [Glue(0, FIL, 0), Penalty(0, -INFINITY)] if with_fill else [Penalty(0, -INFINITY)]
    items = [*words_to_items(before), *forced, *words_to_items(after, len(before)), *paragraph_end()]
    forced_at = len(words_to_items(before)) + len(forced) - 1
    positions = positions_of(items, measure, GENEROUS)
    assert forced_at in positions
    lines = lines_of(items, positions)
    assert [i for line in lines for i in line.word_indexes] == list(range(len(before) + len(after)))


# --- consecutive hyphens ------------------------------------------------------------------------

# Measure 13. Hyphenating twice sets "tar sea fer-" / "ry pier cap-" / "tain tar": two lines at
# ratio 1 (badness 100) with penalty 50 each, demerits 2 * (110^2 + 50^2) + 10^2 = 29300.
# Not hyphenating sets "tar sea ferry" / "pier captain" / "tar": ratios 0 and 2 (badness 800),
# demerits 10^2 + 810^2 + 10^2 = 656300. So alpha decides the case at 627000.
HYPHENATED = ["tar", "sea", "fer-ry", "pier", "cap-tain", "tar"]
HYPHEN_PARAMS = replace(GENEROUS, tolerance=1000)


def test_two_hyphenated_lines_in_a_row_are_taken_when_alpha_is_zero():
    breaks = break_lines(paragraph(HYPHENATED), 13, HYPHEN_PARAMS)
    assert breaks is not None
    assert [(b.position, b.flagged) for b in breaks] == [(5, True), (11, True), (17, False)]


def test_two_hyphenated_lines_in_a_row_are_avoided_when_alpha_is_huge():
    params = replace(HYPHEN_PARAMS, consecutive_hyphen_demerits=1e9)
    breaks = break_lines(paragraph(HYPHENATED), 13, params)
    assert breaks is not None
    assert [(b.position, b.flagged) for b in breaks] == [(7, False), (13, False), (17, False)]


@pytest.mark.parametrize(("alpha", "hyphenated"), [(626_000, True), (628_000, False)])
def test_consecutive_hyphen_demerits_are_added_once_for_the_pair(alpha, hyphenated):
    params = replace(HYPHEN_PARAMS, consecutive_hyphen_demerits=alpha)
    breaks = break_lines(paragraph(HYPHENATED), 13, params)
    assert breaks is not None
    assert [b.flagged for b in breaks] == ([True, True, False] if hyphenated else [False, False, False])


def test_a_hyphen_break_adds_the_hyphen_width_to_its_line():
    items = paragraph(HYPHENATED)
    lines = lines_of(items, positions_of(items, 13, HYPHEN_PARAMS))
    assert [line.natural for line in lines[:2]] == [12.0, 12.0]


# --- looseness ----------------------------------------------------------------------------------


def test_looseness_plus_one_sets_one_more_line():
    items = paragraph(EXAMPLE)
    assert len(positions_of(items, 14, GENEROUS)) == 3
    assert len(positions_of(items, 14, replace(GENEROUS, looseness=1))) == 4


@settings(deadline=None)
@given(word_lists, measures)
def test_looseness_plus_one_sets_one_more_line_whenever_there_are_words_to_spare(words, measure):
    items = paragraph(words)
    tight = positions_of(items, measure, GENEROUS)
    loose = positions_of(items, measure, replace(GENEROUS, looseness=1))
    expected = len(tight) + 1 if len(words) > len(tight) else len(tight)
    assert len(loose) == expected
    assert [i for line in lines_of(items, loose) for i in line.word_indexes] == list(range(len(words)))


# --- no solution --------------------------------------------------------------------------------


def test_a_box_wider_than_the_measure_with_a_tight_tolerance_gives_none():
    params = replace(GENEROUS, tolerance=100)
    assert break_lines(paragraph(["a", "x" * 30, "b"]), 20, params) is None


def test_a_tolerance_too_tight_for_any_line_gives_none():
    params = replace(GENEROUS, tolerance=1)
    # "aaaa bbbb" / "cccc" needs ratio 3 on the first line at measure 12; it cannot take all three
    assert break_lines(paragraph(["aaaa", "bbbb", "cccc"]), 12, params) is None


def test_no_more_hyphenated_lines_in_a_row_than_the_limit_allows():
    """Words of three syllables on a line that holds about a word and a half: with no limit most
    lines end in a hyphen; with a limit of two, never three in a row."""
    words = ["-".join(["abc"] * 3)] * 8
    items = paragraph(words)
    unlimited = BreakParams(10000, 10, 0, 0, 0, max_consecutive_hyphens=99)
    limited = replace(unlimited, max_consecutive_hyphens=2)

    def longest_ladder(params: BreakParams) -> int:
        breaks = break_lines(items, 13.0, params)
        assert breaks is not None
        positions = [brk.position for brk in breaks]
        read = [i for line in lines_of(items, positions) for i in line.word_indexes]
        assert list(dict.fromkeys(read)) == list(range(8))
        longest = run = 0
        for brk in breaks:
            run = run + 1 if brk.flagged else 0
            longest = max(longest, run)
        return longest

    assert longest_ladder(unlimited) > 2
    assert longest_ladder(limited) == 2
