"""Support tests: a private Dovecot and SMTP servers on loopback (tests/support/mailservers.py),
and the SMTP server of the notifications tests for outgoing mail."""

from __future__ import annotations

from tests.notifications.conftest import smtp  # noqa: F401  (outgoing mail, reused)
from tests.support.mailservers import dovecot, dovecot_tls, mailbox, smtp_catcher  # noqa: F401
