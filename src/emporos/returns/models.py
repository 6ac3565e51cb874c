"""A return: the lines a customer sends back, under which right, and what became of them."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from emporos.orders.models import Order, OrderLine, Refund


class ReturnKind(models.TextChoices):
    """The right the return is made under; each has its own clock and terms (`returns.rules`)."""

    WITHDRAWAL = "withdrawal", "Withdrawal"
    CONFORMITY = "conformity", "Conformity claim"
    POLICY = "policy", "Shop's return policy"


class ReturnStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    IN_TRANSIT = "in_transit", "On its way back"
    RECEIVED = "received", "Received"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (ReturnStatus.APPROVED, ReturnStatus.IN_TRANSIT)
# Returns whose units count against what may still come back.
COUNTING_STATUSES = (ReturnStatus.APPROVED, ReturnStatus.IN_TRANSIT, ReturnStatus.RECEIVED)


class Resolution(models.TextChoices):
    REFUND = "refund", "Refund"
    EXCHANGE = "exchange", "Exchange"
    STORE_CREDIT = "store_credit", "Store credit"


class Reason(models.TextChoices):
    WRONG_SIZE = "wrong_size", "Wrong size"
    NOT_AS_DESCRIBED = "not_as_described", "Not as described"
    DEFECTIVE = "defective", "Defective"
    ARRIVED_DAMAGED = "arrived_damaged", "Arrived damaged"
    WRONG_ITEM = "wrong_item", "Wrong item sent"
    CHANGED_MIND = "changed_my_mind", "Changed my mind"
    BETTER_PRICE = "better_price", "Found a better price"
    OTHER = "other", "Other"
    # The EU withdrawal button: no reason is asked for, none is needed.
    WITHDRAWAL = "withdrawal", "Withdrawal without a reason"


class Condition(models.TextChoices):
    UNOPENED = "unopened", "Unopened"
    OPENED = "opened", "Opened"
    USED = "used", "Used"
    DAMAGED = "damaged", "Damaged"


class Channel(models.TextChoices):
    API = "api", "API"
    PORTAL = "portal", "Return portal"
    DESK = "desk", "Desk"


class AutoRefund(models.TextChoices):
    ON_RECEIPT = "on_receipt", "When the parcel is received"
    ON_FIRST_SCAN = "on_first_scan", "At the return parcel's first carrier scan"
    NEVER = "never", "Never: a person issues every refund"


class ShippingPaidBy(models.TextChoices):
    SHOP = "shop", "The shop"
    CUSTOMER = "customer", "The customer"


class Exemption(models.TextChoices):
    CUSTOM_MADE = "custom_made", "Made to the customer's specification"
    HYGIENE_SEALED = "hygiene_sealed", "Sealed for hygiene: returnable unopened only"
    PERISHABLE = "perishable", "Perishable"
    DIGITAL = "digital", "Digital content: not once downloaded"


class ReturnPolicy(models.Model):
    """The shop's return settings (one row, id 1): its own voluntary policy on top of the law, the
    reasons it offers, when refunds go out by themselves and who pays the way back."""

    voluntary_days = models.PositiveSmallIntegerField(default=0, help_text="0: the law's periods only.")
    reasons = models.JSONField(default=list, help_text="Reason codes offered on the return form, in order.")
    auto_refund = models.CharField(max_length=20, choices=AutoRefund.choices, default=AutoRefund.ON_RECEIPT)
    auto_refund_kinds = models.JSONField(default=list, help_text="Kinds refunded automatically; empty: all.")
    return_shipping_paid_by = models.CharField(
        max_length=10, choices=ShippingPaidBy.choices, default=ShippingPaidBy.SHOP
    )
    return_shipping_fee = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0.00"), help_text="Taken off when the customer pays it."
    )
    return_carrier = models.CharField(max_length=32, default="manual")
    customers_informed = models.BooleanField(
        default=True, help_text="Customers are told of their right of withdrawal (else it lasts 12 months more)."
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="return_policy_single_row")]


class SkuExemption(models.Model):
    """A SKU the law lets the shop refuse a withdrawal of (never a conformity claim)."""

    sku = models.CharField(max_length=64, unique=True)
    exemption = models.CharField(max_length=20, choices=Exemption.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(exemption__in=Exemption.values), name="sku_exemption_valid")]


class Return(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="returns")
    sequence = models.PositiveSmallIntegerField(help_text="The order's return number: 1, 2...")
    kind = models.CharField(max_length=20, choices=ReturnKind.choices)
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.APPROVED)
    resolution = models.CharField(max_length=20, choices=Resolution.choices, default=Resolution.REFUND)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # The EU withdrawal button (or an explicit statement): acknowledged on a durable medium.
    is_withdrawal_statement = models.BooleanField(default=False)
    notice_at = models.DateTimeField(help_text="When the customer's request reached the shop.")
    window_ends = models.DateField(null=True, blank=True, help_text="The last day of the right used.")
    refund_due = models.DateField(help_text="The last day to refund (14 days after the notice for a withdrawal).")
    first_scan_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    fee = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    return_shipping_fee = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    shipping_refund = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    refund = models.ForeignKey(Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # An exchange's replacement order, placed (its stock reserved) when the return was approved.
    replacement_order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    carrier = models.CharField(max_length=32, blank=True, default="")
    tracking_number = models.CharField(max_length=100, blank=True, default="")
    carrier_reference = models.CharField(max_length=100, blank=True, default="")
    tracking_url = models.URLField(max_length=500, blank=True, default="")
    label = models.FileField(upload_to="return-labels/%Y/%m/", blank=True, default="")
    label_created_at = models.DateTimeField(null=True, blank=True)
    iban = models.CharField(max_length=34, blank=True, default="")
    account_holder = models.CharField(max_length=70, blank=True, default="")
    note = models.TextField(blank=True, default="", help_text="What the customer wrote.")
    rejection_reason = models.CharField(max_length=500, blank=True, default="")
    actor = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "sequence"], name="return_sequence_once_per_order"),
            models.CheckConstraint(condition=Q(kind__in=ReturnKind.values), name="return_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ReturnStatus.values), name="return_status_valid"),
            models.CheckConstraint(condition=Q(resolution__in=Resolution.values), name="return_resolution_valid"),
        ]
        indexes = [
            # The returns queue: open returns, oldest first.
            models.Index(
                fields=["created_at", "id"], condition=Q(status__in=["approved", "in_transit"]), name="return_open"
            ),
            models.Index(fields=["-created_at", "-id"], name="return_created"),
            models.Index(fields=["carrier", "tracking_number"], name="return_tracking"),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"{self.order.display_number}-R{self.sequence}"

    @property
    def send_by(self) -> dt.date:
        """The day the goods should be on their way back: 14 days after the request (for a
        withdrawal the law's period to send them, Directive 2011/83/EU art. 14(1))."""
        return (self.notice_at + dt.timedelta(days=14)).date()


class ReturnLine(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines", db_column="return_id")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    condition = models.CharField(max_length=10, choices=Condition.choices)
    unit_refund = models.DecimalField(max_digits=14, decimal_places=2, help_text="The unit's price paid.")
    exchange_sku = models.CharField(max_length=64, blank=True, default="")
    received_quantity = models.PositiveIntegerField(default=0)
    received_condition = models.CharField(max_length=10, blank=True, default="")
    restocked_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="return_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(received_quantity__lte=F("quantity")), name="return_line_received_within"
            ),
            models.CheckConstraint(
                condition=Q(restocked_quantity__lte=F("received_quantity")), name="return_line_restocked_within"
            ),
            models.UniqueConstraint(fields=["ret", "order_line"], name="return_line_once_per_order_line"),
        ]


class ReturnPhoto(models.Model):
    """A photo of damage or a defect, checked to be an image and not too large when uploaded."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="photos", db_column="return_id")
    line = models.ForeignKey(ReturnLine, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="return-photos/%Y/%m/")
    content_type = models.CharField(max_length=30)
    size_bytes = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    taken_by = models.CharField(max_length=10, default="customer", help_text="customer or staff (on receipt).")
    created_at = models.DateTimeField()


class ReturnTrackingEvent(models.Model):
    """A carrier's scan of a return parcel, stored once (unique carrier + event id)."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="tracking_events", db_column="return_id")
    carrier = models.CharField(max_length=32)
    event_id = models.CharField(max_length=200)
    status = models.CharField(max_length=30)
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["carrier", "event_id"], name="return_tracking_event_once"),
        ]
