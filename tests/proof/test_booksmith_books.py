"""proof on books booksmith built: they pass with no error and every word of the manuscript is found
(how long proofing takes is a benchmark figure, not a test's)."""

from __future__ import annotations

from pathlib import Path

from booksmith.errors import Severity
from booksmith.pipeline import BuildResult
from booksmith.proof import ProofOptions, proof
from conftest import SAMPLE, corpus_file


def test_the_sample_book_passes_with_every_word_in_place(sample_build: BuildResult, tmp_path: Path) -> None:
    result = proof(sample_build.print_pdf.path, ProofOptions(manuscript=SAMPLE, out_dir=tmp_path / "proof"))
    errors = [f"{f.where}: {f.check}: {f.message}" for f in result.findings if f.severity == Severity.ERROR]
    assert errors == []
    counts = result.report.text_counts
    assert counts["missing"] == 0 and counts["extra"] == 0
    assert counts["front_matter"] > 0, "the title and copyright pages come before the text"
    assert len(list((tmp_path / "proof" / "spreads").glob("*.png"))) == result.pages // 2 + 1


def test_the_sample_books_geometry_is_read_from_its_pages(sample_build: BuildResult, tmp_path: Path) -> None:
    result = proof(sample_build.print_pdf.path, ProofOptions(images=False, out_dir=tmp_path / "proof"))
    preset = sample_build.preset
    geometry = result.report.geometry
    assert geometry.body_size == preset.body.size and geometry.leading == preset.body.leading
    assert geometry.recto_column[0] == round(preset.margins.inside, 1)
    assert abs(geometry.recto_column[1] - geometry.recto_column[0] - preset.measure) < 0.3
    assert geometry.justified


def test_pride_and_prejudice_proofs_with_no_error_and_every_word_found(novel_build: BuildResult,
                                                                      tmp_path: Path) -> None:
    """Images included, in worker processes on this machine's cores."""
    novel = corpus_file("pride-and-prejudice.md")
    result = proof(novel_build.print_pdf.path, ProofOptions(manuscript=novel, out_dir=tmp_path / "proof"))
    assert [f.message for f in result.findings if f.severity == Severity.ERROR] == []
    assert result.report.text_counts["missing"] == 0 and result.report.text_counts["extra"] == 0
    assert result.pages == novel_build.print_pdf.pages


def test_the_screen_pdf_is_proofed_with_the_screen_rules_though_its_sides_do_not_alternate(
        sample_build: BuildResult, tmp_path: Path) -> None:
    """The screen PDF drops the blank versos, so a page's column cannot be told from its number."""
    result = proof(sample_build.screen_pdf.path, ProofOptions(images=False, out_dir=tmp_path / "proof"))
    assert result.report.rules.name == "screen"
    assert [f"{f.where}: {f.message}" for f in result.findings if f.severity != Severity.NOTE] == []
    assert result.report.geometry.swapped, "some pages use the other column than their number suggests"
