"""render_pdf(): the page model onto a ReportLab canvas (the only module that imports reportlab).

ReportLab is used as a canvas only. Glyph runs are written as TJ arrays: HarfBuzz's advances
(kerning) and the justified word spaces become TJ adjustments, so each line is one text object.
Glyphs with no character of their own (ligatures, small caps) get private-use codes in the font
subset, and the ToUnicode map says what text they stand for ("ffi", not U+E000), so the PDF's text
layer reads as the manuscript does.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from booksmith.fonts import FontFace, ShapedRun
from booksmith.pagemodel import Page, PageModel, PlacedPiece, TextLine
from booksmith.render.profiles import Profile

# private-use code points ReportLab encodes for glyphs with no character, and the text they stand for
_PRIVATE_TEXT: dict[int, str] = {}
_PRIVATE_RANGES = (range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))


def _private_codes():
    for block in _PRIVATE_RANGES:
        yield from block


_next_private = _private_codes()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with private-use codes replaced by the text their glyph shows."""
    entries = []
    for code, value in enumerate(subset):
        text = _PRIVATE_TEXT.get(value, chr(value))
        if text:
            entries.append("<{:02X}> <{}>".format(code, text.encode("utf-16-be").hex().upper()))
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo << /Registry ({fontname}) /Ordering ({fontname}) /Supplement 0 >> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", "<00> <%02X>" % (len(subset) - 1), "endcodespacerange",
        f"{len(entries)} beginbfchar", *entries, "endbfchar",
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


ttfonts.makeToUnicodeCMap = _to_unicode_cmap
# Page streams are compressed with Flate alone: ReportLab's ASCII85 wrapping adds a fifth to their
# size and, without its C accelerator, a second of pure-Python encoding to a novel's build.
rl_config.useA85 = 0

_registered: dict[str, ttfonts.TTFont] = {}


class FontUse:
    """A face as ReportLab knows it, and how to encode its glyphs for one document."""

    def __init__(self, face: FontFace, document: object) -> None:
        self.face = face
        self.font = _registered.get(face.key)
        if self.font is None:
            self.font = _registered[face.key] = ttfonts.TTFont(face.key, str(face.path))
            pdfmetrics.registerFont(self.font)
        self.document = document
        self.scale = 1000.0 / face.upem
        self.char_for: dict[tuple[int, str], str] = {}
        self.drawn: dict[ShapedRun, list[tuple[int, str]]] = {}

    def glyph_char(self, gid: int, text: str) -> str:
        key = (gid, text)
        found = self.char_for.get(key)
        if found is None:
            found = self.char_for[key] = self._char_for(gid, text)
        return found

    def _char_for(self, gid: int, text: str) -> str:
        rl_face = self.font.face
        if len(text) == 1 and rl_face.charToGlyph.get(ord(text)) == gid:
            return text
        code = next(_next_private)
        _PRIVATE_TEXT[code] = text
        rl_face.charToGlyph[code] = gid
        rl_face.charWidths[code] = self.face.glyph_advance(gid) * self.scale
        return chr(code)

    def drawn_run(self, run: ShapedRun) -> list[tuple[int, str]]:
        """A run's TJ material per font subset: escaped glyph codes with kerning adjustments, made
        once per run (runs are shared by every occurrence of a word)."""
        found = self.drawn.get(run)
        if found is None:
            found = self.drawn[run] = self._draw(run)
        return found

    def _draw(self, run: ShapedRun) -> list[tuple[int, str]]:
        chars = "".join(self.glyph_char(gid, text) for gid, text in zip(run.gids, run.texts))
        widths = self.font.face.charWidths
        default = self.font.face.defaultWidth
        parts: list[tuple[int, str]] = []
        position = 0
        for subset, data in self.font.splitString(chars, self.document):
            pieces = []
            for offset, byte in enumerate(data):
                char = chars[position + offset]
                pieces.append("(" + escapePDF(bytes((byte,))) + ")")
                expected = run.advances[position + offset] * self.scale
                difference = expected - widths.get(ord(char), default)
                if abs(difference) > 0.05:
                    pieces.append(_number(-difference))
            position += len(data)
            parts.append((subset, "".join(pieces).replace(")(", "")))
        return parts


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return " " + (text if text not in ("-0", "") else "0") + " "


