"""What goes on paper: the wave's pick list, a packing slip per order, labels. Reads the
database once per document set and hands plain values to the renderers (documents/)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from emporos.core import clock, formats
from emporos.core.actor import Actor
from emporos.customers import coupons
from emporos.customers.models import Coupon
from emporos.fulfillment import carriers
from emporos.fulfillment.documents import render
from emporos.fulfillment.documents.data import PackingSlip, PickItem, PickList, ShippingLabel, SlipLine
from emporos.fulfillment.errors import NothingToPrint
from emporos.fulfillment.models import FulfillmentOrder, FulfillmentOrderLine, Shipment, Wave
from emporos.inventory.models import StockLevel
from emporos.orders.models import WAITING_LINE_STATES, Order, OrderLine
from emporos.shipping.models import Method
from emporos.shop import selectors as shop
from emporos.shop.models import FormOfAddress, Tone

LANGUAGES = ("en", "el", "pl", "he")


def _language(code: str) -> str:
    return code if code in LANGUAGES else "en"


def thank_you(language: str) -> str:
    """The shop's thank-you line, in its tone and form of address, in `language`."""
    current = shop.current()
    with override(_language(language)):
        if current.tone == Tone.FORMAL:
            if current.form_of_address == FormOfAddress.INFORMAL:
                return pgettext("informal", "Thank you for your order. We hope you enjoy it.")
            return _("Thank you for your order. We hope you enjoy it.")
        if current.form_of_address == FormOfAddress.INFORMAL:
            return pgettext(
                "informal", "Thank you for shopping with us! We packed your order with care and hope you love it."
            )
        return _("Thank you for shopping with us! We packed your order with care and hope you love it.")


def address_lines(address: dict[str, str]) -> tuple[str, ...]:
    city = " ".join(part for part in (address.get("postal_code", ""), address.get("city", "")) if part)
    parts = [address.get("name", ""), address.get("company", ""), address.get("line1", ""), address.get("line2", "")]
    parts += [city, address.get("region", ""), address.get("country", ""), address.get("phone", "")]
    return tuple(part for part in parts if part)


def shop_address() -> tuple[str, ...]:
    current = shop.current()
    city = " ".join(part for part in (current.postal_code, current.city) if part)
    return tuple(part for part in (current.address_line, city, current.country, current.email) if part)


def _method_names(orders: list[Order]) -> dict[str, str]:
    codes = {order.shipping_method for order in orders if order.shipping_method}
    return dict(Method.objects.filter(code__in=codes).values_list("code", "name"))


def pick_list(wave: Wave, *, language: str) -> bytes:
    fos = list(FulfillmentOrder.objects.filter(wave=wave).select_related("order", "location"))
    by_fo = {fo.pk: fo for fo in fos}
    fo_lines = list(FulfillmentOrderLine.objects.filter(fulfillment_order__in=fos).select_related("order_line"))
    bins: dict[tuple[int, int | None], str] = {
        (variant_id, location_id): bin_
        for variant_id, location_id, bin_ in StockLevel.objects.filter(
            variant_id__in={fl.order_line.variant_id for fl in fo_lines}
        ).values_list("variant_id", "location_id", "bin")
    }
    grouped: dict[tuple[str, str, str, str], list[tuple[int, str]]] = defaultdict(list)
    for fl in fo_lines:
        fo = by_fo[fl.fulfillment_order_id]
        line = fl.order_line
        location = fo.location.name if fo.location else _("Made to order")
        bin_ = bins.get((line.variant_id, fo.location_id), "")
        left = fl.quantity - fl.quantity_shipped
        if left > 0:
            grouped[(location, bin_, line.sku, line.name)].append((left, fo.order.display_number))
    items = tuple(
        PickItem(
            location=location,
            bin=bin_,
            sku=sku,
            name=name,
            quantity=sum(quantity for quantity, _number in picks),
            orders=tuple(sorted({number for _quantity, number in picks})),
        )
        for (location, bin_, sku, name), picks in sorted(grouped.items())
    )
    tz = str(shop.time_zone())
    data = PickList(
        wave=wave.reference,
        cutoff=formats.datetime(wave.cutoff_at, language=language, time_zone=tz),
        printed_at=formats.datetime(clock.now(), language=language, time_zone=tz),
        language=_language(language),
        items=items,
        orders=len({fo.order_id for fo in fos}),
        express_orders=tuple(sorted({fo.order.display_number for fo in fos if fo.is_express})),
    )
    return render.pick_list_pdf(data)


