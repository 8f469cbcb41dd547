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

import bisect
import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from booksmith.typeset.items import FIL, INFINITY, Box, Glue, Item, Penalty, item_kind

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
    # only settings of this many lines are of use to the caller (0: any number)
    lines_wanted: int = 0


@dataclass(slots=True, unsafe_hash=True)  # not frozen, to be quick to make: see items.py
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
    __slots__ = (
        "demerits",
        "fitness",
        "flagged",
        "hyphens",
        "line",
        "made",
        "position",
        "previous",
        "ratio",
        "reach",
        "total_shrink",
        "total_stretch",
        "total_width",
    )

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
        self.reach = NO_REACH  # see _Breaker._reach
        self.made = 0  # the order nodes were made in, which is the order the paper visits them


# the reach of every node at tolerance 10000, where a line however short is feasible
NO_REACH = float("-inf")
# reaches are compared with this much to spare, so that a line on the edge of the tolerance is
# judged by its exact badness, never passed over by a rounding of the quick test
REACH_SLACK = 1e-6


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
    """The active nodes are kept in two sets. A node is waiting while a line from it to the current
    breakpoint would be too short for the tolerance even stretched as far as it allows; it is ready
    from the first breakpoint that could end its line until a line from it grows too long. Only
    ready nodes are visited at a breakpoint, and a breakpoint with none is passed over: most word
    spaces of a paragraph are too early to end a line from any node, and a node waits through most
    of the breakpoints it would otherwise be visited at."""

    def __init__(self, items: Sequence[Item], measure: Measure, params: BreakParams) -> None:
        self.items = items
        # the width of each line in turn; the last applies to every line after it
        self.measures = (measure,) if isinstance(measure, (int, float)) else tuple(measure)
        self.params = params
        self.width = self.stretch = self.shrink = 0.0
        # the largest ratio the tolerance allows (badness 100 r^3 <= rho); None at tolerance 10000
        self.most_ratio = (params.tolerance / 100.0) ** (1 / 3) if params.tolerance < MAX_BADNESS else None
        # nodes from which no breaks give the lines wanted are never made
        self.lines_wanted = _LinesWanted(self.items, self.measures, params, self.most_ratio) \
            if params.lines_wanted else None
        self.ready: list[_Node] = []  # in the order they were made
        self.waiting: list[tuple[float, int, _Node]] = []  # a heap by reach
        self.made = 0
        self._add(_Node(0, 0, 1, (0.0, 0.0, 0.0), 0.0, 0.0, False, None))

    @property
    def active(self) -> list[_Node]:
        nodes = self.ready + [node for _, _, node in self.waiting]
        nodes.sort(key=_made)
        return nodes

    def _add(self, node: _Node) -> None:
        node.made = self.made
        self.made += 1
        node.reach = self._reach(node)
        heapq.heappush(self.waiting, (node.reach, node.made, node))

    def _reach(self, node: _Node) -> float:
        """A line from `node` is too short for the tolerance while the widest it can be stretched
        to, `width + most_ratio * stretch` over the totals so far (plus the break's own width),
        stays below this."""
        if self.most_ratio is None:
            return NO_REACH
        measures = self.measures
        measure = measures[min(node.line, len(measures) - 1)]
        room = self.most_ratio * (node.total_stretch - self.params.emergency_stretch)
        reach = measure + node.total_width + room
        return reach - REACH_SLACK * (abs(reach) + 1.0)

    def _wake(self, here: float) -> None:
        """Moves the nodes a line could end from at this breakpoint (those whose reach is at most
        `here`, the widest the line could be stretched to) into the ready set."""
        waiting = self.waiting
        ready = self.ready
        while waiting and waiting[0][0] <= here:
            node = heapq.heappop(waiting)[2]
            if ready and ready[-1].made > node.made:
                bisect.insort(ready, node, key=_made)
            else:
                ready.append(node)

    def run(self) -> bool:
        """The paper's loop over the items. It runs for every item of the book, so the totals are
        kept in local variables (and in the breaker's own only where a break is tried), and a
        breakpoint is passed over at a glance where no node can end a line at it."""
        if self.lines_wanted is not None and not self.lines_wanted.possible(0, (0.0, 0.0, 0.0), False):
            return False  # the paragraph cannot be set in that many lines at all
        items = self.items
        most = self.most_ratio
        width = stretch = shrink = 0.0
        previous_is_box = False
        for index, item in enumerate(items):
            kind = type(item)
            if kind is not Box and kind is not Glue and kind is not Penalty:
                kind = item_kind(item)  # an item of a class derived from one of them
            if kind is Box:
                width += item.width
                previous_is_box = True
                continue
            if kind is Glue:
                if previous_is_box:
                    here = width + most * stretch if most is not None else 0.0
                    if self.waiting and self.waiting[0][0] <= here:
                        self._wake(here)
                    if self.ready:
                        self.width, self.stretch, self.shrink = width, stretch, shrink
                        self._try_break(index, 0.0, 0.0, False)
                        if not self.ready and not self.waiting:
                            return False
                width += item.width
                stretch += item.stretch  # type: ignore[union-attr]
                shrink += item.shrink  # type: ignore[union-attr]
                previous_is_box = False
                continue
            previous_is_box = False
            penalty = item.penalty  # type: ignore[union-attr]
            if penalty >= INFINITY:
                continue
            if penalty <= -INFINITY:
                self.width, self.stretch, self.shrink = width, stretch, shrink
                self._wake_all()
            else:
                here = width + item.width + most * stretch if most is not None else 0.0
                if self.waiting and self.waiting[0][0] <= here:
                    self._wake(here)
                if not self.ready:
                    continue
                self.width, self.stretch, self.shrink = width, stretch, shrink
            self._try_break(index, item.width, penalty, item.flagged)  # type: ignore[union-attr]
            if not self.ready and not self.waiting:
                return False
        self.width, self.stretch, self.shrink = width, stretch, shrink
        return any(node.position == len(items) - 1 for node in self.ready)

    def _wake_all(self) -> None:
        """A forced break ends a line from every node, however short."""
        self.ready = self.active
        self.waiting = []

    def _try_break(self, position: int, penalty_width: float, penalty: float, flagged: bool) -> None:
        """The paper's main loop for one breakpoint, over the ready nodes, written out flat: it runs
        for most word spaces of the book, so it avoids calls and attribute look-ups."""
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
        # the demerits every line ending here shares: the break's own penalty (a forced break's
        # counts nothing)
        penalty_demerits = penalty * penalty if penalty >= 0 else -penalty * penalty if not forced else 0.0
        line_penalty = params.line_penalty
        most_hyphens = params.max_consecutive_hyphens
        runts = forced and params.runt_demerits
        # lines of different widths (a drop cap's) and the alternatives need nodes kept apart by line
        # number (the paper's "easy line" distinction)
        lines_apart = params.looseness or params.alternatives
        for node in self.ready:
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
            if flagged and node.hyphens >= most_hyphens:
                continue
            demerits = (line_penalty + bad) ** 2 + penalty_demerits
            if node.flagged:
                if flagged:
                    demerits += params.consecutive_hyphen_demerits
                if forced:
                    demerits += params.final_hyphen_demerits
            if runts and self._is_runt(node):
                demerits += params.runt_demerits
            fitness = 0 if ratio < -0.5 else 1 if ratio <= 0.5 else 2 if ratio <= 1.0 else 3
            if abs(fitness - node.fitness) > 1:
                demerits += params.fitness_demerits
            total = node.demerits + demerits
            hyphens = node.hyphens + 1 if flagged else 0
            key = (fitness, hyphens, node.line + 1 if lines_apart or node.line < last_measure else 0)
            found = best.get(key)
            if found is None or total < found[0]:
                best[key] = (total, node, ratio)
        self.ready = survivors
        if best:
            totals = self._totals_after(position)
            wanted = self.lines_wanted
            final = position == len(self.items) - 1
            for (fitness, _, _), (total, node, ratio) in best.items():
                if wanted is None or wanted.possible(node.line + 1, totals, final):
                    self._add(_Node(position, node.line + 1, fitness, totals, total, ratio, flagged, node))
            if forced:
                self._wake_all()

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


