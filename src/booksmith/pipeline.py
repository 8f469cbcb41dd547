"""The one place that runs the stages in order: manuscript -> tree -> galley -> pages -> PDFs.
build() is the Python API."""

from __future__ import annotations

import contextlib
import gc
import math
import multiprocessing
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from booksmith.doctree import Book, block_text
from booksmith.errors import BooksmithError, Diagnostics, Location
from booksmith.fonts import FontRegistry, Glyphs
from booksmith.manuscript import ManuscriptOptions, parse_manuscript
from booksmith.pagemodel import PageModel, TextLine, TypographySummary
from booksmith.paginate import Breaks, chapter_breaks, paginate
from booksmith.parallel import can_fork, in_two
from booksmith.preset import Preset, load_preset
from booksmith.printers import Printer, load_printer
from booksmith.printers.cover import (
    CoverGeometry,
    check_back_text_fits,
    check_front_ink,
    check_front_resolution,
    cover_geometry,
    front_resolution,
)
from booksmith.printers.fit import (
    BookOverrides,
    check_margins,
    check_page_count,
    check_trim,
    pad,
    with_gutter,
    with_room_for_furniture,
)
from booksmith.resources import fonts_dir, layouts_dir
from booksmith.units import format_inches

if TYPE_CHECKING:
    from booksmith.cache import BuildCache, CacheCounts, ChapterStore
    from booksmith.halves import SetThere
    from booksmith.render import Profile
    from booksmith.render.cover_image import FrontImage
    from booksmith.render.images import ImageUse
    from booksmith.render.pdf import BookGlyphs, LineDrawing
    from booksmith.render.pdfx import PdfxRequest
    from booksmith.typeset import ChapterLookup
    from booksmith.typeset.backcover import SetBackText
    from booksmith.typeset.lines import Galley

DEFAULT_LAYOUT = "novel-6x9"
# fewer lines to draw than this (a short book, a rebuild after an edit) are drawn where each PDF is
# written: a second process costs more than it saves
LEAST_LINES_TO_SPLIT = 2000


@dataclass(frozen=True)
class BuildOptions:
    layout: str | None = None
    out_dir: Path = Path("dist")
    title: str | None = None
    author: str | None = None
    show_progress: bool = False
    max_pages: int | None = None  # a service's limit: refuse a book that would run longer
    max_words: int = 1_500_000  # far beyond any novel; a larger manuscript would exhaust memory
    printer: str | None = None  # printers/<name>.json; otherwise the front matter's 'printer:'
    bleed: bool = False  # grow the print file's pages by the printer's bleed
    icc: Path | None = None  # the CMYK output profile a PDF/X print file embeds
    pdfx: str | None = None  # "x1a", "x4" or "none" instead of the printer's own PDF/X version
    marks: bool = False  # crop and bleed marks around each page, for a proof copy
    cache: bool = True  # take what has not changed from the build cache; False: neither read nor write it
    # the process ends once this book is built (the command line's one book): its objects are left
    # for the end to reclaim at once, rather than freed one by one and looked through by the collector
    process_ends: bool = False


@dataclass(frozen=True)
class WrittenPdf:
    path: Path
    pages: int


@dataclass(frozen=True)
class BuildResult:
    slug: str
    preset: Preset
    print_pdf: WrittenPdf
    screen_pdf: WrittenPdf
    seconds: float
    summary: TypographySummary
    diagnostics: Diagnostics = field(repr=False, default_factory=Diagnostics)
    printer: str | None = None
    inside_margin: float = 0.0  # the gutter the book was set with, in points
    layout_passes: int = 1  # how many times the book was laid out to settle its gutter
    padded_pages: int = 0  # blank pages added at the end for the printer
    pdfx: str = ""  # the PDF/X version the print file declares, if any
    images: tuple[ImageUse, ...] = ()  # each image of the print file, its page and effective resolution
    cache: CacheCounts | None = None  # what the build took from the build cache, and what it made
    # with --marks for a printer that takes no printer's marks: the marked copy beside the clean file
    proof_copy: WrittenPdf | None = None


def build(manuscript: Path, options: BuildOptions | None = None) -> BuildResult:
    """One book, print and screen PDFs. The garbage collector is paused meanwhile: a book is
    millions of small objects that make no reference cycles, and looking for cycles among them cost
    a fifth of the typesetting time (memory is the same either way). Where the process ends with
    the build, the collector stays paused: the first collection after a novel's build looked
    through the objects left (its shaped words, say) for 0.07 s, and freeing the build's objects as
    it returned took 0.03 s, both for nothing."""
    if options is not None and options.process_ends:
        gc.disable()
        return _build(manuscript, options)
    with _collector_paused():
        return _build(manuscript, options)


