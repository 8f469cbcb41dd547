"""Benchmark booksmith on the shared corpus: whole-process build times and peak memory, cold and warm,
the rebuild after editing one paragraph, and Typst on the same books where it is installed.

    .venv/bin/python benchmarks/bench.py            # full run (5 counted runs each, a few minutes)
    .venv/bin/python benchmarks/bench.py --quick    # 3 runs each, no warm-up
    .venv/bin/python benchmarks/bench.py --profile  # one cold build of the novel under cProfile
    .venv/bin/python benchmarks/bench.py --json results.json

The books are generated into a scratch folder (benchmarks/scratch/, not committed) from ../shared/corpus;
without ../shared the benchmark says so and exits 0. Typst runs through ../shared/peers/run_typst.sh
(`sh ../shared/peers/setup.sh typst` installs it under /tmp/peers).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import corpus
import profiling
from measure import Run, RunFailed, Runner, Series, file_digest

REPO = Path(__file__).resolve().parent.parent
SCRATCH_MARK = ".booksmith-bench-scratch"
FULL_RUNS, FULL_WARMUP = 5, 1
QUICK_RUNS, QUICK_WARMUP = 3, 0
PROFILE_TOP = 25
BOOK_KEYS = ["seed", "novel", "300k"]
# Fixed so that repeated builds can be compared byte for byte (booksmith honours it, as DESIGN.md asks).
SOURCE_DATE_EPOCH = "1764374400"


# ---------------------------------------------------------------------------------------------- set-up


@dataclass(frozen=True)
class Features:
    """What this booksmith's `build --help` offers; the cache options do not exist in every version."""

    no_cache: bool
    cache_dir: bool

    @property
    def has_cache(self) -> bool:
        return self.no_cache


@dataclass(frozen=True)
class Typst:
    script: Path
    version: str


@dataclass(frozen=True)
class Context:
    booksmith: Path
    python: Path
    features: Features
    runner: Runner
    scratch: Path
    runs: int
    warmup: int
    typst: Typst | None

    def booksmith_argv(self, book: corpus.Book, out: Path, *, cache: bool) -> list[str]:
        argv = [str(self.booksmith), "build", str(book.manuscript), *book.build_args, "--out", str(out)]
        return argv + self.cache_args(cache)

    def cache_args(self, cache: bool) -> list[str]:
        args = []
        if not cache and self.features.no_cache:
            args.append("--no-cache")
        if self.features.cache_dir:
            args += ["--cache-dir", str(self.scratch / "cache")]
        return args

    def typst_argv(self, book: corpus.Book) -> list[str]:
        assert self.typst is not None
        out = self.scratch / "out" / "typst" / f"{book.manuscript.stem}.pdf"
        out.parent.mkdir(parents=True, exist_ok=True)
        return ["sh", str(self.typst.script), str(book.typst_source), str(out)]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_RUNS} runs of each command and no warm-up (full: {FULL_RUNS} after "
                             f"{FULL_WARMUP} warm-up)")
    parser.add_argument("--profile", action="store_true",
                        help=f"only profile one cold build of the novel (cProfile; top {PROFILE_TOP} "
                             "functions)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE as JSON")
    parser.add_argument("--runs", type=int, help="counted runs of each command (overrides the mode)")
    parser.add_argument("--warmup", type=int, help="uncounted runs of each command first")
    parser.add_argument("--book", action="append", choices=BOOK_KEYS,
                        help="measure only this book (repeatable; default: all)")
    parser.add_argument("--no-typst", action="store_true", help="skip Typst even where it is installed")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                        help="the shared folder with corpus/ and peers/ (default: ../shared)")
    parser.add_argument("--scratch", type=Path, default=REPO / "benchmarks" / "scratch",
                        help="folder for generated books and outputs; emptied first "
                             "(default: benchmarks/scratch)")
    parser.add_argument("--booksmith", type=Path, default=REPO / ".venv" / "bin" / "booksmith",
                        help="the booksmith command to measure (default: .venv/bin/booksmith)")
    parser.add_argument("--commit", metavar="REV",
                        help="measure the booksmith of this commit (its tree exported into the scratch "
                             "folder, src/ put first on PYTHONPATH) instead of the working tree")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds allowed for one build (default 900)")
    return parser.parse_args(argv)


