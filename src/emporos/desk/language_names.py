"""Languages as the desk shows them: by name in the reader's language, with the language's own
name beside it ("Greek · Ελληνικά"), never as a bare code."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from emporos.core.languages import name_of, own_name


def language_label(code: str) -> SafeString:
    """ "Greek · Ελληνικά" to an English reader, "Ελληνικά" to a Greek one (marked up with `lang`)."""
    name, own = name_of(code), own_name(code)
    if name == own:
        return format_html('<span lang="{}">{}</span>', code, own)
    return format_html('{} · <bdi lang="{}">{}</bdi>', name, code, own)


def language_choices(codes: list[str] | tuple[str, ...]) -> list[tuple[str, SafeString]]:
    return [(code, language_label(code)) for code in codes]
