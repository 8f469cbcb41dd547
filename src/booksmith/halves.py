"""A book's chapters set in two processes at once. This process sets chapters from the first on,
a forked child from the middle of the text on and then those left before it; each sets the
chapters it claims first, so both finish together. The child sends each chapter back as soon as
it is set, in the build cache's compact form (a galley pickled as objects took longer to send, 3 s
for half a novel, than to set), and this process reads them in between its own, without their
lines' pieces. typeset() then assembles the book from both through its chapter lookup, so the
galley is the one a single process makes, and the PDFs are byte-identical. Each process also
breaks the chapters it set into pages (a chapter's page breaks are its own), so paginate() has
only to place them; and the child stays on to draw the lines it set (SetThere). With the build
cache, this process reads the chapters it holds; after an edit, when only a few chapters are to be
set, the child sets them all meanwhile."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from booksmith.cache import (
    CacheCounts,
    ChapterReceiver,
    ChapterSender,
    ChapterStore,
    add_glyphs,
    chain_faces,
    galley_glyphs,
)
from booksmith.doctree import Book, Chapter, block_text
from booksmith.errors import Diagnostics
from booksmith.fonts import FontRegistry, Glyphs
from booksmith.paginate import Breaks, chapter_breaks
from booksmith.paginate.flow import PageSlice
from booksmith.parallel import Claims, Partner, can_fork, in_two_streaming
from booksmith.preset import Preset
from booksmith.typeset import ChapterLookup, MakeChapter, SetChapter, typeset
from booksmith.typeset.blocks import ChapterSetting
from booksmith.typeset.lines import GalleyChapter
from booksmith.typeset.paragraph import ParagraphMemo

# below this much text (characters, about 20,000 words) a second process costs more than it saves
LEAST_TEXT_TO_SPLIT = 120_000


@dataclass
class Halves:
    """The chapters each process set, by their place in the book, and their page breaks."""

    book: Book
    lookup: ChapterLookup | None
    place: dict[int, int] = field(default_factory=dict)  # id(chapter) -> its index in the book
    made: dict[int, SetChapter] = field(default_factory=dict)
    broken: dict[int, tuple[PageSlice, ...]] = field(default_factory=dict)
    # the glyphs of every line of the chapters in `made`, found where each was set or read
    glyphs: Glyphs = field(default_factory=dict)
    # the child that set some of the chapters, kept on to work on their lines (None: no child)
    there: SetThere | None = None

    def __call__(self, chapter: Chapter, setting: ChapterSetting,
                 make: MakeChapter) -> SetChapter:
        """typeset()'s final pass: each chapter as the cache held it or one of the two processes set
        it (a chapter the child could not send back is set here)."""
        found = self.made.get(self.place[id(chapter)])
        if found is not None:
            return found
        return self.lookup(chapter, setting, make) if self.lookup else make()


class SetThere:
    """The child that set some of the book's chapters, kept on once they are sent: it holds their
    lines as it made them, so work on those lines (drawing them) is best done there, while this
    process does the same for its own. close() when done with it."""

    def __init__(self, partner: Partner, rows: dict[int, int]) -> None:
        self._partner = partner
        self._rows = rows  # a line's row there, by the identity of its pieces here

    def holds(self, pieces: object) -> bool:
        """Whether the line with these pieces was set there."""
        return id(pieces) in self._rows

    def start(self, work: Callable[..., list], pieces: Sequence[object], *args: object) -> None:
        """Starts work(lines, *args) there on the lines set there with these pieces, in this order;
        `work` must be a module's function (it is named to the child, not sent). finish() gives
        what it returns."""
        self._partner.send((work, [self._rows[id(each)] for each in pieces], args))

    def finish(self) -> list:
        return self._partner.receive()  # type: ignore[return-value]

    def close(self) -> None:
        self._partner.close()


def _serve(sender: list[ChapterSender]) -> Callable[[object], object]:
    """The child's answer to SetThere.start(): the work done on its own lines."""
    def serve(request: object) -> object:
        work, rows, args = request  # type: ignore[misc]
        return work([sender[0].line(row) for row in rows], *args)
    return serve


