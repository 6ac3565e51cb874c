"""Stock locations, stock levels and the movement ledger that explains every number."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from emporos.catalog.models import Variant
from emporos.core.text import CODE_VALIDATOR

# The most units one stock level holds: the largest value of an integer column on PostgreSQL.
MAX_UNITS = 2_147_483_647


class LocationKind(models.TextChoices):
    OWN = "own", "The shop's own"
    THIRD_PARTY = "third_party", "A fulfillment service (3PL)"


class Location(models.Model):
    code = models.CharField(max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=200)
    priority = models.PositiveSmallIntegerField(default=10, help_text="Orders reserve from the lowest first.")
    is_active = models.BooleanField(default=True)
    kind = models.CharField(max_length=20, choices=LocationKind.choices, default=LocationKind.OWN)
    handover = models.CharField(
        max_length=32, blank=True, default="", help_text="A 3PL's handover adapter, e.g. file_drop."
    )

    def __str__(self) -> str:
        return self.name


class StockLevel(models.Model):
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="stock_levels")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stock_levels")
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    bin = models.CharField(max_length=50, blank=True, default="", help_text="Where on the shelves, e.g. A-03-2.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "location"], name="inventory_one_level_per_location"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="inventory_on_hand_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="inventory_reserved_not_negative"),
            models.CheckConstraint(condition=Q(reserved__lte=F("on_hand")), name="inventory_reserved_within_on_hand"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}@{self.location_id}: {self.on_hand} on hand, {self.reserved} reserved"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class MovementReason(models.TextChoices):
    RECEIVED = "received", "Goods received"
    COUNT = "count", "Stock count"
    CORRECTION = "correction", "Correction"
    DAMAGED = "damaged", "Damaged or lost"
    RETURNED = "returned", "Returned to stock"
    RESERVED = "reserved", "Reserved for an order"
    RELEASED = "released", "Reservation released"
    SHIPPED = "shipped", "Shipped"


ADJUSTMENT_REASONS = frozenset(
    {
        MovementReason.RECEIVED,
        MovementReason.COUNT,
        MovementReason.CORRECTION,
        MovementReason.DAMAGED,
        MovementReason.RETURNED,
    }
)


class StockMovement(models.Model):
    """A change of a stock level. Per level, the deltas add up to `on_hand` and `reserved`."""

    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    on_hand_delta = models.IntegerField(default=0)
    reserved_delta = models.IntegerField(default=0)
    reason = models.CharField(max_length=20, choices=MovementReason.choices)
    reference = models.CharField(max_length=100, blank=True, default="", help_text="Order number, delivery note...")
    note = models.CharField(max_length=500, blank=True, default="")
    actor = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["variant", "created_at"], name="inventory_movement_by_variant")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=MovementReason.values), name="inventory_movement_reason_valid"
            )
        ]
