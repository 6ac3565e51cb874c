"""Hand-over to a fulfillment service (3PL) through the file-drop adapter (F1, F7): a confirmed
order reserved at the 3PL's location becomes a CSV request in its outgoing folder; the answer
files it drops in incoming are applied whole or not at all, and applying one twice changes
nothing."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from emporos.fulfillment.models import FulfillmentOrder, Handover, HoldReason, Shipment, Status
from emporos.fulfillment.third_party import services as third_party
from emporos.fulfillment.third_party.services import Collected
from emporos.inventory.models import Location, LocationKind, StockLevel
from emporos.orders.services import cancel_order
from emporos.outbox.models import Event
from emporos.outbox.selectors import topics
from emporos.timeline.models import Entry
from tests.conftest import place, stock, timeline, timeline_kinds
from tests.fulfillment.conftest import STAFF, confirm, drain, order_of

pytestmark = pytest.mark.django_db(transaction=False)

LINES = [
    {"sku": "TEA-100", "quantity": 2, "unit_price": "19.90"},
    {"sku": "TEA-250", "quantity": 1, "unit_price": "19.90"},
]
ANSWER_COLUMNS = ["request_id", "status", "carrier", "tracking_number", "sku", "quantity", "note"]


@pytest.fixture
def drop(tmp_path: Path, settings: Any) -> Path:
    """The 3PL's folder: EMPOROS["THIRD_PARTY_DIR"] is a fresh temporary directory."""
    settings.EMPOROS = {**settings.EMPOROS, "THIRD_PARTY_DIR": str(tmp_path)}
    return tmp_path / "3pl-athens"


@pytest.fixture
def athens_3pl(greece: None, drop: Path) -> Location:
    """A 3PL in Athens, first in line (priority 0) and stocked with both teas."""
    location = Location.objects.create(
        code="3pl-athens",
        name="3PL Athens",
        priority=0,
        kind=LocationKind.THIRD_PARTY,
        handover="file_drop",
    )
    stock("TEA-100", 20, location="3pl-athens")
    stock("TEA-250", 20, location="3pl-athens")
    return location


@pytest.fixture
def handed_over(api: Client, athens_3pl: Location) -> FulfillmentOrder:
    """An order placed and confirmed, its hand-over sent by the worker."""
    number = place(api, lines=LINES, total="59.70", shipping_price="0.00", gift_message="Χρόνια πολλά!")
    confirm(number)
    drain()
    return FulfillmentOrder.objects.get(order=order_of(number))


def answer(drop: Path, name: str, rows: list[dict[str, Any]]) -> Path:
    """The 3PL drops an answer file (columns in the documented order)."""
    incoming = drop / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    path = incoming / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ANSWER_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


def state(fo: FulfillmentOrder) -> tuple[str, str, str, str]:
    fo.refresh_from_db()
    return fo.status, fo.handover, fo.hold_reason, fo.hold_note


def test_a_confirmed_order_at_the_3pl_is_handed_over_in_a_request_file(
    handed_over: FulfillmentOrder, drop: Path
) -> None:
    fo = handed_over
    order = fo.order
    assert (fo.mode, fo.status, fo.handover) == ("third_party", Status.IN_PROGRESS, Handover.REQUESTED)
    assert {line.reserved_location.code for line in order.lines.all() if line.reserved_location} == {"3pl-athens"}

    name = f"{order.display_number}-{fo.public_id}.csv"
    assert files(drop / "outgoing") == [name]
    raw = (drop / "outgoing" / name).read_bytes()
    assert raw.startswith(b"request_id,order_number,created_at,")
    rows = list(csv.DictReader((drop / "outgoing" / name).open(encoding="utf-8", newline="")))
    common = {
        "request_id": str(fo.public_id),
        "order_number": order.display_number,
        "created_at": fo.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "method": "courier-standard",
        "express": "false",
        "ship_to_name": "Μαρία Παπαδοπούλου",
        "ship_to_company": "",
        "ship_to_line1": "Ερμού 10",
        "ship_to_line2": "",
        "ship_to_postal_code": "10563",
        "ship_to_city": "Αθήνα",
        "ship_to_country": "GR",
        "ship_to_phone": "+306912345678",
        "pickup_point": "",
        "gift_wrap": "false",
        "gift_message": "Χρόνια πολλά!",
        "cod_amount": "",
        "cod_currency": "",
    }
    assert rows == [
        {**common, "sku": "TEA-100", "name": "mountain-tea TEA-100", "quantity": "2"},
        {**common, "sku": "TEA-250", "name": "mountain-tea TEA-250", "quantity": "1"},
    ]
    fulfillment = [kind for kind in timeline_kinds(order) if kind.startswith("fulfillment.")]
    assert fulfillment[-2:] == ["fulfillment.handover_requested", "fulfillment.planned"]


