"""One paragraph into lines: styled text becomes boxes, glue and penalties (shaped with HarfBuzz,
hyphenated with pyphen), is broken into lines by total fit in TeX's passes, and is assembled into
set lines with every glyph run placed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from booksmith.doctree import FootnoteRef, Inline, LineBreak, Span
from booksmith.errors import BooksmithError, Diagnostics, Location
from booksmith.fonts import FontChain, FontFace, ShapedRun, shape
from booksmith.fonts.chain import INVISIBLE
from booksmith.preset import Preset
from booksmith.typeset.hyphenate import Hyphenator
from booksmith.typeset.items import FIL, INFINITY, Box, Glue, Item, Penalty, Piece, item_kind
from booksmith.typeset.linebreak import (
    Alternative,
    Break,
    BreakParams,
    break_lines,
    break_lines_scored,
    break_lines_with_alternatives,
)
from booksmith.typeset.lines import ParagraphVariant, PlacedPiece, SetLine

NBSP = "\u00a0"
WORD_JOINER = "\u2060"
SOFT_HYPHEN = "\u00ad"
DASHES = "\u2013\u2014"
URL_BREAK_AFTER = "/.-_?&=#"
EMERGENCY_PENALTY = 5000
_SPACES = frozenset(" \t\n")
_BREAK_MARKS = re.compile(f"[-{DASHES}{SOFT_HYPHEN}]")
# a paragraph's text read a token at a time: a word space, a no-break space, or the letters between
_TOKENS = re.compile("[ \t\n]|\u00a0|[^ \t\n\u00a0]+")


@dataclass
class TypesetContext:
    """Everything setting a block needs; one per book."""

    preset: Preset
    chain: FontChain
    hyphenator: Hyphenator | None
    diagnostics: Diagnostics
    source: Path
    features: tuple[str, ...] = ()
    # items of each word, by its size, features and so on, then by its styled segments (see
    # _ItemBuilder.paragraph_items): words repeat, so each is set once
    word_cache: dict[tuple, dict[object, list[Item]]] = field(default_factory=dict)
    space_cache: dict[tuple, Glue] = field(default_factory=dict)
    penalty_cache: dict[tuple, Penalty] = field(default_factory=dict)
    # the body paragraphs of the chapter being set as an earlier build set them (the build cache)
    paragraphs: ParagraphMemo | None = None


class ParagraphMemo(Protocol):
    """Body paragraphs set before, by what setting one reads besides the chapter's context: its
    inlines (lines counted from its own), its style and its indent. typeset() knows no cache: the
    build cache passes one in for each chapter it has kept an earlier version of."""

    def kept(self, inlines: tuple[Inline, ...], style: TextStyle, indent: float,
             line: int) -> SetParagraph | None: ...

    def keep(self, inlines: tuple[Inline, ...], style: TextStyle, indent: float, line: int,
             setting: SetParagraph) -> None: ...


@dataclass(frozen=True)
class TextStyle:
    """How a block's text is set: its size, measure and indent, and how lines are aligned."""

    size: float
    measure: float
    left: float = 0.0
    align: str = "justify"  # justify | center
    extra_features: tuple[str, ...] = ()
    tracking: float = 0.0  # extra space per glyph, in em
    uppercase: bool = False
    style_override: str | None = None  # set every span in this style (e.g. italic titles)
    body_features: bool = True  # also apply the book's body features (old-style figures)
    # TeX's \\parshape: (indent, width) of the first lines in turn, the last repeating for all
    # later lines; empty means every line is `measure` wide at no indent
    shape: tuple[tuple[float, float], ...] = ()

    def line_shape(self, number: int) -> tuple[float, float]:
        if not self.shape:
            return 0.0, self.measure
        return self.shape[min(number, len(self.shape) - 1)]

    @property
    def measures(self) -> float | tuple[float, ...]:
        return tuple(width for _, width in self.shape) if self.shape else self.measure


Segment = tuple[str, str, str | None]  # (text, style name, link); a style may end in "+sc": small caps
SMALL_CAPS = "+sc"


def set_display(text: str, style: TextStyle, context: TypesetContext, source_line: int) -> list[SetLine]:
    """Set a short line of display text (a title, a scene-break mark), centred, broken if too long."""
    return set_paragraph((Span(text),), style, 0.0, context, source_line)


