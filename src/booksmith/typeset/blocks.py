"""Blocks into a chapter's galley: paragraphs, scene breaks, block quotes, verse, lists, figures and
tables stacked as lines and spaces, with the marks pagination needs (paragraph membership for
widows and orphans, keeps, footnote references)."""

from __future__ import annotations

from dataclasses import dataclass

from booksmith.doctree import Block, BlockQuote, Chapter, Paragraph, SceneBreak
from booksmith.preset import Preset
from booksmith.typeset.headings import heading_lines
from booksmith.typeset.lines import (
    GalleyChapter,
    GalleyItem,
    GalleyLine,
    GalleySpace,
    ParagraphVariant,
    SetLine,
)
from booksmith.typeset.paragraph import TextStyle, TypesetContext, set_display, set_paragraph_with_variants


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
    stacker = _Stacker(context, body)
    stacker.blocks(chapter.blocks, indent_next=preset.chapter.indent_first)
    return GalleyChapter(chapter.kind, setting.name, heading, setting.head, tuple(body), chapter.line,
                         stacker.variants)


def _part_sink(preset: Preset) -> float:
    """A part title sits a third of the way down its page."""
    return (preset.trim.height - preset.margins.top - preset.margins.bottom) * 0.3


class _Stacker:
    """Stacks a chapter's blocks into its vertical list."""

    def __init__(self, context: TypesetContext, out: list[GalleyItem]) -> None:
        self.context = context
        self.out = out
        self.paragraphs = 0
        self.variants: dict[int, dict[int, ParagraphVariant]] = {}
        self.body_style = TextStyle(size=context.preset.body.size, measure=context.preset.measure)

    def blocks(self, blocks: tuple[Block, ...], indent_next: bool, style: TextStyle | None = None,
               kind: str = "body") -> None:
        style = style or self.body_style
        for block in blocks:
            if isinstance(block, Paragraph):
                self.paragraph(block, style, indent_next, kind)
                indent_next = True
            elif isinstance(block, SceneBreak):
                self.scene_break(block)
                indent_next = False
            elif isinstance(block, BlockQuote):
                self.block_quote(block, style)
                indent_next = False

    def paragraph(self, paragraph: Paragraph, style: TextStyle, indent: bool, kind: str) -> None:
        indent_width = self.context.preset.body.indent if indent else 0.0
        setting = set_paragraph_with_variants(paragraph.inlines, style, indent_width, self.context,
                                              paragraph.line)
        lines = setting.lines
        self.paragraphs += 1
        if setting.variants:
            self.variants[self.paragraphs] = setting.variants
        for index, line in enumerate(lines):
            self.out.append(GalleyLine(line, self.paragraphs, index, len(lines), kind))

    def scene_break(self, block: SceneBreak) -> None:
        mark = self.context.preset.scene_break.mark
        lines = set_display(mark, TextStyle(self.body_style.size, self.body_style.measure, align="center"),
                            self.context, block.line) if mark.strip() else [SetLine((), 0.0)]
        self.paragraphs += 1
        # two rows: the mark is drawn half a line down, centred in the gap between the scenes
        self.out.append(GalleyLine(lines[0], self.paragraphs, 0, 1, "scene-break", keep_with_next=True))
        self.out.append(GalleySpace(1))

    def block_quote(self, block: BlockQuote, outer: TextStyle) -> None:
        indent = self.context.preset.block_quote.indent
        style = TextStyle(
            size=self.context.preset.block_quote.size,
            measure=max(outer.measure - 2 * indent, outer.measure / 2),
            left=outer.left + indent,
        )
        self.out.append(GalleySpace(1))
        self.blocks(block.blocks, indent_next=False, style=style, kind="quote")
        self.out.append(GalleySpace(1))


