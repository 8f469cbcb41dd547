"""The PDF's structure as a printer's preflight reads it (the only module here that imports pikepdf):
page boxes, fonts and whether they are embedded, every painted object with its colour space and
place, images and their effective resolution, transparency, annotations, page labels, PDF/X keys.

Content streams are interpreted with a small graphics-state machine following the PDF reference
(ISO 32000-1, sections 8 and 9): q/Q and cm for the transformation matrix, the colour operators,
path construction and painting, the text state and positioning operators (text extents come from
the fonts' /Widths), Do for images and form XObjects (recursively), inline images and sh.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pikepdf

from booksmith.errors import BooksmithError, Location

from .model import Annotation, Box, DocumentStructure, FontUse, PageStructure, Paint, PlacedImage, union

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
MAX_FORM_DEPTH = 12


def read_structure(path: Path) -> DocumentStructure:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise BooksmithError(
            "the PDF is encrypted with a password",
            Location(path),
            "Proof an unencrypted copy: printers do not accept encrypted files either.",
        ) from None
    except (pikepdf.PdfError, OSError) as error:
        raise BooksmithError(
            f"the file cannot be read as a PDF ({error})",
            Location(path),
            "Check that it is a complete PDF file.",
        ) from None
    with pdf:
        fonts = _FontTable()
        pages = tuple(_read_page(pdf, index, page, fonts) for index, page in enumerate(pdf.pages))
        info = pdf.docinfo
        return DocumentStructure(
            pages=pages,
            fonts=fonts.uses(),
            has_page_labels="/PageLabels" in pdf.Root,
            pdfx_version=str(info.get("/GTS_PDFXVersion", "")),
            output_intents=tuple(_intent(intent) for intent in pdf.Root.get("/OutputIntents", [])),
            producer=str(info.get("/Producer", "")),
            creator=str(info.get("/Creator", "")),
        )


def _intent(intent: pikepdf.Object) -> str:
    subtype = str(intent.get("/S", "")).lstrip("/")
    condition = intent.get("/OutputConditionIdentifier") or intent.get("/OutputCondition") or ""
    return f"{subtype} {condition}".strip()


def _box(value: pikepdf.Object | None) -> Box | None:
    if value is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _inherited(page: pikepdf.Page, key: str) -> pikepdf.Object | None:
    node = page.obj
    for _ in range(64):
        if key in node:
            return node[key]
        node = node.get("/Parent")
        if node is None:
            return None
    return None


def _read_page(pdf: pikepdf.Pdf, index: int, page: pikepdf.Page, fonts: _FontTable) -> PageStructure:
    media = _box(_inherited(page, "/MediaBox")) or (0.0, 0.0, 612.0, 792.0)
    crop = _box(_inherited(page, "/CropBox")) or media
    try:
        label = page.label
    except Exception:
        label = str(index + 1)
    painter = _Painter(index, fonts)
    resources = _inherited(page, "/Resources") or pikepdf.Dictionary()
    group = page.obj.get("/Group")
    if group is not None and group.get("/S") == "/Transparency":
        painter.transparency.add("a transparency group on the page")
    try:
        painter.run(pikepdf.parse_content_stream(page), resources, _State(), 0)
    except pikepdf.PdfError as error:
        raise BooksmithError(
            f"page {index + 1}'s content cannot be read ({error})",
            Location(Path(pdf.filename)),
            "The PDF is damaged; export it again.",
        ) from None
    annotations = tuple(
        Annotation(str(a.get("/Subtype", "/Unknown")).lstrip("/"), _box(a.get("/Rect")) or media)
        for a in page.obj.get("/Annots", [])
        if isinstance(a, pikepdf.Dictionary) and a.get("/Subtype") not in ("/PrinterMark", "/TrapNet")
    )
    return PageStructure(
        index=index,
        label=str(label),
        media_box=media,
        crop_box=crop,
        trim_box=_box(page.obj.get("/TrimBox")),
        bleed_box=_box(page.obj.get("/BleedBox")),
        rotate=int(_inherited(page, "/Rotate") or 0) % 360,
        paints=tuple(painter.paints),
        images=tuple(painter.images),
        annotations=annotations,
        transparency=tuple(sorted(painter.transparency)),
        spot_colours=tuple(sorted(painter.spots)),
    )


# ---------------------------------------------------------------- fonts


@dataclass
class _FontRecord:
    name: str
    subtype: str
    embedded: bool
    pages: set[int] = field(default_factory=set)
    first_text: tuple[int, Box] | None = None
    widths: dict[int, float] = field(default_factory=dict)
    default_width: float = 500.0
    two_byte: bool = False
    measured: dict[bytes, tuple[float, int, int]] = field(default_factory=dict)

    def measure(self, data: bytes) -> tuple[float, int, int]:
        """A string's width in glyph units, its number of codes, and of single-byte spaces (which word
        spacing applies to), remembered per string: books repeat their words."""
        found = self.measured.get(data)
        if found is None:
            widths, default = self.widths, self.default_width
            if self.two_byte:
                codes = [data[i] << 8 | data[i + 1] for i in range(0, len(data) - 1, 2)]
                found = (sum(widths.get(code, default) for code in codes), len(codes), 0)
            else:
                found = (sum(widths.get(code, default) for code in data), len(data), data.count(32))
            self.measured[data] = found
        return found


class _FontTable:
    """Each font dictionary once (by object number), with its widths for measuring shown text."""

    def __init__(self) -> None:
        self.records: dict[tuple[int, int] | int, _FontRecord] = {}

    def record(self, font: pikepdf.Object) -> _FontRecord:
        key = font.objgen if font.objgen != (0, 0) else id(font)
        found = self.records.get(key)
        if found is None:
            found = self.records[key] = _font_record(font)
        return found

    def uses(self) -> tuple[FontUse, ...]:
        return tuple(
            FontUse(
                r.name,
                r.subtype,
                r.embedded,
                bool(SUBSET_TAG.match(r.name)),
                tuple(sorted(r.pages)),
                r.first_text,
            )
            for r in sorted(self.records.values(), key=lambda r: (min(r.pages, default=1 << 30), r.name))
        )


def _font_record(font: pikepdf.Object) -> _FontRecord:
    subtype = str(font.get("/Subtype", "/Type1")).lstrip("/")
    name = str(font.get("/BaseFont", "/(unnamed)")).lstrip("/")
    if subtype == "Type3":
        name = str(font.get("/Name", "/Type3 font")).lstrip("/") if name == "(unnamed)" else name
        return _FontRecord(name, subtype, embedded=True, default_width=0.0)
    if subtype == "Type0":
        descendants = font.get("/DescendantFonts") or [pikepdf.Dictionary()]
        cid_font = descendants[0]
        record = _FontRecord(
            name,
            subtype,
            _embedded(cid_font.get("/FontDescriptor")),
            default_width=float(cid_font.get("/DW", 1000)),
            two_byte=True,
        )
        _cid_widths(cid_font.get("/W"), record.widths)
        return record
    record = _FontRecord(name, subtype, _embedded(font.get("/FontDescriptor")))
    first = int(font.get("/FirstChar", 0))
    for offset, width in enumerate(font.get("/Widths", [])):
        record.widths[first + offset] = float(width)
    descriptor = font.get("/FontDescriptor")
    if descriptor is not None and "/MissingWidth" in descriptor:
        record.default_width = float(descriptor.MissingWidth)
    return record


def _embedded(descriptor: pikepdf.Object | None) -> bool:
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _cid_widths(array: pikepdf.Object | None, widths: dict[int, float]) -> None:
    """A CIDFont's /W array: `c [w1 w2 …]` or `c_first c_last w`."""
    if array is None:
        return
    items = list(array)
    position = 0
    while position + 1 < len(items):
        first = int(items[position])
        following = items[position + 1]
        if isinstance(following, pikepdf.Array):
            for offset, width in enumerate(following):
                widths[first + offset] = float(width)
            position += 2
        elif position + 2 < len(items):
            for cid in range(first, int(following) + 1):
                widths[cid] = float(items[position + 2])
            position += 3
        else:
            break


