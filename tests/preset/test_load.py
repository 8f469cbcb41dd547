"""load_preset() and preset_names(): bundled presets, files that extend them, overrides and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from booksmith.errors import BooksmithError, Location
from booksmith.preset import Preset, load_preset, preset_names
from booksmith.preset.load import _resolved_data, find_preset_file, is_bundled, validate_json

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "src" / "booksmith" / "preset" / "schema.json"
BUNDLED = ["a5-148x210", "classic-5x8", "large-print-6x9", "literary-5.25x8", "novel-6x9", "pocket-4.25x6.87",
           "royal-6.14x9.21", "trade-5.5x8.5"]


def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_keys(node: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every declared key as (json path, its schema), depth first, object sections included."""
    keys = []
    for name, sub in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        keys.append((path, sub))
        if sub.get("type") == "object":
            keys.extend(schema_keys(sub, path + "/"))
    return keys


# keys declared only through a shared $ref, whose own entry lacks a description


def write_json(tmp_path: Path, name: str, data: dict[str, Any] | str) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2), encoding="utf-8")
    return path


def error_of(*args: Any) -> BooksmithError:
    with pytest.raises(BooksmithError) as caught:
        load_preset(*args)
    return caught.value


# --- bundled presets ----------------------------------------------------------------------------


def test_preset_names_lists_the_bundled_presets_in_order():
    assert preset_names() == BUNDLED


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_preset_meets_the_schema_as_resolved(name):
    """load_preset() leaves bundled presets unchecked (they are checked here), so a bundled preset
    that broke the schema would otherwise go unnoticed."""
    path = find_preset_file(name)
    assert is_bundled(path)
    data = _resolved_data(path, depth=0)
    data["name"] = name
    validate_json(data, schema(), Location(path))


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_preset_loads(name):
    preset = load_preset(name)
    assert isinstance(preset, Preset)
    assert preset.name == name
    assert preset.description
    assert 0 < preset.measure < preset.trim.width
    assert preset.lines_per_page > 20
    # letters and quotations are set no larger than the text around them (large print keeps its size)
    assert preset.block_quote.size <= preset.body.size


def test_lengths_are_converted_to_points():
    preset = load_preset("novel-6x9")
    assert preset.trim.width == pytest.approx(432.0)  # 6in
    assert preset.trim.height == pytest.approx(648.0)  # 9in
    assert preset.margins.inside == pytest.approx(0.8 * 72)
    assert preset.body.size == pytest.approx(11.0)
    assert preset.body.leading == pytest.approx(14.0)
    assert preset.chapter.sink == pytest.approx(1.6 * 72)


def test_em_lengths_are_relative_to_the_body_size():
    preset = load_preset("novel-6x9")  # body 11pt, indent 1.2em
    assert preset.body.indent == pytest.approx(13.2)
    assert preset.linebreak.emergency_stretch == pytest.approx(1.5 * 11)  # the schema's default, 1.5em


def test_keys_a_preset_leaves_out_take_the_schema_defaults():
    preset = load_preset("classic-5x8")
    assert preset.linebreak.tolerance == 400
    assert preset.pages.widows == 2
    assert preset.block_quote.size == pytest.approx(10.0)
    assert preset.fonts.display == preset.fonts.body  # empty display means the body family


def test_a_preset_can_be_loaded_by_path():
    path = Path(__file__).resolve().parents[2] / "layouts" / "trade-5.5x8.5.json"
    preset = load_preset(str(path))
    assert preset.trim.width == pytest.approx(396.0)
    assert preset.source == str(path)


# --- the schema ---------------------------------------------------------------------------------


def test_the_schema_declares_the_top_level_sections():
    assert schema()["description"].strip()
    names = [path for path, _ in schema_keys(schema()) if "/" not in path]
    for section in ("trim", "margins", "fonts", "body", "linebreak", "pages", "chapter", "folios"):
        assert section in names


@pytest.mark.parametrize("key", [path for path, _ in schema_keys(schema())])
def test_every_schema_key_has_a_default_and_a_description(key):
    sub = dict(schema_keys(schema()))[key]
    assert "default" in sub, f"{key} has no default"
    assert isinstance(sub.get("description"), str) and sub["description"].strip(), f"{key} has no description"


def test_every_object_section_of_the_schema_is_closed_to_unknown_keys():
    assert schema()["additionalProperties"] is False
    for path, sub in schema_keys(schema()):
        if sub.get("type") == "object":
            assert sub.get("additionalProperties") is False, path


# --- extends and overrides ----------------------------------------------------------------------


def test_a_preset_file_that_extends_a_bundled_preset_overrides_one_key(tmp_path):
    path = write_json(tmp_path, "mine.json", {"extends": "novel-6x9", "body": {"size": "12pt"}})
    base = load_preset("novel-6x9")
    mine = load_preset(str(path))
    assert mine.body.size == pytest.approx(12.0)
    assert mine.body.indent == pytest.approx(1.2 * 12)  # em lengths follow the new size
    assert mine.body.leading == base.body.leading
    assert mine.trim == base.trim
    assert mine.margins == base.margins
    assert mine.chapter == base.chapter
    assert mine.source == str(path)


