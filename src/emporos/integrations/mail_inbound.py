"""Support mail through an e-mail provider's inbound webhook (anymail: Postmark, Mailgun, SendGrid,
Amazon SES, Brevo...): the provider posts each message to /anymail/<provider>/inbound/, anymail
checks the shared secret (EMPOROS_ANYMAIL_WEBHOOK_SECRET) and hands the message here; it is stored
and processed like mail fetched by IMAP or taken by the SMTP listener."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from django.http import HttpRequest, HttpResponse

from emporos.support import inbound

# A support mail with its attachments is larger than any API request (DATA_UPLOAD_MAX_MEMORY_SIZE).
MAX_INBOUND_BYTES = 25 * 1024 * 1024
WEBHOOK_PREFIX = "/anymail/"


class LargeInboundMail:
    """Lets a provider's inbound webhook post up to MAX_INBOUND_BYTES (the rest of the site keeps
    Django's small limit): the body of such a request is read here, within this larger bound."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(WEBHOOK_PREFIX) and request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if 0 < length <= MAX_INBOUND_BYTES:
                request._body = request.read(length)
        return self.get_response(request)


def on_inbound(sender: object, event: Any, esp_name: str, **kwargs: Any) -> None:
    """anymail's `inbound` signal: store the message (once per Message-ID) and process it.

    A provider that leaves the Message-ID out still sends its own event id: the message gets a
    Message-ID from it, so the provider's retry of the same post is the same message."""
    message = event.message
    raw = _rebuilt(message)
    if not message.get("Message-ID") and event.event_id:
        raw = f"Message-ID: <{event.event_id}@{esp_name.lower().replace(' ', '-')}.inbound>\r\n".encode() + raw
    recipient = getattr(message, "envelope_recipient", None)
    inbound.accept(raw, source="webhook", recipients=[recipient] if recipient else [])


_MIME_HEADERS = {"content-type", "content-transfer-encoding", "mime-version", "content-disposition"}


def _rebuilt(message: Any) -> bytes:
    """The message as MIME bytes, rebuilt from anymail's parsed parts: a message anymail built from
    a provider's JSON holds its attachments decoded, and serialising it as it is would corrupt
    binary files (a PNG's CR LF becomes LF)."""
    rebuilt = EmailMessage()
    for name, value in message.items():
        if name.lower() not in _MIME_HEADERS:
            with contextlib.suppress(ValueError, TypeError, IndexError):  # a header no parser could read
                rebuilt[name] = str(value)
    rebuilt.set_content(message.text or "")
    if message.html:
        rebuilt.add_alternative(message.html, subtype="html")
    for attachment in message.attachments:
        maintype, _, subtype = (attachment.get_content_type() or "application/octet-stream").partition("/")
        rebuilt.add_attachment(
            attachment.get_content_bytes(),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.get_filename() or "attachment",
        )
    return rebuilt.as_bytes()
