"""Printer preflight: what a printer's prepress checks before accepting a file, read from the PDF's
structure (structure.py) and, for the safe area, from where its text actually lies (textlayer.py)."""

from __future__ import annotations

from collections import Counter

from booksmith.errors import Severity

from .findings import Findings
from .model import Box, DocumentStructure, PageStructure, PageText
from .rules import INCH

TOLERANCE = 0.5  # points: boxes and sizes this close count as equal


def inches(points: float) -> str:
    return f"{points / INCH:.3g} in"


def run_preflight(structure: DocumentStructure, texts: list[PageText], found: Findings) -> None:
    _fonts(structure, found)
    for page in structure.pages:
        _colours(page, found)
        _images(page, found)
        if page.transparency:
            found.add("transparency", "uses " + ", ".join(page.transparency), page.index)
        if page.annotations:
            kinds = Counter(a.subtype for a in page.annotations)
            found.add(
                "annotation",
                ", ".join(f"{n} {kind} annotation{'s' if n > 1 else ''}" for kind, n in kinds.items()),
                page.index,
                page.annotations[0].box,
            )
        if page.rotate:
            found.add("page-rotated", f"the page is rotated by {page.rotate}°", page.index)
    _boxes(structure, found)
    _safe_area(structure, texts, found)
    _page_count(structure, found)
    _pdfx(structure, found)


def _fonts(structure: DocumentStructure, found: Findings) -> None:
    for font in structure.fonts:
        if font.subtype == "Type3":
            page, box = font.first_text or (font.pages[0] if font.pages else None, None)
            found.add("font-type3", f"{font.name} is a Type 3 font", page, box)
        elif not font.embedded:
            if font.first_text:
                page, box = font.first_text
                count = len(font.pages)
                found.add(
                    "font-not-embedded",
                    f"{font.name} ({font.subtype}) is not embedded; text on "
                    f"{count} page{'s' if count > 1 else ''} uses it",
                    page,
                    box,
                )
            else:
                page = font.pages[0] if font.pages else None
                found.add(
                    "font-not-embedded",
                    f"{font.name} ({font.subtype}) is not embedded; it is selected but draws no text",
                    page,
                    severity=Severity.WARNING,
                )


def _describe(paints) -> str:  # type: ignore[no-untyped-def]
    kinds = Counter(p.kind for p in paints)
    names = {"text": "text run", "path": "path (rule or shape)", "image": "image", "shading": "shading"}
    return ", ".join(f"{n} {names[k]}{'s' if n > 1 else ''}" for k, n in kinds.items())


def _colours(page: PageStructure, found: Findings) -> None:
    rgb = [p for p in page.paints if p.colour_space in ("rgb", "lab")]
    if rgb:
        space = "RGB" if all(p.colour_space == "rgb" for p in rgb) else "RGB or Lab"
        found.add("colour-rgb", f"{space} colour: {_describe(rgb)}", page.index, rgb[0].box)
    if page.spot_colours:
        spots = [p for p in page.paints if p.colour_space == "spot"]
        found.add(
            "colour-spot",
            "spot colour " + ", ".join(page.spot_colours),
            page.index,
            spots[0].box if spots else None,
        )
    rich = [
        p
        for p in page.paints
        if p.kind == "text"
        and p.colour_space == "cmyk"
        and len(p.values) == 4
        and p.values[3] >= 0.8
        and sum(p.values[:3]) > 0.02
    ]
    if rich:
        c, m, y, k = (round(v * 100) for v in rich[0].values)
        found.add(
            "rich-black-text",
            f"text in C{c} M{m} Y{y} K{k} rather than black ink alone"
            f" ({len(rich)} run{'s' if len(rich) > 1 else ''})",
            page.index,
            rich[0].box,
        )
    limit = found.rules.max_total_ink
    heavy = [
        (sum(p.values) * 100, p.box, p.kind)
        for p in page.paints
        if p.colour_space == "cmyk" and len(p.values) == 4 and sum(p.values) * 100 > limit + 0.5
    ]
    heavy += [
        (image.max_ink, image.box, "image")
        for image in page.images
        if image.max_ink is not None and image.max_ink > limit + 0.5
    ]
    if heavy:
        ink, box, kind = max(heavy, key=lambda h: h[0])
        found.add(
            "total-ink", f"{kind} with {ink:.0f}% total ink (the limit is {limit:.0f}%)", page.index, box
        )


