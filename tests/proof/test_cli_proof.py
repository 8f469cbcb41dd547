"""`booksmith proof` as a writer runs it: a manuscript built and proofed in one go, and its mistakes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLE


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "booksmith", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_proofing_a_manuscript_builds_it_then_writes_the_proof_beside_the_print_pdf(tmp_path: Path) -> None:
    result = run("proof", str(SAMPLE), "--out", str(tmp_path), "--dpi", "40", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = tmp_path / "the-lighthouse-keepers-daughter"
    assert (folder / "the-lighthouse-keepers-daughter-print.pdf").is_file()
    proof = folder / "proof"
    assert {p.name for p in proof.iterdir()} == {"index.html", "report.json", "contact-sheet.png", "spreads"}
    assert "0 errors" in result.stdout and "passed: no errors" in result.stdout
    data = json.loads((proof / "report.json").read_text())
    assert data["passed"] and data["text"]["missing"] == 0
    assert len(data["spreads"]) == len(list((proof / "spreads").iterdir()))
    html = (proof / "index.html").read_text()
    assert "http://" not in html and "https://" not in html, "the report fetches nothing"


def test_mistakes_are_one_paragraph_errors_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "story.pdf").write_text("plain text")
    for args, expected in (
        (("proof", "nowhere.pdf"), "does not exist"),
        (("proof", "story.pdf"), "not a PDF"),
        (("proof", "story.pdf", "--layout", "novel-6x9"), "apply when proofing a manuscript"),
        (("proof", "story.pdf", "--printer", "kdpp"), "no printer rules named"),
        (("proof",), "needs a PDF or a manuscript"),
    ):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 1, args
        assert expected in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
