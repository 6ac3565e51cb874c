"""What an agent does for the customer from a ticket, beyond answering: send the order's status
link again, or send a coupon. Each is an answer on the ticket (queued to the customer like any
reply, in the ticket's language and the shop's tone), so the conversation shows what was sent.

Notifications has no "send this message again" service (its messages are once per event), so
the status link goes out as a reply here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from emporos.core import formats
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.customers.coupons import issue_coupon
from emporos.customers.models import Coupon, CouponKind
from emporos.fulfillment.models import Shipment
from emporos.notifications.facts import public_url
from emporos.orders import links
from emporos.shop import selectors as shop
from emporos.support import macros, services, words
from emporos.support.models import Macro, Message, Status, Ticket


@dataclass(frozen=True)
class CouponSent:
    coupon: Coupon
    message: Message


def _language(ticket: Ticket) -> str:
    return ticket.language if ticket.language in macros.LANGUAGES else "en"


def tracking_text(ticket: Ticket) -> str:
    """The answer with the order's status page and each parcel's tracking, in the ticket's language."""
    order = ticket.order
    assert order is not None
    with translation.override(_language(ticket)):
        lines = [
            words.greeting(ticket),  # the acknowledgement's greeting: one voice (C8)
            "",
            _("You can follow order %(order)s here at any time: %(link)s")
            % {"order": order.display_number, "link": public_url(links.status_path(order))},
        ]
        for shipment in Shipment.objects.filter(order=order).order_by("sequence"):
            link = macros.tracking_link(shipment)
            values = {"tracking": shipment.tracking_number, "link": link}
            if link:
                lines.append(_("Parcel %(tracking)s: %(link)s") % values)
            else:
                lines.append(_("Parcel tracking number: %(tracking)s") % values)
        lines += ["", shop.current().name]
    return "\n".join(lines)


def resend_tracking_link(*, ticket: Ticket, actor: Actor, author: User | None = None) -> Message:
    """Answer with the order's status link (and its parcels' tracking links) again; the ticket
    then waits for the customer."""
    if ticket.order_id is None:
        services.raise_invalid("order", "Tie the ticket to an order first: the link is the order's.")
    return services.reply(ticket=ticket, text=tracking_text(ticket), actor=actor, author=author, status=Status.PENDING)


def coupon_text(ticket: Ticket, coupon: Coupon) -> str:
    language = _language(ticket)
    if coupon.kind == CouponKind.PERCENT:
        value = formats.number(coupon.value, language=language) + "%"
    else:
        value = formats.money(coupon.value, coupon.currency, language=language)
    with translation.override(language):
        return "\n".join(
            [
                words.greeting(ticket),  # the acknowledgement's greeting: one voice (C8)
                "",
                _("As an apology, here is a coupon worth %(value)s for your next order: %(code)s")
                % {"value": value, "code": coupon.code},
                _("It is good for one order until %(date)s.")
                % {"date": formats.date(coupon.expires_at.date(), language=language)},
                "",
                shop.current().name,
            ]
        )


def send_coupon(
    *,
    ticket: Ticket,
    kind: str,
    value: Decimal,
    actor: Actor,
    author: User | None = None,
    currency: str = "",
    valid_days: int = 90,
) -> CouponSent:
    """Issue a single-use coupon to the ticket's customer and answer with its code, at once."""
    errors = ErrorCollector()
    if not ticket.contact_email:
        errors.add("kind", "no_address", "This customer has no e-mail address; call them and read out a code instead.")
    errors.raise_if_any()
    with transaction.atomic():
        coupon = issue_coupon(
            customer=ticket.customer, kind=kind, value=value, actor=actor, currency=currency, valid_days=valid_days
        )
        message = services.reply(
            ticket=ticket, text=coupon_text(ticket, coupon), actor=actor, author=author, status=Status.PENDING
        )
    return CouponSent(coupon, message)


def reply_with_macro(
    *,
    ticket: Ticket,
    text: str,
    actor: Actor,
    author: User | None = None,
    status: str = Status.PENDING,
    minutes_spent: int = 0,
    macro: Macro | None = None,
) -> Message:
    """Answer (services.reply); with a canned reply, also what it asks of the ticket: its topic
    and tags, and what it asks the customer for (counted when the shop already had it, C6)."""
    with transaction.atomic():
        message = services.reply(
            ticket=ticket,
            text=text,
            actor=actor,
            author=author,
            status=status,
            minutes_spent=minutes_spent,
            asked_for=macro.asks_for if macro is not None else "",
        )
        if macro is not None and (macro.set_topic or macro.add_tags):
            ticket.refresh_from_db()
            services.classify(
                ticket=ticket,
                actor=actor,
                topic=macro.set_topic or None,
                tags=[*ticket.tags, *macro.add_tags] if macro.add_tags else None,
            )
    return message
