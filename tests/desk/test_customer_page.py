"""The customer page: contact, orders newest first, the timeline, and what the customer has spent."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from emporos.customers.models import Customer
from emporos.shop import selectors as shop_settings
from emporos.timeline.models import Entry, Subject
from tests.conftest import place, stock, timeline

pytestmark = pytest.mark.django_db


def maria_url() -> str:
    return f"/customers/{Customer.objects.get(email='maria@example.gr').public_id}/"


def listed_orders(body: str) -> list[str]:
    return re.findall(r'<tr data-order="([^"]+)">', body)


def timeline_texts(body: str) -> list[str]:
    timeline = re.search(r'<ol class="timeline" id="customer-timeline">(.*?)</ol>', body, re.S)
    assert timeline, "no timeline"
    items = re.findall(r"<li[^>]*>(.*?)</li>", timeline.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def cancel(api: Client, number: str) -> None:
    response = api.post(
        f"/api/v1/orders/{number}/cancel", {"reason": "Changed her mind"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_customer_page_shows_contact_orders_timeline_and_totals(owner: Client, api: Client, catalog: None) -> None:
    first = place(api, placed_at="2026-11-20T09:00:00+02:00")
    second = place(
        api,
        placed_at="2026-11-21T09:00:00+02:00",
        total="23.40",
        lines=[{"sku": "TEA-100", "quantity": 1, "unit_price": "19.90"}],
    )
    cancelled = place(api, placed_at="2026-11-22T09:00:00+02:00")
    cancel(api, cancelled)

    response = owner.get(maria_url())

    assert response.status_code == 200
    body = response.content.decode()
    assert listed_orders(body) == [cancelled, second, first]
    assert f'<a class="rowlink" href="/orders/{first}/"><bdi dir="ltr" class="ltr">{first}</bdi></a>' in body
    assert '<a href="mailto:maria@example.gr"><bdi dir="ltr" class="ltr">maria@example.gr</bdi></a>' in body
    assert '<a href="tel:+306912345678"><bdi dir="ltr" class="ltr">+306912345678</bdi></a>' in body
    assert '<dd lang="el">Ελληνικά</dd>' in body
    assert 'href="/orders/?q=maria%40example.gr">All orders of this customer</a>' in body
    totals = re.search(r'<dl class="facts" id="customer-totals">(.*?)</dl>', body, re.S)
    assert totals
    # split() folds the no-break space between amount and symbol.
    assert " ".join(re.sub(r"<[^>]+>", " ", totals.group(1)).split()) == "Orders 3 Spent in EUR €66.70"
    entries = timeline(Customer.objects.get(email="maria@example.gr"))
    texts = timeline_texts(body)
    assert len(texts) == len(entries) >= 4
    newest = entries[-1]
    assert newest.facts["number"] == cancelled
    assert texts[0].endswith(f"· {cancelled} · {newest.actor} {newest.text} {newest.note}")
    assert f'<a href="/orders/{cancelled}/"><bdi dir="ltr" class="ltr">{cancelled}</bdi></a>' in body


def test_spending_is_per_currency(owner: Client, api: Client, catalog: None) -> None:
    place(api)
    place(api, currency="PLN")

    body = owner.get(maria_url()).content.decode()

    totals = re.search(r'<dl class="facts" id="customer-totals">(.*?)</dl>', body, re.S)
    assert totals
    assert (
        " ".join(re.sub(r"<[^>]+>", " ", totals.group(1)).split())
        == "Orders 2 Spent in EUR €43.30 Spent in PLN PLN 43.30"
    )


def test_a_timeline_entry_without_an_order_shows_no_link(owner: Client, api: Client, catalog: None) -> None:
    place(api)
    customer = Customer.objects.get(email="maria@example.gr")
    # An entry about the customer alone (a support ticket's, later), with no order number in its facts.
    entry = Entry.objects.create(
        kind="orders.note_added",
        facts={"text": "Asked about gift wrapping"},
        actor_kind="staff",
        actor_name="eleni",
        occurred_at=customer.created_at.replace(year=2030),
    )
    Subject.objects.create(entry=entry, kind="customer", ref_id=customer.pk)

    body = owner.get(maria_url()).content.decode()

    assert timeline_texts(body)[0].endswith("· eleni Internal note. Asked about gift wrapping")


def test_unknown_customer_is_a_friendly_404(owner: Client) -> None:
    response = owner.get(f"/customers/{uuid.uuid4()}/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "There is no such customer" in body
    assert 'aria-current="page">Orders</a>' in body


@pytest.mark.parametrize("role", ["warehouse", "support"])
def test_every_role_may_see_a_customer(make_staff: Any, api: Client, catalog: None, role: str) -> None:
    number = place(api)
    response = make_staff(role).get(maria_url())
    assert response.status_code == 200
    assert listed_orders(response.content.decode()) == [number]


def test_customer_page_needs_sign_in(api: Client, catalog: None) -> None:
    place(api)
    url = maria_url()
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={url}"


def test_customer_page_queries_stay_constant(
    owner: Client, api: Client, catalog: None, django_assert_num_queries: Any
) -> None:
    place(api)
    url = maria_url()
    # Session, user, staff role; the customer; spending (one aggregate); orders; timeline; the
    # customer's other addresses and phones.
    shop_settings.current()
    with django_assert_num_queries(8):
        body = owner.get(url).content.decode()
    assert len(listed_orders(body)) == 1
    stock("TEA-100", 100)
    for day in range(20, 25):
        place(api, placed_at=f"2026-11-{day}T09:00:00+02:00")
    shop_settings.current()
    with django_assert_num_queries(8):
        body = owner.get(url).content.decode()
    assert len(listed_orders(body)) == 6
    assert len(timeline_texts(body)) == Entry.objects.filter(subjects__kind="customer").count()
