"""The queue page, sign-in and what each role may open."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from emporos.core import clock
from tests.conftest import STAFF_PASSWORD, place

pytestmark = pytest.mark.django_db


def test_pages_need_sign_in() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/"


def test_queue_lists_waiting_orders_oldest_first_with_counts(owner: Client, api: Client, catalog: None) -> None:
    hour_ago = clock.now() - dt.timedelta(hours=1)
    first = place(api, placed_at=(hour_ago - dt.timedelta(hours=1)).isoformat())
    second = place(api, placed_at=hour_ago.isoformat())
    body = owner.get("/queue/").content.decode()
    assert body.index(first) < body.index(second)
    assert 'data-poll hx-get="/queue/"' in body


def test_queue_poll_returns_only_the_region(owner: Client, api: Client, catalog: None) -> None:
    number = place(api)
    response = owner.get("/queue/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="queue"')
    assert number in body
    assert "<html" not in body


def test_empty_queue_says_what_happens_next(owner: Client) -> None:
    body = owner.get("/queue/").content.decode()
    assert "Nothing is waiting" in body


def test_failed_sign_ins_lock_the_account_for_a_while(make_staff: Any) -> None:
    make_staff("support", username="eleni")
    client = Client()
    for _ in range(5):
        response = client.post("/sign-in/", {"username": "eleni", "password": "wrong"})
        assert "do not match" in response.content.decode()
    response = client.post("/sign-in/", {"username": "eleni", "password": STAFF_PASSWORD})
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_then_sign_out(make_staff: Any) -> None:
    make_staff("support", username="eleni")
    client = Client()
    response = client.post("/sign-in/", {"username": "eleni", "password": STAFF_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/sign-out/")
    assert client.get("/").status_code == 302


def test_a_tampered_cursor_starts_the_queue_again_at_the_top(owner: Client) -> None:
    response = owner.get("/queue/?after=not-a-cursor")
    assert response.status_code == 200
    assert "Nothing is waiting" in response.content.decode()


def test_the_queue_takes_the_same_queries_for_2_or_12_orders(
    owner: Client, api: Client, catalog: None, django_assert_num_queries: Any
) -> None:
    from emporos.shop import selectors as shop

    for _ in range(2):
        place(api)
    shop.current()  # the settings come from the per-process cache, as in a warm server
    # session, user, staff role, the page of the queue with customers, the page of orders waiting
    # for stock (none here, so no reasons to read), the counts per state
    with django_assert_num_queries(6):
        assert owner.get("/queue/").status_code == 200
    for _ in range(10):
        place(api, lines=[{"sku": "EBOOK-1", "quantity": 1, "unit_price": "9.99"}], total="13.49")
    shop.current()
    with django_assert_num_queries(6):
        body = owner.get("/queue/").content.decode()
    assert body.count('data-order="EM-') == 12
