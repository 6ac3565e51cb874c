"""Errors of the customers domain, each with a stable code."""

from __future__ import annotations

from emporos.core.errors import NotFound


class CustomerNotFound(NotFound):
    code = "customer_not_found"
