"""A chapter's first paragraph as the preset opens it: with a drop cap or a small-caps lead-in.

A drop cap spans `dropcap_lines` lines: its size makes its cap height reach from the first line's
cap height to the baseline of the last dropped line, where it stands; the dropped lines are set
narrower by its width (a paragraph shape, as TeX's \\parshape), and an opening quote mark hangs in
the margin before it. A lead-in sets the first words in the font's true small capitals (smcp).
"""

from __future__ import annotations

from dataclasses import replace

from booksmith.doctree import Inline, Paragraph, Span
from booksmith.fonts import shape
from booksmith.typeset.items import Piece
from booksmith.typeset.lines import PlacedPiece, SetLine
from booksmith.typeset.paragraph import SetParagraph, TextStyle, TypesetContext, set_paragraph_with_variants

OPENING_QUOTES = "\u201c\u2018\u00ab\"'"


def with_leadin(paragraph: Paragraph, words: int) -> Paragraph:
    """The paragraph with its first `words` words in small capitals."""
    remaining = words
    inlines: list[Inline] = []
    for inline in paragraph.inlines:
        if remaining <= 0 or not isinstance(inline, Span):
            inlines.append(inline)
            continue
        cut = _after_words(inline.text, remaining)
        remaining -= len(inline.text[:cut].split())
        inlines.append(replace(inline, text=inline.text[:cut], smallcaps=True))
        if inline.text[cut:]:
            inlines.append(replace(inline, text=inline.text[cut:]))
            remaining = 0
    return replace(paragraph, inlines=tuple(part for part in inlines
                                            if not isinstance(part, Span) or part.text))


def _after_words(text: str, words: int) -> int:
    """The offset just after the given number of words of text (or its end)."""
    seen = 0
    in_word = False
    for index, char in enumerate(text):
        if char.isspace():
            if in_word:
                seen += 1
                if seen == words:
                    return index
            in_word = False
        else:
            in_word = True
    return len(text)


def set_with_dropcap(paragraph: Paragraph, style: TextStyle, context: TypesetContext,
                     lines: int) -> SetParagraph | None:
    """The paragraph's lines with a drop cap, and its settings a line longer or shorter (each
    with the cap), or None where it cannot have one (it does not start with a letter or figure,
    or is shorter than the cap)."""
    first = paragraph.inlines[0] if paragraph.inlines else None
    if not isinstance(first, Span) or not first.text:
        return None
    text = first.text
    quote = text[0] if text[0] in OPENING_QUOTES else ""
    start = len(quote)
    if start >= len(text) or not text[start].isalnum():
        return None
    preset = context.preset
    face = context.chain.primary["regular"]
    cap_ratio = face.cap_height / face.upem
    leading = preset.body.leading
    cap_size = ((lines - 1) * leading + style.size * cap_ratio) / cap_ratio
    cap = shape(face, text[start], ("lnum",))
    gap = style.size * 0.3
    room = cap.width_at(cap_size) + gap
    shaped = replace(style, shape=((room, style.measure - room),) * lines + ((0.0, style.measure),))
    rest = (replace(first, text=text[start + 1 :]), *paragraph.inlines[1:])
    inlines = tuple(part for part in rest if not isinstance(part, Span) or part.text)
    setting = set_paragraph_with_variants(inlines, shaped, 0.0, context, paragraph.line)
    if len(setting.lines) < lines:
        return None
    hanging: list[PlacedPiece] = []
    if quote:
        mark = shape(face, quote)
        hanging.append(PlacedPiece(-room - mark.width_at(style.size), Piece(mark, style.size)))
    hanging.append(PlacedPiece(-room, Piece(cap, cap_size), y=-(lines - 1) * leading))
    if text[start + 1 : start + 2].isspace():
        # a one-letter word ("A few days"): its word space is drawn, so the text reads as written
        space = shape(face, " ")
        hanging.append(PlacedPiece(-space.width_at(style.size), Piece(space, style.size)))

    def with_cap(set_lines: list[SetLine] | tuple[SetLine, ...]) -> list[SetLine]:
        return [set_lines[0].with_pieces_before(hanging), *set_lines[1:]]

    # a setting a line shorter must still be as deep as the cap
    variants = {change: replace(variant, lines=tuple(with_cap(variant.lines)))
                for change, variant in setting.variants.items() if len(variant.lines) >= lines}
    return SetParagraph(with_cap(setting.lines), variants)
