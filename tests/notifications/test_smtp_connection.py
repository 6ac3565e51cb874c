"""The worker keeps one SMTP connection open from message to message, and recovers when the
server hangs up."""

from __future__ import annotations

from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.core.mail import EmailMultiAlternatives  # noqa: TID251 - the e-mail a message becomes

from emporos.notifications import email
from tests.notifications.conftest import _free_port


class CountingInbox:
    def __init__(self) -> None:
        self.greetings = 0
        self.subjects: list[str] = []

    async def handle_EHLO(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: list[str]
    ) -> list[str]:
        self.greetings += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = (envelope.original_content or b"").decode()
        self.subjects.append(next(line for line in content.splitlines() if line.startswith("Subject:"))[9:])
        return "250 OK"


def _mail(subject: str) -> EmailMultiAlternatives:
    return EmailMultiAlternatives(subject=subject, body="Hi", from_email="shop@example.gr", to=["maria@example.gr"])


def test_messages_share_one_connection_and_a_hang_up_is_survived(settings: Any) -> None:
    port = _free_port()
    settings.EMAIL_BACKEND = email.SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    first = CountingInbox()
    server = Controller(first, hostname="127.0.0.1", port=port)
    server.start()
    try:
        for index in range(3):
            email._smtp.send(_mail(f"one {index}"))
    finally:
        server.stop()
    assert (first.greetings, first.subjects) == (1, ["one 0", "one 1", "one 2"])

    second = CountingInbox()  # the server restarted: the kept connection is dead
    server = Controller(second, hostname="127.0.0.1", port=port)
    server.start()
    try:
        email._smtp.send(_mail("after the restart"))
    finally:
        server.stop()
        email._smtp.close()
    assert (second.greetings, second.subjects) == (1, ["after the restart"])
