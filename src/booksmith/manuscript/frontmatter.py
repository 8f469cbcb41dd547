"""YAML front matter: the block between leading '---' lines, read into BookMeta."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from booksmith.doctree import BookMeta, Epigraph
from booksmith.errors import BooksmithError, Diagnostics, Location
from booksmith.manuscript.typography import smarten

KNOWN_KEYS = (
    "title", "subtitle", "author", "publisher", "year", "copyright", "isbn", "language", "lang",
    "layout", "dedication", "epigraph", "edition", "printing", "printer", "toc", "back_cover",
)


_TOP_LEVEL_KEY = re.compile(r"^([^\s#:][^:]*?)\s*:")


@dataclass(frozen=True)
class SplitSource:
    """The front matter mapping and the body, with the body's first line number in the file."""

    fields: dict[str, Any]
    body: str
    body_first_line: int
    key_lines: dict[str, int] = field(default_factory=dict)


def split_front_matter(text: str, path: Path) -> SplitSource:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return SplitSource({}, text, 1)
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            block = "\n".join(lines[1:index])
            key_lines = {match.group(1): number for number, line in enumerate(lines[1:index], start=2)
                         if (match := _TOP_LEVEL_KEY.match(line))}
            return SplitSource(_load_yaml(block, path), "\n".join(lines[index + 1 :]), index + 2, key_lines)
    raise BooksmithError(
        "the front matter that opens on line 1 is never closed",
        Location(path, 1),
        "End it with a line of three dashes (---) before the text begins.",
    )


def _load_yaml(block: str, path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        column = f", column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise BooksmithError(
            f"the front matter is not valid YAML ({problem}{column})",
            Location(path, line),
            "Check the quoting and indentation there; a value containing ': ' needs quotes.",
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BooksmithError(
            "the front matter must be a list of 'key: value' lines",
            Location(path, 2),
            "For example:  title: My Book",
        )
    return data


def book_meta(source: SplitSource, path: Path, fallback_title: str, diagnostics: Diagnostics) -> BookMeta:
    fields = source.fields
    for key in fields:
        if key not in KNOWN_KEYS:
            nearest = difflib.get_close_matches(str(key), KNOWN_KEYS, n=1)
            hint = f"Did you mean '{nearest[0]}'?" if nearest else f"Known keys: {', '.join(KNOWN_KEYS)}."
            line = source.key_lines.get(str(key), 1)
            diagnostics.warn(f"unknown front-matter key '{key}' is ignored.", Location(path, line), hint)
    layout = fields.get("layout")
    layout_name, overrides = _layout_field(layout, Location(path, source.key_lines.get("layout", 1)))
    return BookMeta(
        title=_text(fields.get("title")) or fallback_title,
        subtitle=_text(fields.get("subtitle")),
        author=_text(fields.get("author")),
        publisher=_text(fields.get("publisher")),
        year=_plain(fields.get("year")),
        copyright=_text(fields.get("copyright")),
        isbn=_plain(fields.get("isbn")),
        language=_plain(fields.get("language") or fields.get("lang")) or "en-GB",
        dedication=_text(fields.get("dedication")),
        epigraph=_epigraph(fields.get("epigraph")),
        edition=_text(fields.get("edition")),
        printing=_plain(fields.get("printing")),
        toc=_flag(fields.get("toc")),
        layout=layout_name,
        printer=_plain(fields.get("printer")),
        layout_overrides=overrides,
        back_cover=_plain(fields.get("back_cover")),
        back_cover_line=source.key_lines.get("back_cover", 0),
    )


def _layout_field(layout: Any, where: Location) -> tuple[str | None, dict[str, Any]]:
    """'layout' is a preset name, or a mapping of preset keys that may name its base with 'extends'."""
    if layout is None:
        return None, {}
    if isinstance(layout, str):
        return layout, {}
    if isinstance(layout, dict):
        overrides = dict(layout)
        base = overrides.pop("extends", None)
        return (str(base) if base else None), overrides
    raise BooksmithError(
        f"'layout' in the front matter must be a preset name or a mapping, found {layout!r}",
        where,
        "Write  layout: novel-6x9  or a mapping such as  layout: {extends: novel-6x9, body: {size: 12pt}}",
    )


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _plain(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _text(value: Any) -> str:
    return smarten(_plain(value))


def _epigraph(value: Any) -> Epigraph | None:
    if not value:
        return None
    if isinstance(value, dict):
        return Epigraph(_text(value.get("text")), _text(value.get("attribution")))
    return Epigraph(_text(value))
