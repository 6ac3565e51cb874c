"""The staff UI's catalogs (el, pl, he): well formed, compiled, and every placeholder kept.

Refresh and compile them with `make messages`; this test fails when a .po was edited but not compiled.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

import emporos.locale

LOCALE = Path(emporos.locale.__file__).resolve().parent

# language: (least share translated in percent, number of plural forms)
LANGUAGES = {"el": (100, 2), "pl": (100, 3), "he": (100, 2)}

# A Python %-placeholder as gettext and blocktranslate write them: %(name)s, %(count)d...
PLACEHOLDER = re.compile(r"%\((?P<name>\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")

Key = tuple[str | None, str]
Translation = str | tuple[str, ...]


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def load(language: str) -> polib.POFile:
    return polib.pofile(str(po_path(language)))


def translations(catalog: polib.POFile | polib.MOFile) -> dict[Key, Translation]:
    """msgid (with its context) -> msgstr, or every plural form in order, for each translated entry."""
    table: dict[Key, Translation] = {}
    for entry in catalog.translated_entries():
        if not entry.msgid:  # the header
            continue
        if entry.msgid_plural:
            table[entry.msgctxt, entry.msgid] = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            table[entry.msgctxt, entry.msgid] = entry.msgstr
    return table


def placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def formats(text: str) -> bool:
    """Whether `%` with its placeholders filled works on `text`, as blocktranslate and gettext callers do."""
    try:
        text % {match.group("name"): "x" for match in PLACEHOLDER.finditer(text)}
    except (KeyError, ValueError, TypeError):
        return False
    return True


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_parses_with_a_complete_header(language: str) -> None:
    catalog = load(language)
    _share, nplurals = LANGUAGES[language]
    assert len(catalog) > 300  # the desk's strings were extracted
    assert not catalog.metadata_is_fuzzy  # a fuzzy header makes Django skip the whole catalog
    assert catalog.metadata["Language"] == language
    assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert catalog.metadata["Plural-Forms"].startswith(f"nplurals={nplurals}; plural=")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy_or_obsolete(language: str) -> None:
    catalog = load(language)
    assert [entry.msgid for entry in catalog if entry.fuzzy] == []
    assert [entry.msgid for entry in catalog.obsolete_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_entries_have_one_form_per_plural_of_the_language(language: str) -> None:
    _share, nplurals = LANGUAGES[language]
    wrong = {
        entry.msgid: sorted(entry.msgstr_plural)
        for entry in load(language)
        if entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(nplurals))
    }
    assert wrong == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language: str) -> None:
    wrong = []
    for entry in load(language).translated_entries():
        expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        # Same placeholders, and `%` still works where it is applied (a stray "%" breaks it).
        wrong += [
            (entry.msgid, text)
            for text in forms
            if placeholders(text) != expected or ("python-format" in entry.flags and not formats(text))
        ]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_the_po(language: str) -> None:
    po = load(language)
    mo_path = po_path(language).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages` (or python -m emporos.locale.compile)"
    mo = polib.mofile(str(mo_path))
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]
    assert translations(mo) == translations(po), "the .mo is stale: run python -m emporos.locale.compile"


@pytest.mark.parametrize("language", LANGUAGES)
def test_enough_is_translated(language: str) -> None:
    least, _nplurals = LANGUAGES[language]
    assert load(language).percent_translated() >= least


def test_greek_is_complete() -> None:
    catalog = load("el")
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert catalog.percent_translated() == 100


def test_hebrew_arrows_point_the_right_to_left_way() -> None:
    """ "Next page →" leads forward, which is to the left in Hebrew: "הדף הבא ←"."""
    flipped = {"←": "→", "→": "←"}
    wrong = [
        (entry.msgid, entry.msgstr)
        for entry in load("he").translated_entries()
        if (entry.msgid[0] in flipped and not entry.msgstr.startswith(flipped[entry.msgid[0]]))
        or (entry.msgid[-1] in flipped and not entry.msgstr.endswith(flipped[entry.msgid[-1]]))
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("el", "Εκκρεμείς παραγγελίες"), ("pl", "Zamówienia oczekujące"), ("he", "הזמנות ממתינות")],
)
def test_django_finds_the_compiled_catalog(language: str, expected: str) -> None:
    with translation.override(language):
        assert translation.gettext("Orders waiting") == expected
