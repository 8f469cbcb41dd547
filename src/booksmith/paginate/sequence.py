"""The book's page sequence: front matter, chapters opening on a recto with a clean blank verso
before them where needed, page numbering (roman in the front matter, arabic from chapter one), and
an even page count for print."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from booksmith.errors import Diagnostics, Location
from booksmith.pagemodel import Image, Link, OutlineEntry, Page, PageModel, Rule, TextLine
from booksmith.paginate.finalize import PageFrame
from booksmith.paginate.flow import ChapterFlow, FlowRules, PageSlice, rows_of
from booksmith.paginate.summary import SummaryCollector
from booksmith.preset import Preset
from booksmith.typeset.headings import roman
from booksmith.typeset.lines import Contents, Footnotes, Galley, GalleyChapter, GalleyLine, PlacedLine


class PageSequence:
    def __init__(self, galley: Galley, preset: Preset, diagnostics: Diagnostics) -> None:
        self.galley = galley
        self.diagnostics = diagnostics
        self.preset = preset
        self.frame = PageFrame(preset)
        self.pages: list[Page] = []
        self.outline: list[OutlineEntry] = []
        self.numbering = "roman"
        self.counter = 0
        self.summary = SummaryCollector(preset, galley.natural_space_em)
        self.in_part = False
        folios = preset.folios
        room_below = folios.drop - preset.body.leading
        self.rules = FlowRules(
            lines_per_page=preset.lines_per_page,
            orphans=preset.pages.orphans,
            widows=preset.pages.widows,
            allow_long_pages=folios.position == "head-outside" or room_below >= folios.size * 1.2,
            leading=preset.body.leading,
            note_gap=galley.footnotes.leading * 1.5,
        )

    @property
    def next_side(self) -> str:
        return "recto" if len(self.pages) % 2 == 0 else "verso"

    def add(self, kind: str, lines: list[TextLine], chapter: int | None = None,
            links: list[Link] | None = None, rules: list[Rule] | None = None,
            images: list[Image] | None = None) -> Page:
        self.counter += 1
        label = _roman(self.counter) if self.numbering == "roman" else str(self.counter)
        page = Page(len(self.pages) + 1, self.next_side, kind, label, self.numbering, tuple(lines), chapter,
                    tuple(links or ()), tuple(rules or ()), tuple(images or ()))
        self.pages.append(page)
        return page

    def front_matter(self, labels: list[str]) -> None:
        """Display pages each on a recto (the copyright page on the title page's verso), then the
        contents, then a blank verso if the first chapter would otherwise open on one."""
        for front in self.galley.front:
            if front.kind != "copyright" and self.next_side == "verso":
                self.add("blank", [])
            side = self.next_side
            lines = [self.frame.place(placed.line, side, self.frame.depth_to_y(placed.depth), "front")
                     for placed in front.lines]
            self.add("front", lines)
        if self.galley.contents is not None:
            self._contents(self.galley.contents, labels)

    def _contents(self, contents: Contents, labels: list[str]) -> None:
        """Entries on the body grid below a heading sunk like a chapter's, continued on as many
        pages as they need, each a live link in the screen PDF."""
        if self.next_side == "verso":
            self.add("blank", [])
        side = self.next_side
        lines = self.frame.heading((PlacedLine(contents.heading, self.preset.chapter.sink),), side)
        links: list[Link] = []
        slot = self.frame.opening_first_slot(self.preset.chapter.sink)
        in_part = False
        first = True
        for index, (chapter, entry) in enumerate(zip(self.galley.chapters, contents.entries)):
            if slot >= self.preset.lines_per_page:
                self._contents_page(lines, links, side, first)
                first = False
                side = self.next_side
                lines, links, slot = [], [], 0
            in_part = chapter.kind == "part" or (in_part and chapter.kind == "chapter")
            indent = self.preset.body.indent if in_part and chapter.kind == "chapter" else 0.0
            placed, rect = self.frame.contents_entry(entry, labels[index], side, slot, indent, self.galley)
            lines.extend(placed)
            links.append(Link(rect, f"#{chapter_key(index)}"))
            slot += 1
        self._contents_page(lines, links, side, first)

    def _contents_page(self, lines: list[TextLine], links: list[Link], side: str, first: bool) -> None:
        """A roman folio, except at the head of the first page, where it would sit above the sunk
        heading (as on a chapter opening)."""
        at_head = self.preset.folios.position == "head-outside"
        if self.preset.front_matter.roman_folios and not (first and at_head):
            lines.append(self.frame.folio(self.galley, _roman(self.counter + 1), side))
        self.add("contents", lines, links=links)

    def plan(self, chapter: GalleyChapter, slices: tuple[PageSlice, ...] | None = None) -> ChapterPlan:
        """The chapter's rows, footnotes and plates, and its page breaks (`slices`, where they were
        found already, else found here)."""
        rows, plates = _without_plates(rows_of(chapter.body))
        last_depth = chapter.heading_lines[-1].depth if chapter.heading_lines else None
        opening_slot = self.frame.opening_first_slot(last_depth)
        notes = note_pieces(rows, self.galley.footnotes)
        leading = self.galley.footnotes.leading
        heights = {index: sum(piece.lines for piece in pieces) * leading for index, pieces in notes.items()}
        if slices is None:
            flow = ChapterFlow(rows, self.rules, chapter.variants, heights, tuple(at for at, _ in plates))
            # with recto openings the page after an opening is a verso; otherwise it is settled later,
            # and a verso is assumed (the spreads then start one page later, which only costs balance)
            slices = tuple(flow.pages(self.preset.lines_per_page - opening_slot, "verso"))
        return ChapterPlan(rows, opening_slot, list(slices), notes, plates)

    def chapter(self, index: int, chapter: GalleyChapter, plan: ChapterPlan) -> None:
        if self.preset.chapter.recto and self.next_side == "verso":
            self.add("blank", [])
        if index == 0:
            self.numbering = "arabic"
            self.counter = 0
        rows, opening_slot, slices = plan.rows, plan.opening_slot, plan.slices
        plates = [row for _, row in plan.plates]
        # a paragraph reset on the page where it ends takes its new wording on every page it is on
        resets = [variant for piece in slices for variant in piece.variants]
        for number, piece in enumerate(slices):
            side = self.next_side
            lines: list[TextLine] = []
            first_slot = 0
            if number == 0:
                lines.extend(self.frame.heading(chapter.heading_lines, side))
                first_slot = opening_slot
            page_rows = rows[piece.start : piece.end]
            for paragraph, change in resets:
                page_rows = _with_variant(page_rows, chapter, paragraph, change)
            for _, change in piece.variants:
                self.summary.variants[change] += 1
            body = self._body_lines(page_rows, side, first_slot)
            if piece.notes:
                pieces = [note for row in range(piece.start, piece.end) for note in plan.notes.get(row, ())]
                self._place_footnotes(body, pieces, side, first_slot + piece.lines - 1)
            lines.extend(body.lines)
            kind = ("part" if chapter.kind == "part" else "opening") if number == 0 else "text"
            lines.extend(self._furniture(kind, side, chapter))
            page = self.add(kind, lines, index, rules=body.rules, images=body.images)
            if piece.broke_rule:
                self.summary.rule_breaks += 1
                self.diagnostics.warn(
                    f"page {page.label}: no page break keeps the widow, orphan and scene-break rules here",
                    Location(self.galley.source, chapter.source_line),
                    "Editing a paragraph near that page by a few words usually gives the page room.",
                )
            if number == 0:
                self._outline(index, chapter, page)
            for _ in range(piece.plates):
                self._plate(index, plates.pop(0))

    def _plate(self, index: int, row: GalleyLine) -> None:
        """A full-page figure: the picture over the whole trimmed page, no running head, no folio."""
        figure = row.figure
        assert figure is not None
        self.add("plate", [], index, images=[Image(figure.path, 0.0, 0.0, figure.width, figure.height)])

    def _outline(self, index: int, chapter: GalleyChapter, page: Page) -> None:
        """Parts at the top level, their chapters under them; back matter at the top level again."""
        if chapter.kind == "part":
            self.in_part = True
        elif chapter.kind == "back":
            self.in_part = False
        level = 1 if self.in_part and chapter.kind == "chapter" else 0
        self.outline.append(OutlineEntry(chapter.name, page.number, level, chapter_key(index)))

    def _body_lines(self, rows: list, side: str, first_slot: int) -> PageBody:
        while rows and rows[0] is None:
            rows = rows[1:]
        heading_break = len(rows) > 1 and isinstance(rows[0], GalleyLine) and rows[0].kind == "scene-break" \
            and rows[1] is None
        if heading_break:
            rows = [rows[0], *rows[2:]]  # the mark heads the page on its first line (see flow)
        body = PageBody()
        self.summary.add_page(rows)
        for slot, row in enumerate(rows, start=first_slot):
            if not isinstance(row, GalleyLine):
                continue
            y = self.frame.baseline(slot)
            if row.kind == "scene-break":
                if self.preset.scene_break.style == "ornament" and slot != first_slot:
                    y -= self.preset.body.leading / 2
                elif slot != first_slot:
                    continue  # a blank line: its mark shows only at the head of a page
            if row.line.pieces:
                body.lines.append(self.frame.place(row.line, side, y, row.kind))
            if row.figure is not None:
                body.images.append(self.frame.image(row.figure, side, y))
            body.rules.extend(self.frame.rule(rule, side, y) for rule in row.rules)
        return body

    def _place_footnotes(self, body: PageBody, pieces: list[NotePiece], side: str, last_slot: int) -> None:
        """The notes on the page (a note continued from the page before first), in order, ending on
        the page's last line, under a short rule."""
        footnotes = self.galley.footnotes
        spans: dict[int, tuple[int, int]] = {}  # each note's lines on this page, in order of mention
        for piece in pieces:
            first, end = spans.get(piece.number, (piece.first, piece.first))
            spans[piece.number] = (min(first, piece.first), max(end, piece.first + piece.lines))
        continued = [number for number, (first, _) in spans.items() if first > 0]
        order = continued + [number for number in spans if number not in continued]
        note_lines = [line for number in order for line in footnotes.notes[number][slice(*spans[number])]]
        bottom = self.frame.baseline(last_slot)
        top = bottom + (len(note_lines) - 1) * footnotes.leading
        for index, line in enumerate(note_lines):
            body.lines.append(self.frame.place(line, side, top - index * footnotes.leading, "note"))
        left = self.frame.left(side)
        rule_y = top + footnotes.size + footnotes.leading * 0.35
        body.rules.append(Rule(left, left + self.preset.measure / 3, rule_y, 0.4))

    def _furniture(self, kind: str, side: str, chapter: GalleyChapter) -> list[TextLine]:
        """Running heads on text pages only; folios on text pages and, if the preset says so, at the
        foot of chapter openings."""
        label = str(self.counter + 1) if self.numbering == "arabic" else _roman(self.counter + 1)
        furniture: list[TextLine] = []
        if kind == "text":
            head = self.frame.running_head(self.galley, side, chapter.head)
            if head:
                furniture.append(head)
            furniture.append(self.frame.folio(self.galley, label, side))
        elif kind == "opening" and self._folio_on_openings:
            furniture.append(self.frame.folio(self.galley, label, side))
        return furniture

    @property
    def _folio_on_openings(self) -> bool:
        """Only a folio at the foot suits an opening page; one at the head would sit above the sink."""
        folios = self.preset.folios
        return folios.on_chapter_openings and folios.position == "foot-centre"

    def finish(self) -> PageModel:
        if self.preset.pages.even_page_count and len(self.pages) % 2:
            self.add("blank", [])
        trim = self.preset.trim
        return PageModel(
            width=trim.width,
            height=trim.height,
            pages=tuple(self.pages),
            outline=tuple(self.outline),
            title=self.galley.title,
            author=self.galley.author,
            language=self.galley.language,
            text_block_recto=self.frame.text_block("recto"),
            text_block_verso=self.frame.text_block("verso"),
            summary=self.summary.finish(self.pages),
        )