# what a build whose process ends with it leaves to the end (BuildOptions.process_ends)
_LEFT_TO_THE_END: list[object] = []


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(manuscript: Path, options: BuildOptions | None) -> BuildResult:
    options = options or BuildOptions()
    started = time.perf_counter()
    diagnostics = Diagnostics()
    book = parse_manuscript(manuscript, diagnostics, ManuscriptOptions(options.title, options.author))
    _check_length(book, options.max_words)
    layout = options.layout or book.meta.layout or DEFAULT_LAYOUT
    preset = load_preset(layout, book.meta.layout_overrides, manuscript)
    registry = FontRegistry(_font_folders(manuscript))
    printer = _printer(options, book, preset)
    if options.bleed and printer is None:
        raise BooksmithError("--bleed needs a printer: the bleed's size and edges are the printer's",
                             hint="Add --printer kdp, ingramspark or lulu ('printer:' in the front matter).")
    marked_copy = _wants_marked_copy(options, printer)
    cache, book_key = _open_cache(book, preset, printer, registry, options)
    if cache is not None and not marked_copy:  # a kept build holds its print and screen PDFs only
        kept = _reuse_build(cache, book_key, book, options, started)
        if kept is not None:
            return kept
    with _progress(options.show_progress) as progress:
        request = LayoutRequest(book, preset, registry, progress, printer, options.bleed, cache)
        laid_out = _lay_out(request, diagnostics)
    try:
        model = laid_out.model
        if options.max_pages is not None and len(model.pages) > options.max_pages:
            raise BooksmithError(f"the book runs to {len(model.pages)} pages, over the limit of "
                                 f"{options.max_pages}", Location(manuscript),
                                 "Raise --max-pages, or build a shorter manuscript.")

        from booksmith.render import book_glyphs

        glyphs = book_glyphs(model, laid_out.text_glyphs)
        drawn, undrawn = _kept_drawings(book, model, laid_out, glyphs.fingerprint)
        _draw_text_in_two(model, laid_out, glyphs, drawn)
        if options.process_ends:
            _LEFT_TO_THE_END.append((book, laid_out, glyphs, drawn))
    finally:
        if laid_out.there is not None:
            laid_out.there.close()

    from booksmith.render import SCREEN, print_profile, render_pdf

    out = options.out_dir / book.slug
    print_path = out / f"{book.slug}-print.pdf"
    screen_path = out / f"{book.slug}-screen.pdf"
    profile = print_profile(printer, options.bleed, options.marks and not marked_copy)
    pdfx = _pdfx_request(printer, options, diagnostics)
    images = _report_images(model, profile, printer, manuscript, diagnostics)

    def write_print(path: Path) -> int:
        pages = render_pdf(model, profile, path, glyphs, drawn)
        if pdfx is not None:
            from booksmith.render.pdfx import make_pdfx

            make_pdfx(path, pdfx)  # on the temporary file, before it is renamed into place
        return pages

    print_pages, screen_pages = in_two(
        lambda: _write_atomically(print_path, _keeping(cache, book_key, "print", write_print)),
        lambda: _write_atomically(screen_path, _keeping(cache, book_key, "screen",
                                                        lambda path: render_pdf(model, SCREEN, path, glyphs,
                                                                                drawn))),
    )
    _keep_drawings(book, laid_out, glyphs.fingerprint, drawn, undrawn)
    copy = None
    if marked_copy and printer is not None:
        copy = _write_marked_copy(model, printer, options.bleed, out / f"{book.slug}-proof-copy.pdf",
                                  diagnostics, glyphs, drawn)
    result = BuildResult(book.slug, laid_out.preset, WrittenPdf(print_path, print_pages),
                         WrittenPdf(screen_path, screen_pages), time.perf_counter() - started, model.summary,
                         diagnostics, printer.name if printer else None, laid_out.preset.margins.inside,
                         laid_out.passes, laid_out.padded, pdfx.version if pdfx else "", images,
                         proof_copy=copy)
    return _kept_for_next_time(cache, book_key, result)


def _printer(options: BuildOptions, book: Book, preset: Preset) -> Printer | None:
    """The printer named by --printer, else by the front matter's 'printer:', else by the preset's."""
    if options.printer:
        return load_printer(options.printer)
    if book.meta.printer:
        return load_printer(book.meta.printer, Location(book.source))
    if preset.printer:
        return load_printer(preset.printer, Location(Path(preset.source), json_path="printer"))
    return None


def _wants_marked_copy(options: BuildOptions, printer: Printer | None) -> bool:
    """--marks for a printer whose rule is that files carry no printer's marks: the print file stays
    clean for upload, and the marks go on a proof copy of the same pages beside it."""
    return options.marks and printer is not None and not printer.marks_allowed


