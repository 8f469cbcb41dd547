"""Page quality against LaTeX (and Typst): word spacing and hyphens of the same novel set by each, read
from each PDF's text layer by one measure (booksmith.proof.spacing), so that no tool grades itself.

    .venv/bin/python benchmarks/quality.py              # the peers' 6x9 geometry, then every preset
    .venv/bin/python benchmarks/quality.py --peer-only  # the peers' 6x9 geometry only (about 30 s)
    .venv/bin/python benchmarks/quality.py --preset classic-5x8 --json quality.json

Two comparisons:
- peer 6x9: the peers' own drivers (../shared/peers/run_latex.sh, run_typst.sh: 6 x 9 in, mirrored
  margins 0.75/0.6 in, top and bottom 0.7 in, EB Garamond 11/14, 1 em indent, US hyphenation) against
  booksmith with novel-6x9 changed to that geometry (novel-6x9 itself has margins 0.8/0.65/0.8/0.8 in,
  a 1.2 em indent and British hyphenation: a narrower measure would not be a fair comparison);
- each preset: booksmith with the preset against XeLaTeX with the preset's trim, margins, font, size,
  leading, indent, hyphenation language and alignment (latex_preset.tex, beside this file).

The novel is ../shared/corpus/pride-and-prejudice.md; without ../shared the benchmark says so and
exits 0, and a peer that is not installed (`sh ../shared/peers/setup.sh latex`, or typst) is skipped
with a note. Output goes to benchmarks/scratch/quality/ (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from booksmith.pipeline import BuildOptions, build  # noqa: E402
from booksmith.preset import Preset, load_preset  # noqa: E402
from booksmith.proof.spacing import SpacingFigures, measure_spacing  # noqa: E402

SHARED = REPO.parent / "shared"
NOVEL = SHARED / "corpus" / "pride-and-prejudice.md"
PEERS = SHARED / "peers"
PEER_INSTALL = Path(os.environ.get("PEERS", "/tmp/peers"))
SCRATCH = REPO / "benchmarks" / "scratch" / "quality"
TEMPLATE = REPO / "benchmarks" / "latex_preset.tex"
PRESETS = (
    "novel-6x9",
    "pocket-4.25x6.87",
    "classic-5x8",
    "literary-5.25x8",
    "a5-148x210",
    "trade-5.5x8.5",
    "royal-6.14x9.21",
    "large-print-6x9",
)
# the peers' geometry, as ../shared/peers/README.md gives it, as a layout extending novel-6x9
PEER_LAYOUT = {
    "extends": "novel-6x9",
    "margins": {"inside": "0.75in", "outside": "0.6in", "top": "0.7in", "bottom": "0.7in"},
    "body": {"size": "11pt", "leading": "14pt", "indent": "1em"},
    "hyphenation": {"language": "en_US"},
}
FONT_FILES = {  # family -> (folder under fonts/, file stem, regular, italic, bold, bold italic)
    "EB Garamond": ("eb-garamond", "EBGaramond", "-Regular", "-Italic", "-Bold", "-BoldItalic"),
    "Charis SIL": ("charis-sil", "CharisSIL", "-Regular", "-Italic", "-Bold", "-BoldItalic"),
}
LATEX_VARIANTS = {"en_GB": "british", "en_US": "american"}


@dataclass(frozen=True)
class Row:
    geometry: str  # "peer 6x9" or a preset's name
    tool: str
    pdf: str
    figures: SpacingFigures | None
    own_loose_share: float | None = None  # booksmith's own report of the same book, for comparison
    note: str = ""


# ------------------------------------------------------------------------------------------- tools


def natural_space_em(family: str) -> float:
    """The body font's space advance in em, from the font file booksmith uses (fontTools)."""
    from fontTools.ttLib import TTFont

    folder, stem, regular, *_ = FONT_FILES[family]
    font = TTFont(REPO / "fonts" / folder / f"{stem}{regular}.ttf")
    return font["hmtx"][font.getBestCmap()[ord(" ")]][0] / font["head"].unitsPerEm


