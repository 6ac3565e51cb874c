"""Text rules shared by every service and interface: what a name, a note or a code may contain,
and the normalised forms used for matching and search.

A value is refused, never cleaned silently, so the sender learns what was wrong with it:
- control characters (NUL and the rest of C0 and C1) break storage (PostgreSQL refuses NUL) and
  screens; free text that may span lines (notes, messages) keeps tab and line breaks;
- bidirectional override and isolate characters (U+202A-U+202E, U+2066-U+2069) make a name or a
  note display in another order than it reads ("Trojan Source");
- lone surrogates cannot be stored as UTF-8.
Codes (SKUs, product and location codes) are letters, digits, '-', '_' and '.', starting with a
letter or a digit, so they are safe in a URL path, a file name and a spreadsheet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.validators import RegexValidator

from emporos.core.errors import ErrorCollector

_CONTROL = "\\x00-\\x1f\\x7f-\\x9f"
_CONTROL_BUT_LINES = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
_BIDI = "\\u202a-\\u202e\\u2066-\\u2069"
_SURROGATES = "\\ud800-\\udfff"

# The same rules as JSON Schema patterns (the API documents them); Python's re reads them alike.
SINGLE_LINE_PATTERN = f"^[^{_CONTROL}{_BIDI}{_SURROGATES}]*$"
MULTILINE_PATTERN = f"^[^{_CONTROL_BUT_LINES}{_BIDI}{_SURROGATES}]*$"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"

_FORBIDDEN_SINGLE_LINE = re.compile(f"[{_CONTROL}{_BIDI}{_SURROGATES}]")
_FORBIDDEN_MULTILINE = re.compile(f"[{_CONTROL_BUT_LINES}{_BIDI}{_SURROGATES}]")
# In Python, "$" also matches before a final line break ("TEA-9\n"): whole-string matches only.
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# For model fields (the admin's forms); the same rule as code_problem.
CODE_VALIDATOR = RegexValidator(
    r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z",
    "Use letters, digits, '-', '_' and '.', starting with a letter or a digit.",
    code="invalid_code",
)


@dataclass(frozen=True)
class TextProblem:
    """Why a text is refused: a stable code and a sentence that says how to fix it."""

    code: str
    message: str


def text_problem(value: str, *, multiline: bool = False) -> TextProblem | None:
    """The first character `value` may not contain, as a problem; None when the text is fine."""
    found = (_FORBIDDEN_MULTILINE if multiline else _FORBIDDEN_SINGLE_LINE).search(value)
    if found is None:
        return None
    char, position = found.group(), found.start() + 1
    point = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return TextProblem(
            "bidi_control",
            f"Remove the bidirectional control character {point} (character {position}): it makes text "
            "display in another order than it reads.",
        )
    if "\ud800" <= char <= "\udfff":
        return TextProblem(
            "invalid_unicode", f"Character {position} is a lone surrogate ({point}), not a character; send UTF-8 text."
        )
    allowed = "only tab and line breaks are allowed" if multiline else "no control characters are allowed here"
    return TextProblem("control_character", f"Remove the control character {point} (character {position}); {allowed}.")


def code_problem(value: str, *, max_length: int, what: str = "code") -> TextProblem | None:
    """Why `value` is not a usable code (SKU, product or location code); None when it is."""
    if not value:
        return TextProblem("required", f"Give the {what}.")
    if len(value) > max_length:
        return TextProblem("too_long", f"A {what} has at most {max_length} characters; this one has {len(value)}.")
    if not _CODE.fullmatch(value):
        return TextProblem(
            "invalid_code",
            f"A {what} may contain only letters A-Z and a-z, digits, '-', '_' and '.', and starts with a letter "
            f"or a digit, e.g. TEA-100.",
        )
    return None


def check_text(
    errors: ErrorCollector,
    field: str,
    value: str,
    *,
    max_length: int,
    multiline: bool = False,
    required: bool = False,
) -> None:
    """Add at most one error for `field` when `value` breaks the text rules or its column's length."""
    problem = text_problem(value, multiline=multiline)
    if problem is not None:
        errors.add(field, problem.code, problem.message)
    elif required and not value.strip():
        errors.add(field, "required", f"Give the {field.rsplit('.', 1)[-1].replace('_', ' ')}.")
    elif len(value) > max_length:
        errors.add(field, "too_long", f"At most {max_length} characters; this has {len(value)}.")


def check_code(errors: ErrorCollector, field: str, value: str, *, max_length: int, what: str = "code") -> None:
    """Add an error for `field` when `value` is not a usable code."""
    problem = code_problem(value, max_length=max_length, what=what)
    if problem is not None:
        errors.add(field, problem.code, problem.message)


# Letters with a stroke or ligatures that Unicode does not decompose into a base letter and a mark,
# written as a person without the key types them: 'Jabłoński' is searched as 'Jablonski'.
_UNDECOMPOSED = str.maketrans(
    {
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "ħ": "h",
        "ŧ": "t",
        "ı": "i",
        "ŀ": "l",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ς": "σ",  # Greek final sigma: the same letter as σ
    }
)


def search_form(value: str) -> str:
    """Lower case, accents, Greek tonos and Hebrew points removed, letters like 'ł' written as their
    base letter, spaces folded: 'Μαρία  Π.' -> 'μαρια π.', 'Jabłoński' -> 'jablonski', 'כֹּהֵן' -> 'כהן'.

    It can be longer than `value` ('ß' -> 'ss', 'ﬃ' -> 'ffi', 'æ' -> 'ae'): check its length before
    storing it. Customers' stored search names follow this function (customers migration 0005
    rewrote them when 'ł' and its kind were added); change it together with a migration like it.
    """
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.translate(_UNDECOMPOSED).split())
