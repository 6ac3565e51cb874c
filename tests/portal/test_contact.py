"""The contact form: from the order's page (the order and the address known, never asked again)
and on the public page (an order number counts only when it is the address's); attachments checked
by their content; a call-back in an offered slot; the thank-you page with the reply-by time; a
message about an order with an open conversation joins it; too many messages from one address
wait."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from emporos.customers.models import Customer
from emporos.demo.help import write_help_centre
from emporos.help.models import ArticleView
from emporos.orders import links
from emporos.orders.models import Order
from emporos.outbox import selectors as outbox
from emporos.portal import support_forms, throttle
from emporos.support.models import Attachment, Callback, Channel, Direction, Status, Ticket
from tests.portal.support_helpers import PDF, last_event, png, text_of

pytestmark = pytest.mark.django_db

MESSAGE = "The parcel says delivered, but nothing came.\nCould you check with the courier?"
# The first call-back slot offered on Tuesday 1 December at 10:00 Athens: 11:00 Athens.
FIRST_SLOT = "2026-12-01T09:00Z"


def contact_path(order: Order) -> str:
    return links.status_path(order) + "contact/"


def send(client: Client, path: str, **fields: Any) -> Any:
    body = {"topic": "delivery", "message": MESSAGE, **fields}
    return client.post(f"{path}?lang=en", body)


def error_of(html: str, field: str) -> str:
    """The words next to one field (its data-field block's error paragraph)."""
    block = html.split(f'data-field="{field}"', 1)[1]
    return text_of(block.split('class="field__error"', 1)[1].split("</p>", 1)[0].split(">", 1)[1])


# --- from the order's page -------------------------------------------------------------------------


def test_the_order_page_form_shows_the_order_and_address_as_facts_and_asks_neither(
    open_hours: None, shop_order: Order
) -> None:
    response = Client().get(f"{contact_path(shop_order)}?lang=en")

    assert response.status_code == 200
    html = response.content.decode()
    facts = text_of(html.split('id="known-facts">')[1].split("</dl>")[0])
    assert facts == f"Order {shop_order.display_number} Our answer goes to maria@example.gr"
    assert [field for field in ("name", "email", "order") if f'name="{field}"' in html] == []
    assert response["Referrer-Policy"] == "same-origin"
    # Help articles suggested while typing (the help centre's endpoint).
    assert (
        '<div id="help-suggestions" class="suggestions" aria-live="polite" hx-get="/help/suggest/" '
        'hx-trigger="keyup changed delay:300ms from:#contact-message" hx-include="#contact-message" '
        'hx-vals=\'{"language": "en"}\'></div>'
    ) in html
    # The call-back slots in the shop's time zone, in the reader's language.
    assert f'<option value="{FIRST_SLOT}">Tuesday 1 Dec 2026 11:00–11:30</option>' in html


def test_a_message_from_the_order_page_opens_a_ticket_about_the_order_with_its_files(
    open_hours: None, shop_order: Order
) -> None:
    since = last_event()
    photo, pdf = png(), PDF
    response = send(
        Client(),
        contact_path(shop_order),
        attachments=[
            SimpleUploadedFile("C:\\Users\\maria\\door.png", photo, content_type="application/octet-stream"),
            SimpleUploadedFile("receipt.pdf", pdf, content_type="image/png"),  # the browser's word is ignored
        ],
    )

    assert response.status_code == 303
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.order_id, ticket.customer_id, ticket.topic, ticket.status) == (
        Channel.WEB,
        shop_order.pk,
        shop_order.customer_id,
        "delivery",
        Status.OPEN,
    )
    assert (ticket.contact_email, ticket.language, ticket.subject) == (
        "maria@example.gr",
        "en",
        "The parcel says delivered, but nothing came.",
    )
    (first,) = ticket.messages.filter(direction=Direction.IN)
    assert (first.channel, first.sender, first.text) == (Channel.WEB, "maria@example.gr", MESSAGE)
    stored = list(Attachment.objects.filter(message=first).order_by("pk").values_list("filename", "content_type"))
    assert stored == [("door.png", "image/png"), ("receipt.pdf", "application/pdf")]
    assert [bytes(row.content) for row in Attachment.objects.order_by("pk")] == [photo, pdf]
    assert outbox.topics(since=since) == ["support.ticket_opened", "support.ticket_acknowledged"]

    thanks = Client().get(response["Location"])
    assert thanks.status_code == 200
    text = text_of(thanks.content.decode())
    # Normal priority: 240 working minutes from 10:00 Athens.
    assert "A person from our team will answer you by Tuesday 1 Dec 2026 14:00." in text
    assert f"Your reference is #{ticket.number}." in text
    assert "queue" not in text.lower()


