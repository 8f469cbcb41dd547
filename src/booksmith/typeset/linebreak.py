"""Optimal line breaking: the total-fit algorithm of Knuth & Plass, "Breaking Paragraphs into Lines",
Software: Practice and Experience 11 (1981) 1119-1184.

Names follow the paper: items are boxes, glue and penalties; a feasible break has adjustment ratio
r >= -1 and badness 100|r|^3 within the tolerance (rho); demerits are (l + b)^2 +/- p^2 plus alpha
for consecutive flagged (hyphenated) breaks and gamma for adjacent lines in non-adjacent fitness
classes; TeX's final-hyphen demerits and looseness are included. Active nodes are pruned as soon as
they can no longer reach the current break (r < -1), which keeps the active list short.

Two additions a book compositor wants: a hard limit on consecutive hyphenated lines (active nodes
are kept apart by how many hyphenated lines end in them, so the limit is exact, not a penalty),
and demerits for a runt (a last line shorter than `runt_width`). With `alternatives`, the best
breaks for every feasible line count are kept, so pagination can set a paragraph a line longer or
shorter without breaking it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from booksmith.typeset.items import INFINITY, Box, Glue, Item

MAX_BADNESS = 10000.0
Measure = float | Sequence[float]


@dataclass(frozen=True)
class BreakParams:
    tolerance: float
    line_penalty: float
    consecutive_hyphen_demerits: float  # alpha
    fitness_demerits: float  # gamma
    final_hyphen_demerits: float
    emergency_stretch: float = 0.0
    looseness: int = 0
    max_consecutive_hyphens: int = 2
    runt_width: float = 0.0
    runt_demerits: float = 0.0
    alternatives: bool = False


@dataclass(frozen=True, slots=True)
class Break:
    """A chosen break: the item index it is at and the adjustment ratio of the line it ends."""

    position: int
    ratio: float
    flagged: bool


@dataclass(frozen=True)
class Alternative:
    """The best breaks that give a paragraph a given number of lines, and their total demerits."""

    breaks: list[Break]
    demerits: float


class _Node:
    __slots__ = ("demerits", "fitness", "flagged", "hyphens", "line", "position", "previous", "ratio",
                 "total_shrink", "total_stretch", "total_width")

    def __init__(self, position: int, line: int, fitness: int, totals: tuple[float, float, float],
                 demerits: float, ratio: float, flagged: bool, previous: _Node | None) -> None:
        self.position = position
        self.line = line
        self.fitness = fitness
        self.total_width, self.total_stretch, self.total_shrink = totals
        self.demerits = demerits
        self.ratio = ratio
        self.flagged = flagged
        # how many hyphenated lines in a row end here
        self.hyphens = (previous.hyphens + 1 if previous else 1) if flagged else 0
        self.previous = previous


def break_lines(items: Sequence[Item], measure: Measure, params: BreakParams) -> list[Break] | None:
    """The optimal breaks of a paragraph whose last item is a forced break, or None when no set of
    breaks keeps every line within the tolerance."""
    breaker = _Breaker(items, measure, params)
    if not breaker.run():
        return None
    return breaker.best_breaks()


def break_lines_scored(items: Sequence[Item], measure: Measure, params: BreakParams) -> Alternative | None:
    """Like break_lines, with the total demerits of the chosen breaks."""
    breaker = _Breaker(items, measure, params)
    if not breaker.run():
        return None
    return breaker.best()


def break_lines_with_alternatives(items: Sequence[Item], measure: Measure,
                                  params: BreakParams) -> dict[int, Alternative] | None:
    """The best breaks for each feasible number of lines (the optimum among them is the result of
    break_lines), or None when no breaks fit the tolerance."""
    breaker = _Breaker(items, measure, BreakParams(**{**params.__dict__, "alternatives": True}))
    if not breaker.run():
        return None
    return breaker.alternatives()


class _Breaker:
    def __init__(self, items: Sequence[Item], measure: Measure, params: BreakParams) -> None:
        self.items = items
        # the width of each line in turn; the last applies to every line after it
        self.measures = (measure,) if isinstance(measure, (int, float)) else tuple(measure)
        self.params = params
        self.width = self.stretch = self.shrink = 0.0
        self.active: list[_Node] = [_Node(0, 0, 1, (0.0, 0.0, 0.0), 0.0, 0.0, False, None)]

    def run(self) -> bool:
        items = self.items
        previous_is_box = False
        for index, item in enumerate(items):
            if isinstance(item, Box):
                self.width += item.width
                previous_is_box = True
                continue
            if isinstance(item, Glue):
                if previous_is_box:
                    self._try_break(index, 0.0, 0.0, False)
                self.width += item.width
                self.stretch += item.stretch
                self.shrink += item.shrink
            elif item.penalty < INFINITY:
                self._try_break(index, item.width, item.penalty, item.flagged)
            previous_is_box = False
            if not self.active:
                return False
        return any(node.position == len(items) - 1 for node in self.active)

    def _try_break(self, position: int, penalty_width: float, penalty: float, flagged: bool) -> None:
        """The paper's main loop for one feasible breakpoint, written out flat: this runs for every
        word space of the book, so it avoids calls and attribute look-ups in the inner loop."""
        params = self.params
        forced = penalty <= -INFINITY
        best: dict[tuple[int, int, int], tuple[float, _Node, float]] = {}
        survivors: list[_Node] = []
        width = self.width + penalty_width
        stretch_sum = self.stretch
        shrink_sum = self.shrink
        measures = self.measures
        last_measure = len(measures) - 1
        emergency = params.emergency_stretch
        tolerance = params.tolerance
        for node in self.active:
            measure = measures[node.line if node.line < last_measure else last_measure]
            length = width - node.total_width
            judged_stretch = 0.0
            if length < measure:
                stretch = stretch_sum - node.total_stretch
                ratio = (measure - length) / stretch if stretch > 0 else MAX_BADNESS
                judged_stretch = stretch + emergency
            elif length > measure:
                shrink = shrink_sum - node.total_shrink
                ratio = (measure - length) / shrink if shrink > 0 else -MAX_BADNESS
            else:
                ratio = 0.0
            if ratio < -1:
                continue  # this line is already too long: the node can end no more lines
            if not forced:
                survivors.append(node)
            # with emergency stretch a line is judged as if it had more room to stretch
            judged = (measure - length) / judged_stretch if emergency and judged_stretch > 0 else ratio
            bad = 100.0 * abs(judged) ** 3 if -10 < judged < 10 else MAX_BADNESS
            if bad > MAX_BADNESS:
                bad = MAX_BADNESS
            if bad > tolerance:
                continue
            if flagged and node.hyphens >= params.max_consecutive_hyphens:
                continue
            demerits = self._demerits(bad, penalty, flagged, node, forced)
            if forced and params.runt_demerits and self._is_runt(node):
                demerits += params.runt_demerits
            fitness = 0 if ratio < -0.5 else 1 if ratio <= 0.5 else 2 if ratio <= 1.0 else 3
            if abs(fitness - node.fitness) > 1:
                demerits += params.fitness_demerits
            total = node.demerits + demerits
            hyphens = node.hyphens + 1 if flagged else 0
            # lines of different widths (a drop cap's) and the alternatives need nodes kept apart by
            # line number (the paper's "easy line" distinction)
            keep_lines = params.looseness or params.alternatives or node.line < last_measure
            key = (fitness, hyphens, node.line + 1 if keep_lines else 0)
            found = best.get(key)
            if found is None or total < found[0]:
                best[key] = (total, node, ratio)
        if best:
            totals = self._totals_after(position)
            for (fitness, _, _), (total, node, ratio) in best.items():
                survivors.append(_Node(position, node.line + 1, fitness, totals, total, ratio, flagged, node))
        self.active = survivors

    def _demerits(self, bad: float, penalty: float, flagged: bool, node: _Node, forced: bool) -> float:
        params = self.params
        base = (params.line_penalty + bad) ** 2
        if penalty >= 0:
            base += penalty * penalty
        elif penalty > -INFINITY:
            base -= penalty * penalty
        if flagged and node.flagged:
            base += params.consecutive_hyphen_demerits
        if forced and node.flagged:
            base += params.final_hyphen_demerits
        return base

    def _is_runt(self, node: _Node) -> bool:
        """Whether the last line, from node to the end, is shorter than the runt width (its natural
        width: the final glue is TeX's parfillskip)."""
        return node.previous is not None and self.width - node.total_width < self.params.runt_width

    def _totals_after(self, position: int) -> tuple[float, float, float]:
        """Totals up to the first box after a break, skipping the glue and penalties a break discards."""
        width, stretch, shrink = self.width, self.stretch, self.shrink
        items = self.items
        for index in range(position, len(items)):
            item = items[index]
            if isinstance(item, Box):
                break
            if isinstance(item, Glue):
                width += item.width
                stretch += item.stretch
                shrink += item.shrink
            elif item.penalty <= -INFINITY and index > position:
                break
        return width, stretch, shrink

    def _final_nodes(self) -> list[_Node]:
        return [node for node in self.active if node.position == len(self.items) - 1]

    def best_breaks(self) -> list[Break]:
        return self.best().breaks

    def best(self) -> Alternative:
        final = self._final_nodes()
        chosen = min(final, key=lambda node: node.demerits)
        if self.params.looseness:
            target = chosen.line + self.params.looseness
            chosen = min(final, key=lambda node: (abs(node.line - target), node.demerits))
        return Alternative(_breaks_to(chosen), chosen.demerits)

    def alternatives(self) -> dict[int, Alternative]:
        found: dict[int, _Node] = {}
        for node in self._final_nodes():
            if node.line not in found or node.demerits < found[node.line].demerits:
                found[node.line] = node
        return {lines: Alternative(_breaks_to(node), node.demerits) for lines, node in found.items()}


def _breaks_to(chosen: _Node) -> list[Break]:
    breaks: list[Break] = []
    node: _Node | None = chosen
    while node is not None and node.previous is not None:
        breaks.append(Break(node.position, node.ratio, node.flagged))
        node = node.previous
    breaks.reverse()
    return breaks