def _write_marked_copy(model: PageModel, printer: Printer, bleed: bool, path: Path, diagnostics: Diagnostics,
                       glyphs: BookGlyphs, drawn: dict[int, LineDrawing]) -> WrittenPdf:
    from booksmith.render import print_profile, render_pdf

    pages = _write_atomically(path, lambda temporary: render_pdf(model, print_profile(printer, bleed, True),
                                                                 temporary, glyphs, drawn))
    diagnostics.note(f"--marks: {printer.name} takes no printer's marks in the file to upload (its rule: "
                     f"{printer.marks_rule}), so the print PDF has none; the crop marks are on a proof "
                     f"copy, {path.name}, which is not for upload")
    return WrittenPdf(path, pages)


def _pdfx_request(printer: Printer | None, options: BuildOptions,
                  diagnostics: Diagnostics) -> PdfxRequest | None:
    """The PDF/X the printer wants (or --pdfx asks for), with the ICC profile given or found on the
    system; without one a PDF/X-1a output intent names the registered condition, and a note says so."""
    version = _pdfx_version(printer, options.pdfx)
    icc = options.icc
    if not version:
        if icc is not None:
            who = printer.name if printer else "a build without a printer"
            diagnostics.note(f"--icc is not used: {who} takes plain PDF, not PDF/X.")
        return None
    # only now: it imports pikepdf, which a build of plain PDFs never needs (0.03 s)
    from booksmith.render.pdfx import NEEDS_PROFILE, PdfxRequest, check_icc, find_cmyk_icc

    condition = printer.output_condition if printer else DEFAULT_OUTPUT_CONDITION
    profile = check_icc(icc) if icc is not None else find_cmyk_icc()
    if profile is None and version in NEEDS_PROFILE:
        raise BooksmithError(
            f"{version} needs the printing condition's CMYK ICC profile embedded in the output intent, and "
            "none was given or found in /usr/share/color/icc",
            hint=f"Give the printer's profile (for {condition}) with --icc FILE, or ask for PDF/X-1a:2001 "
                 "with --pdfx x1a, whose output intent may name a registered condition instead.")
    if profile is None:
        diagnostics.note(f"no CMYK ICC profile was given or found in /usr/share/color/icc: the PDF/X output "
                         f"intent names the registered condition '{condition}' and embeds no "
                         "profile.", hint="Give the printer's profile with --icc FILE to embed it.")
    return PdfxRequest(version, condition, profile)


DEFAULT_OUTPUT_CONDITION = "CGATS TR 001"  # for PDF/X asked of a build without a printer


def _pdfx_version(printer: Printer | None, asked: str | None) -> str:
    """The PDF/X version of the print file ("" for plain PDF): --pdfx's, if the printer takes it, or
    the printer's own."""
    if asked is None:
        return printer.pdfx_version if printer else ""
    from booksmith.render.pdfx import VERSIONS

    if asked not in VERSIONS:
        raise BooksmithError(f"--pdfx {asked} is not a PDF/X version booksmith writes",
                             hint="Give x1a (PDF/X-1a:2001), x4 (PDF/X-4) or none (plain PDF).")
    version = VERSIONS[asked]
    if printer is not None and not printer.accepts_pdfx(version):
        accepted = ", ".join(taken or "plain PDF" for taken in printer.pdfx_accepted)
        raise BooksmithError(
            f"{printer.name} does not take {version or 'plain PDF'}: it accepts {accepted}",
            Location(Path(printer.source), json_path="pdfx/accepted"),
            f"Leave out --pdfx for {printer.name}'s own {printer.pdfx_version or 'plain PDF'}, or ask for "
            "one of the versions it accepts.")
    return version


def _report_images(model: PageModel, profile: Profile, printer: Printer | None, manuscript: Path,
                   diagnostics: Diagnostics) -> tuple[ImageUse, ...]:
    """Each image's effective resolution at the size it is drawn in the print file; below the
    printer's least (without a printer, the 300 ppi print needs), a warning naming the image, its
    page and both figures."""
    from booksmith.render.images import image_uses

    uses = tuple(image_uses(model, profile.bleed))
    least = printer.min_image_ppi if printer else PRINT_PPI
    wanted = f"{printer.name}'s minimum of {least:g} ppi" if printer else f"the {least:g} ppi print needs"
    for use in uses:
        if use.ppi < least:
            diagnostics.warn(
                f"the image '{use.name}' on page {use.page} (folio {use.label}) prints at {use.ppi:.0f} ppi "
                f"({use.pixels[0]} x {use.pixels[1]} px over {use.placed.width / 72:.2f} x "
                f"{use.placed.height / 72:.2f} in), below {wanted}; it will look soft",
                Location(manuscript),
                hint=f"Supply it at least {math.ceil(use.placed.width / 72 * least)} pixels "
                     "wide, or set it smaller.")
    return uses


