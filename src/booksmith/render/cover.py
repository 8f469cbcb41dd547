"""render_cover(): the wrap cover (back, spine, front) on a ReportLab canvas, drawn with the fonts the
interior uses; its geometry comes from printers/cover.py.

Two versions are drawn from one CoverDrawing: the clean, print-ready sheet, and a proof with the
guides (trim, spine folds, each panel's safe area, the barcode zone) drawn and labelled in a spot
colour of their own, so that no guide can ever reach the print file by a colour setting."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import CMYKColorSep
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from booksmith.fonts import FontFace
from booksmith.pagemodel import TextLine
from booksmith.printers.cover import INCH, SPINE_TEXT_MARGIN, Box, CoverGeometry
from booksmith.render.cover_image import FrontImage
from booksmith.render.pdf import FontUse, _PageWriter
from booksmith.render.profiles import PRINT
from booksmith.typeset.backcover import SetBackText

GUIDES = CMYKColorSep(0.0, 0.85, 0.0, 0.0, spotName="booksmith-guides")
GUIDE_WEIGHT = 0.35  # points
LABEL_SIZE = 6.5
# a title over a front image is black where the image behind it is lighter than this, else white
DARK_BELOW = 0.55
SPINE_SIZE = (5.0, 14.0)  # the spine's text is set no smaller (it is left off) and no larger


@dataclass(frozen=True)
class CoverText:
    title: str
    subtitle: str
    author: str


@dataclass(frozen=True)
class CoverDrawing:
    """What goes on the cover. faces: the display face (title, spine) and the body italic (subtitle,
    author); front_text: whether title and author are drawn on the front when there is an image."""

    geometry: CoverGeometry
    text: CoverText
    faces: tuple[FontFace, FontFace]
    front_image: FrontImage | None = None
    front_text: bool = True
    back_text: SetBackText | None = None


def render_cover(drawing: CoverDrawing, path: Path, guides: bool = False) -> None:
    """The wrap cover: the front (its image, its title, subtitle and author), title and author down
    the spine where the printer allows spine text, the back's text above its barcode zone. Black is
    pure K; the TrimBox is the trimmed sheet and the BleedBox the whole one."""
    geometry, text = drawing.geometry, drawing.text
    title_font = FontUse(drawing.faces[0], None).font.fontName
    canvas = Canvas(str(path), pagesize=(geometry.width, geometry.height), invariant=True,
                    initialFontName=title_font, pageCompression=1)
    canvas.setTitle(f"{text.title} (cover{', guides' if guides else ''})")
    canvas.setAuthor(text.author)
    canvas.setCreator("booksmith")
    canvas.setTrimBox(geometry.trim_box)
    canvas.setBleedBox((0, 0, geometry.width, geometry.height))
    if drawing.front_image is not None:
        left, bottom, right, top = geometry.front_image_box
        canvas.drawImage(ImageReader(drawing.front_image.pixels), left, bottom, right - left, top - bottom)
    if drawing.front_image is None or drawing.front_text:
        _front_text(canvas, drawing)
    canvas.setFillColorCMYK(0, 0, 0, 1)
    if spine_text_size(drawing):
        _spine_text(canvas, drawing)
    if drawing.back_text is not None:
        _back_text(canvas, geometry, drawing.back_text)
    if guides:
        _guides(canvas, geometry, title_font)
    canvas.showPage()
    canvas.save()


def _front_text(canvas: Canvas, drawing: CoverDrawing) -> None:
    """Title (wrapped), subtitle and author, centred on the front panel: title a third of the way
    down, author near the foot."""
    geometry, text = drawing.geometry, drawing.text
    title_font, author_font = (FontUse(face, None).font.fontName for face in drawing.faces)
    left, bottom, right, top = geometry.front
    middle = (left + right) / 2
    measure = (right - left) * 0.8
    y = top - (top - bottom) * 0.3
    title_lines = _wrapped(text.title, title_font, 40.0, measure)
    _ink_for(canvas, drawing, y - sum(size * 1.2 for _, size in title_lines), y + 40.0)
    for line, size in title_lines:
        canvas.setFont(title_font, size)
        canvas.drawCentredString(middle, y, line)
        y -= size * 1.2
    if text.subtitle:
        size = _fitting(text.subtitle, author_font, 16.0, measure)
        canvas.setFont(author_font, size)
        canvas.drawCentredString(middle, y - size * 0.5, text.subtitle)
    if text.author:
        size = _fitting(text.author, author_font, 20.0, measure)
        baseline = bottom + (top - bottom) * 0.12
        _ink_for(canvas, drawing, baseline - size * 0.3, baseline + size)
        canvas.setFont(author_font, size)
        canvas.drawCentredString(middle, baseline, text.author)


def _ink_for(canvas: Canvas, drawing: CoverDrawing, bottom: float, top: float) -> None:
    """Black (pure K) for text on paper or on a light part of the image; white (no ink) on a dark one."""
    image = drawing.front_image
    height = drawing.geometry.height
    if image is not None and image.lightness(bottom / height, top / height) < DARK_BELOW:
        canvas.setFillColorCMYK(0, 0, 0, 0)
    else:
        canvas.setFillColorCMYK(0, 0, 0, 1)


def spine_words(text: CoverText) -> str:
    return " \u00b7 ".join(part for part in (text.title, text.author) if part)


def spine_text_size(drawing: CoverDrawing) -> float:
    """The size of the spine's title and author: as large as the spine's width less its margins
    allows, within SPINE_SIZE; 0 where the printer allows no spine text or the spine is too thin for
    the least size."""
    geometry = drawing.geometry
    if not geometry.spine_text:
        return 0.0
    font = FontUse(drawing.faces[0], None).font.fontName
    left, bottom, right, top = geometry.spine_box
    size = min(SPINE_SIZE[1], (right - left - 2 * SPINE_TEXT_MARGIN) * 0.75)
    size = min(size, _fitting(spine_words(drawing.text), font, size, (top - bottom) * 0.8))
    return size if size >= SPINE_SIZE[0] else 0.0


def _spine_text(canvas: Canvas, drawing: CoverDrawing) -> None:
    """Down the spine (read with the book lying face up), centred both ways: along the spine by its
    width, across it by the middle between the descenders and the capitals."""
    geometry, face = drawing.geometry, drawing.faces[0]
    font = FontUse(face, None).font.fontName
    left, bottom, right, top = geometry.spine_box
    size = spine_text_size(drawing)
    words = spine_words(drawing.text)
    canvas.saveState()
    canvas.translate((left + right) / 2, (bottom + top) / 2)
    canvas.rotate(-90)
    canvas.setFont(font, size)
    middle = (face.cap_height + face.descender) / 2 / face.upem
    canvas.drawCentredString(0, -size * middle, words)
    canvas.restoreState()


def _back_text(canvas: Canvas, geometry: CoverGeometry, text: SetBackText) -> None:
    """The set lines from the top of the back's text box, drawn as the interior draws its lines
    (shaped glyph runs), in pure K."""
    left, _, _, top = geometry.back_text_box
    writer = _PageWriter(canvas, PRINT)
    for depth, line in text.lines:
        writer.line(TextLine(left + line.indent, top - depth, line.pieces, "body"))


def _guides(canvas: Canvas, geometry: CoverGeometry, font: str) -> None:
    """Trim (solid), spine folds (solid), safe areas (dashed) and the barcode zone (crossed), each
    labelled, in the guides' spot colour."""
    canvas.saveState()
    canvas.setStrokeColor(GUIDES)
    canvas.setFillColor(GUIDES)
    canvas.setLineWidth(GUIDE_WEIGHT)
    canvas.setFont(font, LABEL_SIZE)
    _rectangle(canvas, geometry.trim_box)
    spine_left, _, spine_right, top = geometry.spine_box
    for x in (spine_left, spine_right):
        canvas.line(x, 0, x, geometry.height)
    gap = LABEL_SIZE * 0.4
    canvas.drawString(geometry.trim_box[0] + gap, geometry.trim_box[3] - LABEL_SIZE - gap, "trim")
    canvas.drawString(gap, gap, f"bleed {geometry.bleed / INCH:g} in")
    canvas.drawRightString(spine_left - gap, top - LABEL_SIZE * 2.5, "spine fold")
    canvas.drawString(spine_right + gap, top - LABEL_SIZE * 2.5, "spine fold")
    canvas.drawCentredString((spine_left + spine_right) / 2, geometry.trim_box[3] + gap,
                             f"spine {geometry.spine / INCH:.4f} in")
    canvas.setDash(2, 2)
    areas = (("back", geometry.safe_area(geometry.back)), ("front", geometry.safe_area(geometry.front)),
             ("spine", geometry.spine_safe_area))
    for name, area in areas:
        if area[2] <= area[0]:
            continue  # a spine too thin to have a safe area
        _rectangle(canvas, area)
        if name != "spine":
            canvas.drawString(area[0] + gap, area[3] - LABEL_SIZE - gap, f"{name}: safe area")
    canvas.setDash()
    zone = geometry.barcode_zone
    _rectangle(canvas, zone)
    canvas.line(zone[0], zone[1], zone[2], zone[3])
    canvas.line(zone[0], zone[3], zone[2], zone[1])
    canvas.drawCentredString((zone[0] + zone[2]) / 2, zone[3] + gap, "barcode zone: keep clear")
    canvas.restoreState()


def _rectangle(canvas: Canvas, box: Box) -> None:
    left, bottom, right, top = box
    canvas.rect(left, bottom, right - left, top - bottom, stroke=1, fill=0)


def _fitting(text: str, font: str, size: float, width: float) -> float:
    natural = pdfmetrics.stringWidth(text, font, size)
    return size if natural <= width else size * width / natural


def _wrapped(text: str, font: str, size: float, width: float) -> list[tuple[str, float]]:
    """The title in lines of at most `width` (greedy; a single word too long is set smaller)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and pdfmetrics.stringWidth(candidate, font, size) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return [(line, _fitting(line, font, size, width)) for line in lines]
