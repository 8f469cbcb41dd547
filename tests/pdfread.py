"""Reading built PDFs back for tests: text lines with positions (pypdfium2) and objects (pikepdf)."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

SOFT_HYPHEN_MARKS = ("\ufffe", "\u00ad", "\x02")


@dataclass
class TextLineRead:
    text: str
    x0: float
    x1: float
    y: float
    size: float


def page_lines(path: Path) -> list[list[TextLineRead]]:
    """Every page's lines of text, top to bottom, grouped by baseline."""
    document = pdfium.PdfDocument(str(path))
    pages = []
    for page in document:
        pages.append(_lines_of(page.get_textpage()))
    return pages


def _lines_of(textpage: pdfium.PdfTextPage) -> list[TextLineRead]:
    count = textpage.count_chars()
    x = ctypes.c_double()
    y = ctypes.c_double()
    chars = []
    for index in range(count):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage, index))
        if char in "\r\n":
            continue
        if not pdfium_c.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x), ctypes.byref(y)):
            continue
        _, _, right, _ = textpage.get_charbox(index)
        size = pdfium_c.FPDFText_GetFontSize(textpage, index)
        chars.append((x.value, char, right if char.strip() else x.value, size, y.value))
    sizes = sorted(c[3] for c in chars if c[1].strip())
    usual = sizes[len(sizes) // 2] if sizes else 0.0
    # a drop cap stands on a lower line's baseline but begins the paragraph's first line
    initials = [c for c in chars if c[3] > usual * 2.2 and len(sizes) > 40]
    rows: dict[float, list[tuple[float, str, float, float]]] = {}
    for cx, char, right, size, cy in chars:
        if (cx, char, right, size, cy) not in initials:
            rows.setdefault(round(cy, 1), []).append((cx, char, right, size))
    lines = []
    for baseline in sorted(rows, reverse=True):
        row = sorted(rows[baseline])
        text = "".join(c for _, c, _, _ in row)
        visible = [c for c in row if c[1].strip() and c[1] not in SOFT_HYPHEN_MARKS]
        if not visible:
            continue
        lines.append(TextLineRead(text, visible[0][0], max(c[2] for c in visible), baseline,
                                  max(c[3] for c in visible)))
    for _cx, char, _, size, cy in initials:
        above = [line for line in lines if cy <= line.y <= cy + size * 0.75]
        if above:
            first = max(above, key=lambda line: line.y)
            quote = 1 if first.text[:1] in "\u201c\u2018\u00ab\"'" else 0  # a quote mark hangs before the cap
            first.text = first.text[:quote] + char + first.text[quote:]
    return lines


def document_text(path: Path, text_area: tuple[float, float] | None = None) -> str:
    """The text as a reader would copy it: lines joined, words hyphenated at a line end rejoined
    (the typesetter's hyphen is a soft hyphen in the text layer), explicit hyphens kept. With
    text_area (bottom, top), lines outside it (running heads, folios) are left out."""
    bottom, top = text_area or (float("-inf"), float("inf"))
    text = "\n".join(line.text for page in page_lines(path) for line in page if bottom <= line.y <= top)
    for mark in SOFT_HYPHEN_MARKS:
        text = text.replace(mark + "\n", "").replace(mark, "")
    return text


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def missing_in_order(expected: list[str], found: list[str]) -> list[tuple[int, str]]:
    """Words of `expected` that do not appear in `found` in order (found may hold extra words).

    PDFium reports a hyphen at a line's end as a hyphenation mark whether the typesetter added it or
    the text had it ("twenty-" / "five"), so a compound may come back as one word: that counts."""
    missing = []
    position = 0
    index = 0
    while index < len(expected) and len(missing) <= 20:
        word = expected[index]
        joined = word + expected[index + 1] if index + 1 < len(expected) else None
        if position < len(found) and found[position] == joined:
            position += 1
            index += 2
            continue
        try:
            position = found.index(word, position) + 1
        except ValueError:
            missing.append((index, word))
        index += 1
    return missing


@dataclass
class CharRead:
    """One character as PDFium reads it: its origin on the baseline, its ink box (left, bottom,
    right, top; a space has none to speak of), its font size and the font's name."""

    char: str
    x: float
    y: float
    box: tuple[float, float, float, float]
    size: float
    font: str


def page_chars(path: Path) -> list[list[CharRead]]:
    """Every page's characters in the order they are drawn (line breaks left out)."""
    document = pdfium.PdfDocument(str(path))
    x, y = ctypes.c_double(), ctypes.c_double()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    pages = []
    for page in document:
        textpage = page.get_textpage()
        chars = []
        for index in range(textpage.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage, index))
            if char in "\r\n" or not pdfium_c.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x),
                                                                      ctypes.byref(y)):
                continue
            pdfium_c.FPDFText_GetFontInfo(textpage, index, name, len(name), ctypes.byref(flags))
            chars.append(CharRead(char, x.value, y.value, tuple(textpage.get_charbox(index)),
                                  pdfium_c.FPDFText_GetFontSize(textpage, index),
                                  name.value.decode("latin-1")))
        pages.append(chars)
    return pages