MAX_LAYOUT_PASSES = 4
PRINT_PPI = 300  # an image's least resolution for print, where no printer says otherwise


@dataclass(frozen=True)
class LayoutRequest:
    book: Book
    preset: Preset
    registry: FontRegistry
    progress: object | None
    printer: Printer | None
    bleed: bool
    cache: BuildCache | None = None


@dataclass(frozen=True)
class LaidOut:
    model: PageModel
    preset: Preset  # as the book was set (the gutter widened for the printer)
    passes: int
    padded: int
    # each chapter's lines as set for the last layout pass, by their pieces' identity, in
    # cache.galley_lines() order (the galley itself is let go, to keep memory down while drawing)
    chapter_lines: tuple[tuple[int, ...], ...]
    store: ChapterStore | None  # where the last pass's chapters were kept, with the build cache
    text_glyphs: Glyphs  # every glyph the chapters' lines may draw
    # the child process that set some of the last pass's chapters, kept to draw their lines
    there: SetThere | None = None


def _lay_out(request: LayoutRequest, diagnostics: Diagnostics) -> LaidOut:
    """Typeset and paginate. For a printer, the gutter comes from the final page count: when the
    count lands in a band needing another gutter, the book is set again (at most MAX_LAYOUT_PASSES
    times); then the blank pages the printer wants are added and the count is checked."""
    from booksmith.typeset import typeset

    printer = request.printer
    if printer is None:
        lookup, broken = _chapter_lookup(request, request.preset)
        with _letting_go_on_failure(lookup):
            galley = typeset(request.book, request.preset, request.registry, diagnostics, request.progress,
                             lookup)
            _keep_patterns(lookup)
            broken = _page_breaks(request.book, galley, request.preset, lookup, broken)
            return LaidOut(paginate(galley, request.preset, diagnostics, broken), request.preset, 1, 0,
                           _chapter_lines(galley), _store_of(lookup), _text_glyphs(galley, lookup),
                           _there_of(lookup))
    overrides = BookOverrides(request.book.source, request.book.meta.layout_overrides)
    check_trim(request.preset, printer, overrides)
    check_margins(request.preset, printer, request.bleed, overrides)
    roomed = with_room_for_furniture(request.preset, printer, request.bleed)
    if roomed.changes:
        changes = "; ".join(roomed.changes)
        diagnostics.note(f"for {printer.name}, the layout's margins were widened: {changes}.")
    base = roomed.preset
    current = with_gutter(base, printer, printer.min_pages)
    lookup = None
    for passes in range(1, MAX_LAYOUT_PASSES + 1):
        this_pass = Diagnostics()
        _let_go(lookup)  # the pass before's
        lookup, broken = _chapter_lookup(request, current)
        with _letting_go_on_failure(lookup):
            galley = typeset(request.book, current, request.registry, this_pass, request.progress, lookup)
            _keep_patterns(lookup)
            broken = _page_breaks(request.book, galley, current, lookup, broken)
            padded = pad(paginate(galley, current, this_pass, broken), printer)
        count = len(padded.model.pages)
        wanted = with_gutter(base, printer, count)
        if wanted.margins.inside == current.margins.inside:
            break
        if passes < MAX_LAYOUT_PASSES:
            current = wanted
    else:
        this_pass.warn(
            f"the gutter did not settle in {MAX_LAYOUT_PASSES} layouts: the book's {count} pages need "
            f"{format_inches(wanted.margins.inside)} at the spine for {printer.name}, and it was set with "
            f"{format_inches(current.margins.inside)}",
            hint="Widen margins.inside in the layout to the larger figure so one layout fits.")
    diagnostics.items.extend(this_pass.items)
    with _letting_go_on_failure(lookup):
        check_page_count(count, printer, (current.trim.width, current.trim.height))
    return LaidOut(padded.model, current, passes, padded.added, _chapter_lines(galley), _store_of(lookup),
                   _text_glyphs(galley, lookup), _there_of(lookup))


def _chapter_lookup(request: LayoutRequest, preset: Preset) -> tuple[ChapterLookup | None, Breaks | None]:
    """Set chapters from the build cache, keyed on the preset as this layout pass sets it; those it
    does not hold are set in a second process while this one reads the rest, or half here and half
    there where there is much to set (halves.py), and broken into pages where they are set."""
    from booksmith.halves import set_in_two

    cached = request.cache.chapters(request.book, preset, request.registry) if request.cache else None
    counts = request.cache.counts if request.cache else None
    if cached is not None:
        cached.give_patterns()
    halves = set_in_two(request.book, preset, request.registry, cached, counts, meanwhile=_import_renderer)
    return (halves, halves.broken) if halves is not None else (cached, None)


