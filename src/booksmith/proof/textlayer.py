"""The text layer as PDFium reads it: every page's lines of type, with their positions, sizes, font
families and words. Runs in worker processes, each opening the PDF itself; returns plain frozen
dataclasses.

Per character PDFium is asked only for its loose box (origin to advance, ascent to descent) and its
text object; the baseline, size and font family are asked once per text object, since a text object
is one text-showing operation in one font at one size on one baseline.

PDFium widens a loose box to take in ink that overhangs the advance (the hook of an f, by 0.1 em in EB
Garamond), which is what the overfull check wants. Word spacing wants the gap between advances, so
`read_text(..., advance_ends=True)` ends each word at its last character's origin plus that
character's width in the font instead (spacing.py).
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from booksmith.errors import BooksmithError, Location

from .model import Box, PageText, TextLine, Word

# PDFium reports a hyphen it takes for an end-of-line hyphenation as one of these
SOFT_HYPHENS = "\x02\ufffe\u00ad"
HYPHENS = "-\u2010" + SOFT_HYPHENS
DROP_CAP_RATIO = 1.6
WORD_GAP_EM = 0.12  # a gap this wide between two characters separates words even with no space

# FPDFText_GetTextObject returning the object's address as an int, so that it can be compared and cached
_text_object_address = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value
)


def open_document(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise BooksmithError(
            f"the file cannot be opened as a PDF ({error})",
            Location(path),
            "Check that it is a complete, unencrypted PDF file.",
        ) from None


def page_count(path: Path) -> int:
    document = open_document(path)
    try:
        return len(document)
    finally:
        document.close()


def read_text(path: Path, indexes: Sequence[int], advance_ends: bool = False) -> list[PageText]:
    """advance_ends: words end where their last character's advance ends, not where its ink does."""
    document = open_document(path)
    try:
        return [_page_text(document, index, advance_ends) for index in indexes]
    finally:
        document.close()


WORD_SPAN = re.compile(r"[^\s\x00]+")


class _LooseBox:
    """A character's loose box (origin to advance, descent to ascent) as (left, right, bottom, top)."""

    def __init__(self, textpage) -> None:  # type: ignore[no-untyped-def]
        self.textpage = textpage
        self.rect = pdfium_c.FS_RECTF()
        self.reference = ctypes.byref(self.rect)
        self.right = 0.0

    def __call__(self, index: int) -> tuple[float, float, float, float]:
        pdfium_c.FPDFText_GetLooseCharBox(self.textpage, index, self.reference)
        rect = self.rect
        self.right = rect.right
        return (rect.left, rect.right, rect.bottom, rect.top)


class _ObjectInfo:
    __slots__ = ("baseline", "family", "font", "font_key", "offset", "size")

    def __init__(self, baseline: float, offset: float, size: float, family: str, font: object) -> None:
        self.baseline = baseline
        self.offset = offset  # loose box bottom minus baseline
        self.size = size
        self.family = family
        self.font = font  # PDFium's FPDF_FONT handle, or None
        self.font_key = ctypes.cast(font, ctypes.c_void_p).value or 0 if font else 0


