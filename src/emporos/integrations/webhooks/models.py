"""Webhook endpoints an owner registered, and the log of every request sent to them."""

from __future__ import annotations

import uuid

from django.db import models


class WebhookEndpoint(models.Model):
    """Where Emporos POSTs the topics an integrator subscribed to.

    The secret is stored as it is, because signing needs it (an HMAC key cannot be hashed like a
    password); only owners see it, on the desk, when they ask for it. Rotating it makes the old
    one useless at once.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    url = models.CharField(max_length=500)
    topics = models.JSONField(default=list, help_text="Offered topic names (integrations.webhooks.topics).")
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    secret_set_at = models.DateTimeField()
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.url


class WebhookAttempt(models.Model):
    """One request to an endpoint: what was sent (event, topic) and what came back, or why nothing did."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="attempts")
    event_uuid = models.UUIDField(help_text="The event's id, sent as Emporos-Webhook-Id.")
    topic = models.CharField(max_length=100)
    attempt = models.PositiveIntegerField(help_text="1 for the first request of this event to this endpoint.")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True, help_text="None: no answer came.")
    response_excerpt = models.TextField(blank=True, default="")
    error = models.TextField(blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)
    attempted_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["endpoint", "-attempted_at"], name="webhook_attempt_recent"),
            models.Index(fields=["endpoint", "event_uuid"], name="webhook_attempt_event"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.event_uuid} #{self.attempt} -> {self.status_code}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
