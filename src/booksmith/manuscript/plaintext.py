"""Plain-text manuscripts: one paragraph a line, or paragraphs separated by blank lines."""

from __future__ import annotations

import re

from booksmith.doctree import Block, Chapter, Paragraph, SceneBreak, Span
from booksmith.manuscript.typography import smarten

_SCENE_BREAK = re.compile(r"^\s*(\*\s*\*\s*\*|#|\*{3,}|-{3,}|~{3,})\s*$")


def parse_plaintext_body(body: str, first_line: int) -> tuple[Chapter, ...]:
    lines = body.split("\n")
    one_per_line = not _has_blank_line_between_text(lines)
    blocks: list[Block] = []
    pending: list[str] = []
    pending_line = first_line

    def flush() -> None:
        if pending:
            text = smarten(" ".join(" ".join(part.split()) for part in pending))
            blocks.append(Paragraph((Span(text),), pending_line))
            pending.clear()

    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            flush()
        elif _SCENE_BREAK.match(line):
            flush()
            blocks.append(SceneBreak(number))
        else:
            if not pending:
                pending_line = number
            pending.append(line)
            if one_per_line:
                flush()
    flush()
    return (Chapter(None, tuple(blocks), first_line),) if blocks else ()


def _has_blank_line_between_text(lines: list[str]) -> bool:
    seen_text = False
    blank_after_text = False
    for line in lines:
        if line.strip():
            if blank_after_text:
                return True
            seen_text = True
        elif seen_text:
            blank_after_text = True
    return False
