"""Searching orders (`q`): phones as staff type them, names without their accents in every script."""

from __future__ import annotations

import importlib
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from emporos.core.contact import phone_candidates
from emporos.core.text import search_form
from emporos.customers.models import Customer
from tests.conftest import place

pytestmark = pytest.mark.django_db


def customer(email: str, name: str, phone: str, language: str = "en") -> dict[str, Any]:
    return {"customer": {"email": email, "name": name, "phone": phone, "language": language}}


@pytest.fixture
def orders(api: Client, catalog: None) -> dict[str, str]:
    """One order of each customer, the phone stored in E.164 (what intake keeps)."""
    return {
        "greek": place(api, **customer("eleni@example.gr", "Ελένη Παπαδοπούλου", "+306904325051", "el")),
        "polish": place(api, **customer("jan@example.pl", "Jan Jabłoński", "+48601234567", "pl")),
        "israeli": place(api, **customer("noa@example.co.il", "נֹעָה כֹּהֵן", "+972502345678", "he")),
        "other": place(api, **customer("emma@example.com", "Emma Smith", "+447911123456")),
    }


def found(api: Client, term: str) -> list[str]:
    response = api.get(f"/api/v1/orders?q={quote(term)}")
    assert response.status_code == 200, response.content
    return [order["number"] for order in response.json()["orders"]]


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("6904325051", "greek"),
        ("690 432 5051", "greek"),
        ("690-432-5051", "greek"),
        ("+30 690 432 5051", "greek"),
        ("+306904325051", "greek"),
        ("306904325051", "greek"),
        ("0030 690 432 5051", "greek"),
        ("601 234 567", "polish"),
        ("601-234-567", "polish"),
        ("+48 601 234 567", "polish"),
        ("050-234-5678", "israeli"),
        ("0502345678", "israeli"),
        ("+972 50-234-5678", "israeli"),
    ],
)
def test_a_phone_is_found_with_or_without_its_country_code_and_spaces(
    api: Client, orders: dict[str, str], term: str, who: str
) -> None:
    assert found(api, term) == [orders[who]]


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("Jablonski", "polish"),
        ("jabłoński", "polish"),
        ("JABŁOŃSKI", "polish"),
        ("Παπαδοπουλου", "greek"),
        ("ΠΑΠΑΔΟΠΟΎΛΟΥ", "greek"),
        ("ελενη παπαδ", "greek"),
        ("כהן", "israeli"),
        ("נעה", "israeli"),
        ("נֹעָה", "israeli"),
    ],
)
def test_a_name_is_found_without_its_accents_in_every_script(
    api: Client, orders: dict[str, str], term: str, who: str
) -> None:
    assert found(api, term) == [orders[who]]


@pytest.mark.parametrize("term", ["690 432 5052", "+31 690 432 5051", "601 234 568", "Papadopoulou", "Jablonska"])
def test_a_near_miss_finds_nothing(api: Client, orders: dict[str, str], term: str) -> None:
    assert found(api, term) == []


def test_the_desk_list_finds_the_same_orders(owner: Client, orders: dict[str, str]) -> None:
    for term, who in [("690 432 5051", "greek"), ("Jablonski", "polish")]:
        body = owner.get(f"/orders/?q={quote(term)}").content.decode()

        assert f'data-order="{orders[who]}"' in body
        assert body.count("data-order=") == 1


def test_a_national_number_is_read_in_the_shops_country_first() -> None:
    assert phone_candidates("690 432 5051", regions=["GR", "PL"]) == ["+306904325051", "+6904325051"]
    assert phone_candidates("601 234 567", regions=["PL", "GR"]) == ["+48601234567"]
    assert phone_candidates("+30 690 432 5051", regions=["PL"]) == ["+306904325051"]
    assert phone_candidates("--", regions=["GR"]) == []


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Jabłoński", "jablonski"),
        ("Łukasz Kozłowski", "lukasz kozlowski"),
        ("Μαρία  Παπαδοπούλου", "μαρια παπαδοπουλου"),
        ("ΝΊΚΟΣ", "νικοσ"),
        ("כֹּהֵן", "כהן"),
        ("Søren Ærø", "soren aero"),
        ("Straße", "strasse"),
    ],
)
def test_search_form_folds_what_a_keyboard_without_the_letter_leaves_out(name: str, folded: str) -> None:
    assert search_form(name) == folded


def test_intake_stores_the_folded_name(orders: dict[str, str]) -> None:
    assert Customer.objects.get(email="jan@example.pl").search_name == "jan jablonski"


def test_the_migration_rewrites_search_names_stored_before_letters_like_l_were_folded(
    orders: dict[str, str],
) -> None:
    from django.apps import apps

    migration = importlib.import_module("emporos.customers.migrations.0005_search_names_fold_every_letter")
    Customer.objects.filter(email="jan@example.pl").update(search_name="jan jabłonski")  # as stored before
    untouched = dict(Customer.objects.exclude(email="jan@example.pl").values_list("email", "search_name"))

    migration.fold_every_letter(apps, None)

    assert Customer.objects.get(email="jan@example.pl").search_name == "jan jablonski"
    assert dict(Customer.objects.exclude(email="jan@example.pl").values_list("email", "search_name")) == untouched

    migration.fold_as_before(apps, None)

    assert Customer.objects.get(email="jan@example.pl").search_name == "jan jabłonski"
