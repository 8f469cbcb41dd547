"""Every check proof runs: its id, the group it is reported in, its title, why it matters in one line,
and its severity when no printer's rules say otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from booksmith.errors import Severity

ERROR, WARNING, NOTE = Severity.ERROR, Severity.WARNING, Severity.NOTE

PREFLIGHT = "Printer preflight"
TYPOGRAPHY = "Typography"
TEXT = "Text"


@dataclass(frozen=True)
class Check:
    id: str
    group: str
    title: str
    why: str
    severity: Severity


CHECKS: dict[str, Check] = {
    check.id: check
    for check in (
        # preflight: what a printer's prepress department looks at
        Check(
            "font-not-embedded",
            PREFLIGHT,
            "Font not embedded",
            "The printer's machine substitutes another font: text reflows, changes shape or drops glyphs.",
            ERROR,
        ),
        Check(
            "font-type3",
            PREFLIGHT,
            "Type 3 font",
            "Type 3 glyphs are drawn as pictures (often bitmaps): they print fuzzy and some printers "
            "reject them.",
            WARNING,
        ),
        Check(
            "colour-rgb",
            PREFLIGHT,
            "RGB colour in a print file",
            "The printer converts RGB to ink itself: black becomes a four-ink mix that prints muddy and "
            "misregistered, colours shift.",
            ERROR,
        ),
        Check(
            "colour-spot",
            PREFLIGHT,
            "Spot colour",
            "A spot colour asks for an extra ink plate; a one- or four-colour print run cannot print it as "
            "specified.",
            WARNING,
        ),
        Check(
            "rich-black-text",
            PREFLIGHT,
            "Rich black text",
            "Text in a mix of inks needs four plates to line up exactly: small type prints with "
            "coloured fringes.",
            WARNING,
        ),
        Check(
            "total-ink",
            PREFLIGHT,
            "Total ink over the limit",
            "Too much ink on paper smears, sets off on the facing page and dries slowly.",
            ERROR,
        ),
        Check(
            "image-resolution",
            PREFLIGHT,
            "Low image resolution",
            "Below the printer's minimum an image prints soft or visibly pixelated.",
            WARNING,
        ),
        Check(
            "transparency",
            PREFLIGHT,
            "Transparency",
            "The printer flattens transparency before printing, which can change how overlapping objects "
            "look; PDF/X-1a forbids it.",
            NOTE,
        ),
        Check(
            "annotation",
            PREFLIGHT,
            "Annotations or links in a print file",
            "Links and comments do nothing on paper; some printers reject files that have them, others may "
            "print them.",
            WARNING,
        ),
        Check(
            "page-size",
            PREFLIGHT,
            "Page size differs",
            "A book has one trim size: a page of another size is scaled or cropped by the printer.",
            ERROR,
        ),
        Check(
            "page-boxes",
            PREFLIGHT,
            "Trim and bleed boxes",
            "The TrimBox tells the printer where to cut and the BleedBox how far art may run past it; wrong "
            "or missing boxes mean cuts in the wrong place.",
            ERROR,
        ),
        Check(
            "page-rotated",
            PREFLIGHT,
            "Rotated page",
            "A rotated page is printed sideways or rejected.",
            WARNING,
        ),
        Check(
            "safe-area",
            PREFLIGHT,
            "Content outside the safe area",
            "Cutting drifts by a few millimetres and the binding swallows the inside edge: text this close "
            "to the trim or the gutter can be cut off or lost.",
            ERROR,
        ),
        Check(
            "page-count",
            PREFLIGHT,
            "Page count",
            "Books are printed in leaves of two pages; printers add blank pages where the count does not "
            "fit, or reject the file.",
            ERROR,
        ),
        Check(
            "pdfx",
            PREFLIGHT,
            "PDF/X and output intent",
            "A printer that asks for PDF/X checks for its keys and output intent and rejects a file without "
            "them.",
            ERROR,
        ),
        # typography: what an editor or a compositor looks at
        Check(
            "widow",
            TYPOGRAPHY,
            "Widow",
            "A paragraph's last line alone at the head of a page leaves a hole at the top and reads as an "
            "afterthought.",
            WARNING,
        ),
        Check(
            "orphan",
            TYPOGRAPHY,
            "Orphan",
            "A paragraph's first line alone at the foot of a page sends the reader over the page after one "
            "line.",
            WARNING,
        ),
        Check(
            "runt",
            TYPOGRAPHY,
            "Runt",
            "A very short last line (a short word or a word's end) leaves a gap that breaks the texture "
            "of the page.",
            NOTE,
        ),
        Check(
            "stranded-heading",
            TYPOGRAPHY,
            "Heading or scene break at a page's foot",
            "A heading or a scene break with nothing after it on the page is separated from the text it "
            "introduces; a break at the foot is easily missed.",
            WARNING,
        ),
        Check(
            "overfull-line",
            TYPOGRAPHY,
            "Overfull line",
            "A line wider than the measure sticks out into the margin.",
            ERROR,
        ),
        Check(
            "loose-line",
            TYPOGRAPHY,
            "Loose line",
            "Word spaces over one and a half times the natural space open rivers of white through the text.",
            NOTE,
        ),
        Check(
            "hyphen-ladder",
            TYPOGRAPHY,
            "Hyphen ladder",
            "More than two hyphens in a row at line ends form a ladder the eye catches on.",
            WARNING,
        ),
        Check(
            "hyphen-page-foot",
            TYPOGRAPHY,
            "Hyphen at the foot of a right-hand page",
            "The reader has to turn the leaf in the middle of a word.",
            WARNING,
        ),
        Check(
            "uneven-spread",
            TYPOGRAPHY,
            "Facing pages end on different baselines",
            "The two pages of an open book should end level; a step at the foot shows.",
            WARNING,
        ),
        Check(
            "blank-pages",
            TYPOGRAPHY,
            "Blank pages in a row",
            "More than two blank pages in a row look like a binding fault to a reader.",
            WARNING,
        ),
        Check(
            "fallback-font",
            TYPOGRAPHY,
            "Characters in a fallback font",
            "The body font lacks these characters, so another typeface drew them: they can look out "
            "of place.",
            WARNING,
        ),
        # text: the manuscript against the PDF
        Check(
            "missing-words",
            TEXT,
            "Missing words",
            "Words of the manuscript that are not in the PDF are lost from the printed book.",
            ERROR,
        ),
        Check(
            "extra-words",
            TEXT,
            "Words not in the manuscript",
            "Words in the PDF's text that the manuscript does not have: duplicated or stray text.",
            WARNING,
        ),
    )
}


def check(check_id: str) -> Check:
    return CHECKS[check_id]
