"""The support mailbox over IMAP, against a real Dovecot: unread messages in, marked read once stored."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from emporos.cli import main
from emporos.outbox.schedule import scheduled_jobs
from emporos.support.imap import ImapError, ImapMailbox, parse_imap_url, poll
from emporos.support.tasks import poll_support_mailbox
from tests.support.mailservers import Dovecot


def message(number: int) -> bytes:
    return (
        f"From: Maria <maria@example.gr>\r\nTo: support@shop.example\r\nSubject: Order {number}\r\n"
        f"Message-ID: <m{number}@example.gr>\r\nDate: Tue, 24 Nov 2026 10:00:0{number} +0200\r\n\r\n"
        f"Where is my order {number}?\r\n"
    ).encode()


class Accepted:
    """A fake accept(): keeps what it was given; fails for the Message-IDs in `failing`."""

    def __init__(self, *, failing: Sequence[str] = ()) -> None:
        self.calls: list[tuple[bytes, str]] = []
        self.failing = failing

    def __call__(self, raw: bytes, *, source: str, recipients: Sequence[str] = ()) -> object:
        self.calls.append((raw, source))
        if any(message_id.encode() in raw for message_id in self.failing):
            raise RuntimeError("the database is away")
        return None


@pytest.fixture
def inbound(monkeypatch: pytest.MonkeyPatch) -> Accepted:
    """Stands in for emporos.support.inbound, which the default accept is imported from."""
    accepted = Accepted()
    module = types.ModuleType("emporos.support.inbound")
    module.accept = accepted  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "emporos.support.inbound", module)
    return accepted


@pytest.fixture
def imap_settings(settings: Any) -> dict[str, Any]:
    """The EMPOROS settings, a copy of them for this test to change."""
    settings.EMPOROS = {**settings.EMPOROS}
    updated: dict[str, Any] = settings.EMPOROS
    return updated


# --- the URL ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "imaps://support:secret@mail.shop.example/INBOX",
            ImapMailbox("mail.shop.example", 993, "support", "secret", "INBOX", ssl=True),
            id="imaps-default-port",
        ),
        pytest.param(
            "imap://support%40shop.example:p%40ss%2Fw%20rd@mail.shop.example:1143/Support",
            ImapMailbox("mail.shop.example", 1143, "support@shop.example", "p@ss/w rd", "Support", ssl=False),
            id="imap-percent-decoded-port-and-mailbox",
        ),
        pytest.param(
            "imap://support:secret@mail.shop.example",
            ImapMailbox("mail.shop.example", 143, "support", "secret", "INBOX", ssl=False),
            id="imap-default-port-and-inbox",
        ),
        pytest.param(
            "imap://support:secret@127.0.0.1:2143/?starttls=no",
            ImapMailbox("127.0.0.1", 2143, "support", "secret", "INBOX", ssl=False, starttls=False),
            id="starttls-off",
        ),
        pytest.param(
            "IMAPS://support:secret@[::1]:9993/INBOX",
            ImapMailbox("::1", 9993, "support", "secret", "INBOX", ssl=True),
            id="ipv6-and-upper-case-scheme",
        ),
    ],
)
def test_an_imap_url_names_the_mailbox(url: str, expected: ImapMailbox) -> None:
    assert parse_imap_url(url) == expected


@pytest.mark.parametrize(
    ("url", "error"),
    [
        pytest.param("", "An IMAP URL starts with imaps:// or imap://", id="empty"),
        pytest.param("https://support:secret@mail.shop.example/", "starts with imaps:// or imap://", id="http"),
        pytest.param("imaps://mail.shop.example/INBOX", "needs the mailbox's user and password", id="no-user"),
        pytest.param("imaps://support@mail.shop.example/INBOX", "needs the mailbox's user and password", id="no-pw"),
        pytest.param("imaps://support:secret@/INBOX", "The IMAP URL names no host", id="no-host"),
        pytest.param("imaps://support:secret@mail:99999/INBOX", "port is not a port number", id="bad-port"),
        pytest.param("imap://support:secret@mail/?starttls=maybe", "Unknown IMAP URL option starttls=maybe", id="opt"),
        pytest.param("imap://support:secret@mail/?folder=x", "Unknown IMAP URL option folder=x", id="unknown-opt"),
        pytest.param("imaps://support:secret@mail/?starttls=no", "starttls applies to imap:// only", id="imaps-tls"),
    ],
)
def test_a_bad_imap_url_says_how_to_write_it(url: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_imap_url(url)


def test_the_password_stays_out_of_logs_and_messages() -> None:
    mailbox = parse_imap_url("imaps://support:hunter2@mail.shop.example/INBOX")

    assert "hunter2" not in repr(mailbox)
    assert mailbox.display() == "imaps://support@mail.shop.example:993/INBOX"


# --- polling a real Dovecot ---------------------------------------------------------------------


def test_unread_messages_are_accepted_as_sent_and_then_marked_read(mailbox: Dovecot) -> None:
    mailbox.append(message(1))
    mailbox.append(message(2))
    accepted = Accepted()

    assert poll(mailbox.url, accept=accepted) == 2

    assert accepted.calls == [(message(1), "imap"), (message(2), "imap")]
    assert mailbox.flags() == {"<m1@example.gr>": {"\\Seen"}, "<m2@example.gr>": {"\\Seen"}}
    assert poll(mailbox.url, accept=accepted) == 0
    assert len(accepted.calls) == 2


def test_a_message_accept_fails_on_stays_unread_and_the_others_are_taken(mailbox: Dovecot) -> None:
    mailbox.append(message(1))
    mailbox.append(message(2))
    failing = Accepted(failing=["<m1@example.gr>"])

    assert poll(mailbox.url, accept=failing) == 1

    assert [raw for raw, _ in failing.calls] == [message(1), message(2)]
    assert mailbox.flags() == {"<m1@example.gr>": set(), "<m2@example.gr>": {"\\Seen"}}
    retried = Accepted()
    assert poll(mailbox.url, accept=retried) == 1
    assert retried.calls == [(message(1), "imap")]
    assert mailbox.flags() == {"<m1@example.gr>": {"\\Seen"}, "<m2@example.gr>": {"\\Seen"}}


def test_a_poll_takes_at_most_its_limit_oldest_first(mailbox: Dovecot) -> None:
    for number in (1, 2, 3):
        mailbox.append(message(number))
    accepted = Accepted()

    assert poll(mailbox.url, accept=accepted, limit=2) == 2

    assert [raw for raw, _ in accepted.calls] == [message(1), message(2)]
    assert mailbox.flags()["<m3@example.gr>"] == set()


def test_messages_already_read_elsewhere_and_other_mailboxes_are_left_alone(mailbox: Dovecot) -> None:
    mailbox.append(message(1), flags="(\\Seen)")
    mailbox.append(message(2), user="sales")
    accepted = Accepted()

    assert poll(mailbox.url, accept=accepted) == 0

    assert accepted.calls == []
    assert mailbox.flags(user="sales") == {"<m2@example.gr>": set()}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        pytest.param(lambda url: url.replace(":secret@", ":wrong@"), "cannot sign in", id="wrong-password"),
        pytest.param(lambda url: url.replace("/INBOX", "/Archive"), "cannot open the mailbox", id="no-such-mailbox"),
    ],
)
def test_a_mailbox_that_cannot_be_opened_is_an_imap_error(mailbox: Dovecot, change: Any, error: str) -> None:
    mailbox.append(message(1))
    accepted = Accepted()

    with pytest.raises(ImapError, match=error):
        poll(change(mailbox.url), accept=accepted)

    assert accepted.calls == []
    assert mailbox.flags() == {"<m1@example.gr>": set()}


def test_a_server_that_does_not_answer_is_an_imap_error() -> None:
    from tests.support.mailservers import free_port

    with pytest.raises(ImapError, match=r"imap://support@127.0.0.1:\d+/INBOX: cannot connect"):
        poll(f"imap://support:secret@127.0.0.1:{free_port()}/INBOX", accept=Accepted())


# --- TLS with the shop's own CA -----------------------------------------------------------------


def test_imaps_with_the_ca_file_is_accepted(dovecot_tls: Dovecot, imap_settings: dict[str, Any]) -> None:
    dovecot_tls.clear()
    dovecot_tls.append(message(1))
    imap_settings["IMAP_CA_FILE"] = str(dovecot_tls.ca_file)
    accepted = Accepted()

    assert poll(dovecot_tls.imaps_url, accept=accepted) == 1

    assert accepted.calls == [(message(1), "imap")]
    assert dovecot_tls.flags() == {"<m1@example.gr>": {"\\Seen"}}


def test_imap_upgrades_to_tls_when_the_server_offers_it(dovecot_tls: Dovecot, imap_settings: dict[str, Any]) -> None:
    dovecot_tls.clear()
    dovecot_tls.append(message(1))
    imap_settings["IMAP_CA_FILE"] = str(dovecot_tls.ca_file)
    logins_before = dovecot_tls.log.count("Login: user=<support>")
    accepted = Accepted()

    assert poll(dovecot_tls.url, accept=accepted) == 1

    logins = [line for line in dovecot_tls.log.splitlines() if "Login: user=<support>" in line]
    assert len(logins) == logins_before + 1
    assert ", TLS, " in logins[-1]
    assert accepted.calls == [(message(1), "imap")]


def test_imaps_without_the_ca_file_refuses_the_unknown_certificate(
    dovecot_tls: Dovecot, imap_settings: dict[str, Any]
) -> None:
    dovecot_tls.clear()
    dovecot_tls.append(message(1))
    imap_settings["IMAP_CA_FILE"] = ""
    accepted = Accepted()

    with pytest.raises(ImapError, match="certificate verify failed"):
        poll(dovecot_tls.imaps_url, accept=accepted)

    assert accepted.calls == []
    assert dovecot_tls.flags() == {"<m1@example.gr>": set()}


def test_starttls_without_the_ca_file_refuses_the_unknown_certificate(
    dovecot_tls: Dovecot, imap_settings: dict[str, Any]
) -> None:
    dovecot_tls.clear()
    dovecot_tls.append(message(1))
    imap_settings["IMAP_CA_FILE"] = ""
    accepted = Accepted()

    with pytest.raises(ImapError, match=r"STARTTLS failed: .*certificate verify failed"):
        poll(dovecot_tls.url, accept=accepted)

    assert accepted.calls == []
    assert dovecot_tls.flags() == {"<m1@example.gr>": set()}


def test_a_missing_ca_file_names_the_setting(tmp_path: Path, imap_settings: dict[str, Any]) -> None:
    imap_settings["IMAP_CA_FILE"] = str(tmp_path / "missing.pem")
    accepted = Accepted()

    with pytest.raises(ImapError, match=r"EMPOROS_IMAP_CA_FILE=.*missing\.pem: not a readable CA bundle in PEM"):
        poll("imaps://support:secret@127.0.0.1:993/INBOX", accept=accepted)

    assert accepted.calls == []


# --- the worker's job and the command ---------------------------------------------------------


def test_the_worker_job_polls_the_configured_mailbox_with_the_support_desks_accept(
    mailbox: Dovecot, imap_settings: dict[str, Any], inbound: Accepted
) -> None:
    mailbox.append(message(1))
    imap_settings["IMAP_URL"] = mailbox.url

    assert poll_support_mailbox.call() == 1

    assert inbound.calls == [(message(1), "imap")]


def test_without_a_mailbox_the_job_does_nothing_and_is_not_scheduled(imap_settings: dict[str, Any]) -> None:
    imap_settings["IMAP_URL"] = ""

    assert poll_support_mailbox.call() == 0
    assert "support.poll_mailbox" not in [job.name for job in scheduled_jobs()]


def test_with_a_mailbox_the_worker_polls_it_every_imap_poll_seconds(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "EMPOROS_IMAP_URL": "imaps://support:secret@mail.shop.example/INBOX",
        "EMPOROS_IMAP_POLL_SECONDS": "30",
        "EMPOROS_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "emporos.config.settings",
    }
    script = (
        "import django; django.setup()\n"
        "from emporos.outbox.schedule import scheduled_jobs\n"
        "print([(job.name, job.every_seconds) for job in scheduled_jobs() if job.name.startswith('support.')])\n"
    )

    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('support.poll_mailbox', 30)]"


def test_a_poll_interval_below_one_second_refuses_to_start(tmp_path: Path) -> None:
    env = {**os.environ, "EMPOROS_IMAP_POLL_SECONDS": "0", "EMPOROS_VAR_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "emporos.config.settings"

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 1
    assert "EMPOROS_IMAP_POLL_SECONDS must be at least 1 (seconds between polls)." in result.stderr


def test_imap_poll_prints_how_many_messages_it_took(
    mailbox: Dovecot, imap_settings: dict[str, Any], inbound: Accepted, capsys: pytest.CaptureFixture[str]
) -> None:
    mailbox.append(message(1))
    mailbox.append(message(2))
    imap_settings["IMAP_URL"] = mailbox.url

    assert main(["imap-poll"]) == 0

    assert capsys.readouterr().out == "Took 2 message(s) from the support mailbox.\n"
    assert [raw for raw, _ in inbound.calls] == [message(1), message(2)]


@pytest.mark.parametrize(
    ("url", "error"),
    [
        pytest.param("", "Set EMPOROS_IMAP_URL to the support mailbox", id="unset"),
        pytest.param("pop3://support:secret@mail/", "EMPOROS_IMAP_URL: An IMAP URL starts with", id="bad-url"),
    ],
)
def test_imap_poll_without_a_usable_url_says_what_to_set(
    url: str, error: str, imap_settings: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    imap_settings["IMAP_URL"] = url

    assert main(["imap-poll"]) == 2

    output = capsys.readouterr()
    assert output.out == ""
    assert output.err.startswith(error)
