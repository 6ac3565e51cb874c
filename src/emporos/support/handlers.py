"""Reactions of support: answers and acknowledgements sent by e-mail (each at most once), the
question after a ticket is solved, inbound mail processed, and the shop's own cases (a parcel
running late) opened as tickets in the same queue."""

from __future__ import annotations

import logging

from django.db import transaction

from emporos.core import clock as wall
from emporos.core.actor import Actor
from emporos.core.config import setting
from emporos.feedback.events import SatisfactionAnswered
from emporos.feedback.models import SatisfactionCheck
from emporos.fulfillment.events import DelayCaseOpened
from emporos.fulfillment.models import DelayCase
from emporos.outbox.errors import RecordedFailure
from emporos.outbox.registry import handles
from emporos.support import events, inbound, links, mail_out, services, words
from emporos.support.errors import TicketAlreadyOpened
from emporos.support.models import Channel, Direction, Message, SendStatus, Status, Ticket, Topic
from emporos.support.subjects import about_ticket
from emporos.timeline import services as timeline

log = logging.getLogger(__name__)


@handles(events.TicketAcknowledged, name="support.send_acknowledgement")
def send_acknowledgement(event: events.TicketAcknowledged) -> None:
    send_message(message_id=event.message_id)


@handles(events.TicketReplied, name="support.send_answer")
def send_answer(event: events.TicketReplied) -> None:
    if event.by_email:
        send_message(message_id=event.message_id)


def send_message(*, message_id: int) -> None:
    """Send one of support's e-mails once: a message already sent is left alone; a failure is
    recorded on the row and the outbox tries again with backoff (a dead letter after the last try)."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("ticket__customer", "ticket__order")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.send_status != SendStatus.PENDING:
            return
        if not message.message_id:
            message.message_id = mail_out.new_message_id(message)
            message.save(update_fields=["message_id"])
        try:
            mail_out.send(message)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
            attempts = message.attempts + 1
            last = attempts >= setting("OUTBOX_MAX_ATTEMPTS")

            def record() -> None:
                Message.objects.filter(pk=message_id).update(
                    attempts=attempts, last_error=error, send_status=SendStatus.FAILED if last else SendStatus.PENDING
                )
                if last:
                    ticket = message.ticket
                    timeline.record(
                        event=events.SupportMessageFailed(
                            ticket_id=ticket.pk, number=ticket.number, message_id=message_id
                        ),
                        about=about_ticket(ticket),
                        actor=Actor.system(),
                    )

            raise RecordedFailure(error, record=record) from exc
        message.send_status, message.attempts = SendStatus.SENT, message.attempts + 1
        message.save(update_fields=["send_status", "attempts"])


@handles(events.TicketStatusChanged, name="support.ask_how_it_went")
def ask_how_it_went(event: events.TicketStatusChanged) -> None:
    """After a ticket is solved, one e-mail asks how it went (two clicks on a page: a mail
    scanner following the link answers nothing). Once per ticket; not for the shop's own cases."""
    if event.status_to != Status.SOLVED:
        return
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("customer").filter(pk=event.ticket_id).first()
        if ticket is None or not ticket.contact_email or ticket.channel == Channel.PROACTIVE:
            return
        if Message.objects.filter(ticket=ticket, automatic=mail_out.SURVEY).exists():
            return
        message = Message.objects.create(
            ticket=ticket,
            direction=Direction.OUT,
            channel=Channel.EMAIL,
            sender="",
            text=words.survey(ticket, link=links.survey_url(ticket)),
            automatic=mail_out.SURVEY,
            send_status=SendStatus.PENDING,
            sent_at=wall.now(),
        )
    send_message(message_id=message.pk)


@handles(inbound.InboundMailStored, name="support.process_inbound_mail")
def process_inbound_mail(event: inbound.InboundMailStored) -> None:
    inbound.process(mail_id=event.mail_id)


@handles(DelayCaseOpened, name="support.open_delay_case")
def open_delay_case(event: DelayCaseOpened) -> None:
    """A parcel likely to miss its promise becomes a ticket in the support queue, so someone tells
    the customer before they have to ask (one ticket per case)."""
    case = DelayCase.objects.select_related("shipment", "order__customer").filter(pk=event.case_id).first()
    if case is None or Ticket.objects.filter(source_key=f"delay_case:{case.pk}").exists():
        return
    order = case.order
    note = words.delay_case_note(case)
    services.open_ticket(
        customer=order.customer,
        subject=words.delay_case_subject(case),
        first=services.Inbound(channel=Channel.PROACTIVE, text=note, sender="Emporos"),
        actor=Actor.system("Tracking"),
        topic=Topic.DELIVERY,
        order=order,
        shipment=case.shipment,
        source_key=f"delay_case:{case.pk}",
    )


@handles(SatisfactionAnswered, name="support.open_from_bad_answer")
def open_from_bad_answer(event: SatisfactionAnswered) -> None:
    """A bad answer to the satisfaction check after delivery opens a ticket at once (one per
    check, however often the answer changes), with the customer's comment as its first message."""
    if not event.is_bad:
        return
    key = f"satisfaction:{event.check_id}"
    check = SatisfactionCheck.objects.select_related("order__customer").filter(pk=event.check_id).first()
    if check is None or Ticket.objects.filter(source_key=key).exists():
        return
    order, customer = check.order, check.order.customer
    try:
        services.open_ticket(
            customer=customer,
            subject=words.bad_answer_subject(order),
            first=services.Inbound(
                channel=Channel.SURVEY,
                text=check.comment.strip() or words.bad_answer_note(order, score=event.score),
                sender=customer.email,
            ),
            actor=Actor.customer(customer.name, customer_id=customer.pk),
            order=order,
            source_key=key,
        )
    except TicketAlreadyOpened:
        return
