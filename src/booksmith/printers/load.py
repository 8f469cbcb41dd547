"""load_printer(): a printer profile (printers/<name>.json at the top of the project), validated
against schema.json and resolved into a Printer with every length in points."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any

from booksmith.errors import BooksmithError, Location
from booksmith.preset.load import validate_json
from booksmith.printers.model import GutterBand, Printer
from booksmith.resources import project_root
from booksmith.units import to_points

SCHEMA_PATH = Path(__file__).with_name("schema.json")


def printers_dir() -> Path:
    return project_root() / "printers"


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def printer_names() -> list[str]:
    return sorted(path.stem for path in printers_dir().glob("*.json"))


def load_printer(name: str, named_at: Location | None = None) -> Printer:
    """The printer profile of this name; named_at is where the name was written (front matter,
    preset), for the message when there is none."""
    path = printers_dir() / f"{name}.json"
    if "/" in name or not path.is_file():
        names = printer_names()
        nearest = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.4)
        suggestion = f"Did you mean '{nearest[0]}'? " if nearest else ""
        raise BooksmithError(f"there is no printer profile named '{name}'", named_at,
                             f"{suggestion}Printers: {', '.join(names)}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise BooksmithError(f"the printer profile is not valid JSON ({error.msg})",
                             Location(path, error.lineno), "Check for a missing comma or quote.") from None
    if not isinstance(data, dict):
        raise BooksmithError("a printer profile must be a JSON object { ... }", Location(path))
    validate_json(data, schema(), Location(path), "printer profile")
    return _build(_with_defaults(schema(), data), path)


def _with_defaults(node: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    filled = dict(data)
    for key, sub in node.get("properties", {}).items():
        if key not in filled and "default" in sub:
            filled[key] = sub["default"]
        if sub.get("type") == "object" and isinstance(filled.get(key), dict):
            filled[key] = _with_defaults(sub, filled[key])
    return filled


def _build(data: dict[str, Any], path: Path) -> Printer:
    pages, margins, bleed = data["pages"], data["margins"], data["bleed"]
    colour, pdfx, spine, marks = data["colour"], data["pdfx"], data["spine"], data["marks"]
    least = to_points(margins["outside_min"])
    with_bleed = margins["outside_min_with_bleed"]
    return Printer(
        name=data["name"],
        description=data["description"],
        source=str(path),
        min_pages=pages["min"],
        max_pages=pages["max"],
        even_pages=pages["even"],
        last_page_blank=pages["last_page_blank"],
        max_consecutive_blank=pages["max_consecutive_blank"],
        trim_sizes=tuple((to_points(size["width"]), to_points(size["height"]))
                         for size in data["trim_sizes"]["sizes"]),
        gutter=tuple(GutterBand(band["max_pages"], to_points(band["inside"]))
                     for band in sorted(margins["inside"], key=lambda band: band["max_pages"])),
        min_margin=least,
        min_margin_with_bleed=to_points(with_bleed) if with_bleed != "" else least,
        bleed=to_points(bleed["size"]),
        bleed_edges=frozenset(bleed["edges"]),
        colour_space=colour["space"],
        max_total_ink=float(colour["max_total_ink"]),
        min_image_ppi=float(colour["min_image_ppi"]),
        pdfx_version=pdfx["version"],
        output_condition=pdfx["output_condition"],
        spine_per_page={paper: to_points(width) for paper, width in spine["per_page"].items()},
        spine_text_min_pages=spine["text_min_pages"],
        interior=colour["interior"],
        pdfx_accepted=tuple(pdfx["accepted"]) or (pdfx["version"],),
        marks_allowed=marks["allowed"],
        marks_rule=marks["rule"],
        marks_source=marks["source"],
        max_by_paper=dict(pages["max_by_paper"]),
        max_by_trim=tuple(((to_points(limit["width"]), to_points(limit["height"])), dict(limit["max"]))
                          for limit in pages["max_by_trim"]),
    )
