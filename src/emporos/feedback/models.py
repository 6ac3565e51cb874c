"""The satisfaction check after delivery: one per order, asked some hours after the last parcel
arrived, answered on a signed page with a score from 1 (very bad) to 5 (very good)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

# The scale: 5 very good, 4 good, 3 okay, 2 bad, 1 very bad. A bad answer (BAD_AT_MOST or
# less) gets the shop's attention the same day.
LOWEST_SCORE = 1
HIGHEST_SCORE = 5
BAD_AT_MOST = 2


class AnswerChannel(models.TextChoices):
    PORTAL = "portal", pgettext_lazy("answer channel", "The customer's page")
    STAFF = "staff", pgettext_lazy("answer channel", "Staff, for the customer")


class SatisfactionCheck(models.Model):
    """Whether the customer of a delivered order is satisfied: when it was (or will be) asked, and
    the answer. The answer may be changed within `services.CHANGE_ANSWER_WITHIN` of the first one."""

    public_token = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Unguessable; signed into the customer's link."
    )
    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="satisfaction_check")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    delivered_at = models.DateTimeField(help_text="When the order's last parcel was delivered.")
    due_at = models.DateTimeField(help_text="When the question is to be sent: delivered + the shop's delay.")
    asked_at = models.DateTimeField(null=True, blank=True, help_text="When the message was queued.")
    first_answered_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True, help_text="When the answer shown was given.")
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 (very bad) to 5 (very good).")
    comment = models.TextField(blank=True, default="")
    answer_channel = models.CharField(max_length=10, choices=AnswerChannel.choices, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=LOWEST_SCORE, score__lte=HIGHEST_SCORE),
                name="satisfaction_score_in_range",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True, answered_at__isnull=True, first_answered_at__isnull=True)
                | Q(score__isnull=False, answered_at__isnull=False, first_answered_at__isnull=False),
                name="satisfaction_answer_complete",
            ),
        ]
        indexes = [models.Index(fields=["asked_at"], name="satisfaction_asked")]

    def __str__(self) -> str:
        return f"check {self.pk} order {self.order_id} score {self.score}"

    @property
    def is_answered(self) -> bool:
        return self.score is not None

    @property
    def is_bad(self) -> bool:
        return self.score is not None and self.score <= BAD_AT_MOST
