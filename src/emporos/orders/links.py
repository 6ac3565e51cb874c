"""The customer's signed link to an order's status page: unguessable, tamper-proof, expiring.

The link carries the order's id signed with the project's secret and the time it was made; it
works for `EMPOROS_STATUS_LINK_DAYS`. A changed character or an old link is refused.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.urls import reverse

from emporos.core.config import setting
from emporos.orders.models import Order

_SALT = "emporos.orders.status-link"


class StatusLinkInvalid(Exception):
    """The token was tampered with, or is not a status link at all."""


class StatusLinkExpired(StatusLinkInvalid):
    """The token is genuine but older than EMPOROS_STATUS_LINK_DAYS."""


def status_token(order: Order) -> str:
    return signing.dumps(order.pk, salt=_SALT, compress=False)


def status_path(order: Order) -> str:
    """The path of the order's status page (a message adds the shop's address in front)."""
    return reverse("portal:order_status", args=[status_token(order)])


def order_for_token(token: str) -> Order:
    """The order a status link names; StatusLinkExpired or StatusLinkInvalid otherwise."""
    max_age = dt.timedelta(days=setting("STATUS_LINK_DAYS"))
    try:
        order_id = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise StatusLinkExpired(token) from None
    except signing.BadSignature:
        raise StatusLinkInvalid(token) from None
    if not isinstance(order_id, int):
        raise StatusLinkInvalid(token)
    order = Order.objects.filter(pk=order_id).select_related("customer").first()
    if order is None:
        raise StatusLinkInvalid(token)
    return order
