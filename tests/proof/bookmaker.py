"""Small books with known faults, drawn directly on a ReportLab canvas (not through booksmith), so that
proof is tested on PDFs whose every line is known.

A clean book here: 6 × 9 in pages with a TrimBox, EB Garamond embedded, black as K only, page labels,
justified 11/14 text in a mirrored text block, paragraphs indented and arranged so that every page
starts with a new paragraph and is full (no widows, orphans or uneven spreads), a folio at each foot.
Each fault is one option: a widow, an RGB rule, text in a non-embedded font, a 72 ppi image, an
overfull line, a word left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from conftest import ROOT

INCH = 72.0
WIDTH, HEIGHT = 6 * INCH, 9 * INCH
INSIDE, OUTSIDE, TOP, BOTTOM = 0.8 * INCH, 0.65 * INCH, 0.8 * INCH, 0.8 * INCH
SIZE, LEADING = 11.0, 14.0
INDENT = 1.2 * SIZE
MEASURE = WIDTH - INSIDE - OUTSIDE
FIRST_BASELINE = HEIGHT - TOP - SIZE
LINES_PER_PAGE = 38
FONT = "ProofTestGaramond"
# paragraph lengths in lines; each row fills one page exactly
PAGE_PATTERN = (6, 7, 5, 8, 6, 6)
WORDS = (
    "the lamp had to be lit forty minutes before sunset and on Skerrow Rock sun set whenever weather said "
    "it did she climbed hundred twelve steps of tower with one eye on western window where sky over open "
    "sea turned from pewter to bruised tender violet her father told once that almanac was book good "
    "intentions keeper harbour lighthouse commission inspector letter morning evening patient careful "
    "steady brass lens prism clockwork mercury gallery landing granite"
)
VOCABULARY = tuple(WORDS.split())


@dataclass(frozen=True)
class Faults:
    widow_on: int | None = None  # a paragraph's last line alone at the head of this page (0-based)
    rgb_rule_on: int | None = None
    unembedded_font_on: int | None = None
    low_ppi_image_on: int | None = None
    overfull_on: int | None = None  # the fourth line of this page runs 12 pt too wide
    drop_word: tuple[int, int] | None = None  # (page, n): the n-th word of the page is not drawn


@dataclass
class Paragraph:
    lines: list[list[str]] = field(default_factory=list)


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(ROOT / "fonts" / "eb-garamond" / "EBGaramond-Regular.ttf")))


def _width(words: list[str]) -> float:
    return pdfmetrics.stringWidth(" ".join(words), FONT, SIZE)


class _Words:
    def __init__(self) -> None:
        self.position = 0

    def next(self) -> str:
        word = VOCABULARY[(self.position * 7) % len(VOCABULARY)]
        self.position += 1
        return word


def _paragraph(words: _Words, lines: int) -> Paragraph:
    """A paragraph of exactly `lines` lines: full lines, then a last line of three or four words."""
    paragraph = Paragraph()
    for number in range(lines - 1):
        room = MEASURE - (INDENT if number == 0 else 0.0)
        line = [words.next()]
        while True:
            candidate = words.next()
            if _width([*line, candidate]) > room - 2.0:
                words.position -= 1
                break
            line.append(candidate)
        paragraph.lines.append(line)
    paragraph.lines.append([words.next() for _ in range(3 + lines % 2)])
    return paragraph


def paragraphs_for(pages: int, faults: Faults) -> list[list[int]]:
    """Paragraph lengths page by page; a widow moves one line of the last paragraph of the page before."""
    layout = [list(PAGE_PATTERN) for _ in range(pages)]
    if faults.widow_on:
        layout[faults.widow_on - 1][-1] += 1
        layout[faults.widow_on][0] -= 1
    return layout


def make_book(path: Path, pages: int = 8, faults: Faults | None = None) -> list[str]:
    """Write the book; returns its paragraphs' text (for a manuscript with the same words)."""
    faults = faults or Faults()
    _register_font()
    words = _Words()
    layout = paragraphs_for(pages, faults)
    flow: list[tuple[list[str], bool, bool]] = []  # (words, starts a paragraph, ends it)
    texts = []
    for page_counts in layout:
        for count in page_counts:
            paragraph = _paragraph(words, count)
            texts.append(" ".join(" ".join(line) for line in paragraph.lines))
            for number, line in enumerate(paragraph.lines):
                flow.append((line, number == 0, number == len(paragraph.lines) - 1))
    canvas = Canvas(str(path), pagesize=(WIDTH, HEIGHT), invariant=True, initialFontName=FONT)
    canvas.setTitle("A Proof Test")
    canvas.addPageLabel(0, "ARABIC", 1)
    for page in range(pages):
        canvas.setTrimBox((0, 0, WIDTH, HEIGHT))
        canvas.setFillColorCMYK(0, 0, 0, 1)
        left = INSIDE if page % 2 == 0 else OUTSIDE
        word_count = 0
        for row in range(LINES_PER_PAGE):
            line, starts, ends = flow[page * LINES_PER_PAGE + row]
            y = FIRST_BASELINE - row * LEADING
            shown = list(line)
            if faults.drop_word and faults.drop_word[0] == page and \
                    word_count <= faults.drop_word[1] < word_count + len(line):
                del shown[faults.drop_word[1] - word_count]
            word_count += len(line)
            extra = 12.0 if faults.overfull_on == page and row == 3 else 0.0
            _draw_line(canvas, shown, left + (INDENT if starts else 0.0), y,
                       None if ends else MEASURE - (INDENT if starts else 0.0) + extra)
        canvas.setFont(FONT, 10)
        canvas.drawCentredString(left + MEASURE / 2, BOTTOM / 2 - 3, str(page + 1))
        _faults_on_page(canvas, page, faults, left)
        canvas.showPage()
    canvas.save()
    return texts


def _draw_line(canvas: Canvas, words: list[str], x: float, y: float, width: float | None) -> None:
    """Words drawn one by one, justified to `width` (None: set at natural spacing)."""
    canvas.setFont(FONT, SIZE)
    natural = pdfmetrics.stringWidth(" ", FONT, SIZE)
    widths = [pdfmetrics.stringWidth(word, FONT, SIZE) for word in words]
    space = natural
    if width is not None and len(words) > 1:
        space = (width - sum(widths)) / (len(words) - 1)
    for word, advance in zip(words, widths):
        canvas.drawString(x, y, word)
        x += advance + space


def _faults_on_page(canvas: Canvas, page: int, faults: Faults, left: float) -> None:
    if faults.rgb_rule_on == page:
        canvas.saveState()
        canvas.setStrokeColorRGB(0.8, 0.1, 0.1)
        canvas.setLineWidth(0.5)
        canvas.line(left, 50, left + MEASURE, 50)
        canvas.restoreState()
    if faults.unembedded_font_on == page:
        canvas.setFont("Helvetica", 8)
        canvas.drawString(left, 44, "Set in a font the printer does not have")
    if faults.low_ppi_image_on == page:
        picture = Image.new("L", (36, 36), 200)
        canvas.drawImage(ImageReader(picture), left + MEASURE - 36, 8, width=36, height=36)


def write_manuscript(path: Path, paragraphs: list[str]) -> None:
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