def _import_renderer() -> None:
    """The renderer and ReportLab (and Pillow, which ReportLab imports), 0.05 s to import: done
    while the chapters are set, in this process and then in the child, which draws lines too, where
    it costs less than with both cores waiting for it before drawing."""
    import booksmith.render  # noqa: F401


def _text_glyphs(galley: Galley, lookup: ChapterLookup | None) -> Glyphs:
    """Every glyph the chapters' lines may draw (their paragraph variants' too), per face: as found
    where the chapters were set or read, when that was in two processes."""
    from booksmith.cache import galley_glyphs
    from booksmith.halves import Halves

    if isinstance(lookup, Halves) and len(lookup.made) == len(galley.chapters):
        return lookup.glyphs
    return galley_glyphs(galley.chapters)


def _draw_text_in_two(model: PageModel, laid_out: LaidOut, glyphs: BookGlyphs,
                      drawn: dict[int, LineDrawing]) -> None:
    """The chapters' lines not yet drawn, drawn half here and half in another process, into `drawn`:
    the print and screen PDFs each draw every line otherwise, the same lines twice. (The chapters'
    lines only: their glyphs are all given codes before drawing, so a drawing made in either
    process is the one both would make.) Where a child set some chapters and is kept on (halves.py),
    it draws their lines, and this process the others: each draws lines in its own memory, which a
    new child would share with this process page by page, copying each page it touches."""
    from booksmith.render import draw_lines, draw_set_lines, first_text_face

    chapter_lines = {line for lines in laid_out.chapter_lines for line in lines}
    wanted: dict[int, TextLine] = {}
    for page in model.pages:
        for line in page.lines:
            if id(line.pieces) in chapter_lines and id(line.pieces) not in drawn:
                wanted.setdefault(id(line.pieces), line)
    lines = list(wanted.values())
    there = laid_out.there
    if there is not None:
        theirs = [line for line in lines if there.holds(line.pieces)]
        if theirs:
            there.start(draw_set_lines, [line.pieces for line in theirs], first_text_face(model), glyphs)
        mine = [line for line in lines if not there.holds(line.pieces)]
        if mine:
            drawn.update(draw_lines(model, mine, glyphs))
        if theirs:
            drawn.update({id(line.pieces): drawing for line, drawing in zip(theirs, there.finish())})
        return
    if len(lines) < LEAST_LINES_TO_SPLIT or not can_fork():
        return
    here, there_half = _halves_by_pieces(lines)
    mine, their_half = in_two(lambda: draw_lines(model, here, glyphs),
                              lambda: draw_lines(model, there_half, glyphs))
    drawn.update(mine)
    drawn.update(their_half)


def _halves_by_pieces(lines: list[TextLine]) -> tuple[list[TextLine], list[TextLine]]:
    """The lines in two runs of about as many pieces each."""
    total = sum(len(line.pieces) for line in lines)
    running = 0
    for index, line in enumerate(lines):
        running += len(line.pieces)
        if running * 2 >= total:
            return lines[:index + 1], lines[index + 1:]
    return lines, []


def _chapter_lines(galley: Galley) -> tuple[tuple[int, ...], ...]:
    from booksmith.cache import galley_lines

    return tuple(tuple(id(line.pieces) for line in galley_lines(chapter)) for chapter in galley.chapters)


def _kept_drawings(book: Book, model: PageModel, laid_out: LaidOut,
                   glyphs: str) -> tuple[dict[int, LineDrawing], dict[int, list[int | None]]]:
    """The lines the build cache holds as drawn with the book's glyphs (named `glyphs`), by their
    pieces' identity; and the chapters it holds not all of (an entry kept when other paragraph
    variants were on the pages lacks the lines now there), with their lines as _on_pages() gives
    them, by the chapters' places in the book."""
    drawn: dict[int, LineDrawing] = {}
    store = laid_out.store
    if store is None:
        return drawn, {}
    undrawn = {}
    for index, (chapter, lines) in enumerate(zip(book.chapters, _on_pages(model, laid_out))):
        kept = store.kept_drawings(chapter, lines, glyphs)
        drawn.update(kept)  # type: ignore[arg-type]
        if not kept or any(line is not None and line not in kept for line in lines):
            undrawn[index] = lines
    return drawn, undrawn


def _keep_drawings(book: Book, laid_out: LaidOut, glyphs: str, drawn: dict[int, LineDrawing],
                   undrawn: dict[int, list[int | None]]) -> None:
    """The lines just drawn of the chapters the build cache held not all of, kept for the next build."""
    if laid_out.store is None:
        return
    for index, lines in undrawn.items():
        laid_out.store.keep_drawings(book.chapters[index], lines, glyphs, drawn)  # type: ignore[arg-type]


