"""Front matter set as display pages: the title page and its verso, the copyright page."""

from __future__ import annotations

from booksmith.doctree import BookMeta
from booksmith.typeset.lines import FrontPage, PlacedLine
from booksmith.typeset.paragraph import TextStyle, TypesetContext, set_display


def front_pages(meta: BookMeta, context: TypesetContext) -> tuple[FrontPage, ...]:
    return (_title_page(meta, context), _copyright_page(meta, context))


def _title_page(meta: BookMeta, context: TypesetContext) -> FrontPage:
    preset = context.preset
    height = preset.trim.height - preset.margins.top - preset.margins.bottom
    body = preset.body.size
    placed: list[PlacedLine] = []
    depth = height * 0.22
    title_size = round(body * 2.4, 1)
    depth = _stack(placed, meta.title, _centred(preset.measure, title_size), context, depth, 1.2)
    if meta.subtitle:
        depth = _stack(placed, meta.subtitle, _centred(preset.measure, body * 1.3, italic=True), context,
                       depth + body * 1.2, 1.3)
    if meta.author:
        _stack(placed, meta.author, _centred(preset.measure, body * 1.5, smallcaps=True), context,
               height * 0.5, 1.3)
    if meta.publisher:
        _stack(placed, meta.publisher, _centred(preset.measure, body, smallcaps=True), context,
               height - body, 1.3)
    return FrontPage("title", tuple(placed))


def _copyright_page(meta: BookMeta, context: TypesetContext) -> FrontPage:
    """Copyright notice, ISBN and publisher at the foot of the title page's verso (blank if none)."""
    preset = context.preset
    size = round(preset.body.size * 0.82, 1)
    leading = size * 1.35
    texts = [text for text in (
        meta.copyright or (f"© {meta.year} {meta.author}".strip() if meta.year else ""),
        f"ISBN {meta.isbn}" if meta.isbn else "",
        meta.publisher,
    ) if text]
    style = TextStyle(size=size, measure=preset.measure, align="center")
    lines = [line for text in texts for line in set_display(text, style, context, 1)]
    height = preset.trim.height - preset.margins.top - preset.margins.bottom
    first = height - leading * (len(lines) - 1)
    placed = tuple(PlacedLine(line, first + leading * number) for number, line in enumerate(lines))
    return FrontPage("copyright", placed)


def _centred(measure: float, size: float, italic: bool = False, smallcaps: bool = False) -> TextStyle:
    return TextStyle(
        size=size,
        measure=measure,
        align="center",
        extra_features=("smcp", "c2sc") if smallcaps else (),
        tracking=0.08 if smallcaps else 0.0,
        style_override="italic" if italic else None,
    )


def _stack(placed: list[PlacedLine], text: str, style: TextStyle, context: TypesetContext, depth: float,
           leading_factor: float) -> float:
    """Place text's lines from depth downwards; returns the depth of the last baseline."""
    lines = set_display(text, style, context, 1)
    for number, line in enumerate(lines):
        placed.append(PlacedLine(line, depth + number * style.size * leading_factor))
    return depth + (len(lines) - 1) * style.size * leading_factor