# ---------------------------------------------------------------- the graphics state


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: the result is m × n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _point(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _transformed_box(m: Matrix, box: Box) -> Box:
    points = [_point(m, x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    return (
        min(p[0] for p in points),
        min(p[1] for p in points),
        max(p[0] for p in points),
        max(p[1] for p in points),
    )


@dataclass(frozen=True)
class _Colour:
    space: str = "gray"
    values: tuple[float, ...] = (0.0,)


@dataclass(frozen=True)
class _State:
    ctm: Matrix = IDENTITY
    fill: _Colour = _Colour()
    stroke: _Colour = _Colour()
    line_width: float = 1.0
    font: _FontRecord | None = None
    font_size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    horizontal_scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    render_mode: int = 0


DEVICE_SPACES = {
    "/DeviceGray": "gray",
    "/DeviceRGB": "rgb",
    "/DeviceCMYK": "cmyk",
    "/G": "gray",
    "/RGB": "rgb",
    "/CMYK": "cmyk",
    "/CalGray": "gray",
    "/CalRGB": "rgb",
    "/Lab": "lab",
    "/Pattern": "pattern",
    "/I": "indexed",
}
DEFAULT_VALUES = {"gray": (0.0,), "rgb": (0.0, 0.0, 0.0), "cmyk": (0.0, 0.0, 0.0, 1.0)}
PAINTING = {
    "S": (False, True),
    "s": (False, True),
    "f": (True, False),
    "F": (True, False),
    "f*": (True, False),
    "B": (True, True),
    "B*": (True, True),
    "b": (True, True),
    "b*": (True, True),
    "n": (False, False),
}
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


class _Painter:
    """Runs one page's content (and its forms) and records what is painted where, in what colour."""

    def __init__(self, page: int, fonts: _FontTable) -> None:
        self.page = page
        self.fonts = fonts
        self.paints: list[Paint] = []
        self.images: list[PlacedImage] = []
        self.transparency: set[str] = set()
        self.spots: set[str] = set()
        self.image_cache: dict[tuple[int, int], tuple[float | None, bool]] = {}

    # -- the interpreter
    def run(self, operations, resources: pikepdf.Object, state: _State, depth: int) -> None:
        stack: list[_State] = []
        path: list[tuple[float, float]] = []
        text_matrix = line_matrix = IDENTITY
        text_boxes: list[Box] = []
        for operands, operator in operations:
            op = str(operator)
            if op in TEXT_SHOWING:
                if op == "'" or op == '"':
                    if op == '"':
                        state = replace(
                            state, word_spacing=float(operands[0]), char_spacing=float(operands[1])
                        )
                    line_matrix = text_matrix = _multiply((1, 0, 0, 1, 0, -state.leading), line_matrix)
                text_matrix = self._show(
                    operands[-1] if op != "TJ" else operands[0], op == "TJ", state, text_matrix, text_boxes
                )
            elif op == "Td" or op == "TD":
                tx, ty = float(operands[0]), float(operands[1])
                if op == "TD":
                    state = replace(state, leading=-ty)
                line_matrix = text_matrix = _multiply((1, 0, 0, 1, tx, ty), line_matrix)
            elif op == "Tm":
                line_matrix = text_matrix = tuple(float(v) for v in operands)  # type: ignore[assignment]
            elif op == "T*":
                line_matrix = text_matrix = _multiply((1, 0, 0, 1, 0, -state.leading), line_matrix)
            elif op == "BT":
                line_matrix = text_matrix = IDENTITY
                text_boxes = []
            elif op == "ET":
                self._flush_text(text_boxes, state)
                text_boxes = []
            elif op == "Tf":
                font = self._font(resources, operands[0])
                state = replace(state, font=font, font_size=float(operands[1]))
            elif op in ("Tc", "Tw", "Tz", "TL", "Ts", "Tr"):
                value = float(operands[0])
                attribute = {
                    "Tc": "char_spacing",
                    "Tw": "word_spacing",
                    "Tz": "horizontal_scale",
                    "TL": "leading",
                    "Ts": "rise",
                    "Tr": "render_mode",
                }[op]
                if op == "Tz":
                    value /= 100.0
                elif op == "Tr":
                    value = int(value)
                    self._flush_text(text_boxes, state)
                    text_boxes = []
                state = replace(state, **{attribute: value})
            elif op == "q":
                stack.append(state)
            elif op == "Q":
                if stack:
                    self._flush_text(text_boxes, state)
                    text_boxes = []
                    state = stack.pop()
            elif op == "cm":
                state = replace(state, ctm=_multiply(tuple(float(v) for v in operands), state.ctm))
            elif op == "w":
                state = replace(state, line_width=float(operands[0]))
            elif op in ("g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc", "SC", "scn", "SCN"):
                self._flush_text(text_boxes, state)
                text_boxes = []
                state = self._colour(op, operands, resources, state)
            elif op in ("m", "l"):
                path.append(_point(state.ctm, float(operands[0]), float(operands[1])))
            elif op in ("c", "v", "y"):
                values = [float(v) for v in operands]
                path.extend(_point(state.ctm, values[i], values[i + 1]) for i in range(0, len(values), 2))
            elif op == "re":
                x, y, w, h = (float(v) for v in operands)
                path.extend(_point(state.ctm, px, py) for px in (x, x + w) for py in (y, y + h))
            elif op in PAINTING:
                fill, stroke = PAINTING[op]
                if path and (fill or stroke):
                    self._paint_path(path, fill, stroke, state)
                path = []
            elif op == "gs":
                self._graphics_state(resources, operands[0])
            elif op == "Do":
                self._do(resources, operands[0], state, depth)
            elif op == "INLINE IMAGE":
                self._inline_image(operands[0], resources, state)
            elif op == "sh":
                self._shading(resources, operands[0], state)
        self._flush_text(text_boxes, state)

    # -- text
    def _font(self, resources: pikepdf.Object, name: pikepdf.Object) -> _FontRecord | None:
        font = resources.get("/Font", {}).get(str(name)) if resources is not None else None
        if font is None:
            return None
        record = self.fonts.record(font)
        record.pages.add(self.page)
        return record

    def _show(
        self, operand, is_array: bool, state: _State, text_matrix: Matrix, text_boxes: list[Box]
    ) -> Matrix:
        size = state.font_size
        scale = state.horizontal_scale
        font = state.font
        if font is not None and font.first_text is not None and _plain(state):
            # grey or black-ink-only text: only its place matters (for the colour inventory), not its
            # extent, and measuring every string of a book is the slowest part of reading its structure
            rendering = _multiply(text_matrix, state.ctm)
            x, y = _point(rendering, 0.0, 0.0)
            text_boxes.append((x, y, x, y + 0.8 * size * math.hypot(rendering[2], rendering[3])))
            return text_matrix
        advance = 0.0
        items = operand if is_array else [operand]
        measure = font.measure if font is not None else None
        for item in items:
            if isinstance(item, pikepdf.String):
                data = bytes(item)
                if measure is None:
                    advance += len(data) * 0.5 * size * scale
                    continue
                units, codes, spaces = measure(data)
                spacing = state.char_spacing * codes + state.word_spacing * spaces
                advance += (units / 1000.0 * size + spacing) * scale
            else:
                advance -= float(item) / 1000.0 * size * scale
        if state.render_mode not in (3, 7) and advance:
            rendering = _multiply(text_matrix, state.ctm)
            box = _transformed_box(
                rendering, (0.0, -0.25 * size + state.rise, advance, 0.8 * size + state.rise)
            )
            text_boxes.append(box)
            if font is not None and font.first_text is None:
                font.first_text = (self.page, box)
        return _multiply((1, 0, 0, 1, advance, 0), text_matrix)

    def _flush_text(self, boxes: list[Box], state: _State) -> None:
        if not boxes:
            return
        box = union(boxes)
        assert box is not None
        font = state.font.name if state.font else ""
        if state.render_mode in (0, 2, 4, 6):
            self.paints.append(Paint("text", state.fill.space, state.fill.values, box, font))
        if state.render_mode in (1, 2, 5, 6):
            self.paints.append(Paint("text", state.stroke.space, state.stroke.values, box, font))

    # -- colour
    def _colour(self, op: str, operands, resources: pikepdf.Object, state: _State) -> _State:
        stroking = op.isupper()
        current = state.stroke if stroking else state.fill
        lower = op.lower()
        if lower in ("g", "rg", "k"):
            colour = _Colour(
                {"g": "gray", "rg": "rgb", "k": "cmyk"}[lower], tuple(float(v) for v in operands)
            )
        elif lower == "cs":
            space = self._space(operands[0], resources)
            colour = _Colour(space, DEFAULT_VALUES.get(space, ()))
        else:  # sc, scn: values in the current space (a pattern name for pattern spaces)
            colour = _Colour(
                current.space, tuple(float(v) for v in operands if not isinstance(v, pikepdf.Name))
            )
        return replace(state, stroke=colour) if stroking else replace(state, fill=colour)

    def _space(self, name_or_array: pikepdf.Object, resources: pikepdf.Object) -> str:
        value = name_or_array
        if isinstance(value, pikepdf.Name) and str(value) not in DEVICE_SPACES:
            found = resources.get("/ColorSpace", {}).get(str(value)) if resources is not None else None
            if found is None:
                return "other"
            value = found
        return self._classify(value)

    def _classify(self, value: pikepdf.Object) -> str:
        if isinstance(value, pikepdf.Name):
            return DEVICE_SPACES.get(str(value), "other")
        if isinstance(value, pikepdf.Array) and len(value) > 0:
            family = str(value[0])
            if family == "/ICCBased":
                components = int(value[1].get("/N", 3))
                return {1: "gray", 3: "rgb", 4: "cmyk"}.get(components, "other")
            if family in ("/Indexed", "/I"):
                return self._classify(value[1])
            if family in ("/Separation", "/DeviceN"):
                names = [str(value[1])] if family == "/Separation" else [str(n) for n in value[1]]
                names = [n.lstrip("/") for n in names]
                if all(n in ("None", "All") for n in names):
                    return "gray"
                process = {"Cyan", "Magenta", "Yellow", "Black"}
                if all(n in process for n in names):
                    return "cmyk"
                self.spots.update(n for n in names if n not in process)
                return "spot"
            if family == "/Pattern":
                return "pattern"
            return DEVICE_SPACES.get(family, "other")
        return "other"

    # -- paths, images, forms, shadings
    def _paint_path(self, points: list[tuple[float, float]], fill: bool, stroke: bool, state: _State) -> None:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        box = (min(xs), min(ys), max(xs), max(ys))
        if fill:
            self.paints.append(Paint("path", state.fill.space, state.fill.values, box))
        if stroke:
            a, b, c, d = state.ctm[:4]
            half = state.line_width * math.sqrt(abs(a * d - b * c)) / 2
            self.paints.append(
                Paint(
                    "path",
                    state.stroke.space,
                    state.stroke.values,
                    (box[0] - half, box[1] - half, box[2] + half, box[3] + half),
                )
            )

    def _graphics_state(self, resources: pikepdf.Object, name: pikepdf.Object) -> None:
        states = resources.get("/ExtGState", {}) if resources is not None else {}
        graphics = states.get(str(name))
        if graphics is None:
            return
        for key, what in (("/ca", "a fill opacity of"), ("/CA", "a stroke opacity of")):
            if key in graphics and float(graphics[key]) < 0.999:
                self.transparency.add(f"{what} {float(graphics[key]):.0%}")
        mask = graphics.get("/SMask")
        if mask is not None and mask != pikepdf.Name("/None"):
            self.transparency.add("a soft mask")
        blend = graphics.get("/BM")
        if blend is not None:
            modes = [str(m) for m in blend] if isinstance(blend, pikepdf.Array) else [str(blend)]
            if modes and modes[0] not in ("/Normal", "/Compatible"):
                self.transparency.add(f"blend mode {modes[0].lstrip('/')}")

    def _do(self, resources: pikepdf.Object, name: pikepdf.Object, state: _State, depth: int) -> None:
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        xobject = xobjects.get(str(name))
        if xobject is None:
            return
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self._image(str(name).lstrip("/"), xobject, state)
        elif subtype == "/Form" and depth < MAX_FORM_DEPTH:
            matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
            group = xobject.get("/Group")
            if group is not None and group.get("/S") == "/Transparency":
                self.transparency.add("a transparency group")
            inner = replace(state, ctm=_multiply(matrix, state.ctm))  # type: ignore[arg-type]
            form_resources = xobject.get("/Resources", resources)
            self.run(pikepdf.parse_content_stream(xobject), form_resources, inner, depth + 1)

    def _image(self, name: str, xobject: pikepdf.Object, state: _State) -> None:
        box = _transformed_box(state.ctm, (0.0, 0.0, 1.0, 1.0))
        width, height = int(xobject.get("/Width", 1)), int(xobject.get("/Height", 1))
        if xobject.get("/ImageMask", False):
            self.paints.append(Paint("image", state.fill.space, state.fill.values, box))
            space = state.fill.space
        else:
            colour_space = xobject.get("/ColorSpace")
            space = self._classify(colour_space) if colour_space is not None else "other"
            self.paints.append(Paint("image", space, (), box))
        soft = "/SMask" in xobject or int(xobject.get("/SMaskInData", 0)) > 0
        if soft:
            self.transparency.add("an image with a soft mask (alpha)")
        key = xobject.objgen
        if key not in self.image_cache:
            self.image_cache[key] = (_max_ink(xobject) if space == "cmyk" else None, soft)
        self.images.append(
            PlacedImage(
                name,
                (width, height),
                box,
                _ppi(state.ctm, width, height),
                space,
                self.image_cache[key][0],
                soft,
            )
        )

    def _inline_image(self, image, resources: pikepdf.Object, state: _State) -> None:
        box = _transformed_box(state.ctm, (0.0, 0.0, 1.0, 1.0))
        try:
            width, height = int(image.width), int(image.height)
            mask = bool(image.image_mask)
            space = (
                "other"
                if mask
                else self._space(image.obj.get("/ColorSpace", image.obj.get("/CS")), resources)
            )
        except (AttributeError, KeyError, ValueError, TypeError, pikepdf.PdfError):
            width, height, mask, space = 1, 1, False, "other"
        if mask:
            space = state.fill.space
        self.paints.append(Paint("image", space, () if not mask else state.fill.values, box))
        self.images.append(
            PlacedImage(
                "inline image", (width, height), box, _ppi(state.ctm, width, height), space, None, False
            )
        )

    def _shading(self, resources: pikepdf.Object, name: pikepdf.Object, state: _State) -> None:
        shadings = resources.get("/Shading", {}) if resources is not None else {}
        shading = shadings.get(str(name))
        if shading is None:
            return
        space = self._classify(shading.get("/ColorSpace", pikepdf.Name("/DeviceGray")))
        box = _box(shading.get("/BBox"))
        self.paints.append(
            Paint("shading", space, (), _transformed_box(state.ctm, box) if box else (0.0, 0.0, 0.0, 0.0))
        )


def _plain(state: _State) -> bool:
    """Text in grey or in black ink alone, in every colour its render mode uses."""
    colours = []
    if state.render_mode in (0, 2, 4, 6):
        colours.append(state.fill)
    if state.render_mode in (1, 2, 5, 6):
        colours.append(state.stroke)
    return all(c.space == "gray" or (c.space == "cmyk" and not any(c.values[:3])) for c in colours)


def _ppi(ctm: Matrix, width: int, height: int) -> float:
    """Pixels per inch as placed: the image's unit square is stretched to the CTM's two axes."""
    across = math.hypot(ctm[0], ctm[1]) / 72.0
    down = math.hypot(ctm[2], ctm[3]) / 72.0
    if across <= 0 or down <= 0:
        return float("inf")
    return min(width / across, height / down)


def _max_ink(xobject: pikepdf.Object) -> float | None:
    """The highest C+M+Y+K of any pixel of a CMYK image, in percent (sampled down to 256 px)."""
    try:
        image = pikepdf.PdfImage(xobject).as_pil_image()
    except Exception:
        return None
    if image.mode != "CMYK":
        return None
    image.thumbnail((256, 256))
    return max(sum(pixel) for pixel in image.getdata()) / 255.0 * 100.0