def _on_pages(model: PageModel, laid_out: LaidOut) -> list[list[int | None]]:
    """Each chapter's lines as the cache's drawings take them: a line on no page as None (it was
    let go with the galley, so its identity may be another's by now)."""
    placed = {id(line.pieces) for page in model.pages for line in page.lines}
    return [[line if line in placed else None for line in lines] for lines in laid_out.chapter_lines]


def _keep_patterns(lookup: ChapterLookup | None) -> None:
    store = _store_of(lookup)
    if store is not None:
        store.keep_patterns()


def _there_of(lookup: ChapterLookup | None) -> SetThere | None:
    """The child process kept on by a layout pass that set chapters in two processes."""
    from booksmith.halves import Halves

    return lookup.there if isinstance(lookup, Halves) else None


def _let_go(lookup: ChapterLookup | None) -> None:
    there = _there_of(lookup)
    if there is not None:
        there.close()


@contextlib.contextmanager
def _letting_go_on_failure(lookup: ChapterLookup | None) -> Iterator[None]:
    """The pass's child let go should laying out fail (it would otherwise wait on to be asked)."""
    try:
        yield
    except BaseException:
        _let_go(lookup)
        raise


def _store_of(lookup: ChapterLookup | None) -> ChapterStore | None:
    """The build cache's store behind a layout pass's chapter lookup, if it has one."""
    from booksmith.cache import ChapterStore
    from booksmith.halves import Halves

    store = lookup.lookup if isinstance(lookup, Halves) else lookup
    return store if isinstance(store, ChapterStore) else None


def _page_breaks(book: Book, galley: Galley, preset: Preset, lookup: ChapterLookup | None,
                 found: Breaks | None) -> Breaks | None:
    """Every chapter's page breaks, with the build cache: those found where the chapters were set or
    kept in the cache, and the rest found here and kept. Without it, paginate() finds the rest."""
    store = _store_of(lookup)
    if store is None:
        return found
    have = dict(found or {})
    for index, chapter in enumerate(book.chapters):
        kept = None if index in have else store.kept_breaks(chapter)
        if kept is not None:
            have[index] = kept
    missing = [index for index in range(len(galley.chapters)) if index not in have]
    made = chapter_breaks(galley, preset, missing)
    for index, breaks in made.items():
        store.keep_breaks(book.chapters[index], breaks)
    return {**have, **made}


def _open_cache(book: Book, preset: Preset, printer: Printer | None, registry: FontRegistry,
                options: BuildOptions) -> tuple[BuildCache | None, str]:
    """The build cache (none with --no-cache), and the key of this whole build in it."""
    if not options.cache:
        return None, ""
    from booksmith.cache import BuildCache, book_key

    # the output folder and the progress bar do not change a byte of the PDFs
    neutral = replace(options, out_dir=Path("."), show_progress=False)
    cache = BuildCache()
    return cache, book_key(book, preset, printer, registry, neutral, cache.chapter_texts)


def _reuse_build(cache: BuildCache, key: str, book: Book, options: BuildOptions,
                 started: float) -> BuildResult | None:
    """The PDFs of an earlier build of exactly this book (nothing read by the build has changed:
    manuscript, images, preset, printer, fonts, options, engine), written where this build writes
    them, with what that build reported; None when there is none. Output is deterministic, so
    these are the bytes a cold build would write."""
    kept = cache.kept_build(key)
    if kept is None or not isinstance(kept[0], BuildResult):
        return None
    earlier, print_bytes, screen_bytes = kept
    out = options.out_dir / book.slug
    written = []
    for pdf, data in ((earlier.print_pdf, print_bytes), (earlier.screen_pdf, screen_bytes)):
        path = out / pdf.path.name
        _write_atomically(path, lambda temporary, data=data: temporary.write_bytes(data))
        written.append(WrittenPdf(path, pdf.pages))
    cache.counts.book_kept = True
    return replace(earlier, print_pdf=written[0], screen_pdf=written[1],
                   seconds=time.perf_counter() - started, cache=cache.counts)


def _keeping(cache: BuildCache | None, key: str, kind: str, write):  # type: ignore[no-untyped-def]
    """write(), then a copy of the PDF it wrote kept in the cache, from the process that wrote it."""
    if cache is None:
        return write

    def write_and_keep(path: Path) -> int:
        pages = write(path)
        cache.keep_pdf(key, kind, path)
        return pages

    return write_and_keep


