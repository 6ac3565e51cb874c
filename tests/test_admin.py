"""Django admin shows reference data; stateful records are read-only there."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from emporos.orders.models import Order
from tests.conftest import order_body

pytestmark = pytest.mark.usefixtures("catalog")


def test_orders_are_listed_and_shown_but_cannot_be_added_or_changed(admin_client: Client, api: Client) -> None:
    api.post(
        "/api/v1/orders",
        data=json.dumps(order_body()),
        content_type="application/json",
        headers={"Idempotency-Key": "admin-test"},
    )
    order = Order.objects.get()

    assert admin_client.get("/admin/orders/order/").status_code == 200
    page = admin_client.get(f"/admin/orders/order/{order.pk}/change/")
    assert page.status_code == 200
    assert "Μαρία Παπαδοπούλου" in page.content.decode()
    assert admin_client.get("/admin/orders/order/add/").status_code == 403
    response = admin_client.post(f"/admin/orders/order/{order.pk}/change/", {"status": "cancelled"})
    assert response.status_code == 403
    assert Order.objects.get().status == "placed"


def test_the_admin_needs_a_login(client: Client) -> None:
    response = client.get("/admin/orders/order/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_fulfillment_pages_of_the_admin_open(admin_client: Client) -> None:
    for path in (
        "/admin/fulfillment/packaging/",
        "/admin/fulfillment/packaging/add/",
        "/admin/fulfillment/wave/",
        "/admin/fulfillment/fulfillmentorder/",
        "/admin/fulfillment/shipment/",
    ):
        assert admin_client.get(path).status_code == 200, path
    assert admin_client.get("/admin/fulfillment/shipment/add/").status_code == 403


def test_a_role_changed_in_the_admin_is_on_the_staff_members_timeline_by_whoever_changed_it(
    admin_client: Client,
) -> None:
    from emporos.access.models import StaffProfile
    from emporos.access.services import create_staff
    from emporos.timeline.models import SubjectKind
    from emporos.timeline.selectors import timeline_of
    from tests.conftest import STAFF_PASSWORD

    packer = create_staff(username="nikos", email="nikos@example.gr", password=STAFF_PASSWORD, role="warehouse")
    profile = StaffProfile.objects.get(user=packer)

    response = admin_client.post(
        f"/admin/access/staffprofile/{profile.pk}/change/", {"user": packer.pk, "role": "support"}
    )

    assert response.status_code == 302
    [latest, *_earlier] = timeline_of(SubjectKind.STAFF, packer.pk, language="en", time_zone="Europe/Athens")
    assert (latest.text, latest.actor) == ("Role changed from Warehouse to Support.", "admin")
