"""Which languages the pickers offer: English, and each language whose catalog is wholly translated.

A page half in English and half in Polish helps no one, so a catalog under 100% stays out of the
desk's and the portal's language pickers until its last string is translated. The share is read
from the .po catalog beside the compiled one, once per process.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info

HERE = Path(__file__).resolve().parent

# The language the code is written in: complete by definition.
SOURCE_LANGUAGE = "en"


@functools.cache
def completeness(language: str) -> int:
    """The share of the language's catalog that is translated, in percent (fuzzy entries count as
    untranslated); 0 when the language has no catalog."""
    if language == SOURCE_LANGUAGE:
        return 100
    path = HERE / language / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return 0
    catalog = polib.pofile(str(path))
    entries = [entry for entry in catalog if not entry.obsolete and entry.msgid]
    if not entries:
        return 0
    translated = sum(1 for entry in entries if entry.translated())
    return translated * 100 // len(entries)


def is_offered(language: str) -> bool:
    return language == SOURCE_LANGUAGE or completeness(language) >= 100


def offered_languages() -> list[str]:
    """The codes of settings.LANGUAGES a picker offers, in their order."""
    return [code for code, _name in settings.LANGUAGES if is_offered(code)]


def languages(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `offered_languages`, each with its code, own name and direction, for the pickers."""
    return {"offered_languages": [get_language_info(code) for code in offered_languages()]}
