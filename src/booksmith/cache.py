"""The build cache: what a build can take from an earlier one instead of making it again.

It lives in a folder the user may delete at any time (booksmith makes again whatever is missing):
$BOOKSMITH_CACHE_DIR, else $XDG_CACHE_HOME/booksmith, else ~/.cache/booksmith. `build --no-cache`
neither reads nor writes it. It holds six kinds of entry:

- chapters/: a set chapter (its heading, lines and paragraph variants, and the warnings setting it
  gave), keyed on everything setting a chapter reads: the chapter as parsed (its source lines
  counted from its heading, so that a chapter moved down by an edit above it is still found), its
  number and title,
  the preset as set for that layout pass (a printer's gutter changes the measure) less the sections
  setting never reads, the bytes of every font file of the font chain, the hyphenation language, the
  manuscript's place and the bytes of the chapter's images, and the engine (booksmith's version, a
  digest of its typesetting code, the HarfBuzz and pyphen versions, Python's version). An edited
  paragraph changes its chapter's key only, so the rebuild sets that chapter and takes the others.
  An entry also keeps its body paragraphs' lines by what setting each read (ParagraphStore).
- slots/: which chapter entry was last kept at each place in a book, so that a chapter set again
  takes the body paragraphs it shares with its last version as that version set them.
- breaks/: a chapter's page breaks, keyed on its set chapter's key, the whole preset, the book's
  footnotes and the whole engine, so the rebuild breaks only the edited chapter into pages.
- drawn/: a chapter's lines as the renderer drew them (PDF text objects), keyed on its set chapter's
  key, the book's glyphs (which fix every glyph's code in the fonts) and the whole engine, so the
  rebuild draws only the edited chapter's lines.
- patterns/: the hyphenation patterns pyphen read for a language, keyed on the language and the
  engine that sets chapters, so that no process of a later build reads the dictionary again.
- books/: a whole build (both PDFs and what build() reports), keyed on the whole book, its images,
  preset, printer, options, every font file the registry holds, the system's ICC profiles and the
  whole engine. Output is deterministic, so the PDFs kept are the bytes a cold build writes.

Each entry is written to a temporary file and renamed into place; its header holds the format, the
key, the payload's length and a checksum, so a torn, truncated or foreign file is ignored (and
rewritten), never trusted. Builds running at once write whole files under the same names, so the
last rename wins with the same bytes. Payloads are plain data read back with an unpickler that makes
nothing but booksmith's own classes. After a build that wrote entries, the folder is trimmed to its
size limit ($BOOKSMITH_CACHE_MAX_MB, default 500) by removing the entries used least recently.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, field, fields, is_dataclass, replace
from enum import Enum
from pathlib import Path, PurePath

import booksmith
from booksmith.doctree import Block, Book, Chapter, Figure, Inline
from booksmith.errors import BooksmithError, Diagnostic, Location, Severity
from booksmith.fonts import FontChain, FontFace, FontRegistry, Glyphs, ShapedRun, run_glyphs
from booksmith.paginate.flow import PageSlice
from booksmith.preset import Preset
from booksmith.typeset import MakeChapter, SetChapter
from booksmith.typeset.blocks import ChapterSetting
from booksmith.typeset.hyphenate import give_patterns, read_patterns
from booksmith.typeset.items import Piece
from booksmith.typeset.lines import (
    FigureItem,
    GalleyChapter,
    GalleyLine,
    GalleySpace,
    ParagraphVariant,
    PlacedLine,
    PlacedPiece,
    SetLine,
)
from booksmith.typeset.paragraph import SetParagraph, TextStyle

FORMAT = 3  # the layout of entries and their payloads; raise it when either changes
# set chapters, the chapter last kept at each place in a book, a chapter's page breaks, its lines as
# drawn, hyphenation patterns, and whole builds (their report and PDFs)
KINDS = ("chapters", "slots", "breaks", "drawn", "patterns", "books")
MAGIC = b"booksmith-cache\n"
DEFAULT_MAX_MB = 500
TRIM_TO = 0.8  # of the limit, so that trimming is not needed again at the next build
STALE_TEMPORARY_SECONDS = 3600  # a temporary file this old was left by a build that died
PACKAGE = Path(__file__).resolve().parent
# the code a set chapter depends on, beside booksmith's version
CHAPTER_CODE = ("typeset/", "fonts/", "doctree.py", "errors.py", "cache.py")
# the code a whole build never runs (`booksmith proof` reads the PDFs afterwards)
NOT_RUN_BY_BUILDS = ("proof/",)
# the libraries whose versions change what is set or written
CHAPTER_LIBRARIES = ("uharfbuzz", "pyphen")
BOOK_LIBRARIES = ("uharfbuzz", "pyphen", "reportlab", "pikepdf", "pillow", "markdown_it_py", "jsonschema")
# where render/pdfx.py looks for a CMYK profile (tests/test_cache.py checks that they agree)
SYSTEM_ICC_FOLDERS = (Path("/usr/share/color/icc"), Path("/usr/local/share/color/icc"))
# preset sections that setting a chapter never reads: changing them sets no chapter again
# (tests/test_cache.py sets a book with them removed to prove it)
NOT_READ_BY_CHAPTERS = ("name", "description", "source", "running_heads", "folios", "pages", "front_matter",
                        "printer")


def cache_folder() -> Path:
    """$BOOKSMITH_CACHE_DIR, else $XDG_CACHE_HOME/booksmith, else ~/.cache/booksmith."""
    chosen = os.environ.get("BOOKSMITH_CACHE_DIR")
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base).expanduser() if base else Path.home() / ".cache") / "booksmith"


def size_limit() -> int:
    """The folder's size limit in bytes."""
    try:
        megabytes = float(os.environ.get("BOOKSMITH_CACHE_MAX_MB", DEFAULT_MAX_MB))
    except ValueError:
        megabytes = DEFAULT_MAX_MB
    return int(max(megabytes, 0) * 1024 * 1024)


@dataclass
class CacheCounts:
    """What a build took from the cache and what it made (summed over its layout passes)."""

    chapters_kept: int = 0
    chapters_set: int = 0
    set_at: list[int] = field(default_factory=list)  # the manuscript line of each chapter set
    book_kept: bool = False
    entries_written: int = 0
    broken_entries: int = 0  # entries found torn, truncated or from another version, and ignored
    breaks_kept: int = 0  # chapters whose page breaks were taken from the cache
    breaks_found: int = 0  # chapters broken into pages (and their breaks kept)
    drawings_kept: int = 0  # chapters whose lines were drawn from the cache
    drawings_made: int = 0  # chapters whose lines were drawn (and kept)
    paragraphs_kept: int = 0  # body paragraphs of chapters set again, taken as their last version set them


