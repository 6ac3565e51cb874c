"""Orders, their lines and verifications (their story is in emporos.timeline)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower

from emporos.catalog.models import Variant
from emporos.customers.models import Customer
from emporos.inventory.models import Location
from emporos.orders.states import STATUS_STEPS, FulfillmentStatus, OrderStatus, PaymentMethod, PaymentStatus

NUMBER_PREFIX = "EM-"
FIRST_NUMBER = 10001


class ReturnedBigIntegerField(models.BigIntegerField):
    """A column the database fills on insert (the order number) and hands back with RETURNING."""

    db_returning = True


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in enum]


class Order(models.Model):
    number = ReturnedBigIntegerField(unique=True, help_text="Shown as EM-<number>; from a sequence.")
    channel = models.CharField(max_length=32)
    currency = models.CharField(max_length=3)
    # Indexed by order_customer_placed below, which also serves "this customer's orders, newest first".
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders", db_index=False)
    status = models.CharField(max_length=20, choices=_choices(OrderStatus), default=OrderStatus.PLACED)
    held_from_status = models.CharField(max_length=20, blank=True, default="")
    hold_reason = models.CharField(max_length=500, blank=True, default="")
    cancel_reason = models.CharField(max_length=500, blank=True, default="")
    payment_status = models.CharField(max_length=20, choices=_choices(PaymentStatus), default=PaymentStatus.PENDING)
    payment_method = models.CharField(max_length=20, choices=_choices(PaymentMethod))
    amount_paid = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    amount_refunded = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    fulfillment_status = models.CharField(
        max_length=20, choices=_choices(FulfillmentStatus), default=FulfillmentStatus.UNFULFILLED
    )
    shipping_method = models.CharField(max_length=64, blank=True, default="")
    is_express = models.BooleanField(default=False)
    shipping_address = models.JSONField(null=True, blank=True)
    billing_address = models.JSONField(null=True, blank=True)
    subtotal = models.DecimalField(max_digits=14, decimal_places=2)
    shipping_price = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    gift_wrap_price = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    tax_total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2)
    discount_total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    coupon_code = models.CharField(max_length=32, blank=True, default="")
    # Part of the total paid with a gift card (store credit); counted in amount_paid.
    gift_card_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    customer_note = models.TextField(blank=True, default="")
    gift_wrap = models.BooleanField(default=False)
    gift_message = models.TextField(blank=True, default="")
    has_waiting_lines = models.BooleanField(default=False, help_text="Backordered, pre-order or made to order.")
    placed_at = models.DateTimeField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    due_by = models.DateTimeField(help_text="Overdue when still waiting after this moment (working hours).")
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    queue_rank = models.PositiveSmallIntegerField(default=7, help_text="See orders.states.queue_rank.")
    # The status's place in the work (STATUS_STEPS), kept by the database, so that the orders list
    # sorted by status walks an index instead of sorting every order.
    status_step = models.GeneratedField(
        expression=Case(
            *[When(status=status.value, then=Value(step)) for step, status in enumerate(STATUS_STEPS)],
            default=Value(len(STATUS_STEPS)),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    # NULL, not "", when absent: many orders may lack a key, but a key is unique.
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")
    external_reference = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    # Who took the money and their id of the payment (a Stripe PaymentIntent "pi_..."), so a
    # refund can go back the same way; "" for payments the shop handles itself.
    payment_provider = models.CharField(max_length=32, blank=True, default="")
    payment_reference = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=[s.value for s in OrderStatus]), name="order_status_valid"),
            models.CheckConstraint(
                condition=Q(payment_status__in=[s.value for s in PaymentStatus]), name="order_payment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(fulfillment_status__in=[s.value for s in FulfillmentStatus]),
                name="order_fulfillment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(payment_method__in=[m.value for m in PaymentMethod]), name="order_payment_method_valid"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            # Never more back than was received: the last guard against two refunds racing.
            models.CheckConstraint(
                condition=Q(amount_refunded__gte=0, amount_refunded__lte=F("amount_paid")),
                name="order_refunded_within_paid",
            ),
            models.UniqueConstraint(
                fields=["channel", "external_reference"], name="order_external_reference_once_per_channel"
            ),
        ]
        indexes = [
            models.Index(fields=["-placed_at", "-id"], name="order_placed"),
            models.Index(fields=["status", "-placed_at", "-id"], name="order_status_placed"),
            models.Index(fields=["payment_status", "-placed_at", "-id"], name="order_payment_placed"),
            models.Index(fields=["fulfillment_status", "-placed_at", "-id"], name="order_fulfillment_placed"),
            models.Index(fields=["payment_method", "-placed_at", "-id"], name="order_method_placed"),
            models.Index(fields=["channel", "-placed_at", "-id"], name="order_channel_placed"),
            models.Index(fields=["shipping_method", "-placed_at", "-id"], name="order_shipping_placed"),
            models.Index(fields=["customer", "-placed_at", "-id"], name="order_customer_placed"),
            # The orders list sorted by total or by due time, paged by keyset over (column, id).
            models.Index(fields=["-total", "-id"], name="order_total"),
            models.Index(fields=["-due_by", "-id"], name="order_due"),
            models.Index(fields=["status_step", "id"], name="order_status_step"),
            # The express filter (the queue's Express tile), alone or with another filter.
            models.Index(fields=["-placed_at", "-id"], condition=Q(is_express=True), name="order_express_placed"),
            models.Index(
                fields=["queue_rank", "placed_at", "id"],
                condition=Q(status__in=["placed", "confirmed", "processing"]),
                name="order_queue",
            ),
            # The desk's queue of work that can be done now: orders with no line waiting for stock,
            # a release date or to be made (those are listed apart).
            models.Index(
                fields=["queue_rank", "placed_at", "id"],
                condition=Q(status__in=["placed", "confirmed", "processing"], has_waiting_lines=False),
                name="order_queue_actionable",
            ),
            models.Index(
                fields=["due_by", "id"],
                condition=Q(status__in=["placed", "confirmed", "processing"]),
                name="order_waiting_due",
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"{NUMBER_PREFIX}{self.number}"

    @property
    def outstanding(self) -> Decimal:
        """What the customer still owes (never below zero)."""
        return max(self.total - self.amount_paid, Decimal(0))

    @property
    def refundable(self) -> Decimal:
        """What may still be given back: the money received less what was refunded already."""
        return max(self.amount_paid - self.amount_refunded, Decimal(0))


class LineStockState(models.TextChoices):
    RESERVED = "reserved", "Reserved"
    BACKORDERED = "backordered", "Waiting for stock"
    PREORDER = "preorder", "Pre-order"
    MADE_TO_ORDER = "made_to_order", "Made to order"
    NOT_STOCKED = "not_stocked", "No stock needed"
    READY = "ready", "Ready to ship"
    RELEASED = "released", "Released"
    SHIPPED = "shipped", "Handed over"


# Lines accepted without stock in hand: the order waits for them.
WAITING_LINE_STATES = frozenset({LineStockState.BACKORDERED, LineStockState.PREORDER, LineStockState.MADE_TO_ORDER})


class OrderLine(models.Model):
    """One SKU of an order. Its reservation (location and quantity) is kept on the line."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=14, decimal_places=2)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=0, help_text="Percent, in the price.")
    line_total = models.DecimalField(max_digits=14, decimal_places=2)
    stock_state = models.CharField(max_length=20, choices=LineStockState.choices)
    reserved_location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    available_on = models.DateField(null=True, blank=True, help_text="Pre-order release date.")
    quantity_shipped = models.PositiveIntegerField(default=0, help_text="Handed to a carrier or delivered digitally.")
    quantity_delivered = models.PositiveIntegerField(default=0)
    quantity_returned = models.PositiveIntegerField(default=0, help_text="Received back from the customer.")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(quantity_shipped__lte=F("quantity")), name="order_line_shipped_within"),
            models.CheckConstraint(
                condition=Q(quantity_delivered__lte=F("quantity_shipped")), name="order_line_delivered_within"
            ),
            models.CheckConstraint(
                condition=Q(quantity_returned__lte=F("quantity_shipped")), name="order_line_returned_within"
            ),
            models.CheckConstraint(
                condition=Q(stock_state__in=LineStockState.values), name="order_line_stock_state_valid"
            ),
        ]
        # The orders list's SKU filter: the orders with a line of one SKU.
        indexes = [models.Index(fields=["sku", "order"], name="order_line_sku")]

    @property
    def quantity_unshipped(self) -> int:
        return self.quantity - self.quantity_shipped