@dataclass
class WordRead:
    text: str
    chars: list[CharRead]

    @property
    def x0(self) -> float:
        return min(char.box[0] for char in self.chars)

    @property
    def x1(self) -> float:
        return max(char.box[2] for char in self.chars)

    @property
    def y(self) -> float:
        return self.chars[0].y


def placed_words(chars: list[CharRead]) -> list[WordRead]:
    """A page's words (runs of visible characters on one baseline), top to bottom, left to right."""
    rows: dict[float, list[CharRead]] = {}
    for char in chars:
        rows.setdefault(round(char.y, 1), []).append(char)
    found = []
    for baseline in sorted(rows, reverse=True):
        word: list[CharRead] = []
        for char in sorted(rows[baseline], key=lambda c: c.x):
            if char.char.strip() and char.char not in SOFT_HYPHEN_MARKS:
                word.append(char)
                continue
            if word:
                found.append(WordRead("".join(c.char for c in word), word))
            word = []
        if word:
            found.append(WordRead("".join(c.char for c in word), word))
    return found


DRAWING_OPERATORS = {"Tj", "TJ", "'", '"', "Do", "re", "l", "c", "v", "y", "f", "F", "f*", "S", "s", "B",
                     "b", "sh"}


def page_operators(path: Path) -> list[list[tuple[str, list]]]:
    """Each page's content stream as (operator, operands) pairs (pikepdf)."""
    with pikepdf.open(path) as pdf:
        return [[(str(op), list(operands)) for operands, op in pikepdf.parse_content_stream(page)]
                for page in pdf.pages]


def stroked_rules(operators: list[tuple[str, list]]) -> list[tuple[float, float, float, float]]:
    """The straight lines a page strokes, as (x0, y0, x1, y1): 'x y m x y l S'."""
    rules = []
    start: tuple[float, float] | None = None
    end: tuple[float, float] | None = None
    for op, operands in operators:
        if op == "m":
            start, end = (float(operands[0]), float(operands[1])), None
        elif op == "l":
            end = (float(operands[0]), float(operands[1]))
        elif op == "S" and start and end:
            rules.append((*start, *end))
            start = end = None
    return rules


def drawn_images(operators: list[tuple[str, list]]) -> list[tuple[str, float, float, float, float]]:
    """The XObjects a page draws with the unit square mapped by the last 'cm': (name, x, y, width,
    height); ReportLab draws each image as 'q w 0 0 h x y cm /Name Do Q'."""
    images = []
    matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    for op, operands in operators:
        if op == "cm":
            matrix = [float(value) for value in operands]
        elif op == "Do":
            images.append((str(operands[0]), matrix[4], matrix[5], matrix[0], matrix[3]))
    return images
