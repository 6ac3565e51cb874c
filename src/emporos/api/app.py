"""The one JSON API at /api/v1, with OpenAPI docs at /api/v1/docs."""

from __future__ import annotations

from ninja.renderers import JSONRenderer

from emporos import __version__
from emporos.api import (
    catalog,
    fulfillment,
    inventory,
    orders,
    outbox,
    payments,
    problems,
    returns,
    shipping,
    support,
    tracking,
)
from emporos.api.openapi import DocumentedAPI
from emporos.api.parser import StrictJsonParser


class UnicodeJSONRenderer(JSONRenderer):
    """Greek, Polish and Hebrew stay readable in responses instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = DocumentedAPI(
    renderer=UnicodeJSONRenderer(),
    parser=StrictJsonParser(),
    title="Emporos API",
    version=__version__,
    description=(
        "The storefront's door into Emporos. Authenticate with `Authorization: Bearer <API key>` "
        "(create one with `emporos apikey create`). Errors are RFC 9457 problem details with a "
        "stable `code` and the failing fields in `errors`, served as application/problem+json. "
        "Bodies are JSON sent as `Content-Type: application/json`, each key once. Money is a decimal "
        'string with an ISO 4217 currency ("43.30", never a JSON number); times are ISO 8601 with a '
        "time zone."
    ),
    urls_namespace="api",
)
problems.install(api)
api.add_router("/", orders.router)
api.add_router("/", catalog.router)
api.add_router("/", inventory.router)
api.add_router("/", outbox.router)
api.add_router("/", shipping.router)
api.add_router("/", fulfillment.router)
api.add_router("/", tracking.router)
api.add_router("/", returns.router)
api.add_router("/", payments.router)
api.add_router("/", support.router)
