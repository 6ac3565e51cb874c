"""API key authentication with scopes: 401 without a valid key, 403 without the scope."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from emporos.access.key_cache import ActiveKey
from emporos.access.services import active_key
from emporos.core.actor import Actor


class ApiKeyAuth(HttpBearer):
    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ActiveKey | None:
        # Remembered for a few seconds (access.key_cache); the scope is checked on every request.
        api_key = active_key(token)
        if api_key is None:
            return None
        if not api_key.has_scope(self.scope):
            raise AuthorizationError(
                message=f"This API key lacks the scope {self.scope}; create a key with it "
                f"('emporos apikey create --name NAME --scopes {self.scope}')."
            )
        return api_key


def actor_of(request: HttpRequest) -> Actor:
    api_key: ActiveKey = request.auth  # type: ignore[attr-defined]
    return Actor.api_key(api_key.name, prefix=api_key.prefix)
