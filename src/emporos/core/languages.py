"""Languages by name, not code: "Greek" to an English reader, "Ελληνικά" in its own name (Babel)."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from django.utils import translation


def _capitalised(name: str) -> str:
    # Polish writes language names in lower case ("grecki"); in a list or a label it opens a line.
    return name[:1].upper() + name[1:]


def name_of(code: str, *, reader: str | None = None) -> str:
    """The name of the language `code` in the `reader`'s language (the active one when None):
    name_of("el", reader="en") == "Greek", name_of("he", reader="pl") == "Hebrajski".
    An unknown code reads as itself."""
    reader_code = (reader or translation.get_language() or "en").split("-")[0]
    try:
        name = Locale.parse(code.split("-")[0]).get_display_name(Locale.parse(reader_code))
    except (ValueError, UnknownLocaleError):
        return code
    return _capitalised(name) if name else code


def own_name(code: str) -> str:
    """The language's name in itself, so whoever reads it finds their own: "Ελληνικά", "עברית"."""
    return name_of(code, reader=code)
