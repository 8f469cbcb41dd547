"""A whole book's structures (issue 3), each proved by building a small book of our own and reading
its PDFs back: front matter and contents, links, parts, recto openings and running heads, drop caps,
small caps, footnotes, scene breaks, verse, lists, tables and figures; and the page-quality bar on
Pride and Prejudice in every preset.

The manuscripts are written into tmp_path by the tests, from the sentences below (our own words)."""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import yaml
from PIL import Image

from booksmith.fonts import FontRegistry
from booksmith.pipeline import BuildOptions, BuildResult, build
from booksmith.preset import Preset
from conftest import ROOT, corpus_file
from pdfread import (
    DRAWING_OPERATORS,
    SOFT_HYPHEN_MARKS,
    CharRead,
    TextLineRead,
    drawn_images,
    page_chars,
    page_lines,
    page_operators,
    placed_words,
    stroked_rules,
    words,
)

PRESETS = sorted(path.stem for path in (ROOT / "layouts").glob("*.json"))

SENTENCES = [
    "The ferry left the quay at a quarter past seven, its engine coughing twice before it settled.",
    "Gulls followed the wake as far as the breakwater and then turned back for the fish market.",
    "Nobody in the village could remember a winter so mild that the harbour never iced over.",
    "Tomas kept his accounts in pencil, so that every mistake could be rubbed out before his sister saw it.",
    "By noon the fog had thinned to a white haze that made the lighthouse look like a chalk drawing.",
    "She folded the letter into quarters and slid it under the loose board by the stove.",
    "The schoolmaster rang the handbell from the steps, though the children were already running.",
    "A cart loaded with barrels of salted herring creaked up the lane towards the chapel.",
    "When the wind veered north the whole street smelled of seaweed drying on the rocks.",
    "Old Berrick swore that the clock in the tower had gained a minute every year since the war.",
    "There were three ways down to the beach, and only one of them was safe after dark.",
    "The baker's boy whistled the same four notes over and over until somebody threw a crust at him.",
    "Lamps were lit early in the reading room, where the fishermen argued over last week's newspapers.",
    "In the attic she found a trunk of charts drawn by a cartographer whose name had worn away.",
    "Rain came in long grey curtains across the bay, and the boats rode it out at their moorings.",
    "He had promised to mend the gate before the sheep got into the orchard again.",
    "The harbour wall was older than the church and had been repaired with stones from both.",
    "Every evening the keeper climbed one hundred and twelve steps to wind the great lens.",
    "Their neighbour grew onions in a boat that had been hauled ashore and filled with earth.",
    "A telegram arrived on Thursday, and for an hour nobody dared to open it.",
    "The tide tables pinned beside the door were two years out of date but nobody minded.",
    "Marguerite taught herself to splice rope from a diagram in an almanac.",
    "At the end of the jetty a single bollard leaned towards the water like a tired sentry.",
    "The postmistress knew everyone's business and kept almost all of it to herself.",
]


def paragraph(number: int, sentences: int = 4) -> str:
    """A paragraph of our own sentences; different numbers give different orders."""
    count = len(SENTENCES)
    return " ".join(SENTENCES[(number * 7 + step * 5) % count] for step in range(sentences))


def paragraphs(count: int, start: int = 0) -> str:
    """Paragraphs of three to six sentences, separated as Markdown separates them."""
    return "\n\n".join(paragraph(start + index, 3 + (start + index) % 4) for index in range(count))


def write_book(folder: Path, name: str, front: dict, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n"
                    + body.strip() + "\n", encoding="utf-8")
    return path


def build_book(folder: Path, body: str, layout: str | None = "novel-6x9", name: str = "book",
               **front: object) -> BuildResult:
    front = {"title": "Harbour Lights", "author": "Petra Lund", **front}
    path = write_book(folder, name, front, body)
    return build(path, BuildOptions(out_dir=folder / "dist", layout=layout))


# -- the page's geometry, as the preset gives it ---------------------------------------------------


def text_top(preset: Preset) -> float:
    return preset.trim.height - preset.margins.top


def left_edge(preset: Preset, index: int) -> float:
    """The text block's left edge on page `index` (from 0; even indices are rectos)."""
    return preset.margins.inside if index % 2 == 0 else preset.margins.outside


def body_lines(preset: Preset, lines: list[TextLineRead]) -> list[TextLineRead]:
    """Lines inside the text block at body size or smaller (no titles, running heads or folios)."""
    bottom = preset.margins.bottom - preset.body.leading
    return [line for line in lines
            if bottom <= line.y <= text_top(preset) and line.size <= preset.body.size + 0.5]


def display_lines(preset: Preset, lines: list[TextLineRead]) -> list[str]:
    """Titles: lines in the text block set larger than the body."""
    return [line.text.strip() for line in lines
            if line.y <= text_top(preset) and line.size > preset.body.size + 0.5]


def paragraph_lines(preset: Preset, lines: list[TextLineRead]) -> list[TextLineRead]:
    """The body lines below a page's titles (on an opening, the number line is body-sized)."""
    titles = [line.y for line in lines if line.y <= text_top(preset) and line.size > preset.body.size + 0.5]
    return [line for line in body_lines(preset, lines) if not titles or line.y < min(titles)]


def heads(preset: Preset, lines: list[TextLineRead]) -> list[TextLineRead]:
    """What stands above the text block: running heads (and folios at the head)."""
    return [line for line in lines if line.y > text_top(preset) + 0.5]


def is_clean(operators: list[tuple[str, list]]) -> bool:
    """A page that draws nothing at all: no text, no rules, no images."""
    return not {op for op, _ in operators} & DRAWING_OPERATORS


def same(text: str, other: str) -> bool:
    """Equal as a reader reads them: case (capitals, small capitals) and spacing aside."""
    return " ".join(text.split()).casefold() == " ".join(other.split()).casefold()


# -- the book with every kind of front and back matter ---------------------------------------------

FRONT = {
    "title": "The Salt Orchard",
    "subtitle": "A Tale of Tides",
    "author": "Maren Quill",
    "publisher": "Driftwood Press",
    "year": 2025,
    "copyright": "© 2025 Maren Quill. All rights reserved.",
    "edition": "First edition",
    "isbn": "978-0-00-000000-2",
    "printing": "10 9 8 7 6 5 4 3 2 1",
    "dedication": "For the keepers of small boats.",
    "epigraph": {"text": "The sea remembers every name we gave it.", "attribution": "An old net-mender"},
    "toc": True,
}
PART_TITLES = ["Low Water", "High Water"]
CHAPTER_TITLES = ["The Jetty", "The Ledger", "The Flood", "The Mooring"]
BACK_TITLES = ["Acknowledgements", "About the Author", "Also by Maren Quill"]
CONTENTS = ["Part One: Low Water", "The Jetty", "The Ledger", "Part Two: High Water", "The Flood",
            "The Mooring", *BACK_TITLES]
LINK_TEXT = "harbour records"
LINK_URL = "https://example.org/harbour"


def full_body() -> str:
    chapters = [f"## {title}\n\n" + paragraphs(12, 5 * number) for number, title in enumerate(CHAPTER_TITLES)]
    chapters[1] += f"\n\nThe clerk kept the [{LINK_TEXT}]({LINK_URL}) in a cupboard that would not lock."
    return "\n\n".join([
        f"# Part One: {PART_TITLES[0]}", chapters[0], chapters[1],
        f"# Part Two: {PART_TITLES[1]}", chapters[2], chapters[3],
        "# Acknowledgements",
        "Thanks are owed to the ferry crews and to the librarians of three coastal towns.",
        "# About the Author", "Maren Quill grew up above a chandlery and still cannot tie a bowline.",
        "# Also by Maren Quill", "*The Lantern Year*\\\n*A Map of Fog*",
    ])


