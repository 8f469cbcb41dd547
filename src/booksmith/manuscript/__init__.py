"""parse_manuscript(): a Markdown or plain-text file into the document tree."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from booksmith.doctree import Book
from booksmith.errors import BooksmithError, Diagnostics, Location
from booksmith.manuscript.frontmatter import book_meta, split_front_matter
from booksmith.manuscript.markdown import parse_markdown_body
from booksmith.manuscript.plaintext import parse_plaintext_body
from booksmith.manuscript.typography import smarten

PLAIN_TEXT_SUFFIXES = {".txt", ".text"}


@dataclass(frozen=True)
class ManuscriptOptions:
    """What the command line adds to or overrides in the manuscript's own front matter."""

    title: str | None = None
    author: str | None = None


def parse_manuscript(
    path: Path, diagnostics: Diagnostics, options: ManuscriptOptions | None = None
) -> Book:
    options = options or ManuscriptOptions()
    text = read_manuscript_text(path)
    source = split_front_matter(text, path)
    footnotes: tuple = ()
    if path.suffix.lower() in PLAIN_TEXT_SUFFIXES:
        chapters = parse_plaintext_body(source.body, source.body_first_line)
    else:
        chapters, footnotes = parse_markdown_body(source.body, source.body_first_line, path, diagnostics)
    if not any(chapter.blocks for chapter in chapters if chapter.kind != "part"):
        raise BooksmithError(
            "the manuscript has no text to set" + (" (only headings)" if chapters else ""),
            Location(path),
            "Add paragraphs of text; a chapter is a '#' heading followed by its paragraphs.",
        )
    meta = book_meta(source, path, _fallback_title(path), diagnostics)
    if options.title:
        meta = replace(meta, title=smarten(options.title))
    if options.author:
        meta = replace(meta, author=smarten(options.author))
    return Book(meta, chapters, path, footnotes)


def _fallback_title(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").strip().title() or "Untitled"


def read_manuscript_text(path: Path) -> str:
    """Read UTF-8 text (a byte-order mark and CRLF line ends are accepted silently)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BooksmithError("the manuscript file does not exist", Location(path),
                             "Check the path and the file name.") from None
    except IsADirectoryError:
        raise BooksmithError("the manuscript path is a folder, not a file", Location(path),
                             "Name the .md or .txt file inside it.") from None
    except OSError as error:
        raise BooksmithError(f"the manuscript cannot be read ({error.strerror})", Location(path),
                             "Check the file's permissions.") from None
    if not data.strip():
        raise BooksmithError("the manuscript is empty", Location(path),
                             "Write some text in it, or name another file.")
    if b"\x00" in data[:8192]:
        raise BooksmithError("the manuscript is a binary file, not text", Location(path),
                             "Export the manuscript as Markdown (.md) or plain text (.txt), UTF-8.")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        guess = "Windows-1252" if 0x80 <= byte <= 0x9F else "Latin-1 (ISO-8859-1) or Windows-1252"
        raise BooksmithError(
            f"the manuscript is not UTF-8: byte 0x{byte:02X} at offset {error.start} cannot be decoded",
            Location(path, line),
            f"It looks like {guess}; save it again as UTF-8 (for example: iconv -f CP1252 -t UTF-8).",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
