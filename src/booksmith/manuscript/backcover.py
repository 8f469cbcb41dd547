"""The back cover's text (the blurb): given on the command line as text or a file, or in the front
matter as 'back_cover:', read as Markdown paragraphs (emphasis, quotes and dashes as in the book)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from booksmith.doctree import Paragraph
from booksmith.errors import BooksmithError, Diagnostics, Location
from booksmith.manuscript.markdown import parse_markdown_body

TEXT_FILE_SUFFIXES = (".md", ".markdown", ".txt", ".text")
MAX_CHARACTERS = 20_000  # far more than any back cover holds; the fit check says how much does


@dataclass(frozen=True)
class BackText:
    """The text as written, and where it comes from (its first line there)."""

    text: str
    where: Location | None


def back_text_from_option(value: str) -> BackText:
    """`--back-text` names a file when one exists at that path, or looks like a file name; anything
    else is the text itself."""
    path = Path(value)
    looks_like_file = "\n" not in value and path.suffix.lower() in TEXT_FILE_SUFFIXES
    if looks_like_file or (len(value) < 4096 and _is_file(path)):
        try:
            return BackText(path.read_text(encoding="utf-8-sig"), Location(path, 1))
        except FileNotFoundError:
            raise BooksmithError("the back-cover text file does not exist", Location(path),
                                 "Check the path given to --back-text, or give the text itself in quotes.") \
                from None
        except (OSError, UnicodeDecodeError) as error:
            raise BooksmithError(f"the back-cover text file cannot be read ({error})", Location(path),
                                 "Save it as UTF-8 text.") from None
    return BackText(value, None)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a long text is not a path the system can look up
        return False


def back_text_paragraphs(back: BackText, diagnostics: Diagnostics) -> tuple[Paragraph, ...]:
    """The text as paragraphs. Anything else (a heading, a list, a table) is refused: a back cover
    is set as running paragraphs."""
    where = back.where or Location(None)
    if len(back.text) > MAX_CHARACTERS:
        raise BooksmithError(f"the back-cover text has {len(back.text):,} characters, far more than a back "
                             "cover holds", where, "Give the blurb only, a few paragraphs.")
    source = where.file or Path("back-cover.md")
    first_line = where.line or 1
    text = back.text.replace("\r\n", "\n")
    chapters, footnotes = parse_markdown_body(text, first_line, source, diagnostics)
    paragraphs: list[Paragraph] = []
    for chapter in chapters:
        if chapter.title is not None or chapter.heading:
            raise BooksmithError("the back-cover text has a heading", Location(where.file, chapter.line),
                                 "Write the blurb as plain paragraphs; emphasis (*like this*) is kept.")
        for block in chapter.blocks:
            if not isinstance(block, Paragraph):
                kind = type(block).__name__.lower()
                raise BooksmithError(f"the back-cover text holds a {kind}, not only paragraphs",
                                     Location(where.file, getattr(block, "line", None)),
                                     "Write the blurb as plain paragraphs separated by blank lines.")
            paragraphs.append(block)
    if footnotes:
        raise BooksmithError("the back-cover text has a footnote", where, "Leave footnotes to the book.")
    if not paragraphs:
        raise BooksmithError("the back-cover text is empty", where,
                             "Write the blurb, or leave out --back-text and 'back_cover:'.")
    return tuple(paragraphs)
