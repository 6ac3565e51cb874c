"""A parcel and the fulfillment order it came from: its units counted on the fulfillment order's
lines, the fulfillment order done with its last unit, the parcel's weight (lines plus packaging),
the day the order was promised, and packaging that is unknown or retired refused."""

from __future__ import annotations

import pytest
from django.test import Client

from emporos.core.errors import ValidationFailed
from emporos.fulfillment.models import FulfillmentOrder, FulfillmentOrderLine, Packaging, Shipment, Status
from emporos.fulfillment.shipments import ShipmentDraft, create_shipment
from emporos.shipping.models import DeliveryPromise
from tests.conftest import place
from tests.fulfillment.conftest import STAFF, confirm, drain, order_of

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def boxes(db: None) -> None:
    Packaging.objects.create(code="box-s", name="Box S", length_mm=300, width_mm=200, height_mm=100, weight_grams=180)
    Packaging.objects.create(
        code="box-old", name="Old box", length_mm=1, width_mm=1, height_mm=1, weight_grams=1, is_active=False
    )


def _shipped(fo: FulfillmentOrder) -> dict[str, tuple[int, int]]:
    lines = FulfillmentOrderLine.objects.filter(fulfillment_order=fo).select_related("order_line")
    return {line.order_line.sku: (line.quantity_shipped, line.quantity) for line in lines}


def test_each_parcel_counts_on_its_fulfillment_order_which_closes_with_the_last_unit(
    api: Client, catalog: None, greece: None, boxes: None
) -> None:
    number = place(
        api,
        lines=[
            {"sku": "TEA-100", "quantity": 2, "unit_price": "19.90"},
            {"sku": "TEA-250", "quantity": 1, "unit_price": "19.90"},
        ],
        shipping_price="0.00",
        total="59.70",
    )
    confirm(number)
    drain()
    fo = FulfillmentOrder.objects.get(order=order_of(number))
    promised = DeliveryPromise.objects.get(order=order_of(number)).latest

    first, created = create_shipment(
        order=order_of(number),
        draft=ShipmentDraft(lines=[("TEA-100", 1)], carrier="demo", packaging="box-s"),
        actor=STAFF,
    )

    assert created
    assert (first.fulfillment_order_id, first.sequence, first.weight_grams) == (fo.pk, 1, 5000 + 180)
    assert (first.packaging.code if first.packaging else None, first.expected_on) == ("box-s", promised)
    assert Shipment.objects.get(pk=first.pk).fulfillment_order_id == fo.pk
    assert _shipped(fo) == {"TEA-100": (1, 2), "TEA-250": (0, 1)}
    assert FulfillmentOrder.objects.get(pk=fo.pk).status == Status.IN_PROGRESS

    rest, _ = create_shipment(order=order_of(number), draft=ShipmentDraft(carrier="demo"), actor=STAFF)

    assert (rest.fulfillment_order_id, rest.sequence, rest.weight_grams, rest.packaging) == (fo.pk, 2, 5000, None)
    assert _shipped(fo) == {"TEA-100": (2, 2), "TEA-250": (1, 1)}
    assert FulfillmentOrder.objects.get(pk=fo.pk).status == Status.CLOSED


@pytest.mark.parametrize("packaging", ["box-xl", "box-old"], ids=["unknown", "retired"])
def test_packaging_that_is_unknown_or_retired_is_refused_naming_the_active_ones(
    api: Client, catalog: None, boxes: None, packaging: str
) -> None:
    number = place(api)
    confirm(number)
    drain()

    with pytest.raises(ValidationFailed) as refused:
        create_shipment(order=order_of(number), draft=ShipmentDraft(carrier="demo", packaging=packaging), actor=STAFF)

    assert [(error.field, error.code) for error in refused.value.errors] == [("packaging", "unknown_packaging")]
    assert refused.value.errors[0].message == f"Unknown packaging {packaging}; use one of box-s."
    assert not Shipment.objects.exists()
    assert _shipped(FulfillmentOrder.objects.get(order=order_of(number))) == {"TEA-100": (0, 2)}