def set_unbroken(inlines: tuple[Inline, ...], style: TextStyle, context: TypesetContext,
                 source_line: int) -> SetLine:
    """Text set on one line at its natural width, never broken (a list label, a cell measured)."""
    builder = _ItemBuilder(replace(style, align="left"), context, source_line)
    items = builder.paragraph_items(inlines, 0.0)
    return _assemble_line(items, 0, Break(len(items) - 1, 0.0, False), style, True, (0.0, WIDE))


WIDE = 1e6


def set_paragraph(inlines: tuple[Inline, ...], style: TextStyle, indent: float, context: TypesetContext,
                  source_line: int) -> list[SetLine]:
    return set_paragraph_with_variants(inlines, style, indent, context, source_line, variants=False).lines


@dataclass(frozen=True)
class SetParagraph:
    """A paragraph's lines, and the other settings pagination may choose: a line longer (+1) or
    shorter (-1), with what each costs over the optimum in demerits."""

    lines: list[SetLine]
    variants: dict[int, ParagraphVariant]


def set_paragraph_with_variants(inlines: tuple[Inline, ...], style: TextStyle, indent: float,
                                context: TypesetContext, source_line: int,
                                variants: bool = True) -> SetParagraph:
    builder = _ItemBuilder(style, context, source_line)
    items = builder.paragraph_items(inlines, indent)
    result = _break_in_passes(items, style, context, builder, source_line, variants)
    lines = _assemble_lines(items, result.breaks, style)
    others: dict[int, ParagraphVariant] = {}
    for count, alternative in result.alternatives.items():
        change = count - len(lines)
        extra = alternative.demerits - result.demerits
        if abs(change) == 1 and extra <= MAX_VARIANT_DEMERITS:
            others[change] = ParagraphVariant(
                change, tuple(_assemble_lines(items, alternative.breaks, style)), extra)
    if variants and 1 not in others and len(lines) >= MIN_LINES_TO_LOOSEN:
        looser = _looser_by_a_line(items, style, context, len(lines))
        if looser is not None and looser.demerits - result.demerits <= MAX_VARIANT_DEMERITS:
            others[1] = ParagraphVariant(1, tuple(_assemble_lines(items, looser.breaks, style)),
                                         looser.demerits - result.demerits)
    return SetParagraph(lines, others)


def _looser_by_a_line(items: list[Item], style: TextStyle, context: TypesetContext,
                      lines: int) -> Alternative | None:
    """The paragraph a line longer at a wider tolerance than the book's: a few looser lines, which
    pagination weighs (by their demerits) against leaving a spread uneven. Within the book's own
    tolerance most paragraphs of a dozen lines cannot gain a line at all: their spaces cannot
    stretch by a whole line's worth. Only settings of that many lines are looked for: at this
    tolerance a paragraph has many more ways to be broken, and most give other line counts."""
    params = replace(_params(context, VARIANT_TOLERANCE), lines_wanted=lines + 1)
    found = break_lines_with_alternatives(items, style.measures, params)
    return found.get(lines + 1) if found else None


MAX_TOLERANCE = 10000.0
# a setting a line longer or shorter is offered only while it costs no more than this over the best
MAX_VARIANT_DEMERITS = 1_000_000.0
# the tolerance (TeX's badness, 100 x ratio cubed) for a paragraph set a line longer when the book's
# tolerance allows none: at 1000 a space may stretch to about twice its natural width
VARIANT_TOLERANCE = 1000.0
MIN_LINES_TO_LOOSEN = 3


@dataclass(frozen=True)
class _Breaking:
    """Chosen breaks, their demerits, and the best settings with other line counts (by count)."""

    breaks: list[Break]
    demerits: float = 0.0
    alternatives: dict[int, Alternative] = field(default_factory=dict)
    lines: int = 0