def packing_slips(fulfillment_orders: list[FulfillmentOrder], *, actor: Actor) -> bytes:
    return render.packing_slips_pdf(slips_of(fulfillment_orders, actor=actor))


def slip_of(fo: FulfillmentOrder, *, actor: Actor) -> PackingSlip:
    return slips_of([fo], actor=actor)[0]


def slips_of(fulfillment_orders: list[FulfillmentOrder], *, actor: Actor) -> list[PackingSlip]:
    """The packing slip of each fulfillment order, in the order given. The batch is read in a few
    queries whatever its size; the coupons printed the first time are issued then (see _slip_coupons)."""
    fos = list(fulfillment_orders)
    if not fos:
        return []
    orders = Order.objects.select_related("customer").in_bulk({fo.order_id for fo in fos})
    coupons = _slip_coupons(fos, orders, actor=actor)
    in_parcel: dict[int, dict[int, int]] = defaultdict(dict)
    for fl in FulfillmentOrderLine.objects.filter(fulfillment_order__in={fo.pk for fo in fos}):
        in_parcel[fl.fulfillment_order_id][fl.order_line_id] = fl.quantity - fl.quantity_shipped
    lines: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(order__in=list(orders)).order_by("sku", "id"):
        lines[line.order_id].append(line)
    words = _SlipWords(methods=_method_names(list(orders.values())))
    return [_slip(orders[fo.order_id], in_parcel[fo.pk], lines[fo.order_id], coupons.get(fo.pk), words) for fo in fos]


class _SlipWords:
    """What every slip of a batch shares: the shop's settings read once, each language's texts once."""

    def __init__(self, *, methods: dict[str, str]) -> None:
        current = shop.current()
        self.methods = methods
        self.shop_name = current.name
        self.shop_address = shop_address()
        self.time_zone = shop.time_zone()
        self._thanks: dict[str, str] = {}

    def thank_you(self, language: str) -> str:
        if language not in self._thanks:
            self._thanks[language] = thank_you(language)
        return self._thanks[language]


def _slip(
    order: Order, in_parcel: dict[int, int], order_lines: list[OrderLine], coupon: Coupon | None, words: _SlipWords
) -> PackingSlip:
    language = _language(order.customer.language)
    lines = []
    for line in order_lines:
        if line.pk in in_parcel and in_parcel[line.pk] > 0:
            lines.append(SlipLine(sku=line.sku, name=line.name, quantity=in_parcel[line.pk]))
        elif line.stock_state in WAITING_LINE_STATES:
            lines.append(SlipLine(sku=line.sku, name=line.name, quantity=line.quantity_unshipped, waiting=True))
    return PackingSlip(
        number=order.display_number,
        language=language,
        placed_on=formats.date(order.placed_at.astimezone(words.time_zone).date(), language=language),
        shop_name=words.shop_name,
        shop_address=words.shop_address,
        ship_to=address_lines(order.shipping_address or {}),
        method=words.methods.get(order.shipping_method, order.shipping_method),
        lines=tuple(lines),
        thank_you=words.thank_you(language),
        gift_message=order.gift_message,
        coupon_code=coupon.code if coupon else "",
        coupon_value=_coupon_value(coupon, language) if coupon else "",
        coupon_expires=formats.date(coupon.expires_at.date(), language=language) if coupon else "",
        express=order.is_express,
        barcode=order.display_number,
    )


# Fulfillment orders locked at a time while their coupons are issued: one transaction each, short
# enough that a packer shipping one of them meanwhile waits a moment, not a whole wave.
_COUPON_BATCH = 100


