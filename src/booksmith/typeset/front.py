"""Front matter set as display pages, each only when the book has what it shows: half title, title
page, copyright page, dedication, epigraph; and the material for the contents, whose page numbers
only pagination knows."""

from __future__ import annotations

from booksmith.doctree import BookMeta
from booksmith.typeset.headings import display_style
from booksmith.typeset.lines import Contents, FrontPage, GalleyChapter, PlacedLine, SetLine
from booksmith.typeset.paragraph import TextStyle, TypesetContext, set_display


def front_pages(meta: BookMeta, context: TypesetContext) -> tuple[FrontPage, ...]:
    """The display pages in book order; a blank verso is added by pagination where one is due."""
    preset = context.preset
    pages: list[FrontPage] = []
    if preset.front_matter.half_title:
        pages.append(_half_title(meta, context))
    pages.append(_title_page(meta, context))
    copyright_page = _copyright_page(meta, context)
    if copyright_page.lines:
        pages.append(copyright_page)
    if meta.dedication:
        pages.append(_dedication(meta.dedication, context))
    if meta.epigraph and meta.epigraph.text:
        pages.append(_epigraph(meta.epigraph.text, meta.epigraph.attribution, context))
    return tuple(pages)


def contents(meta: BookMeta, chapters: tuple[GalleyChapter, ...], context: TypesetContext) -> Contents | None:
    """The contents' heading and one line per chapter, part and back-matter section, when asked for."""
    preset = context.preset
    wanted = preset.front_matter.toc if meta.toc is None else meta.toc
    if not wanted:
        return None
    heading = set_display("Contents", display_style(preset, preset.chapter.title_size, "regular"), context, 1)
    entry_style = TextStyle(size=preset.body.size, measure=preset.measure * 0.8, align="left")
    part_style = display_style(preset, preset.body.size, "smallcaps")
    entries = []
    for chapter in chapters:
        style = part_style if chapter.kind == "part" else entry_style
        entries.append(set_display(chapter.name, style, context, 1)[0])
    return Contents(heading[0], tuple(entries))


def _text_height(context: TypesetContext) -> float:
    preset = context.preset
    return preset.trim.height - preset.margins.top - preset.margins.bottom


def _half_title(meta: BookMeta, context: TypesetContext) -> FrontPage:
    """The title alone, smaller than on the title page, a third of the way down."""
    preset = context.preset
    placed: list[PlacedLine] = []
    _stack(placed, meta.title, display_style(preset, preset.body.size * 1.4, "smallcaps"), context,
           _text_height(context) * 0.3, 1.3)
    return FrontPage("half-title", tuple(placed))


def _title_page(meta: BookMeta, context: TypesetContext) -> FrontPage:
    preset = context.preset
    height = _text_height(context)
    body = preset.body.size
    placed: list[PlacedLine] = []
    title_size = round(body * 2.4, 1)
    depth = _stack(placed, meta.title, display_style(preset, title_size, "regular"), context,
                   height * 0.22, 1.2)
    if meta.subtitle:
        _stack(placed, meta.subtitle, display_style(preset, body * 1.3, "italic"), context,
               depth + body * 2.6, 1.3)
    if meta.author:
        author_style = display_style(preset, body * 1.5, "smallcaps")
        _stack(placed, meta.author, author_style, context, height * 0.5, 1.3)
    if meta.publisher:
        _stack(placed, meta.publisher, display_style(preset, body, "smallcaps"), context, height - body, 1.3)
    return FrontPage("title", tuple(placed))


def _copyright_page(meta: BookMeta, context: TypesetContext) -> FrontPage:
    """Copyright notice, edition, ISBN, printing line and publisher at the foot of the title page's
    verso (no page at all when the book gives none of them)."""
    preset = context.preset
    size = round(preset.body.size * 0.82, 1)
    leading = size * 1.4
    texts = [text for text in (
        meta.copyright or (f"© {meta.year} {meta.author}".strip() if meta.year else ""),
        meta.edition,
        f"ISBN {meta.isbn}" if meta.isbn else "",
        meta.printing,
        meta.publisher,
    ) if text]
    style = TextStyle(size=size, measure=preset.measure, align="center")
    lines = [line for text in texts for line in set_display(text, style, context, 1)]
    first = _text_height(context) - leading * (len(lines) - 1)
    placed = tuple(PlacedLine(line, first + leading * number) for number, line in enumerate(lines))
    return FrontPage("copyright", placed)


def _dedication(text: str, context: TypesetContext) -> FrontPage:
    preset = context.preset
    placed: list[PlacedLine] = []
    style = TextStyle(size=preset.body.size, measure=preset.measure * 0.75, align="center",
                      style_override="italic")
    _stack(placed, text, style, context, _text_height(context) * 0.25, 1.35)
    return FrontPage("dedication", tuple(placed))


def _epigraph(text: str, attribution: str, context: TypesetContext) -> FrontPage:
    preset = context.preset
    placed: list[PlacedLine] = []
    size = preset.body.size
    style = TextStyle(size=size, measure=preset.measure * 0.7, align="center", style_override="italic")
    depth = _stack(placed, text, style, context, _text_height(context) * 0.25, 1.35)
    if attribution:
        credit_style = TextStyle(size=size * 0.9, measure=preset.measure * 0.7, align="center")
        credit = set_display(f"\u2014\u2009{attribution}", credit_style, context, 1)
        for number, line in enumerate(credit):
            placed.append(PlacedLine(line, depth + size * 2.2 + number * size * 1.3))
    return FrontPage("epigraph", tuple(placed))


def _stack(placed: list[PlacedLine], text: str, style: TextStyle, context: TypesetContext, depth: float,
           leading_factor: float) -> float:
    """Place text's lines from depth downwards; returns the depth of the last baseline."""
    lines: list[SetLine] = set_display(text, style, context, 1)
    for number, line in enumerate(lines):
        placed.append(PlacedLine(line, depth + number * style.size * leading_factor))
    return depth + (len(lines) - 1) * style.size * leading_factor
