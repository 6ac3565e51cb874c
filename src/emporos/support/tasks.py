"""Scheduled jobs of support: the support mailbox polled every EMPOROS_IMAP_POLL_SECONDS, when
EMPOROS_IMAP_URL names one."""

from __future__ import annotations

from django_tasks import task

from emporos.core.config import setting
from emporos.outbox.schedule import scheduled
from emporos.support import imap


@task()
def poll_support_mailbox() -> int:
    """Take the unread messages of the support mailbox; returns how many were accepted."""
    url = setting("IMAP_URL")
    return imap.poll(url) if url else 0


if setting("IMAP_URL"):
    scheduled(name="support.poll_mailbox", every_seconds=setting("IMAP_POLL_SECONDS"))(poll_support_mailbox.enqueue)
