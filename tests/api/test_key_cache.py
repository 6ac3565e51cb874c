"""API keys are remembered per process for a few seconds: fewer reads, revocation still honoured."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from emporos.access import key_cache
from emporos.access.models import ApiKey
from emporos.access.services import create_api_key, revoke_api_key
from emporos.core import clock

pytestmark = pytest.mark.django_db


class Ticks:
    """The cache's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks(monkeypatch: pytest.MonkeyPatch) -> Ticks:
    fake = Ticks()
    monkeypatch.setattr(key_cache, "ticks", fake)
    return fake


def get_queue(plain_key: str) -> int:
    return Client(headers={"Authorization": f"Bearer {plain_key}"}).get("/api/v1/orders/queue").status_code


def key_reads(plain_key: str) -> tuple[int, int]:
    """The status of one request and how many times it read the API key table."""
    with CaptureQueriesContext(connection) as captured:
        status = get_queue(plain_key)
    return status, sum('FROM "access_apikey"' in query["sql"] for query in captured.captured_queries)


def test_a_key_is_read_once_and_then_remembered(ticks: Ticks) -> None:
    issued = create_api_key(name="storefront")

    assert key_reads(issued.plain_key) == (200, 1)
    ticks.now += key_cache.TTL_SECONDS - 0.01
    assert key_reads(issued.plain_key) == (200, 0)


def test_a_remembered_key_never_outlives_the_ttl(ticks: Ticks) -> None:
    """Given a key remembered, revoked behind the cache's back (as another process would),
    when TTL_SECONDS have passed, then it is read again and refused."""
    issued = create_api_key(name="storefront")
    assert get_queue(issued.plain_key) == 200
    ApiKey.objects.filter(pk=issued.api_key.pk).update(revoked_at=clock.now())

    ticks.now += key_cache.TTL_SECONDS

    assert key_reads(issued.plain_key) == (401, 1)
    assert key_cache.remembered(issued.api_key.key_hash) is None


def test_a_key_revoked_through_the_service_is_refused_at_once_within_the_ttl(ticks: Ticks) -> None:
    issued = create_api_key(name="storefront")
    assert get_queue(issued.plain_key) == 200

    revoke_api_key(prefix=issued.api_key.prefix)
    ticks.now += 0.1

    assert get_queue(issued.plain_key) == 401


def test_unknown_and_revoked_keys_are_not_remembered(ticks: Ticks) -> None:
    issued = create_api_key(name="storefront")
    revoke_api_key(prefix=issued.api_key.prefix)

    assert key_reads(issued.plain_key) == (401, 1)
    assert key_reads(issued.plain_key) == (401, 1)
    assert key_reads("emp_nope_nope") == (401, 1)


def test_scopes_are_checked_on_every_request_from_the_remembered_key(ticks: Ticks) -> None:
    issued = create_api_key(name="stock sync", scopes=["inventory:read"])
    client = Client(headers={"Authorization": f"Bearer {issued.plain_key}"})
    assert client.get("/api/v1/orders/queue").status_code == 403

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/orders/queue")

    assert (response.status_code, response.json()["code"]) == (403, "missing_scope")
    assert not any('FROM "access_apikey"' in query["sql"] for query in captured.captured_queries)


def test_the_memory_is_bounded(ticks: Ticks, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(key_cache, "MAX_KEYS", 3)
    keys = [create_api_key(name=f"shop {number}") for number in range(5)]

    for issued in keys:
        assert get_queue(issued.plain_key) == 200

    assert len(key_cache._remembered) <= 3
    assert key_cache.remembered(keys[-1].api_key.key_hash) is not None
