"""Outbox endpoints: dead deliveries, visible and replayable."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from emporos.access.models import Scope
from emporos.api import schemas
from emporos.api.auth import ApiKeyAuth
from emporos.outbox import selectors, services

router = Router(tags=["outbox"])
admin = ApiKeyAuth(Scope.OUTBOX_ADMIN)


def _out(delivery: Any) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "topic": delivery.event.topic,
        "event_id": str(delivery.event.uuid),
        "handler": delivery.handler,
        "attempts": delivery.attempts,
        "last_error": delivery.last_error,
        "due_at": delivery.due_at,
    }


@router.get("/outbox/dead", auth=admin, response=list[schemas.DeliveryOut], summary="Dead deliveries")
def dead(request: HttpRequest, limit: Annotated[int, Field(ge=1, le=500)] = 100) -> Any:
    return [_out(delivery) for delivery in selectors.dead_deliveries()[:limit]]


@router.post(
    "/outbox/deliveries/{delivery_id}/replay",
    auth=admin,
    response={200: schemas.DeliveryOut, 404: schemas.Problem, 409: schemas.Problem},
    summary="Replay a dead delivery",
)
def replay(request: HttpRequest, delivery_id: Annotated[int, Field(ge=1, le=2**63 - 1)]) -> Any:
    """Give a dead delivery a fresh set of attempts, due now."""
    return _out(services.replay_delivery(delivery_id=delivery_id))