def test_sending_a_request_again_replaces_its_file(handed_over: FulfillmentOrder, drop: Path) -> None:
    before = files(drop / "outgoing")

    assert third_party.send_request(fulfillment_order_id=handed_over.pk) is True
    assert third_party.send_request(fulfillment_order_id=handed_over.pk) is True

    assert files(drop / "outgoing") == before  # the same name, no temporary file left behind


def test_a_shipped_answer_ships_the_order_and_closes_its_fulfillment_order(
    handed_over: FulfillmentOrder, drop: Path
) -> None:
    fo = handed_over
    request_id = str(fo.public_id)
    shipped = [{"request_id": request_id, "status": "shipped", "carrier": "ELTA Courier", "tracking_number": "EL123GR"}]
    answer(drop, "answers-1.csv", shipped)

    assert third_party.collect_all() == Collected(applied=1, failed=0)

    shipment = Shipment.objects.get()
    assert (shipment.order_id, shipment.carrier, shipment.carrier_name, shipment.tracking_number) == (
        fo.order_id,
        "manual",
        "ELTA Courier",
        "EL123GR",
    )
    assert sorted((line.sku, line.quantity) for line in shipment.lines.all()) == [("TEA-100", 2), ("TEA-250", 1)]
    assert shipment.fulfillment_order_id == fo.pk
    assert state(fo) == (Status.CLOSED, Handover.ACCEPTED, "", "")
    order = order_of(fo.order.display_number)
    assert order.fulfillment_status == "shipped"
    assert [(s.on_hand, s.reserved) for s in StockLevel.objects.filter(location__code="3pl-athens")] == [
        (18, 0),
        (19, 0),
    ]
    assert files(drop / "incoming") == ["processed"]
    assert files(drop / "incoming" / "processed") == ["answers-1.csv"]
    words = [entry.text for entry in timeline(order)]
    assert "The fulfilment service accepted the order." in words
    assert "Parcel 1 labelled: 3 items with ELTA Courier, tracking number EL123GR." in words

    # The same file dropped again changes nothing.
    last_event = Event.objects.order_by("id").last()
    entries = Entry.objects.count()
    answer(drop, "answers-1.csv", shipped)

    third_party.collect_all()

    assert Shipment.objects.count() == 1
    assert topics(since=last_event) == []
    assert Entry.objects.count() == entries
    assert state(fo) == (Status.CLOSED, Handover.ACCEPTED, "", "")
    assert files(drop / "incoming" / "processed") == ["answers-1.2.csv", "answers-1.csv"]


def test_two_parcels_after_an_acceptance_ship_the_order_in_two_steps(handed_over: FulfillmentOrder, drop: Path) -> None:
    fo = handed_over
    request_id = str(fo.public_id)
    answer(drop, "accepted.csv", [{"request_id": request_id, "status": "accepted", "note": "Picking today"}])
    assert third_party.collect_all() == Collected(applied=1, failed=0)
    assert state(fo) == (Status.IN_PROGRESS, Handover.ACCEPTED, "", "")
    assert fo.handover_note == "Picking today"

    first = {"request_id": request_id, "status": "shipped", "tracking_number": "BOX-1"}
    answer(drop, "parcel-1.csv", [{**first, "sku": "TEA-100", "quantity": 1}])
    third_party.collect_all()
    assert state(fo)[0] == Status.IN_PROGRESS
    assert order_of(fo.order.display_number).fulfillment_status == "partially_shipped"

    second = {"request_id": request_id, "status": "shipped", "tracking_number": "BOX-2"}
    answer(
        drop, "parcel-2.csv", [{**second, "sku": "TEA-100", "quantity": 1}, {**second, "sku": "TEA-250", "quantity": 1}]
    )
    assert third_party.collect_all() == Collected(applied=1, failed=0)

    parcels = {
        shipment.tracking_number: sorted((line.sku, line.quantity) for line in shipment.lines.all())
        for shipment in Shipment.objects.all()
    }
    assert parcels == {"BOX-1": [("TEA-100", 1)], "BOX-2": [("TEA-100", 1), ("TEA-250", 1)]}
    assert state(fo)[0] == Status.CLOSED
    assert order_of(fo.order.display_number).fulfillment_status == "shipped"


