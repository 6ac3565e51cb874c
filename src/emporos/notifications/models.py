"""Messages to customers (one row per event, channel and recipient), the shop's message policy,
its edited templates, and marketing consent."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    EMAIL = "email", pgettext_lazy("message channel", "E-mail")
    SMS = "sms", pgettext_lazy("message channel", "SMS")


class MessageStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("message status", "Waiting to be sent")
    DEFERRED = "deferred", pgettext_lazy("message status", "Deferred (quiet hours)")
    SUPPRESSED = "suppressed", pgettext_lazy("message status", "Suppressed")
    SKIPPED = "skipped", pgettext_lazy("message status", "Skipped")
    SENT = "sent", pgettext_lazy("message status", "Sent")
    FAILED = "failed", pgettext_lazy("message status", "Failed")


class Kind(models.TextChoices):
    """Which message: one template per kind, language and channel."""

    ORDER_RECEIVED = "order_received", pgettext_lazy("message", "Order received")
    BEING_PACKED = "being_packed", pgettext_lazy("message", "Being packed")
    SHIPPED = "shipped", pgettext_lazy("message", "Shipped")
    OUT_FOR_DELIVERY = "out_for_delivery", pgettext_lazy("message", "Out for delivery")
    READY_FOR_PICKUP = "ready_for_pickup", pgettext_lazy("message", "Ready for pickup")
    DELIVERED = "delivered", pgettext_lazy("message", "Delivered")
    PROBLEM = "problem", pgettext_lazy("message", "A problem with the delivery")
    DOWNLOADS = "downloads", pgettext_lazy("message", "Downloads ready")
    RETURN_REQUESTED = "return_requested", pgettext_lazy("message", "Return approved, with its label")
    WITHDRAWAL_ACKNOWLEDGED = "withdrawal_acknowledged", pgettext_lazy("message", "Withdrawal acknowledged")
    REFUND_ISSUED = "refund_issued", pgettext_lazy("message", "Return received, money refunded")
    STORE_CREDIT = "store_credit", pgettext_lazy("message", "Return received, store credit given")
    SATISFACTION_CHECK = "satisfaction_check", pgettext_lazy("message", "How did it go? (after delivery)")


class SuppressedBecause(models.TextChoices):
    BUDGET = "budget", pgettext_lazy("message not sent because", "Over the day's budget for the order")
    CONSENT = "consent", pgettext_lazy("message not sent because", "No consent for this channel")
    LATE = "late", pgettext_lazy("message not sent because", "Too late to be useful")


# Kinds a customer hears of at most once per order and channel (a parcel's milestones repeat
# for each parcel of a split order, a problem for each case: those are keyed by their event).
ONCE_PER_ORDER = (Kind.ORDER_RECEIVED, Kind.BEING_PACKED)


class Message(models.Model):
    """One message to one recipient on one channel, created at most once per event: what was
    rendered, and what became of it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Also its Message-ID.")
    event_uuid = models.UUIDField(help_text="The event that asked for it.")
    kind = models.CharField(max_length=50, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254, help_text="An e-mail address or an E.164 phone number.")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=300, blank=True, default="")
    body_text = models.TextField(blank=True, default="")
    body_html = models.TextField(blank=True, default="")
    status = models.CharField(max_length=12, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    reason = models.CharField(
        max_length=20, choices=SuppressedBecause.choices, blank=True, default="", help_text="Why it was suppressed."
    )
    provider_id = models.CharField(max_length=200, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    send_after = models.DateTimeField(null=True, blank=True, help_text="Deferred until the quiet hours end.")
    sent_at = models.DateTimeField(null=True, blank=True)
    is_urgent = models.BooleanField(default=False, help_text="Goes out in quiet hours too (a problem).")
    is_marketing = models.BooleanField(default=False, help_text="Needs consent; carries List-Unsubscribe.")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event_uuid", "channel", "recipient"], name="message_once_per_event"),
            models.UniqueConstraint(
                fields=["kind", "order", "channel"],
                condition=Q(order__isnull=False, kind__in=["order_received", "being_packed"]),
                name="message_once_per_order_kind_channel",
            ),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="message_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=MessageStatus.values), name="message_status_valid"),
        ]
        indexes = [
            models.Index(fields=["order", "channel", "created_at"], name="message_order_day"),
            models.Index(fields=["-created_at"], name="message_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} {self.recipient} {self.status}"


class MessagePolicy(models.Model):
    """The owner's noise budget and quiet hours: one row (id 1); until saved, the EMPOROS_* defaults."""

    messages_per_order_day = models.PositiveIntegerField()
    quiet_hours = models.CharField(max_length=11, blank=True, default="", help_text='"21:00-08:00"; empty: none.')
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="message_policy_single_row")]

    def __str__(self) -> str:
        return f"{self.messages_per_order_day}/day, quiet {self.quiet_hours or '-'}"


class TemplateOverride(models.Model):
    """The shop's own words for one kind, language and channel, with {placeholders}."""

    kind = models.CharField(max_length=50, choices=Kind.choices)
    language = models.CharField(max_length=8)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    subject = models.CharField(max_length=300, blank=True, default="")
    body = models.TextField()
    updated_at = models.DateTimeField()
    updated_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "language", "channel"], name="template_override_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.language} {self.channel}"


class Purpose(models.TextChoices):
    TRANSACTIONAL = "transactional", "About an order"
    MARKETING = "marketing", "Marketing"


class Consent(models.Model):
    """A customer's yes to marketing on one channel (withdrawn: no), with the country it was given under."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.MARKETING)
    country = models.CharField(max_length=2, blank=True, default="")
    granted_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=100, blank=True, default="", help_text="Where it was given: checkout, ...")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "channel", "purpose"], name="consent_once_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.channel} {self.purpose}"