class _LinesWanted:
    """Whether breaks through a node can still give a paragraph exactly the number of lines wanted.
    The text after the node must be long enough to fill every line left but the last, stretched
    as far as the tolerance allows, and short enough to go into all of them, shrunk as far as it
    can be. Both are bounds, generous by a point a line, so no setting of that many lines is lost.
    Where an item is of negative width, every node is possible."""

    SLACK = 1.0  # points a line

    def __init__(self, items: Sequence[Item], measures: tuple[float, ...], params: BreakParams,
                 most_ratio: float | None) -> None:
        self.lines = params.lines_wanted
        self.most_ratio = most_ratio if not params.emergency_stretch else None
        width = stretch = shrink = 0.0
        hyphen = space = 0.0  # the widest penalty drawn at a break, and word space
        fills = 0  # glue that lets a line end short: the paragraph's last, and any before it
        last_fills = False
        least = 0.0
        for item in items:
            kind = item_kind(item)
            if kind is Box:
                width += item.width
                if item.width < least:
                    least = item.width
            elif kind is Glue:
                width += item.width
                if item.width > space:
                    space = item.width
                elif item.width < least:
                    least = item.width
                shrink += item.shrink  # type: ignore[union-attr]
                last_fills = item.stretch >= FIL  # type: ignore[union-attr]
                if last_fills:
                    fills += 1
                else:
                    stretch += item.stretch  # type: ignore[union-attr]
            elif item.width > hyphen and item.penalty < INFINITY:  # type: ignore[union-attr]
                hyphen = item.width
        self.width, self.stretch, self.shrink, self.hyphen, self.space = width, stretch, shrink, hyphen, space
        self.sound = least >= 0
        if fills > (1 if last_fills else 0):
            self.most_ratio = None  # a line ended early by a fill: no line need be full
        last = len(measures) - 1
        self.room = [0.0]  # the measures of the first n lines, summed
        for line in range(self.lines):
            self.room.append(self.room[-1] + measures[min(line, last)])

    def possible(self, lines: int, totals: tuple[float, float, float], final: bool) -> bool:
        """Whether a node after `lines` lines, with these totals after its break, may lead to the
        lines wanted (at the paragraph's end: whether it has them)."""
        if final:
            return lines == self.lines
        left = self.lines - lines
        if left < 1:
            return False
        if not self.sound:
            return True
        width = self.width - totals[0]
        most = self.most_ratio
        if most is not None and width + most * (self.stretch - totals[1]) + (left - 1) * self.hyphen \
                + self.SLACK * left < self.room[self.lines - 1] - self.room[lines]:
            return False  # too little text left to fill the lines before the last
        return width - (left - 1) * self.space - (self.shrink - totals[2]) - self.SLACK * left \
            <= self.room[self.lines] - self.room[lines]  # else too much to go in the lines left


def _made(node: _Node) -> int:
    return node.made


def _breaks_to(chosen: _Node) -> list[Break]:
    breaks: list[Break] = []
    node: _Node | None = chosen
    while node is not None and node.previous is not None:
        breaks.append(Break(node.position, node.ratio, node.flagged))
        node = node.previous
    breaks.reverse()
    return breaks