def test_a_rejected_answer_puts_the_fulfillment_order_on_hold_with_the_note(
    handed_over: FulfillmentOrder, drop: Path
) -> None:
    fo = handed_over
    last_event = Event.objects.order_by("id").last()
    answer(drop, "no.csv", [{"request_id": str(fo.public_id), "status": "rejected", "note": "Damaged in our stock"}])

    assert third_party.collect_all() == Collected(applied=1, failed=0)

    assert state(fo) == (Status.ON_HOLD, Handover.REJECTED, HoldReason.OTHER, "Damaged in our stock")
    assert fo.held_by_staff is True
    assert not Shipment.objects.exists()
    assert topics(since=last_event) == ["fulfillment.handover_answered"]
    last = timeline(fo.order)[-1]
    assert (last.text, last.note) == (
        "The fulfilment service refused the order; it waits on hold.",
        "Damaged in our stock",
    )


def _accepted(fo: FulfillmentOrder) -> dict[str, Any]:
    return {"request_id": str(fo.public_id), "status": "accepted"}


MALFORMED = [
    pytest.param(
        lambda fo: [_accepted(fo), {**_accepted(fo), "status": "lost"}],
        "answers.csv:3: status 'lost' is not one of accepted, rejected, shipped.",
        id="unknown-status",
    ),
    pytest.param(
        lambda fo: [_accepted(fo), {**_accepted(fo), "status": "shipped"}],
        "answers.csv:3: a shipped row needs the parcel's tracking_number.",
        id="shipped-without-tracking-number",
    ),
    pytest.param(
        lambda fo: [
            {**_accepted(fo), "status": "shipped", "tracking_number": "T1", "sku": "TEA-100", "quantity": "two"}
        ],
        "answers.csv:2: quantity 'two' of SKU TEA-100 is not a whole number of at least 1.",
        id="quantity-not-a-number",
    ),
    pytest.param(
        lambda fo: [_accepted(fo), {**_accepted(fo), "request_id": "EM-10001"}],
        "answers.csv:3: request_id 'EM-10001' is not the request_id of a request file.",
        id="request-id-not-an-id",
    ),
]


@pytest.mark.parametrize(("rows", "problem"), MALFORMED)
def test_a_malformed_file_is_set_aside_with_its_problem_and_nothing_is_applied(
    handed_over: FulfillmentOrder, drop: Path, rows: Any, problem: str
) -> None:
    fo = handed_over
    last_event = Event.objects.order_by("id").last()
    answer(drop, "answers.csv", rows(fo))

    assert third_party.collect_all() == Collected(applied=0, failed=0)

    assert files(drop / "incoming" / "failed") == ["answers.csv", "answers.error.txt"]
    report = (drop / "incoming" / "failed" / "answers.error.txt").read_text(encoding="utf-8")
    assert report.startswith("answers.csv was not applied: nothing in it was applied")
    assert problem in report.splitlines()
    assert state(fo) == (Status.IN_PROGRESS, Handover.REQUESTED, "", "")
    assert topics(since=last_event) == []


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"request,state\nx,accepted\n", id="header-without-the-columns"),
        pytest.param("request_id,status\n1,ναι\n".encode("utf-16"), id="not-utf-8"),
    ],
)
def test_a_file_that_is_not_an_answer_file_is_set_aside(
    handed_over: FulfillmentOrder, drop: Path, content: bytes
) -> None:
    (drop / "incoming").mkdir(parents=True)
    (drop / "incoming" / "answers.csv").write_bytes(content)

    third_party.collect_all()

    assert files(drop / "incoming" / "failed") == ["answers.csv", "answers.error.txt"]
    assert state(handed_over) == (Status.IN_PROGRESS, Handover.REQUESTED, "", "")


def test_an_answer_for_an_unknown_request_is_refused_with_its_whole_file(
    handed_over: FulfillmentOrder, drop: Path
) -> None:
    fo = handed_over
    stranger = str(uuid.uuid4())
    last_event = Event.objects.order_by("id").last()
    answer(drop, "answers.csv", [_accepted(fo), {"request_id": stranger, "status": "shipped", "tracking_number": "X1"}])

    assert third_party.collect_all() == Collected(applied=0, failed=1)

    assert files(drop / "incoming" / "failed") == ["answers.csv", "answers.error.txt"]
    problem = f"answers.csv:3: request {stranger} is unknown: no request with this request_id was sent to location 3pl-athens."
    assert problem in (drop / "incoming" / "failed" / "answers.error.txt").read_text(encoding="utf-8").splitlines()
    assert state(fo) == (Status.IN_PROGRESS, Handover.REQUESTED, "", "")  # its own answer was not applied either
    assert not Shipment.objects.exists()
    assert topics(since=last_event) == ["fulfillment.handover_answer_failed"]
    last = timeline(fo.order)[-1]
    assert last.text == "An answer from the fulfilment service (answers.csv) could not be applied; it was set aside."
    assert last.note == problem


