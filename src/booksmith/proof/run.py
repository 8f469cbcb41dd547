"""proof(): read a PDF back, check it as a printer and an editor would, and write the proof folder.

The text layer and the page images are read in worker processes (one per core, each opening the PDF
itself); the structure is read and the checks are run in this process meanwhile. The proof folder is
written beside itself and moved into place at the end, so a failed proof leaves the previous one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from booksmith.errors import BooksmithError, Location, Severity
from booksmith.manuscript import ManuscriptOptions

from .findings import Findings
from .geometry import infer_geometry
from .images import PageMarks, RenderedSpread, contact_sheet, render_spreads
from .model import DocumentStructure, Finding, Geometry, PageStructure, PageText, spreads_of
from .preflight import run_preflight
from .rules import PrinterRules, rules_named
from .structure import read_structure
from .text import manuscript_words, run_text_check
from .textlayer import page_count, read_text
from .typography import run_typography

DEFAULT_DPI = 100.0
PAGES_PER_WORKER = 16  # below this a second process costs more than it saves


@dataclass(frozen=True)
class ProofOptions:
    out_dir: Path | None = None  # default: a proof/ folder beside the PDF
    dpi: float = DEFAULT_DPI
    printer: str | None = None  # a rule set from rules.RULE_SETS; default: generic (screen for *-screen.pdf)
    manuscript: Path | None = None  # compare the PDF's words with this manuscript's
    manuscript_options: ManuscriptOptions | None = None
    workers: int | None = None  # default: one per core
    images: bool = True


@dataclass(frozen=True)
class ProofReport:
    """Everything the report files show."""

    pdf: Path
    rules: PrinterRules
    structure: DocumentStructure
    geometry: Geometry | None
    findings: tuple[Finding, ...]
    text_counts: dict[str, int] | None
    spreads: tuple[RenderedSpread, ...]
    sheet_size: tuple[int, int]
    sheet_cells: tuple
    dpi: float
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [page.label for page in self.structure.pages]

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)


@dataclass(frozen=True)
class ProofResult:
    pdf: Path
    folder: Path
    index_html: Path
    report_json: Path
    report: ProofReport
    seconds: float

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.report.findings

    @property
    def pages(self) -> int:
        return len(self.report.structure.pages)

    @property
    def errors(self) -> int:
        return self.report.count(Severity.ERROR)

    @property
    def passed(self) -> bool:
        return self.errors == 0


def proof(pdf: Path, options: ProofOptions | None = None) -> ProofResult:
    from .report import write_html, write_json

    options = options or ProofOptions()
    started = time.perf_counter()
    rules = rules_named(options.printer or ("screen" if pdf.stem.endswith("-screen") else "generic"))
    _check_input(pdf, options)
    count = page_count(pdf)
    workers = max(1, min(options.workers or os.cpu_count() or 1, count // PAGES_PER_WORKER or 1))
    folder = options.out_dir or pdf.parent / "proof"
    staging = _staging_folder(folder)
    timings: dict[str, float] = {}
    try:
        with _executor(workers) as pool:
            text_jobs = [pool.submit(read_text, pdf, chunk) for chunk in _chunks(range(count), workers * 2)]
            tick = time.perf_counter()
            structure = read_structure(pdf)
            timings["structure"] = time.perf_counter() - tick
            words = None
            if options.manuscript is not None:
                words = manuscript_words(options.manuscript, options.manuscript_options)
            texts = [page for job in text_jobs for page in job.result()]
            timings["text_layer_done"] = time.perf_counter() - started
            geometry = infer_geometry(texts)
            image_jobs = []
            if options.images:
                marks = {page.index: _marks(page, geometry) for page in structure.pages}
                image_jobs = [
                    pool.submit(render_spreads, pdf, chunk, marks, options.dpi, staging)
                    for chunk in _chunks(spreads_of(count), workers * 2)
                ]
            tick = time.perf_counter()
            found = Findings(rules, [page.label for page in structure.pages])
            run_preflight(structure, texts, found)
            if geometry is not None:
                run_typography(texts, geometry, found)
            text_counts = run_text_check(words, texts, geometry, found) if words is not None else None
            timings["checks"] = time.perf_counter() - tick
            rendered = [spread for job in image_jobs for spread in job.result()]
        tick = time.perf_counter()
        labels = [page.label for page in structure.pages]
        sheet_size, cells = (
            contact_sheet(rendered, labels, staging / "contact-sheet.png") if options.images else ((0, 0), [])
        )
        timings["images_done"] = time.perf_counter() - started
        report = ProofReport(
            pdf,
            rules,
            structure,
            geometry,
            found.sorted(),
            text_counts,
            tuple(rendered),
            sheet_size,
            tuple(cells),
            options.dpi,
            timings,
        )
        write_json(report, staging / "report.json")
        write_html(report, staging / "index.html")
        timings["report"] = time.perf_counter() - tick
        _move_into_place(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ProofResult(
        pdf, folder, folder / "index.html", folder / "report.json", report, time.perf_counter() - started
    )


def _check_input(pdf: Path, options: ProofOptions) -> None:
    if not pdf.is_file():
        raise BooksmithError(
            "the PDF does not exist" if not pdf.exists() else "the PDF path is not a file",
            Location(pdf),
            "Check the path, or build the book first with `booksmith build`.",
        )
    with pdf.open("rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise BooksmithError(
                "the file is not a PDF",
                Location(pdf),
                "Name a .pdf file, or a manuscript (.md, .txt) to build and proof.",
            )
    if not 18 <= options.dpi <= 600:
        raise BooksmithError(
            f"a resolution of {options.dpi:g} dpi is out of range",
            hint="Choose between 18 and 600 dpi; 100 shows a page well on a screen.",
        )


def _marks(page: PageStructure, geometry: Geometry | None) -> PageMarks:
    block = None
    if geometry is not None:
        left, right = geometry.column(page.index)
        block = (
            left,
            geometry.bottom_baseline - 0.25 * geometry.body_size,
            right,
            geometry.top_baseline + 0.75 * geometry.body_size,
        )
    colour = any(
        p.colour_space not in ("gray", "cmyk") or (p.colour_space == "cmyk" and sum(p.values[:3]) > 0)
        for p in page.paints
    )
    return PageMarks(page.crop_box, page.trim, block, colour)


def _chunks(items: Sequence, parts: int) -> list[list]:
    items = list(items)
    size = max(1, -(-len(items) // max(parts, 1)))
    return [items[start : start + size] for start in range(0, len(items), size)]


class _InlineExecutor(Executor):
    """Runs each job at once in this process: for small files, where starting workers costs more."""

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[no-untyped-def, override]
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


@contextlib.contextmanager
def _executor(workers: int) -> Iterator[Executor]:
    if workers <= 1:
        yield _InlineExecutor()
        return
    # fork starts a worker in milliseconds; elsewhere the platform's default start method is used
    context = get_context("fork") if sys.platform.startswith("linux") else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield pool


def _staging_folder(folder: Path) -> Path:
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
        staging.chmod(0o755)
        (staging / "spreads").mkdir()
        return staging
    except OSError as error:
        raise BooksmithError(
            f"cannot write the proof folder ({error.strerror})",
            Location(folder),
            "Choose another folder with --out, or check its permissions.",
        ) from None


def _move_into_place(staging: Path, folder: Path) -> None:
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
    staging.rename(folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


__all__ = ["PageText", "ProofOptions", "ProofReport", "ProofResult", "proof"]
