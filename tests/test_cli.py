"""The command line as a writer uses it: real processes, real files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLE


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "booksmith", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_build_writes_both_pdfs_under_the_slug_and_says_so(tmp_path: Path) -> None:
    result = run("build", str(SAMPLE), "--out", str(tmp_path), "--layout", "classic-5x8", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    slug = "the-lighthouse-keepers-daughter"
    for kind in ("print", "screen"):
        path = tmp_path / slug / f"{slug}-{kind}.pdf"
        assert path.is_file()
        assert str(path) in result.stdout
    assert "pages)" in result.stdout
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_plain_text_story_takes_its_title_and_author_from_options(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("The first paragraph of a short story.\nThe second one, which ends it.\n")
    result = run("build", str(story), "--title", "A Short One", "--author", "N. Body", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dist" / "story" / "story-print.pdf").is_file()


def test_layouts_lists_every_preset_with_trim_and_font() -> None:
    result = run("layouts", cwd=ROOT)
    assert result.returncode == 0
    for name in ("classic-5x8", "trade-5.5x8.5", "novel-6x9"):
        line = next(line for line in result.stdout.splitlines() if line.startswith(name))
        assert " in " in line and ("Garamond" in line or "Charis" in line)


def test_layouts_show_prints_the_resolved_preset_as_json() -> None:
    result = run("layouts", "show", "novel-6x9", cwd=ROOT)
    assert result.returncode == 0
    assert '"leading": 14.0' in result.stdout


def test_a_missing_manuscript_is_a_one_paragraph_error_without_a_traceback(tmp_path: Path) -> None:
    result = run("build", "nowhere.md", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nowhere.md" in result.stderr and "does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_layout_lists_the_presets_and_suggests_the_nearest(tmp_path: Path) -> None:
    result = run("build", str(SAMPLE), "--layout", "novel-6x8", cwd=tmp_path)
    assert result.returncode == 1
    assert "Did you mean 'novel-6x9'?" in result.stderr
    assert "classic-5x8" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_a_failed_build_leaves_the_previous_pdf_in_place(tmp_path: Path) -> None:
    book = tmp_path / "book.md"
    book.write_text("# One\n\nSome text for the first build.\n")
    assert run("build", str(book), cwd=tmp_path).returncode == 0
    pdf = tmp_path / "dist" / "book" / "book-print.pdf"
    before = pdf.read_bytes()
    book.write_text("# One\n\nA snowman \u2603 that no font can draw.\n")
    result = run("build", str(book), cwd=tmp_path)
    assert result.returncode == 1
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["book-print.pdf", "book-screen.pdf"]


def test_several_books_build_at_once_and_one_failing_does_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text("# One\n\nA book that builds.\n")
    other = tmp_path / "other.txt"
    other.write_text("A story of one line.\nAnd a second.\n")
    empty = tmp_path / "empty.md"
    empty.write_text("\n")
    result = run("build", str(good), str(empty), str(other), cwd=tmp_path)
    assert result.returncode == 1
    assert "empty.md" in result.stderr and "Traceback" not in result.stderr
    for slug in ("good", "other"):
        assert (tmp_path / "dist" / slug / f"{slug}-print.pdf").is_file()


def test_watch_rebuilds_when_the_manuscript_is_saved(tmp_path: Path) -> None:
    import signal
    import threading
    import time

    book = tmp_path / "book.md"
    book.write_text("# One\n\nThe first version.\n")
    process = subprocess.Popen([sys.executable, "-m", "booksmith", "build", str(book), "--watch"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(60, process.kill)  # a watch that never rebuilds fails, never hangs
    watchdog.start()
    pdf = tmp_path / "dist" / "book" / "book-print.pdf"
    deadline = time.time() + 60
    while not pdf.exists() and time.time() < deadline:
        time.sleep(0.2)
    first = pdf.read_bytes()
    time.sleep(1.0)
    book.write_text("# One\n\nThe second version, rather longer than the first one was.\n")
    # the rebuild is done when it says so (its PDF is renamed into place a moment before)
    out = ""
    for line in process.stdout:  # type: ignore[union-attr]
        out += line
        if "rebuilt in" in line:
            break
    process.send_signal(signal.SIGINT)
    rest, err = process.communicate(timeout=30)
    watchdog.cancel()
    assert pdf.read_bytes() != first
    assert "rebuilt in" in out + rest
    assert process.returncode == 0 and "Traceback" not in err
