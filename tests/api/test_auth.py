"""API keys: hashed, scoped; 401 without a valid key, 403 without the scope."""

from __future__ import annotations

import pytest
from django.test import Client

from emporos.access.models import ApiKey
from emporos.access.services import create_api_key, hash_key, revoke_api_key

pytestmark = pytest.mark.django_db


def get_queue(headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    response = Client(headers=headers).get("/api/v1/orders/queue")
    return response.status_code, response.json()


def test_the_key_is_stored_only_as_a_hash() -> None:
    issued = create_api_key(name="storefront")

    stored = ApiKey.objects.get()
    assert stored.key_hash == hash_key(issued.plain_key)
    assert issued.plain_key not in str(list(ApiKey.objects.values()))


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer emp_nope_nope"}, {"Authorization": "Basic abc"}],
    ids=["missing", "unknown", "wrong-scheme"],
)
def test_no_valid_key_is_401(headers: dict[str, str]) -> None:
    status, body = get_queue(headers)

    assert (status, body["code"]) == (401, "unauthenticated")


def test_a_revoked_key_is_401() -> None:
    issued = create_api_key(name="old shop")
    revoke_api_key(prefix=issued.api_key.prefix)

    status, _ = get_queue({"Authorization": f"Bearer {issued.plain_key}"})

    assert status == 401


def test_a_key_without_the_scope_is_403_and_names_it() -> None:
    issued = create_api_key(name="stock sync", scopes=["inventory:read"])

    status, body = get_queue({"Authorization": f"Bearer {issued.plain_key}"})

    assert (status, body["code"]) == (403, "missing_scope")
    assert "orders:read" in str(body["detail"])


def test_unknown_scopes_are_refused_when_creating_a_key() -> None:
    from emporos.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as raised:
        create_api_key(name="x", scopes=["orders:everything"])

    assert raised.value.errors[0].field == "scopes"
    assert ApiKey.objects.count() == 0
