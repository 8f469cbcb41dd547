"""The text layer as PDFium reads it: every page's lines of type, with their positions, sizes, font
families and words. Runs in worker processes, each opening the PDF itself; returns plain frozen
dataclasses.

Per character PDFium is asked only for its loose box (origin to advance, ascent to descent) and its
text object; the baseline, size and font family are asked once per text object, since a text object
is one text-showing operation in one font at one size on one baseline.
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


def read_text(path: Path, indexes: Sequence[int]) -> list[PageText]:
    document = open_document(path)
    try:
        return [_page_text(document, index) for index in indexes]
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
    __slots__ = ("baseline", "family", "offset", "size")

    def __init__(self, baseline: float, offset: float, size: float, family: str) -> None:
        self.baseline = baseline
        self.offset = offset  # loose box bottom minus baseline
        self.size = size
        self.family = family


def _page_text(document: pdfium.PdfDocument, index: int) -> PageText:
    page = document[index]
    try:
        width, height = page.get_size()
        objects = pdfium_c.FPDFPage_CountObjects(page.raw)
        textpage = page.get_textpage()
        try:
            lines = _lines(textpage)
        finally:
            textpage.close()
    finally:
        page.close()
    return PageText(index, width, height, tuple(lines), objects)


def _lines(textpage: pdfium.PdfTextPage) -> list[TextLine]:
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
    if address:
        font = pdfium_c.FPDFTextObj_GetFont(ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT))
        if font:
            buffer = ctypes.create_string_buffer(256)
            length = pdfium_c.FPDFFont_GetFamilyName(font, buffer, 256)
            family = buffer.value.decode("utf-8", "replace") if length else ""
            if not family:
                length = pdfium_c.FPDFFont_GetBaseFontName(font, buffer, 256)
                family = buffer.value.decode("utf-8", "replace").split("+")[-1].split("-")[0]
    return _ObjectInfo(y.value, rect.bottom - y.value, round(size, 2), family)


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