@pytest.fixture(scope="module")
def full_book_in(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], BuildResult]:
    """The full book built in a preset (once per preset for the whole module)."""
    built: dict[str, BuildResult] = {}

    def get(layout: str) -> BuildResult:
        if layout not in built:
            folder = tmp_path_factory.mktemp(f"full-{layout}")
            path = write_book(folder, "the-salt-orchard", FRONT, full_body())
            built[layout] = build(path, BuildOptions(out_dir=folder / "dist", layout=layout))
        return built[layout]

    return get


@pytest.fixture(scope="module")
def full_book(full_book_in: Callable[[str], BuildResult]) -> BuildResult:
    return full_book_in("novel-6x9")


def describe(page: list[TextLineRead]) -> str:
    """What a front-matter page is, from what it shows."""
    texts = [line.text.strip() for line in page]
    if not texts:
        return "blank"
    if texts[0] == "Contents":
        return "contents"
    if texts == [FRONT["title"]]:
        return "half title"
    if FRONT["subtitle"] in texts:
        return "title"
    if any(text.startswith("ISBN") for text in texts):
        return "copyright"
    if texts == [FRONT["dedication"]]:
        return "dedication"
    if FRONT["epigraph"]["text"] in texts:
        return "epigraph"
    if texts[0].startswith("Part "):
        return "part"
    return "other"


def opening_index(pages: list[list[TextLineRead]], preset: Preset, title: str) -> int:
    """The page a chapter, part or back-matter section opens on: its title set large."""
    found = [index for index, lines in enumerate(pages)
             if any(same(text, title) for text in display_lines(preset, lines))]
    assert len(found) == 1, f"{title!r} is set as a title on pages {[i + 1 for i in found]}"
    return found[0]


# -- 1. front matter ---------------------------------------------------------------------------------


def test_front_matter_pages_come_in_order_each_display_page_on_a_recto_with_a_clean_verso(
        full_book: BuildResult) -> None:
    pages = page_lines(full_book.print_pdf.path)
    operators = page_operators(full_book.print_pdf.path)
    kinds = [describe(page) for page in pages[:11]]
    assert kinds == ["half title", "blank", "title", "copyright", "dedication", "blank", "epigraph", "blank",
                     "contents", "blank", "part"]
    texts = [[line.text.strip() for line in page] for page in pages]
    assert texts[2] == [FRONT["title"], FRONT["subtitle"], FRONT["author"], FRONT["publisher"]], "in order"
    assert pages[0][0].size < pages[2][0].size, "the half title is smaller than the title page's title"
    assert texts[3][:4] == [FRONT["copyright"], FRONT["edition"], f"ISBN {FRONT['isbn']}", FRONT["printing"]]
    assert texts[6] == [FRONT["epigraph"]["text"], "\u2014\u2009" + FRONT["epigraph"]["attribution"]]
    for index in (1, 5, 7, 9):
        assert is_clean(operators[index]), f"the blank verso, page {index + 1}, draws something"


def test_front_matter_pages_carry_no_folio_except_the_contents_in_roman(full_book: BuildResult) -> None:
    pages = page_lines(full_book.print_pdf.path)
    labels = page_labels(full_book.print_pdf.path)
    preset = full_book.preset
    folio = re.compile(r"[0-9ivxlcdm]+")
    for index in range(8):
        assert not [line for line in pages[index] if folio.fullmatch(line.text.strip())], f"page {index + 1}"
    contents = pages[8]
    assert labels[8] == "ix"
    assert contents[-1].text.strip() == "ix" and contents[-1].y < preset.margins.bottom, "a roman folio"


