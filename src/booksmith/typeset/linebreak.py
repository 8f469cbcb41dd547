"""Optimal line breaking: the total-fit algorithm of Knuth & Plass, "Breaking Paragraphs into Lines",
Software: Practice and Experience 11 (1981) 1119-1184.

Names follow the paper: items are boxes, glue and penalties; a feasible break has adjustment ratio
r >= -1 and badness 100|r|^3 within the tolerance (rho); demerits are (l + b)^2 +/- p^2 plus alpha
for consecutive flagged (hyphenated) breaks and gamma for adjacent lines in non-adjacent fitness
classes; TeX's final-hyphen demerits and looseness are included. Active nodes are pruned as soon as
they can no longer reach the current break (r < -1), which keeps the active list short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from booksmith.typeset.items import INFINITY, Box, Glue, Item

MAX_BADNESS = 10000.0


@dataclass(frozen=True)
class BreakParams:
    tolerance: float
    line_penalty: float
    consecutive_hyphen_demerits: float  # alpha
    fitness_demerits: float  # gamma
    final_hyphen_demerits: float
    emergency_stretch: float = 0.0
    looseness: int = 0


@dataclass(frozen=True, slots=True)
class Break:
    """A chosen break: the item index it is at and the adjustment ratio of the line it ends."""

    position: int
    ratio: float
    flagged: bool


class _Node:
    __slots__ = ("demerits", "fitness", "flagged", "line", "position", "previous", "ratio",
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
        self.previous = previous


def break_lines(items: Sequence[Item], measure: float, params: BreakParams) -> list[Break] | None:
    """The optimal breaks of a paragraph whose last item is a forced break, or None when no set of
    breaks keeps every line within the tolerance."""
    breaker = _Breaker(items, measure, params)
    return breaker.run()


def badness(ratio: float) -> float:
    if ratio < -1:
        return MAX_BADNESS + 1
    return min(MAX_BADNESS, 100.0 * abs(ratio) ** 3)


def fitness_class(ratio: float) -> int:
    if ratio < -0.5:
        return 0  # tight
    if ratio <= 0.5:
        return 1  # decent
    if ratio <= 1.0:
        return 2  # loose
    return 3  # very loose


class _Breaker:
    def __init__(self, items: Sequence[Item], measure: float, params: BreakParams) -> None:
        self.items = items
        self.measure = measure
        self.params = params
        self.width = self.stretch = self.shrink = 0.0
        self.active: list[_Node] = [_Node(0, 0, 1, (0.0, 0.0, 0.0), 0.0, 0.0, False, None)]

    def run(self) -> list[Break] | None:
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
                return None
        return self._best_breaks()

    def _try_break(self, position: int, penalty_width: float, penalty: float, flagged: bool) -> None:
        params = self.params
        forced = penalty <= -INFINITY
        best: dict[tuple[int, int], tuple[float, _Node, float]] = {}
        survivors: list[_Node] = []
        for node in self.active:
            ratio = self._ratio(node, penalty_width)
            if ratio >= -1 and not forced:
                survivors.append(node)
            if ratio < -1:
                continue
            judged = ratio if params.emergency_stretch == 0 else self._emergency_ratio(node, penalty_width)
            bad = badness(judged)
            if bad > params.tolerance:
                continue
            demerits = self._demerits(bad, penalty, flagged, node, forced)
            fitness = fitness_class(ratio)
            if abs(fitness - node.fitness) > 1:
                demerits += params.fitness_demerits
            total = node.demerits + demerits
            key = (fitness, node.line + 1 if params.looseness else 0)
            if key not in best or total < best[key][0]:
                best[key] = (total, node, ratio)
        if forced:
            survivors = []
        if best:
            totals = self._totals_after(position)
            for (fitness, _), (total, node, ratio) in best.items():
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

    def _ratio(self, node: _Node, penalty_width: float) -> float:
        length = self.width - node.total_width + penalty_width
        if length < self.measure:
            stretch = self.stretch - node.total_stretch
            return (self.measure - length) / stretch if stretch > 0 else MAX_BADNESS
        if length > self.measure:
            shrink = self.shrink - node.total_shrink
            return (self.measure - length) / shrink if shrink > 0 else -MAX_BADNESS
        return 0.0

    def _emergency_ratio(self, node: _Node, penalty_width: float) -> float:
        """The ratio as judged with emergency stretch added to every line (TeX's \\emergencystretch):
        it lets loose lines through in a last pass without changing how the glue is set."""
        length = self.width - node.total_width + penalty_width
        if length < self.measure:
            stretch = self.stretch - node.total_stretch + self.params.emergency_stretch
            return (self.measure - length) / stretch
        return self._ratio(node, penalty_width)

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

    def _best_breaks(self) -> list[Break] | None:
        final = [node for node in self.active if node.position == len(self.items) - 1]
        if not final:
            return None
        chosen = min(final, key=lambda node: node.demerits)
        if self.params.looseness:
            target = chosen.line + self.params.looseness
            chosen = min(final, key=lambda node: (abs(node.line - target), node.demerits))
        breaks: list[Break] = []
        node: _Node | None = chosen
        while node is not None and node.previous is not None:
            breaks.append(Break(node.position, node.ratio, node.flagged))
            node = node.previous
        breaks.reverse()
        return breaks