def _images(page: PageStructure, found: Findings) -> None:
    rules = found.rules
    for image in page.images:
        if image.pixels[0] * image.pixels[1] < 16 or image.ppi == float("inf"):
            continue  # a stretched pixel is a flat fill, not a picture
        if image.ppi < rules.image_ppi_error - 0.5:
            severity = Severity.ERROR
        elif image.ppi < rules.image_ppi_warning - 0.5:
            severity = Severity.WARNING
        else:
            continue
        limit = rules.image_ppi_warning
        found.add(
            "image-resolution",
            f"image {image.name} ({image.pixels[0]}×{image.pixels[1]} px) is placed at "
            f"{image.ppi:.0f} ppi (the printer wants {limit:.0f})",
            page.index,
            image.box,
            severity,
        )


def _size(box: Box) -> tuple[float, float]:
    return (round(box[2] - box[0], 1), round(box[3] - box[1], 1))


def _inside(inner: Box, outer: Box) -> bool:
    return (
        inner[0] >= outer[0] - TOLERANCE
        and inner[1] >= outer[1] - TOLERANCE
        and inner[2] <= outer[2] + TOLERANCE
        and inner[3] <= outer[3] + TOLERANCE
    )


def _boxes(structure: DocumentStructure, found: Findings) -> None:
    pages = structure.pages
    if not pages or not found.rules.print_file:
        return
    sizes = Counter(_size(page.trim) for page in pages)
    common = sizes.most_common(1)[0][0]
    for page in pages:
        size = _size(page.trim)
        if abs(size[0] - common[0]) > TOLERANCE or abs(size[1] - common[1]) > TOLERANCE:
            found.add(
                "page-size",
                f"the page is {inches(size[0])} × {inches(size[1])}; the others are "
                f"{inches(common[0])} × {inches(common[1])}",
                page.index,
                page.trim,
            )
    if found.rules.trim_sizes and not any(
        abs(w - common[0]) <= TOLERANCE and abs(h - common[1]) <= TOLERANCE for w, h in found.rules.trim_sizes
    ):
        found.add(
            "page-size",
            f"the trim size {inches(common[0])} × {inches(common[1])} is not one the printer offers",
        )
    with_trim = [page for page in pages if page.trim_box is not None]
    if not with_trim:
        severity = Severity.ERROR if found.rules.pdfx else Severity.WARNING
        found.add(
            "page-boxes",
            "no page has a TrimBox: the printer will take the whole page (MediaBox) as the trim",
            severity=severity,
        )
    elif len(with_trim) < len(pages):
        first = next(page for page in pages if page.trim_box is None)
        found.add(
            "page-boxes",
            f"{len(pages) - len(with_trim)} pages have no TrimBox while the others do",
            first.index,
        )
    problems = {page.index: _box_problems(page, found.rules.bleed) for page in pages}
    counts = Counter(message for messages in problems.values() for message in messages)
    reported: set[str] = set()
    for page in pages:
        for message in problems[page.index]:
            if message not in reported:
                reported.add(message)
                more = f" (and {counts[message] - 1} more pages)" if counts[message] > 1 else ""
                found.add("page-boxes", message + more, page.index, page.trim)


