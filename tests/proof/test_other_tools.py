"""proof on a PDF booksmith did not make: ReportLab's own Platypus, with its defaults (Helvetica, not
embedded; RGB black; letter pages with no TrimBox) and an odd page count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from booksmith.cli import main
from booksmith.errors import Severity
from booksmith.proof import ProofOptions, proof

TEXT = ("It is a truth universally acknowledged, that a single man in possession of a good fortune, must be "
        "in want of a wife. ") * 6


@pytest.fixture(scope="module")
def platypus_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("platypus") / "report.pdf"
    styles = getSampleStyleSheet()
    story = [Paragraph("A Report", styles["Title"])]
    story += [Paragraph(TEXT, styles["BodyText"]) for _ in range(14)]
    story.append(Paragraph('<font color="red">This sentence is red.</font>', styles["BodyText"]))
    SimpleDocTemplate(str(path)).build(story)
    return path


def test_a_platypus_pdf_is_proofed_and_its_print_faults_reported(platypus_pdf: Path) -> None:
    result = proof(platypus_pdf)
    found = {(f.check, f.severity) for f in result.findings}
    assert ("font-not-embedded", Severity.ERROR) in found
    assert ("colour-rgb", Severity.ERROR) in found
    assert ("page-count", Severity.ERROR) in found
    assert ("page-boxes", Severity.WARNING) in found
    fonts = {f.message.split(" ")[0] for f in result.findings if f.check == "font-not-embedded"}
    assert fonts == {"Helvetica", "Helvetica-Bold"}
    assert {f.page for f in result.findings if f.check == "colour-rgb"} == {0, 1, 2}
    assert not result.passed
    assert result.pages == 3
    folder = platypus_pdf.parent / "proof"
    assert result.folder == folder
    assert (folder / "index.html").is_file() and (folder / "contact-sheet.png").is_file()
    assert len(list((folder / "spreads").glob("*.png"))) == 2  # page 1 alone, then pages 2 and 3
    data = json.loads((folder / "report.json").read_text())
    assert data["passed"] is False and data["pages"] == 3
    assert data["document"]["fonts"][0]["embedded"] is False


def test_the_command_line_proofs_it_and_exits_with_an_error(platypus_pdf: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["proof", str(platypus_pdf), "--out", str(tmp_path / "p"), "--dpi", "50"])
    out = capsys.readouterr().out
    assert code == 1
    assert "Font not embedded" in out and "Helvetica" in out
    assert "error" in out and str(tmp_path / "p" / "index.html") in out.replace("\n", "")


def test_under_screen_rules_the_same_file_has_no_print_errors(platypus_pdf: Path, tmp_path: Path) -> None:
    result = proof(platypus_pdf, ProofOptions(printer="screen", images=False, out_dir=tmp_path / "p"))
    assert result.passed
    assert {f.check for f in result.findings} == {"font-not-embedded"}
    assert {f.severity for f in result.findings} == {Severity.WARNING}
