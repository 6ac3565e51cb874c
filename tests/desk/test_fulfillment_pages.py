"""The desk's fulfilment pages: waves, the packing table, shipments, the order's fulfilment section
and the packaging settings; who may open each, and what each changes."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from typing import Any

import pytest
from django.test import Client

from emporos.core import clock
from emporos.fulfillment.models import FulfillmentOrder, HoldReason, Packaging, Shipment, Status, Wave
from emporos.orders.models import OrderLine
from emporos.shipping.models import Method
from emporos.shop import selectors as shop_settings
from tests.conftest import place, stock, timeline_kinds
from tests.fulfillment.conftest import confirm, drain, order_of

pytestmark = pytest.mark.django_db

TEA_AND_MUGS = [
    {"sku": "TEA-100", "quantity": 2, "unit_price": "19.90"},
    {"sku": "MUG-1", "quantity": 3, "unit_price": "12.00"},  # 1 in stock: the order waits for 2
]


def _text(markup: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", markup).split()))


def _field_errors(body: str, name: str) -> list[str]:
    """The messages shown next to the form field `name` (its error paragraphs)."""
    return [_text(error) for error in re.findall(rf'<p class="field__error" id="id_{name}_error">(.*?)</p>', body)]


def ready(api: Client, **overrides: Any) -> str:
    """An order placed, confirmed and planned by the worker: its parts are ready or waiting."""
    number = place(api, **overrides)
    confirm(number)
    drain()
    return number


@pytest.fixture
def shop(greece: None) -> None:
    """Greece's methods ship with the demo carrier (labels without typing a tracking number)."""
    Method.objects.update(carrier="demo")


@pytest.fixture
def boxes(db: None) -> list[Packaging]:
    return [
        Packaging.objects.create(
            code="BOX-S", name="Small box", length_mm=200, width_mm=150, height_mm=100, weight_grams=150, position=1
        ),
        Packaging.objects.create(
            code="ENV-A4",
            name="A4 envelope",
            kind="envelope",
            length_mm=320,
            width_mm=230,
            height_mm=20,
            weight_grams=40,
            position=2,
        ),
        Packaging.objects.create(
            code="OLD", name="Old box", length_mm=1, width_mm=1, height_mm=1, weight_grams=1, is_active=False
        ),
    ]


# --- Who may open what ---------------------------------------------------------------------------

PAGES = ["/fulfillment/", "/packing/", "/shipments/", "/settings/fulfillment/"]
ALLOWED = {
    "owner": set(PAGES),
    "warehouse": {"/fulfillment/", "/packing/", "/shipments/"},
    "support": {"/shipments/"},
}


@pytest.mark.parametrize("role", ["owner", "warehouse", "support"])
def test_each_page_opens_for_its_roles_and_refuses_the_others(make_staff: Any, role: str) -> None:
    client = make_staff(role)
    for path in PAGES:
        response = client.get(path)
        if path in ALLOWED[role]:
            assert response.status_code == 200, path
        else:
            assert response.status_code == 403, path
            assert "Your role cannot do this." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("owner", ["/fulfillment/", "/packing/", "/shipments/"]),
        ("warehouse", ["/fulfillment/", "/packing/", "/shipments/"]),
        ("support", ["/shipments/"]),
    ],
)
def test_the_menu_shows_the_pages_a_role_may_open(make_staff: Any, role: str, links: list[str]) -> None:
    nav = re.search(r'<nav class="mainnav".*?</nav>', make_staff(role).get("/").content.decode(), re.S)
    assert nav is not None
    shown = [href for href in re.findall(r'href="([^"]+)"', nav.group(0)) if href in PAGES]
    assert shown == links


