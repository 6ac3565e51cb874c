"""Requests to tell a customer something; a later issue sends them through e-mail and SMS."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"


class NotificationRequest(models.Model):
    """One message to one customer on one channel, created at most once per event (dedupe_key)."""

    kind = models.CharField(max_length=50, help_text="Which message, e.g. order_received.")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "order", "channel"],
                condition=Q(order__isnull=False),
                name="notification_once_per_order_kind_channel",
            ),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="notification_channel_valid"),
        ]