class VerificationOutcome(models.TextChoices):
    CONFIRMED = "confirmed", "Customer confirmed the details"
    CORRECTED = "corrected", "Details corrected with the customer"
    NO_ANSWER = "no_answer", "No answer"
    WRONG_NUMBER = "wrong_number", "Wrong or unreachable number"
    CUSTOMER_CANCELLED = "customer_cancelled", "Customer wants to cancel"


class Verification(models.Model):
    """The record of a verification call (L3): outcome, note, who called, when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="verifications")
    outcome = models.CharField(max_length=20, choices=VerificationOutcome.choices)
    note = models.TextField(blank=True, default="")
    actor = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=VerificationOutcome.values), name="verification_outcome_valid"
            )
        ]


class SavedOrderView(models.Model):
    """A staff member's named view of the orders list: its filters and sort as a normalized query
    string (the desk's URL parameters in a fixed order, none empty, never a cursor)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)
    query = models.CharField(max_length=1000, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), "owner", name="saved_order_view_name_once_per_owner"),
        ]
        indexes = [models.Index(fields=["owner", "name"], name="saved_order_view_owner")]

    def __str__(self) -> str:
        return self.name


class RefundReason(models.TextChoices):
    RETURNED_GOODS = "returned_goods", "Returned goods"
    CANCELLED = "cancelled", "Order cancelled"
    GOODWILL = "goodwill", "Goodwill"
    DUPLICATE_PAYMENT = "duplicate_payment", "Duplicate payment"
    OTHER = "other", "Other"


