"""Releasing or shipping stock that is not reserved any more is a domain error, not a crash."""

from __future__ import annotations

import pytest

from emporos.core.errors import Conflict
from emporos.inventory import services
from emporos.inventory.errors import ReservationNotOnRecord
from emporos.inventory.models import Location, StockLevel, StockMovement
from tests.conftest import ACTOR

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.mark.parametrize("settle", [services.release, services.ship], ids=["release", "ship"])
def test_settling_a_reservation_not_on_record_raises_a_domain_error_with_a_stable_code(
    settle: object, locations: dict[str, Location]
) -> None:
    level = StockLevel.objects.get(variant__sku="TEA-100", location=locations["athens"])
    movements = StockMovement.objects.count()
    ghost = services.Reservation(variant_id=level.variant_id, quantity=3, location_id=level.location_id)

    with pytest.raises(ReservationNotOnRecord) as raised:
        settle(reservations=[ghost], reference="EM-10001", actor=ACTOR)  # type: ignore[operator]

    assert isinstance(raised.value, Conflict)
    assert raised.value.code == "reservation_not_on_record"
    assert "EM-10001" in raised.value.message
    level.refresh_from_db()
    assert (level.on_hand, level.reserved) == (10, 0)
    assert StockMovement.objects.count() == movements
