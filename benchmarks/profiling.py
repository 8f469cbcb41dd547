"""Where the time goes: the top functions of a cProfile dump, by cumulative and by own (total) time."""

from __future__ import annotations

import pstats
import re
from dataclasses import dataclass
from pathlib import Path

# Everything up to one of these is dropped from a file name, so a row reads booksmith/typeset/linebreak.py
PATH_PREFIX = re.compile(r"^.*?(?:/site-packages/|/src/|/lib/python3\.\d+/)")


@dataclass(frozen=True)
class Row:
    calls: str
    own_s: float
    cumulative_s: float
    function: str

    def as_json(self) -> dict:
        return {"calls": self.calls, "tottime_s": round(self.own_s, 4),
                "cumtime_s": round(self.cumulative_s, 4), "function": self.function}


@dataclass(frozen=True)
class Profile:
    total_s: float
    by_cumulative: tuple[Row, ...]
    by_own: tuple[Row, ...]

    def as_json(self) -> dict:
        return {"total_s": round(self.total_s, 3),
                "by_cumulative": [row.as_json() for row in self.by_cumulative],
                "by_tottime": [row.as_json() for row in self.by_own]}


def read_profile(path: Path, top: int) -> Profile:
    stats = pstats.Stats(str(path))
    rows = [_row(func, values) for func, values in stats.stats.items()]  # type: ignore[attr-defined]
    # The whole run is the largest cumulative time (the top-level exec); percentages are of it.
    return Profile(total_s=max((row.cumulative_s for row in rows), default=0.0),
                   by_cumulative=tuple(sorted(rows, key=lambda r: r.cumulative_s, reverse=True)[:top]),
                   by_own=tuple(sorted(rows, key=lambda r: r.own_s, reverse=True)[:top]))


def _row(func: tuple[str, int, str], values: tuple) -> Row:
    primitive_calls, calls, own, cumulative, _callers = values
    shown_calls = str(calls) if calls == primitive_calls else f"{calls}/{primitive_calls}"
    return Row(calls=shown_calls, own_s=own, cumulative_s=cumulative, function=_name(func))


def _name(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    if filename == "~":                       # built-ins: ('~', 0, "<built-in method ...>")
        return name
    return f"{PATH_PREFIX.sub('', filename)}:{line}({name})"


def format_rows(title: str, rows: tuple[Row, ...], total_s: float) -> str:
    lines = [title, f"{'calls':>17} {'tottime':>8} {'cumtime':>8} {'cum %':>6}  function"]
    for row in rows:
        share = 100 * row.cumulative_s / total_s if total_s else 0.0
        lines.append(f"{row.calls:>17} {row.own_s:8.3f} {row.cumulative_s:8.3f} {share:5.1f}%  "
                     f"{row.function}")
    return "\n".join(lines)
