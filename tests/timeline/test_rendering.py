"""Every kind of timeline entry reads in English, Greek, Polish and Hebrew: no missing translation,
no English left on a Greek, Polish or Hebrew page, no code where a word belongs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from emporos.catalog.models import FulfillmentMode
from emporos.core import formats
from emporos.orders.labels import LABELS
from emporos.outbox.events import event_classes
from emporos.timeline.rendering import kinds, render_text

OTHER_LANGUAGES = ("el", "pl", "he")
GREEK = re.compile(r"[\u0370-\u03ff]")
HEBREW = re.compile(r"[\u0590-\u05ff]")
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# Codes that must never reach a reader: every value of an order's axes, channels, modes, topics.
RAW_CODES = (
    {value for values in LABELS.values() for value in values} | set(FulfillmentMode.values) | set(event_classes())
) - {"email"}  # the channel's code is also how Greek writes the word

CASES = [
    pytest.param(kind.name, example, id=f"{kind.name}-{index}")
    for kind in kinds().values()
    for index, example in enumerate(kind.examples)
]


@pytest.fixture
def looked_up(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every msgid gettext and ngettext are asked for while rendering."""
    asked: list[str] = []
    trans = translation._trans  # type: ignore[attr-defined]
    plain: Callable[[str], str] = trans.gettext
    plural: Callable[[str, str, int], str] = trans.ngettext

    def gettext(message: str) -> str:
        asked.append(message)
        return plain(message)

    def ngettext(singular: str, plural_form: str, number: int) -> str:
        asked.append(singular)
        return plural(singular, plural_form, number)

    monkeypatch.setattr(trans, "gettext", gettext)
    monkeypatch.setattr(trans, "ngettext", ngettext)
    return asked


def untranslated(msgids: list[str], language: str) -> list[str]:
    """The msgids `language`'s catalog has no translation for (gettext would fall back to English)."""
    with translation.override(language):
        catalog = translation.trans_real.translation(language)._catalog  # type: ignore[attr-defined]
        return sorted({msgid for msgid in msgids if not any(key in catalog for key in (msgid, (msgid, 0)))})


def test_every_kind_has_words_and_examples() -> None:
    assert kinds(), "no timeline kinds registered"
    for kind in kinds().values():
        assert kind.examples, f"{kind.name} has no example facts"


@pytest.mark.parametrize(("kind", "example"), CASES)
def test_every_kind_reads_in_four_languages(kind: str, example: dict[str, Any], looked_up: list[str]) -> None:
    english = render_text(kind, example, language="en", time_zone="Europe/Athens")
    assert english.text.strip()
    assert not SNAKE_CASE.search(english.text), english.text

    for language in OTHER_LANGUAGES:
        looked_up.clear()
        words = render_text(kind, example, language=language, time_zone="Europe/Athens")
        assert untranslated(looked_up, language) == [], f"missing {language} translations"
        assert words.text != english.text, f"{language} falls back to English: {words.text}"
        assert words.note == english.note  # what a person typed is shown as typed
        assert not SNAKE_CASE.search(words.text), words.text
        codes = {word for word in re.findall(r"[\w.]+", words.text) if word in RAW_CODES}
        assert codes == set(), f"raw codes in {language}: {words.text}"
        if language == "el":
            assert GREEK.search(words.text), words.text
        if language == "he":
            assert HEBREW.search(words.text), words.text


@pytest.mark.parametrize("language", ["en", *OTHER_LANGUAGES])
def test_money_and_plurals_follow_the_language(language: str) -> None:
    facts = {
        "order_id": 1,
        "number": "EM-10001",
        "channel": "web",
        "has_waiting_lines": False,
        "units": 5,
        "total": "1234.50",
        "currency": "EUR",
        "payment_method": "paypal",
        "payment_status": "paid",
    }
    text = render_text("orders.order_placed", facts, language=language, time_zone="Europe/Athens").text
    expected = {
        "en": "Order placed (Web shop): 5 items, €1,234.50, PayPal (paid).",
        "el": "Νέα παραγγελία (Ηλεκτρονικό κατάστημα): 5 τεμάχια, 1.234,50\xa0€, PayPal (πληρώθηκε).",
        "pl": "Złożono zamówienie (Sklep internetowy): 5 sztuk, 1\xa0234,50\xa0€, PayPal (opłacone).",
        "he": "הזמנה חדשה (חנות אינטרנט): 5 יחידות, \u200f1,234.50\xa0\u200f€, PayPal (שולם).",
    }
    assert text == expected[language]


def test_an_entry_of_an_unknown_kind_still_reads() -> None:
    words = render_text("shipping.gone", {"summary": "Shipped by pigeon."}, language="el", time_zone="UTC")
    assert (words.text, words.note) == ("Παλαιότερη καταχώριση:", "Shipped by pigeon.")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "2 Dec 2026 14:05"), ("el", "2 Δεκ 2026 14:05"), ("pl", "2 gru 2026 14:05"), ("he", "2 בדצמ׳ 2026 14:05")],
)
def test_an_entrys_time_reads_in_the_language_on_a_24_hour_clock(language: str, expected: str) -> None:
    moment = dt.datetime(2026, 12, 2, 12, 5, tzinfo=dt.UTC)  # 14:05 in Athens
    assert formats.datetime(moment, language=language, time_zone="Europe/Athens") == expected