def test_a_preset_file_can_extend_another_file_beside_it(tmp_path):
    write_json(tmp_path, "base.json", {"extends": "classic-5x8", "pages": {"widows": 3}})
    path = write_json(tmp_path, "top.json", {"extends": "base.json", "pages": {"orphans": 3}})
    preset = load_preset(str(path))
    assert (preset.pages.widows, preset.pages.orphans) == (3, 3)
    assert preset.trim.width == pytest.approx(360.0)


def test_book_overrides_are_merged_over_the_preset():
    preset = load_preset("novel-6x9", {"body": {"size": "12pt"}, "chapter": {"recto": False}})
    base = load_preset("novel-6x9")
    assert preset.body.size == pytest.approx(12.0)
    assert preset.body.leading == base.body.leading  # a sibling key of the override is kept
    assert preset.chapter.recto is False
    assert preset.chapter.sink == base.chapter.sink
    assert preset.trim == base.trim


def test_book_overrides_do_not_change_the_preset_loaded_afterwards():
    load_preset("novel-6x9", {"body": {"size": "12pt"}})
    assert load_preset("novel-6x9").body.size == pytest.approx(11.0)


# --- errors -------------------------------------------------------------------------------------


def test_an_unknown_preset_name_suggests_the_nearest():
    error = error_of("novel-6x8")
    assert "novel-6x8" in str(error)
    assert "Did you mean 'novel-6x9'?" in error.diagnostic.hint


def test_a_missing_preset_file_is_an_error(tmp_path):
    error = error_of(str(tmp_path / "nowhere.json"))
    assert "does not exist" in str(error)


def test_invalid_json_names_the_line(tmp_path):
    path = write_json(tmp_path, "bad.json", '{\n  "name": "bad",\n  "body": {"size": "12pt",}\n}\n')
    error = error_of(str(path))
    assert error.diagnostic.location.file == path
    assert error.diagnostic.location.line == 3
    assert "line 3" in str(error)
    assert "JSON" in str(error)


def test_an_unknown_key_names_the_json_path_and_suggests_the_nearest_key(tmp_path):
    path = write_json(tmp_path, "typo.json", {"extends": "novel-6x9", "body": {"sise": "12pt"}})
    error = error_of(str(path))
    location = error.diagnostic.location
    assert location.file == path
    assert location.json_path == "body"
    assert "'sise'" in error.diagnostic.message
    assert "Did you mean 'size'?" in error.diagnostic.hint


def test_an_unknown_top_level_key_suggests_the_nearest_section(tmp_path):
    path = write_json(tmp_path, "typo.json", {"extends": "novel-6x9", "margin": {"top": "1in"}})
    error = error_of(str(path))
    assert "'margin'" in error.diagnostic.message
    assert "Did you mean 'margins'?" in error.diagnostic.hint


def test_a_wrong_type_names_the_json_path(tmp_path):
    path = write_json(tmp_path, "type.json", {"extends": "novel-6x9", "pages": {"orphans": "two"}})
    error = error_of(str(path))
    assert error.diagnostic.location.file == path
    assert error.diagnostic.location.json_path == "pages/orphans"
    assert "pages/orphans" in str(error)


def test_a_length_without_a_known_unit_names_the_json_path(tmp_path):
    path = write_json(tmp_path, "unit.json", {"extends": "novel-6x9", "trim": {"width": "6 inches"}})
    error = error_of(str(path))
    assert error.diagnostic.location.json_path == "trim/width"


def test_an_unknown_key_in_book_overrides_names_its_path_under_layout(tmp_path):
    source = tmp_path / "book.md"
    error = error_of("novel-6x9", {"body": {"sizee": "12pt"}}, source)
    assert error.diagnostic.location.file == source
    assert error.diagnostic.location.json_path == "layout/body"
    assert "Did you mean 'size'?" in error.diagnostic.hint


def test_a_wrong_type_in_book_overrides_names_its_path_under_layout():
    error = error_of("novel-6x9", {"chapter": {"recto": "yes"}})
    assert error.diagnostic.location.json_path == "layout/chapter/recto"


def test_an_unknown_top_level_key_in_book_overrides_is_addressed_as_layout():
    error = error_of("novel-6x9", {"trimm": {}})
    assert error.diagnostic.location.json_path == "layout"


def test_presets_that_extend_each_other_in_a_loop_are_an_error(tmp_path):
    write_json(tmp_path, "a.json", {"extends": "b.json"})
    path = write_json(tmp_path, "b.json", {"extends": "a.json"})
    error = error_of(str(path))
    assert "loop" in str(error)
    assert error.diagnostic.location.json_path == "extends"


def test_a_preset_that_extends_itself_is_an_error(tmp_path):
    path = write_json(tmp_path, "self.json", {"extends": "self.json"})
    error = error_of(str(path))
    assert "loop" in str(error)


def test_a_preset_that_is_not_a_json_object_is_an_error(tmp_path):
    path = write_json(tmp_path, "list.json", "[1, 2, 3]")
    error = error_of(str(path))
    assert error.diagnostic.location.file == path
