"""Word spacing read from a PDF's text layer (proof/spacing.py): the same measure for booksmith's PDFs and
any other program's, checked against spacing known when the PDF was drawn and against booksmith's own
figures for the book it built."""

from __future__ import annotations

import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from booksmith.pipeline import BuildOptions, build
from booksmith.proof.spacing import measure_spacing
from conftest import ROOT, SAMPLE

FONT = "SpacingTestGaramond"
SIZE, LEADING = 11.0, 14.0
WIDTH, HEIGHT = 432.0, 648.0
LEFT, MEASURE = 54.0, 324.0
LINES_PER_PAGE = 33  # the first page ends inside a paragraph, the second at its end
# words ending in f: PDFium's box for an f takes in the ink of its hook, 0.1 em past its advance
WORDS = [
    "half",
    "of",
    "the",
    "keeper",
    "kept",
    "a",
    "lamp",
    "lit",
    "for",
    "the",
    "ships",
    "out",
    "of",
    "sight",
    "and",
    "of",
    "the",
    "reef",
    "itself",
    "she",
    "knew",
    "little",
    "but",
    "the",
    "sound",
    "of",
    "it",
    "at",
    "night",
    "when",
    "the",
    "wind",
    "came",
    "round",
    "off",
    "the",
    "sea",
    "and",
    "the",
    "glass",
    "fell",
]


@dataclass(frozen=True)
class DrawnLine:
    words: list[str]
    space_em: float | None  # None: set at natural spacing (a paragraph's last line)
    indent: float = 0.0


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(ROOT / "fonts" / "eb-garamond" / "EBGaramond-Regular.ttf")))


def _natural() -> float:
    _register_font()
    return pdfmetrics.stringWidth(" ", FONT, SIZE) / SIZE


def _lines() -> list[DrawnLine]:
    """Paragraphs of six lines, the last one short; one full line in five filled only to three
    quarters of the measure by its words, so that its spaces open wide; three lines in a row that
    end with a hyphen."""
    lines: list[DrawnLine] = []
    position = 0
    for number in range(LINES_PER_PAGE * 2):
        last = number % 6 == 5
        indent = SIZE if number % 6 == 0 else 0.0
        room = (MEASURE - indent) * (0.75 if number % 5 == 2 else 1.0)
        hyphen = number in (7, 8, 9)
        words: list[str] = []
        while True:
            word = WORDS[position % len(WORDS)]
            text = " ".join([*words, word]) + ("-" if hyphen else "")
            if pdfmetrics.stringWidth(text, FONT, SIZE) > room - 2 or (last and len(words) == 4):
                break
            words.append(word)
            position += 1
        if hyphen:
            words[-1] += "-"
        if last:
            lines.append(DrawnLine(words, None, indent))
            continue
        ink = sum(pdfmetrics.stringWidth(word, FONT, SIZE) for word in words)
        lines.append(DrawnLine(words, (MEASURE - indent - ink) / (len(words) - 1) / SIZE, indent))
    return lines


def _draw(path: Path, lines: list[DrawnLine]) -> None:
    """Two pages: a running head in small type, the lines, and a folio in the body size at the foot
    (as LaTeX sets it). Each line is one string whose spaces are drawn and widened by word spacing,
    as booksmith and most programs draw them."""
    canvas = Canvas(str(path), pagesize=(WIDTH, HEIGHT), invariant=True, initialFontName=FONT)
    natural = pdfmetrics.stringWidth(" ", FONT, SIZE)
    for page in range(2):
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(LEFT + MEASURE / 2, HEIGHT - 40, "A SPACING TEST")
        for row in range(LINES_PER_PAGE):
            line = lines[page * LINES_PER_PAGE + row]
            text = canvas.beginText(LEFT + line.indent, HEIGHT - 72 - row * LEADING)
            text.setFont(FONT, SIZE)
            # word spacing is text state: it lasts from one text object to the next unless set again
            text.setWordSpace(0.0 if line.space_em is None else line.space_em * SIZE - natural)
            text.textOut(" ".join(line.words))
            canvas.drawText(text)
        canvas.setFont(FONT, SIZE)
        canvas.drawCentredString(LEFT + MEASURE / 2, 40, str(page + 1))
        canvas.showPage()
    canvas.save()


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[DrawnLine]]:
    path = tmp_path_factory.mktemp("spacing") / "drawn.pdf"
    _register_font()
    lines = _lines()
    _draw(path, lines)
    return path, lines


def _expected_spaces(lines: list[DrawnLine]) -> list[float]:
    return [line.space_em for line in lines if line.space_em is not None]