def page_labels(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    return [document.get_page_label(index) for index in range(len(document))]


@dataclass
class ContentsEntry:
    name: str
    number: str
    line: TextLineRead


def contents_entries(pages: list[list[TextLineRead]]) -> tuple[int, list[ContentsEntry]]:
    """The contents page's index and its entries: a name and, flush right, a page number."""
    index = next(index for index, page in enumerate(pages)
                 if any(line.text.strip() == "Contents" for line in page))
    entries = []
    for line in pages[index]:
        match = re.fullmatch(r"(.*\S)\s+(\d+)", line.text.strip())
        if match:
            entries.append(ContentsEntry(match.group(1), match.group(2), line))
    return index, entries


def test_contents_lists_parts_chapters_and_back_matter_with_the_pages_they_open_on(
        full_book: BuildResult) -> None:
    """Each number is the page's label in the screen PDF (where the bookmark for that entry leads)
    and in the print PDF, and the folio printed on a chapter's opening page."""
    preset = full_book.preset
    pages = page_lines(full_book.print_pdf.path)
    _, entries = contents_entries(pages)
    assert [entry.name for entry in entries] == CONTENTS
    print_labels = page_labels(full_book.print_pdf.path)
    screen = pdfium.PdfDocument(str(full_book.screen_pdf.path))
    bookmarks = {item.get_title(): screen.get_page_label(item.get_dest().get_index())
                 for item in screen.get_toc()}
    for entry in entries:
        assert bookmarks[entry.name] == entry.number, entry.name
        title = entry.name.split(": ", 1)[-1]
        index = opening_index(pages, preset, title)
        assert print_labels[index] == entry.number, entry.name
        if not entry.name.startswith("Part"):
            folio = pages[index][-1]
            assert folio.text.strip() == entry.number and folio.y < preset.margins.bottom, entry.name
    part_x = {entry.line.x0 for entry in entries if entry.name.startswith("Part")}
    chapter_x = {entry.line.x0 for entry in entries if entry.name in CHAPTER_TITLES}
    back_x = {entry.line.x0 for entry in entries if entry.name in BACK_TITLES}
    assert min(chapter_x) > max(part_x), "chapters are indented under their parts"
    assert back_x == part_x, "back matter stands at the parts' level"


def test_a_display_page_is_set_only_when_the_book_gives_its_key(tmp_path: Path) -> None:
    front = {key: value for key, value in FRONT.items() if key != "dedication"}
    path = write_book(tmp_path, "undedicated", front, full_body())
    result = build(path, BuildOptions(out_dir=tmp_path / "dist", layout="novel-6x9"))
    pages = page_lines(result.print_pdf.path)
    kinds = [describe(page) for page in pages[:9]]
    assert kinds == ["half title", "blank", "title", "copyright", "epigraph", "blank", "contents", "blank",
                     "part"]
    assert not [line for page in pages for line in page if "keepers of small boats" in line.text]

    bare = build_book(tmp_path / "bare", "# The Jetty\n\n" + paragraphs(3), name="bare")
    texts = [[line.text.strip() for line in page] for page in page_lines(bare.print_pdf.path)[:5]]
    assert texts[:4] == [["Harbour Lights"], [], ["Harbour Lights", "Petra Lund"], []], \
        "no copyright page, dedication, epigraph or contents"
    assert "The Jetty" in texts[4]


# -- 2. links ----------------------------------------------------------------------------------------


def test_contents_entries_are_live_links_to_their_openings_in_the_screen_pdf_only(
        full_book: BuildResult) -> None:
    screen_pages = page_lines(full_book.screen_pdf.path)
    contents_index, entries = contents_entries(screen_pages)
    screen_labels = page_labels(full_book.screen_pdf.path)
    with pikepdf.open(full_book.screen_pdf.path) as pdf:
        index_of = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        annotations = list(pdf.pages[contents_index].obj.get("/Annots", []))
        assert len(annotations) == len(entries)
        for entry in entries:
            inside = [a for a in annotations if float(a.Rect[1]) < entry.line.y < float(a.Rect[3])]
            assert len(inside) == 1, f"one link over {entry.name!r}"
            link = inside[0]
            assert link.Subtype == "/Link"
            target = index_of[link.Dest[0].objgen]
            assert screen_labels[target] == entry.number, entry.name
            shown = " ".join(line.text for line in screen_pages[target])
            assert entry.name.split(": ", 1)[-1].casefold() in shown.casefold(), entry.name
    with pikepdf.open(full_book.print_pdf.path) as pdf:
        assert all("/Annots" not in page.obj for page in pdf.pages), "print has no annotations"


def test_a_web_link_is_a_uri_annotation_over_its_words_in_the_screen_pdf_and_plain_text_in_print(
        full_book: BuildResult) -> None:
    found = []
    with pikepdf.open(full_book.screen_pdf.path) as pdf:
        for number, page in enumerate(pdf.pages):
            for annotation in page.obj.get("/Annots", []):
                if "/A" in annotation:
                    found.append((number, annotation))
    assert len(found) >= 1
    assert {str(annotation.A.S) for _, annotation in found} == {"/URI"}
    assert {str(annotation.A.URI) for _, annotation in found} == {LINK_URL}
    chars = page_chars(full_book.screen_pdf.path)
    for number, annotation in found:
        x0, y0, x1, y1 = (float(value) for value in annotation.Rect)
        covered = "".join(c.char for c in chars[number] if x0 <= (c.box[0] + c.box[2]) / 2 <= x1
                          and y0 <= c.y <= y1)
        assert covered.strip() and covered.strip() in LINK_TEXT, covered
    printed = " ".join(line.text for page in page_lines(full_book.print_pdf.path) for line in page)
    assert LINK_TEXT in printed.replace("\x02 ", "").replace("\x02", "")


# -- 3. parts ----------------------------------------------------------------------------------------


def test_a_part_page_is_a_recto_with_label_and_title_alone_and_a_clean_blank_verso_after_it(
        full_book: BuildResult) -> None:
    preset = full_book.preset
    pages = page_lines(full_book.print_pdf.path)
    operators = page_operators(full_book.print_pdf.path)
    for number, (label, title) in enumerate(zip(["Part One", "Part Two"], PART_TITLES)):
        index = opening_index(pages, preset, title)
        assert index % 2 == 0, f"{label} opens on page {index + 1}, a verso"
        assert [line.text.strip() for line in pages[index]] == [label, title], "no running head, no folio"
        assert pages[index][0].size < pages[index][1].size
        assert not pages[index + 1] and is_clean(operators[index + 1]), f"the verso after {label}"
        chapter = opening_index(pages, preset, CHAPTER_TITLES[2 * number])
        assert chapter == index + 2, "the part's first chapter follows on the next recto"


def number_lines(result: BuildResult) -> list[str]:
    return [page[0].text.strip() for page in page_lines(result.print_pdf.path)
            if page and page[0].text.startswith("Chapter ")]


def test_chapters_are_numbered_through_the_book_unless_the_preset_numbers_them_within_parts(
        full_book: BuildResult, tmp_path: Path) -> None:
    assert number_lines(full_book) == ["Chapter One", "Chapter Two", "Chapter Three", "Chapter Four"]
    front = {**FRONT, "layout": {"extends": "novel-6x9", "chapter": {"numbering": "part"}}}
    path = write_book(tmp_path, "by-part", front, full_body())
    result = build(path, BuildOptions(out_dir=tmp_path / "dist"))
    assert number_lines(result) == ["Chapter One", "Chapter Two", "Chapter One", "Chapter Two"]


def test_a_chapter_heading_that_only_numbers_takes_the_presets_numbering(tmp_path: Path) -> None:
    body = "\n\n".join(f"# Chapter {number}\n\n{paragraphs(2, number)}" for number in (1, 2, 3))
    result = build_book(tmp_path, body)
    assert number_lines(result) == ["Chapter One", "Chapter Two", "Chapter Three"]


# -- 4. recto openings, blank versos and running heads -----------------------------------------------


@pytest.mark.parametrize("layout", PRESETS)
def test_every_opening_is_a_recto_after_a_clean_blank_verso_and_shows_no_running_head(
        full_book_in: Callable[[str], BuildResult], layout: str) -> None:
    result = full_book_in(layout)
    preset = result.preset
    pages = page_lines(result.print_pdf.path)
    operators = page_operators(result.print_pdf.path)
    contents_index, _ = contents_entries(pages)
    openings = {opening_index(pages, preset, title): title
                for title in [*PART_TITLES, *CHAPTER_TITLES, *BACK_TITLES]}
    for index, title in openings.items():
        assert index % 2 == 0, f"{title!r} opens on page {index + 1}, a verso"
        assert not heads(preset, pages[index]), f"a running head on the opening of {title!r}"
        if not pages[index - 1]:
            assert is_clean(operators[index - 1]), f"the blank verso before {title!r} draws something"
    blanks = [index for index, page in enumerate(pages) if not page]
    assert blanks
    for index in blanks:
        assert is_clean(operators[index]), f"blank page {index + 1} draws something"
        assert index % 2 == 1, f"blank page {index + 1} is a recto"
        assert index + 1 in openings or index == contents_index + 1 or index < contents_index \
            or index == len(pages) - 1, f"blank page {index + 1} stands before no opening"
    for index in range(contents_index):
        assert not heads(preset, pages[index]), f"a running head on front-matter page {index + 1}"
    text_pages = [index for index in range(min(openings), len(pages))
                  if index not in openings and pages[index]]
    assert text_pages
    for index in text_pages:
        assert heads(preset, pages[index]), f"text page {index + 1} has no running head"


def test_trade_running_heads_show_the_title_on_versos_and_the_chapter_on_the_page_on_rectos(
        full_book_in: Callable[[str], BuildResult]) -> None:
    result = full_book_in("trade-5.5x8.5")
    preset = result.preset
    pages = page_lines(result.print_pdf.path)
    openings = {opening_index(pages, preset, title): title for title in [*CHAPTER_TITLES, *BACK_TITLES]}
    openings.update({opening_index(pages, preset, title): None for title in PART_TITLES})
    chapter = None
    seen: dict[str, list[int]] = {}
    for index in range(min(openings), len(pages)):
        if index in openings:
            chapter = openings[index]
            continue
        if not pages[index]:
            continue
        above = heads(preset, pages[index])
        assert len(above) == 1, f"page {index + 1}"
        head = re.sub(r"\s*\d+\s*", " ", above[0].text).strip()  # the folio shares the line
        if index % 2 == 1:
            assert head == FRONT["title"], f"verso head on page {index + 1}"
        else:
            assert head == chapter, f"recto head on page {index + 1}"
            seen.setdefault(head, []).append(index)
    assert set(seen) == set(CHAPTER_TITLES), "every chapter runs onto a recto of its own"


# -- 5. drop caps --------------------------------------------------------------------------------------

DROP_BODY = (
    "# The Signal\n\nHalyards rattled against the mast all night, and by morning the whole crew was "
    "tired of the noise. " + paragraph(3, 5) + "\n\n" + paragraphs(2, 4) +
    "\n\n# The Answer\n\n\u201cHold fast,\u201d she called across the deck, and the boy held fast. "
    + paragraph(9, 5) + "\n\n" + paragraphs(2, 8)
)


@pytest.mark.parametrize(("layout", "depth"), [("novel-6x9", 3), ("literary-5.25x8", 2)])
def test_a_drop_cap_spans_its_lines_from_cap_height_to_the_last_dropped_baseline(
        tmp_path: Path, layout: str, depth: int) -> None:
    """The cap's height is measured both from its font size (baseline + size x the font's
    cap-height ratio) and from its ink (an 'H' has a flat top exactly at cap height)."""
    result = build_book(tmp_path, DROP_BODY, layout)
    preset = result.preset
    assert preset.chapter.opening == "dropcap" and preset.chapter.dropcap_lines == depth
    face = FontRegistry([ROOT / "fonts"]).face("EB Garamond", "regular")
    ratio = face.cap_height / face.upem
    assert ratio == pytest.approx(0.653, abs=0.002)
    pages = page_lines(result.print_pdf.path)
    chars = page_chars(result.print_pdf.path)
    body = preset.body.size
    for title in ("The Signal", "The Answer"):
        index = opening_index(pages, preset, title)
        big = [c for c in chars[index] if c.char.strip() and c.size > 2 * body]
        assert len(big) == 1, f"{title}: one character much larger than the body"
        cap = big[0]
        assert cap.char == "H"
        lines = paragraph_lines(preset, pages[index])
        left = left_edge(preset, index)
        assert cap.y == pytest.approx(lines[depth - 1].y, abs=0.05), "stands on the last dropped baseline"
        first_cap_top = lines[0].y + body * ratio
        assert cap.y + cap.size * ratio == pytest.approx(first_cap_top, abs=1.0), "top at the cap height"
        assert cap.box[3] == pytest.approx(first_cap_top, abs=1.0), "its ink reaches the cap height"
        assert cap.box[1] == pytest.approx(cap.y, abs=0.5), "its ink stands on the baseline"
        assert cap.x == pytest.approx(left, abs=0.5), "the cap stands at the text block's edge"
        for line in lines[1:depth]:
            assert cap.box[2] < line.x0 < cap.box[2] + body, f"{line.text!r} starts right of the cap"
        assert lines[depth].x0 == pytest.approx(left, abs=0.1), "the line below the cap is full width"
        if title == "The Signal":
            assert cap.box[2] < lines[0].x0 < cap.box[2] + body
            assert lines[0].text.startswith("Halyards rattled"), "the cap reads as the first letter"
        else:
            quote = next(c for c in chars[index] if c.char == "\u201c")
            assert quote.y == pytest.approx(lines[0].y, abs=0.05) and quote.size == pytest.approx(body)
            assert quote.box[2] <= cap.box[0] + 0.5, "the quote mark stands before the cap"
            assert quote.x < left, "and hangs in the margin"
            assert lines[0].text.startswith("\u201cHold fast,\u201d")


# -- 6. small caps -------------------------------------------------------------------------------------


def run_on_page(chars: list[CharRead], text: str) -> list[CharRead]:
    """The characters spelling `text` (case-sensitively) on one baseline of the page."""
    rows: dict[float, list[CharRead]] = {}
    for char in chars:
        rows.setdefault(round(char.y, 1), []).append(char)
    for row in rows.values():
        spelled = "".join(c.char for c in row)
        start = spelled.find(text)
        if start >= 0:
            return row[start : start + len(text)]
    return []


def assert_true_small_caps(chars: list[CharRead], text: str, body: float, ratio: float) -> None:
    run = run_on_page(chars, text)
    assert run, f"{text!r} does not read back in its own case"
    letters = [c for c in run if c.char.islower()]
    assert all(c.size == pytest.approx(body) for c in run), "set at the body size, not scaled down"
    tops = [c.box[3] - c.y for c in letters]
    height = statistics.median(tops)
    assert max(tops) - min(tops) < 0.04 * body, f"one flat height for every letter: {tops}"
    assert all(c.box[1] - c.y > -0.04 * body for c in letters), "no descenders"
    assert 0.6 < height / (body * ratio) < 0.8, "about seven tenths of a capital's height"
    roman = [c for c in chars if c.size == pytest.approx(body) and not re.search("Italic|Bold", c.font)]
    ordinary = [c for c in roman if c not in run]
    compared = 0
    for letter in {c.char for c in letters} & set("bdhklgpyij"):
        plain = [c for c in ordinary if c.char == letter]
        if not plain:
            continue
        compared += 1
        mine = next(c for c in letters if c.char == letter)
        differs = (plain[0].box[3] - plain[0].y) - (mine.box[3] - mine.y) > 0.1 * body or \
            (mine.box[1] - mine.y) - (plain[0].box[1] - plain[0].y) > 0.1 * body
        assert differs, f"the small-cap {letter!r} is drawn with the lowercase glyph"
    assert compared >= 2


SMALL_CAPS_BODY = (
    "# The Lamplighter\n\nLanterns glowed brightly along the quay as the boats came home one by one. "
    + paragraph(2, 4) + "\n\nAt the harbour office the [tidal gauge]{.smallcaps} was read twice a day. "
    + paragraph(6, 5)
)


@pytest.mark.parametrize(("layout", "text"), [("classic-5x8", "Lanterns glowed brightly along"),
                                              ("novel-6x9", "tidal gauge")])
def test_small_caps_are_the_fonts_own_small_capitals_at_body_size_reading_as_written(
        tmp_path: Path, layout: str, text: str) -> None:
    """True small capitals (the font's smcp glyphs), not capitals scaled down and not lowercase:
    the text layer reads the words in their own case (the ToUnicode map sends each smcp glyph's
    private-use code back to its letter), the size is the body size, and the ink shows small-cap
    shapes: every letter the same flat height, about 0.7 of a capital, with no descender (g, y)
    and no dot (i); the same letters set in lowercase on the page rise or descend past it."""
    result = build_book(tmp_path, SMALL_CAPS_BODY, layout)
    preset = result.preset
    face = FontRegistry([ROOT / "fonts"]).face("EB Garamond", "regular")
    chars = page_chars(result.print_pdf.path)
    index = opening_index(page_lines(result.print_pdf.path), preset, "The Lamplighter")
    assert_true_small_caps(chars[index], text, preset.body.size, face.cap_height / face.upem)
    if layout == "classic-5x8":
        assert preset.chapter.opening == "smallcaps" and preset.chapter.leadin_words == 4
        after = run_on_page(chars[index], "the quay")
        assert after and max(c.box[3] - c.y for c in after) > preset.body.size * 0.55, "only four words"


# -- 7. footnotes --------------------------------------------------------------------------------------

NOTE_COUNT = 14


def footnote_body() -> str:
    parts = ["# The Logbook"]
    for number in range(1, NOTE_COUNT + 1):
        parts.append(paragraph(number, 3 + number % 3) + f" The entry was initialled.[^{number}]")
        parts.append(paragraph(number + 40, 2 + number % 4))
    for number in range(1, NOTE_COUNT + 1):
        extra = " " + SENTENCES[number % len(SENTENCES)] if number % 3 == 0 else ""
        parts.append(f"[^{number}]: Entry {number} is in a second hand, probably the relief keeper's.{extra}")
    return "\n\n".join(parts)


def superscript_marks(chars: list[CharRead], body: float) -> list[int]:
    """Note numbers raised above a body baseline, in reading order."""
    marks: list[int] = []
    previous: CharRead | None = None
    digits = ""
    for char in chars:
        raised = char.char.isdigit() and char.box[1] - char.y > 0.25 * body and char.size >= body - 0.01
        if raised and previous is not None and digits and char.y == previous.y:
            digits += char.char
        elif raised:
            if digits:
                marks.append(int(digits))
            digits = char.char
        elif digits:
            marks.append(int(digits))
            digits = ""
        previous = char if raised else None
    if digits:
        marks.append(int(digits))
    return marks


def test_each_footnote_is_set_at_the_foot_of_the_page_that_cites_it_under_a_short_rule(
        tmp_path: Path) -> None:
    result = build_book(tmp_path, footnote_body())
    preset = result.preset
    body = preset.body.size
    pages = page_lines(result.print_pdf.path)
    chars = page_chars(result.print_pdf.path)
    operators = page_operators(result.print_pdf.path)
    cited: dict[int, int] = {}
    noted: dict[int, int] = {}
    for index, page in enumerate(pages):
        for number in superscript_marks(chars[index], body):
            cited[number] = index
        notes = [line for line in page if re.match(r"\d+\u2002", line.text)]
        for line in notes:
            noted[int(line.text.split("\u2002")[0])] = index
        if not notes:
            continue
        text = [line for line in page if line.size == pytest.approx(body) and line.y <= text_top(preset)
                and line.y > preset.margins.bottom - body]
        folios = [line for line in page if line.y < preset.margins.bottom - body]
        lowest_text, top_note = min(line.y for line in text), max(line.y for line in notes)
        assert all(line.size < body * 0.9 for line in notes), "notes are smaller than the body"
        assert top_note < lowest_text, f"page {index + 1}: the notes stand below the text"
        note_lines = [line for line in page if line.size < body * 0.9 and line.y < lowest_text
                      and line not in folios]
        assert min(line.y for line in note_lines) > max(line.y for line in folios), "above the folio"
        rules = [rule for rule in stroked_rules(operators[index]) if top_note < rule[1] < lowest_text]
        assert len(rules) == 1, f"page {index + 1}: one rule between the text and the notes"
        x0, y0, x1, y1 = rules[0]
        assert y0 == y1 and x0 == pytest.approx(left_edge(preset, index)), "a horizontal rule at the edge"
        assert x1 - x0 < preset.measure / 2, "a short rule"
    assert sorted(cited) == list(range(1, NOTE_COUNT + 1)), "every mark is a raised figure"
    assert sorted(noted) == list(range(1, NOTE_COUNT + 1)), "every note is set, with its number"
    assert len(set(noted.values())) > 3, "the notes fall on several pages"
    for number in range(1, NOTE_COUNT + 1):
        assert noted[number] == cited[number], f"note {number} is not on the page of its mark"


LONG_NOTE_SENTENCES = 26


def long_note(number: int) -> str:
    """A note of our own, too long for a third of a page: numbered sentences, to be read back."""
    return " ".join(f"Remark {number}.{step} on the lamp: the wick was trimmed and the glass wiped clean."
                    for step in range(LONG_NOTE_SENTENCES))


def long_note_body(chapters: int) -> str:
    """Chapter k cites its long note three lines further down than chapter k - 1, so that across the
    chapters a mark falls near the foot of a page, where the note cannot be whole."""
    parts = []
    for number in range(1, chapters + 1):
        parts.append(f"# Watch {number}")
        parts.append(paragraphs(3, number))
        parts.extend(SHORT_LINES[k % len(SHORT_LINES)] for k in range(3 * number))
        parts.append(f"The keeper wrote a long remark.[^{number}] " + paragraph(number, 3))
        parts.append(paragraphs(4, number + 5))
    parts += [f"[^{number}]: {long_note(number)}" for number in range(1, chapters + 1)]
    return "\n\n".join(parts)


def test_a_long_footnote_is_continued_at_the_foot_of_the_next_page_and_read_whole(tmp_path: Path) -> None:
    chapters = 14
    result = build_book(tmp_path, long_note_body(chapters))
    preset = result.preset
    body = preset.body.size
    pages = page_lines(result.print_pdf.path)
    notes_by_page: list[list[str]] = []
    for index, page in enumerate(pages):
        text = [line for line in page if line.size == pytest.approx(body) and line.y <= text_top(preset)
                and line.y > preset.margins.bottom - body]
        notes = [line for line in page if line.size < body * 0.9 and line.y > preset.margins.bottom - body
                 and line.text.strip() and not line.text.strip().isdigit()]
        notes = [line for line in notes if not text or line.y < min(t.y for t in text)]
        if notes and text:
            assert max(line.y for line in notes) < min(line.y for line in text), f"page {index + 1}"
        notes_by_page.append([line.text for line in sorted(notes, key=lambda line: -line.y)])
    opens_note = re.compile(r"\d+\u2002")
    continued = [index for index, lines in enumerate(notes_by_page)
                 if lines and not opens_note.match(lines[0])]
    assert len(continued) >= 3, "notes cited low on a page run on to the next page"
    read = " ".join(line for lines in notes_by_page for line in lines)
    read = re.sub(r"[\u00ad-]\s+", "", read)
    for number in range(1, chapters + 1):
        assert re.sub(r"\s+", " ", long_note(number)) in read, f"note {number} reads whole, in order"
    for index in continued:
        # the page before holds the note's opening, and its last note line runs on into this page's first
        before = notes_by_page[index - 1]
        assert any(opens_note.match(line) for line in before), f"page {index}: the note began there"
        joined = re.sub(r"[\u00ad-]\s+", "", f"{before[-1]} {notes_by_page[index][0]}")
        assert any(joined in long_note(number) for number in range(1, chapters + 1)), joined


# -- 8. scene breaks -----------------------------------------------------------------------------------

LAST_BEFORE = "The lamp was trimmed and the door was barred."
FIRST_AFTER = "Morning found the harbour empty and still."
SHORT_LINES = ["A gull called from the roof.", "The kettle ticked as it cooled.", "Somebody knocked twice.",
               "Nobody answered.", "The wind dropped.", "A shutter banged."]


def scene_break_body(chapters: int) -> str:
    """Chapter k holds k one-line paragraphs more before its scene break than chapter 0, so that
    across the chapters the break falls on every line of a page (each chapter opens a page)."""
    parts = []
    for number in range(chapters):
        parts.append(f"# Watch {number + 1}")
        parts.append(paragraphs(4, number))
        parts.extend(SHORT_LINES[k % len(SHORT_LINES)] for k in range(number))
        parts += [LAST_BEFORE, "* * *", FIRST_AFTER + " " + paragraph(number, 3), paragraphs(2, number + 3)]
    return "\n\n".join(parts)


def test_a_blank_scene_break_shows_its_ornament_only_at_the_head_of_a_page_and_never_ends_one(
        tmp_path: Path) -> None:
    """classic-5x8 leaves a blank line for a scene break, and sets its fleuron only where the break
    falls at the head of a page (where a blank line would not show). One build holds the variants:
    forty chapters, each with one line more before its break, so the break lands on every line of a
    page, the head and the foot included."""
    result = build_book(tmp_path, scene_break_body(40), "classic-5x8")
    preset = result.preset
    assert preset.scene_break.style == "blank"
    mark = preset.scene_break.mark
    leading = preset.body.leading
    pages = [body_lines(preset, lines) for lines in page_lines(result.print_pdf.path)]
    at_head = mid_page = 0
    befores = [(index, n) for index, page in enumerate(pages) for n, line in enumerate(page)
               if line.text.strip() == LAST_BEFORE]
    afters = [(index, n) for index, page in enumerate(pages) for n, line in enumerate(page)
              if line.text.startswith(FIRST_AFTER)]
    assert len(befores) == len(afters) == 40
    for (page_before, n_before), (page_after, n_after) in zip(befores, afters):
        after = pages[page_after][n_after]
        assert after.x0 == pytest.approx(left_edge(preset, page_after), abs=0.1), "not indented"
        if page_before == page_after:
            mid_page += 1
            assert n_after == n_before + 1, "mid-page, no mark is drawn"
            assert pages[page_before][n_before].y - after.y == pytest.approx(2 * leading, abs=0.05)
        else:
            at_head += 1
            assert page_after == page_before + 1
            assert n_before == len(pages[page_before]) - 1, "the scene before ends its page"
            assert n_after == 1 and pages[page_after][0].text.strip() == mark, "the mark heads the page"
            assert pages[page_after][0].y - after.y == pytest.approx(leading, abs=0.05)
            head_mark = pages[page_after][0]
            middle = left_edge(preset, page_after) + preset.measure / 2
            assert (head_mark.x0 + head_mark.x1) / 2 == pytest.approx(middle, abs=1.0), "centred"
    for index, page in enumerate(pages):
        assert not page or page[-1].text.strip() != mark, f"page {index + 1} ends on a scene break"
        assert [line for line in page[1:] if line.text.strip() == mark] == [], "a mark below a page's head"
    assert at_head >= 1 and mid_page >= 1


# -- 9. verse -------------------------------------------------------------------------------------------

STANZAS = [
    ["The lamp goes round, the lamp goes round,",
     "and every sweep is a name for the sound",
     "of water breaking on the rocks below, where gulls sit in rows and watch the slow grey ships go by "
     "without a word,",
     "and the keeper counts them all."],
    ["Stanza two begins here quietly,", "and ends as quietly as it came."],
]


def verse_block() -> str:
    return "::: verse\n" + "\n\n".join("\n".join(stanza) for stanza in STANZAS) + "\n:::"


def test_verse_keeps_its_lines_and_turns_a_long_one_over_with_a_hanging_indent(tmp_path: Path) -> None:
    body = "# The Keeper's Song\n\n" + paragraphs(2) + "\n\n" + verse_block() + "\n\n" + paragraphs(2, 3)
    result = build_book(tmp_path, body)
    preset = result.preset
    lines = [(index, line) for index, page in enumerate(page_lines(result.print_pdf.path))
             for line in body_lines(preset, page)]
    starts = []
    for stanza in STANZAS:
        for verse_line in stanza:
            found = [n for n, (_, line) in enumerate(lines) if len(line.text.strip()) > 15
                     and verse_line.startswith(line.text.strip())]
            assert len(found) == 1, f"{verse_line!r} starts a line of its own"
            starts.append(found[0])
    indents = {round(lines[n][1].x0 - left_edge(preset, lines[n][0]), 2) for n in starts}
    assert indents == {round(preset.block_quote.indent, 2)}, "every verse line starts at the same indent"
    long_start = starts[2]
    index, first = lines[long_start]
    turned = lines[long_start + 1][1]
    assert long_start + 1 != starts[3], "the long line turns over"
    assert turned.x0 - left_edge(preset, index) > preset.block_quote.indent + preset.body.size * 0.5, \
        "its turnover hangs further right"
    joined = first.text.strip() + "\n" + turned.text.strip()
    for mark in SOFT_HYPHEN_MARKS:
        joined = joined.replace(mark + "\n", "")
    assert joined.replace("\n", " ") == STANZAS[0][2], "the turned line reads as written"
    gap = lines[starts[4] - 1][1].y - lines[starts[4]][1].y
    assert gap == pytest.approx(2 * preset.body.leading, abs=0.05), "a blank line between stanzas"


STANZA = ["Salt on the sill,", "salt on the stair,", "the tide comes in,", "the tide goes out,",
          "the gulls come back,", "the boats come home,", "and nobody asks", "what it is about."]


@pytest.mark.parametrize("size", [4, 8])
def test_a_short_stanza_is_never_split_across_pages(tmp_path: Path, size: int) -> None:
    """One build holds the variants: in chapter k the stanza follows k one-line paragraphs, so across
    the chapters its natural place crosses every line of a page, the foot included."""
    stanza = STANZA[:size - 1] + STANZA[-1:]
    parts = []
    for number in range(26):
        parts += [f"# Tide {number + 1}", paragraphs(3, number)]
        parts.extend(SHORT_LINES[k % len(SHORT_LINES)] for k in range(number))
        parts += ["::: verse\n" + "\n".join(stanza) + "\n:::", paragraphs(2, number + 5)]
    result = build_book(tmp_path, "\n\n".join(parts), "large-print-6x9")
    preset = result.preset
    assert preset.lines_per_page <= 26
    pages = [body_lines(preset, lines) for lines in page_lines(result.print_pdf.path)]
    where: dict[str, list[tuple[int, float]]] = {verse_line: [] for verse_line in stanza}
    for index, page in enumerate(pages):
        for line in page:
            if line.text.strip() in where:
                where[line.text.strip()].append((index, line.y))
    assert all(len(found) == 26 for found in where.values())
    heads_of_pages = 0
    for copy in range(26):
        placed = [where[verse_line][copy] for verse_line in stanza]
        assert len({index for index, _ in placed}) == 1, f"the stanza in chapter {copy + 1} is split"
        ys = [y for _, y in placed]
        assert all(a - b == pytest.approx(preset.body.leading, abs=0.05) for a, b in itertools.pairwise(ys))
        heads_of_pages += pages[placed[0][0]][0].text.strip() == stanza[0]
    assert heads_of_pages >= 1, "somewhere the stanza was carried whole to the next page"


# -- 10. lists, tables, figures ----------------------------------------------------------------------

LIST_ITEMS = ["a coil of rope, tarred and stiff",
              "two lamps with cracked chimneys and a spare wick wound on a card, kept in a drawer that "
              "sticks in wet weather and has to be coaxed open with a knife",
              "a tin box of brass screws"]
STEPS = ["Clean the glass.", "Trim the wick.", "Wind the clockwork that turns the lens."]
TABLE_ROWS = [("Rope", "4", "112"), ("Oil", "27", "1350"), ("Candles", "310", "9")]


def blocks_body(photo: str, sketch: str) -> str:
    table = "| Item | Count | Weight |\n|:-----|------:|-------:|\n" + "\n".join(
        f"| {item} | {count} | {weight} |" for item, count, weight in TABLE_ROWS)
    return "\n\n".join([
        "# The Stores", paragraphs(1),
        "\n".join(f"- {item}" for item in LIST_ITEMS),
        paragraph(4, 2),
        "\n".join(f"{number}. {step}" for number, step in enumerate(STEPS, start=1)),
        paragraph(5, 2), table, paragraph(6, 2),
        "# The Lower Room", paragraph(7, 3), f"![The lower room as the keeper drew it]({photo})",
        paragraph(8, 3),
        "# The Lens", paragraph(9, 3), f"![A sketch of the lens]({sketch})", paragraph(10, 3),
    ])


@pytest.fixture(scope="module")
def blocks_book(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    folder = tmp_path_factory.mktemp("blocks")
    # 1500 px across the 327.6 pt measure of novel-6x9 is 330 ppi; 328 px is 72 ppi
    Image.new("RGB", (1500, 1000), (200, 180, 150)).save(folder / "photo.png", dpi=(300, 300))
    Image.new("RGB", (328, 200), (90, 120, 150)).save(folder / "sketch.png", dpi=(72, 72))
    return build_book(folder, blocks_body("photo.png", "sketch.png"))


def test_list_labels_hang_to_the_left_of_their_items_text(blocks_book: BuildResult) -> None:
    preset = blocks_book.preset
    pages = page_chars(blocks_book.print_pdf.path)
    lines = page_lines(blocks_book.print_pdf.path)
    for labels, items in ((["\u2022"] * 3, LIST_ITEMS), ([f"{n}." for n in (1, 2, 3)], STEPS)):
        starts = set()
        for label, item in zip(labels, items):
            first_words = " ".join(item.split()[:3])
            index = next(i for i, page in enumerate(pages) if run_on_page(page, first_words))
            words = placed_words(pages[index])
            text = run_on_page(pages[index], first_words)
            label_word = [w for w in words if w.y == text[0].y and w.x1 < text[0].x]
            assert [w.text for w in label_word] == [label], item
            assert label_word[0].x0 >= left_edge(preset, index) - 0.5, "the label stays in the text block"
            starts.add(round(text[0].x, 2))
            if len(item) > 60:
                row = next(n for n, line in enumerate(lines[index]) if line.y == pytest.approx(text[0].y))
                turned = lines[index][row + 1]
                assert turned.x0 == pytest.approx(text[0].x, abs=0.1), "a turned line aligns with the text"
        assert len(starts) == 1, "every item's text starts at the same indent"


def test_table_columns_are_aligned_between_rules(blocks_book: BuildResult) -> None:
    pages = page_chars(blocks_book.print_pdf.path)
    index = next(i for i, page in enumerate(pages) if run_on_page(page, "Candles"))
    words = placed_words(pages[index])
    rows = []
    for cells in [("Item", "Count", "Weight"), *TABLE_ROWS]:
        first = next(w for w in words if w.text == cells[0])
        row = [w for w in words if w.y == first.y]
        assert [w.text for w in row] == list(cells)
        rows.append(row)
    lefts = [row[0].chars[0].x for row in rows]
    assert max(lefts) - min(lefts) < 0.01, "the left-aligned column starts at one x"
    for column in (1, 2):
        rights = [row[column].x1 for row in rows[1:]]
        assert max(rights) - min(rights) < 0.5, f"right-aligned figures end at one x: {rights}"
    header_y, first_y, last_y = rows[0][0].y, rows[1][0].y, rows[-1][0].y
    extent = (min(w.x0 for row in rows for w in row), max(w.x1 for row in rows for w in row))
    rules = [rule for rule in stroked_rules(page_operators(blocks_book.print_pdf.path)[index])
             if rule[0] <= extent[0] and rule[2] >= extent[1] and rule[1] == rule[3]]
    ys = sorted((rule[1] for rule in rules), reverse=True)
    assert len(ys) == 3, "a rule above the header, one below it, one below the last row"
    assert ys[0] > header_y > ys[1] > first_y and last_y > ys[2]


def test_a_figure_is_drawn_within_the_text_block_with_an_italic_caption_below_it(
        blocks_book: BuildResult) -> None:
    preset = blocks_book.preset
    operators = page_operators(blocks_book.print_pdf.path)
    chars = page_chars(blocks_book.print_pdf.path)
    captions = ["The lower room as the keeper drew it", "A sketch of the lens"]
    found = []
    with pikepdf.open(blocks_book.print_pdf.path) as pdf:
        for index, drawing in enumerate(operators):
            for name, x, y, width, height in drawn_images(drawing):
                assert pdf.pages[index].Resources.XObject[name].Subtype == "/Image"
                left = left_edge(preset, index)
                assert x >= left - 0.01 and x + width <= left + preset.measure + 0.01, "within the measure"
                assert y >= preset.margins.bottom - preset.body.leading and y + height <= text_top(preset)
                below = [(text, run) for text in captions if (run := run_on_page(chars[index], text))
                         and y - 3 * preset.body.leading < run[0].y < y]
                assert len(below) == 1, f"page {index + 1}: one caption just below the image"
                text, caption = below[0]
                found.append(text)
                assert all("Italic" in c.font for c in caption), "the caption is italic"
                middle = (caption[0].box[0] + caption[-1].box[2]) / 2
                assert middle == pytest.approx(x + width / 2, abs=1.5), "centred under the image"
    assert found == captions


def test_an_image_below_print_resolution_is_warned_about_by_name(blocks_book: BuildResult) -> None:
    messages = [str(item) for item in blocks_book.diagnostics.items]
    assert [m for m in messages if "sketch.png" in m and "72 ppi" in m], messages
    assert not [m for m in messages if "photo.png" in m], "a 330 ppi image prints as it is"


def sweep_body(block: str, chapters: int) -> str:
    """Chapter k sets `block` after k one-line paragraphs: across the chapters the block's natural
    place crosses every line of a page."""
    parts = []
    for number in range(chapters):
        parts += [f"# Tide {number + 1}", paragraphs(2, number)]
        parts.extend(SHORT_LINES[k % len(SHORT_LINES)] for k in range(number))
        parts += [block, paragraphs(2, number + 5)]
    return "\n\n".join(parts)


def test_a_figure_that_does_not_fit_on_a_page_moves_whole_to_the_next(tmp_path: Path) -> None:
    Image.new("RGB", (1500, 900), (200, 180, 150)).save(tmp_path / "quay.png", dpi=(300, 300))
    result = build_book(tmp_path, sweep_body("![The quay at dusk](quay.png)", 40))
    preset = result.preset
    operators = page_operators(result.print_pdf.path)
    chars = page_chars(result.print_pdf.path)
    faults = []
    drawn = 0
    for index, drawing in enumerate(operators):
        for _, _, y, _, height in drawn_images(drawing):
            drawn += 1
            caption = run_on_page(chars[index], "The quay at dusk")
            if y < preset.margins.bottom - preset.body.leading or y + height > text_top(preset):
                faults.append(f"page {index + 1}: the image runs from {y:.0f} to {y + height:.0f} pt")
            if not caption or not y - 3 * preset.body.leading < caption[0].y < y:
                faults.append(f"page {index + 1}: the caption is not below its image")
    assert drawn == 40
    assert faults == []


def test_a_full_page_image_is_a_plate_to_the_bleed_with_the_text_running_on_around_it(tmp_path: Path) -> None:
    """`{.full-page}`: the picture fills its own page and the printer's bleed (KDP: head, foot and
    fore-edge), with no running head or folio; the text runs on from the page before to the page
    after, indented as it was, every spread of text still level; a caption it has no room for is
    reported, not dropped silently."""
    Image.new("RGB", (1900, 2800), (20, 40, 60)).save(tmp_path / "plate.png")
    chapters = 12
    # chapter k holds 3 + k paragraphs before its plate: the plates fall on one page or another
    body = "\n\n".join(f"# Tide {number + 1}\n\n{paragraphs(3 + number, number)}\n\n"
                         f"![](plate.png){{.full-page}}\n\n{paragraphs(3, number + 7)}"
                         for number in range(chapters))
    body = body.replace("![](plate.png)", "![The coast](plate.png)", 1)
    path = write_book(tmp_path, "plates", {"title": "Harbour Lights", "author": "Petra Lund"}, body)
    result = build(path, BuildOptions(out_dir=tmp_path / "dist", printer="kdp", bleed=True))
    pages = page_lines(result.print_pdf.path)
    document = pdfium.PdfDocument(str(result.print_pdf.path))
    plates = [index for index, drawing in enumerate(page_operators(result.print_pdf.path))
              if drawn_images(drawing)]
    assert len(plates) == chapters
    assert {index % 2 for index in plates} == {0, 1}, "plates fall on rectos and versos"
    for index in plates:
        assert pages[index] == [], f"page {index + 1}: a plate carries no text, head or folio"
        bitmap = document[index].render(scale=0.5).to_pil().convert("L")
        right, bottom = bitmap.width - 1, bitmap.height - 1
        corners = [(0, 0), (right, 0), (0, bottom), (right, bottom)]
        assert all(bitmap.getpixel(corner) < 80 for corner in corners), f"page {index + 1}: to the bleed"
    assert result.summary.uneven_spreads == 0
    text = re.sub(r"!\[[^\]]*\]\(plate.png\)\{\.full-page\}|^# .*$", " ", body, flags=re.M)
    manuscript_words = words(text)
    lines = "\n".join(line.text for page in pages for line in page)
    printed = words(re.sub(r"[\x02\ufffe\u00ad-]\s*\n", "", lines))  # hyphenated words rejoined
    assert Counter(manuscript_words) - Counter(printed) == Counter(), "every word is printed"
    assert [item for item in result.diagnostics.items if "is not printed" in item.message]


def test_a_short_table_is_never_split_across_pages(tmp_path: Path) -> None:
    table = "| Item | Count |\n|:-----|------:|\n" + "\n".join(f"| Crate {n} | {n * 3} |"
                                                              for n in range(1, 6))
    result = build_book(tmp_path, sweep_body(table, 40))
    preset = result.preset
    pages = [body_lines(preset, lines) for lines in page_lines(result.print_pdf.path)]
    rows = [(index, line.text.split()[1]) for index, page in enumerate(pages) for line in page
            if line.text.startswith("Crate ")]
    assert len(rows) == 200
    for copy in range(40):
        found = {index for index, _ in rows[copy * 5 : copy * 5 + 5]}
        assert len(found) == 1, f"the table of chapter {copy + 1} is split over pages {sorted(found)}"


# -- 11. the page-quality bar on Pride and Prejudice, in every preset --------------------------------


@dataclass
class NovelBuild:
    result: BuildResult
    pages: list[list[TextLineRead]]


@pytest.fixture(scope="session", params=PRESETS)
def novel_in(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> NovelBuild:
    novel = corpus_file("pride-and-prejudice.md")
    result = build(novel, BuildOptions(out_dir=tmp_path_factory.mktemp(f"novel-{request.param}"),
                                       layout=request.param))
    return NovelBuild(result, page_lines(result.print_pdf.path))


def line_start(line: TextLineRead, left: float, preset: Preset) -> str:
    """'full' for a body line at the text block's edge, 'indented' for a paragraph's first line, else
    'other' (letters are set smaller; verse and lists elsewhere); an opening quote mark may hang up
    to 0.6 em before either."""
    if line.size != pytest.approx(preset.body.size):
        return "other"
    hang = 0.6 * preset.body.size if line.text[:1] in "\u201c\u2018" else 0.0
    for name, x in (("full", left), ("indented", left + preset.body.indent)):
        if x - hang - 1 < line.x0 < x + 1:
            return name
    return "other"


def test_pride_and_prejudice_breaks_no_page_rule_and_leaves_no_widow_or_orphan(novel_in: NovelBuild) -> None:
    """A widow: a paragraph's last line (short of the measure) alone at the head of a page, the next
    line beginning a paragraph. An orphan: a paragraph's first line (full, so the paragraph goes on)
    alone at the foot. The engine's own count must be nil too; it is all there is for the ragged
    large-print preset, where line ends do not tell a paragraph's last line."""
    result = novel_in.result
    preset = result.preset
    assert result.summary.rule_breaks == 0
    assert [str(item) for item in result.diagnostics.items] == []
    if preset.body.align != "justify":
        return
    pages = [body_lines(preset, lines) for lines in novel_in.pages]
    faults = []
    for index in range(1, len(pages)):
        previous, current = pages[index - 1], pages[index]
        if not previous or not current:
            continue
        left, previous_left = left_edge(preset, index), left_edge(preset, index - 1)
        last = line_start(previous[-1], previous_left, preset)
        last_full = previous[-1].x1 > previous_left + preset.measure - 1.5
        first = line_start(current[0], left, preset)
        first_full = current[0].x1 > left + preset.measure - 1.5
        second = line_start(current[1], left, preset) if len(current) > 1 else "end"
        if last == "full" and last_full and first == "full" and not first_full and \
                second in ("indented", "end"):
            faults.append(f"widow at the head of page {index + 1}: {current[0].text!r}")
        if last == "indented" and last_full and first == "full":
            faults.append(f"orphan at the foot of page {index}: {previous[-1].text!r}")
    assert faults == []


def scene_openings() -> list[str]:
    """The first words of each paragraph that follows a scene break in the novel."""
    lines = corpus_file("pride-and-prejudice.md").read_text(encoding="utf-8").split("\n")
    openings = []
    for number, line in enumerate(lines):
        if line.strip() == "* * *":
            following = next(text for text in lines[number + 1 :] if text.strip())
            openings.append(" ".join(words(following)[:5]))
    return openings


def test_pride_and_prejudice_strands_no_heading_or_scene_break_at_a_page_foot(novel_in: NovelBuild) -> None:
    """A heading has text below it on its page. A scene break is never the last line of a page: the
    paragraph after it never begins a page unless the break's mark heads that page."""
    preset = novel_in.result.preset
    mark = " ".join(preset.scene_break.mark.split())
    pages = [body_lines(preset, lines) for lines in novel_in.pages]
    first_chapter = page_labels(novel_in.result.print_pdf.path).index("1")
    for index, lines in enumerate(novel_in.pages[first_chapter:], start=first_chapter):
        titles = [line.y for line in lines
                  if line.y <= text_top(preset) and line.size > preset.body.size + 0.5]
        if titles:
            assert [line for line in pages[index] if line.y < min(titles)], f"page {index + 1}: bare heading"
        marks = [n for n, line in enumerate(pages[index]) if " ".join(line.text.split()) == mark]
        assert all(n < len(pages[index]) - 1 for n in marks), f"page {index + 1} ends on a scene break"
        if preset.scene_break.style == "blank":
            assert all(n == 0 for n in marks), f"page {index + 1}: a blank scene break's mark mid-page"
    openings = scene_openings()
    assert len(openings) == 6
    for opening in openings:
        found = [(index, n) for index, page in enumerate(pages) for n, line in enumerate(page)
                 if " ".join(words(line.text)[:5]) == opening]
        assert len(found) == 1, opening
        index, n = found[0]
        assert n > 0, f"page {index + 1} opens the scene {opening!r} with no mark above it"
        before = pages[index][n - 1]
        if " ".join(before.text.split()) != mark:
            assert preset.scene_break.style == "blank", f"the ornament before {opening!r} is missing"
            assert before.y - pages[index][n].y == pytest.approx(2 * preset.body.leading, abs=0.05), opening


def test_pride_and_prejudice_has_no_line_wider_than_the_measure(novel_in: NovelBuild) -> None:
    """PDFium reports ink: a final 'f' or an italic letter may overhang its advance by 0.15 em, and
    an opening quote mark hangs in the margin."""
    preset = novel_in.result.preset
    overhang = 0.15 * preset.body.size
    for index, lines in enumerate(novel_in.pages):
        left = left_edge(preset, index)
        for line in body_lines(preset, lines):
            hung = 0.6 * preset.body.size if line.text[:1] in "\u201c\u2018" else 0.0
            assert line.x0 >= left - overhang - hung, f"page {index + 1}: {line.text!r} starts in the margin"
            assert line.x1 <= left + preset.measure + overhang, f"page {index + 1}: {line.text!r} is overfull"


def test_pride_and_prejudice_has_no_hyphen_ladder_and_no_hyphen_at_a_rectos_foot(
        novel_in: NovelBuild) -> None:
    result = novel_in.result
    preset = result.preset
    assert result.summary.longest_hyphen_ladder <= 2
    ladder = longest = 0
    for index, lines in enumerate(novel_in.pages):
        body = body_lines(preset, lines)
        if not body:
            continue
        if any(line.size > preset.body.size + 0.5 for line in lines if line.y <= text_top(preset)):
            ladder = 0  # a chapter opens
        for line in body:
            ladder = ladder + 1 if line.text.endswith(SOFT_HYPHEN_MARKS) else 0
            longest = max(longest, ladder)
        if index % 2 == 0:
            assert not body[-1].text.endswith(SOFT_HYPHEN_MARKS), \
                f"page {index + 1}, a recto, ends on a hyphen: {body[-1].text!r}"
    assert longest <= 2


FOLIO = re.compile(r"^[0-9ivxlc]+$")


def uneven_spreads_read_back(pages: list[list[TextLineRead]], head_size: float) -> list[int]:
    """The spreads (as their verso's page number) whose last lines of text stand at different
    heights, read from the PDF: facing text pages (each with its running head) where the recto does
    not end its chapter (the page after it is a text page too). The folio below the text is not a
    line of text."""
    def text_page(lines: list[TextLineRead]) -> bool:
        return len(lines) > 4 and lines[0].size == pytest.approx(head_size, abs=0.3)

    def last_baseline(lines: list[TextLineRead]) -> float:
        body = lines[:-1] if FOLIO.match(lines[-1].text.strip()) else lines
        return round(min(line.y for line in body), 1)

    uneven = []
    for verso in range(1, len(pages) - 2, 2):  # page numbers 2, 4, ... are versos (index 1, 3, ...)
        facing = pages[verso], pages[verso + 1], pages[verso + 2]
        if all(text_page(lines) for lines in facing) and \
                last_baseline(facing[0]) != last_baseline(facing[1]):
            uneven.append(verso + 1)
    return uneven


def test_pride_and_prejudice_facing_pages_end_level_on_every_spread(
        novel_in: NovelBuild, capsys: pytest.CaptureFixture[str]) -> None:
    """Every spread that does not end a chapter, counted by the engine and read back from the PDF."""
    result = novel_in.result
    summary = result.summary
    with capsys.disabled():
        print(f"\n{result.preset.name}: {result.print_pdf.pages} pages,"
              f" uneven spreads {summary.uneven_spreads}/{summary.spreads},"
              f" longest hyphen ladder {summary.longest_hyphen_ladder}, runts {summary.runts},"
              f" word space median {summary.space_median_em:.3f} em (p95 {summary.space_p95_em:.3f}),"
              f" loose lines {summary.loose_line_share:.1%}, rule breaks {summary.rule_breaks}")
    assert summary.spreads > 0
    assert summary.uneven_spreads == 0
    assert uneven_spreads_read_back(novel_in.pages, result.preset.running_heads.size) == []
