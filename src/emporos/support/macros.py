"""Canned replies filled in for one ticket: the body in the ticket's language with its
{placeholders} replaced by what the shop knows (C6: the customer is never asked for it again)."""

from __future__ import annotations

import re

from emporos.core import formats
from emporos.fulfillment import carriers
from emporos.fulfillment.models import Shipment
from emporos.notifications.facts import public_url
from emporos.orders import links
from emporos.shop import selectors as shop
from emporos.support.models import Macro, Ticket

LANGUAGES = ("en", "el", "pl", "he")
PLACEHOLDERS = ("customer_name", "order_number", "tracking_link", "expected_date", "shop_name", "agent_name")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def unknown_placeholders(text: str) -> list[str]:
    """The {names} in `text` that no ticket can fill, in the order they appear."""
    found: list[str] = []
    for name in PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS and name not in found:
            found.append(name)
    return found


def body_for(macro: Macro, language: str) -> str:
    """The body in `language`, else in English, else the first one written."""
    bodies = {code: text for code, text in (macro.bodies or {}).items() if str(text).strip()}
    if language in bodies:
        return str(bodies[language])
    if "en" in bodies:
        return str(bodies["en"])
    return str(next(iter(bodies.values()), ""))


def latest_shipment(ticket: Ticket) -> Shipment | None:
    if ticket.shipment_id is not None:
        return ticket.shipment
    if ticket.order_id is None:
        return None
    return Shipment.objects.filter(order_id=ticket.order_id).order_by("-sequence").first()


def tracking_link(shipment: Shipment | None) -> str:
    if shipment is None:
        return ""
    if shipment.tracking_url:
        return shipment.tracking_url
    try:
        return carriers.carrier(shipment.carrier).tracking_url(shipment.tracking_number)
    except Exception:  # noqa: BLE001 - a carrier without a tracking page leaves the placeholder empty
        return ""


def values_for(ticket: Ticket, *, agent_name: str) -> dict[str, str]:
    """What each placeholder becomes for this ticket (empty when the shop does not know it)."""
    language = ticket.language if ticket.language in LANGUAGES else "en"
    shipment = latest_shipment(ticket)
    order = ticket.order
    link = tracking_link(shipment)
    if not link and order is not None:
        link = public_url(links.status_path(order))
    expected = shipment.expected_on if shipment is not None else None
    return {
        "customer_name": ticket.customer.name.split()[0] if ticket.customer.name.strip() else "",
        "order_number": order.display_number if order is not None else "",
        "tracking_link": link,
        "expected_date": formats.date(expected, language=language) if expected is not None else "",
        "shop_name": shop.current().name,
        "agent_name": agent_name,
    }


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each known {placeholder} replaced; anything else in braces stays as written."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def filled(macro: Macro, ticket: Ticket, *, agent_name: str) -> str:
    return fill(body_for(macro, ticket.language), values_for(ticket, agent_name=agent_name))


def ordered() -> list[Macro]:
    return list(Macro.objects.order_by("position", "name"))
