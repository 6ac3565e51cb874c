"""What every creating POST shares: the Idempotency-Key it requires and the request's fingerprint."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpResponse
from pydantic import BaseModel

from emporos.api.problems import field_problem
from emporos.core.text import text_problem

MAX_KEY = 255


def key_problem(idempotency_key: str | None, *, what: str) -> HttpResponse | None:
    """A 400 naming the header when the key is missing, too long or not plain text; else None."""
    if idempotency_key and len(idempotency_key) <= MAX_KEY and text_problem(idempotency_key) is None:
        return None
    return field_problem(
        400,
        "idempotency_key_required",
        "Idempotency-Key missing",
        field="Idempotency-Key",
        message=f"Send an Idempotency-Key header (a UUID you keep for retries of this {what}), "
        f"at most {MAX_KEY} characters without control characters.",
    )


def request_fingerprint(payload: BaseModel) -> str:
    """The request's body, canonical and hashed: a key used again must come with the same body."""
    canonical = json.dumps(payload.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
