"""Page breaks within a chapter, chosen for the whole chapter at once by dynamic programming.

Each page holds a whole number of body lines on the baseline grid. A break may not leave fewer than
`orphans` lines of a paragraph at a page's foot or carry fewer than `widows` to the next page, and
never follows a scene break. Facing pages end on the same baseline: where the natural break is
forbidden, a compositor runs the whole spread a line short (or long, where the foot margin has
room) rather than leave one page short; only when nothing else works is a spread left unbalanced,
and only when every rule fails is a rule broken (reported, never silent).
"""

from __future__ import annotations

from dataclasses import dataclass

from booksmith.typeset.lines import GalleyItem, GalleyLine, GalleySpace

UNBALANCED_COST = 5000.0
BROKEN_RULE_COST = 1_000_000.0
INFINITE = float("inf")


@dataclass(frozen=True)
class FlowRules:
    lines_per_page: int
    orphans: int
    widows: int
    allow_long_pages: bool


@dataclass(frozen=True)
class PageSlice:
    """Rows [start, end) of the chapter's rows fill one page."""

    start: int
    end: int
    broke_rule: bool = False


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
    """Breaks one chapter's rows into pages. The opening page holds `opening_lines` rows; the pages
    after it alternate sides starting with `first_side`."""

    def __init__(self, rows: list[Row], rules: FlowRules) -> None:
        self.rows = rows
        self.rules = rules
        self.end = len(rows)
        full = rules.lines_per_page
        self.lengths = [(full, 0.0), (full - 1, 100.0)]
        if rules.allow_long_pages:
            self.lengths.append((full + 1, 120.0))
        self.fallback_lengths = [(full - 2, 400.0), (full - 3, 800.0)]
        self.spread_cost = [INFINITE] * (self.end + 1)
        self.single_cost = [INFINITE] * (self.end + 1)
        self.spread_choice: list[tuple[int, int, bool]] = [(0, 0, False)] * (self.end + 1)
        self.single_choice: list[tuple[int, bool]] = [(0, False)] * (self.end + 1)

    def pages(self, opening_lines: int, first_side_after_opening: str) -> list[PageSlice]:
        self._solve()
        # an opening page faces nothing it must line up with, so it may end a few lines short
        first = self._single(0, [(opening_lines - short, 50.0 * short) for short in range(4)],
                             then=first_side_after_opening)
        if first[0] == INFINITE:
            first = self._single(0, [(opening_lines, 0.0)], then=first_side_after_opening, relaxed=True)
        _, end, broke = first
        slices = [PageSlice(0, end, broke)]
        side = first_side_after_opening
        position = end
        while position < self.end:
            if side == "verso":
                first_end, second_end, broke = self.spread_choice[position]
                slices.append(PageSlice(position, first_end, broke))
                if second_end > first_end:
                    slices.append(PageSlice(first_end, second_end, broke))
                    position = second_end
                else:
                    position = first_end
                    side = "recto"
            else:
                end, broke = self.single_choice[position]
                slices.append(PageSlice(position, end, broke))
                position = end
                side = "verso"
        return slices

    # -- the tables ---------------------------------------------------------------------------------

    def _solve(self) -> None:
        self.spread_cost[self.end] = self.single_cost[self.end] = 0.0
        for start in range(self.end - 1, -1, -1):
            self._solve_spread(start)
            cost, end, broke = self._single(start, self.lengths, then="verso")
            if cost == INFINITE:
                cost, end, broke = self._single(start, self.fallback_lengths + self.lengths, then="verso",
                                                relaxed=True)
            self.single_cost[start] = cost
            self.single_choice[start] = (end, broke)

    def _single(self, start: int, lengths: list[tuple[int, float]], then: str,
                relaxed: bool = False) -> tuple[float, int, bool]:
        best = (INFINITE, self.end, False)
        following = self.spread_cost if then == "verso" else self.single_cost
        for length, cost in lengths:
            if self._long(length):
                continue
            end = self._page_end(start, length)
            ok = self._legal(end)
            if not ok and not relaxed:
                continue
            total = cost + following[end] + (0.0 if ok else BROKEN_RULE_COST)
            if total < best[0]:
                best = (total, end, not ok)
        return best

    def _solve_spread(self, start: int) -> None:
        for relaxed, lengths in ((False, self.lengths), (False, self.lengths + self.fallback_lengths),
                                 (True, self.lengths + self.fallback_lengths)):
            best = self._best_spread(start, lengths, relaxed)
            if best[0] < INFINITE:
                break
        cost, first_end, second_end, broke = best
        self.spread_cost[start] = cost
        self.spread_choice[start] = (first_end, second_end, broke)

    def _best_spread(self, start: int, lengths: list[tuple[int, float]],
                     relaxed: bool) -> tuple[float, int, int, bool]:
        best = (INFINITE, self.end, self.end, False)
        for first_length, first_cost in lengths:
            first_end = self._page_end(start, first_length)
            first_ok = self._legal(first_end)
            if not first_ok and not relaxed:
                continue
            penalty = 0.0 if first_ok else BROKEN_RULE_COST
            if first_end == self.end:  # the chapter ends on this verso
                if first_cost + penalty < best[0] and not self._long(first_length):
                    best = (first_cost + penalty, first_end, first_end, not first_ok)
                continue
            for second_length, second_cost in lengths:
                second_end = self._page_end(first_end, second_length)
                second_ok = self._legal(second_end)
                if not second_ok and not relaxed:
                    continue
                balanced = second_end == self.end or (
                    self._visible(start, first_end) == self._visible(first_end, second_end))
                level = balanced and first_length == second_length
                if self._long(first_length, second_length) and not level:
                    continue  # a page runs long only with its facing page, never alone
                total = (first_cost + second_cost + penalty + self.spread_cost[second_end]
                         + (0.0 if balanced else UNBALANCED_COST)
                         + (0.0 if second_ok else BROKEN_RULE_COST))
                if total < best[0]:
                    best = (total, first_end, second_end, not (first_ok and second_ok))
        return best

    # -- rows -------------------------------------------------------------------------------------

    def _long(self, *lengths: int) -> bool:
        return any(length > self.rules.lines_per_page for length in lengths)

    def _content_start(self, start: int) -> int:
        """Space at the head of a page is dropped."""
        while start < self.end and self.rows[start] is None:
            start += 1
        return start

    def _page_end(self, start: int, length: int) -> int:
        return min(self._content_start(start) + max(length, 1), self.end)

    def _visible(self, start: int, end: int) -> int:
        """Lines on the page down to its last line of type (space at the foot does not count)."""
        first = self._content_start(start)
        last = end
        while last > first and self.rows[last - 1] is None:
            last -= 1
        return last - first

    def _last_text_row(self, end: int) -> GalleyLine | None:
        for index in range(end - 1, max(-1, end - 4), -1):
            row = self.rows[index]
            if row is not None:
                return row
        return None

    def _legal(self, end: int) -> bool:
        if end >= self.end:
            return True
        before, after = self.rows[end - 1], self.rows[end]
        last_text = self._last_text_row(end)
        if last_text is not None and last_text.keep_with_next:
            return False
        if before is None or after is None:
            return True
        if before.paragraph != after.paragraph:
            return True
        lines_before = before.index + 1
        lines_after = before.count - lines_before
        return lines_before >= self.rules.orphans and lines_after >= self.rules.widows
