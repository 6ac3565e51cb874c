"""E-mail into tickets. Every message is stored first, exactly as received, its Message-ID unique
(the same mail fetched twice is one row), with an outbox event in the same transaction; then it
is processed (at once, and by the worker if that failed): automatic mail is set aside, a person's
mail joins its conversation or opens one.

A conversation is found by, in order: the Message-IDs it answers (In-Reply-To, References), the
[#number] in its subject for a ticket of the same customer, an order number in the subject or
text for that customer's open ticket about the order, and the sender's open ticket.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.config import setting
from emporos.customers import identity
from emporos.customers.models import Customer
from emporos.fulfillment.models import Shipment
from emporos.orders.models import Order
from emporos.orders.numbers import parse_number
from emporos.outbox.events import DomainEvent
from emporos.outbox.services import emit
from emporos.returns.models import Return
from emporos.support import mailparse, services
from emporos.support.models import OPEN_STATUSES, Channel, InboundMail, Message, Outcome, Status, Ticket, Topic

TAG = re.compile(r"\[#(\d{1,9})\]")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# A sender's open ticket takes their next unthreaded mail when it moved in the last days.
OPEN_TICKET_DAYS = 14


@dataclass(frozen=True)
class InboundMailStored(DomainEvent):
    """An e-mail reached the support mailbox and is stored as received; processing it follows."""

    topic = "support.inbound_mail_stored"
    mail_id: int


def accept(raw: bytes, *, source: str, recipients: Sequence[str] = ()) -> InboundMail:
    """Store `raw` (once per Message-ID) and process it. Returns the stored row; a mail already
    stored is returned as it is. Safe to call again with the same bytes at any time."""
    parsed = mailparse.parse(raw)
    try:
        with transaction.atomic():
            mail = InboundMail.objects.create(
                message_id=parsed.message_id[:300],
                source=source[:10],
                recipients=[str(address).lower() for address in recipients][:50],
                raw=raw,
                received_at=clock.now(),
            )
            emit(InboundMailStored(mail_id=mail.pk))
    except IntegrityError:
        return InboundMail.objects.get(message_id=parsed.message_id[:300])
    return process(mail_id=mail.pk) or mail


def process(*, mail_id: int) -> InboundMail | None:
    """Turn a stored mail into a ticket's message, once (a processed mail is left alone)."""
    with transaction.atomic():
        mail = InboundMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.processed_at is not None:
            return mail
        parsed = mailparse.parse(bytes(mail.raw))
        mail.processed_at = clock.now()
        automatic = parsed.automatic or ("loop" if _our_own(parsed) else "")
        if automatic or not parsed.sender_email:
            mail.outcome, mail.automatic = Outcome.AUTOMATIC, automatic or "no sender"
            mail.save(update_fields=["processed_at", "outcome", "automatic"])
            return mail
        mail.ticket, mail.outcome = _file(parsed)
        mail.save(update_fields=["processed_at", "outcome", "ticket"])
    return mail


def _our_own(parsed: mailparse.ParsedMail) -> bool:
    """Mail sent by the desk itself (its Message-ID is one of ours)."""
    return parsed.message_id.startswith("support-") and Message.objects.filter(message_id=parsed.message_id).exists()


def _file(parsed: mailparse.ParsedMail) -> tuple[Ticket, str]:
    written_in = _language(parsed.language) if parsed.language else language_of_text(parsed.subject + parsed.text)
    customer = identity.customer_for_email(parsed.sender_email, name=parsed.sender_name, language=written_in)
    actor = Actor.customer(customer.name, customer_id=customer.pk)
    # A mail with neither text nor subject (a photo alone) still reaches a person.
    text = parsed.new_text or parsed.text or parsed.subject or ", ".join(a.filename for a in parsed.attachments) or "—"
    message = services.Inbound(
        channel=Channel.EMAIL,
        text=text,
        full_text=parsed.text,
        sender=parsed.sender_email,
        message_id=parsed.message_id,
        attachments=[
            services.NewAttachment(item.filename, item.content_type, item.content)
            for item in parsed.attachments
            if len(item.content) <= MAX_ATTACHMENT_BYTES
        ][:10],
    )
    ticket = thread_of(parsed, customer)
    if ticket is not None:
        services.add_customer_message(ticket=ticket, message=message, actor=actor)
        return ticket, Outcome.ADDED
    order = _order_named(parsed, customer)
    ret = _return_named(parsed, customer)
    ticket = services.open_ticket(
        customer=customer,
        subject=parsed.subject or message.text[:80],
        first=message,
        actor=actor,
        topic=guess_topic(parsed.subject + "\n" + message.text, has_return=ret is not None),
        order=order,
        ret=ret,
        shipment=_shipment_named(message.text, order),
        language=written_in if written_in != "en" or not customer.language else customer.language,
        contact_email=parsed.sender_email,
    )
    return ticket, Outcome.OPENED


