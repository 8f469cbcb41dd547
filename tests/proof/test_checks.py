"""proof on PDFs with one known fault each: it finds exactly that fault (errors and warnings; notes on
loose lines are the drawing's own), on the right page, with the right severity, and the command's exit
code follows the severity."""

from __future__ import annotations

from pathlib import Path

import pytest
from bookmaker import Faults, make_book, write_manuscript

from booksmith.cli import main
from booksmith.errors import Severity
from booksmith.proof import ProofOptions, ProofResult, proof

ERROR, WARNING = Severity.ERROR, Severity.WARNING

# fault -> (check, page index, severity)
CASES = {
    "widow": (Faults(widow_on=3), "widow", 3, WARNING),
    "rgb rule": (Faults(rgb_rule_on=2), "colour-rgb", 2, ERROR),
    "font not embedded": (Faults(unembedded_font_on=4), "font-not-embedded", 4, ERROR),
    "72 ppi image": (Faults(low_ppi_image_on=5), "image-resolution", 5, ERROR),
    "overfull line": (Faults(overfull_on=6), "overfull-line", 6, ERROR),
    "missing word": (Faults(drop_word=(3, 40)), "missing-words", 3, ERROR),
}


def serious(result: ProofResult) -> list[tuple[str, int | None, Severity]]:
    return [(f.check, f.page, f.severity) for f in result.findings if f.severity != Severity.NOTE]


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("faulty")
    made = {}
    for name, (faults, *_) in {"clean": (Faults(),), **CASES}.items():
        slug = name.replace(" ", "-")
        pdf, manuscript = folder / f"{slug}.pdf", folder / f"{slug}.md"
        write_manuscript(manuscript, make_book(pdf, faults=faults))
        made[name] = (pdf, manuscript)
    return made


def run(book: tuple[Path, Path], tmp_path: Path) -> ProofResult:
    pdf, manuscript = book
    return proof(pdf, ProofOptions(manuscript=manuscript, images=False, out_dir=tmp_path / "proof"))


def test_a_clean_book_has_no_errors_or_warnings(books, tmp_path: Path) -> None:
    result = run(books["clean"], tmp_path)
    assert serious(result) == []
    assert result.passed
    assert {f.check for f in result.findings} <= {"loose-line"}
    assert result.report.text_counts["missing"] == result.report.text_counts["extra"] == 0


@pytest.mark.parametrize("fault", list(CASES))
def test_each_fault_is_found_alone_on_its_page_with_its_severity(books, fault: str, tmp_path: Path) -> None:
    _, check, page, severity = CASES[fault]
    result = run(books[fault], tmp_path)
    assert serious(result) == [(check, page, severity)]
    assert result.passed == (severity != ERROR)
    [finding] = [f for f in result.findings if f.check == check]
    assert finding.folio == str(page + 1), "the folio comes from the page labels"
    assert finding.box is not None


def test_the_findings_say_what_and_where(books, tmp_path: Path) -> None:
    messages = {}
    for fault in ("widow", "72 ppi image", "missing word", "overfull line"):
        [finding] = [f for f in run(books[fault], tmp_path / fault).findings if f.severity != Severity.NOTE]
        messages[fault] = finding
    assert "alone at the head of the page" in messages["widow"].message
    assert "72 ppi" in messages["72 ppi image"].message and "36×36 px" in messages["72 ppi image"].message
    assert "manuscript line" in messages["missing word"].message
    assert "12.0 pt past the measure" in messages["overfull line"].message
    image = messages["72 ppi image"].box
    assert image == pytest.approx((0.65 * 72 + 327.6 - 36, 8, 0.65 * 72 + 327.6, 44), abs=0.1)


EXIT_CODES = [("clean", 0), ("widow", 0), ("rgb rule", 1), ("missing word", 1)]


@pytest.mark.parametrize(("fault", "code"), EXIT_CODES)
def test_the_command_exits_non_zero_exactly_when_there_is_an_error(
        books, fault: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf, manuscript = books[fault]
    assert main(["proof", str(pdf), "--manuscript", str(manuscript), "--no-images",
                 "--out", str(tmp_path / "proof")]) == code
    out = capsys.readouterr().out
    assert ("passed: no errors" in out) == (code == 0)
    if fault == "rgb rule":
        assert "RGB colour in a print file" in out and "p. 3" in out


def test_a_missing_word_names_the_words_the_page_and_the_manuscript_line(books, tmp_path: Path) -> None:
    pdf, manuscript = books["missing word"]
    result = run((pdf, manuscript), tmp_path)
    [finding] = [f for f in result.findings if f.check == "missing-words"]
    paragraphs = manuscript.read_text().split("\n\n")
    line = int(finding.message.rsplit("manuscript line ", 1)[1].rstrip(")"))
    dropped = finding.message.split("“")[2].split("”")[0]
    source = manuscript.read_text().splitlines()[line - 1]
    assert dropped in source.split()
    assert len(paragraphs) > 40