def set_in_two(book: Book, preset: Preset, registry: FontRegistry, lookup: ChapterLookup | None,
               counts: CacheCounts | None, meanwhile: Callable[[], None] = lambda: None) -> Halves | None:
    """A chapter lookup for typeset() with every chapter already at hand. Those the build cache
    (`lookup`) holds are read here; the others are set in a child process meanwhile (a few, after
    an edit) or, where there is much to set, half here and half there, through `lookup`, which
    keeps them (the child's cache counts are added to `counts`), and broken into pages where they
    are set. None where the book is too short to gain from a second process, or the system cannot
    fork: typeset() then sets the chapters itself. `meanwhile` is work for this process to do first
    while the child sets, and for the child once it has set its share, while this process ends its
    own (what both need afterwards, such as imports)."""
    weights = {index: _text_length(chapter) for index, chapter in enumerate(book.chapters)}
    if len(weights) < 2 or sum(weights.values()) < LEAST_TEXT_TO_SPLIT or not can_fork():
        return None
    halves = Halves(book, lookup, {id(chapter): index for index, chapter in enumerate(book.chapters)})
    held = _held(halves, preset, registry)
    to_set = {index: weight for index, weight in weights.items() if index not in held}
    if not to_set:
        if lookup is not None:
            _collect(halves, preset, registry, _from_cache_only(lookup))
        halves.glyphs = galley_glyphs(made.chapter for made in halves.made.values())
        return halves
    # much to set: this process from the first chapter on (after reading what the cache holds), the
    # child from the middle of the text on and then what is left before it, each setting whichever
    # chapters it claims first, so that both finish together; a few chapters: all there, while
    # this process reads the rest from the cache
    there = _later_half(to_set) if sum(to_set.values()) >= LEAST_TEXT_TO_SPLIT else set(to_set)
    here = set(to_set) - there
    claims = Claims(len(book.chapters))
    faces = {str(face.path): face for face in chain_faces(preset, registry)}
    senders: list[ChapterSender] = []  # the child's, to work on its lines once they are sent

    def read_and_set_here(take_sent: Callable[[], None]) -> None:
        meanwhile()
        if held and lookup is not None:
            # the held only: the child may have kept a chapter of its share by now, which it sends
            _collect(halves, preset, registry, _from_cache_only(lookup, held))
        if here:
            # the child's chapters are read in as they come, between this process's own
            setting = _setting(halves, set(to_set), claims.claim, lambda *_: take_sent())
            halves.broken.update(_collect(halves, preset, registry, setting, broken=True)[1])
        # while the child sets the rest (its chapters' glyphs come with them)
        halves.glyphs = galley_glyphs(made.chapter for made in halves.made.values())

    def set_there(send: Callable[[object], None]) -> tuple[Breaks, CacheCounts | None]:
        sender = ChapterSender(faces)
        senders.append(sender)

        def send_chapter(index: int, chapter: SetChapter) -> None:
            message = sender.message(index, chapter)
            if message is not None:  # a chapter the codec cannot carry is set again by the parent
                send(message)

        breaks: Breaks = {}
        for share in (there, here):
            if share:
                setting = _setting(halves, share, claims.claim, send_chapter)
                breaks.update(_collect(halves, preset, registry, setting, broken=True)[1])
        return breaks, counts

    at_fork = replace(counts, set_at=list(counts.set_at)) if counts is not None else None
    receiver = ChapterReceiver(faces)
    _, (their_breaks, their_counts), partner = in_two_streaming(
        read_and_set_here, set_there, receiver.take, _serve(senders), meanwhile)  # type: ignore[arg-type]
    if partner is not None:
        halves.there = SetThere(partner, receiver.rows())
    halves.made.update(receiver.chapters)
    halves.broken.update({index: their_breaks[index] for index in receiver.chapters})
    add_glyphs(halves.glyphs, receiver.glyphs)
    if counts is not None and at_fork is not None and their_counts is not None:
        _add_counts(counts, their_counts, at_fork)
    return halves


