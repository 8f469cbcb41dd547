"""Hyphenation points from pyphen (the only importer of pyphen), in the book's language."""

from __future__ import annotations

from functools import cache

import pyphen

from booksmith.errors import BooksmithError


@cache
def _dictionary(language: str, left: int, right: int) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=language, left=left, right=right)


def dictionary_for(language: str) -> str:
    """The pyphen dictionary for a language tag such as 'en-GB', 'en', or 'de_DE'."""
    tag = language.replace("-", "_")
    for candidate in (tag, tag.split("_")[0]):
        if candidate in pyphen.LANGUAGES:
            return candidate
    raise BooksmithError(
        f"there is no hyphenation dictionary for the language '{language}'",
        None,
        "Set 'language' in the front matter to a tag such as en-GB, en-US, fr or de, or turn "
        "hyphenation off in the preset (hyphenation/enabled: false).",
    )


# a dictionary's patterns as plain data: each pattern's letters, its first point's offset and its
# values; and the longest pattern's length
Patterns = tuple[dict[str, tuple[int, tuple[int, ...]]], int]


def read_patterns(language: str) -> Patterns | None:
    """The language's patterns as this process has read them, as plain data to keep; None where it
    has not read them, or they hold more than plain numbers (a dictionary with alternatives)."""
    found = pyphen.hdcache.get(pyphen.LANGUAGES[dictionary_for(language)])
    if found is None:
        return None
    values = [value for _start, values in found.patterns.values() for value in values]
    if any(type(value) is not int for value in values):
        return None
    return dict(found.patterns), found.maxlen


def give_patterns(language: str, patterns: Patterns) -> None:
    """Patterns kept from an earlier build (read_patterns()), so that this process and those it
    forks need not read the dictionary again (0.06 s)."""
    path = pyphen.LANGUAGES[dictionary_for(language)]
    if path not in pyphen.hdcache:
        made = pyphen.HyphDict.__new__(pyphen.HyphDict)
        made.patterns, made.cache, made.maxlen = patterns[0], {}, patterns[1]
        pyphen.hdcache[path] = made


class Hyphenator:
    def __init__(self, language: str, left_min: int, right_min: int, min_word: int) -> None:
        # the language is checked now; its patterns (0.1 s to read) are read when a word is first
        # hyphenated, which a build whose chapters all come from the cache never does
        self._found = (dictionary_for(language), left_min, right_min)
        self.min_word = min_word
        self._cache: dict[str, tuple[int, ...]] = {}

    @property
    def dictionary(self) -> pyphen.Pyphen:
        return _dictionary(*self._found)

    def points(self, word: str) -> tuple[int, ...]:
        """Offsets inside word where a hyphen may go (letters only; punctuation around it is kept)."""
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = self._points(word)
        return found

    def _points(self, word: str) -> tuple[int, ...]:
        """Each run of letters is hyphenated on its own, so "Elizabeth’s" breaks inside "Elizabeth"."""
        points: list[int] = []
        for start, letters in _letter_runs(word):
            if len(letters) >= self.min_word:
                points.extend(start + position for position in self.dictionary.positions(letters))
        return tuple(points)


def _letter_runs(word: str) -> list[tuple[int, str]]:
    if word.isalpha():  # most words: no punctuation, digits or apostrophe
        return [(0, word)]
    runs: list[tuple[int, str]] = []
    start = None
    for index, char in enumerate(word + " "):
        if char.isalpha():
            if start is None:
                start = index
        elif start is not None:
            runs.append((start, word[start:index]))
            start = None
    return runs
