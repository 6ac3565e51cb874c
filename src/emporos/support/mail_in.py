"""`emporos mail-in`: an SMTP listener for mail forwarded to the shop's support addresses.

It takes mail only for the support addresses (any other recipient: 550) and answers 250 only once
`accept` returned, so a message is stored before the sender lets go of it; when `accept` fails
the answer is 451 and the sender tries again later. Run it behind the shop's own mail server (or
a forwarding rule), not as the public MX.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from email.utils import parseaddr

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections

from emporos.core.config import setting
from emporos.support.mail_source import Accept, default_accept

logger = logging.getLogger("emporos.support.mail_in")

# Messages stored at once: each holds a database connection while accept() runs.
ACCEPT_THREADS = 4


def support_addresses() -> list[str]:
    """EMPOROS_SUPPORT_ADDRESSES, or else the shop's e-mail address and EMPOROS_EMAIL_FROM's, lower-cased."""
    configured: list[str] = setting("SUPPORT_ADDRESSES")
    if configured:
        return configured
    from emporos.shop import selectors as shop

    found = [shop.current().email, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]]
    return list(dict.fromkeys(address.strip().lower() for address in found if address.strip()))


class SupportMailHandler:
    """aiosmtpd's handler: recipients checked at RCPT, the message stored at DATA."""

    def __init__(self, *, addresses: Iterable[str], accept: Accept | None = None) -> None:
        self.addresses = frozenset(address.strip().lower() for address in addresses)
        self.accept = accept
        self.executor = ThreadPoolExecutor(max_workers=ACCEPT_THREADS, thread_name_prefix="mail-in")

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() not in self.addresses:
            return f"550 5.1.1 <{address}>: not a support address of this shop; mail for it is not taken here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or b""
        recipients = list(envelope.rcpt_tos)
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self.executor, functools.partial(self._store, raw, recipients))
        except Exception:
            logger.exception("A message for %s was not stored; answered 451 so the sender retries.", recipients)
            return "451 4.3.0 The message could not be stored just now; please try again later"
        logger.info("Took a message of %s bytes for %s.", len(raw), ", ".join(recipients))
        return "250 2.0.0 Message accepted"

    def _store(self, raw: bytes, recipients: list[str]) -> None:
        """In a worker thread: the Django ORM is synchronous, and its connections are per thread."""
        close_old_connections()
        try:
            accept = self.accept or default_accept()
            accept(raw, source="smtp", recipients=recipients)
        finally:
            close_old_connections()


class MailInController(Controller):
    """The listener in a background thread; `port` is the bound port (also when asked for port 0)."""

    handler: SupportMailHandler

    def __init__(self, handler: SupportMailHandler, *, host: str, port: int, max_bytes: int) -> None:
        super().__init__(
            handler,
            hostname=host,
            port=port,
            ready_timeout=10.0,
            data_size_limit=max_bytes,
            ident="Emporos mail-in",
        )

    def _trigger_server(self) -> None:
        if self.port == 0 and isinstance(self.server, asyncio.Server):
            self.port = int(self.server.sockets[0].getsockname()[1])
        super()._trigger_server()

    def stop(self, no_assert: bool = False) -> None:
        """Stop listening, then let the messages being stored finish."""
        super().stop(no_assert=no_assert)
        self.handler.executor.shutdown(wait=True)


def start(
    host: str, port: int, addresses: Iterable[str], accept: Accept | None = None, *, max_bytes: int | None = None
) -> MailInController:
    """Listen on host:port (0: any free port, read it from `.port`) for mail to `addresses`;
    `max_bytes` defaults to EMPOROS_MAIL_IN_MAX_BYTES. Call `.stop()` on the result to end."""
    limit = max_bytes if max_bytes is not None else int(setting("MAIL_IN_MAX_BYTES"))
    handler = SupportMailHandler(addresses=addresses, accept=accept)
    controller = MailInController(handler, host=host, port=port, max_bytes=limit)
    controller.start()
    return controller
