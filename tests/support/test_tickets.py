"""Tickets from e-mail and the API: threading, the acknowledgement with its reply-by time, staff
answers threaded back, auto-replies ignored, the same mail twice one message."""

from __future__ import annotations

import datetime as dt
import uuid
from email.message import EmailMessage
from typing import Any

import pytest
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.customers.models import Customer
from emporos.orders.models import Order
from emporos.outbox.models import Event
from emporos.support import inbound, services
from emporos.support.models import Channel, Direction, InboundMail, Message, Outcome, Status, Ticket
from tests.conftest import place
from tests.fulfillment.conftest import drain
from tests.notifications.conftest import Inbox

pytestmark = pytest.mark.django_db

# Tuesday 1 December 2026, 10:00 in Athens (the shop is open 09:00-17:00, Monday to Friday).
TUESDAY_MORNING = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def mail(
    *,
    sender: str = "Μαρία Παπαδοπούλου <maria@example.gr>",
    subject: str = "Πού είναι η παραγγελία μου;",
    body: str = "Καλημέρα, δεν έχω λάβει ακόμα το δέμα μου.",
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@kalimera.example"
    message["Subject"] = subject
    message["Message-ID"] = f"<{message_id or uuid.uuid4()}@mail.example.gr>"
    message["Date"] = "Tue, 01 Dec 2026 10:00:00 +0200"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def frozen() -> Any:
    with clock.frozen_at(TUESDAY_MORNING):
        yield


@pytest.fixture
def shop_order(api: Client, catalog: None) -> Order:
    number = place(api)
    return Order.objects.get(number=int(number.removeprefix("EM-")))


def received(inbox: Inbox) -> list[EmailMessage]:
    """Support's e-mails the SMTP server got (the order's own messages left aside)."""
    drain()
    return [message for message in inbox.messages if message["X-Emporos-Ticket"]]


def test_a_mail_naming_the_order_opens_a_ticket_about_it_and_is_acknowledged(
    frozen: None, shop_order: Order, smtp: Inbox
) -> None:
    stored = inbound.accept(
        mail(subject=f"Παραγγελία {shop_order.display_number}", body="Πότε θα έρθει;"), source="imap"
    )

    ticket = Ticket.objects.get()
    assert (stored.outcome, stored.ticket_id) == (Outcome.OPENED, ticket.pk)
    assert (ticket.order_id, ticket.customer_id, ticket.channel, ticket.status) == (
        shop_order.pk,
        shop_order.customer_id,
        Channel.EMAIL,
        Status.OPEN,
    )
    assert ticket.language == "el"
    # Normal priority: 240 working minutes from 10:00 Athens -> 14:00 Athens, 12:00 UTC.
    assert ticket.reply_by == dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    (acknowledgement,) = received(smtp)
    assert acknowledgement["To"] == "maria@example.gr"
    assert acknowledgement["Auto-Submitted"] == "auto-replied"
    assert f"[#{ticket.number}]" in str(acknowledgement["Subject"])
    text = acknowledgement.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Τρίτη 1 Δεκ 2026 14:00" in text
    assert shop_order.display_number in text


def test_the_reply_threads_into_the_same_ticket_and_the_staff_answer_threads_back(
    frozen: None, shop_order: Order, smtp: Inbox
) -> None:
    inbound.accept(mail(message_id="first"), source="imap")
    ticket = Ticket.objects.get()
    services.reply(ticket=ticket, text="Το δέμα σας φεύγει σήμερα.", actor=Actor.staff("eleni"))
    answer = received(smtp)[-1]
    assert answer["In-Reply-To"] == "<first@mail.example.gr>"
    assert str(answer["Subject"]).strip() == f"Re: {ticket.subject} [#{ticket.number}]"
    assert answer["X-Emporos-Loop"] == "1"
    assert f"#{ticket.number}." in answer.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    answer_id = str(answer["Message-ID"]).strip("<>")

    inbound.accept(
        mail(subject="Re: whatever", body="Ευχαριστώ!", headers={"In-Reply-To": f"<{answer_id}>"}), source="imap"
    )

    ticket.refresh_from_db()
    assert Ticket.objects.count() == 1
    assert list(ticket.messages.order_by("sent_at", "pk").values_list("direction", flat=True)) == [
        Direction.IN,
        Direction.OUT,  # the acknowledgement
        Direction.OUT,
        Direction.IN,
    ]
    assert ticket.status == Status.OPEN


def test_an_auto_reply_opens_nothing_and_gets_no_answer(frozen: None, smtp: Inbox) -> None:
    stored = inbound.accept(
        mail(subject="Automatic reply: out of office", headers={"Auto-Submitted": "auto-replied"}), source="imap"
    )

    assert (stored.outcome, stored.automatic) == (Outcome.AUTOMATIC, "auto-reply")
    assert Ticket.objects.count() == 0
    assert received(smtp) == []


def test_our_own_answer_coming_back_into_the_mailbox_is_not_a_customer_mail(frozen: None, smtp: Inbox) -> None:
    inbound.accept(mail(), source="imap")
    ticket = Ticket.objects.get()
    services.reply(ticket=ticket, text="Καλημέρα!", actor=Actor.staff("eleni"))
    echo = received(smtp)[-1].as_bytes()

    stored = inbound.accept(echo, source="imap")

    assert stored.outcome == Outcome.AUTOMATIC
    assert ticket.messages.filter(direction=Direction.IN).count() == 1


def test_the_same_mail_fetched_twice_is_one_message(frozen: None, smtp: Inbox) -> None:
    raw = mail(message_id="twice")

    first = inbound.accept(raw, source="imap")
    second = inbound.accept(raw, source="smtp")

    assert first.pk == second.pk
    assert InboundMail.objects.count() == 1
    assert Message.objects.filter(direction=Direction.IN).count() == 1


def test_processing_is_retried_by_the_worker_when_it_did_not_happen(frozen: None, smtp: Inbox) -> None:
    stored = inbound.accept(mail(), source="imap")
    InboundMail.objects.filter(pk=stored.pk).update(processed_at=None, outcome="", ticket=None)
    Ticket.objects.all().delete()

    drain()

    assert Event.objects.filter(topic="support.inbound_mail_stored").count() == 1
    assert InboundMail.objects.get().outcome == Outcome.OPENED
    assert Ticket.objects.count() == 1


def test_a_new_mail_from_a_sender_with_an_open_ticket_joins_it(frozen: None, smtp: Inbox) -> None:
    inbound.accept(mail(subject="Ερώτηση"), source="imap")
    inbound.accept(mail(subject="Και κάτι ακόμα"), source="imap")

    assert Ticket.objects.count() == 1
    assert Ticket.objects.get().messages.filter(direction=Direction.IN).count() == 2


@pytest.fixture
def support_api(db: None) -> Client:
    from emporos.access.services import create_api_key

    key = create_api_key(name="storefront", scopes=["support:read", "support:write", "orders:write"]).plain_key
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_api_opens_lists_and_shows_tickets(frozen: None, shop_order: Order, support_api: Client) -> None:
    body = {
        "email": "Maria@Example.gr",
        "name": "Μαρία",
        "order": shop_order.display_number,
        "topic": "delivery",
        "message": "Πού είναι το δέμα μου;",
    }
    key = str(uuid.uuid4())
    created = support_api.post(
        "/api/v1/tickets", body, content_type="application/json", headers={"Idempotency-Key": key}
    )
    again = support_api.post("/api/v1/tickets", body, content_type="application/json", headers={"Idempotency-Key": key})
    listed = support_api.get(f"/api/v1/tickets?order={shop_order.display_number}")

    assert (created.status_code, again.status_code) == (201, 200), created.content
    ticket = created.json()
    assert again.json()["id"] == ticket["id"]
    assert listed.status_code == 200
    assert listed.json() == {
        "items": [
            {
                "id": ticket["id"],
                "number": ticket["number"],
                "status": "open",
                "channel": "web",
                "subject": "Πού είναι το δέμα μου;",
                "topic": "delivery",
                "priority": "normal",
                "customer": {"email": "maria@example.gr", "name": shop_order.customer.name},
                "order": shop_order.display_number,
                "reply_by": "2026-12-01T12:00:00Z",
                "due_at": "2026-12-01T12:00:00Z",
                "messages": 2,
                "message_count": 2,
                "created_at": "2026-12-01T08:00:00Z",
                "updated_at": "2026-12-01T08:00:00Z",
            }
        ],
        "next_cursor": None,
    }
    shown = support_api.get(f"/api/v1/tickets/{ticket['id']}").json()
    assert [(m["direction"], m["channel"], m["automatic"]) for m in shown["messages"]] == [
        ("in", "web", False),
        ("out", "email", True),
    ]
    assert shown["messages"][0]["text"] == "Πού είναι το δέμα μου;"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        pytest.param({"email": "not-an-address"}, 422, "email", id="bad-email"),
        pytest.param({"order": "EM-99999"}, 422, "order", id="someone-elses-or-unknown-order"),
        pytest.param({"message": ""}, 422, "message", id="empty-message"),
        pytest.param({"topic": "weather"}, 422, "topic", id="unknown-topic"),
    ],
)
def test_bad_contacts_are_refused_naming_the_field(
    support_api: Client, change: dict[str, str], status: int, field: str
) -> None:
    body = {"email": "maria@example.gr", "name": "Μαρία", "topic": "other", "message": "Γεια", **change}
    response = support_api.post(
        "/api/v1/tickets", body, content_type="application/json", headers={"Idempotency-Key": str(uuid.uuid4())}
    )

    assert response.status_code == status, response.content
    assert field in str(response.json()), response.json()
    assert Ticket.objects.count() == 0


