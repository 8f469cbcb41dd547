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
_DASHES = "\u2014\u2013-"
_ELLIPSIS = re.compile(r"\.\.\.|\. \. \.")


def smarten(text: str, previous: str = "", following: str = "") -> str:
    """Return text with straight quotes curled and dashes and ellipses set; previous and following are
    the characters around this text in the paragraph ('' at its ends)."""
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    text = _ELLIPSIS.sub("\u2026", text)
    text = _HONORIFIC.sub(lambda m: m.group(1) + "." + NBSP, text)
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    before = previous
    for index, char in enumerate(text):
        after = text[index + 1 : index + 6] or following
        if char == '"':
            char = "\u201c" if _opens(before, after) else "\u201d"
        elif char == "'":
            char = _single_quote(before, after)
        out.append(char)
        before = char
    return "".join(out)


def _opens(before: str, after: str) -> bool:
    """A quote opens after space or opening punctuation, except that speech broken off with a dash
    ("Wait--") closes: after a dash, a quote followed by space, punctuation or the end closes."""
    if before not in _OPENING_CONTEXT:
        return False
    broken_off = before != "" and before in _DASHES and not (after and after[0].isalnum())
    return not broken_off


def _single_quote(before: str, after: str) -> str:
    if _opens(before, after) and not _ELISIONS.match(after):
        return "\u2018"
    return "\u2019"