@dataclass
class PageBody:
    """What a page's rows put on it."""

    lines: list[TextLine] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


@dataclass(frozen=True)
class ChapterPlan:
    """A chapter broken into pages before it is placed: its rows, where its body starts on the
    opening page, the rows of each page, and the footnote lines each row brings to its page."""

    rows: list
    opening_slot: int
    slices: list[PageSlice]
    notes: dict[int, list[NotePiece]] = field(default_factory=dict)
    plates: list[tuple[int, GalleyLine]] = field(default_factory=list)  # (the row it comes before, plate)


# a footnote longer than this many lines may be split, its first NOTE_OPENING_LINES on the page
# that cites it and the rest continued at the foot of the next page
NOTE_WHOLE_LINES = 4
NOTE_OPENING_LINES = 2


@dataclass(frozen=True)
class NotePiece:
    """Lines [first, first + lines) of footnote `number`."""

    number: int
    first: int
    lines: int


def note_pieces(rows: list, footnotes: Footnotes) -> dict[int, list[NotePiece]]:
    """The footnote lines each row brings to its page. A short note comes whole with the row that
    cites it. A long one comes a line at a time: its opening lines with the citing row, then one
    more line with each row of text after it, so that wherever the page breaks, the note's lines
    before the break share the page with its mark and the rest continue at the foot of the next
    page (a page break chosen for the text decides the note's split; the rows that carry it
    cost two lines each, one of text and one of note)."""
    pieces: dict[int, list[NotePiece]] = {}
    text_rows = [index for index, row in enumerate(rows) if isinstance(row, GalleyLine)]
    for position, index in enumerate(text_rows):
        for number in rows[index].line.notes:
            count = len(footnotes.notes.get(number, ()))
            if not count:
                continue
            opening = count if count <= NOTE_WHOLE_LINES else NOTE_OPENING_LINES
            pieces.setdefault(index, []).append(NotePiece(number, 0, opening))
            carriers = text_rows[position + 1 : position + 1 + count - opening] or [index]
            for step, carrier in enumerate(carriers):
                # the last carrier (the chapter's last row, if the chapter ends first) takes the rest
                lines = 1 if step < len(carriers) - 1 else count - opening - step
                if lines:
                    pieces.setdefault(carrier, []).append(NotePiece(number, opening + step, lines))
    return pieces


