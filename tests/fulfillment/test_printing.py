"""What a wave puts on paper, read from the database by `fulfillment.printing`: each packing slip's
values (its parcel's lines, the lines that follow, the thank-you coupon issued once), each label's
(parcel 1/2, cash on delivery), and a wave's documents read in the same few queries whatever its size."""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.customers.models import Coupon
from emporos.fulfillment import printing, waves
from emporos.fulfillment.documents.data import PackingSlip, ShippingLabel, SlipLine
from emporos.fulfillment.models import FulfillmentOrder, Shipment, Wave
from emporos.fulfillment.shipments import ShipmentDraft, create_shipment
from emporos.outbox.models import Event
from emporos.shop import selectors as shop
from emporos.shop.services import SettingsDraft, update_settings
from tests.conftest import place
from tests.fulfillment.conftest import STAFF, confirm, drain, order_of

pytestmark = pytest.mark.django_db(transaction=False)

# Tuesday 1 December 2026, 10:00 in Athens; the noon wave picks what is ready by then.
MORNING = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
NOON = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
SHOP_ADDRESS = ("Ermou 12", "10563 Athens", "GR", "hello@agora.example")
GREEK_THANKS = "Σας ευχαριστούμε που ψωνίσατε από εμάς! Συσκευάσαμε την παραγγελία σας με φροντίδα και ελπίζουμε να σας αρέσει πολύ."
ENGLISH_THANKS = "Thank you for shopping with us! We packed your order with care and hope you love it."


@pytest.fixture
def shop_address(db: None) -> None:
    current = shop.current()
    draft = {name: getattr(current, name) for name in SettingsDraft.__dataclass_fields__}
    draft |= {"name": "Agora Ceramics", "email": "hello@agora.example", "address_line": "Ermou 12"}
    update_settings(
        draft=SettingsDraft(**draft | {"postal_code": "10563", "city": "Athens", "country": "GR"}), actor=STAFF
    )


def _wave(api: Client) -> tuple[Wave, str, str]:
    """A Greek order whose mug waits for stock, and an English customer's express order paid on delivery."""
    with clock.frozen_at(MORNING):
        waiting = place(
            api,
            lines=[
                {"sku": "TEA-100", "quantity": 2, "unit_price": "19.90"},
                {"sku": "MUG-1", "quantity": 3, "unit_price": "12.00"},  # 1 in stock, backorder allowed
            ],
            shipping_price="0.00",
            total="75.80",
        )
        express = place(
            api,
            customer={"email": "emma@example.co.uk", "name": "Emma Clarke", "language": "en"},
            shipping_address={
                "name": "Emma Clarke",
                "line1": "Skoufa 12",
                "city": "Athens",
                "postal_code": "10673",
                "country": "GR",
            },
            lines=[{"sku": "TEA-250", "quantity": 1, "unit_price": "19.90"}],
            express=True,
            gift_message="Happy birthday, Anna!",
            payment={"method": "cash_on_delivery", "status": "pending"},
            total="23.40",
        )
        for number in (waiting, express):
            confirm(number)
        drain()
    with clock.frozen_at(NOON):
        wave = waves.form_wave(cutoff_at=NOON, actor=Actor.system("waves"))
    assert wave is not None
    return wave, waiting, express


def _fulfillment_orders(wave: Wave) -> list[FulfillmentOrder]:
    return list(FulfillmentOrder.objects.filter(wave=wave).select_related("order").order_by("-is_express", "id"))


def test_each_slip_lists_its_parcel_and_what_follows_and_its_coupon_is_issued_once(
    api: Client, catalog: None, greece: None, shop_address: None
) -> None:
    wave, waiting, express = _wave(api)
    fos = _fulfillment_orders(wave)
    assert [fo.order.display_number for fo in fos] == [express, waiting]

    with clock.frozen_at(NOON):
        slips = [printing.slip_of(fo, actor=STAFF) for fo in fos]

    codes = [
        fo.slip_coupon
        for fo in FulfillmentOrder.objects.filter(pk__in=[fo.pk for fo in fos]).order_by("-is_express", "id")
    ]
    assert all(codes)
    assert len(set(codes)) == 2
    assert slips == [
        PackingSlip(
            number=express,
            language="en",
            placed_on="1 Dec 2026",
            shop_name="Agora Ceramics",
            shop_address=SHOP_ADDRESS,
            ship_to=("Emma Clarke", "Skoufa 12", "10673 Athens", "GR"),
            method="Courier Standard",
            lines=(SlipLine(sku="TEA-250", name="mountain-tea TEA-250", quantity=1),),
            thank_you=ENGLISH_THANKS,
            gift_message="Happy birthday, Anna!",
            coupon_code=codes[0],
            coupon_value="10%",
            coupon_expires="1 Mar 2027",
            express=True,
            barcode=express,
        ),
        PackingSlip(
            number=waiting,
            language="el",
            placed_on="1 Δεκ 2026",
            shop_name="Agora Ceramics",
            shop_address=SHOP_ADDRESS,
            ship_to=("Μαρία Παπαδοπούλου", "Ερμού 10", "10563 Αθήνα", "GR", "+306912345678"),
            method="Courier Standard",
            lines=(
                SlipLine(sku="MUG-1", name="mug MUG-1", quantity=3, waiting=True),
                SlipLine(sku="TEA-100", name="mountain-tea TEA-100", quantity=2),
            ),
            thank_you=GREEK_THANKS,
            coupon_code=codes[1],
            coupon_value="10%",
            coupon_expires="1 Μαρ 2027",
            barcode=waiting,
        ),
    ]
    assert Coupon.objects.filter(code__in=codes).count() == 2

    again = printing.packing_slips(_fulfillment_orders(wave), actor=STAFF)

    assert len(pdfium.PdfDocument(again)) == 2
    assert Coupon.objects.count() == 2
    assert Event.objects.filter(topic="customers.coupon_issued").count() == 2


