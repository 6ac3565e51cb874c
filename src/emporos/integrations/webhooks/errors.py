"""Errors of the webhooks, each with a stable code."""

from __future__ import annotations

from emporos.core.errors import Conflict, NotFound


class NoSuchEndpoint(NotFound):
    code = "webhook_endpoint_not_found"


class EndpointInactive(Conflict):
    code = "webhook_endpoint_inactive"


class NotAWebhookDelivery(NotFound):
    code = "webhook_delivery_not_found"