def _break_in_passes(items: list[Item], style: TextStyle, context: TypesetContext, builder: _ItemBuilder,
                     source_line: int, variants: bool) -> _Breaking:
    """TeX's passes: without hyphenation, with it, with emergency stretch, then with any looseness
    and with emergency breaks inside over-long words; a paragraph that still cannot be set is
    reported, never silently."""
    lb = context.preset.linebreak
    if style.align == "center":
        breaks = break_lines(items, style.measures, _params(context, MAX_TOLERANCE))
        return _Breaking(breaks or _overfull_breaks(items, style, context, source_line))
    first = None
    # With variants the second pass always runs, and its settings include every setting of the
    # first (a looser tolerance, and hyphenation points as well as spaces), each with the same
    # demerits: the first pass could only tie with it, so it is not run.
    if lb.pretolerance >= 0 and not (variants and lb.pretolerance <= lb.tolerance):
        first = _optimal(_without_hyphenation(items), style, _params(context, lb.pretolerance), False)
        if first is not None and not variants and not _ends_in_runt(items, first.breaks, lb.runt_width):
            return first
    # the pass with hyphenation also gives the settings a line longer and shorter; where it beats
    # the first pass (a runt avoided by a hyphen, say) its setting is taken
    second = _optimal(items, style, _params(context, lb.tolerance), variants)
    if second is not None:
        if first is not None and first.demerits <= second.demerits:
            return _Breaking(first.breaks, first.demerits, _relative(second, first))
        return second
    if first is not None:
        return first
    found = _optimal(items, style, _params(context, lb.tolerance, lb.emergency_stretch), variants=False)
    if found is not None:
        return found
    # TeX's last resort before an overfull line: accept loose lines (never a line too long)
    found = _optimal(items, style, _params(context, MAX_TOLERANCE), variants=False)
    if found is not None:
        return found
    split_items = builder.with_emergency_breaks(items)
    if len(split_items) != len(items):
        breaks = break_lines(split_items, style.measures, _params(context, MAX_TOLERANCE))
        if breaks is not None:
            context.diagnostics.warn(
                "a word longer than the line was broken between letters",
                Location(context.source, source_line),
                "Check that line in the proof; a long URL or word may read better rewritten.",
            )
            items[:] = split_items
            return _Breaking(breaks)
    return _Breaking(_overfull_breaks(items, style, context, source_line))


def _params(context: TypesetContext, tolerance: float, emergency_stretch: float = 0.0) -> BreakParams:
    lb = context.preset.linebreak
    return BreakParams(
        tolerance=tolerance,
        line_penalty=lb.line_penalty,
        consecutive_hyphen_demerits=lb.consecutive_hyphen_demerits,
        fitness_demerits=lb.fitness_demerits,
        final_hyphen_demerits=lb.final_hyphen_demerits,
        emergency_stretch=emergency_stretch,
        max_consecutive_hyphens=context.preset.hyphenation.max_consecutive,
        runt_width=lb.runt_width,
        runt_demerits=lb.runt_demerits,
    )


def _optimal(items: list[Item], style: TextStyle, params: BreakParams, variants: bool) -> _Breaking | None:
    found = break_lines_with_alternatives(items, style.measures, params) if variants else \
        _only_best(break_lines_scored(items, style.measures, params))
    if not found:
        return None
    best_lines = min(found, key=lambda lines: found[lines].demerits)
    best = found[best_lines]
    others = {lines: alt for lines, alt in found.items() if abs(lines - best_lines) == 1}
    return _Breaking(best.breaks, best.demerits, others, best_lines)


def _only_best(best: Alternative | None) -> dict[int, Alternative] | None:
    return None if best is None else {len(best.breaks): best}


def _relative(second: _Breaking, first: _Breaking) -> dict[int, Alternative]:
    """The second pass's settings with one line more or fewer than the first pass's best."""
    lines = len(first.breaks)
    return {count: alt for count, alt in second.alternatives.items() if abs(count - lines) == 1}


def _ends_in_runt(items: list[Item], breaks: list[Break], runt_width: float) -> bool:
    """Whether the last line's natural width is under the runt width (one-line paragraphs never are)."""
    if len(breaks) < 2:
        return False
    width = 0.0
    for item in items[breaks[-2].position + 1 :]:
        if isinstance(item, Box) or (isinstance(item, Glue) and item.stretch < FIL):
            width += item.width
    return width < runt_width


def _without_hyphenation(items: list[Item]) -> list[Item]:
    """The first pass sees hyphenation points as forbidden breaks (same indexes, so breaks map back)."""
    return [Penalty(0.0, INFINITY) if isinstance(item, Penalty) and item.piece is not None else item
            for item in items]


def _overfull_breaks(items: list[Item], style: TextStyle, context: TypesetContext,
                     source_line: int) -> list[Break]:
    """Last resort: break wherever the line is full and let the line run over, with a warning."""
    context.diagnostics.warn(
        "a line could not be set within the measure and runs into the margin",
        Location(context.source, source_line),
        "Look for a very long word or a wide unbreakable phrase on that line.",
    )
    breaks: list[Break] = []
    width = 0.0
    last_break: int | None = None
    for index, item in enumerate(items):
        if isinstance(item, Penalty) and item.penalty <= -INFINITY:
            breaks.append(Break(index, 0.0, False))
            width = 0.0
            last_break = None
            continue
        breakable = (isinstance(item, Glue) and index > 0 and isinstance(items[index - 1], Box)) or (
            isinstance(item, Penalty) and item.penalty < INFINITY)
        if breakable and width > style.measure and last_break is not None:
            breaks.append(Break(last_break, 0.0, False))
            width = sum(_natural_width(i) for i in items[last_break + 1 : index])
        if breakable:
            last_break = index
        width += _natural_width(item)
    return breaks


