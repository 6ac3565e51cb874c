"""Stock endpoints: locations, levels per SKU, adjustments, and the ledger."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from emporos.access.models import Scope
from emporos.api import schemas
from emporos.api.auth import ApiKeyAuth, actor_of
from emporos.core import cursor as cursors
from emporos.inventory import selectors, services
from emporos.inventory.models import Location
from emporos.orders.services import receive_stock

router = Router(tags=["inventory"])


def _location_out(location: Location) -> dict[str, Any]:
    return {
        "code": location.code,
        "name": location.name,
        "priority": location.priority,
        "is_active": location.is_active,
    }


@router.get(
    "/locations",
    auth=ApiKeyAuth(Scope.INVENTORY_READ),
    response={200: list[schemas.LocationOut]},
    summary="Stock locations",
)
def locations(request: HttpRequest) -> Any:
    """Every location, in reservation order (orders reserve from the lowest priority first)."""
    return [_location_out(location) for location in selectors.all_locations()]


@router.post(
    "/locations",
    auth=ApiKeyAuth(Scope.INVENTORY_WRITE),
    response={201: schemas.LocationOut, 200: schemas.LocationOut, 409: schemas.Problem, 422: schemas.Problem},
    summary="Add a stock location",
)
def add_location(request: HttpRequest, payload: schemas.LocationIn) -> Any:
    """Create a location (201). Sending the same location again returns it (200), so a retry is
    safe; a code already given to a location with another name, priority or state is refused (409)."""
    result = services.add_location(
        code=payload.code,
        name=payload.name,
        actor=actor_of(request),
        priority=payload.priority,
        is_active=payload.is_active,
    )
    return (201 if result.created else 200), _location_out(result.location)


@router.post(
    "/stock/adjustments",
    auth=ApiKeyAuth(Scope.INVENTORY_WRITE),
    response={200: list[schemas.AdjustmentOut], 422: schemas.Problem},
    summary="Adjust stock (a counted number or a change)",
)
def adjust(request: HttpRequest, payload: schemas.AdjustmentsIn) -> Any:
    """Each adjustment gives either `on_hand` (what was counted) or `delta` (units in or out), and
    a reason: received, count, correction, damaged, returned. `location` may be left out when the
    shop has exactly one active location. All or nothing. Units that arrive go first to the
    orders waiting for them, oldest first, in the same transaction."""
    drafts = [services.AdjustmentDraft(**item.model_dump()) for item in payload.adjustments]
    return [dataclasses.asdict(result) for result in receive_stock(drafts=drafts, actor=actor_of(request))]


@router.get(
    "/stock/{sku}",
    auth=ApiKeyAuth(Scope.INVENTORY_READ),
    response={200: schemas.StockOut, 404: schemas.Problem, 422: schemas.Problem},
    summary="Stock of a SKU per location and in total",
)
def stock(request: HttpRequest, sku: schemas.SkuInPath) -> Any:
    found = selectors.stock_for_sku(sku)
    return {
        "sku": found.sku,
        "name": found.name,
        "on_hand": found.on_hand,
        "reserved": found.reserved,
        "available": found.available,
        "locations": [
            {
                "location": level.location.code,
                "on_hand": level.on_hand,
                "reserved": level.reserved,
                "available": level.available,
            }
            for level in found.locations
        ],
    }


@router.get(
    "/stock/{sku}/ledger",
    auth=ApiKeyAuth(Scope.INVENTORY_READ),
    response={200: schemas.LedgerOut, 400: schemas.Problem, 404: schemas.Problem, 422: schemas.Problem},
    summary="Movements of a SKU, newest first",
)
def ledger(
    request: HttpRequest,
    sku: schemas.SkuInPath,
    cursor: schemas.Cursor | None = None,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
) -> Any:
    movements = selectors.ledger_for_sku(sku)
    if cursor:
        (last_id,) = cursors.decode(cursor, size=1)
        movements = movements.filter(id__lt=last_id)
    rows = list(movements.order_by("-id")[: limit + 1])
    next_cursor = cursors.encode([rows[limit - 1].pk]) if len(rows) > limit else None
    return {
        "sku": sku,
        "movements": [
            {
                "at": row.created_at,
                "location": row.location.code,
                "on_hand_delta": row.on_hand_delta,
                "reserved_delta": row.reserved_delta,
                "reason": row.reason,
                "reference": row.reference,
                "note": row.note,
                "actor": row.actor,
            }
            for row in rows[:limit]
        ],
        "next_cursor": next_cursor,
    }
