"""Support e-mail end to end, with a real IMAP server (Dovecot) and real SMTP servers on loopback:
the customer's mail naming their order opens a ticket about it and is acknowledged with a reply-by
time inside opening hours; the staff answer reaches them threaded; their reply lands in the same
ticket; an out-of-office answer to it loops nowhere; the same mail fetched twice (IMAP, then the
mail-in listener) is one message."""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from email.message import EmailMessage
from typing import Any

import pytest
from django.test import Client

from emporos.core.actor import Actor
from emporos.orders.models import Order
from emporos.support import imap, mail_in, policy, services
from emporos.support.models import Direction, InboundMail, Message, Outcome, Status, Ticket
from tests.conftest import place
from tests.fulfillment.conftest import drain
from tests.notifications.conftest import Inbox
from tests.support.mailservers import Dovecot

pytestmark = pytest.mark.django_db(transaction=True)


def customer_mail(subject: str, body: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Μαρία Παπαδοπούλου <maria@example.gr>"
    message["To"] = "support@kalimera.example"
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@mail.example.gr>"
    message["Date"] = "Tue, 01 Dec 2026 10:00:00 +0200"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def support_mail(inbox: Inbox) -> list[EmailMessage]:
    drain()
    return [message for message in inbox.messages if message["X-Emporos-Ticket"]]


def test_support_mail_end_to_end(api: Client, catalog: None, mailbox: Dovecot, smtp: Inbox, settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "SUPPORT_ADDRESSES": ["support@kalimera.example"]}
    number = place(api)
    order = Order.objects.get(number=int(number.removeprefix("EM-")))

    # The customer writes, naming the order; the worker's poll takes it from the mailbox.
    first = customer_mail(f"Παραγγελία {number}: πότε έρχεται;", "Καλημέρα, πότε θα έρθει το δέμα μου;")
    mailbox.append(first)
    assert imap.poll(mailbox.url) == 1

    ticket = Ticket.objects.get()
    assert (ticket.order_id, ticket.customer_id, ticket.status) == (order.pk, order.customer_id, Status.OPEN)
    assert ticket.reply_by is not None
    assert policy.calendar().is_open(ticket.reply_by)
    (acknowledgement,) = support_mail(smtp)
    assert acknowledgement["To"] == "maria@example.gr"
    assert acknowledgement["Auto-Submitted"] == "auto-replied"
    assert f"[#{ticket.number}]" in str(acknowledgement["Subject"])
    assert number in acknowledgement.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    # Staff answer; it reaches the customer threaded on their mail.
    services.reply(ticket=ticket, text="Το δέμα σας φεύγει σήμερα.", actor=Actor.staff("eleni"))
    answer = support_mail(smtp)[-1]
    first_id = str(Message.objects.get(ticket=ticket, direction=Direction.IN).message_id)
    assert answer["In-Reply-To"] == f"<{first_id}>"
    assert f"<{first_id}>" in str(answer["References"])
    assert f"[#{ticket.number}]" in str(answer["Subject"])
    answer_id = str(answer["Message-ID"])

    # The customer's reply, quoting the answer, lands in the same ticket with the quote trimmed.
    reply = customer_mail(
        "Re: " + str(answer["Subject"]).strip(),
        "Ευχαριστώ πολύ!\n\nΣτις Τρί, 1 Δεκ 2026 στις 10:30, Kali Mera Shop έγραψε:\n> Το δέμα σας φεύγει σήμερα.\n",
        In_Reply_To=answer_id,
        References=answer_id,
    )
    mailbox.append(reply)
    # An out-of-office answer to our answer: stored, never a ticket, never answered.
    mailbox.append(
        customer_mail("Αυτόματη απάντηση: Εκτός γραφείου", "Λείπω ως τις 7/12.", Auto_Submitted="auto-replied")
    )
    assert imap.poll(mailbox.url) == 2

    assert Ticket.objects.count() == 1
    conversation = list(ticket.messages.filter(direction=Direction.IN).order_by("sent_at", "pk"))
    assert [message.text for message in conversation] == ["Καλημέρα, πότε θα έρθει το δέμα μου;", "Ευχαριστώ πολύ!"]
    assert InboundMail.objects.filter(outcome=Outcome.AUTOMATIC).count() == 1
    assert len(support_mail(smtp)) == 2  # the acknowledgement and the answer: nothing for the auto-reply

    # The same mail fetched twice: again from IMAP (a copy put back unread), then forwarded to the
    # mail-in listener: one message.
    mailbox.append(first)
    assert imap.poll(mailbox.url) == 1
    listener = mail_in.start("127.0.0.1", 0, ["support@kalimera.example"])
    try:
        with smtplib.SMTP("127.0.0.1", listener.port, timeout=30) as client:
            client.sendmail("maria@example.gr", ["support@kalimera.example"], first)
    finally:
        listener.stop()
    assert InboundMail.objects.count() == 3
    assert ticket.messages.filter(direction=Direction.IN).count() == 2
    assert all(flags == {"\\Seen"} for flags in mailbox.flags().values())
    ticket.refresh_from_db()
    assert ticket.reply_by is not None
    assert ticket.created_at <= ticket.reply_by <= ticket.created_at + dt.timedelta(days=3)
