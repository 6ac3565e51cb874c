"""The outbox: events written with the state change, one delivery per handler, drained by the relay."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q


class Event(models.Model):
    """Something that happened; the payload carries ids and small facts, never personal data."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Idempotency key outside.")
    topic = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["topic", "created_at"])]

    def __str__(self) -> str:
        return f"{self.topic} {self.uuid}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "pending"
    DONE = "done", "done"
    DEAD = "dead", "dead"


class Delivery(models.Model):
    """One handler's work on one event; unique per (event, handler), so nothing runs twice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    handler = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField()
    last_error = models.TextField(blank=True, default="")
    completed_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="outbox_delivery_once_per_handler"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "done", "dead"]), name="outbox_delivery_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["due_at", "id"], condition=Q(status="pending"), name="outbox_delivery_due"),
            models.Index(fields=["status", "due_at"], name="outbox_delivery_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.handler} for {self.event_id} ({self.status})"


class ScheduledRun(models.Model):
    """One row per (job, time slot): whichever worker inserts it runs the job for that slot."""

    job = models.CharField(max_length=100)
    slot = models.BigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="outbox_scheduled_run_once")]


class WorkerHeartbeat(models.Model):
    """A live worker says so every few seconds; a silent one's claimed tasks are reclaimed."""

    worker_id = models.CharField(max_length=100, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()