def _kept_for_next_time(cache: BuildCache | None, key: str, result: BuildResult) -> BuildResult:
    """The build's report kept beside its PDFs, the cache trimmed to its size, and the counts."""
    if cache is None:
        return result
    cache.keep_build(key, replace(result, cache=None))
    cache.trim()
    if cache.unwritable:
        result.diagnostics.note(f"the build cache in {cache.folder} could not be written "
                                f"({cache.unwritable}); the next build will set the book again",
                                hint="Set BOOKSMITH_CACHE_DIR to a folder you can write, or build with "
                                     "--no-cache.")
    return replace(result, cache=cache.counts)


def build_many(manuscripts: list[Path], options: BuildOptions) -> list[BuildResult | BooksmithError]:
    """Several books at once, one a core (each then renders its two PDFs one after the other); a
    book that fails gives its error in its place and the others are still built."""
    if len(manuscripts) < 2 or not can_fork():
        return [_build_or_error(manuscript, options) for manuscript in manuscripts]
    context = multiprocessing.get_context("fork")
    with context.Pool(min(len(manuscripts), os.cpu_count() or 1), initializer=_one_process_each) as pool:
        return pool.starmap(_build_or_error, [(manuscript, options) for manuscript in manuscripts])


def _one_process_each() -> None:
    os.environ["BOOKSMITH_SERIAL"] = "1"


def _build_or_error(manuscript: Path, options: BuildOptions) -> BuildResult | BooksmithError:
    try:
        return build(manuscript, options)
    except BooksmithError as error:
        return error


def watched_files(manuscript: Path) -> list[Path]:
    """What a rebuild depends on that a writer edits: the manuscript, the files beside it (images,
    a preset of their own, fonts) and the bundled presets."""
    folder = manuscript.resolve().parent
    kinds = {".md", ".txt", ".json", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".ttf"}
    beside = [path for path in folder.rglob("*") if path.suffix.lower() in kinds and "dist" not in path.parts]
    return [manuscript, *beside[:2000], *layouts_dir().glob("*.json")]


def _font_folders(manuscript: Path) -> list[Path]:
    """The bundled fonts, and a fonts/ folder beside the manuscript if the writer keeps one there."""
    folders = [fonts_dir()]
    local = manuscript.resolve().parent / "fonts"
    if local.is_dir() and local != fonts_dir().resolve():
        folders.insert(0, local)
    return folders


@contextlib.contextmanager
def _progress(show: bool) -> Iterator[object | None]:
    if not show:
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        yield progress


def _remove_orphans(target: Path) -> None:
    """Temporary files of this target whose writing process no longer runs."""
    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        parts = leftover.name[len(target.name) + 2 :].split(".")
        if parts and parts[0].isdigit() and not _running(int(parts[0])):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _check_length(book: Book, max_words: int) -> None:
    words = sum(len(block_text(block).split()) for chapter in book.chapters for block in chapter.blocks)
    if words > max_words:
        raise BooksmithError(
            f"the manuscript has {words:,} words, more than the {max_words:,} one build will set",
            Location(book.source),
            "Split it into volumes, or raise the limit with --max-words if the machine has the memory "
            "(about 1 GB for each 500,000 words).",
        )