def test_a_second_message_about_the_order_joins_its_open_conversation(open_hours: None, shop_order: Order) -> None:
    assert send(Client(), contact_path(shop_order)).status_code == 303
    ticket = Ticket.objects.get()
    since = last_event()

    response = send(Client(), contact_path(shop_order), message="And the tracking page shows nothing.")

    assert response.status_code == 303
    assert Ticket.objects.count() == 1
    texts = list(ticket.messages.filter(direction=Direction.IN).order_by("pk").values_list("text", flat=True))
    assert texts == [MESSAGE, "And the tracking page shows nothing."]
    assert outbox.topics(since=since) == ["support.customer_wrote"]


def test_the_same_form_sent_twice_is_one_message(open_hours: None, shop_order: Order) -> None:
    client = Client()
    first = send(client, contact_path(shop_order), key="6f1d2c3b-aaaa-4bbb-8ccc-123456789abc")
    again = send(client, contact_path(shop_order), key="6f1d2c3b-aaaa-4bbb-8ccc-123456789abc")

    assert (first.status_code, again.status_code) == (303, 303)
    assert Ticket.objects.count() == 1
    assert Ticket.objects.get().messages.filter(direction=Direction.IN).count() == 1


def test_a_tampered_order_link_is_refused(open_hours: None, shop_order: Order) -> None:
    token = links.status_token(shop_order)
    response = Client().post(f"/status/{token[:-1]}x/contact/?lang=en", {"topic": "delivery", "message": "Hi"})

    assert response.status_code == 404
    assert 'data-reason="invalid"' in response.content.decode()
    assert not Ticket.objects.exists()


# --- attachments -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "words"),
    [
        (
            [("notes.png", b"plain text, not a picture")],
            "notes.png is not a photo (JPEG, PNG, WebP or GIF) or a PDF; attach one of those.",
        ),
        (
            [("cut.png", png(40, 40)[:60])],
            "cut.png is not a photo (JPEG, PNG, WebP or GIF) or a PDF; attach one of those.",
        ),
        (
            [("huge.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))],
            "huge.pdf is larger than 5 MB; attach a smaller file.",
        ),
        (
            [(f"photo-{number}.png", png()) for number in range(4)],
            "Attach at most 3 files.",
        ),
    ],
    ids=["text-as-png", "truncated-png", "over-5-mb", "four-files"],
)
def test_attachments_are_refused_next_to_the_field_and_nothing_is_written(
    open_hours: None, shop_order: Order, files: list[tuple[str, bytes]], words: str
) -> None:
    since = last_event()
    uploads = [SimpleUploadedFile(name, data) for name, data in files]

    response = send(Client(), contact_path(shop_order), attachments=uploads)

    assert response.status_code == 400
    assert error_of(response.content.decode(), "attachments") == words
    assert not Ticket.objects.exists()
    assert outbox.topics(since=since) == []


def test_a_file_is_known_by_its_content() -> None:
    assert support_forms.kind_of(png()) == "image/png"
    assert support_forms.kind_of(PDF) == "application/pdf"
    assert support_forms.kind_of(b"GIF89a nonsense") is None
    assert support_forms.clean_filename("../../etc/passwd\x00") == "passwd"
    assert support_forms.clean_filename("") == "attachment"


# --- call-back -------------------------------------------------------------------------------------


def test_a_call_back_in_an_offered_slot_is_booked_and_confirmed(open_hours: None, shop_order: Order) -> None:
    since = last_event()
    response = send(Client(), contact_path(shop_order), phone="691 234 5678", slot=FIRST_SLOT)

    assert response.status_code == 303
    ticket = Ticket.objects.get()
    callback = Callback.objects.get()
    assert (callback.ticket_id, callback.phone, callback.slot_starts_at.isoformat()) == (
        ticket.pk,
        "+306912345678",
        "2026-12-01T09:00:00+00:00",
    )
    assert ticket.contact_phone == "+306912345678"
    assert outbox.topics(since=since) == [
        "support.ticket_opened",
        "support.ticket_acknowledged",
        "support.callback_requested",
    ]
    thanks = text_of(Client().get(response["Location"]).content.decode())
    assert "We will call you on +306912345678, Tuesday 1 Dec 2026 11:00–11:30." in thanks


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        (
            {"phone": "+306912345678", "slot": "2026-12-01T09:10Z"},
            "slot",
            "That time is no longer free; choose one of the times shown.",
        ),
        (
            {"phone": "+306912345678", "slot": "2026-12-05T09:00Z"},  # a Saturday: never offered
            "slot",
            "That time is no longer free; choose one of the times shown.",
        ),
        (
            {"phone": "+306912345678", "slot": ""},
            "slot",
            "Choose a time for our call, or leave the phone number empty.",
        ),
        ({"phone": "", "slot": FIRST_SLOT}, "phone", "Write the number we should call."),
        (
            {"phone": "12", "slot": FIRST_SLOT},
            "phone",
            "Write the number with its country code, e.g. +30 691 234 5678.",
        ),
    ],
    ids=["off-the-half-hour", "weekend", "no-slot", "no-phone", "bad-phone"],
)
def test_a_call_back_needs_an_offered_slot_and_a_phone(
    open_hours: None, shop_order: Order, fields: dict[str, str], field: str, words: str
) -> None:
    response = send(Client(), contact_path(shop_order), **fields)

    assert response.status_code == 400
    assert error_of(response.content.decode(), field) == words
    assert not Ticket.objects.exists()
    assert not Callback.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"topic": ""}, "topic", "Choose what your message is about."),
        ({"topic": "refund-now"}, "topic", "Choose what your message is about."),
        (
            {"message": "  "},
            "message",
            "Write your message: what happened, and what you would like us to do.",
        ),
        (
            {"message": "Hello\u202eworld"},
            "message",
            "Your message holds an invisible control character; remove it and send again.",
        ),
    ],
    ids=["no-topic", "unknown-topic", "empty", "bidi-override"],
)
def test_topic_and_message_are_checked(
    open_hours: None, shop_order: Order, fields: dict[str, str], field: str, words: str
) -> None:
    response = send(Client(), contact_path(shop_order), **fields)

    assert response.status_code == 400
    assert error_of(response.content.decode(), field) == words
    assert not Ticket.objects.exists()


