"""The command line: parses arguments, calls the pipeline, and turns errors into messages and exit
codes. Nothing below this module prints or exits."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

from booksmith import __version__
from booksmith.errors import BooksmithError
from booksmith.pagemodel import TypographySummary

EXIT_ERROR = 1
EXIT_USAGE = 2


def run() -> None:
    """The `booksmith` command: main(), then out of the process at once. By then every file is
    written and closed, and a built book is millions of small objects which the interpreter would
    otherwise free one by one on its way out (a tenth of a second of a novel's build)."""
    code = main(process_ends=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None, process_ends: bool = False) -> int:
    """The command; `process_ends`: the process ends when it returns (as with run())."""
    parser = _parser()
    args = parser.parse_args(argv)
    args.process_ends = process_ends
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except BooksmithError as error:
        print(_paragraph(str(error)), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        if getattr(args, "watch", False):
            return 0
        print("booksmith: interrupted; no partial files were left in place.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="booksmith", description="Print-ready books from Markdown or text.")
    parser.add_argument("--version", action="version", version=f"booksmith {__version__}")
    commands = parser.add_subparsers(dest="command")

    build = commands.add_parser("build", help="typeset a manuscript into print and screen PDFs")
    build.add_argument("manuscripts", nargs="+", type=Path, help="Markdown (.md) or plain-text (.txt) files")
    build.add_argument("--layout", help="preset name (see `booksmith layouts`) or path to a preset file")
    build.add_argument("--out", type=Path, default=Path("dist"), help="output folder (default: dist)")
    build.add_argument("--title", help="book title (overrides the front matter)")
    build.add_argument("--author", help="author (overrides the front matter)")
    build.add_argument("--quiet", action="store_true", help="print only errors")
    build.add_argument("--watch", action="store_true",
                       help="rebuild whenever the manuscript, its images or a preset is saved")
    build.add_argument("--max-pages", type=int, help="refuse a book longer than this (for a service)")
    build.add_argument("--max-words", type=int, default=1_500_000,
                       help="refuse a manuscript longer than this (default: 1,500,000)")
    build.add_argument("--time-limit", type=float,
                       help="stop a build that takes longer than this many seconds")
    build.add_argument("--printer", help="fit the print PDF to a printer: kdp, ingramspark or lulu "
                                         "(gutter by page count, margins, page count, colour)")
    build.add_argument("--bleed", action="store_true",
                       help="grow the print PDF's pages by the printer's bleed (needs --printer)")
    build.add_argument("--icc", type=Path, help="CMYK ICC profile to embed in a PDF/X print file "
                                               "(default: one found in /usr/share/color/icc)")
    build.add_argument("--pdfx", choices=["x1a", "x4", "none"],
                       help="PDF/X-1a:2001, PDF/X-4 or plain PDF for the print file instead of the "
                            "printer's own choice (the printer must accept it)")
    build.add_argument("--marks", action="store_true",
                       help="crop and bleed marks around each page of the print PDF, for a proof copy "
                            "(for a printer that takes no marks, on a separate <book>-proof-copy.pdf)")
    build.add_argument("--no-cache", action="store_true",
                       help="set the whole book afresh, neither reading nor writing the build cache (the "
                            "cache is $BOOKSMITH_CACHE_DIR, else $XDG_CACHE_HOME/booksmith, else "
                            "~/.cache/booksmith; delete it whenever you like)")
    build.set_defaults(run=_build)

    proof = commands.add_parser(
        "proof", help="check a book as a printer and an editor would, and show every spread",
        description="Proof a PDF (any PDF, from booksmith or not), or build a manuscript and proof its "
                    "print PDF. Writes index.html, report.json, spread images and a contact sheet to a "
                    "proof/ folder beside the PDF; exits with 1 when there is an error.")
    proof.add_argument("source", type=Path, nargs="?",
                       help="a PDF, or a manuscript (.md, .txt) to build first")
    proof.add_argument("--layout", help="preset for building a manuscript (see `booksmith layouts`)")
    proof.add_argument("--printer", help="printer rules to check against (default: generic; screen for a "
                                         "*-screen.pdf); see `booksmith proof --list-printers`")
    proof.add_argument("--list-printers", action="store_true", help="list the printer rule sets and stop")
    proof.add_argument("--manuscript", type=Path, help="compare a PDF's words with this manuscript's")
    proof.add_argument("--dpi", type=float, default=100.0,
                       help="resolution of the page images (default: 100)")
    proof.add_argument("--out", type=Path, help="where builds go (default: dist) and, for a PDF, the proof "
                                                "folder (default: proof/ beside the PDF)")
    proof.add_argument("--no-images", action="store_true", help="run the checks only, without page images")
    proof.add_argument("--title", help="book title (overrides the front matter) when building")
    proof.add_argument("--author", help="author (overrides the front matter) when building")
    proof.add_argument("--quiet", action="store_true", help="print only the verdict line and errors")
    proof.set_defaults(run=_proof)

    cover = commands.add_parser("cover", help="make the wrap cover (back, spine, front) for a printer")
    cover.add_argument("manuscript", type=Path, help="the book's manuscript (.md, .txt)")
    cover.add_argument("--printer", default="kdp", help="kdp (default), or another printer with spine widths")
    cover.add_argument("--paper", default="white", help="interior paper, for the spine width: white or cream")
    cover.add_argument("--layout", help="preset name or file (as for build)")
    cover.add_argument("--pages", type=int, help="the interior's page count (default: build it and count)")
    cover.add_argument("--front", type=Path, metavar="IMAGE",
                       help="the front cover from an image (JPEG, PNG), cropped to fill it and its bleed")
    cover.add_argument("--front-text", action="store_true",
                       help="also set title, subtitle and author over the --front image")
    cover.add_argument("--back-text", metavar="TEXT_OR_FILE",
                       help="the back cover's text, or a .md/.txt file of it (default: 'back_cover:' in the "
                            "front matter)")
    cover.add_argument("--icc", type=Path, metavar="FILE",
                       help="the CMYK ICC profile to convert the front image with (default: one found on the "
                            "system, else a plain conversion)")
    cover.add_argument("--out", type=Path, default=Path("dist"), help="output folder (default: dist)")
    cover.set_defaults(run=_cover)

    layouts = commands.add_parser("layouts", help="list the layout presets, or show one resolved")
    layouts.add_argument("action", nargs="?", choices=["show"], help="show NAME: print the resolved preset")
    layouts.add_argument("name", nargs="?", help="preset name for `show`")
    layouts.set_defaults(run=_layouts)
    return parser


def _build(args: argparse.Namespace) -> int:
    from booksmith.pipeline import BuildOptions, build_many

    if len(args.manuscripts) > 1 and (args.title or args.author):
        raise BooksmithError("--title and --author apply to one manuscript; name one file with them")
    if args.time_limit:
        _stop_after(args.time_limit)
    options = BuildOptions(layout=args.layout, out_dir=args.out, title=args.title, author=args.author,
                           show_progress=not args.quiet and sys.stderr.isatty() and len(args.manuscripts) < 2,
                           max_pages=args.max_pages, max_words=args.max_words, printer=args.printer,
                           bleed=args.bleed, icc=args.icc, pdfx=args.pdfx, marks=args.marks,
                           cache=not args.no_cache,
                           process_ends=args.process_ends and not args.watch and len(args.manuscripts) == 1)
    failed = False
    for manuscript, outcome in zip(args.manuscripts, build_many(args.manuscripts, options)):
        failed |= not _report(manuscript, outcome, args.quiet)
    if args.watch:
        return _watch(args.manuscripts, options, args.quiet)
    return EXIT_ERROR if failed else 0


def _report(manuscript: Path, outcome: object, quiet: bool) -> bool:
    """Print what a build wrote (or its error); True when it succeeded."""
    if isinstance(outcome, BooksmithError):
        print(_paragraph(str(outcome)), file=sys.stderr)
        return False
    result = outcome
    for diagnostic in result.diagnostics.items:  # type: ignore[attr-defined]
        print(_paragraph(str(diagnostic)), file=sys.stderr)
    if not quiet:
        seconds = result.seconds  # type: ignore[attr-defined]
        print(f"{manuscript}: layout {result.preset.name}, {seconds:.2f} s")  # type: ignore[attr-defined]
        if result.printer:  # type: ignore[attr-defined]
            print(_printer_text(result))
        elif result.pdfx:  # type: ignore[attr-defined]
            print(f"  print file: {result.pdfx}")  # type: ignore[attr-defined]
        for pdf in (result.print_pdf, result.screen_pdf):  # type: ignore[attr-defined]
            print(f"  wrote {pdf.path} ({pdf.pages} pages)")
        if result.proof_copy:  # type: ignore[attr-defined]
            copy = result.proof_copy  # type: ignore[attr-defined]
            print(f"  wrote {copy.path} ({copy.pages} pages, with crop marks: a proof copy, not for upload)")
        if result.cache:  # type: ignore[attr-defined]
            print(_cache_text(result.cache))  # type: ignore[attr-defined]
        for use in result.images:  # type: ignore[attr-defined]
            print(_image_text(use))
        print(_summary_text(result.summary))  # type: ignore[attr-defined]
    return True


def _image_text(use: object) -> str:
    """One image of the print file: its pixels, the size it is drawn at, its effective resolution."""
    width, height = use.pixels  # type: ignore[attr-defined]
    placed = use.placed  # type: ignore[attr-defined]
    return (f"  image {use.name}: {width} x {height} px at {placed.width / 72:.2f} x "  # type: ignore[attr-defined]
            f"{placed.height / 72:.2f} in, {use.ppi:.0f} ppi, page {use.page}")  # type: ignore[attr-defined]


def _cache_text(counts: object) -> str:
    """What the build took from the build cache and what it made."""
    if counts.book_kept:  # type: ignore[attr-defined]
        return "  cache: nothing changed since the last build; its PDFs were written again"
    kept, made = counts.chapters_kept, counts.chapters_set  # type: ignore[attr-defined]
    return f"  cache: {kept} chapter{'s' * (kept != 1)} taken from the cache, {made} set"


def _printer_text(result: object) -> str:
    passes = result.layout_passes  # type: ignore[attr-defined]
    padded = result.padded_pages  # type: ignore[attr-defined]
    text = (f"  printer {result.printer}: gutter {result.inside_margin / 72:g} in"  # type: ignore[attr-defined]
            f" (laid out {passes} time{'s' if passes > 1 else ''})")
    if result.pdfx:  # type: ignore[attr-defined]
        text += f"; {result.pdfx}"  # type: ignore[attr-defined]
    if padded:
        text += f"; {padded} blank page{'s' if padded > 1 else ''} added at the end"
    return text


def _watch(manuscripts: list[Path], options: object, quiet: bool) -> int:
    """Rebuild a manuscript whenever it, a file beside it (an image), or a preset is saved."""
    import time

    from booksmith.pipeline import build, watched_files

    def stamps(manuscript: Path) -> dict[Path, float]:
        found = {}
        for path in watched_files(manuscript):
            try:
                found[path] = path.stat().st_mtime
            except OSError:
                continue
        return found

    seen = {manuscript: stamps(manuscript) for manuscript in manuscripts}
    print("watching for changes (Ctrl-C to stop)", file=sys.stderr)
    while True:
        time.sleep(0.4)
        for manuscript in manuscripts:
            now = stamps(manuscript)
            if now == seen[manuscript]:
                continue
            seen[manuscript] = now
            try:
                outcome: object = build(manuscript, options)  # type: ignore[arg-type]
            except BooksmithError as error:
                outcome = error
            if _report(manuscript, outcome, quiet=True) and not quiet:
                # flushed: a writer may watch through a pipe (an editor's task runner, say)
                print(f"{manuscript}: rebuilt in {outcome.seconds:.2f} s", flush=True)  # type: ignore[attr-defined]


def _stop_after(seconds: float) -> None:
    """A time limit for a service: the build stops with a message, its partial files removed."""

    def stop(signum: int, frame: object) -> None:
        raise BooksmithError(f"the build took longer than the time limit of {seconds:g} s and was stopped",
                             hint="Raise --time-limit, or build a shorter manuscript.")

    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)


def _summary_text(summary: TypographySummary) -> str:
    """One screen: the figures a compositor checks, each with what it is."""
    lines = max(summary.body_lines, 1)
    rows = [
        ("word space", f"median {summary.space_median_em:.3f} em, 95th percentile "
                       f"{summary.space_p95_em:.3f} em (the font's own space is "
                       f"{summary.natural_space_em:.3f} em)"),
        ("loose lines", f"{summary.loose_line_share:.1%} of justified lines space words over 1.5 times the "
                        "natural space"),
        ("hyphens", f"{summary.hyphenated_lines} lines ({summary.hyphenated_lines / lines:.1%}), "
                    f"at most {summary.longest_hyphen_ladder} in a row"),
        ("runts", f"{summary.runts} paragraphs end on a line shorter than the indent and three letters"),
        ("spreads", f"{summary.spreads - summary.uneven_spreads} of {summary.spreads} facing text pages end "
                    "on the same baseline"),
        ("page breaks", f"{summary.paragraphs_longer} paragraphs set a line longer and "
                        f"{summary.paragraphs_shorter} a line shorter to keep pages even; "
                        f"{summary.rule_breaks} widow/orphan rules broken"),
    ]
    width = max(len(name) for name, _ in rows)
    return "  typography:\n" + "\n".join(f"    {name:<{width}}  {text}" for name, text in rows)


def _proof(args: argparse.Namespace) -> int:
    from booksmith.manuscript import ManuscriptOptions
    from booksmith.proof import RULE_SETS, ProofOptions, proof
    from booksmith.proof.report import terminal_summary

    if args.list_printers:
        for name, rules in sorted(RULE_SETS.items()):
            print(f"{name:<10}  {rules.description}")
        return 0
    if args.source is None:
        raise BooksmithError("`booksmith proof` needs a PDF or a manuscript",
                             hint="For example: booksmith proof dist/my-book/my-book-print.pdf")
    source: Path = args.source
    manuscript_options = ManuscriptOptions(args.title, args.author)
    if source.suffix.lower() == ".pdf":
        if args.layout or args.title or args.author:
            raise BooksmithError("--layout, --title and --author apply when proofing a manuscript, not a PDF",
                                 hint="Name the manuscript (.md, .txt) to build and proof it.")
        pdf, manuscript, out = source, args.manuscript, args.out
    else:
        from booksmith.pipeline import BuildOptions, build

        result = build(source, BuildOptions(layout=args.layout, out_dir=args.out or Path("dist"),
                                            title=args.title, author=args.author))
        for diagnostic in result.diagnostics.items:
            print(_paragraph(str(diagnostic)), file=sys.stderr)
        if not args.quiet:
            print(f"{source}: built {result.print_pdf.path} ({result.print_pdf.pages} pages) in "
                  f"{result.seconds:.2f} s")
        pdf, manuscript, out = result.print_pdf.path, args.manuscript or source, None
    options = ProofOptions(out_dir=out, dpi=args.dpi, printer=args.printer, manuscript=manuscript,
                           manuscript_options=manuscript_options, images=not args.no_images)
    proofed = proof(pdf, options)
    if args.quiet:
        verdict = "passed" if proofed.passed else f"failed with {proofed.errors} errors"
        print(f"proof of {pdf}: {verdict}; report: {proofed.index_html}")
    else:
        from rich.console import Console

        Console(highlight=False).print(terminal_summary(proofed))
    return 0 if proofed.passed else EXIT_ERROR


def _cover(args: argparse.Namespace) -> int:
    from booksmith.pipeline import CoverOptions, make_cover

    options = CoverOptions(printer=args.printer, paper=args.paper, layout=args.layout, out_dir=args.out,
                           pages=args.pages, front=args.front, front_text=args.front_text,
                           back_text=args.back_text, icc=args.icc)
    result = make_cover(args.manuscript, options)
    for diagnostic in result.diagnostics.items:
        print(_paragraph(str(diagnostic)), file=sys.stderr)
    geometry = result.geometry
    spine = "with spine text" if geometry.spine_text else "too thin for spine text"
    print(f"wrote {result.path}: {geometry.width / 72:.3f} x {geometry.height / 72:.3f} in, spine "
          f"{geometry.spine / 72:.4f} in for {geometry.pages} pages ({spine})")
    if result.front_ppi is not None:
        print(f"  front image at {result.front_ppi:.0f} ppi")
    print(f"  guides (proof only, never for upload): {result.guides_path}")
    return 0


def _layouts(args: argparse.Namespace) -> int:
    from booksmith.preset import load_preset, preset_names

    if args.action == "show":
        if not args.name:
            raise BooksmithError("`booksmith layouts show` needs a preset name",
                                 hint="For example: booksmith layouts show novel-6x9")
        preset = load_preset(args.name)
        print(json.dumps(_as_json(preset), indent=2, ensure_ascii=False))
        return 0
    rows = []
    for name in preset_names():
        preset = load_preset(name)
        trim = f"{round(preset.trim.width / 72, 2):g} x {round(preset.trim.height / 72, 2):g} in"
        body = f"{preset.fonts.body} {preset.body.size:g}/{preset.body.leading:g}"
        rows.append((name, trim, body, preset.description))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}")
    return 0


def _as_json(value: object) -> object:
    from dataclasses import fields, is_dataclass

    if is_dataclass(value):
        return {f.name.rstrip("_"): _as_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [_as_json(v) for v in value]
    if isinstance(value, float):
        return round(value, 3)
    return value


def _paragraph(text: str) -> str:
    return "booksmith: " + " ".join(text.split())