def _box_problems(page: PageStructure, bleed: float) -> list[str]:
    problems = []
    trim, media = page.trim, page.media_box
    if page.trim_box and not _inside(page.trim_box, media):
        problems.append("the TrimBox reaches outside the page (MediaBox)")
    if page.bleed_box:
        if not _inside(page.bleed_box, media):
            problems.append("the BleedBox reaches outside the page (MediaBox)")
        if not _inside(trim, page.bleed_box):
            problems.append("the BleedBox does not contain the TrimBox")
    outer = page.bleed_box or media
    recto = page.index % 2 == 0
    amounts = {
        "top": outer[3] - trim[3],
        "foot": trim[1] - outer[1],
        "outside": (outer[2] - trim[2]) if recto else (trim[0] - outer[0]),
        "inside": (trim[0] - outer[0]) if recto else (outer[2] - trim[2]),
    }
    if any(value > TOLERANCE for value in amounts.values()):
        for edge in ("top", "foot", "outside"):
            if abs(amounts[edge] - bleed) > TOLERANCE:
                problems.append(
                    f"the bleed at the {edge} edge is {inches(max(amounts[edge], 0))}; the printer "
                    f"wants {inches(bleed)}"
                )
        if amounts["inside"] > TOLERANCE and abs(amounts["inside"] - bleed) > TOLERANCE:
            problems.append(f"the bleed at the inside edge is {inches(amounts['inside'])}")
    return problems


def _safe_area(structure: DocumentStructure, texts: list[PageText], found: Findings) -> None:
    if not found.applies("safe-area"):
        return
    rules = found.rules
    count = len(structure.pages)
    inside = rules.inside_margin(count)
    outside = top = foot = rules.min_margin
    for_pages = f" for {count} pages"
    for page, text in zip(structure.pages, texts):
        trim = page.trim
        recto = page.index % 2 == 0
        left, right = (inside, outside) if recto else (outside, inside)
        worst: list[tuple[float, str, Box]] = []
        for line in text.lines:
            gaps = {
                ("inside" if recto else "outside"): (line.x0 - trim[0], left),
                ("outside" if recto else "inside"): (trim[2] - line.x1, right),
                "foot": (line.bottom - trim[1], foot),
                "top": (trim[3] - line.top, top),
            }
            for edge, (distance, least) in gaps.items():
                if distance < least - TOLERANCE:
                    worst.append(
                        (
                            distance - least,
                            f"{edge} edge: text {inches(max(distance, 0))} from the trim "
                            f"(the least is {inches(least)}{for_pages if edge == 'inside' else ''})",
                            line.box,
                        )
                    )
        if worst:
            worst.sort(key=lambda w: w[0])
            _, message, box = worst[0]
            others = len(worst) - 1
            found.add(
                "safe-area",
                message + (f"; {others} more line{'s' if others > 1 else ''} too close" if others else ""),
                page.index,
                box,
            )


def _page_count(structure: DocumentStructure, found: Findings) -> None:
    rules = found.rules
    count = len(structure.pages)
    if rules.even_page_count and count % 2:
        found.add(
            "page-count",
            f"{count} pages: an odd count (the last page would be a right-hand page with nothing behind it)",
        )
    if rules.min_pages is not None and count < rules.min_pages:
        found.add("page-count", f"{count} pages: fewer than the printer's least, {rules.min_pages}")
    if rules.max_pages is not None and count > rules.max_pages:
        found.add("page-count", f"{count} pages: more than the printer's most, {rules.max_pages}")


def _pdfx(structure: DocumentStructure, found: Findings) -> None:
    wanted = found.rules.pdfx
    accepted = (wanted, *(version for version in found.rules.pdfx_accepted if version != wanted))
    claimed = structure.pdfx_version
    intents = [intent for intent in structure.output_intents if intent.startswith("GTS_PDFX")]
    if wanted:
        if not any(claimed.startswith(version) for version in accepted):
            found.add(
                "pdfx",
                f"the file is {'marked ' + claimed if claimed else 'not marked as PDF/X'}; the "
                f"printer wants {' or '.join(accepted)}",
            )
        if not intents:
            found.add("pdfx", "no PDF/X output intent (the printing condition the colours were prepared for)")
    elif claimed:
        if not intents:
            found.add("pdfx", f"the file says it is {claimed} but has no PDF/X output intent")
        if any(page.trim_box is None for page in structure.pages):
            found.add("pdfx", f"the file says it is {claimed} but not every page has a TrimBox")
