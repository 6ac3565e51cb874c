"""What goes on paper: the wave's pick list, a packing slip per order, labels. Reads the
database once per document set and hands plain values to the renderers (documents/)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
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


def _address_lines(address: dict[str, str]) -> tuple[str, ...]:
    city = " ".join(part for part in (address.get("postal_code", ""), address.get("city", "")) if part)
    parts = [address.get("name", ""), address.get("company", ""), address.get("line1", ""), address.get("line2", "")]
    parts += [city, address.get("region", ""), address.get("country", ""), address.get("phone", "")]
    return tuple(part for part in parts if part)


def _shop_address() -> tuple[str, ...]:
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
    return render.packing_slips_pdf([slip_of(fo, actor=actor) for fo in fulfillment_orders])


def slip_of(fo: FulfillmentOrder, *, actor: Actor) -> PackingSlip:
    order = Order.objects.select_related("customer").get(pk=fo.order_id)
    language = _language(order.customer.language)
    coupon = _slip_coupon(fo, order, actor=actor)
    in_parcel = {
        fl.order_line_id: fl.quantity - fl.quantity_shipped
        for fl in FulfillmentOrderLine.objects.filter(fulfillment_order=fo)
    }
    lines = []
    for line in OrderLine.objects.filter(order=order).order_by("sku", "id"):
        if line.pk in in_parcel and in_parcel[line.pk] > 0:
            lines.append(SlipLine(sku=line.sku, name=line.name, quantity=in_parcel[line.pk]))
        elif line.stock_state in WAITING_LINE_STATES:
            lines.append(SlipLine(sku=line.sku, name=line.name, quantity=line.quantity_unshipped, waiting=True))
    return PackingSlip(
        number=order.display_number,
        language=language,
        placed_on=formats.date(order.placed_at.astimezone(shop.time_zone()).date(), language=language),
        shop_name=shop.current().name,
        shop_address=_shop_address(),
        ship_to=_address_lines(order.shipping_address or {}),
        method=_method_names([order]).get(order.shipping_method, order.shipping_method),
        lines=tuple(lines),
        thank_you=thank_you(language),
        gift_message=order.gift_message,
        coupon_code=coupon.code if coupon else "",
        coupon_value=_coupon_value(coupon, language) if coupon else "",
        coupon_expires=formats.date(coupon.expires_at.date(), language=language) if coupon else "",
        express=order.is_express,
        barcode=order.display_number,
    )


def _slip_coupon(fo: FulfillmentOrder, order: Order, *, actor: Actor) -> Coupon | None:
    """The order's single-use thank-you coupon: issued once, the first time its slip is printed."""
    percent = settings.EMPOROS["SLIP_COUPON_PERCENT"]
    if not percent:
        return None
    if fo.slip_coupon:
        return Coupon.objects.filter(code=fo.slip_coupon).first()
    with transaction.atomic():
        locked = FulfillmentOrder.objects.select_for_update().get(pk=fo.pk)
        if locked.slip_coupon:
            return Coupon.objects.filter(code=locked.slip_coupon).first()
        coupon = coupons.issue_coupon(
            customer=order.customer,
            kind="percent",
            value=Decimal(percent),
            actor=actor,
            valid_days=settings.EMPOROS["SLIP_COUPON_DAYS"],
        )
        FulfillmentOrder.objects.filter(pk=fo.pk).update(slip_coupon=coupon.code)
        fo.slip_coupon = coupon.code
    return coupon


def _coupon_value(coupon: Coupon, language: str) -> str:
    if coupon.kind == "percent":
        return formats.percent(coupon.value, language=language)
    return formats.money(coupon.value, coupon.currency, language=language)


def label_data(shipment: Shipment, *, parcels: int | None = None) -> ShippingLabel:
    order = shipment.order
    weight = formats.number(Decimal(shipment.weight_grams) / 1000, language="en") + " kg"
    total = parcels or Shipment.objects.filter(order=order).count()
    return ShippingLabel(
        carrier=shipment.carrier_name or carriers.carrier(shipment.carrier).name,
        service=_method_names([order]).get(order.shipping_method, shipment.carrier_service),
        tracking_number=shipment.tracking_number,
        reference=shipment.reference,
        sender=(shop.current().name, *_shop_address()),
        recipient=_address_lines(order.shipping_address or {}),
        weight=weight,
        pickup_point=shipment.pickup_point,
        cash_on_delivery=formats.money(shipment.cod_amount, shipment.cod_currency, language="en")
        if shipment.cod_amount is not None
        else "",
        signature_required=shipment.signature_required,
        presence_required=shipment.presence_required,
        express=order.is_express,
        parcel=f"{shipment.sequence}/{total}" if total > 1 else "",
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
    own = [label_data(shipment) for shipment in shipments if not shipment.label]
    if not own:
        raise NothingToPrint("None of these parcels has a label Emporos prints; print each carrier's label instead.")
    return render.labels_pdf(own)
