"""The `emporos` command: API keys and dead letters from the shell."""

from __future__ import annotations

import pytest

from emporos.access.models import ApiKey, Scope
from emporos.access.services import hash_key
from emporos.cli import main

pytestmark = pytest.mark.django_db


def test_apikey_create_prints_the_key_alone_on_the_last_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["apikey", "create", "--name", "shop", "--scopes", "orders:write", "orders:read"]) == 0

    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    stored = ApiKey.objects.get()
    assert stored.key_hash == hash_key(last_line)
    assert stored.scopes == ["orders:read", "orders:write"]


def test_apikey_create_without_scopes_grants_every_scope() -> None:
    main(["apikey", "create", "--name", "everything"])

    assert sorted(ApiKey.objects.get().scopes) == sorted(Scope.values)


def test_apikey_create_with_an_unknown_scope_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["apikey", "create", "--name", "x", "--scopes", "orders:all"]) == 2

    assert "Unknown scope(s) orders:all" in capsys.readouterr().err
    assert ApiKey.objects.count() == 0


def test_outbox_dead_lists_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outbox", "dead"]) == 0

    assert capsys.readouterr().out.startswith("Deliveries: 0 pending, 0 done, 0 dead")
