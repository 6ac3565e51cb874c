"""The demo's shipping floor: packaging, bins, digital files, the Warsaw 3PL, and what the
warehouse does at each cut-off (a wave, then a parcel per order, packed and labelled)."""

from __future__ import annotations

import random

from django.core.files.base import ContentFile

from emporos.catalog.models import DigitalAsset, Variant
from emporos.core.actor import Actor
from emporos.core.errors import DomainError
from emporos.fulfillment import delays, handover, planning, polling
from emporos.fulfillment.models import (
    FulfillmentOrder,
    FulfillmentOrderLine,
    Handover,
    Mode,
    Packaging,
    PackagingKind,
    Status,
    Wave,
)
from emporos.fulfillment.shipments import ShipmentDraft, create_shipment
from emporos.inventory.models import Location, LocationKind, StockLevel
from emporos.orders.models import LineStockState, Order, OrderLine

# (code, name, kind, length, width, height in mm, own weight and most it carries in grams)
PACKAGING = (
    ("envelope-a4", "Padded envelope A4", PackagingKind.ENVELOPE, 320, 240, 30, 40, 1000),
    ("box-s", "Box S (shoe box)", PackagingKind.BOX, 300, 200, 100, 180, 3000),
    ("box-m", "Box M", PackagingKind.BOX, 400, 300, 200, 320, 8000),
    ("box-l", "Box L (double wall)", PackagingKind.BOX, 600, 400, 300, 650, 20000),
)
# Aisle letters per location, so pick lists walk the shelves in order.
_AISLES = {"athens": "A", "thessaloniki": "T", "warsaw": "W"}
THIRD_PARTY = "warsaw"


def open_floor(rng: random.Random) -> None:
    """Packaging, a bin for every stocked SKU, the digital files, and Warsaw run by a 3PL."""
    for position, (code, name, kind, length, width, height, weight, most) in enumerate(PACKAGING):
        Packaging.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "length_mm": length,
                "width_mm": width,
                "height_mm": height,
                "weight_grams": weight,
                "max_weight_grams": most,
                "position": position,
            },
        )
    for level in StockLevel.objects.select_related("location").order_by("location_id", "variant_id"):
        aisle = _AISLES.get(level.location.code, "X")
        level.bin = f"{aisle}-{rng.randint(1, 12):02d}-{rng.randint(1, 5)}"
        level.save(update_fields=["bin"])
    for variant in Variant.objects.filter(product__fulfillment_mode="digital"):
        if not DigitalAsset.objects.filter(variant=variant).exists():
            asset = DigitalAsset(variant=variant, filename=f"{variant.sku.lower()}.txt", download_limit=5, link_days=14)
            text = f"{variant.product.name}\n\nThank you for your order. This is the demo shop's sample file.\n"
            asset.file.save(f"{variant.sku.lower()}.txt", ContentFile(text.encode()), save=True)
    Location.objects.filter(code=THIRD_PARTY).update(kind=LocationKind.THIRD_PARTY, handover="file_drop")


def plan(order: Order, actor: Actor) -> None:
    """What the worker does when an order is confirmed or paid (the demo's history has no worker)."""
    order.refresh_from_db()
    planning.plan(order=order, actor=actor)


def replan_served(skus: set[str], actor: Actor) -> None:
    """Orders whose waiting lines of `skus` were just served by a delivery."""
    waiting = FulfillmentOrder.objects.filter(
        waits_for="out_of_stock",
        status=Status.ON_HOLD,
        lines__order_line__sku__in=skus,
        lines__order_line__stock_state=LineStockState.RESERVED,
    ).values_list("order_id", flat=True)
    for order in Order.objects.filter(pk__in=set(waiting)).order_by("placed_at"):
        planning.plan(order=order, actor=actor)


def _box_for(grams: int) -> str:
    for code, *_rest, most in PACKAGING:
        if grams <= most:
            return code
    return PACKAGING[-1][0]


def pack(fulfillment_order_id: int, actor: Actor) -> None:
    """Pack and label one fulfillment order of a wave: its lines, the smallest box that carries them."""
    fo = FulfillmentOrder.objects.select_related("order").get(pk=fulfillment_order_id)
    lines = [
        (fl.order_line.sku, fl.quantity - fl.quantity_shipped, fl.order_line.variant.weight_grams)
        for fl in FulfillmentOrderLine.objects.filter(fulfillment_order=fo).select_related("order_line__variant")
        if fl.quantity > fl.quantity_shipped
    ]
    if not lines or fo.status not in {Status.IN_PROGRESS, Status.OPEN}:
        return
    grams = sum(quantity * weight for _sku, quantity, weight in lines)
    draft = ShipmentDraft(lines=[(sku, quantity) for sku, quantity, _weight in lines], packaging=_box_for(grams))
    try:
        create_shipment(order=fo.order, draft=draft, actor=actor, idempotency_key=f"demo-{fo.public_id}", wave=fo.wave)
    except DomainError:
        return  # the order changed meanwhile (held, cancelled): it stays for the desk


def answer_third_party(actor: Actor) -> None:
    """The Warsaw 3PL accepts yesterday's requests and ships them with its carrier."""
    requested = FulfillmentOrder.objects.filter(
        mode=Mode.THIRD_PARTY, handover__in=[Handover.REQUESTED, Handover.ACCEPTED]
    ).order_by("id")
    for fo in requested:
        handover.answer(fulfillment_order=fo, accepted=True, note="", actor=actor)
        pack(fo.pk, actor)


def wave_fulfillment_orders(wave: Wave) -> list[int]:
    return list(FulfillmentOrder.objects.filter(wave=wave).order_by("-is_express", "id").values_list("pk", flat=True))


def make_ready(order: Order, actor: Actor) -> None:
    """Made-to-order lines finished by the workshop."""
    from emporos.orders import services as orders

    for line in OrderLine.objects.filter(order=order, stock_state=LineStockState.MADE_TO_ORDER):
        try:
            orders.mark_made(order=order, line_id=line.pk, actor=actor)
        except DomainError:
            return
    plan(order, actor)


def track_parcels() -> None:
    """What the carriers have said about every parcel up to now, and the delay cases that calls for
    (the worker's polling and delay jobs carry on from here while the demo runs)."""
    polling.poll_carriers(actor=Actor.system("Carrier tracking"), codes=["demo"])
    delays.detect_delays(actor=Actor.system("Delay watch"))