def build_booksmith(layout: str, out: Path) -> tuple[Path, float]:
    """The print PDF and booksmith's own loose-line share for it."""
    result = build(NOVEL, BuildOptions(layout=layout, out_dir=out))
    return result.print_pdf.path, result.summary.loose_line_share


def run_peer(driver: str, out: Path) -> Path:
    subprocess.run(["sh", str(PEERS / driver), str(NOVEL), str(out)], check=True, capture_output=True)
    return out


def latex_ready() -> str | None:
    """Why XeLaTeX cannot run, or None."""
    if shutil.which("xelatex") is None or shutil.which("pandoc") is None:
        return "XeLaTeX or pandoc is not installed (sh ../shared/peers/setup.sh latex)"
    if not (PEER_INSTALL / "fonts" / "ebg" / "EBGaramond_400Regular.ttf").is_file():
        return f"the peers' EB Garamond is not in {PEER_INSTALL}/fonts/ebg (sh ../shared/peers/setup.sh)"
    return None


def typst_ready() -> str | None:
    if not (PEER_INSTALL / "venv-typst" / "bin" / "python").is_file() or shutil.which("pandoc") is None:
        return "Typst is not installed (sh ../shared/peers/setup.sh typst)"
    return None


def _bp(points: float) -> str:
    return f"{points:.3f}"