def _natural_width(item: Item) -> float:
    return item.width if isinstance(item, (Box, Glue)) else 0.0


def _assemble_lines(items: list[Item], breaks: list[Break], style: TextStyle) -> list[SetLine]:
    lines: list[SetLine] = []
    start = 0
    for number, brk in enumerate(breaks):
        last = number == len(breaks) - 1
        lines.append(_assemble_line(items, start, brk, style, last, style.line_shape(number)))
        start = brk.position + 1
        while start < len(items) and not isinstance(items[start], Box):
            if isinstance(items[start], Penalty) and items[start].penalty <= -INFINITY:
                break
            start += 1
    return lines


def _assemble_line(items: list[Item], start: int, brk: Break, style: TextStyle, last: bool,
                   shape: tuple[float, float]) -> SetLine:
    ratio = brk.ratio if style.align == "justify" else 0.0
    stretched = ratio > 0
    x = 0.0
    pieces: list[PlacedPiece] = []
    place, placed = pieces.append, PlacedPiece  # for every word and space of the book
    spaces: list[float] = []
    notes: list[int] = []
    skip_box = False
    for item in items[start : brk.position]:
        kind = type(item)
        if kind is not Box and kind is not Glue and kind is not Penalty:
            kind = item_kind(item)  # an item of a class derived from one of them
        if kind is Box:
            if skip_box:  # the letters after a ligature's break point, drawn in the ligature
                x += item.width
                skip_box = False
                continue
            if item.piece is not None:
                place(placed(x, item.piece))
            if item.note:  # type: ignore[union-attr]
                notes.append(item.note)  # type: ignore[union-attr]
            x += item.width
        elif kind is Glue:
            width = item.width
            # a ligature not broken here: drawn whole in place of the glue and box after
            if item.unbroken:  # type: ignore[union-attr]
                place(placed(x, item.piece))  # type: ignore[arg-type]
                skip_box = True
            elif item.stretch < FIL:  # type: ignore[union-attr]
                width += ratio * (item.stretch if stretched else item.shrink)  # type: ignore[union-attr]
                if item.piece is not None:
                    spaces.append(width)
                    place(placed(x, item.piece))
            x += width
    end = items[brk.position]
    hyphenated = isinstance(end, Penalty) and end.flagged
    if isinstance(end, Penalty) and end.piece is not None and end.penalty < INFINITY:
        pieces.append(PlacedPiece(x, end.piece))
        x += end.width
    shape_indent, measure = shape
    indent = style.left + shape_indent
    if style.align == "center":
        indent += max(0.0, (measure - x) / 2)
    space_em = (sum(spaces) / len(spaces) / style.size) if spaces else None
    overfull = x > measure + 0.5
    return SetLine(tuple(pieces), x, indent, ratio, hyphenated, overfull, last, space_em, tuple(notes))


