"""The one place that runs the stages in order: manuscript -> tree -> galley -> pages -> PDFs.
build() is the Python API."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from booksmith.errors import BooksmithError, Diagnostics, Location
from booksmith.fonts import FontRegistry
from booksmith.manuscript import ManuscriptOptions, parse_manuscript
from booksmith.pagemodel import TypographySummary
from booksmith.paginate import paginate
from booksmith.parallel import in_two
from booksmith.preset import Preset, load_preset
from booksmith.resources import fonts_dir

DEFAULT_LAYOUT = "novel-6x9"


@dataclass(frozen=True)
class BuildOptions:
    layout: str | None = None
    out_dir: Path = Path("dist")
    title: str | None = None
    author: str | None = None
    show_progress: bool = False


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


def build(manuscript: Path, options: BuildOptions | None = None) -> BuildResult:
    options = options or BuildOptions()
    started = time.perf_counter()
    diagnostics = Diagnostics()
    book = parse_manuscript(manuscript, diagnostics, ManuscriptOptions(options.title, options.author))
    layout = options.layout or book.meta.layout or DEFAULT_LAYOUT
    preset = load_preset(layout, book.meta.layout_overrides, manuscript)
    registry = FontRegistry(_font_folders(manuscript))
    with _progress(options.show_progress) as progress:
        from booksmith.typeset import typeset

        galley = typeset(book, preset, registry, diagnostics, progress)
    model = paginate(galley, preset, diagnostics)

    from booksmith.render import PRINT, SCREEN, render_pdf

    out = options.out_dir / book.slug
    print_path = out / f"{book.slug}-print.pdf"
    screen_path = out / f"{book.slug}-screen.pdf"
    print_pages, screen_pages = in_two(
        lambda: _write_atomically(print_path, lambda path: render_pdf(model, PRINT, path)),
        lambda: _write_atomically(screen_path, lambda path: render_pdf(model, SCREEN, path)),
    )
    return BuildResult(book.slug, preset, WrittenPdf(print_path, print_pages),
                       WrittenPdf(screen_path, screen_pages), time.perf_counter() - started, model.summary,
                       diagnostics)


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


def _write_atomically(target: Path, write) -> int:  # type: ignore[no-untyped-def]
    """Write to a temporary file beside the target, then rename it into place, so an interrupted or
    failed build leaves the previous file intact and never a partial one."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
