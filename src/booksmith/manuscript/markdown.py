"""Markdown manuscripts (CommonMark, via markdown-it-py; the only module that imports markdown_it).

'#' headings open chapters; thematic breaks ('* * *', '***', '---') are scene breaks.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from booksmith.doctree import Block, BlockQuote, Chapter, Inline, LineBreak, Paragraph, SceneBreak, Span
from booksmith.errors import Diagnostics, Location
from booksmith.manuscript.typography import smarten


def parse_markdown_body(
    body: str, first_line: int, path: Path, diagnostics: Diagnostics
) -> tuple[Chapter, ...]:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False})
    tokens = parser.parse(body)
    builder = _TreeBuilder(first_line, path, diagnostics)
    builder.walk(tokens)
    return builder.chapters()


class _TreeBuilder:
    def __init__(self, first_line: int, path: Path, diagnostics: Diagnostics) -> None:
        self.offset = first_line - 1
        self.path = path
        self.diagnostics = diagnostics
        self.done: list[Chapter] = []
        self.title: str | None = None
        self.title_line = first_line
        # a stack of open block containers: the chapter body, then any block quotes inside it
        self.stack: list[tuple[list[Block], int]] = [([], first_line)]

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
                self._append(self._paragraph(tokens[index + 1], self.line_of(token)))
                index += 2
            elif kind == "hr":
                self._append(SceneBreak(self.line_of(token)))
            elif kind == "blockquote_open":
                self.stack.append(([], self.line_of(token)))
            elif kind == "blockquote_close":
                blocks, line = self.stack.pop()
                self._append(BlockQuote(tuple(blocks), line))
            elif kind in ("fence", "code_block"):
                self._append(self._verbatim(token))
            index += 1

    def _append(self, block: Block) -> None:
        self.stack[-1][0].append(block)

    def _heading(self, token: Token, inline: Token) -> None:
        text = "".join(span.text for span in self._inlines(inline) if isinstance(span, Span)).strip()
        if token.tag != "h1":
            self.diagnostics.warn(
                f"a level-{token.tag[1]} heading is set as a bold line, not a chapter",
                Location(self.path, self.line_of(token)),
                "Use '#' for chapter headings.",
            )
            self._append(Paragraph((Span(text, bold=True),), self.line_of(token)))
            return
        self._close_chapter()
        self.title = text
        self.title_line = self.line_of(token)

    def _close_chapter(self) -> None:
        while len(self.stack) > 1:  # a heading inside a block quote ends the quote
            blocks, line = self.stack.pop()
            self._append(BlockQuote(tuple(blocks), line))
        blocks = self.stack[0][0]
        if blocks or self.title is not None:
            self.done.append(Chapter(self.title, tuple(blocks), self.title_line))
        self.stack = [([], self.title_line)]

    def chapters(self) -> tuple[Chapter, ...]:
        self._close_chapter()
        return tuple(self.done)

    def _paragraph(self, inline: Token, line: int) -> Paragraph:
        return Paragraph(tuple(self._inlines(inline)), line)

    def _verbatim(self, token: Token) -> Paragraph:
        lines = token.content.rstrip("\n").split("\n")
        inlines: list[Inline] = []
        for number, text in enumerate(lines):
            if number:
                inlines.append(LineBreak())
            inlines.append(Span(text))
        return Paragraph(tuple(inlines), self.line_of(token))

    def _inlines(self, inline: Token) -> list[Inline]:
        italic = bold = 0
        spans: list[Inline] = []
        previous = ""
        children = inline.children or []
        for position, child in enumerate(children):
            kind = child.type
            if kind in ("text", "code_inline"):
                following = _next_character(children, position + 1)
                smart = smarten(child.content, previous, following) if kind == "text" else child.content
                if smart:
                    spans.append(Span(smart, italic > 0, bold > 0))
                    previous = smart[-1]
            elif kind == "softbreak":
                spans.append(Span(" ", italic > 0, bold > 0))
                previous = " "
            elif kind == "hardbreak":
                spans.append(LineBreak())
                previous = " "
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "image":
                self.diagnostics.warn(
                    f"image '{child.attrs.get('src', '')}' is not set yet; its alt text is kept",
                    Location(self.path, self.line_of(inline)),
                )
                if child.content:
                    spans.append(Span(child.content, italic > 0, bold > 0))
        return _merge_spans(spans)


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
        if (
            isinstance(span, Span)
            and isinstance(last, Span)
            and (last.italic, last.bold) == (span.italic, span.bold)
        ):
            merged[-1] = Span(last.text + span.text, span.italic, span.bold)
        else:
            merged.append(span)
    return merged