class _ItemBuilder:
    """Turns styled text into boxes, glue and penalties for one style of block."""

    def __init__(self, style: TextStyle, context: TypesetContext, source_line: int) -> None:
        self.style = style
        self.context = context
        self.source_line = source_line
        self.features = (context.features if style.body_features else ()) + style.extra_features
        self.tracking = style.tracking
        self.lb = context.preset.linebreak
        self.hyphenate = context.hyphenator is not None and style.align == "justify"

    # -- a paragraph ------------------------------------------------------------------------------

    def paragraph_items(self, inlines: tuple[Inline, ...], indent: float) -> list[Item]:
        items: list[Item] = []
        if indent:
            items.append(Box(indent))
        word: list[Segment] = []
        last_style = "regular"
        # the items of each word this style of block has set (words repeat, so each is made once), by
        # its segment where it has one (most words), else by its segments
        made = self.context.word_cache.setdefault((self.style.size, self.features, self.tracking,
                                                   self.hyphenate), {})
        for inline in inlines:
            if isinstance(inline, LineBreak):
                self._flush_word(word, items, made)
                items.extend((Glue(0.0, FIL, 0.0), Penalty(0.0, -INFINITY)))
                continue
            if isinstance(inline, FootnoteRef):
                self._flush_word(word, items, made)
                items.append(self._note_mark(inline.number, last_style))
                continue
            style = self._style_of(inline)
            link = inline.link
            text = inline.text.upper() if self.style.uppercase else inline.text
            for token in _TOKENS.findall(text):
                if token in _SPACES:
                    if word:
                        self._flush_word(word, items, made)
                    if items and isinstance(items[-1], Box):
                        items.append(self._space(last_style))
                elif token == NBSP:
                    self._flush_word(word, items, made)
                    items.extend((Penalty(0.0, INFINITY), self._space(style)))
                elif word:
                    _append_text(word, token, style, link)
                else:
                    word.append((token, style, link))
                last_style = style
        self._flush_word(word, items, made)
        while items and isinstance(items[-1], Glue):
            items.pop()
        # centred display text has no \\parfillskip: its last line is judged like the others, so the
        # lines come out of even length
        fill = FIL if self.style.align != "center" else self.style.size * 2
        items.extend((Penalty(0.0, INFINITY), Glue(0.0, fill, 0.0), Penalty(0.0, -INFINITY)))
        return items

    def _style_of(self, span: Span) -> str:
        if self.style.style_override:
            return self.style.style_override
        base = ("bold" if span.bold else "") + ("italic" if span.italic else "") or "regular"
        return base + SMALL_CAPS if span.smallcaps else base

    def _note_mark(self, number: int, style: str) -> Box:
        """A footnote mark: the font's superior figures where it has them, else small raised ones."""
        face = self.context.chain.primary[_base(style)]
        plain = shape(face, str(number), ("lnum",))
        superior = shape(face, str(number), ("sups",))
        if superior.gids != plain.gids:
            piece = Piece(superior, self.style.size)
        else:
            piece = Piece(plain, self.style.size * 0.62, rise=self.style.size * 0.38)
        return Box(piece.run.width_at(piece.size), piece, note=number)  # type: ignore[union-attr]

    def _space(self, style: str) -> Glue:
        """A word space; the same for every space of a style and size, so made once per book."""
        key = (_base(style), self.style.size, self.style.align)
        found = self.context.space_cache.get(key)
        if found is None:
            found = self.context.space_cache[key] = self._new_space(key[0])
        return found

    def _new_space(self, style: str) -> Glue:
        face = self.context.chain.primary[style]
        run = shape(face, " ")
        width = run.width_at(self.style.size)
        piece = Piece(run, self.style.size)
        if self.style.align != "justify":
            # set at natural width; the stretch only steers breaking towards lines of even length
            return Glue(width, self.style.size * 2, 0.0, piece)
        return Glue(width, width * self.lb.space_stretch, width * self.lb.space_shrink, piece)

    def _flush_word(self, word: list[Segment], items: list[Item], made: dict[object, list[Item]]) -> None:
        if not word:
            return
        key = word[0] if len(word) == 1 else tuple(word)
        cached = made.get(key)
        if cached is None:
            cached = made[key] = self._word_items(word)
        items.extend(cached)
        word.clear()

    # -- a word -----------------------------------------------------------------------------------

    def _word_items(self, segments: list[Segment]) -> list[Item]:
        """A word as boxes between its break opportunities: hyphenation points (penalised, with a
        hyphen drawn), and the points after explicit hyphens, dashes and URL separators."""
        if len(segments) == 1:
            plain = self._plain_word_items(*segments[0])
            if plain is not None:
                return plain
        return self._glyph_word_items(segments)

    def _glyph_word_items(self, segments: list[Segment]) -> list[Item]:
        """Any word, glyph by glyph: in several styles or faces, with invisible characters, or with
        a hyphenation point inside a ligature."""
        text = "".join(segment[0] for segment in segments)
        breaks = self._break_opportunities(text)
        glyphs = self._shaped_glyphs(segments)
        items: list[Item] = []
        fragment: list[_Glyph] = []
        for cluster, start, end in _clusters(glyphs, len(text)):
            kind = breaks.get(start) if fragment or items else None
            if kind is not None:
                items.extend(self._fragment_boxes(fragment))
                items.append(self._break_penalty(kind, (fragment or cluster)[-1].face))
                fragment = []
            inside = next((point for point in range(start + 1, end) if breaks.get(point) == "hyphen"), None)
            if inside is None:
                fragment.extend(cluster)
                continue
            items.extend(self._fragment_boxes(fragment))
            items.extend(self._ligature_break(cluster, _visible_count(text[start:inside]), segments, start))
            fragment = []
        items.extend(self._fragment_boxes(fragment))
        return items

    def _plain_word_items(self, text: str, style: str, link: str | None) -> list[Item] | None:
        """The items of most words, made straight from their shaped run: one style, one face, no
        invisible characters and no break inside a ligature. None for any other word, which the
        general way (glyph by glyph) sets; both give the same items."""
        if not INVISIBLE.isdisjoint(text):
            return None
        runs, missing = self.context.chain.face_runs(text, _base(style))
        if missing or len(runs) != 1:
            return None
        face = runs[0][0]
        features = self.features + (("smcp",) if style.endswith(SMALL_CAPS) else ())
        shaped = shape(face, text, features, round(self.tracking * face.upem))
        breaks = self._break_opportunities(text)
        size = self.style.size
        if not breaks:  # most words
            return [_box(_run_slice(shaped, 0, len(shaped.gids)), size, link)]
        # where each cluster starts in the text -> its first glyph (most words: a glyph a character)
        starts = None if shaped.texts == tuple(text) else _cluster_starts(shaped)
        if starts is not None and any(point not in starts for point in breaks):
            return None  # a break inside a ligature
        items: list[Item] = []
        first = 0
        for point in sorted(breaks):
            end = point if starts is None else starts[point]
            items.append(_box(_run_slice(shaped, first, end), size, link))
            items.append(self._break_penalty(breaks[point], face))
            first = end
        items.append(_box(_run_slice(shaped, first, len(shaped.gids)), size, link))
        return items

    def _ligature_break(self, cluster: list[_Glyph], split: int, segments: list[Segment],
                        offset: int) -> list[Item]:
        """A hyphenation point inside a ligature ("of-fice" set with an ffi): TeX's discretionary,
        as Knuth and Plass encode one with a penalty and glue. Broken, the line ends with the
        letters before the point and a hyphen (the penalty's width and piece) and the next begins
        with the letters after it (the box); unbroken, the glue's width makes up the difference
        so that glue and box together are the ligature's width, and the ligature is drawn."""
        face, link = cluster[0].face, cluster[0].link
        letters = "".join(glyph.text for glyph in cluster)
        features = self.features + (("smcp",) if _style_at(segments, offset).endswith(SMALL_CAPS) else ())
        tracking = round(self.tracking * face.upem)
        hyphen = _hyphen_run(face, self.features)
        before = _with_hyphen(shape(face, letters[:split], features, tracking), hyphen)
        after = shape(face, letters[split:], features, tracking)
        whole = _slice_run(cluster)
        size = self.style.size
        after_width = after.width_at(size)
        return [
            Penalty(before.width_at(size), self.lb.hyphen_penalty, True, Piece(before, size, link)),
            Glue(whole.width_at(size) - after_width, 0.0, 0.0, Piece(whole, size, link), unbroken=True),
            Box(after_width, Piece(after, size, link)),
        ]

    def _break_opportunities(self, text: str) -> dict[int, str]:
        """Offsets in text before which a line may break, with the kind of break."""
        found: dict[int, str] = {}
        visible = text.replace(WORD_JOINER, "")
        # most words have no hyphen, dash or soft hyphen to look at character by character
        marked = _BREAK_MARKS.search(text) is not None
        for index, char in enumerate(text[:-1] if marked else ""):
            following = text[index + 1]
            if following == WORD_JOINER:
                continue
            if char == "-" and following.isalpha() and index > 0:
                found[index + 1] = "explicit"
            elif char in DASHES and index > 0:
                found[index + 1] = "dash"
            elif char == SOFT_HYPHEN:
                found[index + 1] = "hyphen"
        if "://" in visible or visible.startswith("www."):
            for index, char in enumerate(text[:-1]):
                if char in URL_BREAK_AFTER and index > 0 and index + 1 not in found:
                    found[index + 1] = "url"
        if self.hyphenate and SOFT_HYPHEN not in text:
            for point in self.context.hyphenator.points(text):  # type: ignore[union-attr]
                if _hyphenable_at(text, point):
                    found.setdefault(point, "hyphen")
        return found

    def _shaped_glyphs(self, segments: list[Segment]) -> list[_Glyph]:
        glyphs: list[_Glyph] = []
        offset = 0
        for text, style, link in segments:
            runs, missing = self.context.chain.face_runs(text, _base(style))
            if missing:
                self._report_missing(missing)
            run_offsets = _run_offsets(text, runs)
            features = self.features + (("smcp",) if style.endswith(SMALL_CAPS) else ())
            for (face, run_text), run_start in zip(runs, run_offsets):
                tracking = round(self.tracking * face.upem)
                shaped = shape(face, run_text, features, tracking)
                glyphs.extend(_glyphs_of(shaped, offset + run_start, run_text, text, run_start, link))
            offset += len(text)
        return glyphs

    def _report_missing(self, missing: list) -> None:
        first = missing[0]
        raise BooksmithError(
            f"no font has the character {first.description}; fonts tried: {', '.join(first.faces_tried)}",
            Location(self.context.source, self.source_line),
            "Add a font that has it to the preset's fonts/fallback list, or replace the character.",
        )

    def _fragment_boxes(self, fragment: list[_Glyph]) -> list[Item]:
        """One box per run of glyphs in one face with one link."""
        boxes: list[Item] = []
        start = 0
        for end in range(1, len(fragment) + 1):
            first = fragment[start]
            if end == len(fragment) or (fragment[end].face, fragment[end].link) != (first.face, first.link):
                run = _slice_run(fragment[start:end])
                piece = Piece(run, self.style.size, first.link)
                boxes.append(Box(run.width_at(self.style.size), piece))
                start = end
        return boxes

    def _break_penalty(self, kind: str, face: FontFace) -> Penalty:
        if kind == "hyphen":
            return self._hyphen_penalty(face)
        if kind == "explicit":
            return Penalty(0.0, self.lb.explicit_hyphen_penalty, True)
        if kind == "url":
            return Penalty(0.0, self.lb.hyphen_penalty, False)
        return Penalty(0.0, self.lb.explicit_hyphen_penalty, False)

    def _hyphen_penalty(self, face: FontFace) -> Penalty:
        """A hyphenation point's penalty: the same for every point in a face and size, so made once
        per book."""
        key = ("hyphen", face.key, self.features, self.style.size)
        found = self.context.penalty_cache.get(key)
        if found is None:
            hyphen, size = _hyphen_run(face, self.features), self.style.size
            found = self.context.penalty_cache[key] = Penalty(
                hyphen.width_at(size), self.lb.hyphen_penalty, True, Piece(hyphen, size))
        return found

    def with_emergency_breaks(self, items: list[Item]) -> list[Item]:
        """Allow a break between any two glyphs of a box too wide for the line."""
        result: list[Item] = []
        for item in items:
            too_wide = isinstance(item, Box) and item.width > self.style.measure * 0.8
            if too_wide and item.piece and item.piece.run:
                result.extend(self._split_box(item))
            else:
                result.append(item)
        return result

    def _split_box(self, box: Box) -> list[Item]:
        """Break points between every two glyphs; in a word (not an address) the break draws a
        hyphen, which the text layer reads as a soft one, so the word still reads whole."""
        run = box.piece.run  # type: ignore[union-attr]
        size = box.piece.size  # type: ignore[union-attr]
        address = any(mark in run.text for mark in ("/", "@", "://", "www."))
        hyphen = _hyphen_run(run.face, self.features)
        emergency = (Penalty(0.0, EMERGENCY_PENALTY, False) if address else
                     Penalty(hyphen.width_at(size), EMERGENCY_PENALTY, True, Piece(hyphen, size)))
        parts: list[Item] = []
        for index in range(len(run.gids)):
            if index:
                parts.append(emergency)
            single = ShapedRun(run.face, run.texts[index], (run.gids[index],), (run.advances[index],),
                               (run.texts[index],), run.advances[index])
            parts.append(Box(single.width_at(size), Piece(single, size)))
        return parts


