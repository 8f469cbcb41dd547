"""Fitting a book to a printer: the gutter its page count needs, the margins, trim and page count
the printer accepts, and the blank pages it wants at the end."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from booksmith.errors import BooksmithError, Location
from booksmith.pagemodel import Page, PageModel
from booksmith.paginate.finalize import PageFrame
from booksmith.preset import Preset
from booksmith.printers.model import Printer
from booksmith.typeset.headings import roman
from booksmith.units import format_inches

TRIM_TOLERANCE = 0.72  # points (0.01 in): a trim given in mm still matches the printer's inches


def with_gutter(preset: Preset, printer: Printer, pages: int) -> Preset:
    """The preset with its inside margin widened to the printer's band for this page count."""
    inside = max(preset.margins.inside, printer.inside_margin(pages))
    if inside == preset.margins.inside:
        return preset
    return replace(preset, margins=replace(preset.margins, inside=inside))


@dataclass(frozen=True)
class BookOverrides:
    """The preset keys a book's front matter sets under 'layout:', and the manuscript they are in: a
    figure the printer refuses is then named where the writer wrote it, not in the preset it overrode."""

    source: Path | None = None
    keys: dict[str, Any] = field(default_factory=dict)

    def location(self, preset: Preset, json_path: str) -> Location:
        node: Any = self.keys
        for part in json_path.split("/"):
            if not isinstance(node, dict) or part not in node:
                return Location(Path(preset.source), json_path=json_path)
            node = node[part]
        return Location(self.source, json_path=f"layout/{json_path}")


def check_trim(preset: Preset, printer: Printer, overrides: BookOverrides = BookOverrides()) -> None:
    trim = (preset.trim.width, preset.trim.height)
    if not printer.trim_sizes or any(abs(trim[0] - w) <= TRIM_TOLERANCE and abs(trim[1] - h) <= TRIM_TOLERANCE
                                     for w, h in printer.trim_sizes):
        return
    offered = ", ".join(f"{w / 72:g} x {h / 72:g}" for w, h in printer.trim_sizes)
    raise BooksmithError(
        f"{printer.name} does not offer the trim {trim[0] / 72:g} x {trim[1] / 72:g} in of layout "
        f"'{preset.name}'", overrides.location(preset, "trim"),
        f"Choose a layout with one of {printer.name}'s trims (in inches): {offered}.")


def check_margins(preset: Preset, printer: Printer, bleed: bool,
                  overrides: BookOverrides = BookOverrides()) -> None:
    """Outside, top and bottom margins at least the printer's minimum (the inside margin is widened
    to the printer's gutter by itself)."""
    least = printer.least_margin(bleed)
    margins = preset.margins
    for side in ("outside", "top", "bottom"):
        value = getattr(margins, side)
        if value + 1e-6 < least:
            condition = "with bleed" if bleed else "without bleed"
            raise BooksmithError(
                f"the {side} margin of layout '{preset.name}' is {format_inches(value)}, less than "
                f"{printer.name}'s minimum of {format_inches(least)} {condition}",
                overrides.location(preset, f"margins/{side}"),
                f"Set margins.{side} to at least {least / 72:g}in (in the preset, or under 'layout:' in "
                "the front matter).")


FIGURE_DESCENT = 0.3  # of the folio size: old-style figures (3, 4, 5, 7, 9) reach this far below the baseline
HEAD_ASCENT = 1.0  # of the running head's size: ascenders and accents, as the proof reads them


@dataclass(frozen=True)
class Roomed:
    preset: Preset
    changes: tuple[str, ...]  # what was moved, for a note


def with_room_for_furniture(preset: Preset, printer: Printer, bleed: bool) -> Roomed:
    """Top and bottom margins widened until the running heads and folios, which sit inside them,
    are at least the printer's minimum from the trim."""
    least = printer.least_margin(bleed)
    changes = []
    shortfall = least - _head_clearance(preset)
    if shortfall > 0.01:
        preset = replace(preset, margins=replace(preset.margins, top=preset.margins.top + shortfall))
        changes.append(f"the top margin to {format_inches(preset.margins.top)} to keep the running heads "
                       f"{format_inches(least)} from the trim")
    if preset.folios.position == "foot-centre":
        start = preset.margins.bottom
        for _ in range(200):
            if _foot_clearance(preset) >= least - 0.01:
                break
            preset = replace(preset, margins=replace(preset.margins, bottom=preset.margins.bottom + 1.0))
        if preset.margins.bottom != start:
            changes.append(f"the bottom margin to {format_inches(preset.margins.bottom)} to keep the folios "
                           f"{format_inches(least)} from the trim")
    return Roomed(preset, tuple(changes))


def _head_clearance(preset: Preset) -> float:
    frame = PageFrame(preset)
    folio = preset.folios.size if preset.folios.position == "head-outside" else 0.0
    size = max(preset.running_heads.size, folio)
    return preset.trim.height - (frame.head_baseline + size * HEAD_ASCENT)


def _foot_clearance(preset: Preset) -> float:
    frame = PageFrame(preset)
    baseline = frame.baseline(preset.lines_per_page - 1) - preset.folios.drop
    return baseline - preset.folios.size * FIGURE_DESCENT


def check_page_count(pages: int, printer: Printer, trim: tuple[float, float]) -> None:
    """The interior's page count within what the printer binds at its trim (on the paper that binds
    most: the paper is chosen with the cover)."""
    most, key = printer.most_pages(trim)
    if printer.min_pages <= pages <= most:
        return
    raise BooksmithError(
        f"the book has {pages} pages; {printer.name} prints {printer.min_pages} to {most} at "
        f"{format_inches(trim[0])} x {format_inches(trim[1])}", Location(Path(printer.source), json_path=key),
        "Lengthen or shorten the book, or choose a layout that sets it on more or fewer pages.")


@dataclass(frozen=True)
class Padded:
    model: PageModel
    added: int  # blank pages added at the end


def pad(model: PageModel, printer: Printer) -> Padded:
    """Blank pages at the end until the count is even (when the printer wants it) and, where the
    printer wants it, the last page is blank."""
    pages = list(model.pages)
    added = 0
    while (printer.even_pages and len(pages) % 2) or (printer.last_page_blank and not pages[-1].blank):
        pages.append(_blank_after(pages[-1]))
        added += 1
    return Padded(replace(model, pages=tuple(pages)) if added else model, added)


def _blank_after(page: Page) -> Page:
    label = str(page.value + 1) if page.numbering == "arabic" else roman(page.value + 1).lower()
    side = "verso" if page.side == "recto" else "recto"
    return Page(page.number + 1, side, "blank", label, page.numbering, ())
