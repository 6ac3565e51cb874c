"""One signed request to one endpoint, and its line in the attempt log.

A 2xx answer is a success. Anything else (another status, a timeout, a refused connection) is
logged and raised as `RecordedFailure`, so the outbox keeps the log line, retries with backoff and,
after EMPOROS_OUTBOX_MAX_ATTEMPTS, parks a dead letter. Each attempt is signed afresh, so a retry
an hour later still passes a receiver's five-minute check; the event id stays the same, so the
receiver can tell a retry from a new event.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from emporos.core import clock
from emporos.fulfillment.carriers import CarrierError
from emporos.integrations.http import HttpRequest, HttpResponse, Transport, UrllibTransport, json_body
from emporos.integrations.webhooks.models import WebhookAttempt, WebhookEndpoint
from emporos.integrations.webhooks.signing import SIGNATURE_HEADER, signature_header
from emporos.outbox.errors import RecordedFailure

USER_AGENT = "Emporos webhooks"
TIMEOUT_SECONDS = 10.0
EXCERPT_CHARS = 500


def transport() -> Transport:
    """The live transport; tests may replace this function."""
    return UrllibTransport(timeout_seconds=TIMEOUT_SECONDS)


def envelope(*, event_id: str, topic: str, created_at: dt.datetime, data: dict[str, Any]) -> bytes:
    """The request body: the event's id, topic and time, and `data` as read now."""
    when = created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return json_body({"id": event_id, "topic": topic, "created_at": when, "data": data})


def send(*, endpoint: WebhookEndpoint, event_id: str, topic: str, body: bytes) -> WebhookAttempt:
    """POST `body` to the endpoint, signed now; log the attempt. Raises RecordedFailure unless 2xx."""
    number = WebhookAttempt.objects.filter(endpoint=endpoint, event_uuid=event_id).count() + 1
    attempted_at = clock.now()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Emporos-Webhook-Id": event_id,
        "Emporos-Webhook-Topic": topic,
        "Emporos-Webhook-Attempt": str(number),
        SIGNATURE_HEADER: signature_header(secret=endpoint.secret, timestamp=int(attempted_at.timestamp()), body=body),
    }
    started = time.monotonic()
    response: HttpResponse | None = None
    error = ""
    try:
        response = transport()(HttpRequest("POST", endpoint.url, headers, body))
    except CarrierError as failure:  # the transport's "no answer came" (timeout, refused, TLS)
        error = failure.message
    attempt = WebhookAttempt(
        endpoint=endpoint,
        event_uuid=event_id,
        topic=topic,
        attempt=number,
        status_code=response.status if response is not None else None,
        response_excerpt=_excerpt(response),
        error=error,
        duration_ms=round((time.monotonic() - started) * 1000),
        attempted_at=attempted_at,
    )
    if response is not None and response.ok:
        attempt.save()
        return attempt
    if response is not None:
        attempt.error = f"{endpoint.url} answered {response.status}; only a 2xx answer counts as received."
    raise RecordedFailure(attempt.error, record=attempt.save)


def _excerpt(response: HttpResponse | None) -> str:
    if response is None:
        return ""
    return response.body[: EXCERPT_CHARS * 4].decode("utf-8", errors="replace")[:EXCERPT_CHARS]
