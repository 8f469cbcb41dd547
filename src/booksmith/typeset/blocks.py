"""Blocks into a chapter's galley: paragraphs, scene breaks, block quotes, verse, lists, figures and
tables stacked as lines and spaces, with the marks pagination needs (paragraph membership for
widows and orphans, keeps, footnote references)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from booksmith.doctree import (
    Block,
    BlockQuote,
    Chapter,
    Figure,
    ListBlock,
    Paragraph,
    SceneBreak,
    Span,
    Table,
    Verse,
)
from booksmith.preset import Preset
from booksmith.typeset.figures import place_figure, place_plate
from booksmith.typeset.headings import heading_lines
from booksmith.typeset.lines import (
    GalleyChapter,
    GalleyItem,
    GalleyLine,
    GalleySpace,
    ParagraphVariant,
    SetLine,
)
from booksmith.typeset.openings import set_with_dropcap, with_leadin
from booksmith.typeset.paragraph import (
    SetParagraph,
    TextStyle,
    TypesetContext,
    set_display,
    set_paragraph,
    set_paragraph_with_variants,
    set_unbroken,
)
from booksmith.typeset.tables import set_table


@dataclass(frozen=True)
class ChapterSetting:
    """What the book-level pass decided for a chapter: its number, displayed title and name."""

    number: int | None
    title: str | None
    name: str
    head: SetLine | None


def typeset_chapter(chapter: Chapter, setting: ChapterSetting, context: TypesetContext) -> GalleyChapter:
    preset = context.preset
    sink = preset.chapter.sink if chapter.kind != "part" else _part_sink(preset)
    heading = heading_lines(chapter, setting.number, setting.title, context, sink)
    body: list[GalleyItem] = []
    stacker = _Stacker(context, body, preset.chapter.opening if chapter.kind == "chapter" else "plain")
    stacker.blocks(chapter.blocks, indent_next=preset.chapter.indent_first)
    return GalleyChapter(chapter.kind, setting.name, heading, setting.head, tuple(body), chapter.line,
                         stacker.variants)


def _part_sink(preset: Preset) -> float:
    """A part title sits a third of the way down its page."""
    return (preset.trim.height - preset.margins.top - preset.margins.bottom) * 0.3


class _Stacker:
    """Stacks a chapter's blocks into its vertical list."""

    def __init__(self, context: TypesetContext, out: list[GalleyItem], opening: str = "plain") -> None:
        self.context = context
        self.out = out
        self.paragraphs = 0
        self.variants: dict[int, dict[int, ParagraphVariant]] = {}
        self.opening = opening  # how the chapter's first paragraph opens; used once
        preset = context.preset
        self.body_style = TextStyle(size=preset.body.size, measure=preset.measure, align=preset.body.align)
        self.depth = 0

    def blocks(self, blocks: tuple[Block, ...], indent_next: bool, style: TextStyle | None = None,
               kind: str = "body") -> None:
        style = style or self.body_style
        for block in blocks:
            if isinstance(block, Paragraph):
                self.paragraph(block, style, indent_next, kind)
                indent_next = True
                continue
            if isinstance(block, Figure) and block.full_page:
                self.figure(block)  # a plate is a page of its own: the text runs on as if it were not there
                continue
            indent_next = False
            self.opening = "plain"
            if isinstance(block, SceneBreak):
                self.scene_break(block)
            elif isinstance(block, BlockQuote):
                self.nested(block, style)
            elif isinstance(block, Verse):
                self.verse(block, style)
            elif isinstance(block, ListBlock):
                self.list_block(block, style)
            elif isinstance(block, Figure):
                self.figure(block)
            elif isinstance(block, Table):
                self.table(block)

    def space(self) -> None:
        """A line of space around a block; two blocks in a row share theirs."""
        if self.out and not isinstance(self.out[-1], GalleySpace):
            self.out.append(GalleySpace(1))

    def new_paragraph(self) -> int:
        self.paragraphs += 1
        return self.paragraphs

    def paragraph(self, paragraph: Paragraph, style: TextStyle, indent: bool, kind: str) -> None:
        opening, self.opening = self.opening, "plain"
        preset = self.context.preset
        if opening == "dropcap":
            # a first paragraph shorter than the cap gets a cap dropped through fewer lines
            for depth in range(preset.chapter.dropcap_lines, 1, -1):
                capped = set_with_dropcap(paragraph, style, self.context, depth)
                if capped is not None:
                    # the dropped lines stay together: the cap spans them
                    number = self.stack_lines(capped.lines, kind, keep=depth)
                    if capped.variants:
                        self.variants[number] = capped.variants
                    return
        if opening == "smallcaps":
            paragraph = with_leadin(paragraph, preset.chapter.leadin_words)
        indent_width = preset.body.indent if indent else 0.0
        setting = self.body_paragraph(paragraph, style, indent_width)
        number = self.stack_lines(setting.lines, kind)
        if setting.variants:
            self.variants[number] = setting.variants

    def body_paragraph(self, paragraph: Paragraph, style: TextStyle, indent: float) -> SetParagraph:
        """A paragraph as an earlier build set it, where the context's memo has it, else set now
        (and handed to the memo, unless setting it gave a warning: such a paragraph is set again
        each time, so that its warning names its line)."""
        memo = self.context.paragraphs
        found = memo.kept(paragraph.inlines, style, indent, paragraph.line) if memo else None
        if found is not None:
            return found
        warnings = len(self.context.diagnostics.items)
        setting = set_paragraph_with_variants(paragraph.inlines, style, indent, self.context, paragraph.line)
        if memo is not None and len(self.context.diagnostics.items) == warnings:
            memo.keep(paragraph.inlines, style, indent, paragraph.line, setting)
        return setting

    def stack_lines(self, lines: list[SetLine], kind: str, keep: int = 0,
                    last_keeps: bool = False) -> int:
        """Lines of one paragraph; the first `keep` stay together, and with last_keeps the last
        one stays with what follows."""
        number = self.new_paragraph()
        for index, line in enumerate(lines):
            held = index < keep - 1 or (last_keeps and index == len(lines) - 1)
            self.out.append(GalleyLine(line, number, index, len(lines), kind, keep_with_next=held))
        return number

    def scene_break(self, block: SceneBreak) -> None:
        """A blank line, or the preset's mark; pagination draws the mark on a blank break that
        falls at the head of a page, where a blank line would not show."""
        scene = self.context.preset.scene_break
        mark = set_display(scene.mark, replace(self.body_style, align="center"), self.context, block.line)
        self.out.append(GalleyLine(mark[0], self.new_paragraph(), 0, 1, "scene-break", keep_with_next=True))
        if scene.style == "ornament":
            # two rows: the mark is drawn half a line down, centred in the gap between the scenes
            self.space()

    def nested(self, block: BlockQuote, outer: TextStyle) -> None:
        """Block quotes and letters: indented both sides, smaller, with a line of space around; past
        a sane depth, nesting no longer indents further."""
        preset = self.context.preset
        indent = preset.block_quote.indent if self.depth < MAX_INDENTED_DEPTH else 0.0
        style = replace(outer, size=min(outer.size, preset.block_quote.size),
                        measure=max(outer.measure - 2 * indent, outer.measure / 2), left=outer.left + indent,
                        shape=())
        self.depth += 1
        self.space()
        self.blocks(block.blocks, indent_next=False, style=style, kind="quote")
        self.space()
        self.depth -= 1

    def verse(self, block: Verse, outer: TextStyle) -> None:
        """Each line of verse as written, ragged right; a line too long for the measure turns over
        with a hanging indent. A stanza is kept together where it fits on a page."""
        preset = self.context.preset
        indent = preset.block_quote.indent
        hang = preset.body.size * 2
        measure = max(outer.measure - indent, outer.measure / 2)
        style = replace(outer, align="left", left=outer.left + indent, measure=measure,
                        shape=((0.0, measure), (hang, measure - hang)))
        self.space()
        for number, stanza in enumerate(block.stanzas):
            if number:
                self.space()
            lines = [line for verse_line in stanza
                     for line in set_paragraph(verse_line, style, 0.0, self.context, block.line)]
            keep = len(lines) if len(lines) <= MAX_KEPT_STANZA else 0
            self.stack_lines(lines, "verse", keep=keep)
        self.space()

    def list_block(self, block: ListBlock, outer: TextStyle) -> None:
        """Items indented, each with its number or bullet hanging in the indent."""
        preset = self.context.preset
        indent = preset.block_quote.indent
        style = replace(outer, left=outer.left + indent, measure=outer.measure - indent, shape=())
        self.space()
        for number, item in enumerate(block.items, start=block.start):
            label = f"{number}." if block.ordered else "\u2022"
            first_paragraph = len(self.out)
            self.blocks(item, indent_next=False, style=style, kind="list")
            if not any(isinstance(row, GalleyLine) for row in self.out[first_paragraph:]):
                # an empty item ("1911." alone on a line is one) still prints its number
                self.stack_lines([SetLine((), 0.0)], "list")
            self._hang_label(first_paragraph, label, style)
        self.space()

    def _hang_label(self, position: int, label: str, style: TextStyle) -> None:
        """The label hangs on the item's first line, and on the first line of each other setting
        pagination may choose for that paragraph."""
        index = next((i for i in range(position, len(self.out)) if isinstance(self.out[i], GalleyLine)), None)
        if index is None:
            return
        row = self.out[index]
        assert isinstance(row, GalleyLine)
        mark = set_unbroken((Span(label),), replace(style, shape=()), self.context, 0)
        gap = style.size * 0.5
        hanging = tuple(replace(placed, x=placed.x - mark.width - gap) for placed in mark.pieces)
        self.out[index] = replace(row, line=row.line.with_pieces_before(hanging))
        variants = self.variants.get(row.paragraph, {})
        for change, variant in variants.items():
            first = variant.lines[0].with_pieces_before(hanging)
            variants[change] = replace(variant, lines=(first, *variant.lines[1:]))

    def figure(self, block: Figure) -> None:
        if block.full_page:
            self.out.append(GalleyLine(SetLine((), 0.0), self.new_paragraph(), 0, 1, "plate",
                                       figure=place_plate(block, self.context)))
            return
        placed = place_figure(block, self.context)
        caption: list[SetLine] = []
        if block.caption:
            style = replace(self.body_style, size=self.context.preset.block_quote.size, align="center",
                            style_override="italic")
            caption = set_paragraph(block.caption, style, 0.0, self.context, block.line)
        number = self.new_paragraph()
        rows = placed.rows + len(caption)
        self.space()
        for index in range(rows):
            line = caption[index - placed.rows] if index >= placed.rows else SetLine((), 0.0)
            self.out.append(GalleyLine(line, number, index, rows, "figure", keep_with_next=index < rows - 1,
                                       figure=placed.item if index == 0 else None))
        self.space()

    def table(self, block: Table) -> None:
        rows = set_table(block, self.context)
        if not rows:
            return
        self.space()
        # a short table is kept whole; a long one breaks between rows, never inside one
        whole = sum(len(row.lines) for row in rows) <= MAX_KEPT_TABLE
        for number, row in enumerate(rows):
            paragraph = self.new_paragraph()
            for index, line in enumerate(row.lines):
                rules: tuple[tuple[str, float, float], ...] = ()
                if number == 0 and index == 0:
                    rules += (("above", row.left, row.right),)
                if index == len(row.lines) - 1 and (row.header or number == len(rows) - 1):
                    rules += (("below", row.left, row.right),)
                last_line = number == len(rows) - 1 and index == len(row.lines) - 1
                held = index < len(row.lines) - 1 or row.header or (whole and not last_line)
                self.out.append(GalleyLine(line, paragraph, index, len(row.lines), "table",
                                           keep_with_next=held, rules=rules))
        self.space()


MAX_INDENTED_DEPTH = 4
MAX_KEPT_STANZA = 12
MAX_KEPT_TABLE = 12
