"""The import graph: each third-party library is fenced into its module, and no stage imports a later one.

Stages run manuscript < preset < fonts < typeset < paginate (with pagemodel.py, its output) < printers
< render < proof. cli.py, pipeline.py, cache.py (the build cache) and __main__.py wire the stages
together and may import anything; doctree, errors, units and resources are shared by all and import
no stage.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "booksmith"

# library -> the files (or folders, ending in '/') under src/booksmith allowed to import it
FENCES: dict[str, tuple[str, ...]] = {
    "reportlab": ("render/pdf.py", "render/cover.py"),
    "uharfbuzz": ("fonts/",),
    "markdown_it": ("manuscript/markdown.py",),
    "pyphen": ("typeset/hyphenate.py",),
    "jsonschema": ("preset/load.py",),
    "pypdfium2": ("render/", "proof/"),
    "pikepdf": ("render/", "proof/"),
}

STAGES = ("manuscript", "preset", "fonts", "typeset", "paginate", "printers", "render", "proof")
COUNTED_AS = {"pagemodel": "paginate"}
WIRING = {"cli", "pipeline", "__main__", "parallel", "cache", "halves"}
SHARED = {"doctree", "errors", "units", "resources", "__init__"}


@dataclass(frozen=True)
class Import:
    importer: str  # path relative to src/booksmith, e.g. "render/pdf.py"
    module: str  # the absolute dotted module imported, e.g. "booksmith.fonts"
    line: int

    def __str__(self) -> str:
        return f"src/booksmith/{self.importer}:{self.line} imports {self.module}"


def module_name(relative: str) -> str:
    parts = relative.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["booksmith", *parts])


def imports_in(relative: str, source: str) -> list[Import]:
    """Every import in a module's source (nested ones too), with relative imports made absolute."""
    package = module_name(relative)
    if not relative.endswith("__init__.py"):
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source, filename=relative)):
        if isinstance(node, ast.Import):
            found += [Import(relative, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            if stem == "booksmith" or (node.level and not node.module):
                # `from booksmith import preset` imports the submodule when there is one
                found += [Import(relative, _submodule(stem, alias.name), node.lineno) for alias in node.names]
            else:
                found.append(Import(relative, stem, node.lineno))
    return found


def _submodule(package: str, name: str) -> str:
    candidate = f"{package}.{name}"
    path = SRC.joinpath(*candidate.split("."))
    return candidate if path.with_suffix(".py").is_file() or path.is_dir() else package


def all_imports() -> list[Import]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        found += imports_in(relative, path.read_text(encoding="utf-8"))
    return found


def stage_of(module_or_file: str) -> str:
    """The stage (or 'shared', 'wiring') of a booksmith module name or of a file under src/booksmith."""
    if module_or_file.startswith("booksmith"):
        parts = module_or_file.split(".")[1:]
    else:
        parts = module_or_file.removesuffix(".py").split("/")
    head = parts[0] if parts else "__init__"
    head = COUNTED_AS.get(head, head)
    if head in STAGES:
        return head
    if head in WIRING:
        return "wiring"
    if head in SHARED:
        return "shared"
    raise AssertionError(f"{module_or_file} is in no stage; add it to the stage table in this test")


def fence_violations(imports: list[Import]) -> list[str]:
    problems = []
    for found in imports:
        library = found.module.split(".")[0]
        allowed = FENCES.get(library)
        if allowed is None:
            continue
        if not any(_is_within(found.importer, place) for place in allowed):
            problems.append(f"{found}, but {library} may be imported only in {', '.join(allowed)}")
    return problems


def _is_within(importer: str, place: str) -> bool:
    return importer.startswith(place) if place.endswith("/") else importer == place


def stage_violations(imports: list[Import]) -> list[str]:
    problems = []
    for found in imports:
        if found.module.split(".")[0] != "booksmith":
            continue
        importer, imported = stage_of(found.importer), stage_of(found.module)
        if importer == "wiring" or imported == "shared":
            continue
        if imported == "wiring":
            problems.append(f"{found}: only the command line may import the wiring modules")
        elif importer == "shared":
            problems.append(f"{found}: a shared module ({found.importer}) imports the {imported} stage")
        elif STAGES.index(imported) > STAGES.index(importer):
            problems.append(f"{found}: the {importer} stage imports the later {imported} stage")
    return problems


def test_every_module_under_src_parses():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 20
    for path in modules:
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_every_module_belongs_to_a_stage_or_is_shared_or_wiring():
    for path in PACKAGE.rglob("*.py"):
        stage_of(path.relative_to(PACKAGE).as_posix())


@pytest.mark.parametrize("library", sorted(FENCES))
def test_each_third_party_library_is_imported_only_in_its_own_module(library):
    problems = [p for p in fence_violations(all_imports()) if f"but {library} may" in p]
    assert not problems, "\n".join(problems)


def test_the_fenced_libraries_are_found_where_they_belong():
    importers = {(found.module.split(".")[0], found.importer) for found in all_imports()}
    assert ("reportlab", "render/pdf.py") in importers
    assert ("markdown_it", "manuscript/markdown.py") in importers
    assert ("pyphen", "typeset/hyphenate.py") in importers
    assert ("jsonschema", "preset/load.py") in importers  # imported inside a function
    assert any(library == "uharfbuzz" and path.startswith("fonts/") for library, path in importers)


def test_no_stage_imports_a_later_stage():
    problems = stage_violations(all_imports())
    assert not problems, "\n".join(problems)


def test_the_checks_report_a_fence_breach_with_file_and_line():
    source = "import os\n\nfrom reportlab.pdfgen.canvas import Canvas\n"
    [problem] = fence_violations(imports_in("typeset/blocks.py", source))
    assert problem.startswith("src/booksmith/typeset/blocks.py:3 imports reportlab.pdfgen.canvas")
    assert "render/pdf.py" in problem


def test_the_checks_report_an_import_of_a_later_stage():
    source = "from booksmith.render import render_pdf\nfrom booksmith.doctree import Book\n"
    [problem] = stage_violations(imports_in("manuscript/markdown.py", source))
    assert problem == (
        "src/booksmith/manuscript/markdown.py:1 imports booksmith.render: "
        "the manuscript stage imports the later render stage"
    )


def test_the_checks_resolve_relative_imports_and_count_pagemodel_as_pagination():
    source = "from ..pagemodel import Page\nfrom . import blocks\n"
    imports = imports_in("typeset/lines.py", source)
    assert [found.module for found in imports] == ["booksmith.pagemodel", "booksmith.typeset.blocks"]
    [problem] = stage_violations(imports)
    assert "the typeset stage imports the later paginate stage" in problem


def test_the_checks_let_the_wiring_import_anything_and_anyone_import_shared_modules():
    assert stage_violations(imports_in("pipeline.py", "from booksmith.render import render_pdf\n")) == []
    assert stage_violations(imports_in("render/pdf.py", "from booksmith import errors, units\n")) == []
    assert stage_violations(imports_in("render/pdf.py", "from booksmith.manuscript import smarten\n")) == []
