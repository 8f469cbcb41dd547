"""Shaping with HarfBuzz: kerning and standard ligatures on, discretionary ligatures off.

Results are cached per (face, text, features) in font units, so a word is shaped once per book
whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import uharfbuzz as hb

from booksmith.fonts.registry import FontFace

BASE_FEATURES: dict[str, bool] = {"kern": True, "liga": True, "clig": True, "dlig": False, "hlig": False}


@dataclass(slots=True, unsafe_hash=True)  # not frozen, to be quick to make: see typeset/items.py
class ShapedRun:
    """Glyphs of one run of text in one face, in font units.

    texts[i] is the text glyph i stands for (a ligature stands for several characters; the second
    and later glyphs of a cluster stand for ''), so the PDF's text layer can say what was written.
    """

    face: FontFace
    text: str
    gids: tuple[int, ...]
    advances: tuple[int, ...]
    texts: tuple[str, ...]
    width: int

    def width_at(self, size: float) -> float:
        return self.width * size / self.face.upem


# a face's glyphs: each glyph, and the text it stands for
Glyphs = dict[FontFace, set[tuple[int, str]]]


def run_glyphs(runs: Iterable[ShapedRun], into: Glyphs | None = None) -> Glyphs:
    """The glyphs of these runs (each run once, however often given), per face, added to `into`."""
    glyphs: Glyphs = {} if into is None else into
    for run in {id(run): run for run in runs}.values():
        glyphs.setdefault(run.face, set()).update(zip(run.gids, run.texts))
    return glyphs


_cache: dict[tuple[str, str, tuple[str, ...], int], ShapedRun] = {}


def shape(face: FontFace, text: str, features: tuple[str, ...] = (), tracking: int = 0) -> ShapedRun:
    """Shape text with the base features plus the named extra ones (e.g. 'smcp', 'onum'); tracking is
    extra advance per glyph in font units (letterspacing for capitals and small caps)."""
    key = (face.key, text, features, tracking)
    found = _cache.get(key)
    if found is None:
        found = _cache[key] = _shape_uncached(face, text, features, tracking)
    return found


def _shape_uncached(face: FontFace, text: str, features: tuple[str, ...], tracking: int) -> ShapedRun:
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(face.hb_font, buffer, _feature_settings(features))
    infos = buffer.glyph_infos
    clusters = [info.cluster for info in infos]
    gids = tuple([info.codepoint for info in infos])
    advances = tuple([position.x_advance + tracking for position in buffer.glyph_positions])
    # most words: a glyph for each character, in order (no ligature, nothing reordered)
    one_each = len(clusters) == len(text) and clusters == [*range(len(text))]
    texts = tuple(text) if one_each else tuple(_cluster_texts(text, clusters))
    return ShapedRun(face, text, gids, advances, texts, sum(advances))


_settings: dict[tuple[str, ...], dict[str, bool]] = {}


def _feature_settings(features: tuple[str, ...]) -> dict[str, bool]:
    """HarfBuzz's feature settings: the base features plus the named ones (made once per set)."""
    found = _settings.get(features)
    if found is None:
        found = _settings[features] = {**BASE_FEATURES, **{feature: True for feature in features}}
    return found


def _cluster_texts(text: str, clusters: list[int]) -> list[str]:
    """The text each glyph stands for: a cluster's characters go to its first glyph."""
    starts = sorted(set(clusters))
    ends = {start: (starts[i + 1] if i + 1 < len(starts) else len(text)) for i, start in enumerate(starts)}
    seen: set[int] = set()
    texts = []
    for cluster in clusters:
        if cluster in seen:
            texts.append("")
        else:
            seen.add(cluster)
            texts.append(text[cluster : ends[cluster]])
    return texts
