"""Right to left on desk pages in Hebrew (codes and signed numbers isolated left to right, typed text in
its own direction), 24-hour times in el/pl/he, and a language picker that offers only complete catalogs."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from emporos.locale import offered
from emporos.shop import selectors as shop
from tests.conftest import place

pytestmark = pytest.mark.django_db
LTR = '<bdi dir="ltr" class="ltr">'


def render(source: str, **context: Any) -> str:
    return Template("{% load desk %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, f"{LTR}+5</bdi>"), (-3, f"{LTR}-3</bdi>"), (0, f"{LTR}0</bdi>"), (Decimal("1250"), f"{LTR}+1,250</bdi>")],
    ids=["up", "down", "zero", "grouped"],
)
def test_a_signed_change_reads_left_to_right(value: Any, expected: str) -> None:
    with translation.override("he"):
        assert render("{{ value|signed }}", value=value) == expected


def test_codes_are_isolated_left_to_right_and_typed_text_in_its_own_direction() -> None:
    out = render(
        "{{ sku|ltr }} {{ name|isolate }} {{ empty|ltr }}{{ empty|isolate }}", sku="TEA-100", name="<b>", empty=""
    )
    assert out == f"{LTR}TEA-100</bdi> <bdi>&lt;b&gt;</bdi> "


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "€16.00"), ("el", "16,00\xa0€"), ("pl", "16,00\xa0€"), ("he", "\u200f16.00\xa0\u200f€")],
    ids=["en", "el", "pl", "he"],
)
def test_desk_money_is_babels(language: str, expected: str) -> None:
    with translation.override(language):
        assert render("{{ amount|money:'EUR' }}", amount=Decimal("16")) == expected


@pytest.mark.parametrize("language", ["el", "pl", "he"])
def test_desk_moments_are_on_a_24_hour_clock(language: str) -> None:
    at_1505 = dt.datetime(2026, 12, 4, 15, 5, tzinfo=shop.time_zone())  # 15:05 in the shop's time zone
    with translation.override(language):
        out = render("{{ at|moment }}|{{ at|short_moment }}|{{ at|clock_time }}", at=at_1505)
    assert re.fullmatch(r"[^|]* 15:05\|[^|]* 15:05\|15:05", out), out


@pytest.mark.parametrize("language", ["el", "pl", "he"])
@pytest.mark.parametrize("name", ["TIME_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"])
def test_djangos_own_formats_are_24_hour_too(language: str, name: str) -> None:
    at_1505 = dt.datetime(2026, 12, 4, 15, 5)
    with translation.override(language):
        assert "15:05" in date_format(at_1505, name)


def test_an_order_page_in_hebrew_isolates_codes_phones_and_the_address(
    owner: Client, catalog: None, api: Client
) -> None:
    number = place(
        api,
        shipping_address={
            "name": "Μαρία Παπαδοπούλου",
            "line1": "Ερμού 10",
            "city": "Αθήνα",
            "postal_code": "115 22",
            "country": "GR",
            "phone": "+306912345678",
        },
    )
    owner.cookies[settings.LANGUAGE_COOKIE_NAME] = "he"

    body = owner.get(f"/orders/{number}/").content.decode()

    assert '<html lang="he" dir="rtl">' in body
    assert '<bdi class="order-address__place">115 22 Αθήνα</bdi>' in body
    assert f'<a href="tel:+306912345678">{LTR}+306912345678</bdi></a>' in body
    assert f'<td class="mono">{LTR}TEA-100</bdi></td>' in body
    assert f"{LTR}maria@example.gr</bdi>" in body
    assert "<bdi>Μαρία Παπαδοπούλου</bdi>" in body


def test_the_ledger_shows_a_stock_change_as_plus_five_left_to_right(owner: Client, catalog: None) -> None:
    from tests.conftest import stock

    stock("TEA-100", 15)  # from 10: +5
    owner.cookies[settings.LANGUAGE_COOKIE_NAME] = "he"

    body = owner.get("/inventory/TEA-100/").content.decode()

    assert f'<span class="delta delta--up">{LTR}+5</bdi></span>' in body


def _picker(body: str) -> list[str]:
    select = re.search(r'<select id="language-select".*?</select>', body, re.S)
    assert select
    return re.findall(r'<option value="(\w+)"', select.group(0))


def test_the_picker_offers_every_complete_language(owner: Client) -> None:
    assert _picker(owner.get("/").content.decode()) == ["en", "el", "pl", "he"]


def test_a_language_under_100_percent_is_not_offered_english_always_is(
    owner: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    shares = {"en": 0, "el": 100, "pl": 99, "he": 40}
    monkeypatch.setattr(offered, "completeness", lambda language: shares[language])

    assert offered.offered_languages() == ["en", "el"]
    assert _picker(owner.get("/").content.decode()) == ["en", "el"]


def test_the_portal_picker_offers_the_same_languages(monkeypatch: pytest.MonkeyPatch, client: Client) -> None:
    monkeypatch.setattr(offered, "completeness", lambda language: {"el": 100, "pl": 0, "he": 100}[language])

    body = client.get("/status/").content.decode()

    assert re.findall(r'<a href="\?lang=(\w+)" hreflang', body) == ["en", "el", "he"]


def test_completeness_is_read_from_the_catalogs() -> None:
    offered.completeness.cache_clear()
    assert offered.completeness("en") == 100
    assert offered.completeness("xx") == 0
    assert all(0 <= offered.completeness(code) <= 100 for code in ("el", "pl", "he"))
