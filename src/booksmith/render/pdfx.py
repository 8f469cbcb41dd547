"""PDF/X keys for a print file, added by a pikepdf post-pass (ReportLab writes none of them).

PDF/X-1a:2001 (ISO 15930-1): the Info dictionary names the version and conformance, Trapped is
/False, an output intent of subtype /GTS_PDFX names the printing condition (and embeds its CMYK ICC
profile when there is one), the XMP metadata repeats the version (pdfx:GTS_PDFXVersion) with the
title and dates, and the file says PDF 1.3.

PDF/X-4 (ISO 15930-7:2010): the Info dictionary names the version only (GTS_PDFXConformance is not
used), the XMP metadata says it as pdfxid:GTS_PDFXVersion and carries a document ID, version ID and
rendition class, the output intent must embed the condition's ICC profile, and the file says PDF 1.6.

Either way the pages already carry a TrimBox, fonts are embedded, black is pure K (or gray) and
images are gray or CMYK; nothing is transparent.
"""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from booksmith.errors import BooksmithError, Location

ICC_FOLDERS = (Path("/usr/share/color/icc"), Path("/usr/local/share/color/icc"))
REGISTRY = "http://www.color.org"
X1A = "PDF/X-1a:2001"
X4 = "PDF/X-4"
VERSIONS = {"x1a": X1A, "x4": X4, "none": ""}  # --pdfx's words for them
PDF_VERSION = {X1A: "1.3", X4: "1.6"}
NEEDS_PROFILE = {X4}  # versions whose output intent must embed the ICC profile


@dataclass(frozen=True)
class PdfxRequest:
    version: str  # X1A or X4
    output_condition: str  # a registered condition, e.g. "CGATS TR 001"
    icc: Path | None = None  # a CMYK output profile to embed


def is_cmyk_icc(path: Path) -> bool:
    """An ICC profile ('acsp' at byte 36) whose data colour space is CMYK (bytes 16-20)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(40)
    except OSError:
        return False
    return len(header) == 40 and header[36:40] == b"acsp" and header[16:20] == b"CMYK"


def find_cmyk_icc(folders: tuple[Path, ...] = ICC_FOLDERS) -> Path | None:
    """The first CMYK ICC profile in the system's colour folders, by name, or None."""
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.suffix.lower() in (".icc", ".icm") and is_cmyk_icc(path):
                    return path
    return None


def check_icc(path: Path) -> Path:
    if not path.is_file():
        raise BooksmithError("the ICC profile does not exist", Location(path),
                             "Check the path given to --icc.")
    if not is_cmyk_icc(path):
        raise BooksmithError("the ICC profile is not a CMYK output profile", Location(path),
                             "PDF/X needs the printing condition's CMYK profile (e.g. one for "
                             "CGATS TR 001 or ISO Coated v2).")
    return path


def make_pdfx(path: Path, request: PdfxRequest) -> None:
    """Rewrite the PDF at path in place as PDF/X."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        _write_xmp(pdf, request)
        info = pdf.docinfo
        info[pikepdf.Name.GTS_PDFXVersion] = pikepdf.String(request.version)
        if request.version == X1A:
            info[pikepdf.Name.GTS_PDFXConformance] = pikepdf.String(request.version)
        info[pikepdf.Name.Trapped] = pikepdf.Name("/False")
        pdf.Root.OutputIntents = pikepdf.Array([_output_intent(pdf, request)])
        pdf.save(path, force_version=PDF_VERSION[request.version], deterministic_id=True,
                 compress_streams=True)


def _output_intent(pdf: pikepdf.Pdf, request: PdfxRequest) -> pikepdf.Dictionary:
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(request.output_condition),
        OutputCondition=pikepdf.String(request.output_condition),
        RegistryName=pikepdf.String(REGISTRY),
        Info=pikepdf.String(request.output_condition),
    )
    if request.icc is not None:
        profile = pikepdf.Stream(pdf, request.icc.read_bytes())
        profile[pikepdf.Name.N] = 4
        intent[pikepdf.Name.DestOutputProfile] = profile
    return intent


def _write_xmp(pdf: pikepdf.Pdf, request: PdfxRequest) -> None:
    """XMP with the title, author and dates of the Info dictionary (so the same input gives the same
    bytes) and the PDF/X version."""
    info = pdf.docinfo
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        with warnings.catch_warnings():  # Info keys with no XMP twin (Trapped) are set below
            warnings.simplefilter("ignore", UserWarning)
            meta.load_from_docinfo(info)
        if request.version == X4:
            meta["pdfxid:GTS_PDFXVersion"] = request.version
            # the same input gives the same ID: a name-based UUID of what identifies the book
            identity = f"{info.get('/Title', '')}|{info.get('/Author', '')}|{info.get('/CreationDate', '')}"
            meta["xmpMM:DocumentID"] = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'booksmith:' + identity)}"
            meta["xmpMM:VersionID"] = "1"
            meta["xmpMM:RenditionClass"] = "default"
        else:
            meta["pdfx:GTS_PDFXVersion"] = request.version
        meta["pdf:Trapped"] = "False"
        created = meta.get("xmp:CreateDate")
        if created:
            meta["xmp:ModifyDate"] = meta.get("xmp:ModifyDate", created)
            meta["xmp:MetadataDate"] = created
