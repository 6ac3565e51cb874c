from __future__ import annotations

from dataclasses import dataclass

from emporos.core.errors import Conflict


@dataclass(frozen=True)
class Shortage:
    sku: str
    requested: int
    available: int


class InsufficientStock(Conflict):
    code = "insufficient_stock"

    def __init__(self, shortage: Shortage) -> None:
        super().__init__(
            f"Only {shortage.available} of SKU {shortage.sku} are available; the order asked for {shortage.requested}."
        )
        self.shortage = shortage


class ReservationNotOnRecord(Conflict):
    """Units a caller meant to release or ship are not reserved at that location any more."""

    code = "reservation_not_on_record"


class LocationCodeTaken(Conflict):
    code = "location_code_taken"
