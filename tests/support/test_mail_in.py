"""`emporos mail-in`: mail forwarded to the support addresses, over real SMTP on loopback."""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from emporos.support.mail_in import MailInController, start, support_addresses
from tests.support.mailservers import free_port

ADDRESSES = ["support@shop.example", "hello@shop.example"]
RAW = (
    b"From: Maria <maria@example.gr>\r\nTo: Support <support@shop.example>\r\nSubject: Where is my tea?\r\n"
    b"Message-ID: <tea-1@example.gr>\r\n\r\nOrder 1042 has not arrived.\r\n.A line starting with a dot.\r\n"
)


class Accepted:
    """A fake accept(): keeps each call and the thread it ran in; raises when told to."""

    def __init__(self, *, error: Exception | None = None) -> None:
        self.calls: list[tuple[bytes, str, list[str]]] = []
        self.threads: list[str] = []
        self.error = error

    def __call__(self, raw: bytes, *, source: str, recipients: Sequence[str] = ()) -> object:
        self.calls.append((raw, source, list(recipients)))
        self.threads.append(threading.current_thread().name)
        if self.error is not None:
            raise self.error
        return None


@pytest.fixture
def accepted() -> Accepted:
    return Accepted()


@pytest.fixture
def listener(accepted: Accepted) -> Iterator[MailInController]:
    controller = start("127.0.0.1", 0, ADDRESSES, accepted)
    try:
        yield controller
    finally:
        controller.stop()


def send(port: int, recipients: list[str], raw: bytes = RAW) -> dict[str, tuple[int, bytes]]:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        return client.sendmail("maria@example.gr", recipients, raw)


def test_a_message_to_a_support_address_is_accepted_before_the_250(
    listener: MailInController, accepted: Accepted
) -> None:
    refused = send(listener.port, ["Support@Shop.example"])

    assert refused == {}
    assert accepted.calls == [(RAW, "smtp", ["Support@Shop.example"])]
    assert accepted.threads[0].startswith("mail-in")  # off the event loop: the ORM is synchronous


def test_only_the_support_recipients_of_a_message_are_taken(listener: MailInController, accepted: Accepted) -> None:
    refused = send(listener.port, ["someone@elsewhere.example", "hello@shop.example"])

    assert list(refused) == ["someone@elsewhere.example"]
    assert refused["someone@elsewhere.example"][0] == 550
    assert accepted.calls == [(RAW, "smtp", ["hello@shop.example"])]


def test_an_unknown_recipient_is_refused_with_550_and_nothing_is_accepted(
    listener: MailInController, accepted: Accepted
) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(listener.port, ["sales@shop.example"])

    code, text = refused.value.recipients["sales@shop.example"]
    assert code == 550
    assert text == b"5.1.1 <sales@shop.example>: not a support address of this shop; mail for it is not taken here"
    assert accepted.calls == []


def test_when_accept_fails_the_sender_is_told_451_to_retry() -> None:
    failing = Accepted(error=RuntimeError("the database is away"))
    controller = start("127.0.0.1", 0, ADDRESSES, failing)
    try:
        with pytest.raises(smtplib.SMTPDataError) as error:
            send(controller.port, ["support@shop.example"])
    finally:
        controller.stop()

    assert error.value.smtp_code == 451
    assert error.value.smtp_error == b"4.3.0 The message could not be stored just now; please try again later"
    assert failing.calls == [(RAW, "smtp", ["support@shop.example"])]


def test_a_message_over_the_size_limit_is_refused_with_552(accepted: Accepted) -> None:
    big = RAW + (b"x" * 70 + b"\r\n") * 30  # 2,160 bytes in lines of a normal length
    controller = start("127.0.0.1", 0, ADDRESSES, accepted, max_bytes=1000)
    try:
        # A client that announces the size is stopped at MAIL FROM ...
        with pytest.raises(smtplib.SMTPSenderRefused) as announced:
            send(controller.port, ["support@shop.example"], big)
        # ... and one that does not, once the data passes the limit.
        with smtplib.SMTP("127.0.0.1", controller.port, timeout=10) as client:
            client.ehlo()
            assert client.mail("maria@example.gr")[0] == 250
            assert client.rcpt("support@shop.example")[0] == 250
            code, _ = client.data(big)
        small = send(controller.port, ["support@shop.example"])
    finally:
        controller.stop()

    assert announced.value.smtp_code == 552
    assert code == 552
    assert small == {}
    assert accepted.calls == [(RAW, "smtp", ["support@shop.example"])]


def test_the_support_addresses_are_the_configured_ones(settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "SUPPORT_ADDRESSES": ["help@shop.example"]}

    assert support_addresses() == ["help@shop.example"]


@pytest.mark.django_db
def test_without_configured_addresses_the_shops_own_addresses_are_used(settings: Any) -> None:
    from emporos.shop.models import ShopSettings
    from emporos.shop.selectors import defaults, forget

    settings.EMPOROS = {**settings.EMPOROS, "SUPPORT_ADDRESSES": []}
    settings.DEFAULT_FROM_EMAIL = "Kali Mera Shop <NoReply@KaliMera.example>"
    shop = defaults()
    shop.email = "Hello@KaliMera.example"
    shop.save()
    forget()

    assert support_addresses() == ["hello@kalimera.example", "noreply@kalimera.example"]
    assert ShopSettings.objects.count() == 1


def test_emporos_mail_in_listens_until_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "EMPOROS_MAIL_IN_HOST": "127.0.0.1",
        "EMPOROS_MAIL_IN_PORT": str(port),
        "EMPOROS_SUPPORT_ADDRESSES": "Support@Shop.example, hello@shop.example",
        "EMPOROS_VAR_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "emporos.cli", "mail-in"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first_line = server.stdout.readline()
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            send(port, ["sales@shop.example"])
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)

    assert first_line == f"Listening on 127.0.0.1:{port} for support@shop.example, hello@shop.example.\n", err
    assert refused.value.recipients["sales@shop.example"][0] == 550
    assert out == "Stopped.\n"
    assert server.returncode == 0, err
