"""render_cover(): the wrap cover (back, spine, front) on a ReportLab canvas, drawn with the fonts the
interior uses; its geometry comes from printers/cover.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from booksmith.fonts import FontFace
from booksmith.printers.cover import SPINE_TEXT_MARGIN, CoverGeometry
from booksmith.render.pdf import FontUse


@dataclass(frozen=True)
class CoverText:
    title: str
    subtitle: str
    author: str


def render_cover(geometry: CoverGeometry, text: CoverText, faces: tuple[FontFace, FontFace],
                 path: Path) -> None:
    """A typographic wrap cover: title, subtitle and author on the front, title and author down the
    spine where the printer allows spine text, the back left clear (its barcode zone above all). Black
    is pure K; the TrimBox is the trimmed sheet and the BleedBox the whole one."""
    title_font, author_font = (FontUse(face, None).font.fontName for face in faces)
    canvas = Canvas(str(path), pagesize=(geometry.width, geometry.height), invariant=True,
                    initialFontName=title_font, pageCompression=1)
    canvas.setTitle(f"{text.title} (cover)")
    canvas.setAuthor(text.author)
    canvas.setCreator("booksmith")
    canvas.setTrimBox(geometry.trim_box)
    canvas.setBleedBox((0, 0, geometry.width, geometry.height))
    canvas.setFillColorCMYK(0, 0, 0, 1)
    left, bottom, right, top = geometry.front
    middle = (left + right) / 2
    measure = (right - left) * 0.8
    y = top - (top - bottom) * 0.3
    for line in _wrapped(text.title, title_font, 40.0, measure):
        canvas.setFont(title_font, line[1])
        canvas.drawCentredString(middle, y, line[0])
        y -= line[1] * 1.2
    if text.subtitle:
        size = _fitting(text.subtitle, author_font, 16.0, measure)
        canvas.setFont(author_font, size)
        canvas.drawCentredString(middle, y - size * 0.5, text.subtitle)
    if text.author:
        size = _fitting(text.author, author_font, 20.0, measure)
        canvas.setFont(author_font, size)
        canvas.drawCentredString(middle, bottom + (top - bottom) * 0.12, text.author)
    if geometry.spine_text:
        _spine_text(canvas, geometry, " \u00b7 ".join(part for part in (text.title, text.author) if part),
                    faces[0])
    canvas.showPage()
    canvas.save()


def _spine_text(canvas: Canvas, geometry: CoverGeometry, words: str, face: FontFace) -> None:
    """Down the spine (read with the book lying face up), centred both ways: along the spine by its
    width, across it by the middle between the descenders and the capitals."""
    font = FontUse(face, None).font.fontName
    left, bottom, right, top = geometry.spine_box
    size = min(14.0, (right - left - 2 * SPINE_TEXT_MARGIN) * 0.75)
    size = min(size, _fitting(words, font, size, (top - bottom) * 0.8))
    if size < 5.0:
        return
    canvas.saveState()
    canvas.translate((left + right) / 2, (bottom + top) / 2)
    canvas.rotate(-90)
    canvas.setFont(font, size)
    middle = (face.cap_height + face.descender) / 2 / face.upem
    canvas.drawCentredString(0, -size * middle, words)
    canvas.restoreState()


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