# --- the public page -------------------------------------------------------------------------------


def public(client: Client, **fields: Any) -> Any:
    body = {"name": "Maria P.", "email": "Maria@Example.gr", **fields}
    return send(client, "/contact/", **body)


def test_the_public_page_links_an_order_of_the_address(open_hours: None, shop_order: Order) -> None:
    response = public(Client(), order=f" {shop_order.display_number} ")

    assert response.status_code == 303
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.order_id, ticket.customer_id, ticket.contact_email) == (
        Channel.WEB,
        shop_order.pk,
        shop_order.customer_id,
        "maria@example.gr",
    )
    thanks = text_of(Client().get(response["Location"]).content.decode())
    assert "A person from our team will answer you by Tuesday 1 Dec 2026 14:00." in thanks
    assert "reference is #" not in thanks  # the public page names no ticket and links no order


def test_an_order_number_of_another_address_is_left_out_without_a_word(
    open_hours: None, api: Client, shop_order: Order
) -> None:
    response = public(Client(), name="Someone", email="someone@example.com", order=shop_order.display_number)
    unknown = public(Client(), name="Someone", email="someone@example.com", order="EM-99999")

    assert (response.status_code, unknown.status_code) == (303, 303)
    first, second = Ticket.objects.order_by("pk")
    stranger = Customer.objects.get(email="someone@example.com")
    assert (first.order_id, first.customer_id, second.order_id, second.customer_id) == (
        None,
        stranger.pk,
        None,
        stranger.pk,
    )
    assert shop_order.customer_id != stranger.pk
    assert Client().get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": ""}, "name", "Write your name, as we should address you."),
        ({"email": "maria@"}, "email", "Write the e-mail address we should answer to, e.g. maria@example.com."),
    ],
    ids=["no-name", "bad-email"],
)
def test_the_public_page_needs_a_name_and_an_address(
    open_hours: None, db: None, fields: dict[str, str], field: str, words: str
) -> None:
    response = public(Client(), **fields)

    assert response.status_code == 400
    assert error_of(response.content.decode(), field) == words
    assert not Ticket.objects.exists()
    assert not Customer.objects.exists()


def test_a_forged_thank_you_link_is_not_found(db: None) -> None:
    assert Client().get("/contact/thanks/eyJ0IjoiMSJ9:forged/").status_code == 404


# --- too many messages -----------------------------------------------------------------------------


def test_the_sixth_message_within_a_quarter_of_an_hour_waits(open_hours: None, shop_order: Order) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(throttle.SUBMISSION_LIMITS["contact"]):
        assert public(client, message=f"Question {number}").status_code == 303

    refused = public(client, message="One more")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    assert error_of(refused.content.decode(), "message") == (
        "You have sent us several messages in a short time. Please wait 15 minutes and send again."
    )
    assert Ticket.objects.count() == 5
    # Another address is not held up.
    assert public(Client(REMOTE_ADDR="203.0.113.10"), message="Mine").status_code == 303


# --- the help centre -------------------------------------------------------------------------------


def test_writing_after_reading_marks_the_articles_read_as_not_answering(open_hours: None, shop_order: Order) -> None:
    articles = write_help_centre()
    client = Client()
    article = next(item for item in articles if item.language == "en")
    assert client.get(f"/help/en/{article.slug}/").status_code == 200
    assert list(ArticleView.objects.values_list("contacted_after", flat=True)) == [False]

    assert send(client, contact_path(shop_order)).status_code == 303

    assert list(ArticleView.objects.values_list("contacted_after", flat=True)) == [True]


def test_the_suggestions_read_the_message_as_the_customer_types(db: None) -> None:
    write_help_centre()

    answer = Client().get("/help/suggest/", {"message": "change the pickup point", "language": "en"})

    assert answer.status_code == 200
    assert "How do I change the pickup point or locker?" in text_of(answer.content.decode())
