"""Support's e-mails to customers, threaded: each carries its own Message-ID, In-Reply-To and
References pointing at the conversation, the ticket's [#number] in the subject, and a loop marker
so that a copy coming back into the support mailbox is never taken for a customer's mail."""

from __future__ import annotations

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives  # noqa: TID251 - built here, sent by notifications.email

from emporos.core.config import setting
from emporos.notifications import email as mail
from emporos.shop import selectors as shop
from emporos.support import words
from emporos.support.automatic import LOOP_HEADER
from emporos.support.models import Direction, Message, Ticket

TICKET_HEADER = "X-Emporos-Ticket"
MAX_REFERENCES = 20
ACKNOWLEDGEMENT = "acknowledgement"
SURVEY = "survey"


def support_address() -> str:
    """Where customers write to: the first support address, else the shop's, else the sender's."""
    addresses = setting("SUPPORT_ADDRESSES")
    if addresses:
        return str(addresses[0])
    return shop.current().email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def new_message_id(message: Message) -> str:
    return f"support-{message.public_id}@{mail.domain()}"


def _thread(ticket: Ticket, *, before: Message) -> tuple[str, list[str]]:
    """The last id the customer sent (In-Reply-To) and the conversation's ids (References)."""
    ids = list(
        Message.objects.filter(ticket=ticket, message_id__isnull=False, sent_at__lte=before.sent_at)
        .exclude(pk=before.pk)
        .exclude(direction=Direction.NOTE)
        .order_by("sent_at", "pk")
        .values_list("message_id", "direction")
    )
    known = [(str(message_id), direction) for message_id, direction in ids if message_id]
    inbound = [message_id for message_id, direction in known if direction == Direction.IN]
    in_reply_to = inbound[-1] if inbound else (known[-1][0] if known else "")
    return in_reply_to, [message_id for message_id, _ in known][-MAX_REFERENCES:]


def build(message: Message, *, subject: str) -> EmailMultiAlternatives:
    ticket = message.ticket
    in_reply_to, references = _thread(ticket, before=message)
    headers = {
        "Message-ID": f"<{message.message_id}>",
        TICKET_HEADER: str(ticket.public_id),
        LOOP_HEADER: "1",
    }
    if in_reply_to:
        headers["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        headers["References"] = " ".join(f"<{reference}>" for reference in references)
    if message.is_automatic:
        headers["Auto-Submitted"] = "auto-replied"
    body = (
        message.text
        if message.is_automatic
        else message.text + "\n" + words.answer_footer(ticket, agent=message.sender)
    )
    from_name = shop.current().name
    return EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=formataddr((from_name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
        to=[ticket.contact_email],
        reply_to=[support_address()],
        headers=headers,
    )


def subject_for(message: Message) -> str:
    ticket = message.ticket
    if message.automatic == SURVEY:
        return words.survey_subject(ticket)
    if message.automatic == ACKNOWLEDGEMENT:
        return words.acknowledgement_subject(ticket)
    return f"Re: {words.subject(ticket)}"


def send(message: Message) -> str:
    """Send it now; the Message-ID it went with."""
    email = build(message, subject=subject_for(message))
    return mail.deliver(email, fallback_id=message.message_id or "")