class _AdvanceEnd:
    """Where a word's last character's advance ends. A drawn space after it starts there; otherwise
    its origin plus its width in the font, where PDFium measures this font's characters truly (it looks
    a width up by Unicode, which goes wrong in a subset font with an encoding of its own: checked on the
    page's own letter pairs). A ligature's second letter, or a character no width can be trusted for,
    keeps its loose box's right edge."""

    AGREE = 0.02  # em: an advance and the distance to the next origin agree this closely, kerning aside
    PAIRS = 40  # letter pairs checked per font

    def __init__(self, textpage, text: str) -> None:  # type: ignore[no-untyped-def]
        self.textpage = textpage
        self.text = text
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.width = ctypes.c_float()
        self.widths: dict[tuple[int, str, float], float | None] = {}
        self.trusted: dict[int, bool] = {}

    def origin(self, index: int) -> float:
        pdfium_c.FPDFText_GetCharOrigin(self.textpage, index, ctypes.byref(self.x), ctypes.byref(self.y))
        return self.x.value

    def __call__(self, index: int, info: _ObjectInfo, loose_right: float, first: bool) -> float:
        origin = self.origin(index)
        following = index + 1
        if (
            following < len(self.text)
            and self.text[following] == " "
            and not pdfium_c.FPDFText_IsGenerated(self.textpage, following)
        ):
            after = self.origin(following)
            return after if origin < after <= loose_right + 0.01 else loose_right
        if not first and abs(self.origin(index - 1) - origin) < 0.01:
            return loose_right  # a ligature's second letter
        width = self._width(info, self.text[index])
        if width is None or not origin < origin + width <= loose_right + 0.01 or not self._trust(info):
            return loose_right
        return origin + width

    def _width(self, info: _ObjectInfo, char: str) -> float | None:
        key = (info.font_key, char, info.size)
        if key not in self.widths:
            found = None
            if info.font:
                # despite its parameter's name, PDFium looks the glyph up by its Unicode value
                ok = pdfium_c.FPDFFont_GetGlyphWidth(
                    info.font, ord(char), ctypes.c_float(info.size), ctypes.byref(self.width)
                )
                found = self.width.value if ok and self.width.value > 0 else None
            self.widths[key] = found
        return self.widths[key]

    def _trust(self, info: _ObjectInfo) -> bool:
        """The font's widths match the distances between neighbouring letters on this page."""
        if info.font_key not in self.trusted:
            agree = checked = 0
            text, raw = self.text, self.textpage
            for index in range(len(text) - 1):
                if checked >= self.PAIRS:
                    break
                if not (text[index].isalpha() and text[index + 1].isalpha()):
                    continue
                address = _text_object_address(raw, index)
                if address != _text_object_address(raw, index + 1) or _font_key(address) != info.font_key:
                    continue
                step = self.origin(index + 1) - self.origin(index)
                width = self._width(info, text[index])
                if step <= 0 or width is None:
                    continue  # a ligature
                checked += 1
                agree += abs(width - step) < self.AGREE * info.size
            self.trusted[info.font_key] = checked >= 5 and agree >= 0.8 * checked
        return self.trusted[info.font_key]


def _font_key(address: int | None) -> int:
    if not address:
        return 0
    font = pdfium_c.FPDFTextObj_GetFont(ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT))
    return ctypes.cast(font, ctypes.c_void_p).value or 0


def _page_text(document: pdfium.PdfDocument, index: int, advance_ends: bool = False) -> PageText:
    page = document[index]
    try:
        width, height = page.get_size()
        objects = pdfium_c.FPDFPage_CountObjects(page.raw)
        textpage = page.get_textpage()
        try:
            lines = _lines(textpage, advance_ends)
        finally:
            textpage.close()
    finally:
        page.close()
    return PageText(index, width, height, tuple(lines), objects)


