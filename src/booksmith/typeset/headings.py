"""Chapter and part headings as a press sets them: a number line in the preset's style ("Chapter
One", "Chapter 1", "I"), the title, an optional ornament, all sunk to the preset's depth."""

from __future__ import annotations

from booksmith.doctree import Chapter
from booksmith.preset import Preset
from booksmith.typeset.lines import PlacedLine
from booksmith.typeset.paragraph import TextStyle, TypesetContext, set_display

_ONES = ["Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
         "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"]
_TENS = ["", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"]


def number_in_words(number: int) -> str:
    """English cardinal words with a hyphen between tens and units, as titles spell them."""
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{_ONES[hundreds]} Hundred" + (f" and {number_in_words(rest)}" if rest else "")
    return str(number)


def roman(number: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for value, numeral in numerals:
        while number >= value:
            out.append(numeral)
            number -= value
    return "".join(out)


def number_label(preset: Preset, number: int, label: str | None = None) -> str | None:
    style = preset.chapter.number_style
    if style == "none":
        return None
    figure = {"words": number_in_words, "roman": roman}.get(style, str)(number)
    word = preset.chapter.number_label if label is None else label
    return f"{word} {figure}".strip()


def display_style(preset: Preset, size: float, style: str) -> TextStyle:
    return TextStyle(
        size=size,
        measure=preset.measure,
        align="center",
        extra_features=("smcp", "c2sc") if style == "smallcaps" else ("lnum",),
        body_features=False,
        tracking=0.08 if style in ("smallcaps", "uppercase") else 0.0,
        uppercase=style == "uppercase",
        style_override={"italic": "italic", "bold": "bold"}.get(style),
    )


def chapter_name(chapter: Chapter, number: int | None, preset: Preset, fallback: str) -> str:
    """What the chapter is called in the outline, the contents and a chapter running head."""
    if chapter.kind == "part":
        return chapter.title or chapter.heading
    label = number_label(preset, number) if number is not None else None
    if chapter.title:
        return chapter.title
    return label or chapter.heading or fallback


def heading_lines(chapter: Chapter, number: int | None, title: str | None, context: TypesetContext,
                  sink: float) -> tuple[PlacedLine, ...]:
    """The heading's lines, by their baselines' depth below the top of the text block: the number
    line at the sink, the title below it, then the ornament."""
    preset = context.preset
    style = preset.chapter
    label = number_label(preset, number) if number is not None and chapter.kind == "chapter" else None
    if chapter.kind == "part":
        label, title = _part_label(chapter.heading)
    elif label is None and title is None:
        title = chapter.heading  # numbering is off and the heading only numbers: set it as written
    stack = _Stack(sink)
    if label:
        # a number standing alone is the whole heading, so it takes the title's size
        size = style.number_size if title else style.title_size
        stack.add(set_display(label, display_style(preset, size, style.number_text_style), context,
                              chapter.line), size * 1.3)
    if title:
        if label:
            stack.skip(style.title_size * 1.2)
        stack.add(set_display(title, display_style(preset, style.title_size, style.title_style), context,
                              chapter.line), style.title_size * 1.25)
    if style.ornament:
        stack.skip(style.title_size * 1.5)
        stack.add(set_display(style.ornament, display_style(preset, style.title_size, "regular"), context,
                              chapter.line)[:1], 0.0)
    return tuple(stack.placed)


class _Stack:
    """Lines placed downwards from a depth; `depth` is always the last baseline placed."""

    def __init__(self, depth: float) -> None:
        self.depth = depth
        self.placed: list[PlacedLine] = []

    def skip(self, distance: float) -> None:
        if self.placed:
            self.depth += distance

    def add(self, lines: list, leading: float) -> None:
        for number, line in enumerate(lines):
            if number:
                self.depth += leading
            self.placed.append(PlacedLine(line, self.depth))


def _part_label(heading: str) -> tuple[str | None, str | None]:
    """'Part One: The Voyage' is a label and a title; 'Part One' is a label alone."""
    label, _, title = heading.partition(":")
    return label.strip() or None, title.strip() or None
