"""Support mail through a provider's inbound webhook (anymail, with Postmark's documented payload):
stored once per Message-ID, threaded like any other mail; the shared secret is required."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.test import Client

from emporos.support.models import Channel, InboundMail, Ticket

pytestmark = pytest.mark.django_db

SECRET = "postmark:inbound-secret-42"


def postmark_inbound(**overrides: Any) -> dict[str, Any]:
    """An inbound message as Postmark posts it (https://postmarkapp.com/developer/webhooks/inbound-webhook)."""
    payload: dict[str, Any] = {
        "FromName": "Anna Kowalska",
        "MessageStream": "inbound",
        "From": "anna@example.pl",
        "FromFull": {"Email": "anna@example.pl", "Name": "Anna Kowalska", "MailboxHash": ""},
        "To": "support@sklep.example",
        "ToFull": [{"Email": "support@sklep.example", "Name": "", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": "support@sklep.example",
        "Subject": "Zamówienie nie dotarło",
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Tue, 1 Dec 2026 10:00:00 +0100",
        "TextBody": "Dzień dobry, paczka jeszcze nie dotarła.",
        "HtmlBody": "",
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": "<anna@example.pl>"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "Message-ID", "Value": "<CAF=anna-1@mail.example.pl>"},
        ],
        "Attachments": [],
    }
    payload.update(overrides)
    return payload


def post(payload: dict[str, Any], *, secret: str = SECRET) -> Any:
    auth = base64.b64encode(secret.encode()).decode()
    return Client().post(
        "/anymail/postmark/inbound/",
        json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Basic {auth}"},
    )


@pytest.fixture(autouse=True)
def webhook_secret(settings: Any) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def test_a_posted_message_opens_a_ticket_once() -> None:
    first = post(postmark_inbound())
    again = post(postmark_inbound())  # the provider retries

    assert (first.status_code, again.status_code) == (200, 200)
    mail = InboundMail.objects.get()
    assert (mail.message_id, mail.source, mail.recipients) == (
        "CAF=anna-1@mail.example.pl",
        "webhook",
        ["support@sklep.example"],
    )
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.subject, ticket.language) == (Channel.EMAIL, "Zamówienie nie dotarło", "pl")
    assert ticket.messages.get(direction="in").text == "Dzień dobry, paczka jeszcze nie dotarła."


def test_without_a_message_id_the_providers_id_keeps_it_once() -> None:
    headers = [{"Name": "Return-Path", "Value": "<anna@example.pl>"}]
    post(postmark_inbound(Headers=headers))
    post(postmark_inbound(Headers=headers))

    assert InboundMail.objects.get().message_id == "73e6d360-66eb-11e1-8e72-a8904824019b@postmark.inbound"


def test_a_large_message_with_its_attachment_is_taken() -> None:
    photo = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2_000_000).decode()
    attachment = {"Name": "paczka.png", "Content": photo, "ContentType": "image/png", "ContentLength": 2_000_008}

    response = post(postmark_inbound(Attachments=[attachment]))

    assert response.status_code == 200
    (stored,) = Ticket.objects.get().messages.get(direction="in").attachments.all()
    assert (stored.filename, stored.size_bytes) == ("paczka.png", 2_000_008)


def test_a_post_without_the_secret_is_refused() -> None:
    response = post(postmark_inbound(), secret="postmark:wrong")

    assert response.status_code == 400
    assert InboundMail.objects.count() == 0