def _lines(textpage: pdfium.PdfTextPage, advance_ends: bool = False) -> list[TextLine]:
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    if not count:
        return []
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP: ask for each one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    raw = textpage.raw
    objects: dict[int, _ObjectInfo] = {}
    rows: dict[float, list[tuple]] = defaultdict(list)
    box = _LooseBox(raw)
    advance_end = _AdvanceEnd(raw, text) if advance_ends else None
    previous_end = -2
    for match in WORD_SPAN.finditer(text):
        start, end = match.start(), match.end() - 1
        space_before = start != previous_end + 1
        previous_end = end
        first, last = _text_object_address(raw, start), _text_object_address(raw, end)
        if first == last:
            runs = [(start, end, first)]
        else:  # the word changes font (italic, a fallback glyph) or runs over two lines
            runs = []
            run_start, run_object = start, first
            for i in range(start + 1, end + 1):
                address = _text_object_address(raw, i)
                if address != run_object:
                    runs.append((run_start, i - 1, run_object))
                    run_start, run_object = i, address
            runs.append((run_start, end, run_object))
        for run_start, run_end, address in runs:
            info = objects.get(address)
            if info is None:
                info = objects[address] = _object_info(textpage, run_start, address)
            left, _, bottom, top = box(run_start)
            right = box(run_end)[1] if run_end != run_start else box.right
            if advance_end is not None:
                # an italic f's ink reaches left of its origin too
                left = max(left, min(advance_end.origin(run_start), right))
                right = advance_end(run_end, info, right, run_end == run_start)
            rows[round(bottom - info.offset, 1)].append(
                (
                    left,
                    right,
                    bottom,
                    top,
                    text[run_start : run_end + 1],
                    info.size,
                    info.family,
                    space_before,
                )
            )
            space_before = False
    lines = []
    for baseline in sorted(rows, reverse=True):
        chars = sorted(rows[baseline], key=lambda c: c[0])
        cap = _drop_cap(chars)
        if cap:
            lines.append(replace(_line(baseline, chars[:cap]), drop_cap=True))
            chars = chars[cap:]
        lines.append(_line(baseline, chars))
    return lines


def _drop_cap(chars: list[tuple]) -> int:
    """How many characters at the line's start are a drop cap: much larger than the rest of the line."""
    if len(chars) < 2:
        return 0
    rest = Counter(c[5] for c in chars).most_common(1)[0][0]
    count = 0
    while count < min(3, len(chars) - 1) and chars[count][5] >= DROP_CAP_RATIO * rest:
        count += 1
    return count


def _object_info(textpage: pdfium.PdfTextPage, index: int, address: int | None) -> _ObjectInfo:
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
    rect = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, index, ctypes.byref(rect))
    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
    family = ""
    font = None
    if address:
        font = pdfium_c.FPDFTextObj_GetFont(ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT))
        if font:
            buffer = ctypes.create_string_buffer(256)
            length = pdfium_c.FPDFFont_GetFamilyName(font, buffer, 256)
            family = buffer.value.decode("utf-8", "replace") if length else ""
            if not family:
                length = pdfium_c.FPDFFont_GetBaseFontName(font, buffer, 256)
                family = buffer.value.decode("utf-8", "replace").split("+")[-1].split("-")[0]
    return _ObjectInfo(y.value, rect.bottom - y.value, round(size, 2), family, font)


def _line(baseline: float, chars: list[tuple]) -> TextLine:
    sizes: Counter[float] = Counter()
    families: Counter[str] = Counter()
    for c in chars:
        sizes[c[5]] += len(c[4])
        families[c[6]] += len(c[4])
    size = sizes.most_common(1)[0][0]
    family = families.most_common(1)[0][0]
    words: list[Word] = []
    current: list[tuple] = []
    for char in chars:
        if current and (char[7] or char[0] - current[-1][1] > WORD_GAP_EM * size):
            words.append(_word(current))
            current = []
        current.append(char)
    if current:
        words.append(_word(current))
    others: list[tuple[str, str, Box]] = []
    if len(families) > 1:
        for other in families:
            if other != family:
                found = [c for c in chars if c[6] == other]
                box = (
                    min(c[0] for c in found),
                    min(c[2] for c in found),
                    max(c[1] for c in found),
                    max(c[3] for c in found),
                )
                others.append((other, "".join(c[4] for c in found), box))
    last = chars[-1][4][-1]
    return TextLine(
        baseline=baseline,
        x0=chars[0][0],
        x1=max(c[1] for c in chars),
        bottom=min(c[2] for c in chars),
        top=max(c[3] for c in chars),
        size=size,
        family=family,
        text=" ".join(w.text for w in words),
        words=tuple(words),
        other_families=tuple(others),
        hyphenated=last in HYPHENS,
        soft_hyphen=last in SOFT_HYPHENS,
    )


def _word(chars: list[tuple]) -> Word:
    return Word("".join(c[4] for c in chars), chars[0][0], max(c[1] for c in chars))
