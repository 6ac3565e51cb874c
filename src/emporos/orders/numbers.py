"""Human order numbers from the database, assigned in the INSERT itself.

PostgreSQL takes them from a sequence, so concurrent orders never wait on each other for a
number. SQLite serialises writers, so the next number after the highest is safe there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BigIntegerField, Func

from emporos.orders.models import FIRST_NUMBER

SEQUENCE = "orders_order_number_seq"


def next_number_sql(vendor: str) -> str:
    """The SQL expression of the next order number, for an INSERT written by hand."""
    if vendor == "postgresql":
        return f"nextval('{SEQUENCE}')"
    if vendor == "sqlite":
        return f"(SELECT COALESCE(MAX(number), {FIRST_NUMBER - 1}) + 1 FROM orders_order)"
    raise NotImplementedError(f"Order numbers are not implemented for {vendor}.")


class NextOrderNumber(Func):
    output_field = BigIntegerField()

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra_context: Any) -> Any:
        return next_number_sql(connection.vendor), []


def parse_number(value: str) -> int | None:
    """'EM-10042' or '10042' -> 10042; anything else -> None."""
    digits = value.strip().upper().removeprefix("EM-")
    # isascii: "²".isdigit() is True but int("²") fails.
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 18 else None
