"""Scheduled jobs of the outbox itself."""

from __future__ import annotations

from emporos.outbox.schedule import scheduled
from emporos.outbox.worker import reap_abandoned_tasks

scheduled(name="outbox.reap_abandoned_tasks", every_seconds=60)(reap_abandoned_tasks)
