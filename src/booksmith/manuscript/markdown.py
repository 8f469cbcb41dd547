"""Markdown manuscripts (CommonMark, via markdown-it-py; the only module that imports markdown_it).

'#' headings open chapters; a heading that starts with "Part" opens a part; headings named like
back matter ("Acknowledgements", "About the Author", "Also by …") open back-matter sections.
Thematic breaks ('* * *', '***', '---') are scene breaks. Beyond CommonMark: footnotes ([^1]),
tables, small caps ([text]{.smallcaps}) and verse (a '::: verse' block, one line a line).
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from booksmith.doctree import (
    Block,
    BlockQuote,
    Chapter,
    Figure,
    Footnote,
    FootnoteRef,
    Inline,
    LineBreak,
    ListBlock,
    Paragraph,
    SceneBreak,
    Span,
    Table,
    Verse,
)
from booksmith.errors import Diagnostics, Location
from booksmith.manuscript.typography import smarten

BACK_MATTER = re.compile(r"^(acknowledge?ments|about the author|also by\b.*|afterword)$", re.IGNORECASE)
PART = re.compile(r"^part\b", re.IGNORECASE)
# nesting deeper than this (block quotes in block quotes …) is set flat, so hostile input cannot
# make the layout recurse without bound
MAX_NESTING = 12


def parse_markdown_body(
    body: str, first_line: int, path: Path, diagnostics: Diagnostics
) -> tuple[tuple[Chapter, ...], tuple[Footnote, ...]]:
    parser = (
        MarkdownIt("commonmark", {"html": False, "typographer": False})
        .enable("table")
        .use(footnote_plugin)
        .use(attrs_plugin, spans=True)
        .use(container_plugin, name="verse")
    )
    tokens = parser.parse(_flatten_deep_quotes(body, first_line, path, diagnostics))
    builder = _TreeBuilder(first_line, path, diagnostics)
    builder.walk(tokens)
    return builder.chapters(), tuple(builder.footnotes)


_DEEP_QUOTE = re.compile(rf"^(?:[ \t]{{0,3}}>[ \t]?){{{MAX_NESTING + 1},}}")


def _flatten_deep_quotes(body: str, first_line: int, path: Path, diagnostics: Diagnostics) -> str:
    """Block quotes nested deeper than the parser goes would lose their text: they are set at the
    deepest level instead, with a warning."""
    lines = body.split("\n")
    flattened = False
    for number, line in enumerate(lines):
        match = _DEEP_QUOTE.match(line)
        if match:
            lines[number] = "> " * MAX_NESTING + line[match.end() :]
            if not flattened:
                diagnostics.warn(f"block quotes nested more than {MAX_NESTING} deep are set at that depth",
                                 Location(path, first_line + number), "Check the '>' marks on that line.")
            flattened = True
    return "\n".join(lines) if flattened else body


class _Container:
    """An open block container: the chapter body, a block quote, a list item, a footnote, verse."""

    def __init__(self, kind: str, line: int, extra: dict | None = None) -> None:
        self.kind = kind
        self.line = line
        self.blocks: list[Block] = []
        self.extra = extra or {}


class _TreeBuilder:
    def __init__(self, first_line: int, path: Path, diagnostics: Diagnostics) -> None:
        self.offset = first_line - 1
        self.path = path
        self.diagnostics = diagnostics
        self.done: list[Chapter] = []
        self.heading: tuple[str, str, str | None, int] | None = None  # kind, as written, title, line
        self.stack: list[_Container] = [_Container("chapter", first_line)]
        self.footnotes: list[Footnote] = []
        self.footnote_numbers: dict[int, int] = {}  # markdown-it's note id -> number in the book
        self.table: dict | None = None

    def line_of(self, token: Token) -> int:
        return (token.map[0] if token.map else 0) + 1 + self.offset

    def walk(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                self._heading(token, tokens[index + 1])
                index += 2
            elif kind == "paragraph_open":
                self._paragraph(tokens[index + 1], self.line_of(token))
                index += 2
            elif kind == "hr":
                self._append(SceneBreak(self.line_of(token)))
            elif kind in ("fence", "code_block"):
                self._append(self._verbatim(token))
            elif kind.endswith("_open") and kind in _CONTAINERS:
                self._open(kind, token)
            elif kind.endswith("_close") and kind in _CONTAINERS:
                self._close(kind)
            elif kind == "table_open":
                index = self._table(tokens, index)
            index += 1

    # -- containers --------------------------------------------------------------------------------

    def _open(self, kind: str, token: Token) -> None:
        extra: dict = {}
        if kind == "ordered_list_open":
            extra["start"] = int(token.attrs.get("start", 1) or 1)
        if kind == "footnote_open":
            extra["id"] = token.meta.get("id", 0)
        self.stack.append(_Container(kind, self.line_of(token) if token.map else self.stack[-1].line, extra))

    def _close(self, kind: str) -> None:
        if len(self.stack) < 2:
            return
        container = self.stack.pop()
        blocks = tuple(container.blocks)
        if container.kind == "blockquote_open":
            self._append(BlockQuote(blocks, container.line))
        elif container.kind == "list_item_open":
            self.stack[-1].blocks.append(_ListItem(blocks))  # type: ignore[arg-type]
        elif container.kind in ("bullet_list_open", "ordered_list_open"):
            items = tuple(item.blocks for item in container.blocks if isinstance(item, _ListItem))
            self._append(ListBlock(container.kind == "ordered_list_open", container.extra.get("start", 1),
                                   items, container.line))
        elif container.kind == "container_verse_open":
            stanzas = tuple(_verse_lines(block.inlines) for block in blocks if isinstance(block, Paragraph))
            self._append(Verse(stanzas, container.line))
        elif container.kind == "footnote_open":
            number = self._footnote_number(container.extra["id"])
            self.footnotes.append(Footnote(number, blocks, container.line))

    def _append(self, block: Block) -> None:
        depth = sum(1 for c in self.stack if c.kind == "blockquote_open")
        if depth > MAX_NESTING and isinstance(block, BlockQuote):
            self.stack[-1].blocks.extend(block.blocks)
            return
        self.stack[-1].blocks.append(block)

    # -- headings ------------------------------------------------------------------------------------

    def _heading(self, token: Token, inline: Token) -> None:
        text = "".join(span.text for span in self._inlines(inline) if isinstance(span, Span)).strip()
        line = self.line_of(token)
        in_part = (self.heading is not None and self.heading[0] == "part") or any(
            chapter.kind == "part" for chapter in self.done)
        chapter_level = token.tag == "h1" or (token.tag == "h2" and in_part)
        if not chapter_level or any(c.kind != "chapter" for c in self.stack[1:]):
            self.diagnostics.warn(
                f"a level-{token.tag[1]} heading is set as a bold line, not a chapter",
                Location(self.path, line),
                "Use '#' for chapters and parts (or '##' for the chapters inside a '# Part …').",
            )
            self._append(Paragraph((Span(text, bold=True),), line))
            return
        self._close_chapter()
        if PART.match(text):
            self.heading = ("part", text, text, line)
        elif BACK_MATTER.match(text):
            self.heading = ("back", text, text, line)
        else:
            self.heading = ("chapter", text, _chapter_title(text), line)

    def _close_chapter(self) -> None:
        while len(self.stack) > 1:  # a heading ends whatever was open
            self._close(self.stack[-1].kind)
        blocks = self.stack[0].blocks
        if self.heading is not None:
            kind, written, title, line = self.heading
            self.done.append(Chapter(title, tuple(blocks), line, kind, written))
        elif blocks:
            self.done.append(Chapter(None, tuple(blocks), self.stack[0].line))
        self.stack = [_Container("chapter", self.heading[3] if self.heading else self.stack[0].line)]

    def chapters(self) -> tuple[Chapter, ...]:
        self._close_chapter()
        self.footnotes.sort(key=lambda note: note.number)
        return tuple(self.done)

    # -- paragraphs and inlines ----------------------------------------------------------------------

    def _paragraph(self, inline: Token, line: int) -> None:
        children = inline.children or []
        if len(children) == 1 and children[0].type == "image":
            image = children[0]
            caption = tuple(self._inline_children(image.children or []))
            full_page = "full-page" in str(image.attrs.get("class", "")).split()
            self._append(Figure(str(image.attrs.get("src", "")), caption, line, full_page))
            return
        verse = self.stack[-1].kind == "container_verse_open"
        self._append(Paragraph(tuple(self._inline_children(children, line, verse)), line))

    def _verbatim(self, token: Token) -> Paragraph:
        lines = token.content.rstrip("\n").split("\n")
        inlines: list[Inline] = []
        for number, text in enumerate(lines):
            if number:
                inlines.append(LineBreak())
            inlines.append(Span(text))
        return Paragraph(tuple(inlines), self.line_of(token))

    def _inlines(self, inline: Token) -> list[Inline]:
        return self._inline_children(inline.children or [], self.line_of(inline))

    def _inline_children(self, children: list[Token], line: int = 0, verse: bool = False) -> list[Inline]:
        style = _InlineStyle()
        spans: list[Inline] = []
        previous = ""
        for position, child in enumerate(children):
            kind = child.type
            span = style.span
            if kind in ("text", "code_inline"):
                following = _next_character(children, position + 1)
                smart = smarten(child.content, previous, following) if kind == "text" else child.content
                if smart:
                    spans.append(span(smart))
                    previous = smart[-1]
            elif kind == "softbreak" and verse:
                spans.append(LineBreak())
                previous = " "
            elif kind == "softbreak":
                spans.append(span(" "))
                previous = " "
            elif kind == "hardbreak":
                spans.append(LineBreak())
                previous = " "
            elif kind in _STYLE_TOKENS:
                style.apply(child)
            elif kind == "footnote_ref":
                spans.append(FootnoteRef(self._footnote_number(child.meta.get("id", 0))))
            elif kind == "image":
                self.diagnostics.warn(
                    f"the image '{child.attrs.get('src', '')}' sits inside a line of text and is left out; "
                    "its description is kept",
                    Location(self.path, line or None),
                    "Put an image on a line of its own to set it as a figure.",
                )
                spans.extend(self._inline_children(child.children or [], line))
        return _merge_spans(spans)

    def _footnote_number(self, note_id: int) -> int:
        if note_id not in self.footnote_numbers:
            self.footnote_numbers[note_id] = len(self.footnote_numbers) + 1
        return self.footnote_numbers[note_id]

    # -- tables ------------------------------------------------------------------------------------

    def _table(self, tokens: list[Token], index: int) -> int:
        """Read a whole table, from table_open to table_close; returns the index of table_close."""
        start = tokens[index]
        header: list[tuple[Inline, ...]] = []
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        aligns: list[str] = []
        row: list[tuple[Inline, ...]] = []
        in_head = False
        while index < len(tokens):
            token = tokens[index]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type in ("th_open", "td_open"):
                style = str(token.attrs.get("style", ""))
                align = style.split(":", 1)[1] if ":" in style else "left"
                if in_head:
                    aligns.append(align)
                row.append(tuple(self._inlines(tokens[index + 1])))
            elif token.type == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
                row = []
            elif token.type == "table_close":
                break
            index += 1
        self._append(Table(tuple(header), tuple(rows), tuple(aligns), self.line_of(start)))
        return index


_STYLE_TOKENS = {"em_open", "em_close", "strong_open", "strong_close", "span_open", "span_close",
                 "link_open", "link_close"}


class _InlineStyle:
    """Emphasis, small caps and links open at a point in a paragraph's inline tokens."""

    def __init__(self) -> None:
        self.italic = self.bold = self.smallcaps = 0
        self.link: str | None = None

    def apply(self, token: Token) -> None:
        kind = token.type
        if kind in ("em_open", "em_close"):
            self.italic += 1 if kind == "em_open" else -1
        elif kind in ("strong_open", "strong_close"):
            self.bold += 1 if kind == "strong_open" else -1
        elif kind == "span_open":
            self.smallcaps += 1 if "smallcaps" in str(token.attrs.get("class", "")).split() else 0
        elif kind == "span_close":
            self.smallcaps = max(0, self.smallcaps - 1)
        elif kind == "link_open":
            self.link = str(token.attrs.get("href", "")) or None
        else:
            self.link = None

    def span(self, text: str) -> Span:
        return Span(text, self.italic > 0, self.bold > 0, self.smallcaps > 0, self.link)


