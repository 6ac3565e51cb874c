"""The lookup form for a customer who lost the link: order number + e-mail -> the signed page; a
wrong pair says so without saying which part; rate-limited per client address and per order
number; CSRF protected; junk never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from emporos.access.models import SignInFailure
from emporos.core import clock
from emporos.orders import links
from tests.portal.conftest import SplitOrder

pytestmark = pytest.mark.django_db(transaction=False)

WRONG_PAIR = "We found no order with this number and e-mail address."


def lookup(number: str, email: str, *, address: str = "203.0.113.7", client: Client | None = None, **extra: Any) -> Any:
    return (client or Client()).post(
        "/status/?lang=en", {"number": number, "email": email}, REMOTE_ADDR=address, **extra
    )


def test_the_form_is_there_in_the_readers_language() -> None:
    response = Client().get("/status/", headers={"Accept-Language": "he"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="he" dir="rtl">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="number"' in html
    assert 'name="email"' in html


@pytest.mark.parametrize(
    ("typed_number", "typed_email"),
    [("{number}", "maria@example.gr"), ("{digits}", " Maria@Example.GR "), ("{lower}", "MARIA@example.gr")],
    ids=["as-printed", "digits-and-any-case", "lower-case-prefix"],
)
def test_a_matching_pair_opens_the_signed_page(split_order: SplitOrder, typed_number: str, typed_email: str) -> None:
    number = split_order.order.display_number
    typed = typed_number.format(number=number, digits=number.removeprefix("EM-"), lower=number.lower())
    response = lookup(typed, typed_email)
    assert response.status_code == 302
    path, query = response["Location"].split("?")
    assert query == "lang=en"
    assert path.startswith("/status/")
    assert links.order_for_token(path.removeprefix("/status/").rstrip("/")) == split_order.order
    assert not SignInFailure.objects.exists()
    assert Client().get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("number", "email"),
    [("{number}", "someone@example.gr"), ("EM-99999", "maria@example.gr"), ("EM-99999", "someone@example.gr")],
    ids=["wrong-email", "wrong-number", "both-wrong"],
)
def test_a_wrong_pair_says_so_without_saying_which_part(split_order: SplitOrder, number: str, email: str) -> None:
    response = lookup(number.format(number=split_order.order.display_number), email)
    assert response.status_code == 400
    html = response.content.decode()
    assert WRONG_PAIR in html
    assert '<div class="alert alert--error" role="alert" id="lookup-error">' in html
    assert "field--error" not in html  # neither field is blamed
    assert links.status_token(split_order.order) not in html


def test_a_field_error_stands_next_to_its_field() -> None:
    response = lookup("EM-10001", "not-an-address")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<div class="field field--error" data-field="email">' in html
    assert 'id="id_email_error"' in html
    assert '<div class="field" data-field="number">' in html
    assert not SignInFailure.objects.exists()  # a malformed address cannot match: no try counted


def test_five_wrong_tries_for_an_order_lock_it_for_every_address(split_order: SplitOrder) -> None:
    number = split_order.order.display_number
    for attempt in range(5):
        assert lookup(number, f"guess{attempt}@example.gr", address=f"198.51.100.{attempt}").status_code == 400
    locked = lookup(number, "maria@example.gr", address="192.0.2.44")  # even the right pair, from elsewhere
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 14 * 60
    html = locked.content.decode()
    assert "Too many tries. Try again in 15 minutes." in html
    assert "Location" not in locked


def test_five_wrong_tries_from_an_address_lock_that_address(split_order: SplitOrder) -> None:
    for attempt in range(5):
        assert lookup(f"EM-{20000 + attempt}", "maria@example.gr").status_code == 400
    assert lookup(split_order.order.display_number, "maria@example.gr").status_code == 429
    assert lookup(split_order.order.display_number, "maria@example.gr", address="192.0.2.1").status_code == 302


def test_the_lock_ends_and_says_how_long_is_left(split_order: SplitOrder) -> None:
    start = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
    with clock.frozen_at(start):
        for attempt in range(5):
            lookup(f"EM-{20000 + attempt}", "maria@example.gr")
    with clock.frozen_at(start + dt.timedelta(minutes=11)):
        assert "Try again in 4 minutes." in lookup("EM-1", "maria@example.gr").content.decode()
    with clock.frozen_at(start + dt.timedelta(minutes=14, seconds=30)):
        assert "Try again in 1 minute." in lookup("EM-1", "maria@example.gr").content.decode()
    with clock.frozen_at(start + dt.timedelta(minutes=16)):
        assert lookup(split_order.order.display_number, "maria@example.gr").status_code == 302


def test_behind_a_proxy_the_client_address_counts(split_order: SplitOrder, settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "PROXY_HOPS": 1}
    for attempt in range(5):
        lookup(f"EM-{20000 + attempt}", "x@example.gr", HTTP_X_FORWARDED_FOR="198.51.100.9", address="10.0.0.1")
    assert SignInFailure.objects.filter(key="lookup-ip:198.51.100.9").get().failures == 5
    # Another customer behind the same proxy is not locked out.
    other = lookup(split_order.order.display_number, "maria@example.gr", HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert other.status_code == 302


def test_the_form_needs_its_csrf_token(split_order: SplitOrder) -> None:
    guarded = Client(enforce_csrf_checks=True)
    response = lookup(split_order.order.display_number, "maria@example.gr", client=guarded)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("number", "email"),
    [
        ("", ""),
        ("EM-" + "9" * 40, "a@b.gr"),
        ("EM-1\x00", "maria@example.gr"),
        ("²³", "maria@example.gr"),
        ("EM-10001", "maria@example.gr\u202e"),
        ("1" * 5000, "@" * 5000),
        ("EM-10001", "maria@exa mple.gr"),
    ],
    ids=["empty", "huge-number", "nul", "superscripts", "bidi", "very-long", "space"],
)
def test_junk_is_a_form_error_never_a_500(split_order: SplitOrder, number: str, email: str) -> None:
    response = lookup(number, email)
    assert response.status_code == 400
    assert "field--error" in response.content.decode() or WRONG_PAIR in response.content.decode()


def test_bytes_that_are_not_utf8_are_a_form_error_never_a_500() -> None:
    body = b"number=%ED%A0%80%FF&email=x%C0%40y.gr"  # a lone surrogate and stray bytes, percent-encoded
    response = Client().post(
        "/status/", body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 400


def test_other_methods_are_refused() -> None:
    assert Client().put("/status/").status_code == 405
