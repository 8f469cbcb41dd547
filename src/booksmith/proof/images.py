"""Page images: each spread rendered by PDFium (no system renderer) with the trim and the text block
faintly marked, and small page images for the contact sheet. render_spreads() runs in worker
processes, each opening the PDF itself, and writes its PNG files directly; what it returns is small.

Pages with no colour on them are rendered and stored in grey, which is several times quicker to
encode; the marks are then grey too.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from .model import Box, Spread

THUMB_HEIGHT = 120  # pixels: a page on the contact sheet
SHEET_COLUMNS = 8  # spreads per row of the contact sheet
EMPTY = (236, 236, 236)  # where a spread has no page (before the first, after the last)
TRIM_MARK = (150, 150, 150)
BLOCK_MARK = (120, 190, 230)
GUTTER_MARK = (110, 110, 110)


@dataclass(frozen=True)
class PageMarks:
    crop: Box  # what is rendered
    trim: Box
    block: Box | None  # the text block, when the pages show one
    colour: bool  # render in colour (else grey)


@dataclass(frozen=True)
class PlacedPage:
    """Where a page sits in its spread image, in pixels, and the box of the page it shows."""

    page: int
    x: int
    width: int
    height: int
    crop: Box


@dataclass(frozen=True)
class RenderedSpread:
    spread: int
    file: str  # relative to the proof folder
    width: int
    height: int
    pages: tuple[PlacedPage, ...]
    thumbs: tuple[tuple[int, str, tuple[int, int], bytes], ...]  # (page, mode, size, pixels)


def render_spreads(
    path: Path, spreads: list[Spread], marks: dict[int, PageMarks], dpi: float, folder: Path
) -> list[RenderedSpread]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [_render_spread(document, spread, marks, dpi / 72.0, folder) for spread in spreads]
    finally:
        document.close()


def _render_page(document: pdfium.PdfDocument, index: int, mark: PageMarks, scale: float) -> Image.Image:
    page = document[index]
    try:
        bitmap = page.render(scale=scale, grayscale=not mark.colour)
        image = bitmap.to_pil()
        image.load()
        bitmap.close()
    finally:
        page.close()
    return image


def _render_spread(
    document: pdfium.PdfDocument, spread: Spread, marks: dict[int, PageMarks], scale: float, folder: Path
) -> RenderedSpread:
    images = {index: _render_page(document, index, marks[index], scale) for index in spread.pages}
    colour = any(image.mode != "L" for image in images.values())
    mode = "RGB" if colour else "L"
    some = next(iter(images.values()))
    width = sum(images[i].width if i is not None else some.width for i in (spread.left, spread.right))
    height = max(image.height for image in images.values())
    sheet = Image.new(mode, (width, height), EMPTY if colour else EMPTY[0])
    draw = ImageDraw.Draw(sheet)
    placed = []
    x = 0
    for index in (spread.left, spread.right):
        if index is None:
            x += some.width
            continue
        image = images[index].convert(mode) if images[index].mode != mode else images[index]
        sheet.paste(image, (x, 0))
        mark = marks[index]
        placed.append(PlacedPage(index, x, image.width, image.height, mark.crop))
        _draw_marks(draw, mark, x, image.width, image.height, colour)
        x += image.width
    if spread.left is not None and spread.right is not None:
        middle = images[spread.left].width
        draw.line([(middle, 0), (middle, height)], fill=GUTTER_MARK if colour else GUTTER_MARK[0])
    name = f"spreads/{spread.name}.png"
    write_png(sheet, folder / name)
    thumbs = []
    for item in placed:
        page_image = sheet.crop((item.x, 0, item.x + item.width, item.height))
        page_image.thumbnail((THUMB_HEIGHT * 4, THUMB_HEIGHT), Image.Resampling.BILINEAR, reducing_gap=2.0)
        thumbs.append((item.page, page_image.mode, page_image.size, page_image.tobytes()))
    return RenderedSpread(spread.number, name, width, height, tuple(placed), tuple(thumbs))


def write_png(image: Image.Image, target: Path) -> None:
    """A PNG with no row filtering and fast deflate: half the time Pillow's encoder takes for page
    images (its adaptive filtering is most of its cost), at the same size for type on white."""
    width, height = image.size
    colour_type, channels = {"L": (0, 1), "RGB": (2, 3)}[image.mode]
    raw = image.tobytes()
    stride = width * channels
    rows = b"".join(b"\x00" + raw[row * stride : (row + 1) * stride] for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    target.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 1))
        + chunk(b"IEND", b"")
    )


def to_pixels(box: Box, crop: Box, x: int, width: int, height: int) -> tuple[float, float, float, float]:
    """A box in PDF points as (left, top, right, bottom) pixels in a spread image."""
    sx = width / max(crop[2] - crop[0], 1e-6)
    sy = height / max(crop[3] - crop[1], 1e-6)
    return (
        x + (box[0] - crop[0]) * sx,
        (crop[3] - box[3]) * sy,
        x + (box[2] - crop[0]) * sx,
        (crop[3] - box[1]) * sy,
    )


def _draw_marks(
    draw: ImageDraw.ImageDraw, mark: PageMarks, x: int, width: int, height: int, colour: bool
) -> None:
    def shade(rgb: tuple[int, int, int]) -> tuple[int, int, int] | int:
        return rgb if colour else round(0.3 * rgb[0] + 0.59 * rgb[1] + 0.11 * rgb[2])

    left, top, right, bottom = to_pixels(mark.trim, mark.crop, x, width, height)
    draw.rectangle([round(left), round(top), round(right) - 1, round(bottom) - 1], outline=shade(TRIM_MARK))
    if mark.block is not None:
        left, top, right, bottom = (round(v) for v in to_pixels(mark.block, mark.crop, x, width, height))
        draw.rectangle([left, top, right, bottom], outline=shade(BLOCK_MARK))


@dataclass(frozen=True)
class SheetCell:
    """Where a spread sits on the contact sheet, in pixels."""

    spread: int
    box: tuple[int, int, int, int]  # left, top, right, bottom


def contact_sheet(
    rendered: list[RenderedSpread], labels: list[str], target: Path
) -> tuple[tuple[int, int], list[SheetCell]]:
    """Every spread small, in rows, each labelled with its page numbers; returns the sheet's size and
    where each spread is on it."""
    thumbs = {page: (mode, size, data) for spread in rendered for page, mode, size, data in spread.thumbs}
    if not thumbs:
        Image.new("L", (1, 1), 255).save(target, "PNG")
        return (1, 1), []
    page_width = max(size[0] for _, size, _ in thumbs.values())
    colour = any(mode != "L" for mode, _, _ in thumbs.values())
    mode = "RGB" if colour else "L"
    gap, label_height = 16, 16
    cell_width = 2 * page_width
    columns = min(SHEET_COLUMNS, len(rendered))
    rows = (len(rendered) + columns - 1) // columns
    size = (gap + columns * (cell_width + gap), gap + rows * (THUMB_HEIGHT + label_height + gap))
    white = (255, 255, 255) if colour else 255
    sheet = Image.new(mode, size, white)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    cells = []
    for position, spread in enumerate(sorted(rendered, key=lambda r: r.spread)):
        column, row = position % columns, position // columns
        left = gap + column * (cell_width + gap)
        top = gap + row * (THUMB_HEIGHT + label_height + gap)
        names = []
        for side, index in enumerate(_sides(spread)):
            if index is None or index not in thumbs:
                continue
            thumb_mode, thumb_size, data = thumbs[index]
            image = Image.frombytes(thumb_mode, thumb_size, data)
            if image.mode != mode:
                image = image.convert(mode)
            x = left + page_width - image.width if side == 0 else left + page_width
            sheet.paste(image, (x, top))
            names.append(labels[index] if index < len(labels) else str(index + 1))
        label = "-".join(names)  # the bitmap font has no en dash
        text_width = draw.textlength(label, font=font)
        draw.text(
            (left + page_width - text_width / 2, top + THUMB_HEIGHT + 2),
            label,
            fill=(90, 90, 90) if colour else 90,
            font=font,
        )
        cells.append(SheetCell(spread.spread, (left, top, left + cell_width, top + THUMB_HEIGHT)))
    write_png(sheet, target)
    return size, cells


def _sides(spread: RenderedSpread) -> tuple[int | None, int | None]:
    """The spread's (left, right) page indexes, from where its pages were placed."""
    if len(spread.pages) == 2:
        return (spread.pages[0].page, spread.pages[1].page)
    only = spread.pages[0] if spread.pages else None
    if only is None:
        return (None, None)
    return (None, only.page) if only.x > 0 else (only.page, None)