class _ListItem:
    """A list item while its list is being read (never left in the tree)."""

    def __init__(self, blocks: tuple[Block, ...]) -> None:
        self.blocks = blocks


_CONTAINERS = {
    "blockquote_open", "blockquote_close", "bullet_list_open", "bullet_list_close",
    "ordered_list_open", "ordered_list_close", "list_item_open", "list_item_close",
    "container_verse_open", "container_verse_close", "footnote_open", "footnote_close",
}


def _chapter_title(heading: str) -> str | None:
    """'Chapter 12' numbers a chapter and has no title; 'Chapter 12: The Ball' has one."""
    match = re.match(r"^chapter\s+([0-9]+|[ivxlcdm]+|[a-z-]+)\s*(?:[:.\u2014\u2013-]\s*(.*))?$", heading,
                     re.IGNORECASE)
    if not match:
        return heading
    return (match.group(2) or "").strip() or None


def _verse_lines(inlines: tuple[Inline, ...]) -> tuple[tuple[Inline, ...], ...]:
    """A stanza's lines: each source line is a line of verse."""
    lines: list[list[Inline]] = [[]]
    for inline in inlines:
        if isinstance(inline, LineBreak):
            lines.append([])
        else:
            lines[-1].append(inline)
    return tuple(tuple(line) for line in lines if line)


def _next_character(children: list[Token], start: int) -> str:
    """The first character of text after children[start - 1], across emphasis marks."""
    for child in children[start:]:
        if child.type in ("text", "code_inline") and child.content:
            return child.content[0]
        if child.type in ("softbreak", "hardbreak"):
            return " "
    return ""


def _merge_spans(spans: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for span in spans:
        last = merged[-1] if merged else None
        if isinstance(span, Span) and isinstance(last, Span) and _same_style(last, span):
            merged[-1] = Span(last.text + span.text, span.italic, span.bold, span.smallcaps, span.link)
        else:
            merged.append(span)
    return merged


def _same_style(one: Span, other: Span) -> bool:
    return (one.italic, one.bold, one.smallcaps, one.link) == (other.italic, other.bold, other.smallcaps,
                                                               other.link)