# -- the engine: what in booksmith's code and libraries changes what is made -------------------------


@dataclass(frozen=True)
class CodeDigests:
    chapter_digest: str
    book_digest: str
    stamps: dict[Path, tuple[int, int]]  # each file with its mtime and size when hashed
    chapter_files: frozenset[Path]


def read_code(package: Path = PACKAGE) -> CodeDigests:
    """Digests of booksmith's files (or of another copy of its package): one of the code a set chapter
    depends on, one of all of it. Read once per process, when this module loads, just after the
    pipeline has imported the typesetting code, so they describe the code this process runs."""
    chapter, book = hashlib.blake2b(digest_size=32), hashlib.blake2b(digest_size=32)
    stamps: dict[Path, tuple[int, int]] = {}
    chapter_files = set()
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        relative = path.relative_to(package).as_posix()
        if relative.startswith(NOT_RUN_BY_BUILDS):
            continue
        with contextlib.suppress(OSError):
            status = path.stat()
            data = path.read_bytes()
            for digest in (book, chapter) if relative.startswith(CHAPTER_CODE) else (book,):
                digest.update(relative.encode() + b"\0" + len(data).to_bytes(8, "little") + data)
            stamps[path] = (status.st_mtime_ns, status.st_size)
            if relative.startswith(CHAPTER_CODE):
                chapter_files.add(path)
    return CodeDigests(chapter.hexdigest(), book.hexdigest(), stamps, frozenset(chapter_files))


def _loaded_files() -> set[Path]:
    """The files of booksmith's modules this process has loaded."""
    return {Path(module.__file__).resolve() for name, module in list(sys.modules.items())
            if name.startswith("booksmith") and getattr(module, "__file__", None)}


class _CodeWatch:
    """Whether the code this process runs is the code that was hashed. The modules loaded before the
    hashing are; a module loaded after it is if its file was still as hashed at a check after it
    was loaded (someone editing the code while a build runs may have changed it in between: then
    this process does not write the kinds of entry that depend on it). Modules not loaded have not
    run; data files must be as hashed."""

    def __init__(self, code: CodeDigests) -> None:
        self.code = code
        self.trusted = _loaded_files()
        self.doubtful: set[Path] = set()
        self.loaded = (len(sys.modules), self.trusted)

    def _loaded(self) -> set[Path]:
        if self.loaded[0] != len(sys.modules):
            self.loaded = (len(sys.modules), _loaded_files())
        return self.loaded[1]

    def as_hashed(self, kind: str) -> bool:
        files = self.code.chapter_files if kind == "chapters" else self.code.stamps.keys()
        loaded = self._loaded()
        for path in files:
            if path in self.trusted or (path.suffix == ".py" and path not in loaded):
                continue
            if path in self.doubtful or not self._unchanged(path):
                self.doubtful.add(path)
                return False
            if path in loaded:
                self.trusted.add(path)
        return True

    def _unchanged(self, path: Path) -> bool:
        try:
            status = path.stat()
        except OSError:
            return False
        return (status.st_mtime_ns, status.st_size) == self.code.stamps[path]