def prepare_scratch(scratch: Path) -> None:
    """Empty the scratch folder, but only one this harness made (it carries a marker file)."""
    if scratch.exists():
        if not (scratch / SCRATCH_MARK).exists() and any(scratch.iterdir()):
            raise SystemExit(f"bench: {scratch} is not empty and was not made by this benchmark; "
                             "choose another --scratch")
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    (scratch / SCRATCH_MARK).write_text("made by benchmarks/bench.py; deleted at the start of each run\n")


def detect_features(booksmith: Path, env: dict[str, str]) -> Features:
    help_text = subprocess.run([str(booksmith), "build", "--help"], capture_output=True, text=True,
                               env=env).stdout
    flags = set(re.findall(r"--[a-z][a-z-]*", help_text))
    return Features(no_cache="--no-cache" in flags, cache_dir="--cache-dir" in flags)


def find_typst(shared: Path) -> tuple[Typst | None, str]:
    """The Typst driver when it can run here, else None and the reason."""
    peers = Path(os.environ.get("PEERS", "/tmp/peers"))
    script = shared / "peers" / "run_typst.sh"
    setup = f"install it with `sh {shared / 'peers' / 'setup.sh'} typst`"
    if not script.exists():
        return None, f"no Typst driver at {script}"
    if not (peers / "venv-typst" / "bin" / "python").exists() or shutil.which("pandoc") is None:
        return None, f"Typst is not installed under {peers}; {setup}"
    if not any((peers / "fonts" / "ebg").glob("EBGaramond_*.ttf")):
        return None, f"the EB Garamond fonts for Typst are missing under {peers}/fonts; {setup}"
    dist_info = sorted((peers / "venv-typst").glob("lib/python*/site-packages/typst-*.dist-info"))
    version = dist_info[-1].name.removeprefix("typst-").removesuffix(".dist-info") if dist_info else "?"
    return Typst(script=script, version=version), ""


def describe_machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem_kib = int(m.group(1)) if (m := re.search(r"MemTotal:\s+(\d+) kB", meminfo)) else 0
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    found = re.search(r"model name\s*:\s*(.*)", cpuinfo)
    model = found.group(1).strip() if found else platform.processor()
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"nproc": nproc, "memory_gib": round(mem_kib / 1024 / 1024, 1), "cpu": model,
            "system": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "load_at_start": round(os.getloadavg()[0], 2)}


def describe_booksmith(booksmith: Path, python: Path, env: dict[str, str], commit: str | None) -> dict:
    """Which booksmith is measured: its version, the source it imports, and that source's commit."""
    def output(*argv: str) -> str:
        return subprocess.run(argv, capture_output=True, text=True, env=env).stdout.strip()

    git = ("git", "-C", str(REPO))
    source = output(str(python), "-c", "import booksmith, os; print(os.path.dirname(booksmith.__file__))")
    info = {"command": str(booksmith), "version": output(str(booksmith), "--version"), "imports_from": source,
            "commit": output(*git, "rev-parse", "--short", commit or "HEAD"), "src_uncommitted": False}
    if commit is None:
        if Path(source).resolve().is_relative_to(REPO / "src"):
            info["src_uncommitted"] = bool(output(*git, "status", "--porcelain", "--", "src"))
        else:
            info["commit"] = "not this checkout"
    return info


