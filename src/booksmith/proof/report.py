"""The proof's report: report.json for programs, index.html for people (plain HTML and CSS with a little
script for keyboard navigation, no external resources, opens from the file system), and the short
summary the command line prints (a rich renderable; printing is the command line's business)."""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path

from booksmith import __version__
from booksmith.errors import Severity

from .catalogue import CHECKS, PREFLIGHT, TEXT, TYPOGRAPHY
from .images import to_pixels
from .model import Finding, spreads_of
from .preflight import inches
from .run import ProofReport, ProofResult

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.NOTE)
HTML_ROWS = {"Printer rules"}  # summary rows whose value is already HTML
MARK_PADDING = 2.0  # points around a finding's box, so a thin rule is still visible when marked
PER_CHECK = 3  # findings of one check the terminal lists before summing up the rest


def _spread_of_page(page_count: int) -> dict[int, int]:
    return {page: spread.number for spread in spreads_of(page_count) for page in spread.pages}


def _finding_id(number: int) -> str:
    return f"f{number + 1}"


# ---------------------------------------------------------------- report.json


def write_json(report: ProofReport, target: Path) -> None:
    target.write_text(json.dumps(report_data(report), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def report_data(report: ProofReport) -> dict:
    structure = report.structure
    spread_of = _spread_of_page(len(structure.pages))
    spreads = spreads_of(len(structure.pages))
    checks = Counter(f.check for f in report.findings)
    first = structure.pages[0] if structure.pages else None
    return {
        "booksmith": __version__,
        "pdf": str(report.pdf),
        "passed": report.count(Severity.ERROR) == 0,
        "counts": {s.value: report.count(s) for s in SEVERITIES},
        "rules": {
            "name": report.rules.name,
            "description": report.rules.description,
            "checked": report.rules.checked,
        },
        "pages": len(structure.pages),
        "findings": [
            {
                "id": _finding_id(n),
                "check": f.check,
                "group": CHECKS[f.check].group,
                "title": CHECKS[f.check].title,
                "severity": f.severity.value,
                "message": f.message,
                "why": CHECKS[f.check].why,
                "page_index": f.page,
                "pdf_page": f.page + 1 if f.page is not None else None,
                "folio": f.folio,
                "box": list(f.box) if f.box else None,
                "spread": spreads[spread_of[f.page]].name
                if f.page is not None
                else None,
            }
            for n, f in enumerate(report.findings)
        ],
        "checks": [
            {
                "id": c.id,
                "group": c.group,
                "title": c.title,
                "why": c.why,
                "severity": (report.rules.severity(c.id).value if report.rules.severity(c.id) else None),
                "findings": checks.get(c.id, 0),
            }
            for c in CHECKS.values()
        ],
        "document": {
            "trim": [round(first.trim[2] - first.trim[0], 2), round(first.trim[3] - first.trim[1], 2)]
            if first
            else None,
            "page_labels": structure.has_page_labels,
            "labels": [page.label for page in structure.pages],
            "fonts": [
                {
                    "name": font.name,
                    "type": font.subtype,
                    "embedded": font.embedded,
                    "subset": font.subset,
                    "pages": len(font.pages),
                }
                for font in structure.fonts
            ],
            "colour_spaces": _colour_spaces(report),
            "images": [
                {
                    "page_index": page.index,
                    "name": image.name,
                    "pixels": list(image.pixels),
                    "ppi": round(image.ppi, 1),
                    "colour_space": image.colour_space,
                }
                for page in structure.pages
                for image in page.images
            ],
            "pdfx_version": structure.pdfx_version or None,
            "output_intents": list(structure.output_intents),
            "producer": structure.producer,
            "creator": structure.creator,
        },
        "geometry": None
        if report.geometry is None
        else {
            "body_size": report.geometry.body_size,
            "leading": report.geometry.leading,
            "recto_column": list(report.geometry.recto_column),
            "verso_column": list(report.geometry.verso_column),
            "top_baseline": report.geometry.top_baseline,
            "bottom_baseline": report.geometry.bottom_baseline,
            "justified": report.geometry.justified,
            "indent": report.geometry.indent,
            "natural_space_em": round(report.geometry.natural_space, 4),
        },
        "text": report.text_counts,
        "dpi": report.dpi,
        "spreads": [
            {
                "name": spreads[s.spread].name,
                "image": s.file,
                "pages": [p.page for p in s.pages],
            }
            for s in report.spreads
        ],
        "contact_sheet": "contact-sheet.png" if report.spreads else None,
        "timings": {k: round(v, 3) for k, v in report.timings.items()},
    }


def _colour_spaces(report: ProofReport) -> dict[str, int]:
    """Colour spaces painted in, and on how many pages."""
    pages: Counter[str] = Counter()
    for page in report.structure.pages:
        for space in {p.colour_space for p in page.paints}:
            pages[space] += 1
    return dict(sorted(pages.items()))


# ---------------------------------------------------------------- the terminal


def terminal_summary(result: ProofResult, worst: int = 10):  # type: ignore[no-untyped-def]
    """A rich renderable: counts by severity, the worst findings with their pages, where the report is."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    report = result.report
    counts = {s: report.count(s) for s in SEVERITIES}
    styles = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
    head = Text(
        f"proof of {result.pdf}: {result.pages} pages, {report.rules.name} rules, {result.seconds:.1f} s\n"
    )
    tally = Text("  ")
    for severity in SEVERITIES:
        plural = "s" if counts[severity] != 1 else ""
        tally.append(
            f"{counts[severity]} {severity.value}{plural}",
            style=styles[severity] if counts[severity] else "dim",
        )
        tally.append("   ")
    parts: list = [head, tally]
    everything = [f for f in report.findings if f.severity != Severity.NOTE]
    by_check = Counter(f.check for f in everything)
    serious, shown = [], Counter()
    for finding in everything:  # the worst first, at most PER_CHECK of one check
        if len(serious) < worst and shown[finding.check] < PER_CHECK:
            serious.append(finding)
            shown[finding.check] += 1
    if serious:
        table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column()
        for finding in serious:
            table.add_row(
                Text(finding.severity.value, style=styles[finding.severity]),
                finding.where,
                f"{CHECKS[finding.check].title}: {finding.message}",
            )
        parts += [Text(""), table]
        for check_id, total in by_check.items():
            if total > shown[check_id]:
                rest = [f for f in everything if f.check == check_id][shown[check_id] :]
                pages = ", ".join(f.where.removeprefix("p. ") for f in rest[:6]) + (
                    " …" if len(rest) > 6 else ""
                )
                parts.append(
                    Text(
                        f"  … and {len(rest)} more {CHECKS[check_id].title.lower()}"
                        + (f": {pages}" if rest[0].page is not None else ""),
                        style="dim",
                    )
                )
    parts.append(Text(f"\n  report: {result.index_html}"))
    verdict = Text(
        "  passed: no errors" if result.passed else "  failed: fix the errors above before printing",
        style="green" if result.passed else "bold red",
    )
    parts.append(verdict)
    return Group(*parts)


# ---------------------------------------------------------------- index.html


def write_html(report: ProofReport, target: Path) -> None:
    target.write_text(_page(report), encoding="utf-8")


def _asset(name: str) -> str:
    """The report's style sheet and script, kept beside this module and inlined into the page."""
    return (Path(__file__).parent / name).read_text(encoding="utf-8")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _page(report: ProofReport) -> str:
    name = report.pdf.name
    errors = report.count(Severity.ERROR)
    verdict = "passed" if errors == 0 else "failed"
    counts = " ".join(
        f'<span class="count {s.value if report.count(s) else "none"}">{report.count(s)} {s.value}'
        f"{'s' if report.count(s) != 1 else ''}"
        f"</span>"
        for s in SEVERITIES
    )
    marks = _marks_by_spread(report)
    headline = "Passed: no errors" if errors == 0 else f"Failed: {errors} error{'s' if errors != 1 else ''}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Proof of {_e(name)}</title>
<style>
{_asset("report.css")}</style>
</head>
<body>
<header>
<h1>Proof of <code>{_e(name)}</code></h1>
<p class="verdict {verdict}">{headline} {counts}</p>
<nav><a href="#summary">Summary</a> <a href="#findings">Findings</a> <a href="#spreads">Spreads</a>
<a href="#contact-sheet">Contact sheet</a>
<span class="keys">← → (or j k): previous and next spread</span>
<label class="toggle"><input type="checkbox" id="hide-notes"> hide notes on the spreads</label></nav>
</header>
<main>
{_summary(report)}
{_findings(report)}
{_spreads(report, marks)}
{_contact(report)}
</main>
<div id="where" aria-live="polite"></div>
<script>
{_asset("report.js")}</script>
</body>
</html>
"""


def _summary(report: ProofReport) -> str:
    structure = report.structure
    rows = []
    first = structure.pages[0] if structure.pages else None
    if first:
        trim = first.trim
        rows.append(
            (
                "Pages",
                f"{len(structure.pages)}"
                + (", numbered by page labels" if structure.has_page_labels else ", no page labels"),
            )
        )
        rows.append(
            (
                "Trim size",
                f"{inches(trim[2] - trim[0])} × {inches(trim[3] - trim[1])} "
                f"({trim[2] - trim[0]:.1f} × {trim[3] - trim[1]:.1f} pt)"
                + ("" if first.trim_box else ", from the page size (no TrimBox)"),
            )
        )
        media = first.media_box
        if abs((media[2] - media[0]) - (trim[2] - trim[0])) > 0.5:
            rows.append(("Page with bleed", f"{inches(media[2] - media[0])} × {inches(media[3] - media[1])}"))
    rows.append(
        (
            "Colour spaces",
            ", ".join(
                f"{space} on {n} page{'s' if n > 1 else ''}" for space, n in _colour_spaces(report).items()
            )
            or "none",
        )
    )
    images = [image for page in structure.pages for image in page.images]
    rows.append(
        ("Images", f"{len(images)}, the lowest at {min(i.ppi for i in images):.0f} ppi" if images else "none")
    )
    rows.append(
        (
            "PDF/X",
            (structure.pdfx_version or "not marked")
            + (f"; output intent {', '.join(structure.output_intents)}" if structure.output_intents else ""),
        )
    )
    rows.append(("Made by", " · ".join(x for x in (structure.creator, structure.producer) if x) or "unknown"))
    rules = report.rules
    rows.append(
        (
            "Printer rules",
            f"<b>{_e(rules.name)}</b>: {_e(rules.description)} "
            f"<span class=dim>(checked: {_e(rules.checked)})</span>",
        )
    )
    g = report.geometry
    if g:
        measure = g.recto_column[1] - g.recto_column[0]
        rows.append(
            (
                "Text block (as read)",
                f"{g.body_size:g} pt type on {g.leading:g} pt leading, measure "
                f"{measure:.1f} pt, {'justified' if g.justified else 'ragged'}"
                f"{f', indent {g.indent:.1f} pt' if g.indent else ''}, natural word space "
                f"{g.natural_space:.3f} em",
            )
        )
    else:
        rows.append(("Text block", "too little running text to judge the typography"))
    if report.text_counts:
        t = report.text_counts
        rows.append(
            (
                "Text against the manuscript",
                f"{t['manuscript']} manuscript words, {t['pdf']} words in the PDF's text block; "
                f"{t['missing']} missing, {t['extra']} extra ({t['front_matter']} words of front matter "
                f"and {t['back_matter']} of back matter set aside)",
            )
        )
    else:
        rows.append(("Text against the manuscript", "not compared (no manuscript given)"))
    t = report.timings
    timing = (
        f"structure {t.get('structure', 0):.2f} s, checks {t.get('checks', 0):.2f} s, report "
        f"{t.get('report', 0):.2f} s in this process; the text layer was read by "
        f"{t.get('text_layer_done', 0):.2f} s and the images made by {t.get('images_done', 0):.2f} s "
        "from the start, in worker processes"
    )
    rows.append(("Proofing time", timing))
    body = "\n".join(f"<tr><th>{_e(k)}</th><td>{v if k in HTML_ROWS else _e(v)}</td></tr>" for k, v in rows)
    fonts = "\n".join(
        f'<tr class="{"bad" if not f.embedded or f.subtype == "Type3" else ""}">'
        f"<td>{_e(f.name)}</td><td>{_e(f.subtype)}</td>"
        f"<td>{'yes' if f.embedded else '<b>no</b>'}</td><td>{'yes' if f.subset else 'no'}</td>"
        f"<td>{len(f.pages)}</td></tr>"
        for f in structure.fonts
    )
    return f"""<section id="summary">
<h2>Summary</h2>
<table class="facts">{body}</table>
<h3>Fonts</h3>
<table class="fonts"><thead>
<tr><th>Font</th><th>Type</th><th>Embedded</th><th>Subset</th><th>Pages</th></tr></thead>
<tbody>{fonts or "<tr><td colspan=5>no fonts</td></tr>"}</tbody></table>
</section>"""


def _findings(report: ProofReport) -> str:
    page_count = len(report.structure.pages)
    spread_of = _spread_of_page(page_count)
    spreads = spreads_of(page_count)
    numbered = list(enumerate(report.findings))
    groups = []
    for group in (PREFLIGHT, TYPOGRAPHY, TEXT):
        blocks = []
        passed = []
        for check in (c for c in CHECKS.values() if c.group == group):
            severity = report.rules.severity(check.id)
            items = [(n, f) for n, f in numbered if f.check == check.id]
            if not items:
                if severity is not None and (group != TEXT or report.text_counts is not None):
                    passed.append(check.title)
                continue
            tally = Counter(f.severity for _, f in items)
            badge = " ".join(
                f'<span class="count {s.value}">{tally[s]} {s.value}{"s" if tally[s] != 1 else ""}</span>'
                for s in SEVERITIES
                if tally[s]
            )
            entries = "\n".join(
                _finding_item(n, f, spreads[spread_of[f.page]].name if f.page is not None else None)
                for n, f in items
            )
            open_ = " open" if any(f.severity != Severity.NOTE for _, f in items) else ""
            blocks.append(f"""<details class="check" id="check-{check.id}"{open_}>
<summary><b>{_e(check.title)}</b> {badge}</summary>
<p class="why">{_e(check.why)}</p>
<ol class="list">{entries}</ol>
</details>""")
        ok = f'<p class="passed">Passed: {_e(", ".join(passed))}.</p>' if passed else ""
        skipped = (
            ""
            if group != TEXT or report.text_counts is not None
            else '<p class="dim">Not run: proof a manuscript (or pass --manuscript) to compare its words '
            "with the PDF.</p>"
        )
        groups.append(f"<h3>{_e(group)}</h3>\n" + "\n".join(blocks) + ok + skipped)
    return '<section id="findings">\n<h2>Findings</h2>\n' + "\n".join(groups) + "\n</section>"


def _finding_item(number: int, finding: Finding, spread: str | None) -> str:
    where = _e(finding.where)
    link = (
        f'<a class="goto" href="#{_finding_id(number)}" data-spread="{spread}">{where}</a>'
        if spread
        else f'<span class="goto">{where}</span>'
    )
    return (
        f'<li class="finding {finding.severity.value}" id="item-{_finding_id(number)}">'
        f'<span class="sev">{finding.severity.value}</span> {link} {_e(finding.message)}</li>'
    )


def _marks_by_spread(report: ProofReport) -> dict[int, list[str]]:
    spread_of = _spread_of_page(len(report.structure.pages))
    rendered = {s.spread: s for s in report.spreads}
    marks: dict[int, list[str]] = {}
    for number, finding in enumerate(report.findings):
        if finding.page is None:
            continue
        spread = rendered.get(spread_of[finding.page])
        if spread is None:
            continue
        placed = next((p for p in spread.pages if p.page == finding.page), None)
        if placed is None:
            continue
        box = finding.box or placed.crop
        padded = (box[0] - MARK_PADDING, box[1] - MARK_PADDING, box[2] + MARK_PADDING, box[3] + MARK_PADDING)
        left, top, right, bottom = to_pixels(padded, placed.crop, placed.x, placed.width, placed.height)
        left, right = max(left, placed.x), min(right, placed.x + placed.width)
        top, bottom = max(top, 0), min(bottom, placed.height)
        style = (
            f"left:{100 * left / spread.width:.3f}%;top:{100 * top / spread.height:.3f}%;"
            f"width:{max(100 * (right - left) / spread.width, 0.6):.3f}%;"
            f"height:{max(100 * (bottom - top) / spread.height, 0.6):.3f}%"
        )
        marks.setdefault(spread.spread, []).append(
            f'<a class="mark {finding.severity.value}" id="{_finding_id(number)}" '
            f'href="#item-{_finding_id(number)}" '
            f'style="{style}" title="{_e(CHECKS[finding.check].title + ": " + finding.message)}"></a>'
        )
    return marks


def _spreads(report: ProofReport, marks: dict[int, list[str]]) -> str:
    if not report.spreads:
        return (
            '<section id="spreads"><h2>Spreads</h2><p class="dim">No page images (--no-images).</p></section>'
        )
    labels = report.labels
    spreads = spreads_of(len(report.structure.pages))
    figures = []
    for rendered in report.spreads:
        spread = spreads[rendered.spread]
        pages = " and ".join(
            f"page {_e(labels[p])}" + (f" (PDF {p + 1})" if labels[p] != str(p + 1) else "")
            for p in spread.pages
        )
        count = len(marks.get(rendered.spread, []))
        note = f' · <span class="dim">{count} finding{"s" if count != 1 else ""}</span>' if count else ""
        overlays = "".join(marks.get(rendered.spread, []))
        figures.append(f"""<figure class="spread" id="{spread.name}" tabindex="-1">
<div class="sheet"><img src="{_e(rendered.file)}" width="{rendered.width}" height="{rendered.height}"
 alt="Spread {rendered.spread + 1}: {pages}" loading="lazy" decoding="async">{overlays}</div>
<figcaption>Spread {rendered.spread + 1} of {len(spreads)}: {pages}{note}</figcaption>
</figure>""")
    return (
        f'<section id="spreads">\n<h2>Spreads</h2>\n<p class="dim">As the printed book opens, rendered at '
        f"{report.dpi:g} dpi. The solid grey line is the trim, the dashed line the text block; findings are "
        "outlined in their severity's colour.</p>\n" + "\n".join(figures) + "\n</section>"
    )


def _contact(report: ProofReport) -> str:
    if not report.spreads:
        return ""
    width, height = report.sheet_size
    severities: dict[int, Severity] = {}
    spread_of = _spread_of_page(len(report.structure.pages))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    for finding in report.findings:
        if finding.page is None or finding.severity == Severity.NOTE:
            continue
        spread = spread_of[finding.page]
        if spread not in severities or order[finding.severity] < order[severities[spread]]:
            severities[spread] = finding.severity
    spreads = spreads_of(len(report.structure.pages))
    cells = []
    for cell in report.sheet_cells:
        left, top, right, bottom = cell.box
        flag = severities.get(cell.spread)
        style = (
            f"left:{100 * left / width:.3f}%;top:{100 * top / height:.3f}%;"
            f"width:{100 * (right - left) / width:.3f}%;height:{100 * (bottom - top) / height:.3f}%"
        )
        cells.append(
            f'<a class="cell{" " + flag.value if flag else ""}" href="#{spreads[cell.spread].name}" '
            f'style="{style}" title="Spread {cell.spread + 1}"></a>'
        )
    return f"""<section id="contact-sheet">
<h2>Contact sheet</h2>
<p class="dim">Every spread; a red or amber frame marks one with an error or a warning.
Click one to see it.</p>
<div class="sheet contact"><img src="contact-sheet.png" width="{width}" height="{height}" alt="All spreads">
{"".join(cells)}</div>
</section>"""