def _library_versions(names: tuple[str, ...]) -> str:
    """Installed versions from the .dist-info folders on sys.path (importlib.metadata would cost
    30 ms at start-up)."""
    wanted = {name.lower() for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for item in listing:
            if item.endswith(".dist-info"):
                name, _, version = item.removesuffix(".dist-info").partition("-")
                if name.lower() in wanted:
                    found.setdefault(name.lower(), version)
    return ",".join(f"{name}={found.get(name, '?')}" for name in sorted(wanted))


_CODE = read_code()
_WATCH = _CodeWatch(_CODE)
_VERSIONS = {"chapter": _library_versions(CHAPTER_LIBRARIES), "book": _library_versions(BOOK_LIBRARIES)}


def engine(kind: str) -> str:
    """What identifies the engine for a kind of entry ("chapter" or "book"). booksmith.__version__
    is read each time, so a new release (or a test setting it) never meets entries of the old."""
    code = _CODE.chapter_digest if kind == "chapter" else _CODE.book_digest
    return f"{booksmith.__version__}|{sys.version}|{_VERSIONS[kind]}|{code}"


# -- keys ---------------------------------------------------------------------------------------------


def _digest(*parts: str | bytes) -> str:
    """One digest of several parts, each length-prefixed so that no two lists of parts collide."""
    digest = hashlib.blake2b(digest_size=32)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """The digest of a file's bytes ("missing" where there is no such file to read)."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=32)).hexdigest()
    except OSError:
        return "missing"


def _files_digest(paths: list[Path]) -> str:
    return _digest(*(f"{path}={file_digest(path)}" for path in sorted(set(paths), key=str)))


def typesetting_preset(preset: Preset) -> Preset:
    """The preset without the sections that setting a chapter never reads."""
    names = {item.name for item in fields(preset)}
    return replace(preset, **{name: None for name in NOT_READ_BY_CHAPTERS if name in names})


def chain_faces(preset: Preset, registry: FontRegistry) -> list[FontFace]:
    """The faces the typesetter's font chain can draw with: the body family and its fallbacks."""
    chain = FontChain(registry, preset.fonts.body, preset.fonts.fallback)
    faces = {id(face): face for face in chain.primary.values()}
    faces.update((id(face), face) for found in chain.fallbacks.values() for face in found)
    return sorted(faces.values(), key=lambda face: str(face.path))


def figures_in(blocks: tuple[Block, ...]) -> Iterator[Figure]:
    for block in blocks:
        if isinstance(block, Figure):
            yield block
        for inner in getattr(block, "blocks", ()):
            yield from figures_in((inner,))
        for item in getattr(block, "items", ()):
            yield from figures_in(item)


def _images_digest(figures: Iterator[Figure], folder: Path) -> str:
    return _digest(*(f"{figure.source}={file_digest((folder / figure.source).resolve())}"
                     for figure in figures))


class ChapterTexts:
    """Each chapter as canonical text, its source lines counted from its heading, made once per build
    (30 ms for a novel): the whole build's key and each chapter's key are made of them."""

    def __init__(self) -> None:
        self._texts: dict[int, str] = {}  # by the chapter's identity: the book outlives the build's cache

    def __call__(self, chapter: Chapter) -> str:
        found = self._texts.get(id(chapter))
        if found is None:
            found = self._texts[id(chapter)] = canonical(chapter, lines_from=chapter.line)
        return found


def book_key(book: Book, preset: Preset, printer: object, registry: FontRegistry, options: object,
             texts: ChapterTexts | None = None) -> str:
    """Everything a whole build reads: the book as parsed (with its source path), its images, the
    preset, the printer, the options (those naming files, by the files' bytes), every font file
    of the registry, the system's ICC profiles, SOURCE_DATE_EPOCH and the whole engine. `options`
    is the build's options with what does not change the PDFs (the output folder) neutralised."""
    texts = texts or ChapterTexts()
    chapters = [f"{chapter.line}\n{texts(chapter)}" for chapter in book.chapters]
    folder = book.source.resolve().parent
    figures = [*figures_in(tuple(block for chapter in book.chapters for block in chapter.blocks)),
               *figures_in(tuple(block for note in book.footnotes for block in note.blocks))]
    option_files = [value for item in fields(options)  # type: ignore[arg-type]
                    if isinstance(value := getattr(options, item.name), Path)]
    fonts = {str(face.path): face.path for face in [*registry.faces.values(), *registry.by_key.values()]}
    profiles = [path for folder_ in SYSTEM_ICC_FOLDERS if folder_.is_dir()
                for path in folder_.rglob("*") if path.suffix.lower() in (".icc", ".icm")]
    return _digest("book", str(FORMAT), engine("book"), canonical(options),
                   os.environ.get("SOURCE_DATE_EPOCH", ""), canonical(replace(book, chapters=())),
                   _digest(*chapters), str(folder),
                   _images_digest(iter(figures), folder), canonical(preset), canonical(printer),
                   _files_digest(option_files), _files_digest(list(fonts.values())), _files_digest(profiles))


# -- the cache ----------------------------------------------------------------------------------------


class BuildCache:
    """One build's use of the cache folder; nothing it fails to read or write stops the build."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or cache_folder()
        self.counts = CacheCounts()
        self.unwritable: str | None = None  # why the folder could not be written, once it could not
        self.shared: dict[tuple, object] = {}  # shaped runs and pieces read, shared between chapters
        self.chapter_texts = ChapterTexts()

    # entries ----------------------------------------------------------------------------------------

    def path(self, kind: str, key: str, suffix: str = ".entry") -> Path:
        return self.folder / kind / f"{key}{suffix}"

    def read(self, kind: str, key: str) -> bytes | None:
        """An entry's payload, or None where it is missing, torn, truncated or not this key's."""
        path = self.path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        payload = _checked_payload(data, key)
        if payload is None:
            self.counts.broken_entries += 1
            return None
        _touch(path)
        return payload

    def write(self, kind: str, key: str, payload: bytes) -> None:
        self.write_file(kind, self.path(kind, key), _header(key, payload) + payload)

    def write_file(self, kind: str, target: Path, data: bytes) -> None:
        """A whole file or none: written beside its target, then renamed into place."""
        if self.unwritable is not None or not _WATCH.as_hashed(kind):
            return
        temporary = None
        try:
            if not (self.folder / "CACHEDIR.TAG").exists():
                self._make_folder()
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
            temporary = None
            self.counts.entries_written += 1
        except OSError as error:
            self.unwritable = error.strerror or str(error)
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def _make_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This folder is booksmith's build cache; it may be deleted at any time.\n", encoding="utf-8")

    # set chapters -----------------------------------------------------------------------------------

    def chapters(self, book: Book, preset: Preset, registry: FontRegistry) -> ChapterStore:
        """The lookup typeset() takes for one layout pass, with the preset as set for that pass."""
        return ChapterStore(self, book, preset, registry)

    # whole builds -----------------------------------------------------------------------------------

    def keep_pdf(self, key: str, kind: str, written: Path) -> None:
        """Keep a copy of a PDF just written (before it is renamed into place); from the process that
        wrote it, which may be a worker."""
        with contextlib.suppress(OSError):
            self.write_file("books", self.path("books", key, f".{kind}.pdf"), written.read_bytes())

    def keep_build(self, key: str, result: object) -> None:
        """What build() reported, with the digests of the PDFs kept by keep_pdf."""
        digests = {kind: file_digest(self.path("books", key, f".{kind}.pdf")) for kind in ("print", "screen")}
        if "missing" in digests.values():
            return
        self.write("books", key, _dumps((digests, result)))

    def kept_build(self, key: str) -> tuple[object, bytes, bytes] | None:
        """What an earlier build with this key reported, and its print and screen PDFs."""
        payload = self.read("books", key)
        if payload is None:
            return None
        try:
            digests, result = _loads(payload)
            paths = [self.path("books", key, f".{kind}.pdf") for kind in ("print", "screen")]
            pdfs = [path.read_bytes() for path in paths]
        except BooksmithError:
            raise  # the build's own error (its time limit, say), not the entry's
        except Exception:  # whatever is wrong with an entry, it is ignored and made again
            self.counts.broken_entries += 1
            return None
        for path in paths:
            _touch(path)
        for kind, data in zip(("print", "screen"), pdfs):
            if _digest_bytes(data) != digests.get(kind):
                self.counts.broken_entries += 1
                return None
        return result, pdfs[0], pdfs[1]

    # size -------------------------------------------------------------------------------------------

    def trim(self) -> None:
        """Remove the entries used least recently until the folder is under its limit, and any
        temporary file a build that died left behind."""
        if self.counts.entries_written == 0:
            return
        limit = size_limit()
        entries = []
        now = time.time()
        for kind in KINDS:
            with contextlib.suppress(OSError), os.scandir(self.folder / kind) as listing:
                for item in listing:
                    with contextlib.suppress(OSError):
                        status = item.stat()
                        if item.name.endswith(".tmp"):
                            if now - status.st_mtime > STALE_TEMPORARY_SECONDS:
                                os.unlink(item.path)
                            continue
                        entries.append((status.st_mtime, status.st_size, item.path))
        total = sum(size for _, size, _ in entries)
        if total <= limit:
            return
        for _, size, path in sorted(entries):
            if total <= limit * TRIM_TO:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
            total -= size


def _touch(path: Path) -> None:
    """Mark an entry as used just now, so that trimming removes it last."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _header(key: str, payload: bytes) -> bytes:
    return (MAGIC + FORMAT.to_bytes(4, "little") + bytes.fromhex(key) + len(payload).to_bytes(8, "little")
            + hashlib.blake2b(payload, digest_size=32).digest())


HEADER_SIZE = len(MAGIC) + 4 + 32 + 8 + 32


def _checked_payload(data: bytes, key: str) -> bytes | None:
    """The payload after a header that names this format and key and whose length and checksum fit."""
    if len(data) < HEADER_SIZE or not data.startswith(MAGIC):
        return None
    at = len(MAGIC)
    if int.from_bytes(data[at : at + 4], "little") != FORMAT or data[at + 4 : at + 36] != bytes.fromhex(key):
        return None
    length = int.from_bytes(data[at + 36 : at + 44], "little")
    payload = data[HEADER_SIZE:]
    checksum = data[at + 44 : HEADER_SIZE]
    if len(payload) != length or hashlib.blake2b(payload, digest_size=32).digest() != checksum:
        return None
    return payload


def _digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def _dumps(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class _OwnClassesOnly(pickle.Unpickler):
    """Makes nothing but booksmith's own classes (and paths): an entry cannot run code."""

    def find_class(self, module: str, name: str) -> type:
        if "." not in name and (module.startswith("booksmith.") or module == "pathlib"):
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"an entry names {module}.{name}")


def _loads(payload: bytes) -> object:
    """(Called while pipeline.build keeps the collector paused: a galley is hundreds of thousands of
    small objects, and the collector's passes over them cost more than making them.)"""
    return _OwnClassesOnly(io.BytesIO(payload)).load()


# -- set chapters -------------------------------------------------------------------------------------


@dataclass
class ChapterStore:
    """A ChapterLookup for one layout pass: a chapter's key is this pass's part (engine, preset, fonts,
    language, the manuscript's place) and the chapter's own (its text, number, title and images)."""

    cache: BuildCache
    book: Book
    preset: Preset
    registry: FontRegistry
    _base: str | None = field(default=None, init=False)
    _faces: dict[str, FontFace] = field(default_factory=dict, init=False)
    _keys: dict[int, str] = field(default_factory=dict, init=False)  # id(chapter) -> its key
    _read: set[str] = field(default_factory=set, init=False)  # the keys whose entries were read
    _breaks_base: str | None = field(default=None, init=False)

    def __call__(self, chapter: Chapter, setting: ChapterSetting,
                 make: MakeChapter) -> SetChapter:
        counts = self.cache.counts
        key = self._key_of(chapter, setting)
        found = self._kept(key, chapter) if key else None
        if found is not None:
            counts.chapters_kept += 1
            return found
        paragraphs = self._last_version_paragraphs(chapter) if key else None
        made = make(paragraphs)
        counts.chapters_set += 1
        counts.set_at.append(chapter.line)
        if key is None or paragraphs is None:
            return made
        encoded = encode_set_chapter(made, self._faces, paragraphs.made)
        if encoded is not None:
            self.cache.write("chapters", key, _dumps(encoded))
            self.cache.write("slots", self._slot_key(chapter), _dumps(key))
        return made

    # a chapter set again (after an edit) takes the body paragraphs it shares with its last version,
    # found through its place in the book, as that version set them

    def _last_version_paragraphs(self, chapter: Chapter) -> ParagraphStore:
        """The paragraphs of the version of this chapter last kept at its place in the book."""
        found: dict[str, SetParagraph] = {}
        payload = self.cache.read("slots", self._slot_key(chapter))
        try:
            key = _loads(payload) if payload else None
            if isinstance(key, str) and key not in self._read:  # not this very version, found wanting
                self._read.add(key)
                last = self.cache.read("chapters", key)
                if last is not None:
                    found = decode_paragraphs(_loads(last), self._faces, self.cache.shared)  # type: ignore[arg-type]
        except BooksmithError:
            raise  # the build's own error (its time limit, say), not the entry's
        except Exception:  # whatever is wrong with an entry, it is ignored and the paragraphs set
            self.cache.counts.broken_entries += 1
        return ParagraphStore(found, self.cache.counts)

    def _slot_key(self, chapter: Chapter) -> str:
        """The chapter's place in the book, with everything its key has besides the chapter itself."""
        place = next(index for index, other in enumerate(self.book.chapters) if other is chapter)
        return _digest("slot", self._base or "", str(place))

    def holds(self, chapter: Chapter, setting: ChapterSetting) -> bool:
        """Whether the cache has an entry for this chapter (not yet read, so not yet known whole)."""
        key = self._key_of(chapter, setting)
        return key is not None and self.cache.path("chapters", key).exists()

    def _key_of(self, chapter: Chapter, setting: ChapterSetting) -> str | None:
        """The chapter's key, made once per store (None where the codec cannot keep chapters)."""
        key = self._keys.get(id(chapter))
        if key is None and _codec_fits():
            key = self._keys[id(chapter)] = self.key(chapter, setting)
        return key

    def key(self, chapter: Chapter, setting: ChapterSetting) -> str:
        folder = self.book.source.resolve().parent
        if self._base is None:
            # made at the first chapter, after typeset() has made the same font chain (or said why not)
            faces = chain_faces(self.preset, self.registry)
            self._faces = {str(face.path): face for face in faces}
            language = self._hyphenation_language()
            self._base = _digest("chapter", str(FORMAT), engine("chapter"),
                                 canonical(typesetting_preset(self.preset)), language, repr(self.book.source),
                                 str(folder), _files_digest([face.path for face in faces]))
        return _digest(self._base, self.cache.chapter_texts(chapter), repr(setting.number),
                       repr(setting.title), _images_digest(figures_in(chapter.blocks), folder))

    # a chapter's page breaks: kept beside the set chapter, so an edit breaks only its own chapter
    # into pages again

    def kept_breaks(self, chapter: Chapter) -> tuple[PageSlice, ...] | None:
        """The page breaks kept for this chapter as this store set or read it, if any."""
        key = self._breaks_key(chapter)
        payload = self.cache.read("breaks", key) if key else None
        if payload is None:
            return None
        try:
            kept = tuple(PageSlice(*row) for row in _loads(payload))  # type: ignore[union-attr]
        except BooksmithError:
            raise  # the build's own error (its time limit, say), not the entry's
        except Exception:  # whatever is wrong with an entry, it is ignored and the breaks found again
            self.cache.counts.broken_entries += 1
            return None
        self.cache.counts.breaks_kept += 1
        return kept

    def keep_breaks(self, chapter: Chapter, breaks: tuple[PageSlice, ...]) -> None:
        """Page breaks just found for this chapter, as this store set or read it."""
        key = self._breaks_key(chapter)
        if key:
            self.cache.counts.breaks_found += 1
            self.cache.write("breaks", key, _dumps(tuple(astuple(piece) for piece in breaks)))

    def _breaks_key(self, chapter: Chapter) -> str | None:
        """The set chapter's key, with what else its page breaks depend on: the whole preset as this
        pass sets the book (page depth, widows, folios' room), the footnotes (their heights come to
        the pages of their marks) and all of the engine (pagination's code too)."""
        key = self._keys.get(id(chapter))
        if key is None:
            return None
        if self._breaks_base is None:
            self._breaks_base = _digest("breaks", str(FORMAT), engine("book"), canonical(self.preset),
                                        canonical(self.book.footnotes))
        return _digest(self._breaks_base, key)

    # a chapter's lines as the renderer drew them: kept beside the set chapter, so an edit draws only
    # its own chapter's lines again

    def kept_drawings(self, chapter: Chapter, lines: Sequence[int | None], glyphs: str) -> dict[int, object]:
        """The drawings kept for this chapter's lines when the book's glyphs were those named
        `glyphs`, by the lines' identities: `lines` are galley_lines() of the chapter as this store
        set or read it, each by the identity of its pieces (None for one that is on no page, whose
        identity may be another's by now); empty where none are kept."""
        key = self._drawings_key(chapter, glyphs)
        payload = self.cache.read("drawn", key) if key else None
        if payload is None:
            return {}
        try:
            kept = {line: drawing for row, drawing in _loads(payload)  # type: ignore[union-attr]
                    if (line := lines[row]) is not None}
        except BooksmithError:
            raise  # the build's own error (its time limit, say), not the entry's
        except Exception:  # whatever is wrong with an entry, it is ignored and the lines drawn again
            self.cache.counts.broken_entries += 1
            return {}
        self.cache.counts.drawings_kept += 1
        return kept

    def keep_drawings(self, chapter: Chapter, lines: Sequence[int | None], glyphs: str,
                      drawn: dict[int, object]) -> None:
        """The drawings just made of this chapter's lines, `lines` as kept_drawings() takes them."""
        key = self._drawings_key(chapter, glyphs)
        if key:
            rows = tuple((row, drawing) for row, line in enumerate(lines)
                         if line is not None and (drawing := drawn.get(line)) is not None)
            self.cache.counts.drawings_made += 1
            self.cache.write("drawn", key, _dumps(rows))

    def _drawings_key(self, chapter: Chapter, glyphs: str) -> str | None:
        """The set chapter's key, with the book's glyphs (they fix the glyphs' codes) and the whole
        engine (the renderer's code and ReportLab's version)."""
        key = self._keys.get(id(chapter))
        return None if key is None else _digest("drawn", str(FORMAT), engine("book"), glyphs, key)

    # hyphenation patterns: pyphen reads its dictionary in 0.06 s, which after an edit is on the way
    # to the edited chapter; kept, they are read in a few milliseconds

    def give_patterns(self) -> None:
        """The patterns of the book's hyphenation language, as an earlier build kept them, handed to
        pyphen before any chapter is set (so also to the processes forked to set them)."""
        language = self._hyphenation_language()
        payload = self.cache.read("patterns", self._patterns_key(language)) if language else None
        if payload is None:
            return
        try:
            give_patterns(language, _loads(payload))  # type: ignore[arg-type]
        except BooksmithError:
            raise  # the build's own error (its time limit, say), not the entry's
        except Exception:  # whatever is wrong with an entry, it is ignored and the patterns read again
            self.cache.counts.broken_entries += 1

    def keep_patterns(self) -> None:
        """The patterns, where this process read them and no build has kept them yet."""
        language = self._hyphenation_language()
        if not language or self.cache.path("patterns", key := self._patterns_key(language)).exists():
            return
        with contextlib.suppress(BooksmithError):
            patterns = read_patterns(language)
            if patterns is not None:
                self.cache.write("patterns", key, _dumps(patterns))

    def _hyphenation_language(self) -> str:
        hyphenation = self.preset.hyphenation
        return (hyphenation.language or self.book.meta.language) if hyphenation.enabled else ""

    def _patterns_key(self, language: str) -> str:
        """The language and the engine that sets chapters (pyphen's version, whose dictionaries these
        are, and the code that reads them)."""
        return _digest("patterns", str(FORMAT), engine("chapter"), language)

    def _kept(self, key: str, chapter: Chapter) -> SetChapter | None:
        if key in self._read:
            return None  # read once already and found wanting (a broken entry is counted once)
        self._read.add(key)
        payload = self.cache.read("chapters", key)
        if payload is None:
            return None
        try:
            kept = decode_set_chapter(_loads(payload), self._faces, self.cache.shared)  # type: ignore[arg-type]
        except BooksmithError:
            raise  # the build's own error (its time limit, say), not the entry's
        except Exception:  # whatever is wrong with an entry, it is ignored and the chapter set again
            self.cache.counts.broken_entries += 1
            return None
        if kept.chapter.source_line == chapter.line:
            return kept
        # the chapter has moved in the manuscript: its galley is the same but for its line; warnings
        # name lines of their own, so a chapter that gave any is set again to name the right ones
        if kept.diagnostics:
            return None
        return replace(kept, chapter=replace(kept.chapter, source_line=chapter.line))


class ParagraphStore:
    """A chapter's body paragraphs as its last version set them (a typeset.ParagraphMemo), and
    those set now, to be kept with it: each by a digest of what setting it reads besides the
    chapter's key, which its last version shared (its inlines, lines counted from its own, its style
    and its indent)."""

    def __init__(self, kept: dict[str, SetParagraph], counts: CacheCounts) -> None:
        self.kept_settings = kept
        self.counts = counts
        self.made: dict[str, SetParagraph] = {}
        self._styles: dict[int, tuple[TextStyle, str]] = {}  # a few styles serve every paragraph

    def kept(self, inlines: tuple[Inline, ...], style: TextStyle, indent: float,
             line: int) -> SetParagraph | None:
        key = self._key(inlines, style, indent, line)
        found = self.kept_settings.get(key)
        if found is not None:
            self.counts.paragraphs_kept += 1
            self.made[key] = found
        return found

    def keep(self, inlines: tuple[Inline, ...], style: TextStyle, indent: float, line: int,
             setting: SetParagraph) -> None:
        self.made[self._key(inlines, style, indent, line)] = setting

    def _key(self, inlines: tuple[Inline, ...], style: TextStyle, indent: float, line: int) -> str:
        known = self._styles.get(id(style))
        if known is None or known[0] is not style:
            known = self._styles[id(style)] = (style, canonical(style))
        return _digest(canonical(inlines, lines_from=line), known[1], repr(indent))


def galley_lines(chapter: GalleyChapter) -> list[SetLine]:
    """A set chapter's lines in an order fixed by its structure alone (body, heading, paragraph
    variants), so that a line is found again by its place in a chapter kept and read. A line met
    twice is listed twice: which lines are one object depends on how the chapter was made (a
    paragraph taken from its last version is one object wherever it repeats)."""
    lines = [item.line for item in chapter.body if isinstance(item, GalleyLine)]
    lines += [placed.line for placed in chapter.heading_lines]
    lines += [line for settings in chapter.variants.values() for variant in settings.values()
              for line in variant.lines]
    return lines


def canonical(value: object, lines_from: int | None = None) -> str:
    """A text that is the same for equal values in every process (repr() is not: a set's order
    changes with the process's string hashing); with lines_from, every source line is counted
    from that line (a chapter's heading), so that a chapter moved by an edit above it keeps its key."""
    return repr(_plain(value, lines_from))


def _plain(node: object, lines_from: int | None) -> object:
    kind = type(node)
    if kind in (str, int, float, bool) or node is None:
        return node
    if kind is tuple or kind is list:
        return tuple([_plain(item, lines_from) for item in node])  # type: ignore[attr-defined]
    if isinstance(node, (set, frozenset)):
        return ("set", *sorted(repr(_plain(item, lines_from)) for item in node))
    if isinstance(node, dict):
        return ("dict", *[(_plain(key, lines_from), _plain(item, lines_from)) for key, item in node.items()])
    if isinstance(node, Enum):
        return (kind.__name__, node.value)
    if isinstance(node, PurePath):
        return ("path", str(node))
    if is_dataclass(node):
        names = _field_names.get(kind)
        if names is None:
            names = _field_names[kind] = tuple(item.name for item in fields(node))
        plain = [(name, getattr(node, name)) for name in names]
        return (kind.__name__, *[
            (name, value - lines_from if lines_from is not None and name == "line" and isinstance(value, int)
             else _plain(value, lines_from)) for name, value in plain])
    return (kind.__name__, repr(node))


_field_names: dict[type, tuple[str, ...]] = {}


# -- the chapter codec: a galley as plain tuples ------------------------------------------------------
#
# Pickling a novel's galley as objects writes 18 MB in 1.3 s and reads it back in 2.6 s (each small
# frozen dataclass goes through dataclasses' __setstate__), longer than setting it (2.4 s). As
# tables of plain tuples, with every shaped run and piece written once, it writes 15 MB in 0.25 s
# and is read back in 0.36 s. The codec knows each class's fields in order; where a class has
# changed, _codec_fits() is false and chapters are set, not kept, until the codec is brought up to
# date (tests/test_cache.py says so first). A chapter's source lines reach its galley only as
# source_line and in its warnings (ChapterStore._kept relies on it when a chapter has moved).

_FIELDS: dict[type, tuple[str, ...]] = {
    ShapedRun: ("face", "text", "gids", "advances", "texts", "width"),
    Piece: ("run", "size", "link", "rise"),
    PlacedPiece: ("x", "piece", "y"),
    SetLine: ("pieces", "width", "indent", "ratio", "hyphenated", "overfull", "last", "space_em", "notes"),
    GalleyLine: ("line", "paragraph", "index", "count", "kind", "keep_with_next", "figure", "rules"),
    GalleySpace: ("lines",),
    PlacedLine: ("line", "depth"),
    ParagraphVariant: ("change", "lines", "cost"),
    FigureItem: ("path", "x", "width", "height"),
    GalleyChapter: ("kind", "name", "heading_lines", "head", "body", "source_line", "variants"),
    Diagnostic: ("severity", "message", "location", "hint"),
    Location: ("file", "line", "json_path"),
    SetChapter: ("chapter", "diagnostics"),
}


def codec_mismatches() -> list[str]:
    """The classes whose fields are no longer those the codec writes."""
    return [f"{cls.__name__} has {actual}, the cache's codec writes {names}"
            for cls, names in _FIELDS.items()
            if is_dataclass(cls) and (actual := tuple(item.name for item in fields(cls))) != names]


_fits: bool | None = None


def _codec_fits() -> bool:
    global _fits
    if _fits is None:
        _fits = not codec_mismatches()
    return _fits


class _Tables:
    """Faces, shaped runs, pieces and lines, each written once and referred to by number."""

    def __init__(self, known_faces: dict[str, FontFace]) -> None:
        self.known_faces = known_faces
        self.faces: dict[str, int] = {}
        self.runs: dict[int, int] = {}
        self.pieces: dict[int, int] = {}
        self.lines: dict[int, int] = {}
        self.run_rows: list[tuple] = []
        self.piece_rows: list[tuple] = []
        self.line_rows: list[tuple] = []
        self.line_objects: list[SetLine] = []  # each row's line, by the row's number

    def face(self, face: FontFace) -> int:
        name = str(face.path)
        if self.known_faces.get(name) is not face:
            raise _NotKept  # a face outside the hashed chain: its bytes are not in the key
        return self.faces.setdefault(name, len(self.faces))

    def run(self, run: ShapedRun) -> int:
        number = self.runs.get(id(run))
        if number is None:
            number = self.runs[id(run)] = len(self.run_rows)
            self.run_rows.append((self.face(run.face), run.text, run.gids, run.advances, run.texts,
                                  run.width))
        return number

    def piece(self, piece: Piece) -> int:
        number = self.pieces.get(id(piece))
        if number is None:
            number = self.pieces[id(piece)] = len(self.piece_rows)
            run = -1 if piece.run is None else self.run(piece.run)
            self.piece_rows.append((run, piece.size, piece.link, piece.rise))
        return number

    def line(self, line: SetLine) -> int:
        number = self.lines.get(id(line))
        if number is None:
            flat: list = []
            pieces, piece = self.pieces, self.piece  # a piece is most often one written before
            for placed in line.pieces:
                found = pieces.get(id(placed.piece))
                flat.extend((placed.x, piece(placed.piece) if found is None else found, placed.y))
            number = self.lines[id(line)] = len(self.line_rows)
            self.line_rows.append((tuple(flat), line.width, line.indent, line.ratio, line.hyphenated,
                                   line.overfull, line.last, line.space_em, line.notes))
            self.line_objects.append(line)
        return number

    def rows(self) -> tuple:
        faces = tuple(sorted(self.faces, key=self.faces.__getitem__))
        return faces, self.run_rows, self.piece_rows, self.line_rows


class _NotKept(Exception):
    pass


def encode_set_chapter(made: SetChapter, faces: dict[str, FontFace],
                       paragraphs: dict[str, SetParagraph]) -> tuple | None:
    """A set chapter as plain data to store: its lines (their pieces counted, not listed), its rows,
    its body paragraphs by their keys (ParagraphStore), the glyphs of its runs per face, and apart,
    pickled on their own, its tables of runs and pieces and each line's pieces (a rebuild that finds
    the lines' drawings kept never reads those). None where the codec cannot carry it (a face
    outside `faces`, classes it no longer knows)."""
    if not _codec_fits():
        return None
    tables = _Tables(faces)
    try:
        rows = _chapter_rows(made, tables)
        index = {key: (tuple(tables.line(line) for line in setting.lines),
                       {change: (tuple(tables.line(line) for line in variant.lines), variant.cost)
                        for change, variant in setting.variants.items()})
                 for key, setting in paragraphs.items()}
    except _NotKept:
        return None
    face_names, run_rows, piece_rows, line_rows = tables.rows()
    glyphs = _glyphs_of_rows(face_names, run_rows)
    lines = [(len(flat) // 3, *rest) for flat, *rest in line_rows]
    pieces = _dumps((face_names, run_rows, piece_rows, [row[0] for row in line_rows]))
    return (lines, *rows, index, {face: tuple(sorted(found)) for face, found in glyphs.items()}, pieces)


def decode_set_chapter(data: tuple, faces: dict[str, FontFace], shared: dict[tuple, object]) -> SetChapter:
    """A chapter from its rows. Its lines' pieces are made when they are first wanted (KeptPieces):
    a rebuild that finds a line's drawing kept never wants them. Its shaped runs and pieces are
    shared with the chapters read before it (through `shared`), as a book set in one go shares them:
    a word set once per book, not once per chapter, which keeps a novel's galley 30 MB smaller."""
    line_rows, *rows, _index, glyphs, pieces = data
    return _decode_chapter_rows(tuple(rows), _kept_lines(line_rows, pieces, faces, shared, glyphs))


def decode_paragraphs(data: tuple, faces: dict[str, FontFace],
                      shared: dict[tuple, object]) -> dict[str, SetParagraph]:
    """A kept chapter's body paragraphs, by their keys (ParagraphStore), each as it was set."""
    line_rows, *_rows, index, glyphs, pieces = data
    lines = _kept_lines(line_rows, pieces, faces, shared, glyphs)
    return {key: SetParagraph([lines[row] for row in chosen],
                              {change: ParagraphVariant(change, tuple(lines[row] for row in other), cost)
                               for change, (other, cost) in variants.items()})
            for key, (chosen, variants) in index.items()}


def _kept_lines(line_rows: list[tuple], pieces: bytes, faces: dict[str, FontFace],
                shared: dict[tuple, object], glyphs: dict[str, tuple[tuple[int, str], ...]]) -> list[SetLine]:
    tables = _KeptTables(pieces, faces, shared, glyphs)
    return [SetLine(KeptPieces(tables, number, count), *rest)
            for number, (count, *rest) in enumerate(line_rows)]


class _KeptTables:
    """A kept chapter's shaped runs and pieces, and each line's pieces, read when the pieces of one of
    its lines are first wanted; and the glyphs of its runs, per face."""

    def __init__(self, payload: bytes, faces: dict[str, FontFace], shared: dict[tuple, object],
                 glyphs: dict[str, tuple[tuple[int, str], ...]]) -> None:
        self.payload: bytes | None = payload
        self.faces = faces
        self.shared = shared
        self.glyphs = {faces[face]: found for face, found in glyphs.items()}
        self.pieces: list[Piece] = []
        self.lines: list[tuple] = []  # each line's pieces: x, piece number, y for each

    def line(self, number: int) -> tuple[PlacedPiece, ...]:
        if self.payload is not None:
            face_names, run_rows, piece_rows, lines = _loads(self.payload)  # type: ignore[misc]
            pieces: list[Piece] = []
            _decode_rows((face_names, run_rows, piece_rows, ()), self.faces, self.shared, ([], pieces, []))
            self.pieces, self.lines, self.payload = pieces, lines, None
        return _placed(self.lines[number], self.pieces)


class _SentTables:
    """The tables behind the lines a ChapterReceiver has taken, as KeptPieces reads them."""

    def __init__(self, receiver: ChapterReceiver) -> None:
        self._receiver = receiver

    @property
    def glyphs(self) -> Glyphs:
        return self._receiver.glyphs

    def line(self, number: int) -> tuple[PlacedPiece, ...]:
        return _placed(self._receiver.flats[number], self._receiver.pieces)


class KeptPieces(Sequence[PlacedPiece]):
    """A kept line's pieces (or a line sent by another process), made when first wanted: read, a
    tuple of PlacedPiece as set."""

    __slots__ = ("_count", "_made", "_number", "_tables")

    def __init__(self, tables: _KeptTables | _SentTables, number: int, count: int) -> None:
        self._tables = tables
        self._number = number  # the line's place in its chapter's tables
        self._count = count
        self._made: tuple[PlacedPiece, ...] | None = None

    @property
    def tables(self) -> _KeptTables | _SentTables:
        return self._tables

    def _pieces(self) -> tuple[PlacedPiece, ...]:
        if self._made is None:
            self._made = self._tables.line(self._number)
        return self._made

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        return self._pieces()[index]

    def __iter__(self) -> Iterator[PlacedPiece]:
        return iter(self._pieces())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and self._pieces() == tuple(other)

    def __hash__(self) -> int:
        return hash(self._pieces())

    def __repr__(self) -> str:
        return repr(self._pieces())


def galley_glyphs(chapters: Iterable[GalleyChapter]) -> Glyphs:
    """The glyphs of every line of these set chapters (their paragraph variants' too), per face:
    from its cache entry for a chapter read from one, else from its lines' pieces."""
    kept: dict[int, _KeptTables | _SentTables] = {}
    made: list[Sequence[PlacedPiece]] = []
    for chapter in chapters:
        for line in galley_lines(chapter):
            if isinstance(line.pieces, KeptPieces):
                kept.setdefault(id(line.pieces.tables), line.pieces.tables)
            else:
                made.append(line.pieces)
    glyphs: Glyphs = {}
    for tables in kept.values():
        for face, found in tables.glyphs.items():
            glyphs.setdefault(face, set()).update(found)
    pieces = {id(placed.piece): placed.piece for line in made for placed in line}
    return run_glyphs((run for piece in pieces.values() if (run := piece.run) is not None), glyphs)


def add_glyphs(glyphs: Glyphs, more: Glyphs) -> None:
    """`more` added into `glyphs`."""
    for face, found in more.items():
        glyphs.setdefault(face, set()).update(found)


def _glyphs_of_rows(face_names: tuple[str, ...], run_rows: list[tuple]) -> dict[str, set[tuple[int, str]]]:
    """The glyphs of these shaped runs' rows, by their faces' names."""
    glyphs: dict[str, set[tuple[int, str]]] = {}
    for face, _text, gids, _advances, texts, _width in run_rows:
        glyphs.setdefault(face_names[face], set()).update(zip(gids, texts))
    return glyphs


class ChapterSender:
    """Chapters sent one at a time to another process, as they are set: each message holds the rows
    of the tables (runs, pieces, lines) that the chapter adds to those sent before it, so a word
    set in many chapters is sent once."""

    def __init__(self, faces: dict[str, FontFace]) -> None:
        self.tables = _Tables(faces)
        self.sent = (0, 0, 0)

    def message(self, number: int, made: SetChapter) -> tuple | None:
        """Chapter `number` as a message for ChapterReceiver.take(); None where the codec cannot
        carry it (its rows so far stay in the tables, unreferred to, and go with the next message)."""
        if not _codec_fits():
            return None
        try:
            rows = _chapter_rows(made, self.tables)
        except _NotKept:
            return None
        faces, runs, pieces, lines = self.tables.rows()
        first_run, first_piece, first_line = self.sent
        self.sent = (len(runs), len(pieces), len(lines))
        return faces, runs[first_run:], pieces[first_piece:], lines[first_line:], number, rows

    def line(self, row: int) -> SetLine:
        """The line sent as this row (ChapterReceiver.rows gives the other end's rows)."""
        return self.tables.line_objects[row]


class ChapterReceiver:
    """The other end of a ChapterSender: its messages, in the order sent, back into chapters."""

    def __init__(self, faces: dict[str, FontFace]) -> None:
        self.faces = faces
        self.runs: list[ShapedRun] = []
        self.pieces: list[Piece] = []
        self.lines: list[SetLine] = []
        self.flats: list[tuple] = []  # each line's pieces as sent: x, piece number and y for each
        self.shared: dict[tuple, object] = {}
        self.chapters: dict[int, SetChapter] = {}
        self.glyphs: Glyphs = {}  # of every run sent, so of every line of the chapters sent
        self._tables = _SentTables(self)

    def take(self, message: tuple) -> None:
        *tables, number, rows = message
        face_names, run_rows, piece_rows, line_rows = tables
        _decode_rows((face_names, run_rows, piece_rows, ()), self.faces, self.shared,
                     (self.runs, self.pieces, self.lines))
        # a line's pieces are made only when wanted: the child that sent them draws them itself
        for flat, *rest in line_rows:
            self.lines.append(SetLine(KeptPieces(self._tables, len(self.flats), len(flat) // 3), *rest))
            self.flats.append(flat)
        self.chapters[number] = _decode_chapter_rows(rows, self.lines)
        sent = _glyphs_of_rows(tables[0], tables[1])
        add_glyphs(self.glyphs, {self.faces[name]: found for name, found in sent.items()})

    def rows(self) -> dict[int, int]:
        """Each line taken, by the identity of its pieces here: its row (ChapterSender.line)."""
        return {id(line.pieces): row for row, line in enumerate(self.lines)}


def _chapter_rows(made: SetChapter, tables: _Tables) -> tuple:
    """A chapter's own rows, referring to `tables` for its lines (raises _NotKept for a face outside
    the hashed chain)."""
    chapter = made.chapter
    body = [item.lines if isinstance(item, GalleySpace) else
            (tables.line(item.line), item.paragraph, item.index, item.count, item.kind,
             item.keep_with_next, _figure_row(item.figure), item.rules) for item in chapter.body]
    heading = [(tables.line(placed.line), placed.depth) for placed in chapter.heading_lines]
    variants = {number: {change: (variant.change, tuple(tables.line(line) for line in variant.lines),
                                  variant.cost) for change, variant in settings.items()}
                for number, settings in chapter.variants.items()}
    problems = tuple(_diagnostic_row(diagnostic) for diagnostic in made.diagnostics)
    return body, heading, variants, chapter.kind, chapter.source_line, problems


def _figure_row(figure: FigureItem | None) -> tuple | None:
    return None if figure is None else (str(figure.path), figure.x, figure.width, figure.height)


def _diagnostic_row(diagnostic: Diagnostic) -> tuple:
    where = diagnostic.location
    place = None if where is None else (
        None if where.file is None else str(where.file), where.line, where.json_path)
    return diagnostic.severity.value, diagnostic.message, place, diagnostic.hint


def _decode_rows(tables: tuple, known_faces: dict[str, FontFace], shared: dict[tuple, object],
                 into: tuple[list[ShapedRun], list[Piece], list[SetLine]]) -> None:
    """Rows of runs, pieces and lines appended to those decoded before them (rows refer to earlier
    rows by their place in these lists)."""
    face_names, run_rows, piece_rows, line_rows = tables
    runs, pieces, lines = into
    for face, *rest in run_rows:
        name = face_names[face]
        run = shared.get((name, *rest))
        if run is None:
            run = shared[(name, *rest)] = ShapedRun(known_faces[name], *rest)
        runs.append(run)
    for number, size, link, rise in piece_rows:
        run = None if number < 0 else runs[number]
        piece = shared.get((id(run), size, link, rise))
        if piece is None:
            piece = shared[(id(run), size, link, rise)] = Piece(run, size, link, rise)  # type: ignore[assignment]
        pieces.append(piece)  # type: ignore[arg-type]
    lines.extend([SetLine(_placed(flat, pieces), *rest) for flat, *rest in line_rows])


def _placed(flat: tuple, pieces: list[Piece]) -> tuple[PlacedPiece, ...]:
    """A line's pieces from its row: x, piece number and y for each."""
    return tuple(map(PlacedPiece, flat[0::3], map(pieces.__getitem__, flat[1::3]), flat[2::3]))


def _decode_chapter_rows(rows: tuple, lines: list[SetLine]) -> SetChapter:
    body, heading, variants, kind, source_line, problems = rows
    items = tuple(GalleySpace(row) if isinstance(row, int) else
                  GalleyLine(lines[row[0]], row[1], row[2], row[3], row[4], row[5], _figure(row[6]), row[7])
                  for row in body)
    placed_heading = tuple(PlacedLine(lines[number], depth) for number, depth in heading)
    settings = {number: {change: ParagraphVariant(moved, tuple(lines[line] for line in chosen), cost)
                         for change, (moved, chosen, cost) in by_change.items()}
                for number, by_change in variants.items()}
    chapter = GalleyChapter(kind, "", placed_heading, None, items, source_line, settings)
    return SetChapter(chapter, tuple(_diagnostic(row) for row in problems))


def _figure(row: tuple | None) -> FigureItem | None:
    return None if row is None else FigureItem(Path(row[0]), row[1], row[2], row[3])


def _diagnostic(row: tuple) -> Diagnostic:
    severity, message, place, hint = row
    where = None if place is None else Location(
        None if place[0] is None else Path(place[0]), place[1], place[2])
    return Diagnostic(Severity(severity), message, where, hint)

