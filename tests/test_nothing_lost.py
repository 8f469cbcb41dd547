"""Nothing a writer wrote is lost: a property over generated manuscripts, and a bounded fuzz of the
path from parser to PDF in which the only acceptable failure is a BooksmithError (a message)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from booksmith.errors import BooksmithError
from booksmith.pipeline import BuildOptions, build
from pdfread import document_text, missing_in_order, page_lines, words

# words in the scripts the bundled fonts cover: Latin with accents, Greek and Cyrillic
VOCABULARY = [
    "harbour", "lantern", "tide", "café", "naïve", "Zoë", "façade", "Ærø", "Øresund", "straße",
    "μέλι", "θάλασσα", "море", "свет", "incomprehensibly", "notwithstanding", "well-known",
    "twenty-five", "1911", "3.14", "Mr.", "Dr.", "o'clock", "don't",
]
LONG_WORDS = ["Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
              "https://www.example.org/archives/harbour-commission/reports/1911"]

word = st.sampled_from(VOCABULARY + LONG_WORDS)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    parts = draw(st.lists(word, min_size=1, max_size=14))
    out = []
    for part in parts:
        decoration = draw(st.sampled_from(["", "", "", "*", "**", '"', "'", "--", "---", "..."]))
        if decoration in ("*", "**") or decoration in ('"', "'"):
            out.append(f"{decoration}{part}{decoration}")
        elif decoration:
            out.append(f"{part}{decoration}")
        else:
            out.append(part)
    return " ".join(out) + draw(st.sampled_from([".", "!", "?", ",", ""]))


@st.composite
def manuscript(draw: st.DrawFn) -> str:
    chapters = []
    for number in range(draw(st.integers(1, 3))):
        blocks = []
        for _ in range(draw(st.integers(1, 6))):
            kind = draw(st.sampled_from(["paragraph"] * 6 + ["break", "quote"]))
            if kind == "break" and blocks:
                blocks.append("* * *")
            elif kind == "quote":
                blocks.append("> " + " ".join(draw(st.lists(sentence(), min_size=1, max_size=3))))
            else:
                blocks.append(" ".join(draw(st.lists(sentence(), min_size=1, max_size=6))))
        if blocks[-1] == "* * *":
            blocks.pop()
        chapters.append(f"# Chapter {number + 1}\n\n" + "\n\n".join(blocks or ["Text."]))
    return "---\ntitle: Generated\nauthor: Hypothesis\n---\n\n" + "\n\n".join(chapters) + "\n"


def manuscript_words(text: str) -> list[str]:
    body = text.split("---", 2)[2]
    body = re.sub(r"^# .*$", "", body, flags=re.MULTILINE)  # headings are renumbered by the layout
    return words(body.replace("* * *", ""))


# no shrinking: a failing manuscript is reported as generated, and CI stays within its time
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=NO_SHRINK)
@given(manuscript(), st.sampled_from(["novel-6x9", "pocket-4.25x6.87", "large-print-6x9"]))
def test_every_word_of_a_generated_manuscript_is_in_the_pdf_in_order_and_no_line_overflows(
    text: str, layout: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.md"
        path.write_text(text, encoding="utf-8")
        result = build(path, BuildOptions(out_dir=Path(folder) / "dist", layout=layout))
        preset = result.preset
        area = (preset.margins.bottom - preset.body.leading, preset.trim.height - preset.margins.top)
        found = words(document_text(result.print_pdf.path, area))
        assert missing_in_order(manuscript_words(text), found) == []
        reported = any("margin" in str(item) for item in result.diagnostics.items)
        overhang = 0.15 * preset.body.size
        for index, lines in enumerate(page_lines(result.print_pdf.path)):
            left = preset.margins.inside if index % 2 == 0 else preset.margins.outside
            for line in lines:
                if area[0] <= line.y <= area[1] and not reported:
                    assert line.x1 <= left + preset.measure + overhang, line.text


# Latin, Greek and Cyrillic (the bundled fonts cover nearly all of it), Markdown's own marks, the
# invisible characters a typesetter must honour, and control characters
MARKDOWN_ALPHABET = st.characters(
    codec="utf-8",
    max_codepoint=0x04FF,
    categories=("Lu", "Ll", "Nd", "Po", "Ps", "Pe", "Pd", "Zs", "Sm", "So", "Cc"),
    include_characters="#*_>[]()!`-+=|:\n\\{}.~^\u2060\u00ad\u00a0\u2014",
    exclude_characters="\x00",
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=NO_SHRINK)
@given(st.text(MARKDOWN_ALPHABET, min_size=0, max_size=400))
def test_any_text_gives_a_pdf_or_a_message_never_a_crash(text: str) -> None:
    """The bounded fuzz run of the robustness issue: 60 cases per run in CI."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.md"
        # half the cases are bare (front matter, headings, nothing), half inside a chapter, so most
        # of them reach the layout and the PDF rather than stopping at "no text"
        body = text if len(text) % 2 else f"# Fuzz\n\nThe start of it. {text}\n"
        path.write_text(body, encoding="utf-8")
        try:
            result = build(path, BuildOptions(out_dir=Path(folder) / "dist"))
        except BooksmithError as error:
            assert str(error).startswith("error:")
            assert not list((Path(folder) / "dist").rglob("*.pdf"))
            return
        assert result.print_pdf.path.stat().st_size > 1000