@pytest.mark.parametrize(
    "path", ["/fulfillment/", "/packing/", "/packing/EM-10001/", "/shipments/", "/settings/fulfillment/"]
)
def test_pages_need_sign_in(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={path}"


def test_order_pages_refuse_the_actions_a_role_may_not_take(make_staff: Any, api: Client, shop: None) -> None:
    number = ready(api)
    support = make_staff("support")
    assert support.get(f"/orders/{number}/fulfillment/ship/").status_code == 403
    assert support.post(f"/orders/{number}/fulfillment/ship/", {}).status_code == 403
    assert support.get(f"/packing/{number}/").status_code == 403
    body = support.get(f"/orders/{number}/").content.decode()
    assert 'id="fulfil"' not in body  # the Fulfil button is for those who may ship
    assert 'id="fulfillment"' in body
    assert not Shipment.objects.exists()


# --- Fulfilment page and waves -------------------------------------------------------------------


def test_starting_a_wave_with_nothing_ready_says_so(make_staff: Any) -> None:
    client = make_staff("warehouse")
    response = client.post("/fulfillment/waves/")
    assert response.status_code == 303
    assert response["Location"] == "/fulfillment/"
    assert "Nothing is ready: no order waits for a wave." in client.get("/fulfillment/").content.decode()
    assert not Wave.objects.exists()


def test_the_page_lists_ready_orders_express_first_and_waiting_ones_by_reason(
    make_staff: Any, api: Client, shop: None
) -> None:
    plain = ready(api)
    express = ready(api, express=True)
    waiting = ready(api, lines=TEA_AND_MUGS, total="75.80", shipping_price="0.00")
    unpaid = ready(api, payment={"method": "bank_transfer", "status": "pending"})

    body = make_staff("warehouse").get("/fulfillment/").content.decode()

    ready_section = re.search(
        r'<section class="panel panel--flush" aria-labelledby="ready-title".*?</section>', body, re.S
    )
    assert ready_section is not None
    listed = re.findall(r'data-order="(EM-\d+)"', ready_section.group(0))
    assert listed == [express, plain, waiting]  # express first; the ready part of the order that waits too
    assert '<span class="badge" id="ready-count">3 orders</span>' in body
    groups = dict(re.findall(r'<div class="waitgroup" data-reason="(\w+)">.*?<bdi>(EM-\d+)</bdi>', body, re.S))
    assert groups == {"awaiting_payment": unpaid, "out_of_stock": waiting}


def test_starting_a_wave_takes_the_ready_orders_and_opens_the_wave(make_staff: Any, api: Client, shop: None) -> None:
    first, second = ready(api), ready(api, express=True)
    client = make_staff("warehouse")

    response = client.post("/fulfillment/waves/")

    wave = Wave.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/fulfillment/waves/{wave.public_id}/"
    assert set(FulfillmentOrder.objects.filter(wave=wave).values_list("status", flat=True)) == {Status.IN_PROGRESS}
    page = client.get(response["Location"])
    body = page.content.decode()
    assert f"Wave {wave.reference} started with 2 orders." in _text(body)
    assert re.findall(r'<tr data-order="(EM-\d+)">', body) == [second, first]
    assert body.count("To pack") == 2
    assert f'href="/fulfillment/waves/{wave.public_id}/pick-list.pdf"' in body
    assert f'action="/fulfillment/waves/{wave.public_id}/labels/"' in body
    listing = client.get("/fulfillment/").content.decode()
    assert f'<tr data-wave="{wave.reference}">' in listing


def test_wave_labels_make_one_parcel_per_order_however_often_pressed(make_staff: Any, api: Client, shop: None) -> None:
    first, second = ready(api), ready(api)
    client = make_staff("warehouse")
    client.post("/fulfillment/waves/")
    wave = Wave.objects.get()

    response = client.post(f"/fulfillment/waves/{wave.public_id}/labels/")
    again = client.post(f"/fulfillment/waves/{wave.public_id}/labels/")

    assert response.status_code == again.status_code == 303
    assert response["Location"] == f"/fulfillment/waves/{wave.public_id}/labels.pdf"
    parcels = Shipment.objects.order_by("order__number")
    assert [(parcel.order.display_number, parcel.carrier, parcel.wave_id) for parcel in parcels] == [
        (first, "demo", wave.pk),
        (second, "demo", wave.pk),
    ]
    assert {parcel.idempotency_key for parcel in parcels} == {
        f"wave-{part.public_id}" for part in FulfillmentOrder.objects.filter(wave=wave)
    }
    body = client.get(f"/fulfillment/waves/{wave.public_id}/").content.decode()
    assert body.count(">Packed</span>") == 2


def test_wave_labels_name_the_orders_a_manual_carrier_needs_packed_by_hand(
    make_staff: Any, api: Client, greece: None
) -> None:
    number = ready(api)  # courier-standard ships with the manual carrier: a tracking number is needed
    client = make_staff("warehouse")
    client.post("/fulfillment/waves/")
    wave = Wave.objects.get()

    response = client.post(f"/fulfillment/waves/{wave.public_id}/labels/")

    assert response.status_code == 303
    assert response["Location"] == f"/fulfillment/waves/{wave.public_id}/"
    body = _text(client.get(response["Location"]).content.decode())
    assert f"1 order got no label; pack it at the packing table: {number}:" in body
    assert not Shipment.objects.exists()


def test_an_unknown_wave_is_a_friendly_404(make_staff: Any) -> None:
    response = make_staff("warehouse").get(f"/fulfillment/waves/{uuid.uuid4()}/")
    assert response.status_code == 404
    assert "There is no such wave" in response.content.decode()


# --- The order's fulfilment section --------------------------------------------------------------


def test_fulfil_ships_part_of_an_order_and_the_page_shows_the_parcel(make_staff: Any, api: Client, shop: None) -> None:
    number = ready(api, lines=TEA_AND_MUGS, total="75.80", shipping_price="0.00")
    client = make_staff("warehouse")
    order = order_of(number)
    tea, mug = (OrderLine.objects.get(order=order, sku=sku) for sku in ("TEA-100", "MUG-1"))

    form = client.get(f"/orders/{number}/fulfillment/ship/")
    assert form.status_code == 200
    assert form.context["form"][f"line-{tea.pk}"].value() == 2  # can ship now
    assert form.context["form"][f"line-{mug.pk}"].value() == 0  # waits for stock
    assert form.context["form"]["carrier"].value() == "demo"

    key = str(uuid.uuid4())
    data = {f"line-{tea.pk}": "1", f"line-{mug.pk}": "0", "carrier": "demo", "packaging": "", "key": key}
    response = client.post(f"/orders/{number}/fulfillment/ship/", data)
    again = client.post(f"/orders/{number}/fulfillment/ship/", data)  # pressed twice

    assert response.status_code == again.status_code == 303
    assert response["Location"] == f"/orders/{number}/#fulfillment"
    parcel = Shipment.objects.get()
    assert [(line.sku, line.quantity) for line in parcel.lines.all()] == [("TEA-100", 1)]
    assert parcel.idempotency_key == f"desk-ship-{key}"
    tea.refresh_from_db()
    assert tea.quantity_shipped == 1
    body = client.get(f"/orders/{number}/").content.decode()
    assert f"Parcel {number}/1 is on its way with Demo Express, tracking number {parcel.tracking_number}." in body
    parcels = _text(
        re.search(r'<table class="table table--compact" id="order-parcels">.*?</table>', body, re.S).group(0)
    )  # type: ignore[union-attr]
    assert f"{number}/1 Demo Express {parcel.tracking_number} Label created TEA-100 × 1 PDF" in parcels
    row = _text(re.search(r'<tr data-sku="TEA-100">(.*?)</tr>', body, re.S).group(1))  # type: ignore[union-attr]
    assert row.startswith("TEA-100 mountain-tea TEA-100 2 1 ")  # ordered 2, shipped 1
    assert "fulfillment.shipment_created" in timeline_kinds(order)


def test_fulfil_refuses_a_waiting_line_next_to_its_field_and_ships_nothing(
    make_staff: Any, api: Client, shop: None
) -> None:
    number = ready(api, lines=TEA_AND_MUGS, total="75.80", shipping_price="0.00")
    client = make_staff("owner")
    mug = OrderLine.objects.get(order=order_of(number), sku="MUG-1")
    tea = OrderLine.objects.get(order=order_of(number), sku="TEA-100")

    response = client.post(
        f"/orders/{number}/fulfillment/ship/",
        {f"line-{tea.pk}": "0", f"line-{mug.pk}": "1", "carrier": "demo", "key": str(uuid.uuid4())},
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert _field_errors(body, f"line-{mug.pk}") == ["MUG-1 cannot be shipped yet: out of stock."]
    assert _field_errors(body, f"line-{tea.pk}") == []
    assert not Shipment.objects.exists()


def test_fulfil_with_the_manual_carrier_asks_for_the_tracking_number(make_staff: Any, api: Client, shop: None) -> None:
    number = ready(api)
    client = make_staff("owner")
    tea = OrderLine.objects.get(order=order_of(number), sku="TEA-100")

    response = client.post(
        f"/orders/{number}/fulfillment/ship/",
        {f"line-{tea.pk}": "2", "carrier": "manual", "tracking_number": "", "key": str(uuid.uuid4())},
    )

    assert response.status_code == 400
    assert _field_errors(response.content.decode(), "tracking_number") == [
        "Type the tracking number from the carrier's label."
    ]
    assert not Shipment.objects.exists()


def test_fulfil_needs_at_least_one_unit(make_staff: Any, api: Client, shop: None) -> None:
    number = ready(api)
    tea = OrderLine.objects.get(order=order_of(number), sku="TEA-100")
    response = make_staff("owner").post(
        f"/orders/{number}/fulfillment/ship/", {f"line-{tea.pk}": "0", "carrier": "demo", "key": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    assert "Give at least one unit to ship." in response.content.decode()


def test_a_part_is_held_with_a_reason_and_released(make_staff: Any, api: Client, shop: None) -> None:
    number = ready(api)
    client = make_staff("support")  # support may hold: an address to check is theirs to call about
    part = FulfillmentOrder.objects.get(order=order_of(number))

    refused = client.post(
        f"/orders/{number}/fulfillment/{part.public_id}/hold/",
        {f"hold-{part.pk}-reason": "out_of_stock", f"hold-{part.pk}-note": ""},
    )
    assert refused.status_code == 400
    assert (
        _field_errors(refused.content.decode(), f"hold-{part.pk}-reason")[0] == "Choose one of the options in the list."
    )
    assert f'<details class="part-hold" id="hold-{part.pk}" open>' in refused.content.decode()

    held = client.post(
        f"/orders/{number}/fulfillment/{part.public_id}/hold/",
        {f"hold-{part.pk}-reason": "address_problem", f"hold-{part.pk}-note": "Λείπει ο όροφος"},
    )
    assert held.status_code == 303
    part.refresh_from_db()
    assert (part.status, part.hold_reason, part.hold_note, part.held_by_staff) == (
        Status.ON_HOLD,
        HoldReason.ADDRESS_PROBLEM,
        "Λείπει ο όροφος",
        True,
    )
    body = client.get(f"/orders/{number}/").content.decode()
    assert f"Part of order {number} is on hold: address problem." in body
    assert f'id="release-{part.pk}"' in body

    released = client.post(f"/orders/{number}/fulfillment/{part.public_id}/release/")
    assert released.status_code == 303
    part.refresh_from_db()
    assert (part.status, part.held_by_staff) == (Status.OPEN, False)
    again = client.post(f"/orders/{number}/fulfillment/{part.public_id}/release/")
    assert again.status_code == 409
    assert "This part is not held by staff (any more), so there is nothing to release." in again.content.decode()
    kinds = timeline_kinds(order_of(number))
    assert kinds.count("fulfillment.held") == kinds.count("fulfillment.released") == 1


def test_a_made_to_order_line_is_marked_as_made_once(make_staff: Any, api: Client, shop: None) -> None:
    number = ready(api, lines=[{"sku": "ICON-1", "quantity": 1, "unit_price": "80.00"}], total="83.50")
    client = make_staff("warehouse")
    icon = OrderLine.objects.get(order=order_of(number), sku="ICON-1")
    assert f'id="made-{icon.pk}"' in client.get(f"/orders/{number}/").content.decode()

    response = client.post(f"/orders/{number}/lines/{icon.pk}/made/")
    again = client.post(f"/orders/{number}/lines/{icon.pk}/made/")

    assert response.status_code == 303
    icon.refresh_from_db()
    assert icon.stock_state == "ready"
    assert again.status_code == 409
    assert "This line is not waiting to be made (any more)." in again.content.decode()
    drain()
    part = FulfillmentOrder.objects.get(order=order_of(number), status=Status.OPEN)
    assert part.waits_for == ""


# --- The packing table (the browser test drives its JavaScript) ----------------------------------


@pytest.mark.parametrize("typed", ["{number}", "{digits}", "{lower}", "  {number}  "])
def test_a_scanned_or_typed_number_opens_the_order(make_staff: Any, api: Client, shop: None, typed: str) -> None:
    number = ready(api)
    scanned = typed.format(number=number, digits=number.removeprefix("EM-"), lower=number.lower())
    response = make_staff("warehouse").get("/packing/", {"order": scanned})
    assert response.status_code == 302
    assert response["Location"] == f"/packing/{number}/"


@pytest.mark.parametrize("scanned", ["EM-99999", "MUG-1", "²", "9" * 40])
def test_an_unknown_scan_says_so_next_to_the_box(make_staff: Any, scanned: str) -> None:
    response = make_staff("warehouse").get("/packing/", {"order": scanned})
    assert response.status_code == 404
    errors = re.findall(r'<p class="field__error scanbox__error" id="scan-error">(.*?)</p>', response.content.decode())
    assert errors == [f"There is no order {scanned}. Scan the slip again or type its number."]


def test_the_packing_page_lists_lines_to_pack_what_follows_and_the_boxes(
    make_staff: Any, api: Client, shop: None, boxes: list[Packaging]
) -> None:
    number = ready(api, lines=TEA_AND_MUGS, total="75.80", shipping_price="0.00")
    body = make_staff("warehouse").get(f"/packing/{number}/").content.decode()
    assert re.findall(r'class="packline[^"]*" data-line="\d+" data-sku="([^"]+)" data-required="(\d+)"', body) == [
        ("TEA-100", "2")
    ]
    follows = _text(re.search(r'id="follows">(.*?)</section>', body, re.S).group(1))  # type: ignore[union-attr]
    assert follows == "Follows separately MUG-1 mug MUG-1 × 3 · out of stock"
    assert re.findall(r'name="packaging" value="([^"]+)"', body) == ["BOX-S", "ENV-A4"]  # not the one out of use
    assert 'name="order"' in body
    assert "autofocus" in body
    assert 'name="tracking_number"' not in body  # the demo carrier gives the number


def test_closing_a_package_ships_what_was_confirmed_once(
    make_staff: Any, api: Client, shop: None, boxes: list[Packaging]
) -> None:
    number = ready(api)
    client = make_staff("warehouse")
    tea = OrderLine.objects.get(order=order_of(number), sku="TEA-100")
    data = {f"line-{tea.pk}": "2", "packaging": "BOX-S", "key": str(uuid.uuid4())}

    response = client.post(f"/packing/{number}/", data)
    again = client.post(f"/packing/{number}/", data)

    parcel = Shipment.objects.get()
    assert response.status_code == again.status_code == 303
    assert response["Location"] == again["Location"] == f"/packing/parcels/{parcel.public_id}/"
    assert [(line.sku, line.quantity) for line in parcel.lines.all()] == [("TEA-100", 2)]
    assert parcel.packaging == boxes[0]
    assert parcel.weight_grams == 2 * 5000 + 150  # the tea (5 kg a unit in this shop) and the box
    done = client.get(response["Location"]).content.decode()
    assert f'src="/shipments/{parcel.public_id}/label.pdf"' in done
    assert 'id="next-order" href="/packing/"' in done


def test_closing_more_than_is_left_is_refused_on_the_line(
    make_staff: Any, api: Client, shop: None, boxes: list[Packaging]
) -> None:
    number = ready(api)
    tea = OrderLine.objects.get(order=order_of(number), sku="TEA-100")
    response = make_staff("warehouse").post(
        f"/packing/{number}/", {f"line-{tea.pk}": "3", "packaging": "BOX-S", "key": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    errors = re.findall(r'<p class="field__error packline__error">(.*?)</p>', response.content.decode())
    assert errors == ["Only 2 units of TEA-100 go into this parcel."]
    assert not Shipment.objects.exists()


def test_closing_without_a_unit_or_a_box_is_refused(
    make_staff: Any, api: Client, shop: None, boxes: list[Packaging]
) -> None:
    number = ready(api)
    tea = OrderLine.objects.get(order=order_of(number), sku="TEA-100")
    response = make_staff("warehouse").post(f"/packing/{number}/", {f"line-{tea.pk}": "0", "key": str(uuid.uuid4())})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the box or envelope the parcel goes in." in body
    response = make_staff("warehouse", username="second").post(
        f"/packing/{number}/", {f"line-{tea.pk}": "0", "packaging": "BOX-S", "key": str(uuid.uuid4())}
    )
    assert "Scan or tap at least one unit before closing the package." in response.content.decode()
    assert not Shipment.objects.exists()


def test_a_held_order_is_not_packed(make_staff: Any, api: Client, shop: None) -> None:
    number = ready(api, payment={"method": "bank_transfer", "status": "pending"})
    body = make_staff("warehouse").get(f"/packing/{number}/").content.decode()
    assert 'id="pack-form"' not in body
    held = _text(re.search(r'<div class="alert alert--error" role="alert" id="held">(.*?)</div>', body, re.S).group(1))  # type: ignore[union-attr]
    assert held == "On hold: do not pack these until the hold is lifted. TEA-100 × 2 · awaiting payment"


# --- Shipments list ------------------------------------------------------------------------------


def test_shipments_are_listed_newest_first_and_filtered(make_staff: Any, api: Client, shop: None) -> None:
    client = make_staff("support")
    first, second = ready(api), ready(api)
    owner = make_staff("owner")
    for number in (first, second):
        tea = OrderLine.objects.get(order=order_of(number), sku="TEA-100")
        owner.post(
            f"/orders/{number}/fulfillment/ship/",
            {f"line-{tea.pk}": "2", "carrier": "demo", "key": str(uuid.uuid4())},
        )
    older, newer = Shipment.objects.order_by("created_at", "id")

    def listed(**query: str) -> list[str]:
        response = client.get("/shipments/", query)
        assert response.status_code == 200
        return re.findall(r'<tr data-shipment="([^"]+)">', response.content.decode())

    assert listed() == [str(newer.public_id), str(older.public_id)]
    assert listed(q=older.tracking_number) == [str(older.public_id)]
    assert listed(q=first.lower()) == [str(older.public_id)]
    assert listed(carrier="manual") == []
    assert listed(status="label_created", carrier="demo") == [str(newer.public_id), str(older.public_id)]
    assert listed(q="²") == []
    assert listed(q="9" * 40) == []
    body = client.get("/shipments/").content.decode()
    assert f'href="{newer.tracking_url}"' in body
    assert f'href="/shipments/{newer.public_id}/label.pdf"' in body


def test_shipment_filters_refuse_bad_values_next_to_the_field(make_staff: Any) -> None:
    response = make_staff("owner").get("/shipments/", {"status": "lost", "after": "not-a-cursor"})
    assert response.status_code == 400
    assert _field_errors(response.content.decode(), "status")[0] == "Choose one of the options in the list."


def test_shipments_page_after_page(make_staff: Any, api: Client, shop: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from emporos.desk.views import shipments

    monkeypatch.setattr(shipments, "PAGE_SIZE", 1)
    owner = make_staff("owner")
    for number in (ready(api), ready(api)):
        tea = OrderLine.objects.get(order=order_of(number), sku="TEA-100")
        owner.post(
            f"/orders/{number}/fulfillment/ship/", {f"line-{tea.pk}": "2", "carrier": "demo", "key": str(uuid.uuid4())}
        )
    newer, older = Shipment.objects.order_by("-created_at", "-id")
    first = owner.get("/shipments/")
    assert first.context["shipments"] == [newer]
    second = owner.get(first.context["next_page_url"])
    assert second.context["shipments"] == [older]
    assert second.context["next_page_url"] is None
    assert owner.get("/shipments/", {"after": "forged"}).context["shipments"] == [newer]


# --- Packaging settings --------------------------------------------------------------------------

NEW_BOX = {
    "code": "BOX-M",
    "name": "Medium box",
    "kind": "box",
    "length_mm": "300",
    "width_mm": "200",
    "height_mm": "150",
    "weight_grams": "250",
    "max_weight_grams": "10000",
    "position": "5",
}


def test_the_owner_adds_and_changes_packaging(owner: Client) -> None:
    response = owner.post("/settings/fulfillment/", NEW_BOX)
    assert response.status_code == 303
    box = Packaging.objects.get(code="BOX-M")
    assert (box.name, box.weight_grams, box.max_weight_grams, box.is_active) == ("Medium box", 250, 10000, True)

    edit = owner.get("/settings/fulfillment/packaging/BOX-M/")
    assert edit.status_code == 200
    assert edit.context["form"]["name"].value() == "Medium box"
    saved = owner.post("/settings/fulfillment/packaging/BOX-M/", {**NEW_BOX, "name": "Medium box (brown)"})
    assert saved.status_code == 303
    box.refresh_from_db()
    assert box.name == "Medium box (brown)"

    out = owner.post("/settings/fulfillment/packaging/BOX-M/active/", {"is_active": "no"})
    assert out.status_code == 303
    box.refresh_from_db()
    assert box.is_active is False
    assert (
        "Medium box (brown) is out of use; packers no longer see it."
        in owner.get("/settings/fulfillment/").content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weight_grams": "-5"}, "weight_grams", "Give the empty packaging's weight in grams, 0 to 100000."),
        ({"length_mm": "0"}, "length_mm", "Give the size in millimetres, from 1 to 3000."),
        (
            {"max_weight_grams": "200"},
            "max_weight_grams",
            "The most a packed parcel may weigh must be more than the empty packaging weighs.",
        ),
        ({"code": "box m"}, "code", "A code may contain only letters A-Z and a-z, digits, '-', '_' and '.', "),
        ({"name": ""}, "name", "Give the name."),
    ],
    ids=["negative-weight", "zero-side", "max-below-weight", "bad-code", "no-name"],
)
def test_a_bad_packaging_value_is_shown_next_to_its_field(
    owner: Client, changes: dict[str, str], field: str, message: str
) -> None:
    response = owner.post("/settings/fulfillment/", {**NEW_BOX, **changes})
    assert response.status_code == 400
    errors = _field_errors(response.content.decode(), field)
    assert len(errors) == 1
    assert errors[0].startswith(message), errors
    assert not Packaging.objects.exists()


def test_an_edit_to_a_taken_code_is_refused_next_to_the_code(owner: Client, boxes: list[Packaging]) -> None:
    response = owner.post("/settings/fulfillment/packaging/ENV-A4/", {**NEW_BOX, "code": "BOX-S"})
    assert response.status_code == 400
    assert _field_errors(response.content.decode(), "code") == [
        "Another packaging already has the code BOX-S; choose another code."
    ]
    assert Packaging.objects.get(pk=boxes[1].pk).code == "ENV-A4"


def test_the_summary_shows_cut_offs_methods_and_carriers(owner: Client, shop: None) -> None:
    body = owner.get("/settings/fulfillment/").content.decode()
    cutoffs = _text(re.search(r'id="cutoffs">(.*?)</section>', body, re.S).group(1))  # type: ignore[union-attr]
    assert cutoffs.startswith("Cut-offs 12:00 , 17:00 (Europe/Athens)")
    methods = re.search(r'<tbody class="stock-group" data-zone="greece">.*?</tbody>', body, re.S)
    assert methods is not None
    standard = _text(re.search(r'<tr data-method="courier-standard">(.*?)</tr>', methods.group(0), re.S).group(1))  # type: ignore[union-attr]
    assert "Courier Standard courier-standard · EUR Demo Express €50.00 Yes, fee €2.00 Yes" in standard
    assert 'href="/admin/shipping/zone/"' in body
    carriers = _text(re.search(r'id="carriers-table">(.*?)</table>', body, re.S).group(1))  # type: ignore[union-attr]
    assert "demo Demo Express Needs no set-up" in carriers
    assert "manual Manual Needs no set-up" in carriers


def test_packaging_settings_are_the_owners(make_staff: Any, boxes: list[Packaging]) -> None:
    packer = make_staff("warehouse")
    assert packer.post("/settings/fulfillment/", NEW_BOX).status_code == 403
    assert packer.post("/settings/fulfillment/packaging/BOX-S/active/", {"is_active": "no"}).status_code == 403
    assert not Packaging.objects.filter(code="BOX-M").exists()
    assert Packaging.objects.get(code="BOX-S").is_active


def test_order_page_queries_do_not_grow_with_parts_or_parcels(
    make_staff: Any, api: Client, shop: None, django_assert_num_queries: Any
) -> None:
    owner = make_staff("owner")
    small = ready(api)
    big = ready(
        api,
        lines=[*TEA_AND_MUGS, {"sku": "TEA-250", "quantity": 1, "unit_price": "19.90"}],
        total="95.70",
        shipping_price="0.00",
    )
    for number, sku in ((small, "TEA-100"), (big, "TEA-100"), (big, "TEA-250")):
        line = OrderLine.objects.get(order=order_of(number), sku=sku)
        owner.post(
            f"/orders/{number}/fulfillment/ship/", {f"line-{line.pk}": "1", "carrier": "demo", "key": str(uuid.uuid4())}
        )
    assert Shipment.objects.filter(order=order_of(big)).count() == 2
    owner.get(f"/orders/{small}/")  # the shop's settings, now cached

    # Those of an order without parts (tests/desk/test_order_page.py), the lines of its parts and
    # parcels, and the parcels' carrier events.
    shop_settings.current()
    with django_assert_num_queries(15):
        owner.get(f"/orders/{small}/")
    shop_settings.current()
    with django_assert_num_queries(15):
        response = owner.get(f"/orders/{big}/")
    assert len(response.context["fulfillment"].parts) == 2
    assert len(response.context["fulfillment"].parcels) == 2


# --- Printed documents ---------------------------------------------------------------------------


def _is_pdf(response: Any) -> bool:
    return (
        response.status_code == 200
        and response["Content-Type"] == "application/pdf"
        and (b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF"))
    )


def test_a_waves_pick_list_packing_slips_and_labels_print(make_staff: Any, api: Client, shop: None) -> None:
    first, second = ready(api), ready(api, express=True)
    client = make_staff("warehouse")
    client.post("/fulfillment/waves/")
    wave = Wave.objects.get()
    base = f"/fulfillment/waves/{wave.public_id}"

    assert _is_pdf(client.get(f"{base}/pick-list.pdf"))
    slips = client.get(f"{base}/packing-slips.pdf")
    assert _is_pdf(slips)
    assert slips["Content-Disposition"] == f'inline; filename="packing-slips-{wave.reference}.pdf"'
    labels = client.get(client.post(f"{base}/labels/")["Location"])
    assert _is_pdf(labels)
    zpl = client.get(f"{base}/labels.zpl")
    assert zpl.status_code == 200
    assert zpl["Content-Type"] == "application/zpl; charset=utf-8"
    body = zpl.content.decode()
    assert body.count("^XA") == body.count("^XZ") == 2
    assert {parcel.tracking_number for parcel in Shipment.objects.all()} <= set(re.findall(r"DM\d{10}", body))
    parcel = Shipment.objects.get(order__number=int(first.removeprefix("EM-")))
    assert _is_pdf(client.get(f"/shipments/{parcel.public_id}/label.pdf"))
    one = client.get(f"/shipments/{parcel.public_id}/label.zpl")
    assert one.content.decode().startswith("^XA")
    assert second in client.get(f"{base}/").content.decode()


def test_a_wave_with_nothing_left_to_pack_prints_no_slips(make_staff: Any, api: Client, shop: None) -> None:
    ready(api)
    client = make_staff("warehouse")
    client.post("/fulfillment/waves/")
    wave = Wave.objects.get()
    client.post(f"/fulfillment/waves/{wave.public_id}/labels/")  # every order packed

    response = client.get(f"/fulfillment/waves/{wave.public_id}/packing-slips.pdf")

    assert response.status_code == 303
    assert response["Location"] == f"/fulfillment/waves/{wave.public_id}/"
    assert "Every order of this wave is packed or held: there is no slip to print." in _text(
        client.get(response["Location"]).content.decode()
    )
    assert _is_pdf(client.get(f"/fulfillment/waves/{wave.public_id}/pick-list.pdf"))


@pytest.mark.parametrize("document", ["pick-list.pdf", "packing-slips.pdf", "labels.pdf", "labels.zpl"])
def test_documents_of_an_unknown_wave_are_a_friendly_404(make_staff: Any, document: str) -> None:
    response = make_staff("warehouse").get(f"/fulfillment/waves/{uuid.uuid4()}/{document}")
    assert response.status_code == 404
    assert "There is no such wave" in response.content.decode()


def test_the_label_of_an_unknown_parcel_is_a_friendly_404(make_staff: Any) -> None:
    response = make_staff("support").get(f"/shipments/{uuid.uuid4()}/label.pdf")
    assert response.status_code == 404
    assert "There is no such parcel" in response.content.decode()


# --- Queries per page do not grow with what the page lists ---------------------------------------


def _queries(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    shop_settings.current()  # read now, so the page finds them in the process cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_fulfilment_pages_query_the_same_for_few_or_many_orders(make_staff: Any, api: Client, shop: None) -> None:
    owner = make_staff("owner")
    stock("TEA-100", 100)

    def pages() -> list[int]:
        wave = Wave.objects.order_by("-cutoff_at").first()
        number = Shipment.objects.order_by("-id").values_list("order__number", flat=True).first()
        assert wave is not None
        assert number is not None
        paths = ["/fulfillment/", f"/fulfillment/waves/{wave.public_id}/", "/shipments/", f"/packing/EM-{number}/"]
        return [_queries(owner, path) for path in paths]

    def round_of(orders: int) -> None:
        numbers = [ready(api, express=index % 2 == 0) for index in range(orders)]
        ready(api, lines=TEA_AND_MUGS, total="75.80", shipping_price="0.00")  # waits for stock
        ready(api, payment={"method": "bank_transfer", "status": "pending"})  # waits for payment
        owner.post("/fulfillment/waves/")
        wave = Wave.objects.order_by("-cutoff_at").first()
        assert wave is not None
        owner.post(f"/fulfillment/waves/{wave.public_id}/labels/")
        assert Shipment.objects.filter(order__number__in=[int(n[3:]) for n in numbers]).count() == orders
        ready(api)  # one more to pack at the table

    with clock.frozen_at(clock.now()):
        round_of(1)
    first = pages()
    with clock.frozen_at(clock.now() + dt.timedelta(minutes=5)):
        round_of(4)
    assert pages() == first


def test_the_manual_carrier_asks_the_packer_for_the_tracking_number(
    make_staff: Any, api: Client, greece: None, boxes: list[Packaging]
) -> None:
    number = ready(api)  # courier-standard ships with the manual carrier here
    client = make_staff("warehouse")
    tea = OrderLine.objects.get(order=order_of(number), sku="TEA-100")
    assert 'name="tracking_number"' in client.get(f"/packing/{number}/").content.decode()
    data = {f"line-{tea.pk}": "2", "packaging": "ENV-A4", "key": str(uuid.uuid4())}

    refused = client.post(f"/packing/{number}/", data)
    closed = client.post(f"/packing/{number}/", {**data, "tracking_number": "ACS123456"})

    assert refused.status_code == 400
    assert _field_errors(refused.content.decode(), "tracking_number") == [
        "Type the tracking number from the carrier's label."
    ]
    assert closed.status_code == 303
    parcel = Shipment.objects.get()
    assert (parcel.carrier, parcel.tracking_number, parcel.packaging) == ("manual", "ACS123456", boxes[1])
