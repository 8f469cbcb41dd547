"""Where one build's time goes, stage by stage, in each of its processes.

    .venv/bin/python benchmarks/stages.py                 # a cold build of the novel (--no-cache)
    .venv/bin/python benchmarks/stages.py --edit          # the rebuild after one paragraph is changed
    .venv/bin/python benchmarks/stages.py BOOK.md [--layout NAME]

The build runs in this process, as `booksmith build` runs it, with the pipeline's stages wrapped to
note when each starts and ends; the processes it forks (the one setting the later chapters, the one
drawing the screen PDF) note theirs in the same file. cProfile cannot follow a build across its
processes, and its overhead distorts the share of small functions; this shows the wall-clock
timeline instead. Needs ../shared/corpus for the default book.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from pathlib import Path

import corpus

START = time.perf_counter()
REPO = Path(__file__).resolve().parent.parent
NOVEL = REPO.parent / "shared" / "corpus" / "pride-and-prejudice.md"
MARKS = Path(tempfile.mkstemp(prefix="booksmith-stages-")[1])

# (module, function, what it is): the stages, as pipeline.build runs them
STAGES = [
    ("booksmith.pipeline", "parse_manuscript", "parse the manuscript"),
    ("booksmith.pipeline", "load_preset", "load the preset"),
    ("booksmith.pipeline", "_open_cache", "open the cache (the book's key)"),
    ("booksmith.halves", "_collect", "set chapters (and break them into pages)"),
    ("booksmith.halves", "set_in_two", "set in two processes, with the child's chapters read in"),
    ("booksmith.typeset", "typeset", "typeset: the book assembled"),
    ("booksmith.pipeline", "_page_breaks", "page breaks read, found or kept"),
    ("booksmith.pipeline", "paginate", "paginate: pages placed"),
    ("booksmith.render", "book_glyphs", "the book's glyphs"),
    ("booksmith.pipeline", "_kept_drawings", "drawn lines read from the cache"),
    ("booksmith.render", "draw_lines", "draw lines of text"),
    ("booksmith.pipeline", "_draw_text_in_two", "draw the text's lines in two processes"),
    ("booksmith.render", "render_pdf", "draw a PDF"),
    ("booksmith.pipeline", "_keep_drawings", "drawn lines kept"),
    ("booksmith.pipeline", "_kept_for_next_time", "the build kept and the cache trimmed"),
]


def note(text: str) -> None:
    with MARKS.open("a", encoding="utf-8") as out:
        out.write(f"{time.perf_counter() - START:.4f}\t{os.getpid()}\t{text}\n")


def wrapped(function, name: str):  # type: ignore[no-untyped-def]
    @functools.wraps(function)
    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        note(f"> {name}")
        try:
            return function(*args, **kwargs)
        finally:
            note(f"< {name}")
    return timed


def wrap_stages() -> dict[str, str]:
    import importlib

    described = {}
    for module_name, name, description in STAGES:
        module = importlib.import_module(module_name)
        setattr(module, name, wrapped(getattr(module, name), name))
        described[name] = description
    return described


def edited_copy(manuscript: Path, folder: Path) -> Path:
    """The manuscript, built once into a fresh cache, then changed in one paragraph mid-book (the
    first edit benchmarks/bench.py times)."""
    from booksmith.pipeline import BuildOptions, build

    copy = folder / manuscript.name
    text = manuscript.read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    build(copy, BuildOptions(out_dir=folder / "out"))
    copy.write_text(corpus.edited_versions(text, 1)[0], encoding="utf-8")
    return copy


def report(described: dict[str, str]) -> None:
    rows = [line.split("\t") for line in MARKS.read_text(encoding="utf-8").splitlines()]
    parent = str(os.getpid())
    names = {parent: "main"}
    for _, pid, _ in rows:
        names.setdefault(pid, f"child {len(names)}")
    print(f"{'process':8} {'from s':>7} {'to s':>7} {'took s':>7}  stage")
    open_: dict[tuple[str, str], float] = {}
    for at, pid, text in rows:
        mark, name = text.split(" ", 1)
        if mark == ">":
            open_[(pid, name)] = float(at)
            continue
        began = open_.pop((pid, name), None)
        if began is not None:
            print(f"{names[pid]:8} {began:7.3f} {float(at):7.3f} {float(at) - began:7.3f}  "
                  f"{described.get(name, name)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manuscript", nargs="?", type=Path, default=NOVEL)
    parser.add_argument("--layout")
    parser.add_argument("--edit", action="store_true",
                        help="time the rebuild after one paragraph is changed (the cache filled first)")
    args = parser.parse_args()
    if not args.manuscript.exists():
        print(f"no manuscript at {args.manuscript} (the default needs ../shared/corpus)", file=sys.stderr)
        return 0
    imported = time.perf_counter()
    from booksmith.pipeline import BuildOptions, build

    imports = time.perf_counter() - imported
    described = wrap_stages()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        os.environ["BOOKSMITH_CACHE_DIR"] = str(folder / "cache")
        manuscript = edited_copy(args.manuscript, folder) if args.edit else args.manuscript
        MARKS.write_text("", encoding="utf-8")
        began = time.perf_counter()
        result = build(manuscript, BuildOptions(layout=args.layout, out_dir=folder / "out", cache=args.edit))
        took = time.perf_counter() - began
    print(f"{manuscript.name}: {result.print_pdf.pages} pages, {'edit rebuild' if args.edit else 'cold'}; "
          f"booksmith's imports {imports:.3f} s (not in the times below, which start at the build's "
          f"start minus {began - START:.3f} s); the build {took:.3f} s")
    report(described)
    MARKS.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