def chapter_key(index: int) -> str:
    """The name of a chapter's opening page as a link destination."""
    return f"chapter-{index}"


def opening_labels(plans: list[ChapterPlan], recto_openings: bool) -> list[str]:
    """The arabic page number each chapter will open on."""
    labels = []
    count = 0
    for plan in plans:
        if recto_openings and count % 2 == 1:
            count += 1  # a blank verso
        labels.append(str(count + 1))
        count += len(plan.slices) + len(plan.plates)
    return labels


def _without_plates(rows: list) -> tuple[list, list[tuple[int, GalleyLine]]]:
    """The rows of text, and the full-page figures among them with the row of text each comes before."""
    text: list = []
    plates: list[tuple[int, GalleyLine]] = []
    for row in rows:
        if isinstance(row, GalleyLine) and row.kind == "plate":
            plates.append((len(text), row))
        else:
            text.append(row)
    return text, plates


def _with_variant(rows: list, chapter: GalleyChapter, paragraph: int, change: int) -> list:
    """The page's rows with one paragraph in its other setting: where the paragraph ends on the page,
    its lines from the first one here to its (new) end; where it goes on to the next page, the same
    number of lines as before, in the new wording."""
    lines = chapter.variants[paragraph][change].lines
    mine = [row for row in rows if isinstance(row, GalleyLine) and row.paragraph == paragraph]
    if not mine:
        return rows
    first, last = mine[0].index, mine[-1].index
    ends_here = last == mine[-1].count - 1
    wanted = range(first, len(lines) if ends_here else last + 1)
    replaced: list = []
    for row in rows:
        if isinstance(row, GalleyLine) and row.paragraph == paragraph:
            if row.index == first:
                replaced.extend(replace(row, line=lines[index], index=index, count=len(lines))
                                for index in wanted)
        else:
            replaced.append(row)
    return replaced


def _roman(number: int) -> str:
    """Front-matter folios are lowercase roman numerals."""
    return roman(number).lower()
