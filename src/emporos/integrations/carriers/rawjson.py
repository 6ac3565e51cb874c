"""The exact text of one member of a JSON object, for signatures computed over part of a body.

A carrier that signs the `data` member (BOX NOW) signs the characters it sent; parsing and dumping
the member again would change spacing or key order and break the signature. This walks the
top-level object with the standard library's decoder, so strings containing braces or the member's
own name cannot mislead it.
"""

from __future__ import annotations

import json

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


def raw_member(text: str, name: str) -> str | None:
    """The text of the value of top-level member `name` in the JSON object `text`, exactly as
    written; None when `text` is not an object or has no such member. When a name repeats, the
    last one counts, as it does for `json.loads`."""
    try:
        return _walk(text, name)
    except (ValueError, IndexError):
        return None


def _walk(text: str, name: str) -> str | None:
    position = _skip(text, 0)
    if text[position] != "{":
        return None
    position = _skip(text, position + 1)
    if text[position] == "}":
        return None
    found: str | None = None
    while True:
        key, position = _DECODER.raw_decode(text, position)
        if not isinstance(key, str):
            return None
        position = _skip(text, position)
        if text[position] != ":":
            return None
        start = _skip(text, position + 1)
        _, end = _DECODER.raw_decode(text, start)
        if key == name:
            found = text[start:end]
        position = _skip(text, end)
        if text[position] == "}":
            return found if not text[position + 1 :].strip(_WHITESPACE) else None
        if text[position] != ",":
            return None
        position = _skip(text, position + 1)


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in _WHITESPACE:
        position += 1
    return position
