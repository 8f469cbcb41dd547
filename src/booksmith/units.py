"""Lengths with units ("6in", "15mm", "11pt") converted to PostScript points at the edge."""

from __future__ import annotations

import re

POINTS_PER_UNIT = {
    "pt": 1.0,
    "in": 72.0,
    "mm": 72.0 / 25.4,
    "cm": 72.0 / 2.54,
    "pc": 12.0,
}

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*(pt|in|mm|cm|pc)?\s*$")


class LengthError(ValueError):
    """A length string that cannot be read; the message says what was expected."""


def to_points(value: str | float | int) -> float:
    """Convert a length to points: numbers are points already, strings carry a unit."""
    if isinstance(value, bool):
        raise LengthError(f"expected a length such as '11pt' or '0.75in', found {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    match = _LENGTH.match(value)
    if not match:
        raise LengthError(
            f"expected a length such as '11pt', '0.75in' or '15mm', found {value!r}"
        )
    number, unit = match.groups()
    return float(number) * POINTS_PER_UNIT[unit or "pt"]


def format_inches(points: float) -> str:
    return f"{points / 72.0:g} in"