def thread_of(parsed: mailparse.ParsedMail, customer: Customer) -> Ticket | None:
    ids = [*parsed.in_reply_to, *parsed.references]
    if ids:
        known = Message.objects.filter(message_id__in=ids).select_related("ticket").order_by("-sent_at").first()
        if known is not None:
            return _reopenable(known.ticket)
    for number in TAG.findall(parsed.subject):
        tagged = Ticket.objects.filter(number=int(number), customer=customer).first()
        if tagged is not None:
            return _reopenable(tagged)
    order = _order_named(parsed, customer)
    if order is not None:
        about_order = Ticket.objects.filter(order=order, status__in=OPEN_STATUSES).order_by("-updated_at").first()
        if about_order is not None:
            return about_order
        return None
    since = clock.now() - dt.timedelta(days=OPEN_TICKET_DAYS)
    return (
        Ticket.objects.filter(customer=customer, status__in=OPEN_STATUSES, updated_at__gte=since)
        .exclude(channel=Channel.PROACTIVE)
        .order_by("-updated_at")
        .first()
    )


def _reopenable(ticket: Ticket) -> Ticket | None:
    """A solved ticket takes a reply for SUPPORT_REOPEN_DAYS; later the reply opens a new one."""
    if ticket.status != Status.SOLVED or ticket.solved_at is None:
        return ticket
    if clock.now() - ticket.solved_at <= dt.timedelta(days=setting("SUPPORT_REOPEN_DAYS")):
        return ticket
    return None


def _order_named(parsed: mailparse.ParsedMail, customer: Customer) -> Order | None:
    """The first order named in the subject or text that belongs to the sender."""
    for name in mailparse.order_numbers(parsed.subject + "\n" + parsed.new_text):
        number = parse_number(name)
        if number is None:
            continue
        order = Order.objects.filter(number=number, customer=customer).first()
        if order is not None:
            return order
    return None


def _return_named(parsed: mailparse.ParsedMail, customer: Customer) -> Return | None:
    for name in mailparse.return_numbers(parsed.subject + "\n" + parsed.new_text):
        order_name, _, sequence = name.rpartition("-R")
        number = parse_number(order_name)
        if number is None or not sequence.isdigit():
            continue
        ret = Return.objects.filter(order__number=number, order__customer=customer, sequence=int(sequence)).first()
        if ret is not None:
            return ret
    return None


def _shipment_named(text: str, order: Order | None) -> Shipment | None:
    """The order's parcel whose tracking number the customer quoted."""
    if order is None:
        return None
    for shipment in Shipment.objects.filter(order=order).exclude(tracking_number=""):
        if shipment.tracking_number and shipment.tracking_number in text:
            return shipment
    return None


# Words that tell the topic of a first message, in the four languages; the first topic with a
# match wins, "other" when none does (staff reclassify as they read).
_TOPIC_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (Topic.RETURN, ("return", "refund", "exchange", "επιστροφ", "αλλαγ", "zwrot", "wymian", "החזר", "החלפ")),
    (
        Topic.PAYMENT,
        (
            "payment",
            "paid",
            "charge",
            "invoice",
            "πληρωμ",
            "χρέωσ",
            "τιμολόγ",
            "płatn",
            "faktur",
            "תשלום",
            "חיוב",
            "חשבונית",
        ),
    ),
    (
        Topic.DELIVERY,
        (
            "deliver",
            "parcel",
            "package",
            "tracking",
            "courier",
            "shipping",
            "αποστολ",
            "δέμα",
            "παράδοσ",
            "κούριερ",
            "przesył",
            "paczk",
            "dostaw",
            "kurier",
            "משלוח",
            "חבילה",
            "שליח",
        ),
    ),
    (
        Topic.PRODUCT,
        (
            "size",
            "broken",
            "damaged",
            "defect",
            "quality",
            "μέγεθ",
            "σπασμέν",
            "ελαττωματ",
            "rozmiar",
            "uszkodz",
            "wadliw",
            "מידה",
            "פגום",
            "שבור",
        ),
    ),
    (Topic.SITE, ("website", "login", "password", "checkout", "ιστοσελίδ", "κωδικ", "strona", "hasł", "אתר", "סיסמה")),
)


def guess_topic(text: str, *, has_return: bool = False) -> str:
    if has_return:
        return Topic.RETURN
    lowered = text.lower()
    for topic, stems in _TOPIC_WORDS:
        if any(stem in lowered for stem in stems):
            return topic
    return Topic.OTHER


def language_of_text(text: str) -> str:
    """The language a message is most likely written in, from its letters: Greek, Hebrew, Polish
    (its own letters), else English."""
    greek = sum(1 for char in text if "\u0370" <= char <= "\u03ff" or "\u1f00" <= char <= "\u1fff")
    hebrew = sum(1 for char in text if "\u0590" <= char <= "\u05ff")
    polish = sum(1 for char in text.lower() if char in "ąćęłńśźż")
    best = max((greek, "el"), (hebrew, "he"), (polish * 5, "pl"))
    return best[1] if best[0] >= 3 else "en"


def _language(tag: str) -> str:
    code = tag.split("-")[0].lower()
    return code if code in ("en", "el", "pl", "he") else "en"
