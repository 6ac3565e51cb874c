"""Polling the shop's support mailbox over IMAP: unread messages in, marked read once stored.

A message is fetched with BODY.PEEK[] (reading does not mark it) and marked \\Seen only after
`accept` returned, so a crash or a failed store leaves it unread for the next poll; `accept` is
idempotent per Message-ID, so a message fetched twice is still one message.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from emporos.core.config import setting
from emporos.support.mail_source import Accept, default_accept

logger = logging.getLogger("emporos.support.imap")

TIMEOUT_SECONDS = 30
DEFAULT_PORTS = {"imaps": 993, "imap": 143}
URL_SHAPE = "imaps://user:password@host[:port]/INBOX"


@dataclass(frozen=True)
class ImapMailbox:
    """Where the support mailbox is: `ssl` is TLS from the first byte (imaps://); otherwise
    STARTTLS is used when the server offers it, unless `starttls` is off."""

    host: str
    port: int
    user: str
    password: str = field(repr=False)
    mailbox: str = "INBOX"
    ssl: bool = True
    starttls: bool = True

    def display(self) -> str:
        """The mailbox as a URL without its password, for messages and logs."""
        scheme = "imaps" if self.ssl else "imap"
        return f"{scheme}://{self.user}@{self.host}:{self.port}/{self.mailbox}"


class ImapError(Exception):
    """The mailbox could not be reached, signed in to or opened; the message says which and why."""


def parse_imap_url(url: str) -> ImapMailbox:
    """`imaps://user:password@host[:port]/INBOX` (port 993) or `imap://...` (port 143, STARTTLS
    when offered unless `?starttls=no`); user and password percent-decoded; mailbox INBOX if none."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError(f"An IMAP URL starts with imaps:// or imap://, such as {URL_SHAPE}.")
    if not parts.hostname:
        raise ValueError(f"The IMAP URL names no host; write it as {URL_SHAPE}.")
    if not parts.username or parts.password is None:
        raise ValueError(f"The IMAP URL needs the mailbox's user and password: {URL_SHAPE}.")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise ValueError(f"The IMAP URL's port is not a port number (1-65535): {URL_SHAPE}.") from None
    starttls = True
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name != "starttls" or value.lower() not in {"yes", "no"}:
            raise ValueError(f"Unknown IMAP URL option {name}={value}: the only one is starttls=yes or starttls=no.")
        if scheme == "imaps":
            raise ValueError("starttls applies to imap:// only; imaps:// is encrypted from the start.")
        starttls = value.lower() == "yes"
    return ImapMailbox(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username),
        password=unquote(parts.password),
        mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
        ssl=scheme == "imaps",
        starttls=starttls,
    )


def poll(url: str, *, accept: Accept | None = None, limit: int = 200) -> int:
    """Hand each unread message (at most `limit`, oldest first) to `accept`; mark it read once
    `accept` returned. A message `accept` fails on stays unread and is logged. Returns how many
    were accepted; raises ImapError when the mailbox cannot be reached or opened."""
    mailbox = parse_imap_url(url)
    accept = accept or default_accept()
    client = _open(mailbox)
    try:
        accepted = 0
        for uid in _unseen_uids(client, mailbox)[:limit]:
            raw = _fetch(client, uid)
            if raw is None:
                continue  # expunged by another client since the search
            try:
                accept(raw, source="imap")
            except Exception:
                logger.exception("Message UID %s in %s was not accepted; it stays unread.", uid, mailbox.display())
                continue
            _mark_seen(client, uid, mailbox)
            accepted += 1
        return accepted
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ImapError(f"{mailbox.display()}: {exc}") from exc
    finally:
        _close(client)


def tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's CAs, or only against EMPOROS_IMAP_CA_FILE when set."""
    ca_file = setting("IMAP_CA_FILE")
    try:
        return ssl.create_default_context(cafile=ca_file or None)
    except (OSError, ValueError) as exc:
        raise ImapError(f"EMPOROS_IMAP_CA_FILE={ca_file}: not a readable CA bundle in PEM ({exc}).") from exc


def _open(mailbox: ImapMailbox) -> imaplib.IMAP4:
    context = tls_context() if mailbox.ssl or mailbox.starttls else None
    try:
        if mailbox.ssl:
            client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                mailbox.host, mailbox.port, ssl_context=context, timeout=TIMEOUT_SECONDS
            )
        else:
            client = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ImapError(f"{mailbox.display()}: cannot connect: {exc}") from exc
    try:
        if not mailbox.ssl and mailbox.starttls and "STARTTLS" in client.capabilities:
            client.starttls(ssl_context=context)
    except (OSError, imaplib.IMAP4.error) as exc:
        with contextlib.suppress(OSError):  # the failed handshake may have taken the socket already
            client.shutdown()
        raise ImapError(f"{mailbox.display()}: STARTTLS failed: {exc}") from exc
    try:
        client.login(mailbox.user, mailbox.password)
        status, data = client.select(_quoted(mailbox.mailbox))
    except (OSError, imaplib.IMAP4.error) as exc:
        _close(client)
        raise ImapError(f"{mailbox.display()}: cannot sign in: {exc}") from exc
    if status != "OK":
        _close(client)
        raise ImapError(f"{mailbox.display()}: cannot open the mailbox: {_text(data)}")
    return client


def _unseen_uids(client: imaplib.IMAP4, mailbox: ImapMailbox) -> list[str]:
    status, data = client.uid("SEARCH", "UNSEEN")
    if status != "OK":
        raise ImapError(f"{mailbox.display()}: the search for unread messages failed: {_text(data)}")
    found = data[0] if data and isinstance(data[0], bytes) else b""
    return sorted(found.decode().split(), key=int)


def _fetch(client: imaplib.IMAP4, uid: str) -> bytes | None:
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return bytes(item[1])
    return None


def _mark_seen(client: imaplib.IMAP4, uid: str, mailbox: ImapMailbox) -> None:
    status, data = client.uid("STORE", uid, "+FLAGS.SILENT", "(\\Seen)")
    if status != "OK":
        # Stored already; the next poll hands it over again and accept() knows it by its Message-ID.
        logger.warning("Message UID %s in %s stays unread: %s", uid, mailbox.display(), _text(data))


def _close(client: imaplib.IMAP4) -> None:
    try:
        client.logout()
    except (OSError, imaplib.IMAP4.error):
        logger.debug("The IMAP connection was already gone at logout.")


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(data: Sequence[object]) -> str:
    return " ".join(item.decode(errors="replace") if isinstance(item, bytes) else str(item) for item in data)