@dataclass(frozen=True, slots=True)
class _Glyph:
    face: FontFace
    gid: int
    advance: int
    text: str
    offset: int  # offset in the word of the first character this glyph stands for
    cluster_start: bool
    link: str | None = None


def _glyphs_of(shaped: ShapedRun, word_offset: int, run_text: str, segment_text: str,
               run_start: int, link: str | None) -> list[_Glyph]:
    """Glyphs with their offsets in the whole word (invisible characters were dropped before shaping,
    so offsets are mapped back through the segment text)."""
    positions = _visible_positions(segment_text, run_start, len(run_text))
    glyphs: list[_Glyph] = []
    cursor = 0
    for gid, advance, text in zip(shaped.gids, shaped.advances, shaped.texts):
        start = text != ""
        offset = word_offset - run_start + positions[min(cursor, len(positions) - 1)]
        glyphs.append(_Glyph(shaped.face, gid, advance, text, offset, start, link))
        cursor += len(text)
    return glyphs


def _visible_positions(segment_text: str, run_start: int, length: int) -> list[int]:
    """Offsets in segment_text of the run's characters, skipping invisible ones."""
    positions: list[int] = []
    index = run_start
    while len(positions) < length and index < len(segment_text):
        if segment_text[index] not in INVISIBLE:
            positions.append(index)
        index += 1
    return positions or [run_start]