def _write_atomically(target: Path, write) -> int:  # type: ignore[no-untyped-def]
    """Write to a temporary file beside the target, then rename it into place, so an interrupted or
    failed build leaves the previous file intact and never a partial one. A temporary file left by
    a build that was killed outright is removed by the next build."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_orphans(target)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                             dir=target.parent)
        os.close(handle)
    except OSError as error:
        raise BooksmithError(f"cannot write to the output folder ({error.strerror})",
                             Location(target.parent),
                             "Choose another folder with --out, or check its permissions.") from None
    try:
        result = write(Path(temporary))
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        return result
    except OSError as error:
        raise BooksmithError(f"cannot write the PDF ({error.strerror})", Location(target),
                             "Check the free disk space and the folder's permissions.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


@dataclass(frozen=True)
class CoverOptions:
    printer: str = "kdp"
    paper: str = "white"
    layout: str | None = None
    out_dir: Path = Path("dist")
    pages: int | None = None  # the interior's page count; None: build the interior to count them
    title: str | None = None
    author: str | None = None
    front: Path | None = None  # an image for the front cover (JPEG, PNG)
    front_text: bool = False  # also set title, subtitle and author over the front image
    back_text: str | None = None  # the back cover's text, or a file of it; else the front matter's
    icc: Path | None = None  # the CMYK profile the front image is converted with


@dataclass(frozen=True)
class CoverResult:
    path: Path  # the print-ready cover
    guides_path: Path  # the same with trim, folds, safe areas and the barcode zone drawn
    geometry: CoverGeometry
    diagnostics: Diagnostics = field(repr=False, default_factory=Diagnostics)
    front_ppi: float | None = None  # the front image's resolution as placed


def make_cover(manuscript: Path, options: CoverOptions) -> CoverResult:
    """The wrap cover for a printer: its size from the trim, the printer's bleed and the spine the
    interior's page count makes on the chosen paper; the front from an image or the book's fonts,
    the back's text set as the body is; a clean file and a proof with guides."""
    from booksmith.render.cover import SPINE_SIZE, CoverDrawing, CoverText, render_cover, spine_text_size

    diagnostics = Diagnostics()
    book = parse_manuscript(manuscript, diagnostics, ManuscriptOptions(options.title, options.author))
    printer = load_printer(options.printer)
    pages = options.pages
    preset = load_preset(options.layout or book.meta.layout or DEFAULT_LAYOUT, book.meta.layout_overrides,
                         manuscript)
    if pages is None:
        interior = build(manuscript, BuildOptions(layout=options.layout, out_dir=options.out_dir,
                                                  title=options.title, author=options.author,
                                                  printer=options.printer))
        pages = interior.print_pdf.pages
        diagnostics.items.extend(interior.diagnostics.items)
    geometry = cover_geometry(preset, printer, options.paper, pages)
    registry = FontRegistry(_font_folders(manuscript))
    faces = (registry.face(preset.fonts.display, "regular"), registry.face(preset.fonts.body, "italic"))
    front = _cover_front(options, geometry, printer, diagnostics)
    back = _cover_back(book, options, preset, registry, geometry, diagnostics)
    drawing = CoverDrawing(geometry, CoverText(book.meta.title, book.meta.subtitle, book.meta.author), faces,
                           front, options.front_text, back)
    if geometry.spine_text and not spine_text_size(drawing):
        diagnostics.note(f"the spine is {geometry.spine / 72:.3f} in wide: {printer.name} allows spine text "
                         f"from {printer.spine_text_min_pages} pages, but title and author would be smaller "
                         f"than {SPINE_SIZE[0]:g} pt, so the spine is left blank.")
    folder = options.out_dir / book.slug
    path, guides = folder / f"{book.slug}-cover.pdf", folder / f"{book.slug}-cover-guides.pdf"
    _write_atomically(path, lambda temporary: render_cover(drawing, temporary))
    _write_atomically(guides, lambda temporary: render_cover(drawing, temporary, guides=True))
    ppi = front_resolution(front.size, geometry) if front is not None else None
    return CoverResult(path, guides, geometry, diagnostics, ppi)


def _cover_front(options: CoverOptions, geometry: CoverGeometry, printer: Printer,
                 diagnostics: Diagnostics) -> FrontImage | None:
    """The front image cropped to the front panel with its bleed, its resolution checked, in CMYK
    (with the ICC profile given or found, else a plain conversion; a note says which)."""
    if options.front is None:
        if options.front_text:
            diagnostics.note("--front-text has no effect without --front: a cover without an image "
                             "always carries its title and author.")
        return None
    from booksmith.render.cover_image import load_front_image
    from booksmith.render.pdfx import find_cmyk_icc, is_cmyk_icc

    icc = options.icc if options.icc is not None else find_cmyk_icc()
    if icc is not None and not is_cmyk_icc(icc):
        raise BooksmithError("the ICC profile given with --icc is not a CMYK profile" if icc.is_file() else
                             "the ICC profile given with --icc does not exist", Location(icc),
                             "Give the CMYK output profile of the printer's paper and press, or leave "
                             "out --icc for a plain conversion.")
    left, bottom, right, top = geometry.front_image_box
    front = load_front_image(options.front, (right - left) / (top - bottom), icc, printer.max_total_ink)
    check_front_resolution(str(options.front), front.size, geometry, printer, diagnostics)
    diagnostics.note(f"the front image '{options.front.name}' was {front.conversion}.")
    check_front_ink(str(options.front), front.max_ink, printer, diagnostics)
    return front


def _cover_back(book: Book, options: CoverOptions, preset: Preset, registry: FontRegistry,
                geometry: CoverGeometry, diagnostics: Diagnostics) -> SetBackText | None:
    """The back's text from --back-text or the front matter's 'back_cover:', set in the body font
    within the back's text box, refused when it would reach the barcode zone."""
    from booksmith.manuscript.backcover import BackText, back_text_from_option, back_text_paragraphs
    from booksmith.typeset.backcover import set_back_text

    if options.back_text is not None:
        source = back_text_from_option(options.back_text)
    elif book.meta.back_cover:
        source = BackText(book.meta.back_cover, Location(book.source, book.meta.back_cover_line or None))
    else:
        return None
    paragraphs = back_text_paragraphs(source, diagnostics)
    left, _, right, _ = geometry.back_text_box
    text = set_back_text(paragraphs, preset, registry, book.meta.language, right - left,
                         (source.where and source.where.file) or book.source, diagnostics)
    check_back_text_fits(text.depth, len(text.lines), geometry, source.where, text.words)
    return text
