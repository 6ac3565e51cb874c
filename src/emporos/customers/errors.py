"""Errors of the customers domain, each with a stable code."""

from __future__ import annotations

from emporos.core.errors import Conflict, NotFound


class CustomerNotFound(NotFound):
    code = "customer_not_found"


class CouponAlreadyUsed(Conflict):
    code = "coupon_already_used"
