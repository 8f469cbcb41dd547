"""load_preset(): a preset name or file, its 'extends' chain and a book's overrides, validated against
schema.json (the only importer of jsonschema) and resolved into a Preset with every length in points."""

from __future__ import annotations

import copy
import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any

from booksmith.errors import BooksmithError, Location
from booksmith.preset import model
from booksmith.resources import layouts_dir
from booksmith.units import LengthError, to_points

SCHEMA_PATH = Path(__file__).with_name("schema.json")
MAX_EXTENDS_DEPTH = 16


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def preset_names() -> list[str]:
    return sorted(path.stem for path in layouts_dir().glob("*.json"))


def load_preset(name_or_path: str, overrides: dict[str, Any] | None = None,
                overrides_source: Path | None = None) -> model.Preset:
    """Resolve a preset; overrides (from a book's front matter) are merged last and validated too."""
    path = find_preset_file(name_or_path)
    data = _resolved_data(path, depth=0)
    data["name"] = _read_json(path).get("name") or path.stem  # a preset's name is never inherited
    if overrides:
        where = Location(overrides_source, json_path="layout") if overrides_source else None
        _validate(overrides, where or Location(json_path="layout"))
        data = _deep_merge(data, overrides)
    if overrides or not is_bundled(path):
        # a bundled preset, which extends only bundled ones, is checked against the schema by the
        # tests; checking it again on every build would cost the jsonschema import (40 ms)
        _validate(data, Location(path))
    return _build(_with_defaults(data), str(path))


def is_bundled(path: Path) -> bool:
    return path.resolve().parent == layouts_dir().resolve()


def find_preset_file(name_or_path: str, relative_to: Path | None = None) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix == ".json" or "/" in name_or_path:
        if relative_to and not candidate.is_absolute():
            candidate = relative_to.parent / candidate
        if candidate.is_file():
            return candidate
        raise BooksmithError(f"the preset file '{name_or_path}' does not exist", Location(candidate),
                             "Check the path, or give a preset name from `booksmith layouts`.")
    path = layouts_dir() / f"{name_or_path}.json"
    if path.is_file():
        return path
    names = preset_names()
    nearest = difflib.get_close_matches(name_or_path, names, n=1, cutoff=0.4)
    suggestion = f"Did you mean '{nearest[0]}'? " if nearest else ""
    raise BooksmithError(f"there is no layout preset named '{name_or_path}'", None,
                         f"{suggestion}Presets: {', '.join(names)}.")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise BooksmithError(f"the preset is not valid JSON ({error.msg}, column {error.colno})",
                             Location(path, error.lineno),
                             "Check for a missing comma or quote, or a trailing comma.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BooksmithError(f"the preset cannot be read ({error})", Location(path)) from None
    if not isinstance(data, dict):
        raise BooksmithError("a preset must be a JSON object { ... }", Location(path))
    return data


def _resolved_data(path: Path, depth: int) -> dict[str, Any]:
    data = _read_json(path)
    base_name = data.get("extends")
    if not base_name:
        return data
    if depth >= MAX_EXTENDS_DEPTH:
        raise BooksmithError("presets extend each other in a loop", Location(path, json_path="extends"),
                             "Make the chain of 'extends' end at a preset that extends nothing.")
    base = _resolved_data(find_preset_file(str(base_name), relative_to=path), depth + 1)
    return _deep_merge(base, data)


def _deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _validate(data: dict[str, Any], where: Location) -> None:
    validate_json(data, schema(), where)


def validate_json(data: dict[str, Any], against: dict[str, Any], where: Location,
                  what: str = "preset") -> None:
    """Validate data against a JSON schema (a preset's, or another data file's such as a printer
    profile); the first problem is raised with its JSON path and what the schema expects there."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(against)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    parts = [where.json_path] if where.json_path else []
    parts += [str(part) for part in error.absolute_path]
    json_path = "/".join(parts) or "(top level)"
    location = Location(where.file, where.line, json_path)
    if error.validator == "additionalProperties":
        raise BooksmithError(*_unknown_key_message(error, location, what))
    expected = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    raise BooksmithError(f"the value {error.instance!r} is not allowed: {_short(error.message)}", location,
                         f"Expected: {expected}" if expected else "")


def _unknown_key_message(error: Any, location: Location, what: str) -> tuple[str, Location, str]:
    known = list(error.schema.get("properties", {}))
    unknown = [key for key in error.instance if key not in known]
    key = unknown[0] if unknown else "?"
    nearest = difflib.get_close_matches(key, known, n=1)
    hint = f"Did you mean '{nearest[0]}'? " if nearest else ""
    return (f"unknown {what} key '{key}'", location, f"{hint}Known keys here: {', '.join(known)}.")


def _short(message: str) -> str:
    return message if len(message) < 160 else message[:157] + "..."


def _with_defaults(data: dict[str, Any]) -> dict[str, Any]:
    return _fill_defaults(schema(), data)


def _fill_defaults(node_schema: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    filled = dict(data)
    for key, sub in node_schema.get("properties", {}).items():
        if key not in filled and "default" in sub:
            filled[key] = copy.deepcopy(sub["default"])
        if sub.get("type") == "object" and isinstance(filled.get(key), dict):
            filled[key] = _fill_defaults(sub, filled[key])
    return filled


def _build(data: dict[str, Any], source: str) -> model.Preset:
    body_size = to_points(data["body"]["size"])

    def length(section: str, key: str) -> float:
        value = data[section][key]
        try:
            if isinstance(value, str) and value.strip().endswith("em"):
                return float(value.strip()[:-2]) * body_size
            return to_points(value)
        except (LengthError, ValueError) as error:
            raise BooksmithError(str(error), Location(Path(source), json_path=f"{section}/{key}")) from None

    def section(name: str, cls: type, **resolved: Any) -> Any:
        values = {**data[name], **resolved}
        return cls(**{field: values[field] for field in cls.__dataclass_fields__})

    fonts = data["fonts"]
    return model.Preset(
        name=data.get("name") or Path(source).stem,
        description=data.get("description", ""),
        source=source,
        trim=model.Trim(length("trim", "width"), length("trim", "height")),
        margins=model.Margins(*(length("margins", side) for side in ("inside", "outside", "top", "bottom"))),
        fonts=model.Fonts(fonts["body"], fonts["display"] or fonts["body"], tuple(fonts["fallback"])),
        body=section("body", model.Body, size=body_size, leading=length("body", "leading"),
                     indent=length("body", "indent")),
        hyphenation=section("hyphenation", model.Hyphenation),
        linebreak=section("linebreak", model.LineBreaking,
                          emergency_stretch=length("linebreak", "emergency_stretch"),
                          runt_width=length("linebreak", "runt_width")),
        front_matter=section("front_matter", model.FrontMatter),
        pages=section("pages", model.Pages),
        chapter=section("chapter", model.ChapterStyle, sink=length("chapter", "sink"),
                        title_size=length("chapter", "title_size"),
                        number_size=length("chapter", "number_size")),
        running_heads=section("running_heads", model.RunningHeads, size=length("running_heads", "size"),
                              raise_=length("running_heads", "raise")),
        folios=section("folios", model.Folios, size=length("folios", "size"), drop=length("folios", "drop")),
        scene_break=section("scene_break", model.SceneBreakStyle),
        block_quote=section("block_quote", model.BlockQuoteStyle, indent=length("block_quote", "indent"),
                            size=length("block_quote", "size")),
        printer=data["printer"] or None,
    )
