"""A kept PostgreSQL connection is checked without a round trip, and replaced when the server closed it."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper


def _server_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _next_request() -> None:
    """What Django does between two requests on a kept connection."""
    connection.close_if_unusable_or_obsolete()
    connection.health_check_done = False


@pytest.fixture
def select_one_checks(monkeypatch: pytest.MonkeyPatch) -> list[None]:
    """Every time Django's own check (SELECT 1) runs."""
    calls: list[None] = []
    original = DjangoWrapper.is_usable

    def counted(self: Any) -> bool:
        calls.append(None)
        return bool(original(self))

    monkeypatch.setattr(DjangoWrapper, "is_usable", counted)
    return calls


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_quiet_kept_connection_is_used_without_a_select_1(select_one_checks: list[None]) -> None:
    assert connection.health_check_enabled
    pid = _server_pid()

    _next_request()

    assert _server_pid() == pid
    assert select_one_checks == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_closed_is_replaced_before_the_request_uses_it(
    select_one_checks: list[None],
) -> None:
    """Given the server ends the kept connection's session between two requests, when the next
    request queries, then Django's check runs, finds it dead, and the query runs on a new one."""
    pid = _server_pid()
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)  # the termination notice reaches the socket

    _next_request()

    assert _server_pid() != pid
    assert len(select_one_checks) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_quiet_for_a_while_is_asked_select_1(select_one_checks: list[None]) -> None:
    """A connection dropped on the way (a NAT, a fail-over) says nothing on its socket, so one
    that has not been used for a few seconds gets Django's own check."""
    pid = _server_pid()
    connection._used_at -= 10  # type: ignore[attr-defined]

    _next_request()

    assert _server_pid() == pid
    assert len(select_one_checks) == 1