def export_commit(commit: str, scratch: Path) -> Path:
    """Export a commit's tree (src/ with the layouts/ and fonts/ it finds beside it) into the scratch
    folder; return its src/ folder, to put first on PYTHONPATH."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        raise SystemExit(f"bench: cannot export src/ of {commit}: {archive.stderr.decode().strip()}")
    target = scratch / "booksmith-src"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(target, filter="data")
        else:  # Python before 3.11.4: the archive comes from our own repository
            tar.extractall(target)
    return target / "src"


def child_environment(scratch: Path, source: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    env.setdefault("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    env["XDG_CACHE_HOME"] = str(scratch / "xdg-cache")   # keep any per-user cache out of the user's home
    env.pop("BOOKSMITH_CACHE_DIR", None)  # which would take precedence over XDG_CACHE_HOME
    # as on a writer's machine, where Python keeps the compiled form of the modules it imports (a
    # sandbox may set this to keep source trees clean; then every run compiles booksmith anew)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# ---------------------------------------------------------------------------------------------- measuring


@dataclass
class BookResult:
    book: corpus.Book
    pages: int | None = None
    typst_pages: int | None = None
    cold: Series | None = None
    warm: Series | None = None
    typst: Series | None = None
    ratios: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class EditResult:
    book: corpus.Book
    rebuild: Series | None = None
    cache: bool = False
    identical_to_cold: bool | None = None
    notes: list[str] = field(default_factory=list)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def output_pdfs(out: Path, book: corpus.Book) -> tuple[Path, Path]:
    folder = out / book.manuscript.stem
    return (next(folder.glob("*-print.pdf"), folder / "missing-print.pdf"),
            next(folder.glob("*-screen.pdf"), folder / "missing-screen.pdf"))


def count_pages(pdf: Path) -> int | None:
    if not pdf.exists():
        return None
    try:
        import pypdfium2  # in booksmith's virtualenv; the harness runs there under `make bench`

        document = pypdfium2.PdfDocument(str(pdf))
        try:
            return len(document)
        finally:
            document.close()
    except ImportError:
        pass
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        if m := re.search(r"^Pages:\s+(\d+)", info, re.M):
            return int(m.group(1))
    return None


def same_bytes(first: tuple[Path, Path], second: tuple[Path, Path]) -> bool:
    return all(a.exists() and b.exists() and file_digest(a) == file_digest(b) for a, b in zip(first, second))


def measure_book(ctx: Context, book: corpus.Book) -> BookResult:
    """Cold builds alternating with Typst (paired), then warm rebuilds when there is a cache."""
    result = BookResult(book=book)
    cold_out = ctx.scratch / "out" / "cold"
    cold_argv = ctx.booksmith_argv(book, cold_out, cache=False)
    for _ in range(ctx.warmup):
        ctx.runner.run(cold_argv)
        if ctx.typst:
            ctx.runner.run(ctx.typst_argv(book))
    cold_runs: list[Run] = []
    typst_runs: list[Run] = []
    digests = set()
    for i in range(ctx.runs):
        cold_runs.append(ctx.runner.run(cold_argv))
        digests.add(file_digest(output_pdfs(cold_out, book)[0]))
        line = f"  {book.key}: run {i + 1}/{ctx.runs}  booksmith {cold_runs[-1].wall_s:6.2f} s"
        if ctx.typst:
            typst_runs.append(ctx.runner.run(ctx.typst_argv(book)))
            result.ratios.append(cold_runs[-1].wall_s / typst_runs[-1].wall_s)
            line += f"  typst {typst_runs[-1].wall_s:6.2f} s  ratio {result.ratios[-1]:.2f}"
        say(line)
    result.cold = Series(tuple(cold_runs))
    result.pages = count_pages(output_pdfs(cold_out, book)[0])
    if len(digests) > 1:
        result.notes.append(f"{book.key}: the cold builds did not give identical print PDFs "
                            f"({len(digests)} different files from {ctx.runs} runs)")
    if ctx.typst:
        result.typst = Series(tuple(typst_runs))
        result.typst_pages = count_pages(Path(ctx.typst_argv(book)[-1]))
    if ctx.features.has_cache:
        measure_warm(ctx, book, result, cold_out)
    return result


def measure_warm(ctx: Context, book: corpus.Book, result: BookResult, cold_out: Path) -> None:
    warm_out = ctx.scratch / "out" / "warm"
    warm_argv = ctx.booksmith_argv(book, warm_out, cache=True)
    ctx.runner.run(warm_argv)  # fills the cache; not counted
    runs = []
    for i in range(ctx.runs):
        runs.append(ctx.runner.run(warm_argv))
        say(f"  {book.key}: warm {i + 1}/{ctx.runs}  {runs[-1].wall_s:6.2f} s")
    result.warm = Series(tuple(runs))
    if not same_bytes(output_pdfs(warm_out, book), output_pdfs(cold_out, book)):
        result.notes.append(f"{book.key}: the warm (cached) build's PDFs differ from the cold build's")


def measure_edit(ctx: Context, book: corpus.Book) -> EditResult:
    """Change one paragraph of a copy of the novel and rebuild, runs times (one more paragraph each time)."""
    result = EditResult(book=book, cache=ctx.features.has_cache)
    folder = ctx.scratch / "edit"
    folder.mkdir(parents=True, exist_ok=True)
    copy = corpus.Book(key="edit", manuscript=folder / book.manuscript.name, build_args=book.build_args,
                       typst_source=folder / book.manuscript.name, words=book.words)
    original = book.manuscript.read_text(encoding="utf-8")
    out = ctx.scratch / "out" / "edit"
    argv = ctx.booksmith_argv(copy, out, cache=True)
    if result.cache:
        copy.manuscript.write_text(original, encoding="utf-8")
        ctx.runner.run(argv)  # the build before the edit fills the cache; not counted
    runs = []
    for i, version in enumerate(corpus.edited_versions(original, ctx.runs)):
        copy.manuscript.write_text(version, encoding="utf-8")
        runs.append(ctx.runner.run(argv))
        say(f"  edit: rebuild {i + 1}/{ctx.runs}  {runs[-1].wall_s:6.2f} s")
    result.rebuild = Series(tuple(runs))
    if result.cache:
        check_out = ctx.scratch / "out" / "edit-cold"
        ctx.runner.run(ctx.booksmith_argv(copy, check_out, cache=False))
        result.identical_to_cold = same_bytes(output_pdfs(out, copy), output_pdfs(check_out, copy))
        if not result.identical_to_cold:
            result.notes.append("edit: the rebuilt PDFs differ from a cold build of the edited manuscript")
    else:
        result.notes.append("edit: no cache yet, so a rebuild after an edit is a whole cold build")
    return result


def run_profile(ctx: Context, book: corpus.Book) -> tuple[Run, profiling.Profile, Path]:
    dump = ctx.scratch / "profile" / f"{book.manuscript.stem}.prof"
    out = ctx.scratch / "out" / "profile"
    dump.parent.mkdir(parents=True, exist_ok=True)
    argv = [str(ctx.python), "-m", "cProfile", "-o", str(dump), "-m", "booksmith", "build",
            str(book.manuscript), *book.build_args, "--out", str(out),
            *ctx.cache_args(cache=False)]
    run = ctx.runner.run(argv)
    if not all(pdf.exists() for pdf in output_pdfs(out, book)):  # cProfile exits 0 even when the build fails
        raise RunFailed(f"the profiled build wrote no PDFs:\n{ctx.runner.log_tail()}")
    return run, profiling.read_profile(dump, PROFILE_TOP), dump


# ---------------------------------------------------------------------------------------------- reporting


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def figures_table(results: list[BookResult], features: Features) -> str:
    head = ["book", "words", "pages", "cold median s", "warm median s", "peak MiB", "typst median s",
            "ratio"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        warm = seconds(r.warm.median_s) if r.warm else ("–" if features.has_cache else "no cache yet")
        pages = "–" if r.pages is None else str(r.pages)
        if r.typst_pages is not None:
            pages += f" (typst {r.typst_pages})"
        cells = [r.book.name, f"{r.book.words:,}", pages,
                 seconds(r.cold.median_s if r.cold else None), warm,
                 f"{r.cold.peak_mib:.0f}" if r.cold else "–",
                 seconds(r.typst.median_s if r.typst else None),
                 f"{statistics.median(r.ratios):.2f}" if r.ratios else "–"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def series_cells(series: Series) -> str:
    return (f"median {series.median_s:7.3f} s   min {series.min_s:7.3f}   max {series.max_s:7.3f}   "
            f"peak {series.median_peak_mib:4.0f}/{series.peak_mib:.0f} MiB (median/max)")


def ratio_cells(ratios: list[float]) -> str:
    return (f"median {statistics.median(ratios):7.3f}     min {min(ratios):7.3f}   max {max(ratios):7.3f}   "
            "(pair by pair)")


def details(results: list[BookResult], edit: EditResult | None) -> str:
    rows: list[tuple[str, str]] = []
    for r in results:
        rows += [(f"{r.book.name} {kind}", series_cells(series))
                 for kind, series in (("cold", r.cold), ("warm", r.warm), ("typst", r.typst)) if series]
        if r.ratios:
            rows.append((f"{r.book.name} booksmith/typst", ratio_cells(r.ratios)))
    if edit and edit.rebuild:
        suffix = "" if edit.cache else " (no cache)"
        rows.append((f"{edit.book.name} edit + rebuild{suffix}", series_cells(edit.rebuild)))
    width = max((len(label) for label, _ in rows), default=0)
    lines = ["Every series (wall time over the counted runs; peak = largest resident set of one process):"]
    lines += [f"  {label:<{width}}  {cells}" for label, cells in rows]
    by_key = {r.book.key: r for r in results}
    novel, big = by_key.get("novel"), by_key.get("300k")
    if novel and big and novel.cold and big.cold:
        lines.append(f"  300k / novel: cold time ×{big.cold.median_s / novel.cold.median_s:.2f}, "
                     f"peak memory ×{big.cold.peak_mib / novel.cold.peak_mib:.2f}"
                     f" (words ×{big.book.words / novel.book.words:.2f})")
    return "\n".join(lines)


def results_json(meta: dict, results: list[BookResult], edit: EditResult | None) -> dict:
    books = []
    for r in results:
        books.append({
            "book": r.book.name, "key": r.book.key, "words": r.book.words, "pages": r.pages,
            "typst_pages": r.typst_pages,
            "cold": r.cold.as_json() if r.cold else None,
            "warm": r.warm.as_json() if r.warm else None,
            "typst": r.typst.as_json() if r.typst else None,
            "ratio_booksmith_over_typst": ({"pairs": [round(x, 4) for x in r.ratios],
                                            "median": round(statistics.median(r.ratios), 4),
                                            "min": round(min(r.ratios), 4), "max": round(max(r.ratios), 4)}
                                           if r.ratios else None),
            "notes": r.notes,
        })
    edit_json = None
    if edit:
        edit_json = {"book": edit.book.name, "cache": edit.cache, "identical_to_cold": edit.identical_to_cold,
                     "rebuild": edit.rebuild.as_json() if edit.rebuild else None, "notes": edit.notes}
    return {**meta, "books": books, "edit_one_paragraph": edit_json}


def _short(path: str) -> str:
    return os.path.relpath(path, REPO) if path and Path(path).resolve().is_relative_to(REPO) else path


def header(meta: dict) -> str:
    m, b, t = meta["machine"], meta["booksmith"], meta["typst"]
    cache = "--no-cache for cold builds" if meta["cache_option"] else "no cache yet (no --no-cache option)"
    src = " (src/ has uncommitted changes)" if b["src_uncommitted"] else ""
    typst = f"Typst {t['version']} through {t['driver']}" if t["available"] else f"no Typst: {t['reason']}"
    return "\n".join([
        f"booksmith benchmarks, {meta['date']}",
        f"machine: {m['nproc']} cores (nproc), {m['memory_gib']} GiB, {m['cpu']}, {m['system']}, "
        f"Python {m['python']}, load {m['load_at_start']} at start",
        f"booksmith: {b['version']}, commit {b['commit']}{src}, from {_short(b['imports_from'])}; {cache}",
        typst,
    ] + ([] if meta["mode"] == "profile" else [
        f"runs: {meta['runs']} counted after {meta['warmup']} warm-up per command"
        + ("; booksmith and Typst alternate, the ratio booksmith/Typst is taken pair by pair"
           if t["available"] else "")]))


# ---------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    corpus_dir = args.shared / "corpus"
    if not corpus_dir.is_dir():
        print(f"bench: skipped, no corpus at {corpus_dir} (the shared folder ../shared is absent)")
        return 0
    if not args.booksmith.exists():
        print(f"bench: no booksmith at {args.booksmith}; run `make book` first", file=sys.stderr)
        return 2
    scratch = args.scratch.resolve()
    prepare_scratch(scratch)
    env = child_environment(scratch, export_commit(args.commit, scratch) if args.commit else None)
    features = detect_features(args.booksmith, env)
    typst, typst_reason = (None, "skipped (--no-typst)") if args.no_typst else find_typst(args.shared)
    runs = args.runs or (QUICK_RUNS if args.quick else FULL_RUNS)
    warmup = args.warmup if args.warmup is not None else (QUICK_WARMUP if args.quick else FULL_WARMUP)
    python = args.booksmith.parent / "python"
    ctx = Context(booksmith=args.booksmith.resolve(),
                  python=python if python.exists() else Path(sys.executable), features=features,
                  scratch=scratch, runs=runs, warmup=warmup, typst=typst,
                  runner=Runner(cwd=scratch, env=env, log=scratch / "last-run.log",
                                timeout_s=args.timeout))
    keys = ["novel"] if args.profile else (args.book or BOOK_KEYS)
    books = corpus.generate(corpus_dir, scratch / "corpus", keys)
    meta = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": describe_machine(),
        "booksmith": describe_booksmith(ctx.booksmith, ctx.python, env, args.commit),
        "cache_option": features.no_cache,
        "typst": {"available": typst is not None, "version": typst.version if typst else None,
                  "driver": str(typst.script) if typst else None, "reason": typst_reason or None},
        "mode": "profile" if args.profile else ("quick" if args.quick else "full"),
        "runs": runs, "warmup": warmup,
    }
    print(header(meta), flush=True)
    if args.profile:
        return profile_main(ctx, books[0], meta, args.json)

    results, failures = [], []
    for book in books:
        say(f"{book.name}: {book.words:,} words")
        try:
            results.append(measure_book(ctx, book))
        except RunFailed as error:
            failures.append(f"{book.name}: {error}")
    edit = None
    novel = next((b for b in books if b.key == "novel"), None)
    if novel:
        try:
            edit = measure_edit(ctx, novel)
        except RunFailed as error:
            failures.append(f"edit: {error}")
    print()
    print(figures_table(results, features))
    print()
    print(details(results, edit))
    notes = [note for r in results for note in r.notes] + (edit.notes if edit else []) + failures
    if edit and edit.identical_to_cold:
        notes.append("edit: the rebuilt PDFs are byte-identical to a cold build of the edited manuscript")
    if notes:
        print("\nNotes:\n" + "\n".join(f"- {note}" for note in notes))
    elapsed = time.monotonic() - started
    print(f"\nwhole benchmark: {elapsed:.0f} s; outputs and logs in {scratch}")
    if args.json:
        data = results_json(meta, results, edit) | {"failures": failures, "elapsed_s": round(elapsed, 1)}
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 1 if failures else 0


def profile_main(ctx: Context, book: corpus.Book, meta: dict, json_path: Path | None) -> int:
    say(f"{book.name}: one cold build under cProfile (slower than without it)")
    try:
        run, profile, dump = run_profile(ctx, book)
    except RunFailed as error:
        print(f"bench: the profiled build failed: {error}", file=sys.stderr)
        return 1
    print(f"\nprofiled cold build of {book.name}: {run.wall_s:.2f} s wall under cProfile "
          f"({profile.total_s:.2f} s inside the profiler), peak {run.peak_mib:.0f} MiB")
    print(f"dump: {dump} (explore it with `python -m pstats {_short(str(dump))}`)")
    print()
    for title, rows in ((f"Top {PROFILE_TOP} by cumulative time", profile.by_cumulative),
                        (f"Top {PROFILE_TOP} by total (own) time", profile.by_own)):
        print()
        print(profiling.format_rows(title, rows, profile.total_s))
    if json_path:
        data = meta | {"book": book.name, "wall_s": round(run.wall_s, 3), "peak_mib": round(run.peak_mib, 1),
                       "profile": profile.as_json()}
        json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nprofile written to {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