def _slip_coupons(fos: list[FulfillmentOrder], orders: dict[int, Order], *, actor: Actor) -> dict[int, Coupon]:
    """Each fulfillment order's single-use thank-you coupon, by its id: issued once, the first time
    its slip is printed (a coupon another printer issued meanwhile is the one printed)."""
    percent = settings.EMPOROS["SLIP_COUPON_PERCENT"]
    if not percent:
        return {}
    issued: dict[int, Coupon] = {}
    codes: dict[int, str] = {fo.pk: fo.slip_coupon for fo in fos if fo.slip_coupon}
    unissued = sorted({fo.pk for fo in fos} - set(codes))
    owners = {fo.pk: orders[fo.order_id].customer for fo in fos}
    for start in range(0, len(unissued), _COUPON_BATCH):
        with transaction.atomic():
            locked = dict(
                FulfillmentOrder.objects.select_for_update()
                .filter(pk__in=unissued[start : start + _COUPON_BATCH])
                .order_by("pk")
                .values_list("pk", "slip_coupon")
            )
            for pk, code in locked.items():
                if code:
                    codes[pk] = code
                    continue
                issued[pk] = coupons.issue_coupon(
                    customer=owners[pk],
                    kind="percent",
                    value=Decimal(percent),
                    actor=actor,
                    valid_days=settings.EMPOROS["SLIP_COUPON_DAYS"],
                )
                codes[pk] = issued[pk].code
            FulfillmentOrder.objects.bulk_update(
                [FulfillmentOrder(pk=pk, slip_coupon=issued[pk].code) for pk in locked if pk in issued],
                ["slip_coupon"],
            )
    for fo in fos:
        fo.slip_coupon = codes.get(fo.pk, "")
    earlier = {code for pk, code in codes.items() if pk not in issued}
    found = Coupon.objects.in_bulk(earlier, field_name="code") if earlier else {}
    return issued | {pk: found[code] for pk, code in codes.items() if code in found}


def _coupon_value(coupon: Coupon, language: str) -> str:
    if coupon.kind == "percent":
        return formats.percent(coupon.value, language=language)
    return formats.money(coupon.value, coupon.currency, language=language)


def label_data(shipment: Shipment, *, parcels: int | None = None) -> ShippingLabel:
    total = parcels or Shipment.objects.filter(order_id=shipment.order_id).count()
    return _label(shipment, parcels=total, words=_LabelWords(methods=_method_names([shipment.order])))


def labels_data(shipments: list[Shipment]) -> list[ShippingLabel]:
    """The label of each shipment, in the order given, read in at most three queries whatever their number."""
    if not shipments:
        return []
    prefetch_related_objects(shipments, "order")
    parcels = dict(
        Shipment.objects.filter(order_id__in={shipment.order_id for shipment in shipments})
        .values("order_id")
        .annotate(count=Count("id"))
        .values_list("order_id", "count")
    )
    words = _LabelWords(methods=_method_names([shipment.order for shipment in shipments]))
    return [_label(shipment, parcels=parcels[shipment.order_id], words=words) for shipment in shipments]


class _LabelWords:
    """What every label of a batch shares: the sender, the carriers' and methods' names."""

    def __init__(self, *, methods: dict[str, str]) -> None:
        self.methods = methods
        self.sender = (shop.current().name, *shop_address())
        self._carriers: dict[str, str] = {}

    def carrier(self, code: str) -> str:
        if code not in self._carriers:
            self._carriers[code] = carriers.carrier(code).name
        return self._carriers[code]


def _label(shipment: Shipment, *, parcels: int, words: _LabelWords) -> ShippingLabel:
    order = shipment.order
    weight = formats.number(Decimal(shipment.weight_grams) / 1000, language="en") + " kg"
    return ShippingLabel(
        carrier=shipment.carrier_name or words.carrier(shipment.carrier),
        service=words.methods.get(order.shipping_method, shipment.carrier_service),
        tracking_number=shipment.tracking_number,
        reference=shipment.reference,
        sender=words.sender,
        recipient=address_lines(order.shipping_address or {}),
        weight=weight,
        pickup_point=shipment.pickup_point,
        cash_on_delivery=formats.money(shipment.cod_amount, shipment.cod_currency, language="en")
        if shipment.cod_amount is not None
        else "",
        signature_required=shipment.signature_required,
        presence_required=shipment.presence_required,
        express=order.is_express,
        parcel=f"{shipment.sequence}/{parcels}" if parcels > 1 else "",
    )


def label_pdf(shipment: Shipment) -> bytes:
    """The carrier's own label when it supplied one, else Emporos's 4x6 label."""
    if shipment.label:
        with shipment.label.open("rb") as stored:
            return stored.read()
    return render.label_pdf(label_data(shipment))


def label_zpl(shipment: Shipment) -> str:
    if shipment.label_zpl:
        return shipment.label_zpl
    return render.label_zpl(label_data(shipment))


def labels(shipments: list[Shipment]) -> bytes:
    """One PDF with every Emporos-printed label of `shipments` (carrier labels come separately)."""
    own = labels_data([shipment for shipment in shipments if not shipment.label])
    if not own:
        raise NothingToPrint("None of these parcels has a label Emporos prints; print each carrier's label instead.")
    return render.labels_pdf(own)
