"""The return label: the carrier's PDF when it supplied one, else Emporos's own 4x6 label, from the
customer to the shop, with the return's number as its barcode (a post office or courier scans it)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from emporos.fulfillment import carriers
from emporos.fulfillment.documents import render
from emporos.fulfillment.documents.data import ShippingLabel
from emporos.fulfillment.printing import address_lines, shop_address
from emporos.returns.models import Return
from emporos.shop import selectors as shop


def label_pdf(ret: Return) -> bytes:
    if ret.label:
        with ret.label.open("rb") as stored:
            return stored.read()
    return render.label_pdf(label_data(ret))


def label_data(ret: Return) -> ShippingLabel:
    order = ret.order
    language = order.customer.language or "en"
    try:
        carrier_name = carriers.carrier(ret.carrier or "manual").name
    except carriers.CarrierNotConfigured:
        carrier_name = ret.carrier
    with override(language):
        service = _("Return")
    return ShippingLabel(
        carrier=carrier_name,
        service=service,
        tracking_number=ret.tracking_number or ret.display_number,
        reference=ret.display_number,
        sender=address_lines(order.shipping_address or order.billing_address or {"name": order.customer.name}),
        recipient=(shop.current().name, *shop_address()),
        weight="",
        language=language,
    )
