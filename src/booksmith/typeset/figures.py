"""Figures: an image read with Pillow (its size only; the renderer embeds it), fitted to the measure
and at most 60% of the text block's height, with its caption. Its resolution as printed is checked
after pagination, where its page is known (pipeline._report_images)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from booksmith.doctree import Figure
from booksmith.errors import BooksmithError, Location
from booksmith.typeset.lines import FigureItem
from booksmith.typeset.paragraph import TypesetContext

MAX_HEIGHT_SHARE = 0.6  # of the text block's height


@dataclass(frozen=True)
class PlacedFigure:
    item: FigureItem
    rows: int  # whole body lines the image takes


def place_figure(figure: Figure, context: TypesetContext) -> PlacedFigure:
    path = image_path(figure.source, context.source, figure.line)
    width_px, height_px = _pixel_size(path, figure.line, context)
    preset = context.preset
    text_height = preset.trim.height - preset.margins.top - preset.margins.bottom
    width = preset.measure
    height = width * height_px / width_px
    if height > text_height * MAX_HEIGHT_SHARE:
        height = text_height * MAX_HEIGHT_SHARE
        width = height * width_px / height_px
    rows = math.ceil((height + preset.body.size * 0.3) / preset.body.leading)
    return PlacedFigure(FigureItem(path, (preset.measure - width) / 2, width, height), rows)


def place_plate(figure: Figure, context: TypesetContext) -> FigureItem:
    """A full-page figure covers the whole trimmed page (the renderer scales the picture to cover it,
    cropping what overhangs, and carries it into the bleed). A plate has no room for a caption: one
    given is not printed, and the writer is told."""
    path = image_path(figure.source, context.source, figure.line)
    _pixel_size(path, figure.line, context)  # a file that cannot be read is refused here, by its line
    if figure.caption:
        context.diagnostics.warn(
            f"the caption of the full-page image '{figure.source}' is not printed: the picture fills "
            "the page",
            Location(context.source, figure.line),
            "Put the caption in the text beside it, or drop {.full-page} to set the image in the text block.")
    trim = context.preset.trim
    return FigureItem(path, 0.0, trim.width, trim.height)


def image_path(source: str, manuscript: Path, line: int) -> Path:
    """An image is read only from the manuscript's folder or below it, and never from the network."""
    where = Location(manuscript, line)
    if "://" in source or source.startswith("//"):
        raise BooksmithError(f"the image '{source}' is a web address; booksmith never fetches anything "
                             "during a build", where, "Download the image next to the manuscript and name "
                             "the file instead.")
    folder = manuscript.resolve().parent
    path = (folder / source).resolve()
    if not path.is_relative_to(folder):
        raise BooksmithError(f"the image '{source}' lies outside the manuscript's folder", where,
                             "Copy the image into the manuscript's folder (or below it) and name it there.")
    if not path.is_file():
        raise BooksmithError(f"the image '{source}' does not exist", where,
                             f"Check the file name; it is looked for in {folder}.")
    return path


def _pixel_size(path: Path, line: int, context: TypesetContext) -> tuple[int, int]:
    # Pillow (0.01 s to import) only for a book with figures
    from PIL import Image, UnidentifiedImageError

    where = Location(context.source, line)
    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            return image.size
    except Image.DecompressionBombError:
        raise BooksmithError(f"the image '{path.name}' has too many pixels to open safely (a decompression "
                             "bomb?)", where, "Use an image of reasonable size.") from None
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise BooksmithError(f"the image '{path.name}' cannot be read ({error})", where,
                             "Save it again as PNG or JPEG.") from None
