"""Page breaks within a chapter, chosen for the whole chapter at once by dynamic programming.

Each page holds a whole number of body lines on the baseline grid. A break may not leave fewer than
`orphans` lines of a paragraph at a page's foot or carry fewer than `widows` to the next page, never
follows a scene break, and a right-hand page does not end on a hyphen. Facing pages end on the same
baseline. Where the natural break is forbidden, the remedies are a good compositor's, cheapest
first: set one paragraph on the page a line longer or shorter (typeset offers those settings, with
what they cost in line quality), or run the whole spread a line short (or long, where the foot
margin has room). Only when nothing else works is a spread left uneven, and only when every rule
fails is a rule broken (reported, never silent).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from booksmith.typeset.lines import GalleyItem, GalleyLine, GalleySpace, ParagraphVariant

UNBALANCED_COST = 5000.0
BROKEN_RULE_COST = 1_000_000.0
SHORT_PAGE_COST = 100.0
LONG_PAGE_COST = 120.0
VARIANT_BASE_COST = 30.0
OPENING_SHORT_COST = 50.0
MAX_OPENING_SHORT = 4
# an opening three or four lines short costs about as much as a spread left uneven, less a little
DEEP_OPENING_SHORT_COST = 1000.0
DEMERITS_PER_COST = 1000.0  # how paragraph demerits weigh against page costs
INFINITE = float("inf")


@dataclass(frozen=True)
class FlowRules:
    lines_per_page: int
    orphans: int
    widows: int
    allow_long_pages: bool
    leading: float = 12.0  # the body leading, to turn footnote heights into whole lines
    note_gap: float = 12.0  # space above the footnotes, rule included


@dataclass(frozen=True)
class PageSlice:
    """Rows [start, end) of the chapter's rows fill one page; `variants` name paragraphs set to
    another line count on this page, as (paragraph, change in lines); `lines` is how many lines the
    page uses, its footnotes included, and `notes` how many of those the footnotes take."""

    start: int
    end: int
    broke_rule: bool = False
    variants: tuple[tuple[int, int], ...] = ()
    lines: int = 0
    notes: int = 0
    plates: int = 0  # full-page figures set on the pages after this one


@dataclass(slots=True)  # not frozen: made for every page option, and a frozen one is slower to make
class _Option:
    end: int
    visible: int
    cost: float
    legal: bool
    variants: tuple[tuple[int, int], ...] = ()
    notes: int = 0


Row = GalleyLine | None  # None is one line of vertical space


def rows_of(body: tuple[GalleyItem, ...]) -> list[Row]:
    rows: list[Row] = []
    for item in body:
        if isinstance(item, GalleySpace):
            rows.extend([None] * item.lines)
        else:
            rows.append(item)
    return rows


class ChapterFlow:
    """Breaks one chapter's rows into pages. The opening page is a single page; the pages after it
    alternate sides starting with `first_side_after_opening`. `variant_costs` gives, per paragraph,
    the cost of setting it one line longer (+1) or shorter (-1)."""

    def __init__(self, rows: list[Row], rules: FlowRules,
                 variants: dict[int, dict[int, ParagraphVariant]] | None = None,
                 note_heights: dict[int, float] | None = None, plates: tuple[int, ...] = ()) -> None:
        """`note_heights`: by row, the height of the footnote lines that row brings to its page.
        `plates`: where full-page figures stand in the text, as the row each comes before; a plate
        takes the page after the page of the text before it, and turns the pages after it over by
        one side."""
        self.rows = rows
        self.plates = plates
        self.rules = rules
        self.end = len(rows)
        full = rules.lines_per_page
        self.lengths = [(full, 0.0), (full - 1, SHORT_PAGE_COST)]
        if rules.allow_long_pages:
            self.lengths.append((full + 1, LONG_PAGE_COST))
        self.fallback_lengths = [(full - 2, 4 * SHORT_PAGE_COST), (full - 3, 8 * SHORT_PAGE_COST)]
        self.option_cache: dict[tuple[int, str, tuple[tuple[int, float], ...]], list[_Option]] = {}
        self.variants = variants or {}
        self.extent = _paragraph_extents(rows)
        self.resettable = {change: self._resettable(change) for change in (1, -1)}
        # running total of the height of the footnotes brought by the rows up to each row
        heights = note_heights or {}
        self.note_total = [0.0]
        for index in range(len(rows)):
            self.note_total.append(self.note_total[-1] + heights.get(index, 0.0))
        self.spread_cost = [INFINITE] * (self.end + 1)
        self.single_cost = [INFINITE] * (self.end + 1)
        self.solved = [False] * self.end + [True]
        self.spread_choice: list[tuple[_Option, _Option | None]] = [(_Option(self.end, 0, 0, True), None)] * (
            self.end + 1)
        self.single_choice: list[_Option] = [_Option(self.end, 0, 0, True)] * (self.end + 1)
        self.spread_cost[self.end] = self.single_cost[self.end] = 0.0

    def pages(self, opening_lines: int, first_side_after_opening: str) -> list[PageSlice]:
        opening_side = "recto" if first_side_after_opening == "verso" else "verso"
        # an opening page faces nothing it must line up with (a blank verso, or the end of the chapter
        # before), so it may end a few lines short; each line more costs more, so it is short by as
        # little as the spreads after it need, and three or four lines only to keep them level
        lengths = [(opening_lines - short, _opening_short_cost(short))
                   for short in range(MAX_OPENING_SHORT + 1)]
        self._solve(option.end for option in self._options(0, lengths, opening_side) if option.legal)
        first = self._single(0, lengths, then=first_side_after_opening, side=opening_side)
        if first[0] == INFINITE:
            first = self._single(0, lengths, then=first_side_after_opening, side=opening_side, relaxed=True)
        option = first[1]
        slices = [_slice(0, option, self._plates_after(0, option.end))]
        side = _turned(first_side_after_opening, slices[0].plates)
        position = option.end
        while position < self.end:
            if side == "verso":
                first_page, second_page = self.spread_choice[position]
                slices.append(_slice(position, first_page, self._plates_after(position, first_page.end)))
                if second_page is not None:
                    slices.append(_slice(first_page.end, second_page,
                                         self._plates_after(first_page.end, second_page.end)))
                    position = second_page.end
                    side = _turned("verso", slices[-1].plates)
                else:
                    position = first_page.end
                    side = _turned("recto", slices[-1].plates)
            else:
                choice = self.single_choice[position]
                slices.append(_slice(position, choice, self._plates_after(position, choice.end)))
                position = choice.end
                side = _turned("verso", slices[-1].plates)
        return slices

    def _plates_after(self, start: int, end: int) -> int:
        """How many plates follow the page of rows [start, end): those standing after its first row
        and up to its end (at the chapter's head, the opening page takes those before any text)."""
        if not self.plates:  # most chapters: asked for every page option, so answered at once
            return 0
        return sum(1 for row in self.plates if start < row <= end or row == start == 0)

    def _cost_after(self, side: str, start: int, end: int) -> float:
        """The least cost of what follows a page of rows [start, end) on `side`, its plates taken."""
        return self._cost_from(end, _turned("recto" if side == "verso" else "verso",
                                            self._plates_after(start, end)))

    def _cost_from(self, position: int, side: str) -> float:
        """The least cost of the pages from `position` on, the first of them on `side`."""
        if not self.solved[position]:
            self._solve_tail(position)
        return self.spread_cost[position] if side == "verso" else self.single_cost[position]

    # -- the tables ---------------------------------------------------------------------------------

    def _solve(self, first_ends: Iterator[int]) -> None:
        """The cost tables at every row a page can start on after the opening page (whose page ends
        are `first_ends`), from the last such row back. Pages are a few rows longer or shorter than
        the page, so most rows of a chapter are no page's start; working out only the rows reached
        (a quarter of a novel's) gives the tables the same values where they are read."""
        for start in sorted(self._reached(first_ends), reverse=True):
            self._solve_at(start)

    def _reached(self, first_ends: Iterator[int]) -> set[int]:
        """The rows the tables are read at: the page ends of the opening page, and of each spread
        and single page, at its natural lengths, from those rows on. (A position the tables are
        read at only where no page of natural length works is worked out when first read.)"""
        reached = set(first_ends)
        waiting = list(reached)
        while waiting:
            start = waiting.pop()
            if start >= self.end:
                continue
            ends = [option.end for option in self._options(start, self.lengths, "recto") if option.legal]
            for first in self._options(start, self.lengths, "verso"):
                if not first.legal:
                    continue
                if first.end == self.end or self._plates_after(start, first.end):
                    ends.append(first.end)  # no recto to line up with (see _best_spread)
                    continue
                ends.extend(second.end for second in self._options(first.end, self.lengths, "recto")
                            if second.legal)
            for end in ends:
                if end not in reached:
                    reached.add(end)
                    waiting.append(end)
        return reached

    def _solve_tail(self, position: int) -> None:
        """Every row from `position` on not yet worked out, from the last back, so that each reads
        only rows already worked out."""
        for start in range(self.end - 1, position - 1, -1):
            if not self.solved[start]:
                self._solve_at(start)

    def _solve_at(self, start: int) -> None:
        """Spreads are a verso and its recto; a single page (after an opening on a verso) is a recto."""
        self._solve_spread(start)
        cost, option = self._single(start, self.lengths, then="verso", side="recto")
        if cost == INFINITE:
            cost, option = self._single(start, self.fallback_lengths + self.lengths, then="verso",
                                        side="recto", relaxed=True)
        self.single_cost[start] = cost
        self.single_choice[start] = option
        self.solved[start] = True

    def _single(self, start: int, lengths: list[tuple[int, float]], then: str, side: str,
                relaxed: bool = False) -> tuple[float, _Option]:
        best: tuple[float, _Option] = (INFINITE, _Option(self.end, 0, 0, True))
        for option in self._options(start, lengths, side):
            if option.visible > self.rules.lines_per_page or (not option.legal and not relaxed):
                continue
            following = self._cost_from(option.end, _turned(then, self._plates_after(start, option.end)))
            total = option.cost + following + (0.0 if option.legal else BROKEN_RULE_COST)
            if total < best[0]:
                best = (total, option)
        return best

    def _solve_spread(self, start: int) -> None:
        for relaxed, lengths in ((False, self.lengths), (False, self.lengths + self.fallback_lengths),
                                 (True, self.lengths + self.fallback_lengths)):
            cost, choice = self._best_spread(start, lengths, relaxed)
            if cost < INFINITE:
                break
        self.spread_cost[start] = cost
        self.spread_choice[start] = choice

    def _best_spread(self, start: int, lengths: list[tuple[int, float]],
                     relaxed: bool) -> tuple[float, tuple[_Option, _Option | None]]:
        best_cost = INFINITE
        best: tuple[_Option, _Option | None] = (_Option(self.end, 0, 0, True), None)
        full = self.rules.lines_per_page
        for first in self._options(start, lengths, "verso"):
            if not first.legal and not relaxed:
                continue
            penalty = 0.0 if first.legal else BROKEN_RULE_COST
            if first.end == self.end or self._plates_after(start, first.end):
                # the chapter ends on this page, or a plate faces it: no text page to line up with
                total = first.cost + penalty + self._cost_after("verso", start, first.end)
                if total < best_cost and first.visible <= full:
                    best_cost, best = total, (first, None)
                continue
            for second in self._options(first.end, lengths, "recto"):
                if not second.legal and not relaxed:
                    continue
                level = first.visible == second.visible
                balanced = second.end == self.end or level
                if max(first.visible, second.visible) > full and not (level and balanced):
                    continue  # a page runs long only with its facing page, never alone
                total = (first.cost + second.cost + penalty
                         + self._cost_after("recto", first.end, second.end)
                         + (0.0 if balanced else UNBALANCED_COST)
                         + (0.0 if second.legal else BROKEN_RULE_COST))
                if total < best_cost:
                    best_cost, best = total, (first, second)
        return best_cost, best

    # -- one page ---------------------------------------------------------------------------------

    def _options(self, start: int, lengths: list[tuple[int, float]], side: str) -> list[_Option]:
        """The page options from start, worked out once: each spread asks again for the pages after
        each of its first pages, and most of those start where another spread's did."""
        key = (start, side, tuple(lengths))
        found = self.option_cache.get(key)
        if found is None:
            found = self.option_cache[key] = list(self._page_options(start, lengths, side))
        return found

    def _page_options(self, start: int, lengths: list[tuple[int, float]], side: str) -> Iterator[_Option]:
        """The ways to fill a page from start: plainly, `length` rows; or with one paragraph that
        ends on the page set a line longer (a row fewer taken) or shorter (one more), on a page of
        any length (a spread run short with a paragraph a line longer levels what neither can). (Two
        paragraphs reset on one page were tried: they levelled no more spreads and cost a fifth of
        the build time.)"""
        content = self._content_start(start)
        room = self._head_space(content)  # a scene break heading the page needs no line below it
        for length, cost in lengths:
            end = min(content + max(length, 1) + room, self.end)
            notes = self._note_lines(content, end)
            if notes:
                # the footnotes cited on the page take lines from its foot: fewer rows of text
                while end > content + 1 and (end - content) + self._note_lines(content, end) > length:
                    end -= 1
                notes = self._note_lines(content, end)
                yield _Option(end, self._visible(content, end) + notes, cost, self._legal(end, side),
                              notes=notes)
                continue
            yield _Option(end, self._visible(content, end), cost, self._legal(end, side))
            natural = lengths[0][0]  # the page's own length (an opening page's is shorter)
            if length == natural and end < self.end and self.rows[end - 1] is not None and \
                    self.rows[end - 1].keep_with_next:
                # a figure, table or stanza that must stay whole and does not fit: the page ends
                # before it, short by as much as it needs (a compositor lets such a page run short)
                before = self._kept_block_start(end)
                if before - content >= natural // 3:
                    short = natural - (before - content - room)
                    yield _Option(before, self._visible(content, before), cost + SHORT_PAGE_COST * short,
                                  self._legal(before, side))
            if end == self.end:
                continue
            for change in (1, -1):
                end = min(content + length - change + room, self.end)
                found = self._cheapest_variant(content, end, change, side)
                if found is None:
                    continue
                paragraph, variant_cost = found
                ends_here = self.extent[paragraph][1] == end - 1
                yield _Option(end, self._visible(content, end) + change,
                              VARIANT_BASE_COST + variant_cost / DEMERITS_PER_COST,
                              self._legal(end, side, variant_ends_here=ends_here), ((paragraph, change),))

    def _kept_block_start(self, end: int) -> int:
        """The first row of the run of rows kept together that the break at `end` would split."""
        index = end - 1
        while index > 0 and self.rows[index - 1] is not None and self.rows[index - 1].keep_with_next:
            index -= 1
        return index

    def _note_lines(self, start: int, end: int) -> int:
        height = self.note_total[end] - self.note_total[start]
        if not height:
            return 0
        return math.ceil((height + self.rules.note_gap) / self.rules.leading - 1e-6)

    def _resettable(self, change: int) -> tuple[list[int], list[tuple[int, int, ParagraphVariant]]]:
        """The paragraphs with a setting `change` lines longer, in the order of their last rows, as
        (paragraph, first row, setting); and those last rows, to find by bisection the ones that end
        on a page."""
        found = sorted((last, paragraph) for paragraph, (_, last) in self.extent.items()
                       if change in self.variants.get(paragraph, {}))
        settings = [(paragraph, self.extent[paragraph][0], self.variants[paragraph][change])
                    for _, paragraph in found]
        return [last for last, _ in found], settings

    def _cheapest_variant(self, start: int, end: int, change: int, side: str) -> tuple[int, float] | None:
        """The cheapest paragraph to set a line longer or shorter that ends on this page: one that
        lies wholly on it, or one that began on the page before (its lines there keep their count,
        so that page is unchanged but for their wording, and the widows rule still holds)."""
        ends, resettable = self.resettable[change]
        best: tuple[int, float] | None = None
        for position in range(bisect_left(ends, start), bisect_left(ends, end)):
            paragraph, first, variant = resettable[position]
            if (best is None or variant.cost < best[1]) and self._variant_fits(variant, start - first, side):
                best = (paragraph, variant.cost)
        return best

    def _variant_fits(self, variant: ParagraphVariant, carried: int, side: str) -> bool:
        """A paragraph begun on the page before (carried lines there) may be reset if the lines left
        for this page still satisfy the widows rule and, where the page before is a recto, its last
        line there does not end in a hyphen."""
        if carried <= 0:
            return True
        if len(variant.lines) - carried < self.rules.widows:
            return False
        return side != "verso" or not variant.lines[carried - 1].hyphenated

    def _content_start(self, start: int) -> int:
        """Space at the head of a page is dropped."""
        while start < self.end and self.rows[start] is None:
            start += 1
        return start

    def _head_space(self, first: int) -> int:
        """A scene break at the head of a page is set on the page's first line, without the line of
        space that centres it between two scenes mid-page: that line is not used."""
        row = self.rows[first] if first < self.end else None
        spaced = first + 1 < self.end and self.rows[first + 1] is None
        return 1 if row is not None and row.kind == "scene-break" and spaced else 0

    def _visible(self, first: int, end: int) -> int:
        """Lines on the page down to its last line of type (space at the foot does not count)."""
        last = end
        while last > first and self.rows[last - 1] is None:
            last -= 1
        if last - first > 1:
            return last - first - self._head_space(first)
        return last - first

    def _last_text_row(self, end: int) -> GalleyLine | None:
        for index in range(end - 1, max(-1, end - 4), -1):
            row = self.rows[index]
            if row is not None:
                return row
        return None

    def _legal(self, end: int, side: str, variant_ends_here: bool = False) -> bool:
        if end >= self.end:
            return True
        before, after = self.rows[end - 1], self.rows[end]
        last_text = self._last_text_row(end)
        if last_text is not None and last_text.keep_with_next:
            return False
        if before is None or after is None:
            return True
        if side == "recto" and before.line.hyphenated and not variant_ends_here:
            return False  # a hyphen at the foot of a right-hand page makes the reader turn mid-word
        if before.paragraph != after.paragraph:
            return True
        lines_before = before.index + 1
        lines_after = before.count - lines_before
        return lines_before >= self.rules.orphans and lines_after >= self.rules.widows


def _slice(start: int, option: _Option, plates: int = 0) -> PageSlice:
    return PageSlice(start, option.end, not option.legal, option.variants, option.visible, option.notes,
                     plates)


def _turned(side: str, pages: int) -> str:
    """The side a page lands on after `pages` more pages."""
    return side if pages % 2 == 0 else ("recto" if side == "verso" else "verso")


def _paragraph_extents(rows: list[Row]) -> dict[int, tuple[int, int]]:
    extents: dict[int, tuple[int, int]] = {}
    for index, row in enumerate(rows):
        if row is not None:
            first = extents.get(row.paragraph, (index, index))[0]
            extents[row.paragraph] = (first, index)
    return extents


def _opening_short_cost(short: int) -> float:
    """A line or two short on an opening is barely seen; three or four only where nothing else
    levels the spreads after it."""
    if short <= 2:
        return OPENING_SHORT_COST * short * short
    return DEEP_OPENING_SHORT_COST * (short - 1)