def test_a_parcel_with_more_than_was_asked_is_refused(handed_over: FulfillmentOrder, drop: Path) -> None:
    fo = handed_over
    parcel = {"request_id": str(fo.public_id), "status": "shipped", "tracking_number": "T9"}
    answer(
        drop, "answers.csv", [{**parcel, "sku": "TEA-100", "quantity": 3}, {**parcel, "sku": "MUG-1", "quantity": 1}]
    )

    assert third_party.collect_all() == Collected(applied=0, failed=1)

    report = (drop / "incoming" / "failed" / "answers.error.txt").read_text(encoding="utf-8").splitlines()
    where = f"answers.csv:2: parcel T9 of request {fo.public_id}"
    assert f"{where}: 3 of SKU TEA-100, but the request has 2 left to ship." in report
    assert f"{where}: SKU MUG-1 is not in the request." in report
    assert not Shipment.objects.exists()
    assert state(fo) == (Status.IN_PROGRESS, Handover.REQUESTED, "", "")


def test_a_request_of_another_location_is_unknown_here(handed_over: FulfillmentOrder, drop: Path) -> None:
    Location.objects.create(code="3pl-lodz", name="3PL Łódź", kind=LocationKind.THIRD_PARTY, handover="file_drop")
    lodz = drop.parent / "3pl-lodz"
    answer(lodz, "answers.csv", [_accepted(handed_over)])

    assert third_party.collect_all() == Collected(applied=0, failed=1)

    assert files(lodz / "incoming" / "failed") == ["answers.csv", "answers.error.txt"]
    assert state(handed_over) == (Status.IN_PROGRESS, Handover.REQUESTED, "", "")


def test_after_a_cancellation_a_refusal_changes_nothing_and_a_parcel_is_refused(
    handed_over: FulfillmentOrder, drop: Path
) -> None:
    fo = handed_over
    cancel_order(order=fo.order, reason="The customer changed their mind", actor=STAFF)
    drain()
    assert state(fo)[0] == Status.CANCELLED
    last_event = Event.objects.order_by("id").last()
    answer(drop, "refused.csv", [{**_accepted(fo), "status": "rejected", "note": "Too late"}])

    assert third_party.collect_all() == Collected(applied=1, failed=0)

    assert state(fo) == (Status.CANCELLED, Handover.REQUESTED, "", "")
    assert topics(since=last_event) == []

    answer(drop, "shipped.csv", [{**_accepted(fo), "status": "shipped", "tracking_number": "LATE-1"}])

    assert third_party.collect_all() == Collected(applied=0, failed=1)

    assert not Shipment.objects.exists()
    assert topics(since=last_event) == ["fulfillment.handover_answer_failed"]
    number = fo.order.display_number
    assert timeline(fo.order)[-1].note == f"shipped.csv:2: Order {number} is cancelled; nothing of it can be shipped."


def test_a_cash_on_delivery_order_asks_the_3pl_to_collect_what_is_owed(
    api: Client, athens_3pl: Location, drop: Path
) -> None:
    number = place(
        api,
        lines=LINES[:1],
        total="41.80",
        shipping_price="2.00",
        payment={"method": "cash_on_delivery", "status": "pending"},
    )
    confirm(number)
    drain()
    fo = FulfillmentOrder.objects.get(order=order_of(number))

    rows = list(csv.DictReader((drop / "outgoing" / f"{number}-{fo.public_id}.csv").open(encoding="utf-8")))

    assert [(row["sku"], row["quantity"], row["cod_amount"], row["cod_currency"]) for row in rows] == [
        ("TEA-100", "2", "41.80", "EUR")
    ]


def test_an_answer_file_may_order_its_columns_freely_and_come_from_a_spreadsheet(
    handed_over: FulfillmentOrder, drop: Path
) -> None:
    (drop / "incoming").mkdir(parents=True)
    rows = [
        "\ufeffStatus,tracking_number,Request_ID,sku,quantity,warehouse",
        f"shipped,T-7,{handed_over.public_id},TEA-100,2,athens-2",
        f"shipped,T-7,{handed_over.public_id},TEA-250,1,athens-2",
        ",,,,,",
    ]
    (drop / "incoming" / "answers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    assert third_party.collect_all() == Collected(applied=1, failed=0)

    shipment = Shipment.objects.get()
    assert (shipment.tracking_number, shipment.carrier_name) == ("T-7", "")
    assert sorted((line.sku, line.quantity) for line in shipment.lines.all()) == [("TEA-100", 2), ("TEA-250", 1)]
    assert state(handed_over)[0] == Status.CLOSED
