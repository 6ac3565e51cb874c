"""Fulfillment orders (what leaves from where, and why it waits), waves, packaging, shipments
and digital downloads."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q

from emporos.core.text import CODE_VALIDATOR
from emporos.inventory.models import Location
from emporos.orders.models import Order, OrderLine


class Mode(models.TextChoices):
    OWN = "own", "From the shop's own location"
    THIRD_PARTY = "third_party", "By a fulfillment service (3PL)"
    DIGITAL = "digital", "Delivered digitally"
    MADE_TO_ORDER = "made_to_order", "Made to order"


class Status(models.TextChoices):
    OPEN = "open", "Ready"
    IN_PROGRESS = "in_progress", "In progress"
    ON_HOLD = "on_hold", "On hold"
    SCHEDULED = "scheduled", "Scheduled"
    CLOSED = "closed", "Done"
    CANCELLED = "cancelled", "Cancelled"


class HoldReason(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
    OUT_OF_STOCK = "out_of_stock", "Out of stock"
    PREORDER_DATE = "preorder_date", "Pre-order date"
    ADDRESS_PROBLEM = "address_problem", "Address problem"
    AWAITING_VERIFICATION = "awaiting_verification", "Awaiting verification"
    BEING_MADE = "being_made", "Being made"
    OTHER = "other", "Other"


# Holds staff place and lift; the others follow the facts (payment, stock, dates, making).
STAFF_HOLD_REASONS = frozenset(
    {HoldReason.ADDRESS_PROBLEM, HoldReason.AWAITING_VERIFICATION, HoldReason.OTHER, HoldReason.AWAITING_PAYMENT}
)


class Handover(models.TextChoices):
    NONE = "", "Not handed over"
    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


ACTIVE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.ON_HOLD, Status.SCHEDULED)


class Wave(models.Model):
    """The fulfillment orders ready at a cut-off, picked and packed together."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=40, unique=True, help_text="W-2026-12-01-1200")
    cutoff_at = models.DateTimeField(unique=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    def __str__(self) -> str:
        return self.reference


class FulfillmentOrder(models.Model):
    """The lines of an order that leave together from one place in one way, or wait together
    for one reason."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillment_orders")
    mode = models.CharField(max_length=20, choices=Mode.choices)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    waits_for = models.CharField(
        max_length=30, blank=True, default="", help_text="Its lines wait for stock, a date or making."
    )
    hold_reason = models.CharField(max_length=30, choices=HoldReason.choices, blank=True, default="")
    hold_note = models.CharField(max_length=500, blank=True, default="")
    held_by_staff = models.BooleanField(default=False)
    fulfill_on = models.DateField(null=True, blank=True, help_text="Scheduled: the pre-order date.")
    wave = models.ForeignKey(Wave, null=True, blank=True, on_delete=models.SET_NULL, related_name="fulfillment_orders")
    handover = models.CharField(max_length=20, choices=Handover.choices, blank=True, default="")
    handover_note = models.CharField(max_length=500, blank=True, default="")
    is_express = models.BooleanField(default=False)
    slip_coupon = models.CharField(max_length=32, blank=True, default="", help_text="Printed on the packing slip.")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="fulfillment_status_valid"),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="fulfillment_mode_valid"),
            models.CheckConstraint(
                condition=~Q(status="on_hold") | ~Q(hold_reason=""), name="fulfillment_hold_has_reason"
            ),
        ]
        indexes = [
            models.Index(
                fields=["wave", "is_express", "created_at"], condition=Q(status="open"), name="fulfillment_ready"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.mode} {self.status}"


class FulfillmentOrderLine(models.Model):
    fulfillment_order = models.ForeignKey(FulfillmentOrder, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    quantity_shipped = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fulfillment_order", "order_line"], name="fulfillment_line_once"),
            models.CheckConstraint(condition=Q(quantity_shipped__lte=F("quantity")), name="fulfillment_line_within"),
        ]


class PackagingKind(models.TextChoices):
    BOX = "box", "Box"
    ENVELOPE = "envelope", "Padded envelope"
    BAG = "bag", "Mailer bag"


class Packaging(models.Model):
    """A box or envelope the shop packs in; its weight counts in the parcel's."""

    code = models.CharField(max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=PackagingKind.choices, default=PackagingKind.BOX)
    length_mm = models.PositiveIntegerField()
    width_mm = models.PositiveIntegerField()
    height_mm = models.PositiveIntegerField()
    weight_grams = models.PositiveIntegerField()
    max_weight_grams = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=10)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class ShipmentStatus(models.TextChoices):
    LABEL_CREATED = "label_created", "Label created"
    PICKED_UP = "picked_up", "Picked up"
    IN_TRANSIT = "in_transit", "In transit"
    OUT_FOR_DELIVERY = "out_for_delivery", "Out for delivery"
    DELIVERY_ATTEMPTED = "delivery_attempted", "Delivery attempted"
    AVAILABLE_FOR_PICKUP = "available_for_pickup", "Ready for pickup"
    DELIVERED = "delivered", "Delivered"
    EXCEPTION = "exception", "Problem"
    RETURNED_TO_SENDER = "returned_to_sender", "Returned to sender"
    CANCELLED = "cancelled", "Label cancelled"