def _run_offsets(text: str, runs: list[tuple[FontFace, str]]) -> list[int]:
    """Where each face run starts in text (counting invisible characters)."""
    offsets: list[int] = []
    index = 0
    for _, run_text in runs:
        while index < len(text) and text[index] in INVISIBLE:
            index += 1
        offsets.append(index)
        consumed = 0
        while consumed < len(run_text) and index < len(text):
            if text[index] not in INVISIBLE:
                consumed += 1
            index += 1
    return offsets


def _clusters(glyphs: list[_Glyph], length: int) -> Iterator[tuple[list[_Glyph], int, int]]:
    """The word's glyphs by cluster (a ligature and the characters it stands for), each with the
    offsets in the word of the characters it covers, [start, end)."""
    starts = [index for index, glyph in enumerate(glyphs) if glyph.cluster_start or index == 0]
    for number, first in enumerate(starts):
        last = starts[number + 1] if number + 1 < len(starts) else len(glyphs)
        end = glyphs[last].offset if last < len(glyphs) else length
        yield glyphs[first:last], glyphs[first].offset, end


def _visible_count(text: str) -> int:
    return sum(1 for char in text if char not in INVISIBLE)


def _style_at(segments: list[Segment], offset: int) -> str:
    for text, style, _ in segments:
        if offset < len(text):
            return style
        offset -= len(text)
    return segments[-1][1]