def test_word_spaces_drawn_at_known_widths_are_read_back_to_a_thousandth_of_an_em(drawn) -> None:
    path, lines = drawn
    figures = measure_spacing(path, _natural())
    assert figures is not None
    spaces = sorted(_expected_spaces(lines))
    assert figures.measured_lines == len(spaces)
    assert figures.space_median_em == pytest.approx(statistics.median(spaces), abs=0.001)
    assert figures.space_p95_em == pytest.approx(spaces[int(len(spaces) * 0.95)], abs=0.001)
    loose = sum(1 for space in spaces if space > 1.5 * _natural())
    assert loose > 0, "the test draws some lines loose"
    assert figures.loose_lines == loose


def test_a_folio_in_the_body_size_is_not_read_as_the_pages_last_line(drawn) -> None:
    path, lines = drawn
    figures = measure_spacing(path, _natural())
    assert figures is not None
    # the last line of the first page continues its paragraph on the next: it is measured
    assert lines[LINES_PER_PAGE - 1].space_em is not None
    assert figures.measured_lines == sum(1 for line in lines if line.space_em is not None)
    assert figures.body_lines == len(lines)


def test_hyphenated_lines_and_the_longest_run_of_them_are_counted(drawn) -> None:
    path, _ = drawn
    figures = measure_spacing(path, _natural())
    assert figures is not None
    assert figures.hyphenated_lines == 3
    assert figures.longest_hyphen_ladder == 3


def test_without_a_natural_space_given_it_is_read_from_the_paragraphs_last_lines(drawn) -> None:
    path, _ = drawn
    figures = measure_spacing(path)
    assert figures is not None and not figures.natural_given
    assert figures.natural_space_em == pytest.approx(_natural(), abs=0.002)


def test_a_pdf_with_no_running_text_has_no_figures(tmp_path: Path) -> None:
    path = tmp_path / "poster.pdf"
    canvas = Canvas(str(path), pagesize=(WIDTH, HEIGHT), invariant=True)
    canvas.drawString(100, 300, "A poster")
    canvas.showPage()
    canvas.save()
    assert measure_spacing(path) is None


def test_booksmiths_pdf_gives_the_figures_booksmith_reports_for_it(tmp_path: Path) -> None:
    """The build's own summary also counts block quotes (set smaller) and lines ended by a hard break
    (set at their natural spacing, short of the measure): without those, the sample book leaves only
    justified body text for the two to agree on, and they agree line for line."""
    prose = tmp_path / "prose.md"
    kept = [
        line
        for line in SAMPLE.read_text(encoding="utf-8").splitlines()
        if not line.startswith(">") and not line.endswith("\\")
    ]
    prose.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = build(prose, BuildOptions(layout="novel-6x9", out_dir=tmp_path / "dist"))
    own = result.summary
    figures = measure_spacing(result.print_pdf.path, own.natural_space_em)
    assert figures is not None
    assert figures.space_median_em == pytest.approx(own.space_median_em, abs=0.0001)
    assert figures.space_p95_em == pytest.approx(own.space_p95_em, abs=0.0001)
    assert figures.loose_line_share == pytest.approx(own.loose_line_share, abs=0.0001)
    assert figures.longest_hyphen_ladder == own.longest_hyphen_ladder


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="XeLaTeX is not installed")
def test_in_a_xelatex_pdf_a_word_ending_in_f_is_spaced_like_the_others(tmp_path: Path) -> None:
    """XeLaTeX draws no spaces: a word's end is its last letter's origin plus its width in the font."""
    fonts = ROOT / "fonts" / "eb-garamond"
    (tmp_path / "f.tex").write_text(
        "\\documentclass{article}\\usepackage{fontspec}\n"
        f"\\setmainfont{{EBGaramond-Regular.ttf}}[Path={fonts}/]\n"
        "\\begin{document}\\frenchspacing\n"
        + ("Half of the keeper of the light kept a lamp lit for the ships out of sight of the reef. " * 12)
        + "\n\\end{document}\n",
        encoding="utf-8",
    )
    subprocess.run(
        ["xelatex", "-interaction=nonstopmode", "f.tex"], cwd=tmp_path, check=True, capture_output=True
    )
    from booksmith.proof.textlayer import read_text

    page = read_text(tmp_path / "f.pdf", [0], advance_ends=True)[0]
    full = [line for line in page.lines if len(line.words) > 8][:-1]
    assert full
    for line in full:
        after_f = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:]) if a.text.endswith("f")]
        others = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:]) if not a.text.endswith("f")]
        assert after_f and others
        assert max(after_f) == pytest.approx(statistics.median(others), abs=0.02)
