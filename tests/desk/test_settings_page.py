"""The owner's settings page: prefilled, saved through update_settings, errors next to their fields."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from emporos.core import clock
from emporos.orders.selectors import order_by_number
from emporos.outbox.models import Event
from emporos.shop.models import ShopSettings
from tests.conftest import place

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    """What a browser posts for a complete, valid settings form."""
    data: dict[str, Any] = {
        "name": "Τσάι του Βουνού",
        "email": "shop@example.gr",
        "address_line": "Ερμού 10",
        "postal_code": "10563",
        "city": "Αθήνα",
        "country": "gr",
        "time_zone": "Europe/Athens",
        "currency": "EUR",
        "languages": ["el", "en"],
        "business_days": ["1", "2", "3", "4", "5", "6"],
        "opens_at": "10:00",
        "closes_at": "14:00",
        "overdue_hours": "3",
        "tone": "formal",
        "form_of_address": "informal",
    }
    data.update(overrides)
    return data


def field_error(body: str, field: str) -> str:
    """The error shown next to `field`, or "" when there is none."""
    found = re.search(rf'<p class="field__error" id="id_{field}_error">([^<]*)</p>', body)
    return found.group(1) if found else ""


def test_form_is_prefilled_with_the_defaults(owner: Client) -> None:
    response = owner.get("/settings/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="name" value="Emporos Shop"' in body
    assert '<option value="Europe/Athens" selected>' in body
    assert '<option value="EUR" selected>' in body
    assert 'name="opens_at" value="09:00"' in body
    assert 'name="closes_at" value="17:00"' in body
    assert 'name="overdue_hours" value="4"' in body
    ticked_days = re.findall(r'name="business_days" value="(\d)" id="[^"]+" checked', body)
    assert ticked_days == ["1", "2", "3", "4", "5"]
    ticked_languages = re.findall(r'name="languages" value="(\w+)" id="[^"]+" checked', body)
    assert ticked_languages == ["en", "el", "pl", "he"]
    assert 'value="polite" required id="id_form_of_address_1" checked' in body
    assert "Not saved yet" in body
    assert not ShopSettings.objects.exists()


def test_time_zones_of_greece_poland_israel_come_first_then_all_sorted(owner: Client) -> None:
    body = owner.get("/settings/").content.decode()
    zones = re.findall(r'<option value="([^"]+)"', body.split('name="time_zone"')[1].split("</select>")[0])
    assert zones[:3] == ["Europe/Athens", "Europe/Warsaw", "Asia/Jerusalem"]
    assert zones[3:] == sorted(zones[3:])
    assert "America/New_York" in zones
    assert len(zones) == len(set(zones))


@pytest.mark.parametrize(
    ("reader", "shown"),
    [
        (
            "en",
            [
                '<span lang="en">English</span>',
                'Greek · <bdi lang="el">Ελληνικά</bdi>',
                'Polish · <bdi lang="pl">Polski</bdi>',
                'Hebrew · <bdi lang="he">עברית</bdi>',
            ],
        ),
        (
            "he",
            [
                'אנגלית · <bdi lang="en">English</bdi>',
                'יוונית · <bdi lang="el">Ελληνικά</bdi>',
                'פולנית · <bdi lang="pl">Polski</bdi>',
                '<span lang="he">עברית</span>',
            ],
        ),
        ("pl", ['Grecki · <bdi lang="el">Ελληνικά</bdi>', '<span lang="pl">Polski</span>']),
    ],
    ids=["en", "he", "pl"],
)
def test_languages_are_named_in_the_readers_language_with_their_own_name(
    owner: Client, reader: str, shown: list[str]
) -> None:
    owner.cookies["django_language"] = reader
    body = owner.get("/settings/").content.decode()
    for label in shown:
        assert label in body
    assert 'value="el"' in body  # the code is only the value sent, never the words shown


def test_the_form_of_address_hints_cover_hebrew(owner: Client) -> None:
    body = owner.get("/settings/").content.decode()
    assert "in Hebrew, words for one person" in body
    assert "in Hebrew, gender-neutral wording" in body


def test_saving_valid_values_stores_them_and_shows_them(owner: Client) -> None:
    saved_at = dt.datetime(2026, 11, 24, 8, 30, tzinfo=dt.UTC)
    with clock.frozen_at(saved_at):
        response = owner.post("/settings/", form_data())
    assert response.status_code == 302
    assert response["Location"] == "/settings/"

    row = ShopSettings.objects.get()
    assert (row.name, row.email, row.address_line, row.postal_code, row.city, row.country) == (
        "Τσάι του Βουνού",
        "shop@example.gr",
        "Ερμού 10",
        "10563",
        "Αθήνα",
        "GR",
    )
    assert (row.time_zone, row.currency, row.languages) == ("Europe/Athens", "EUR", ["en", "el"])
    assert row.business_days == [1, 2, 3, 4, 5, 6]
    assert (row.opens_at, row.closes_at, row.overdue_hours) == (dt.time(10), dt.time(14), Decimal("3.0"))
    assert (row.tone, row.form_of_address) == ("formal", "informal")
    assert (row.updated_at, row.updated_by) == (saved_at, "staff:owner-user")
    event = Event.objects.get(topic="shop.settings_changed")
    assert set(event.payload["changed"]) >= {"name", "business_days", "opens_at", "closes_at", "tone"}
    assert "time_zone" not in event.payload["changed"]

    body = owner.get("/settings/").content.decode()
    assert "Settings saved." in body
    assert 'name="name" value="Τσάι του Βουνού"' in body
    assert 'name="country" value="GR"' in body
    assert 'name="opens_at" value="10:00"' in body
    assert 'name="overdue_hours" value="3.0"' in body
    assert re.findall(r'name="business_days" value="(\d)" id="[^"]+" checked', body) == ["1", "2", "3", "4", "5", "6"]
    assert 'value="formal" required id="id_tone_1" checked' in body
    assert re.search(r"Last changed <time[^>]*>[^<]+</time> by owner-user", body)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"opens_at": "17:00", "closes_at": "09:00"},
            "closes_at",
            "The shop must close after it opens, on the same day.",
        ),
        ({"business_days": []}, "business_days", "Tick at least one working day."),
        ({"overdue_hours": "0"}, "overdue_hours", "Give between 0.5 and 240 working hours, e.g. 4."),
        ({"overdue_hours": "2.25"}, "overdue_hours", "Use at most one decimal, e.g. 4.5."),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Pick a time zone from the list, e.g. “Europe/Athens”."),
        ({"languages": []}, "languages", "Pick at least one of en, el, pl, he."),
        (
            {"country": "GRC"},
            "country",
            "Use the two-letter country code, e.g. &quot;GR&quot;, &quot;PL&quot; or &quot;IL&quot;.",
        ),
        ({"email": "not-an-address"}, "email", None),
    ],
    ids=[
        "closes-before-opens",
        "no-working-day",
        "zero-overdue-hours",
        "two-decimals",
        "unknown-time-zone",
        "no-language",
        "three-letter-country",
        "bad-email",
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(
    owner: Client, overrides: dict[str, Any], field: str, message: str | None
) -> None:
    response = owner.post("/settings/", form_data(**overrides))
    body = response.content.decode()
    assert response.status_code == 400
    if message is None:
        assert field_error(body, field)
    else:
        assert field_error(body, field) == message
    assert "Nothing was saved." in body
    assert not ShopSettings.objects.exists()
    # What was typed stays in the form, so only the bad field needs fixing.
    assert 'name="name" value="Τσάι του Βουνού"' in body


def test_every_bad_field_is_named_at_once(owner: Client) -> None:
    response = owner.post("/settings/", form_data(name="", business_days=[], overdue_hours="500"))
    body = response.content.decode()
    assert response.status_code == 400
    assert field_error(body, "name") == "Give the shop&#x27;s name, as customers know it."
    assert field_error(body, "business_days") == "Tick at least one working day."
    assert field_error(body, "overdue_hours") == "Give between 0.5 and 240 working hours, e.g. 4."


def test_saved_business_hours_set_the_due_time_of_the_next_order(owner: Client, api: Client, catalog: None) -> None:
    # Friday 20 November 2026, 15:00 in Athens.
    friday_afternoon = "2026-11-20T15:00:00+02:00"
    before = place(api, placed_at=friday_afternoon)
    owner.post(
        "/settings/", form_data(business_days=["1", "2", "3", "4", "5", "6"], opens_at="10:00", closes_at="14:00")
    )
    after = place(api, placed_at=friday_afternoon)

    athens = ZoneInfo("Europe/Athens")
    # Defaults (Monday to Friday, 09 to 17, 4 h): 2 h on Friday, then 2 h on Monday.
    assert order_by_number(before).due_by == dt.datetime(2026, 11, 23, 11, 0, tzinfo=athens)
    # Saved (Monday to Saturday, 10 to 14, 3 h): closed on Friday afternoon, 3 h on Saturday.
    assert order_by_number(after).due_by == dt.datetime(2026, 11, 21, 13, 0, tzinfo=athens)


def test_last_changed_is_shown_in_the_newly_saved_time_zone(owner: Client) -> None:
    # On 28 March 2026 Israel is on summer time already and Greece is not yet.
    saved_at = dt.datetime(2026, 3, 28, 9, 0, tzinfo=dt.UTC)
    in_jerusalem = saved_at.astimezone(ZoneInfo("Asia/Jerusalem")).isoformat()
    assert in_jerusalem != saved_at.astimezone(ZoneInfo("Europe/Athens")).isoformat()

    with clock.frozen_at(saved_at):
        owner.post("/settings/", form_data(time_zone="Asia/Jerusalem"))
    body = owner.get("/settings/").content.decode()

    assert f'Last changed <time datetime="{in_jerusalem}">' in body
    assert in_jerusalem == "2026-03-28T12:00:00+03:00"


def test_settings_page_queries_are_the_same_before_and_after_a_save(
    owner: Client, django_assert_num_queries: Any
) -> None:
    owner.get("/settings/")  # the shop's settings are read once, then cached for a few seconds
    with django_assert_num_queries(3):  # session, user, staff role
        assert owner.get("/settings/").status_code == 200
    owner.post("/settings/", form_data())
    owner.get("/settings/")
    with django_assert_num_queries(3):
        assert owner.get("/settings/").status_code == 200


def test_page_works_right_to_left_in_hebrew_with_day_names_translated(owner: Client) -> None:
    owner.cookies["django_language"] = "he"
    body = owner.get("/settings/").content.decode()
    assert '<html lang="he" dir="rtl">' in body
    assert "שני" in body  # Monday, from Django's own translations
    assert 'יוונית · <bdi lang="el">Ελληνικά</bdi>' in body
