"""Sending one message by e-mail through Django's mail API (SMTP, or an anymail provider chosen
by EMPOROS_EMAIL_PROVIDER): multipart text and HTML, a stable Message-ID from the message's uuid
so a receiver can tell a resend from a new message, List-Unsubscribe on anything not transactional."""

from __future__ import annotations

import contextlib
import smtplib
import threading
import time
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection  # noqa: TID251 - notifications is mail's home

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
    return deliver(build(message), fallback_id=message_id(message))


def deliver(email: EmailMultiAlternatives, *, fallback_id: str) -> str:
    """Hand one built e-mail to SMTP (a shared connection) or the anymail provider; returns the
    provider's id where it gives one, else `fallback_id`. Support's answers go out this way too."""
    if settings.EMAIL_BACKEND == SMTP_BACKEND:
        _smtp.send(email)
    else:
        email.send(fail_silently=False)
    status = getattr(email, "anymail_status", None)
    provider_id = getattr(status, "message_id", None) if status is not None else None
    return fallback_id if provider_id is None or provider_id == "" else str(provider_id)


def domain() -> str:
    """The domain of the shop's sending address, for Message-IDs."""
    return _domain()


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# An open SMTP connection is reused for the next message while it is younger than this; the
# worker sends message after message, and a new connection each time costs a handshake (and TLS).
SMTP_IDLE_SECONDS = 30.0


class _SharedSmtp(threading.local):
    """One SMTP connection per thread, reused across messages: opened when needed, dropped after
    SMTP_IDLE_SECONDS idle, when the settings change, or when the server hung up (then the
    message is sent once more on a fresh connection: the server had not taken it)."""

    def __init__(self) -> None:
        self.backend: Any = None
        self.key: tuple[object, ...] = ()
        self.used_at = 0.0

    def send(self, email: EmailMultiAlternatives) -> None:
        key = (settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER, settings.EMAIL_USE_TLS)
        if self.backend is not None and (key != self.key or time.monotonic() - self.used_at > SMTP_IDLE_SECONDS):
            self.close()
        fresh = self.backend is None
        if fresh:
            self.backend, self.key = get_connection(SMTP_BACKEND, fail_silently=False), key
            self.backend.open()
        try:
            self.backend.send_messages([email])
        except smtplib.SMTPServerDisconnected:
            self.close()
            if fresh:
                raise
            self.send(email)
            return
        except Exception:
            self.close()
            raise
        self.used_at = time.monotonic()

    def close(self) -> None:
        backend, self.backend = self.backend, None
        if backend is not None:
            with contextlib.suppress(Exception):
                backend.close()


_smtp = _SharedSmtp()
