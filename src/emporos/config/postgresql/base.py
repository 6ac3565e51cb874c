"""Django's PostgreSQL backend, checking a kept connection without a round trip when it can.

With `CONN_HEALTH_CHECKS`, Django sends `SELECT 1` on a kept connection before each request's
first query, so a connection the server has closed (a restart, an idle timeout) is replaced
instead of failing the request. That is one more round trip per request, about 2% of the API's
CPU per order and a wait on every request (bench/README.md).

A server that closes a connection says so on its socket: it sends a termination notice and
closes it, so the socket becomes readable. While a connection is idle between requests nothing
else arrives. So when the kept connection served a request less than `RECENT` seconds ago, is
idle and its socket has nothing to read, it is known to be open and the `SELECT 1` is skipped.
Otherwise Django's own check runs as before and replaces a dead connection: after a quiet while a
connection may have been dropped on the way (a NAT, a fail-over) with nothing said on its socket.
"""

from __future__ import annotations

import select
import time
from typing import Any

import psycopg
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from psycopg.pq import TransactionStatus

RECENT = 5.0  # seconds


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    _used_at = float("-inf")

    def _cursor(self, name: str | None = None) -> Any:
        cursor = super()._cursor(name)  # type: ignore[misc]  # the health check, when due, comes first
        self._used_at = time.monotonic()
        return cursor

    def close_if_health_check_failed(self) -> None:
        checking = getattr(self, "health_check_enabled", False) and not getattr(self, "health_check_done", True)
        if checking and self._quiet():
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _quiet(self) -> bool:
        """True when the connection is open, idle, and nothing has arrived on its socket since its
        last answer (so the server has not closed it)."""
        connection = self.connection
        if connection is None or time.monotonic() - self._used_at > RECENT:
            return False
        try:
            if connection.closed or connection.info.transaction_status != TransactionStatus.IDLE:
                return False
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
            return not poller.poll(0)
        except (OSError, ValueError, AttributeError, psycopg.Error):  # no poll() here, no socket: Django's check
            return False
