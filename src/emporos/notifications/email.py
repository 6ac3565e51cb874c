"""Sending one message by e-mail through Django's mail API (SMTP, or an anymail provider chosen
by EMPOROS_EMAIL_PROVIDER): multipart text and HTML, a stable Message-ID from the message's uuid
so a receiver can tell a resend from a new message, List-Unsubscribe on anything not transactional."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives  # noqa: TID251 - notifications is mail's home

from emporos.notifications.models import Message
from emporos.shop import selectors as shop


def _domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "emporos.invalid"


def message_id(message: Message) -> str:
    return f"<{message.uuid}@{_domain()}>"


def build(message: Message) -> EmailMultiAlternatives:
    current = shop.current()
    headers = {"Message-ID": message_id(message), "X-Emporos-Kind": message.kind}
    if message.is_marketing:
        unsubscribe = current.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        headers["List-Unsubscribe"] = f"<mailto:{unsubscribe}?subject=unsubscribe%20{message.uuid}>"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        reply_to=[current.email] if current.email else None,
        headers=headers,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def send(message: Message) -> str:
    """Send it; returns the Message-ID (the provider's id where an anymail backend gives one)."""
    email = build(message)
    email.send(fail_silently=False)
    status = getattr(email, "anymail_status", None)
    provider_id = getattr(status, "message_id", None) if status is not None else None
    return message_id(message) if provider_id is None or provider_id == "" else str(provider_id)