def _with_hyphen(run: ShapedRun, hyphen: ShapedRun) -> ShapedRun:
    return ShapedRun(run.face, run.text + hyphen.text, run.gids + hyphen.gids, run.advances + hyphen.advances,
                     run.texts + hyphen.texts, run.width + hyphen.width)


def _cluster_starts(shaped: ShapedRun) -> dict[int, int]:
    """Where each cluster of a run starts in its text -> the cluster's first glyph."""
    starts: dict[int, int] = {}
    offset = 0
    for index, glyph_text in enumerate(shaped.texts):
        if glyph_text or not index:
            starts[offset] = index
        offset += len(glyph_text)
    return starts


def _run_slice(run: ShapedRun, start: int, end: int) -> ShapedRun:
    """Glyphs [start, end) of a run, as _slice_run makes them from glyphs (the run itself, where
    that is all of it)."""
    if start == 0 and end == len(run.gids) and "".join(run.texts) == run.text:
        return run
    advances = run.advances[start:end]
    texts = run.texts[start:end]
    return ShapedRun(run.face, "".join(texts), run.gids[start:end], advances, texts, sum(advances))


def _box(run: ShapedRun, size: float, link: str | None) -> Box:
    return Box(run.width_at(size), Piece(run, size, link))


def _slice_run(glyphs: list[_Glyph]) -> ShapedRun:
    advances = tuple(g.advance for g in glyphs)
    return ShapedRun(glyphs[0].face, "".join(g.text for g in glyphs), tuple(g.gid for g in glyphs),
                     advances, tuple(g.text for g in glyphs), sum(advances))


_hyphens: dict[tuple[str, tuple[str, ...]], ShapedRun] = {}


def _hyphen_run(face: FontFace, features: tuple[str, ...]) -> ShapedRun:
    """The hyphen drawn at a line break. Its text is a soft hyphen, as PDF text extraction expects of
    a hyphen the typesetter added (ISO 32000-1, 14.8.2.2.3), so copied text rejoins the word."""
    key = (face.key, features)
    found = _hyphens.get(key)
    if found is None:
        drawn = shape(face, "-", features)
        found = _hyphens[key] = ShapedRun(face, SOFT_HYPHEN, drawn.gids, drawn.advances, (SOFT_HYPHEN,),
                                          drawn.width)
    return found


def _append_text(word: list[Segment], text: str, style: str, link: str | None) -> None:
    if word and word[-1][1:] == (style, link):
        word[-1] = (word[-1][0] + text, style, link)
    else:
        word.append((text, style, link))


def _base(style: str) -> str:
    """The face style of a segment style ("italic+sc" is set in the italic face)."""
    return style.removesuffix(SMALL_CAPS)


def _hyphenable_at(text: str, point: int) -> bool:
    return 0 < point < len(text) and text[point - 1].isalpha() and text[point].isalpha()