def latex_template_for(preset: Preset) -> str:
    """latex_preset.tex with the preset's geometry filled in."""
    family = preset.fonts.body
    folder, stem, regular, italic, bold, bold_italic = FONT_FILES[family]
    body = preset.body
    quote_size = preset.block_quote.size
    language = preset.hyphenation.language or "en_GB"  # the novel's front matter says en-GB
    align = ""
    if body.align != "justify":
        # \raggedright also sets the indent to nothing: give the preset's back
        align = f"\\raggedright\\setlength{{\\parindent}}{{{_bp(body.indent)}bp}}"
    fields = {
        "WIDTH": _bp(preset.trim.width),
        "HEIGHT": _bp(preset.trim.height),
        "INSIDE": _bp(preset.margins.inside),
        "OUTSIDE": _bp(preset.margins.outside),
        "TOP": _bp(preset.margins.top),
        "BOTTOM": _bp(preset.margins.bottom),
        "FOOTSKIP": _bp(preset.margins.bottom / 2),
        "FONT": stem,
        "FONTDIR": str(REPO / "fonts" / folder),
        "REGULAR": regular,
        "ITALIC": italic,
        "BOLD": bold,
        "BOLDITALIC": bold_italic,
        "NUMBERS": ", Numbers=OldStyle" if body.oldstyle_figures else "",
        "VARIANT": LATEX_VARIANTS.get(language, "british"),
        "SIZE": _bp(body.size),
        "LEADING": _bp(body.leading),
        "INDENT": _bp(body.indent),
        "QUOTEINDENT": _bp(preset.block_quote.indent),
        "QUOTESIZE": _bp(quote_size),
        "QUOTELEADING": _bp(body.leading * quote_size / body.size),
        "ALIGN": align,
        "HYPHENATION": "" if preset.hyphenation.enabled else "\\hyphenpenalty=10000",
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in fields.items():
        text = text.replace(f"@@{key}@@", value)
    return text


def run_latex_preset(preset: Preset, folder: Path) -> Path:
    template = folder / f"{preset.name}.tex"
    template.write_text(latex_template_for(preset), encoding="utf-8")
    out = folder / f"{preset.name}-latex.pdf"
    subprocess.run(
        [
            "pandoc",
            "-f",
            "markdown",
            str(NOVEL),
            "-o",
            str(out),
            "--pdf-engine=xelatex",
            "--top-level-division=chapter",
            f"--template={template}",
            f"--lua-filter={PEERS / 'latex' / 'scenebreak.lua'}",
        ],
        check=True,
        capture_output=True,
    )
    return out


# ----------------------------------------------------------------------------------- comparisons


def compare_peer_geometry(folder: Path) -> list[Row]:
    natural = natural_space_em("EB Garamond")
    layout = folder / "peer-6x9.json"
    layout.write_text(json.dumps({"name": "peer-6x9", **PEER_LAYOUT}, indent=2), encoding="utf-8")
    pdf, own = build_booksmith(str(layout), folder / "booksmith-peer-6x9")
    rows = [Row("peer 6x9", "booksmith", str(pdf), measure_spacing(pdf, natural), own)]
    for tool, driver, why in (
        ("LaTeX", "run_latex.sh", latex_ready()),
        ("Typst", "run_typst.sh", typst_ready()),
    ):
        if why:
            rows.append(Row("peer 6x9", tool, "", None, note=why))
            continue
        out = run_peer(driver, folder / f"peer-6x9-{tool.lower()}.pdf")
        rows.append(Row("peer 6x9", tool, str(out), measure_spacing(out, natural)))
    return rows


def compare_preset(name: str, folder: Path) -> list[Row]:
    preset = load_preset(name)
    natural = natural_space_em(preset.fonts.body)
    pdf, own = build_booksmith(name, folder / f"booksmith-{name}")
    rows = [Row(name, "booksmith", str(pdf), measure_spacing(pdf, natural), own)]
    why = latex_ready()
    if why:
        rows.append(Row(name, "LaTeX", "", None, note=why))
    else:
        out = run_latex_preset(preset, folder)
        rows.append(Row(name, "LaTeX", str(out), measure_spacing(out, natural)))
    return rows


# ---------------------------------------------------------------------------------------- output


def table(rows: list[Row]) -> str:
    head = (
        "| geometry | tool | pages | justified lines | median em | p95 em | loose lines | "
        "hyphenated lines | most hyphens in a row |"
    )
    lines = [head, "|" + "---|" * 9]
    for row in rows:
        f = row.figures
        if f is None:
            lines.append(f"| {row.geometry} | {row.tool} | {row.note or 'no running text'} ||||||| ")
            continue
        own = f" (own report {row.own_loose_share:.1%})" if row.own_loose_share is not None else ""
        ragged = "" if f.justified else " (ragged)"
        lines.append(
            f"| {row.geometry} | {row.tool}{ragged} | {f.pages} | {f.measured_lines} | "
            f"{f.space_median_em:.3f} | {f.space_p95_em:.3f} | {f.loose_line_share:.1%}{own} | "
            f"{f.hyphenated_share:.1%} | {f.longest_hyphen_ladder} |"
        )
    return "\n".join(lines)


def _as_json(row: Row) -> dict:
    data = asdict(row)
    if row.figures is not None:
        data["figures"]["loose_line_share"] = row.figures.loose_line_share
        data["figures"]["hyphenated_share"] = row.figures.hyphenated_share
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peer-only", action="store_true", help="only the peers' 6x9 geometry")
    parser.add_argument("--preset", action="append", choices=PRESETS, help="these presets only (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not NOVEL.is_file():
        print(f"quality: {NOVEL} is not here (../shared is absent); nothing to compare")
        return 0
    SCRATCH.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    if not args.preset:
        rows += compare_peer_geometry(SCRATCH)
        print(table(rows), flush=True)
    if not args.peer_only:
        for name in args.preset or PRESETS:
            rows += compare_preset(name, SCRATCH)
            print(table(rows[-2:]).split("\n", 2)[2], flush=True)
        print()
        print(table(rows))
    natural = {family: round(natural_space_em(family), 4) for family in FONT_FILES}
    print(
        f"\nnatural space (em, from the fonts): {natural}; loose: a line's mean word space over 1.5 times it."
        "\nJustified lines: body lines that run to the measure and do not end their paragraph."
    )
    if args.json:
        data = [_as_json(row) for row in rows]
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
