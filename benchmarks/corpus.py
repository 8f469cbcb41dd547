"""The books the benchmark builds, generated into the scratch folder from ../shared/corpus.

- `pride-and-prejudice.md` as it is (about 122k words);
- `pride-and-prejudice-300k.md`, made by the corpus's own `scale.py --words 300000`;
- `seed-story.txt` (551 words, plain text, built with --title/--author), plus a Markdown twin of it
  (same paragraphs and title) for Typst, whose driver reads Markdown only.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FRONT_MATTER = re.compile(r"---\n.*?\n---\n", re.S)
SEED_TITLE = "The Seed"
SEED_AUTHOR = "A. Writer"
SCALED_WORDS = 300_000


@dataclass(frozen=True)
class Book:
    key: str                      # short name used by --book: seed, novel, 300k
    manuscript: Path              # what booksmith builds
    build_args: tuple[str, ...]   # extra arguments to `booksmith build`
    typst_source: Path            # the same book as Markdown, for the Typst driver
    words: int

    @property
    def name(self) -> str:
        return self.manuscript.name


def count_words(text: str) -> int:
    """Words of the body, counted as scale.py counts them (runs of non-space after the front matter)."""
    match = FRONT_MATTER.match(text)
    body = text[match.end():] if match else text
    return len(re.findall(r"\S+", body))


def generate(corpus: Path, folder: Path, keys: list[str]) -> list[Book]:
    """Write the books named by keys (in the order seed, novel, 300k) into folder; return them."""
    folder.mkdir(parents=True, exist_ok=True)
    makers = {"seed": _seed, "novel": _novel, "300k": _scaled}
    return [makers[key](corpus, folder) for key in makers if key in keys]


def _novel(corpus: Path, folder: Path) -> Book:
    target = folder / "pride-and-prejudice.md"
    shutil.copyfile(corpus / "pride-and-prejudice.md", target)
    return _markdown_book("novel", target)


def _scaled(corpus: Path, folder: Path) -> Book:
    target = folder / "pride-and-prejudice-300k.md"
    subprocess.run([sys.executable, str(corpus / "scale.py"), str(corpus / "pride-and-prejudice.md"),
                    str(target), "--words", str(SCALED_WORDS)], check=True, capture_output=True)
    return _markdown_book("300k", target)


def _markdown_book(key: str, manuscript: Path) -> Book:
    words = count_words(manuscript.read_text(encoding="utf-8"))
    return Book(key=key, manuscript=manuscript, build_args=(), typst_source=manuscript, words=words)


def _seed(corpus: Path, folder: Path) -> Book:
    target = folder / "seed-story.txt"
    shutil.copyfile(corpus / "seed-story.txt", target)
    text = target.read_text(encoding="utf-8")
    twin = folder / "seed-story.md"
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    twin.write_text(f'---\ntitle: "{SEED_TITLE}"\nauthor: "{SEED_AUTHOR}"\n---\n\n' + "\n\n".join(paragraphs)
                    + "\n", encoding="utf-8")
    return Book(key="seed", manuscript=target, build_args=("--title", SEED_TITLE, "--author", SEED_AUTHOR),
                typst_source=twin, words=count_words(text))


def edited_versions(text: str, count: int) -> list[str]:
    """count versions of a Markdown manuscript, each with one more body paragraph changed than the last.

    Consecutive versions differ in exactly one paragraph, as when a writer edits and saves. The
    paragraphs are long ones spread through the middle of the book; each gains a short sentence, so
    its lines (and possibly the pages after it) change.
    """
    blocks = text.split("\n\n")
    candidates = [i for i, block in enumerate(blocks)
                  if len(block) > 300 and not block.lstrip().startswith(("#", ">", "*", "-", "---"))]
    if len(candidates) < count:
        raise ValueError(f"only {len(candidates)} long paragraphs to edit, {count} wanted")
    middle = candidates[len(candidates) // 4: 3 * len(candidates) // 4] or candidates
    step = max(1, len(middle) // count)
    chosen = [middle[(i * step) % len(middle)] for i in range(count)]
    versions = []
    for index in chosen:
        blocks[index] = blocks[index].rstrip() + " Nobody, it seemed, had thought of that before."
        versions.append("\n\n".join(blocks))
    return versions
