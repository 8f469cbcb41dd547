"""Typography of the source: curly quotes, dashes, ellipses and tied honorifics.

A SmartyPants-like pass, run span by span with the previous character carried across spans so that
a quote mark opening an italic span ("*Hello*") is judged by what precedes it. Text that is already
curly is left as it is.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
_OPENING_CONTEXT = set(" \t\n\u00a0([{\u2014\u2013\u201c\u2018-/") | {""}
_ELISIONS = re.compile(r"(?i)((tis|twas|twere|twill|em|cause|til|n)\b|\d\d?s\b)")
_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Mx|Dr|St|Messrs|Mme|Mlle|Prof|Rev|Capt|Col|Gen|Lt|Sgt|Hon)\. +(?=\S)")
_ELLIPSIS = re.compile(r"\.\.\.|\. \. \.")


def smarten(text: str, previous: str = "") -> str:
    """Return text with straight quotes curled and dashes and ellipses set; previous is the character
    before this text in the paragraph (or '' at its start)."""
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    text = _ELLIPSIS.sub("\u2026", text)
    text = _HONORIFIC.sub(lambda m: m.group(1) + "." + NBSP, text)
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    before = previous
    for index, char in enumerate(text):
        if char == '"':
            char = "\u201c" if before in _OPENING_CONTEXT else "\u201d"
        elif char == "'":
            char = _single_quote(before, text[index + 1 : index + 6])
        out.append(char)
        before = char
    return "".join(out)


def _single_quote(before: str, after: str) -> str:
    if before in _OPENING_CONTEXT and not _ELISIONS.match(after):
        return "\u2018"
    return "\u2019"


def last_char(text: str, fallback: str) -> str:
    return text[-1] if text else fallback
