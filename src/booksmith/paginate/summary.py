"""The typographic summary: word spacing, hyphens, runts and even spreads, gathered while the pages
are made, for the report `booksmith build` prints."""

from __future__ import annotations

import statistics
from collections import Counter

from booksmith.pagemodel import Page, TypographySummary
from booksmith.preset import Preset
from booksmith.typeset.lines import GalleyLine

LOOSE_FACTOR = 1.5


class SummaryCollector:
    def __init__(self, preset: Preset, natural_space_em: float) -> None:
        self.preset = preset
        self.natural = natural_space_em
        self.spaces: list[float] = []
        self.body_lines = 0
        self.hyphenated = 0
        self.ladder = 0
        self.longest_ladder = 0
        self.runts = 0
        self.variants: Counter[int] = Counter()
        self.rule_breaks = 0

    def add_page(self, rows: list) -> None:
        for row in rows:
            if isinstance(row, GalleyLine) and row.kind != "scene-break":
                self._add_line(row)

    def _add_line(self, row: GalleyLine) -> None:
        line = row.line
        self.body_lines += 1
        if line.space_em is not None and not line.last:
            self.spaces.append(line.space_em)
        if line.hyphenated:
            self.hyphenated += 1
            self.ladder += 1
            self.longest_ladder = max(self.longest_ladder, self.ladder)
        else:
            self.ladder = 0
        if line.last and row.count > 1 and line.width < self.preset.linebreak.runt_width:
            self.runts += 1

    def finish(self, pages: list[Page]) -> TypographySummary:
        spaces = sorted(self.spaces) or [self.natural]
        p95 = spaces[min(len(spaces) - 1, int(len(spaces) * 0.95))]
        loose = sum(1 for space in spaces if space > LOOSE_FACTOR * self.natural) / len(spaces)
        spreads, uneven = self._spreads(pages)
        return TypographySummary(
            pages=len(pages),
            body_lines=self.body_lines,
            hyphenated_lines=self.hyphenated,
            longest_hyphen_ladder=self.longest_ladder,
            runts=self.runts,
            uneven_spreads=uneven,
            spreads=spreads,
            space_median_em=statistics.median(spaces),
            space_p95_em=p95,
            natural_space_em=self.natural,
            loose_line_share=loose,
            paragraphs_longer=self.variants[1],
            paragraphs_shorter=self.variants[-1],
            rule_breaks=self.rule_breaks,
        )

    @staticmethod
    def _spreads(pages: list[Page]) -> tuple[int, int]:
        """Facing text pages (a verso and its recto, neither ending a chapter) and how many of them
        end on different baselines."""
        spreads = uneven = 0
        for verso, recto in zip(pages[1::2], pages[2::2]):
            if verso.kind != "text" or recto.kind != "text" or verso.chapter != recto.chapter:
                continue
            following = pages[recto.number] if recto.number < len(pages) else None
            if following is None or following.chapter != recto.chapter or following.kind != "text":
                continue  # the recto ends its chapter
            spreads += 1
            if _last_baseline(verso) != _last_baseline(recto):
                uneven += 1
        return spreads, uneven


def _last_baseline(page: Page) -> float:
    body = [line.y for line in page.lines if line.role in ("body", "quote")]
    return round(min(body), 2) if body else 0.0
