"""Merging two customer records from the customer's page: everything moves, the other address
becomes one of theirs, bad input says what to type."""

from __future__ import annotations

from typing import Any

import pytest

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.customers.models import ContactKind, Customer
from emporos.support import services
from emporos.support.models import Channel, Ticket

pytestmark = pytest.mark.django_db


def customer(email: str) -> Customer:
    return Customer.objects.create(email=email, name="Maria", created_at=clock.now(), updated_at=clock.now())


def test_support_merges_the_other_record_into_this_one(make_staff: Any) -> None:
    agent = make_staff("support")
    home, work = customer("maria@example.gr"), customer("maria.work@example.com")
    services.open_ticket(
        customer=work,
        subject="Τιμολόγιο",
        first=services.Inbound(channel=Channel.EMAIL, text="Γεια", sender=work.email),
        actor=Actor.staff("x"),
        acknowledge=False,
    )

    response = agent.post(f"/customers/{home.public_id}/merge/", {"merge-email": "Maria.Work@example.com"})
    page = agent.get(f"/customers/{home.public_id}/").content.decode()

    assert response.status_code == 302
    assert list(Ticket.objects.values_list("customer_id", flat=True)) == [home.pk]
    assert not Customer.objects.filter(pk=work.pk).exists()
    assert list(home.contact_points.values_list("kind", "value")) == [(ContactKind.EMAIL, "maria.work@example.com")]
    assert "maria.work@example.com merged into this customer (records moved:" in page
    assert "Also writes from" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param("not an address", "Type the other record", id="not-an-address"),
        pytest.param("nobody@example.com", "No customer has the address nobody@example.com.", id="unknown"),
        pytest.param("maria@example.gr", "is already this customer", id="the-same"),
    ],
)
def test_bad_input_changes_nothing_and_says_why(make_staff: Any, typed: str, message: str) -> None:
    agent = make_staff("support")
    home = customer("maria@example.gr")

    agent.post(f"/customers/{home.public_id}/merge/", {"merge-email": typed})
    page = agent.get(f"/customers/{home.public_id}/").content.decode()

    assert message in page
    assert Customer.objects.count() == 1


def test_the_warehouse_may_not_merge(make_staff: Any) -> None:
    packer = make_staff("warehouse")
    home, work = customer("maria@example.gr"), customer("maria.work@example.com")

    response = packer.post(f"/customers/{home.public_id}/merge/", {"merge-email": work.email})

    assert response.status_code == 403
    assert Customer.objects.count() == 2
