"""What ShipX answers: shipments being bought, errors worth reading, and its event times.

Shapes from InPost's ShipX documentation (https://dokumentacja-inpost.atlassian.net/wiki/spaces/PL/):
"Shipment" (pages/18153485), "Form validation" (pages/18153492, errors as `{status, error,
message|description, details}`), "Shipment cancellation" (pages/28639256, `invalid_action`) and
"Webhooks" (pages/18153494, `event_ts` as "2020-03-20 15:08:42 +0100").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from emporos.fulfillment.carriers import CarrierError, CarrierUnavailable, WebhookRejected
from emporos.integrations.carriers import common
from emporos.integrations.carriers.inpost_statuses import PENDING
from emporos.integrations.http import HttpResponse


def bought(shipment: Mapping[str, Any]) -> bool:
    return shipment.get("status") not in PENDING and bool(shipment.get("tracking_number"))


def shipment_object(answer: Any) -> dict[str, Any]:
    if not isinstance(answer, dict) or "id" not in answer:
        raise CarrierError(f"InPost answered with something that is not a shipment: {answer!r}")
    return answer


def event_time(stamp: object) -> dt.datetime:
    """ShipX writes "2020-03-20 15:08:42 +0100"; ISO 8601 is taken too."""
    if isinstance(stamp, str):
        for pattern in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S.%f %z"):
            try:
                return dt.datetime.strptime(stamp, pattern)
            except ValueError:
                continue
        try:
            return common.aware(dt.datetime.fromisoformat(stamp))
        except ValueError:
            pass
    raise WebhookRejected(f"The InPost event time {stamp!r} is not a time.")


def refusal(response: HttpResponse, *, doing: str) -> CarrierError:
    if response.status >= 500:
        return CarrierUnavailable(f"InPost failed during {doing} ({describe(response)}); try again in a few minutes.")
    if response.status == 401:
        return CarrierError(
            f"InPost refused the API token during {doing} ({describe(response)}); check EMPOROS_INPOST_TOKEN."
        )
    if response.status == 403:
        return CarrierError(
            f"InPost refused {doing} ({describe(response)}); the token may not act for this organization: "
            "check EMPOROS_INPOST_ORGANIZATION_ID."
        )
    answer = response.json()
    if isinstance(answer, dict) and answer.get("error") == "invalid_action" and "cancel" in doing:
        hint = ": InPost cancels only shipments not bought yet; ask InPost to cancel a bought one"
    else:
        hint = ""
    return CarrierError(f"InPost refused {doing} ({describe(response)}){hint}.")


def describe(response: HttpResponse) -> str:
    """The status with ShipX's error key, message and the fields it names."""
    answer = response.json()
    if not isinstance(answer, dict):
        return f"HTTP {response.status}"
    words = [str(answer[key]) for key in ("error", "message", "description") if answer.get(key)]
    fields = _fields(answer.get("details"))
    return " ".join([f"HTTP {response.status}", *words]) + (f"; {fields}" if fields else "")


def _fields(details: object, prefix: str = "") -> str:
    """ShipX's nested validation details, e.g. {"receiver": [{"phone": ["invalid"]}]} ->
    "receiver.phone: invalid"."""
    found: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list) and all(isinstance(item, str) for item in node):
            found.append(f"{path}: {', '.join(node)}")
        elif isinstance(node, list):
            for item in node:
                walk(item, path)
        elif node is not None:
            found.append(f"{path}: {node}")

    walk(details, prefix)
    return "; ".join(found[:6])