def _held(halves: Halves, preset: Preset, registry: FontRegistry) -> set[int]:
    """The chapters whose entries the build cache holds, by their place in the book (found by their
    keys, before any is read)."""
    store = halves.lookup
    if not isinstance(store, ChapterStore):
        return set()
    held: set[int] = set()

    def note_held(index: int, chapter: Chapter, setting: ChapterSetting,
                  make: MakeChapter) -> SetChapter | None:
        if store.holds(chapter, setting):
            held.add(index)
        return None

    _collect(halves, preset, registry, note_held)
    return held


class _NotCached(Exception):
    pass


# gives a chapter, or None to pass it over
_Source = Callable[[int, Chapter, ChapterSetting, MakeChapter], SetChapter | None]


def _from_cache_only(lookup: ChapterLookup, among: set[int] | None = None) -> _Source:
    """Reads the chapters the cache holds (of `among`, where given)."""
    def kept(index: int, chapter: Chapter, setting: ChapterSetting, make: MakeChapter
             ) -> SetChapter | None:
        if among is not None and index not in among:
            return None

        def not_kept(paragraphs: ParagraphMemo | None = None) -> SetChapter:
            raise _NotCached
        try:
            return lookup(chapter, setting, not_kept)
        except _NotCached:
            return None
    return kept


def _setting(halves: Halves, share: set[int], claim: Callable[[int], bool],
             each: Callable[[int, SetChapter], None]) -> _Source:
    """Sets the chapters of `share` that this process claims (through the cache, when there is
    one), handing each to `each`."""
    def set_share(index: int, chapter: Chapter, setting: ChapterSetting, make: MakeChapter
                  ) -> SetChapter | None:
        if index not in share or not claim(index):
            return None
        made = halves.lookup(chapter, setting, make) if halves.lookup else make()
        each(index, made)
        return made
    return set_share


def _collect(halves: Halves, preset: Preset, registry: FontRegistry, source: _Source,
             broken: bool = False) -> tuple[dict[int, SetChapter], dict[int, tuple[PageSlice, ...]]]:
    """One pass of typeset() over the book, taking from `source` the chapters it gives (kept in
    halves.made and returned) and passing over the rest; with `broken`, their page breaks too."""
    made: dict[int, SetChapter] = {}

    def collect(chapter: Chapter, setting: ChapterSetting, make: MakeChapter) -> SetChapter:
        index = halves.place[id(chapter)]
        found = source(index, chapter, setting, make)
        if found is None:
            return SetChapter(GalleyChapter(chapter.kind, "", (), None, (), chapter.line), ())
        made[index] = halves.made[index] = found
        return found

    galley = typeset(halves.book, preset, registry, Diagnostics(), None, collect)
    if not broken:
        return made, {}
    breaks = chapter_breaks(galley, preset, made)
    if isinstance(halves.lookup, ChapterStore):
        for index, found in breaks.items():
            halves.lookup.keep_breaks(halves.book.chapters[index], found)
    return made, breaks


def _add_counts(counts: CacheCounts, theirs: CacheCounts, at_fork: CacheCounts) -> None:
    """What the child set and wrote to the cache, added to this process's counts (`set_at` in the
    book's order; what the cache held was read and counted here before the fork)."""
    counts.chapters_set += theirs.chapters_set - at_fork.chapters_set
    counts.breaks_found += theirs.breaks_found - at_fork.breaks_found
    counts.entries_written += theirs.entries_written - at_fork.entries_written
    counts.paragraphs_kept += theirs.paragraphs_kept - at_fork.paragraphs_kept
    counts.broken_entries += theirs.broken_entries - at_fork.broken_entries  # a last version's, say
    counts.set_at.extend(theirs.set_at[len(at_fork.set_at):])
    counts.set_at.sort()


def _later_half(weights: dict[int, int]) -> set[int]:
    """The last of these chapters (by their text's length), holding as near half the text as whole
    chapters allow, and at least one chapter left for the earlier half."""
    order = sorted(weights)
    total = sum(weights.values())
    running = 0
    for position, index in enumerate(order):
        if running + weights[index] / 2 >= total / 2:
            return set(order[max(position, 1):])
        running += weights[index]
    return {order[-1]}


def _text_length(chapter: Chapter) -> int:
    return sum(len(block_text(block)) for block in chapter.blocks)