def test_each_label_names_its_parcel_of_the_order_and_the_cash_to_collect(
    api: Client, catalog: None, greece: None, shop_address: None
) -> None:
    wave, waiting, express = _wave(api)
    create_shipment(order=order_of(express), draft=ShipmentDraft(carrier="demo"), actor=STAFF, wave=wave)
    for _parcel in range(2):
        create_shipment(
            order=order_of(waiting), draft=ShipmentDraft(carrier="demo", lines=[("TEA-100", 1)]), actor=STAFF
        )
    shipments = list(Shipment.objects.select_related("order").order_by("id"))

    labels = [printing.label_data(shipment) for shipment in shipments]

    sender = ("Agora Ceramics", *SHOP_ADDRESS)
    assert labels == [
        ShippingLabel(
            carrier="Demo Express",
            service="Courier Standard",
            tracking_number=shipments[0].tracking_number,
            reference=f"{express}/1",
            sender=sender,
            recipient=("Emma Clarke", "Skoufa 12", "10673 Athens", "GR"),
            weight="0 kg",
            cash_on_delivery="€23.40",
            express=True,
        ),
        ShippingLabel(
            carrier="Demo Express",
            service="Courier Standard",
            tracking_number=shipments[1].tracking_number,
            reference=f"{waiting}/1",
            sender=sender,
            recipient=("Μαρία Παπαδοπούλου", "Ερμού 10", "10563 Αθήνα", "GR", "+306912345678"),
            weight="5 kg",  # TEA-100 weighs 5 kg
            parcel="1/2",
        ),
        ShippingLabel(
            carrier="Demo Express",
            service="Courier Standard",
            tracking_number=shipments[2].tracking_number,
            reference=f"{waiting}/2",
            sender=sender,
            recipient=("Μαρία Παπαδοπούλου", "Ερμού 10", "10563 Αθήνα", "GR", "+306912345678"),
            weight="5 kg",  # TEA-100 weighs 5 kg
            parcel="2/2",
        ),
    ]
    assert len(pdfium.PdfDocument(printing.labels(shipments))) == 3


def test_a_waves_slips_and_labels_take_the_same_few_queries_for_one_parcel_or_many(
    api: Client, catalog: None, greece: None, shop_address: None
) -> None:
    wave, *_numbers = _wave(api)
    fos = _fulfillment_orders(wave)
    with CaptureQueriesContext(connection) as first_print:
        printing.slips_of(fos, actor=STAFF)
    for fo in fos:
        create_shipment(order=fo.order, draft=ShipmentDraft(carrier="demo"), actor=STAFF, wave=wave)
    shipments = list(Shipment.objects.order_by("id"))  # orders not read yet: the batch reads them
    fos = _fulfillment_orders(wave)

    with CaptureQueriesContext(connection) as one_slip:
        printing.slips_of(fos[:1], actor=STAFF)
    with CaptureQueriesContext(connection) as two_slips:
        printing.slips_of(fos, actor=STAFF)
    first_shipment = list(Shipment.objects.order_by("id")[:1])
    with CaptureQueriesContext(connection) as one_label:
        printing.labels_data(first_shipment)
    with CaptureQueriesContext(connection) as two_labels:
        printing.labels_data(shipments)

    # Orders, earlier coupons, fulfillment order lines, order lines, method names. The first time
    # there are no earlier coupons to read; issuing them takes the batch's transaction (a savepoint
    # here), its lock and its update, and each coupon's savepoint and four inserts.
    assert (len(one_slip), len(two_slips)) == (5, 5)
    assert len(first_print) == 4 + (2 + 1 + 1) + 2 * (2 + 4)
    # Orders, parcels per order, method names.
    assert (len(one_label), len(two_labels)) == (3, 3)