class Shipment(models.Model):
    """One parcel: its lines, its carrier and label, and the facts printed on it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shipments")
    fulfillment_order = models.ForeignKey(
        FulfillmentOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="shipments"
    )
    wave = models.ForeignKey(Wave, null=True, blank=True, on_delete=models.SET_NULL, related_name="shipments")
    sequence = models.PositiveSmallIntegerField(help_text="The order's parcel number: 1, 2...")
    carrier = models.CharField(max_length=32)
    carrier_name = models.CharField(
        max_length=100, blank=True, default="", help_text="Manual carrier: who carries it, e.g. a 3PL's courier."
    )
    carrier_service = models.CharField(max_length=64, blank=True, default="")
    method_code = models.CharField(max_length=64, blank=True, default="")
    tracking_number = models.CharField(max_length=100)
    carrier_reference = models.CharField(max_length=100, blank=True, default="")
    tracking_url = models.URLField(max_length=500, blank=True, default="")
    status = models.CharField(max_length=30, choices=ShipmentStatus.choices, default=ShipmentStatus.LABEL_CREATED)
    label = models.FileField(upload_to="labels/%Y/%m/", blank=True, default="")
    label_zpl = models.TextField(blank=True, default="")
    packaging = models.ForeignKey(Packaging, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    weight_grams = models.PositiveIntegerField(default=0)
    signature_required = models.BooleanField(default=False)
    presence_required = models.BooleanField(default=False)
    cod_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    cod_currency = models.CharField(max_length=3, blank=True, default="")
    cod_collected_at = models.DateTimeField(null=True, blank=True)
    pickup_point = models.CharField(max_length=100, blank=True, default="")
    expected_on = models.DateField(null=True, blank=True, help_text="The order's promised latest day.")
    delivered_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField(
        null=True, blank=True, help_text="The carrier's time of the event that set the status."
    )
    last_event_at = models.DateTimeField(null=True, blank=True, help_text="The carrier's latest scan, any kind.")
    pickup_code = models.CharField(max_length=50, blank=True, default="", help_text="Locker or store pickup code.")
    pickup_until = models.DateField(null=True, blank=True, help_text="The last day the parcel waits for pickup.")
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "sequence"], name="shipment_sequence_once"),
            models.UniqueConstraint(
                fields=["carrier", "tracking_number"],
                condition=~Q(status="cancelled"),
                name="shipment_tracking_number_once",
            ),
            models.CheckConstraint(condition=Q(status__in=ShipmentStatus.values), name="shipment_status_valid"),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="shipment_created"),
            # Carrier events name a parcel by its number or the carrier's own id (cancelled ones too).
            models.Index(fields=["carrier", "tracking_number"], name="shipment_by_tracking_number"),
            models.Index(fields=["carrier", "carrier_reference"], name="shipment_by_carrier_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.order}/{self.sequence} {self.carrier} {self.tracking_number}"

    @property
    def reference(self) -> str:
        return f"{self.order.display_number}/{self.sequence}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="shipment_line_quantity_positive")]


class Download(models.Model):
    """A customer's signed, expiring, counted link to a digital line's file."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order_line = models.OneToOneField(OrderLine, on_delete=models.CASCADE, related_name="+")
    file = models.CharField(max_length=500, help_text="The file's name in the storage.")
    filename = models.CharField(max_length=200)
    expires_at = models.DateTimeField()
    max_downloads = models.PositiveIntegerField()
    downloads = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(downloads__lte=F("max_downloads")), name="download_within_limit")
        ]


class TrackingEvent(models.Model):
    """One carrier event, stored first and kept as the carrier said it; a replay changes nothing."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="tracking_events")
    carrier = models.CharField(max_length=32)
    carrier_event_id = models.CharField(max_length=200, help_text="The carrier's own id of the event.")
    status = models.CharField(max_length=30, choices=ShipmentStatus.choices)
    raw_status = models.CharField(max_length=200, blank=True, default="", help_text="The carrier's own code.")
    description = models.CharField(max_length=500, blank=True, default="")
    location = models.CharField(max_length=200, blank=True, default="")
    occurred_at = models.DateTimeField(help_text="The carrier's time of the event.")
    received_at = models.DateTimeField()
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["carrier", "carrier_event_id"], name="tracking_event_once"),
            models.CheckConstraint(condition=Q(status__in=ShipmentStatus.values), name="tracking_event_status_valid"),
        ]
        indexes = [models.Index(fields=["shipment", "occurred_at"], name="tracking_event_shipment_time")]

    def __str__(self) -> str:
        return f"{self.carrier} {self.carrier_event_id} {self.status}"


class DelayReason(models.TextChoices):
    NO_SCAN = "no_scan", "No carrier scan for too long"
    EXCEPTION = "exception", "Carrier reported a problem"
    FAILED_ATTEMPT = "failed_attempt", "Delivery attempt failed"
    LATE = "late", "Promised day passed"


class DelayCaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class DelayCase(models.Model):
    """A parcel that will likely miss its promise: one open case per parcel, on the staff desk."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="delay_cases")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=DelayReason.choices)
    status = models.CharField(max_length=10, choices=DelayCaseStatus.choices, default=DelayCaseStatus.OPEN)
    detail = models.CharField(max_length=500, blank=True, default="", help_text="The carrier's words, if any.")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, blank=True, default="")
    closed_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shipment"], condition=Q(status="open"), name="delay_case_one_open_per_shipment"
            ),
            models.CheckConstraint(condition=Q(status__in=DelayCaseStatus.values), name="delay_case_status_valid"),
            models.CheckConstraint(condition=Q(reason__in=DelayReason.values), name="delay_case_reason_valid"),
        ]
        indexes = [models.Index(fields=["status", "-opened_at"], name="delay_case_open")]

    def __str__(self) -> str:
        return f"{self.shipment} {self.reason} {self.status}"
