"""What the printed documents show: plain values, read from the database once per wave (or built
by the benchmark without one). Renderers never query; texts come translated and formatted for
the document's language, except the fixed headings the renderer translates itself."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PickItem:
    location: str  # the location's name
    bin: str  # "" when the shop does not use bins
    sku: str
    name: str
    quantity: int
    orders: tuple[str, ...]  # order numbers, "EM-10042"


@dataclass(frozen=True)
class PickList:
    wave: str  # the wave's reference, "W-2026-12-01-1200"
    cutoff: str  # formatted for `language`
    printed_at: str
    language: str  # the staff member's language
    items: tuple[PickItem, ...]  # sorted by location, bin, SKU
    orders: int  # how many orders the wave holds
    express_orders: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlipLine:
    sku: str
    name: str
    quantity: int
    waiting: bool = False  # shipped later (backordered, pre-order): printed as "follows separately"


@dataclass(frozen=True)
class PackingSlip:
    number: str  # "EM-10042"
    language: str  # the customer's: en, el, pl or he (he: right to left)
    placed_on: str  # formatted for `language`
    shop_name: str
    shop_address: tuple[str, ...]
    ship_to: tuple[str, ...]  # the address lines as the customer wrote them
    method: str  # the shipping method's name
    lines: tuple[SlipLine, ...]
    thank_you: str  # the shop's thank-you text, in its tone and the customer's language
    gift_message: str = ""
    coupon_code: str = ""  # a single-use code for the next purchase
    coupon_value: str = ""  # formatted: "10 %" or "5,00 €"
    coupon_expires: str = ""  # formatted date
    express: bool = False
    barcode: str = ""  # what the slip's Code128 encodes (the order number; scanned at packing)


@dataclass(frozen=True)
class ShippingLabel:
    """A 4x6 inch (102x152 mm) label, for the manual and demo carriers."""

    carrier: str  # carrier's display name
    service: str  # the method's name
    tracking_number: str  # Code128 and QR encode exactly this
    reference: str  # "EM-10042/1"
    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    weight: str  # formatted, "1,2 kg"
    language: str = "en"  # of the fixed words on the label
    pickup_point: str = ""
    cash_on_delivery: str = ""  # formatted amount, "" when none
    signature_required: bool = False
    presence_required: bool = False
    express: bool = False
    parcel: str = ""  # "1/2" when an order leaves in several parcels
    qr_payload: str = field(default="")  # "" means the tracking number