def test_a_key_without_the_support_scope_is_refused(api_key: str, db: None) -> None:
    from emporos.access.services import create_api_key

    key = create_api_key(name="orders only", scopes=["orders:read"]).plain_key
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/tickets")

    assert response.status_code == 403


def test_customer_with_two_addresses_is_one_person(frozen: None, smtp: Inbox) -> None:
    from emporos.customers import identity
    from emporos.customers.models import ContactKind
    from emporos.support.identity import merge_customers

    inbound.accept(mail(sender="Maria <maria@example.gr>", subject="Ένα"), source="imap")
    inbound.accept(mail(sender="Maria <maria.work@example.com>", subject="Δύο"), source="imap")
    home, work = Customer.objects.get(email="maria@example.gr"), Customer.objects.get(email="maria.work@example.com")

    merge_customers(keep=home, merge=work, actor=Actor.staff("eleni"))

    assert set(Ticket.objects.values_list("customer_id", flat=True)) == {home.pk}
    assert identity.find_by_email("maria.work@example.com") == home
    assert list(home.contact_points.values_list("kind", "value")) == [(ContactKind.EMAIL, "maria.work@example.com")]
    inbound.accept(mail(sender="Maria <maria.work@example.com>", subject="Τρία"), source="imap")
    assert Ticket.objects.filter(customer=home).count() == 2


def test_a_mail_with_no_text_and_no_subject_still_reaches_a_person(frozen: None, smtp: Inbox) -> None:
    message = EmailMessage()
    message["From"] = "maria@example.gr"
    message["To"] = "support@kalimera.example"
    message["Message-ID"] = "<bare@mail.example.gr>"
    message.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png", filename="spasmeno.png")

    stored = inbound.accept(message.as_bytes(), source="imap")

    assert stored.outcome == Outcome.OPENED
    first = Ticket.objects.get().messages.get(direction=Direction.IN)
    assert first.text == "spasmeno.png"
    assert [item.filename for item in first.attachments.all()] == ["spasmeno.png"]