class _PageWriter:
    def __init__(self, canvas: Canvas, profile: Profile) -> None:
        self.canvas = canvas
        self.profile = profile
        self.fonts: dict[str, FontUse] = {}

    def font_use(self, face: FontFace) -> FontUse:
        use = self.fonts.get(face.key)
        if use is None:
            use = self.fonts[face.key] = FontUse(face, self.canvas._doc)
        return use

    def line(self, line: TextLine) -> None:
        """One text object per line, or one per run of pieces on the same baseline (a drop cap sits
        lower), in the line's order, so that text extraction meets them as they are read."""
        group: list[PlacedPiece] = []
        for placed in line.pieces:
            if group and placed.y != group[0].y:
                self._group(line, group)
                group = []
            group.append(placed)
        if group:
            self._group(line, group)

    def _group(self, line: TextLine, group: list[PlacedPiece]) -> None:
        origin = group[0].x
        self._text_object(line.x + origin, line.y + group[0].y,
                          [replace(placed, x=placed.x - origin, y=0.0) for placed in group])

    def _text_object(self, x: float, y: float, pieces: list[PlacedPiece]) -> None:
        code = ["BT", f"1 0 0 1 {_fmt(x)} {_fmt(y)} Tm"]
        current: tuple[str, int, float] | None = None
        pen = 0.0
        rise = 0.0
        array: list[str] = []
        for placed in pieces:
            piece = placed.piece
            run = piece.run
            if run is None:
                continue
            use = self.font_use(run.face)
            gap = placed.x - pen
            if piece.rise != rise:
                if array:
                    code.append("[" + "".join(array) + "] TJ")
                    array = []
                rise = piece.rise
                code.append(f"{_fmt(rise)} Ts")
            for subset, material in use.drawn_run(run):
                key = (run.face.key, subset, piece.size)
                if key != current:
                    if array:
                        code.append("[" + "".join(array) + "] TJ")
                        array = []
                    name = use.font.getSubsetInternalName(subset, self.canvas._doc)
                    code.append(f"{name} {_fmt(piece.size)} Tf")
                    current = key
                if abs(gap) > 0.001:
                    array.append(_number(-gap * 1000.0 / piece.size))
                    gap = 0.0
                array.append(material)
            pen = placed.x + run.width_at(piece.size)
        if array:
            code.append("[" + "".join(array) + "] TJ")
        if rise:
            code.append("0 Ts")  # the text rise outlives the text object
        code.append("ET")
        self.canvas._code.append("\n".join(code))

    def page(self, page: Page, model: PageModel) -> None:
        canvas = self.canvas
        bleed = self.profile.bleed
        if bleed is not None:
            left, bottom = bleed.left(page.side), bleed.bottom
            width = left + model.width + bleed.right(page.side)
            canvas.setPageSize((width, bottom + model.height + bleed.top))
            canvas.setTrimBox((left, bottom, left + model.width, bottom + model.height))
            canvas.setBleedBox((0, 0, *canvas._pagesize))
            # everything moves with the trim, so the text keeps its place on the trimmed page
            canvas._code.append(f"1 0 0 1 {_fmt(left)} {_fmt(bottom)} cm")
        elif self.profile.trim_box:
            canvas.setTrimBox((0, 0, model.width, model.height))
        canvas._code.append(self._black("fill"))
        if self.profile.links:
            _add_text_links(canvas, page)
        for line in page.lines:
            self.line(line)
        for rule in page.rules:
            canvas._code.append(f"{self._black('stroke')} {_fmt(rule.weight)} w "
                                f"{_fmt(rule.x0)} {_fmt(rule.y)} m {_fmt(rule.x1)} {_fmt(rule.y)} l S")
        for image in page.images:
            canvas.drawImage(str(image.path), image.x, image.y, image.width, image.height)
        canvas.showPage()


    def _black(self, use: str) -> str:
        """Black as the profile wants it: pure K, gray, or RGB (the screen)."""
        if self.profile.gray:
            code = "0 g"
        elif self.profile.cmyk:
            code = "0 0 0 1 k"
        else:
            code = "0 0 0 rg"
        return code if use == "fill" else code[:-1] + code[-1].upper()


def _fmt(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def render_pdf(model: PageModel, profile: Profile, path: Path) -> int:
    """Write the PDF to path; returns the number of pages written."""
    pages = [page for page in model.pages if profile.blank_pages or not page.blank]
    first_face = _first_face(model)
    if first_face is None:
        raise ValueError("a book with no text cannot be rendered")
    writer_font = FontUse(first_face, None).font  # registers the face for the canvas' initial font
    canvas = Canvas(
        str(path),
        pagesize=(model.width, model.height),
        invariant=True,
        initialFontName=writer_font.fontName,
        lang=model.language,
        pageCompression=1,
    )
    canvas.setTitle(model.title)
    canvas.setAuthor(model.author)
    canvas.setCreator("booksmith")
    canvas.setProducer("booksmith (ReportLab)")
    writer = _PageWriter(canvas, profile)
    _add_page_labels(canvas, pages)
    for page in pages:
        if profile.outline:
            _add_bookmarks(canvas, model, page)
        if profile.links:
            _add_links(canvas, page)
        writer.page(page, model)
    if profile.outline:
        canvas.showOutline()
    canvas.save()
    return len(pages)


def _first_face(model: PageModel) -> FontFace | None:
    for page in model.pages:
        for line in page.lines:
            for placed in line.pieces:
                if placed.piece.run is not None:
                    return placed.piece.run.face
    return None


def _add_bookmarks(canvas: Canvas, model: PageModel, page: Page) -> None:
    for entry in model.outline:
        if entry.page_number == page.number:
            canvas.bookmarkPage(entry.key)
            canvas.addOutlineEntry(entry.title, entry.key, level=entry.level)


# a manuscript may be a stranger's: its links open web pages and mail, never scripts or files
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")


def _add_text_links(canvas: Canvas, page: Page) -> None:
    """A link over each run of linked text."""
    for line in page.lines:
        for placed in line.pieces:
            piece = placed.piece
            if piece.link and piece.run is not None and piece.link.lower().startswith(SAFE_LINK_SCHEMES):
                x = line.x + placed.x
                width = piece.run.width_at(piece.size)
                rect = (x, line.y - piece.size * 0.25, x + width, line.y + piece.size * 0.8)
                canvas.linkURL(piece.link, rect, relative=0, thickness=0)


def _add_links(canvas: Canvas, page: Page) -> None:
    """Live links, screen only: a '#name' target is a page of the book, anything else a URL."""
    for link in page.links:
        if link.target.startswith("#"):
            canvas.linkRect("", link.target[1:], link.rect, relative=0, thickness=0)
        else:
            canvas.linkURL(link.target, link.rect, relative=0, thickness=0)


def _add_page_labels(canvas: Canvas, pages: list[Page]) -> None:
    """A label range wherever the numbering style changes or skips (dropped blank pages)."""
    expected: tuple[str, int] | None = None
    for index, page in enumerate(pages):
        value = page.value
        if expected != (page.numbering, value):
            style = "ROMAN_LOWER" if page.numbering == "roman" else "ARABIC"
            canvas.addPageLabel(index, style, value)
        expected = (page.numbering, value + 1)