class RefundStatus(models.TextChoices):
    ISSUED = "issued", "Issued"
    FAILED = "failed", "Failed"


class ProviderStatus(models.TextChoices):
    """Where the money is at the payment provider (a manual refund is done when recorded)."""

    PENDING = "pending", "Sent to the provider"
    SUCCEEDED = "succeeded", "Paid back"
    FAILED = "failed", "Refused by the provider"
    DUE = "due", "To be paid by bank transfer"


class Refund(models.Model):
    """Money given back to the customer: recorded by staff, or issued for a return and sent to
    the payment provider that took the money (`provider`) by the worker, keyed by `public_id`."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=20, choices=RefundReason.choices)
    note = models.CharField(max_length=500, blank=True, default="")
    reference = models.CharField(max_length=100, blank=True, default="")
    actor = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    # NULL, not "", when absent: a refund from the desk has none, one from the API has one.
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=10, choices=RefundStatus.choices, default=RefundStatus.ISSUED)
    provider = models.CharField(max_length=32, default="manual")
    provider_status = models.CharField(max_length=10, choices=ProviderStatus.choices, default=ProviderStatus.SUCCEEDED)
    provider_reference = models.CharField(max_length=100, blank=True, default="")
    provider_message = models.CharField(max_length=500, blank=True, default="")
    settled_at = models.DateTimeField(null=True, blank=True)
    # Bank refunds (cash on delivery, bank transfer): where the money goes, and the SEPA file
    # that carried it (its message id), so a refund is never exported twice.
    iban = models.CharField(max_length=34, blank=True, default="")
    account_holder = models.CharField(max_length=70, blank=True, default="")
    exported_in = models.CharField(max_length=35, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=RefundStatus.values), name="refund_status_valid"),
            models.CheckConstraint(
                condition=Q(provider_status__in=ProviderStatus.values), name="refund_provider_status_valid"
            ),
            models.CheckConstraint(condition=Q(reason__in=RefundReason.values), name="refund_reason_valid"),
        ]
        indexes = [models.Index(fields=["order", "created_at"], name="refund_order_created")]
