"""render_pdf(): the page model onto a ReportLab canvas (the only module that imports reportlab).

ReportLab is used as a canvas only. Glyph runs are written as TJ arrays: HarfBuzz's advances
(kerning) and the justified word spaces become TJ adjustments, so each line is one text object.
Glyphs with no character of their own (ligatures, small caps) get private-use codes in the font
subset, and the ToUnicode map says what text they stand for ("ffi", not U+E000), so the PDF's text
layer reads as the manuscript does.

Every glyph of the book's text is given its code in its font's subsets before the first page, in a
fixed order (BookGlyphs), not where a page first uses it as ReportLab would: a line is then drawn
the same way in any process and any build of a book whose text has the same glyphs, so its drawing
(LineDrawing) can be made in another process (draw_lines) or kept by the build cache.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from booksmith.fonts import FontFace, Glyphs, ShapedRun, run_glyphs
from booksmith.pagemodel import Image, Page, PageModel, PlacedPiece, TextLine
from booksmith.render.images import covering, drawn_box, pixel_size, print_pixels
from booksmith.render.profiles import PRINT, Profile
from booksmith.typeset.items import Piece
from booksmith.typeset.lines import SetLine

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
                pieces.append(_ESCAPED_CODES[byte])
                expected = run.advances[position + offset] * self.scale
                difference = expected - widths.get(ord(char), default)
                if abs(difference) > 0.05:
                    pieces.append(_number(-difference))
            position += len(data)
            parts.append((subset, "".join(pieces).replace(")(", "")))
        return parts


# each glyph code as a PDF string, escaped as ReportLab escapes it (its C accelerator is not always
# there, and a code at a time through its Python version was a tenth of drawing a novel's lines)
_ESCAPED_CODES = tuple("(" + escapePDF(bytes((code,))) + ")" for code in range(256))


def _text_object_body(code: list[str], array: list[str], rise: float) -> str:
    if array:
        code.append("[" + "".join(array) + "] TJ")
    if rise:
        code.append("0 Ts")  # the text rise outlives the text object
    code.append("ET")
    return "\n".join(code)


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return " " + (text if text not in ("-0", "") else "0") + " "


# lines whose glyphs follow from the pages themselves (folios, running heads, the contents' page
# numbers) or stand apart from the text (the front matter): an edit that moves a page break changes them
PAGE_FURNITURE = frozenset({"head", "folio", "contents", "front"})


@dataclass(frozen=True)
class BookGlyphs:
    """The glyphs whose codes are given before any page is drawn, per face, in that order, so that a
    glyph's code never depends on where it is first met: the text's glyphs first, sorted, then the
    page furniture's others. A line of text is then drawn the same way in every build of a book
    whose text has the same glyphs, however its pages fall, and its drawing can be kept. (A glyph
    of neither, such as a footnote's own, is given its code where it is first drawn.)"""

    faces: tuple[tuple[FontFace, tuple[tuple[int, str], ...]], ...]
    fingerprint: str  # names the text's glyphs, and so the codes a line of text is drawn with


def book_glyphs(model: PageModel, text: Glyphs | None = None) -> BookGlyphs:
    """The book's glyphs: `text` where the caller knows the text's (every glyph its chapters may
    draw), else those of the pages' text; and the page furniture's."""
    lines = [line for page in model.pages for line in page.lines]
    if text is None:
        text = line_glyphs(line for line in lines if line.role not in PAGE_FURNITURE)
    furniture = line_glyphs(line for line in lines if line.role in PAGE_FURNITURE)
    by_key = {face.key: face for face in [*text, *furniture]}
    text_keys = sorted({face.key for face in text})
    faces = []
    for key in [*text_keys, *sorted(set(by_key) - set(text_keys))]:
        face = by_key[key]
        first = text.get(face, set())
        faces.append((face, (*sorted(first), *sorted(furniture.get(face, set()) - first))))
    digest = hashlib.blake2b(digest_size=16)
    for key in text_keys:
        digest.update(repr((key, sorted(text[by_key[key]]))).encode("utf-8", "surrogatepass"))
    return BookGlyphs(tuple(faces), digest.hexdigest())


def line_glyphs(lines: Iterable[TextLine]) -> Glyphs:
    """The glyphs of these lines' pieces, per face."""
    return run_glyphs(run for line in lines for placed in line.pieces
                      if (run := placed.piece.run) is not None)


# a piece as drawn: the piece itself (kept so that its identity is not reused), its rise and size,
# its parts per font subset (the font operator, the same object for the same font, subset and size;
# the TJ material), its advance, and the address of its link where it is drawn as one
Drawing = tuple[Piece, float, float, tuple[tuple[str, str], ...], float, str | None]
# a line as drawn: per run of pieces on one baseline, where it starts (x and y from the line's own
# start) and its text object's operators after the position (font, TJ arrays, "ET"); and its linked
# pieces' places (x from the line's start, width, size) and addresses
LineDrawing = tuple[tuple[tuple[float, float, str], ...], tuple[tuple[float, float, float, str], ...]]


class _PageWriter:
    def __init__(self, canvas: Canvas, profile: Profile, lines: dict[int, LineDrawing] | None = None) -> None:
        self.canvas = canvas
        self.profile = profile
        self.lines = {} if lines is None else lines
        self.fonts: dict[str, FontUse] = {}
        self.images: dict[Path, ImageReader] = {}  # converted once per file, however often it is drawn
        self.drawings: dict[int, Drawing] = {}
        # the TJ adjustments written so far: a justified line's word spaces mostly share one
        self.numbers: dict[float, str] = {}
        self.fonts_set: dict[tuple[str, int, float], str] = {}  # font operators, one per font, subset, size

    def font_use(self, face: FontFace) -> FontUse:
        use = self.fonts.get(face.key)
        if use is None:
            use = self.fonts[face.key] = FontUse(face, self.canvas._doc)
        return use

    def encode(self, glyphs: BookGlyphs) -> None:
        """Give every glyph of the book its code, and every font subset its name, face by face in
        the glyphs' order."""
        document = self.canvas._doc
        for face, pairs in glyphs.faces:
            use = self.font_use(face)
            use.font.splitString("".join(use.glyph_char(gid, text) for gid, text in pairs), document)
            for subset in range(len(use.font.state[document].subsets)):
                use.font.getSubsetInternalName(subset, document)

    def drawing(self, line: TextLine) -> LineDrawing:
        """A line as drawn: made once per build whatever its place, or taken from `lines`."""
        drawn = self.lines.get(id(line.pieces))
        if drawn is None:
            drawn = self.lines[id(line.pieces)] = self._line_drawing(line.pieces)
        return drawn

    def line(self, line: TextLine, drawing: LineDrawing | None = None) -> None:
        """One text object per line, or one per run of pieces on the same baseline (a drop cap sits
        lower), in the line's order, so that text extraction meets them as they are read."""
        if drawing is None:
            drawing = self.drawing(line)
        code = self.canvas._code
        for dx, dy, body in drawing[0]:
            code.append(f"BT\n1 0 0 1 {_fmt(line.x + dx)} {_fmt(line.y + dy)} Tm\n{body}")

    def _line_drawing(self, pieces: Sequence[PlacedPiece]) -> LineDrawing:
        """One pass over the line's pieces (the renderer's most frequent work): a text object for
        each run of pieces on one baseline, and the places of linked pieces."""
        groups: list[tuple[float, float, str]] = []
        links: list[tuple[float, float, float, str]] = []
        drawings, numbers = self.drawings, self.numbers
        code: list[str] = []
        array: list[str] = []
        current: str | None = None  # the font operator in force (made once per font, size and subset)
        rise = pen = start = 0.0
        baseline: float | None = None
        for placed in pieces:
            x = placed.x
            if placed.y != baseline:
                if baseline is not None:
                    groups.append((start, baseline, _text_object_body(code, array, rise)))
                code, array, current, rise = [], [], None, 0.0
                pen = start = x
                baseline = placed.y
            found = drawings.get(id(placed.piece))
            if found is None:
                found = drawings[id(placed.piece)] = self._drawing(placed.piece)
            _, piece_rise, size, parts, advance, link = found
            if not parts:  # nothing to draw (no shaped run)
                continue
            gap = x - pen
            if piece_rise != rise:
                if array:
                    code.append("[" + "".join(array) + "] TJ")
                    array = []
                rise = piece_rise
                code.append(f"{_fmt(rise)} Ts")
            for font, material in parts:
                if font is not current:
                    if array:
                        code.append("[" + "".join(array) + "] TJ")
                        array = []
                    code.append(font)
                    current = font
                if gap > 0.001 or gap < -0.001:
                    adjustment = -gap * 1000.0 / size
                    number = numbers.get(adjustment)
                    if number is None:
                        number = numbers[adjustment] = _number(adjustment)
                    array.append(number)
                    gap = 0.0
                array.append(material)
            pen = x + advance
            if link is not None:
                links.append((x, advance, size, link))
        if baseline is not None:
            groups.append((start, baseline, _text_object_body(code, array, rise)))
        return tuple(groups), tuple(links)

    def _drawing(self, piece: Piece) -> Drawing:
        """A piece as it is drawn, made at its first occurrence (pieces are shared by every
        occurrence of a word): its rise and size, per font subset the font operator and the TJ
        material, its advance, and its link if it is drawn as one. Kept with the piece, by its
        identity, so that the identity is not reused."""
        run = piece.run
        if run is None:
            return piece, piece.rise, piece.size, (), 0.0, None
        use = self.font_use(run.face)
        parts = []
        for subset, material in use.drawn_run(run):
            key = (run.face.key, subset, piece.size)
            font = self.fonts_set.get(key)
            if font is None:
                name = use.font.getSubsetInternalName(subset, self.canvas._doc)
                font = self.fonts_set[key] = f"{name} {_fmt(piece.size)} Tf"
            parts.append((font, material))
        link = piece.link if piece.link and piece.link.lower().startswith(SAFE_LINK_SCHEMES) else None
        return piece, piece.rise, piece.size, tuple(parts), run.width_at(piece.size), link

    def page(self, page: Page, model: PageModel) -> None:
        canvas = self.canvas
        sheet = page_sheet(page, model, self.profile)
        canvas.setPageSize(sheet.size)
        if self.profile.trim_box:
            canvas.setTrimBox(sheet.trim)
        if sheet.bleed is not None:
            canvas.setBleedBox(sheet.bleed)
        if self.profile.marks:
            self._marks(sheet)
        if sheet.trim[:2] != (0.0, 0.0):
            # everything moves with the trim, so the text keeps its place on the trimmed page
            canvas._code.append(f"1 0 0 1 {_fmt(sheet.trim[0])} {_fmt(sheet.trim[1])} cm")
        canvas._code.append(self._black("fill"))
        drawings = [self.drawing(line) for line in page.lines]
        if self.profile.links:
            _add_text_links(canvas, page, drawings)
        for line, drawing in zip(page.lines, drawings):
            self.line(line, drawing)
        for rule in page.rules:
            canvas._code.append(f"{self._black('stroke')} {_fmt(rule.weight)} w "
                                f"{_fmt(rule.x0)} {_fmt(rule.y)} m {_fmt(rule.x1)} {_fmt(rule.y)} l S")
        for image in page.images:
            self.image(image, page, model)
        canvas.showPage()

    def image(self, image: Image, page: Page, model: PageModel) -> None:
        """An image in the profile's colour space, grown into the bleed where it reaches the trim
        (scaled to cover the grown box and clipped to it)."""
        canvas = self.canvas
        if not self.profile.image_mode:
            # the screen keeps the file's own colours; a picture of other proportions than its box (a
            # full-page plate) covers it, cropped, never stretched
            box = drawn_box(image, page, model, None)
            drawn = covering(box, pixel_size(image.path))
            if drawn == box:
                canvas.drawImage(str(image.path), image.x, image.y, image.width, image.height)
                return
            pixels: str | ImageReader = str(image.path)
        else:
            pixels = self._print_pixels(image.path)
            box = drawn_box(image, page, model, self.profile.bleed)
            drawn = covering(box, pixels.getSize())
        canvas.saveState()
        clip = canvas.beginPath()
        clip.rect(box.x, box.y, box.width, box.height)
        canvas.clipPath(clip, stroke=0, fill=0)
        canvas.drawImage(pixels, drawn.x, drawn.y, drawn.width, drawn.height)
        canvas.restoreState()

    def _print_pixels(self, path: Path) -> ImageReader:
        """The picture in the print profile's colours, converted once per file however often drawn."""
        pixels = self.images.get(path)
        if pixels is None:
            pixels = self.images[path] = ImageReader(print_pixels(path, self.profile.image_mode))
        return pixels

    def _marks(self, sheet: Sheet) -> None:
        """Crop marks on the lines of the trim and, where the page has bleed, bleed marks on the
        lines of the bleed, at each corner, all in the slug outside the bleed: thin pure-K strokes."""
        lines = _corner_marks(sheet.trim, sheet.trim, sheet.mark_gap)
        if sheet.bleed is not None:
            bleed_lines = _corner_marks(sheet.bleed, sheet.trim, sheet.mark_gap)
            lines += [line for line in bleed_lines if line not in lines]  # an edge without bleed has one mark
        path = " ".join(f"{_fmt(a)} {_fmt(b)} m {_fmt(c)} {_fmt(d)} l" for a, b, c, d in lines)
        self.canvas._code.append(f"q {self._black('stroke')} {_fmt(MARK_WEIGHT)} w {path} S Q")


    def _black(self, use: str) -> str:
        """Black as the profile wants it: pure K, gray, or RGB (the screen)."""
        if self.profile.gray:
            code = "0 g"
        elif self.profile.cmyk:
            code = "0 0 0 1 k"
        else:
            code = "0 0 0 rg"
        return code if use == "fill" else code[:-1] + code[-1].upper()


MARK_LENGTH = 18.0  # points (0.25 in): each crop or bleed mark
MARK_GAP = 6.0  # points beyond the bleed (or the trim, without bleed) where the marks begin
MARK_MARGIN = 6.0  # points of sheet beyond the marks' outer ends
MARK_WEIGHT = 0.25  # points: hairline marks


@dataclass(frozen=True)
class Sheet:
    """Where a page lies on its PDF page: the sheet's size, the trim and bleed boxes on it, and how
    far from the trim the marks begin."""

    size: tuple[float, float]
    trim: tuple[float, float, float, float]
    bleed: tuple[float, float, float, float] | None
    mark_gap: float = 0.0


def page_sheet(page: Page, model: PageModel, profile: Profile) -> Sheet:
    """Without marks the sheet is the page grown by its bleed (the BleedBox is the whole sheet). With
    marks every sheet is the same size: the trim sits in a slug wide enough for the largest bleed,
    the gap and the marks, and the BleedBox and TrimBox stay on the bled and trimmed page."""
    bleed = profile.bleed
    left, right = (bleed.left(page.side), bleed.right(page.side)) if bleed else (0.0, 0.0)
    bottom, top = (bleed.bottom, bleed.top) if bleed else (0.0, 0.0)
    if not profile.marks:
        trim = (left, bottom, left + model.width, bottom + model.height)
        size = (left + model.width + right, bottom + model.height + top)
        return Sheet(size, trim, (0.0, 0.0, *size) if bleed else None)
    widest = max(bleed.top, bleed.bottom, bleed.outside, bleed.inside) if bleed else 0.0
    gap = widest + MARK_GAP
    slug = gap + MARK_LENGTH + MARK_MARGIN
    trim = (slug, slug, slug + model.width, slug + model.height)
    bled = (slug - left, slug - bottom, slug + model.width + right, slug + model.height + top)
    return Sheet((model.width + 2 * slug, model.height + 2 * slug), trim, bled, gap)


def _corner_marks(box: tuple[float, float, float, float], trim: tuple[float, float, float, float],
                  gap: float) -> list[tuple[float, float, float, float]]:
    """At each corner of box (the trim, or the bleed box), a horizontal mark on its top or bottom
    line and a vertical one on its left or right line, running outward from gap beyond the trim."""
    x0, y0, x1, y1 = box
    left, right = trim[0] - gap, trim[2] + gap
    below, above = trim[1] - gap, trim[3] + gap
    return [
        (left - MARK_LENGTH, y0, left, y0), (left - MARK_LENGTH, y1, left, y1),
        (right, y0, right + MARK_LENGTH, y0), (right, y1, right + MARK_LENGTH, y1),
        (x0, below - MARK_LENGTH, x0, below), (x1, below - MARK_LENGTH, x1, below),
        (x0, above, x0, above + MARK_LENGTH), (x1, above, x1, above + MARK_LENGTH),
    ]


def _fmt(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def render_pdf(model: PageModel, profile: Profile, path: Path, glyphs: BookGlyphs | None = None,
               lines: dict[int, LineDrawing] | None = None) -> int:
    """Write the PDF to path; returns the number of pages written. `glyphs` are book_glyphs(model),
    where the caller has them already. `lines` holds lines drawn before with these glyphs, by the
    identity of their pieces, and gains the lines this drawing draws."""
    pages = [page for page in model.pages if profile.blank_pages or not page.blank]
    canvas = _canvas(first_text_face(model), str(path), model)
    canvas.setTitle(model.title)
    canvas.setAuthor(model.author)
    canvas.setCreator("booksmith")
    canvas.setProducer("booksmith (ReportLab)")
    writer = _PageWriter(canvas, profile, lines)
    writer.encode(glyphs or book_glyphs(model))
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


def draw_lines(model: PageModel, lines: Sequence[TextLine], glyphs: BookGlyphs) -> dict[int, LineDrawing]:
    """These lines of the model drawn apart from any PDF, as render_pdf() draws them with these
    glyphs (a drawing depends on the glyphs' order alone), by the identity of their pieces: so two
    processes can each draw half of a book. Empty where a line has a glyph `glyphs` does not give a
    code to (its code would depend on where it was first met)."""
    drawings = draw_set_lines(lines, first_text_face(model), glyphs)
    return {id(line.pieces): drawing for line, drawing in zip(lines, drawings)}


def draw_set_lines(lines: Sequence[SetLine | TextLine], first_face: FontFace | None,
                   glyphs: BookGlyphs) -> list[LineDrawing]:
    """draw_lines() for lines of text as set, in their order, in a book whose first page's text
    begins in `first_face` (the face a PDF of it starts with): so a process that set lines can draw
    them without the book's pages. Empty as draw_lines() is."""
    if first_face is None:
        return []
    canvas = _canvas(first_face, io.BytesIO())
    writer = _PageWriter(canvas, PRINT)
    writer.encode(glyphs)
    given = _codes_given(writer)
    drawings = [writer.drawing(line) for line in lines]  # type: ignore[arg-type]
    return drawings if _codes_given(writer) == given else []


def _codes_given(writer: _PageWriter) -> dict[str, int]:
    document = writer.canvas._doc
    return {key: use.font.state[document].nextCode for key, use in writer.fonts.items()}


def _canvas(first_face: FontFace | None, target: str | io.BytesIO,
            model: PageModel | None = None) -> Canvas:
    """A canvas that begins in the face the book's text begins in (so that fonts are named in the
    same order wherever its lines are drawn), for the model's pages where it writes them."""
    if first_face is None:
        raise ValueError("a book with no text cannot be rendered")
    writer_font = FontUse(first_face, None).font  # registers the face for the canvas' initial font
    if model is None:
        return Canvas(target, invariant=True, initialFontName=writer_font.fontName, pageCompression=1)
    return Canvas(target, pagesize=(model.width, model.height), invariant=True,
                  initialFontName=writer_font.fontName, lang=model.language, pageCompression=1)


def first_text_face(model: PageModel) -> FontFace | None:
    """The face the text of the book's first page of text begins in (a PDF of it starts in it)."""
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


def _add_text_links(canvas: Canvas, page: Page, drawings: list[LineDrawing]) -> None:
    """A link over each run of linked text."""
    for line, drawing in zip(page.lines, drawings):
        for dx, width, size, link in drawing[1]:
            x = line.x + dx
            canvas.linkURL(link, (x, line.y - size * 0.25, x + width, line.y + size * 0.8), relative=0,
                           thickness=0)


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
