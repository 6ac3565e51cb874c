"""The values a message's placeholders take: read from an order, a parcel, a delay case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import override

from emporos.core import formats
from emporos.core.config import setting
from emporos.fulfillment import carriers
from emporos.fulfillment.models import DelayCase, DelayReason, Download, Shipment
from emporos.orders import links
from emporos.orders.models import Order
from emporos.returns.models import Return
from emporos.shop import selectors as shop


def public_url(path: str) -> str:
    """An absolute address on the shop's public site (EMPOROS_PUBLIC_URL + path)."""
    return f"{setting('PUBLIC_URL').rstrip('/')}{path}"


def _carrier_name(shipment: Shipment) -> str:
    if shipment.carrier_name:
        return shipment.carrier_name
    try:
        return carriers.carrier(shipment.carrier).name
    except carriers.CarrierNotConfigured:
        return shipment.carrier


def _tracking_link(shipment: Shipment) -> str:
    if shipment.tracking_url:
        return shipment.tracking_url
    try:
        return carriers.carrier(shipment.carrier).tracking_url(shipment.tracking_number)
    except Exception:  # noqa: BLE001 - a missing tracking page leaves the line out, it stops no message
        return ""


def _date(value: dt.date | None, language: str) -> str:
    return formats.date(value, language=language) if value is not None else ""


def of_order(order: Order, *, language: str) -> dict[str, str]:
    return {
        "customer_name": order.customer.name,
        "order_number": order.display_number,
        "shop_name": shop.current().name,
        "status_link": public_url(links.status_path(order)),
    }


def of_shipment(shipment: Shipment, *, language: str) -> dict[str, str]:
    return {
        "carrier": _carrier_name(shipment),
        "tracking_number": shipment.tracking_number,
        "tracking_link": _tracking_link(shipment),
        "expected_delivery": _date(shipment.expected_on, language),
        "pickup_point": shipment.pickup_point,
        "pickup_code": shipment.pickup_code,
        "pickup_until": _date(shipment.pickup_until, language),
    }


def problem_words(reason: str) -> str:
    """What went wrong, as the customer reads it (in the active language)."""
    words: dict[str, str] = {
        DelayReason.NO_SCAN: _("Your parcel has not moved for longer than it should."),
        DelayReason.EXCEPTION: _("The carrier reported a problem with your parcel."),
        DelayReason.FAILED_ATTEMPT: _("The carrier could not deliver your parcel."),
        DelayReason.LATE: _("Your parcel will arrive later than we promised."),
    }
    return words.get(reason, _("Your parcel is delayed."))


def delay_options(shipment: Shipment) -> list[str]:
    """The ways out the shop allows (EMPOROS_DELAY_OPTIONS), as the customer reads them."""
    allowed = setting("DELAY_OPTIONS")
    options = []
    if "pickup_point" in allowed and shipment.pickup_point:
        options.append(_("- pick another pickup point"))
    if "delivery_day" in allowed and not shipment.pickup_point:
        options.append(_("- choose a new delivery day"))
    if "cancel_rest" in allowed:
        options.append(_("- cancel what has not been delivered, and get that part refunded"))
    return options


def of_case(case: DelayCase, *, language: str) -> dict[str, str]:
    with override(language):
        return {"problem": problem_words(case.reason), "options": "\n".join(delay_options(case.shipment))}


def of_downloads(downloads: list[Download], *, language: str) -> dict[str, str]:
    from emporos.fulfillment.digital import link_path

    return {"download_links": "\n".join(f"{d.filename}: {public_url(link_path(d))}" for d in downloads)}


def of_return(ret: Return, *, language: str) -> dict[str, str]:
    """The return's number, items, links, refund deadline and, for a withdrawal statement, the
    date and time it was received (in the shop's time zone: the moment the law counts)."""
    from emporos.returns import links as return_links

    with override(language):
        items = [
            f"- {line.quantity} × {line.order_line.name} ({line.sku})"
            for line in ret.lines.select_related("order_line").order_by("id")
        ]
    return {
        "return_number": ret.display_number,
        "return_items": "\n".join(items),
        "return_link": return_links.page_url(ret),
        "label_link": return_links.label_url(ret),
        "refund_due": _date(ret.refund_due, language) if ret.resolution == "refund" else "",
        "statement_at": formats.datetime(ret.notice_at, language=language, time_zone=str(shop.time_zone()))
        if ret.is_withdrawal_statement
        else "",
    }


def of_money_back(ret: Return, *, amount: Decimal, language: str, gift_card_code: str = "") -> dict[str, str]:
    """A received return's values, with what was refunded or given as store credit."""
    words = formats.money(amount, ret.order.currency, language=language)
    return of_return(ret, language=language) | {
        "refund_amount": words,
        "credit_amount": words,
        "gift_card_code": gift_card_code,
    }


def sample(kind: str, *, language: str) -> dict[str, str]:
    """Values for a preview: an order of the shop as a customer would see it, in `language`."""
    expected = dt.date(2026, 12, 3)
    with override(language):
        return {
            "customer_name": {"el": "Μαρία Παπαδοπούλου", "pl": "Anna Kowalska", "he": "יעל כהן"}.get(
                language, "Maria Smith"
            ),
            "order_number": "EM-10001",
            "shop_name": shop.current().name,
            "status_link": public_url("/status/sample-signed-link/"),
            "carrier": "BOX NOW",
            "tracking_number": "9212345678",
            "tracking_link": "https://boxnow.gr/en/?track=9212345678",
            "expected_delivery": formats.date(expected, language=language),
            "pickup_point": "BOX NOW Syntagma 1",
            "pickup_code": "482913",
            "pickup_until": formats.date(expected + dt.timedelta(days=3), language=language),
            "problem": problem_words(DelayReason.EXCEPTION),
            "options": "\n".join(
                [
                    _("- pick another pickup point"),
                    _("- cancel what has not been delivered, and get that part refunded"),
                ]
            ),
            "download_links": "ebook.pdf: " + public_url("/downloads/sample/"),
            "return_number": "EM-10001-R1",
            "return_items": "- 1 × Mountain tea 100 g (TEA-100)",
            "return_link": public_url("/returns/sample-signed-link/"),
            "label_link": public_url("/returns/sample-signed-link/label.pdf"),
            "refund_due": formats.date(expected + dt.timedelta(days=14), language=language),
            "statement_at": formats.datetime(
                dt.datetime(2026, 12, 3, 10, 15, tzinfo=dt.UTC), language=language, time_zone=str(shop.time_zone())
            ),
            "refund_amount": formats.money(Decimal("19.90"), "EUR", language=language),
            "credit_amount": formats.money(Decimal("19.90"), "EUR", language=language),
            "gift_card_code": "K7QM-2XPA-9RTD",
            "feedback_link": public_url("/feedback/sample-signed-link/"),
        }
