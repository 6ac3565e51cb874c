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


# --- reviews on the shop's platforms (C10) -----------------------------------------------------------

REVIEW_TEXT_MAX_LENGTH = 10_000
REPLY_MAX_LENGTH = 10_000  # the column; each platform's own limit is checked before a reply is kept


class ReplyStatus(models.TextChoices):
    """The shop's reply to a review: none yet (""), on its way to the platform, shown there, or
    refused by it (the error says why; a retryable one is tried again by the worker)."""

    NONE = "", pgettext_lazy("reply status", "Not answered")
    PENDING = "pending", pgettext_lazy("reply status", "Being posted")
    SENT = "sent", pgettext_lazy("reply status", "Posted")
    FAILED = "failed", pgettext_lazy("reply status", "Not posted")


class Review(models.Model):
    """A customer's review of the shop on a platform (Google, ...), read by the poll and answered
    from the desk. `customer` and `order` are a hint only: set when the author's name is exactly the
    name of one customer with a delivered order."""

    platform = models.CharField(max_length=20, help_text="The platform's code: google, demo, ...")
    external_id = models.CharField(max_length=500, help_text="The platform's name of the review.")
    stars = models.PositiveSmallIntegerField(help_text="1 to 5.")
    author = models.CharField(max_length=200, blank=True, default="", help_text="Empty: anonymous.")
    text = models.TextField(blank=True, default="")
    language = models.CharField(max_length=8, blank=True, default="", help_text="A guess from the text.")
    written_at = models.DateTimeField()
    updated_at = models.DateTimeField(help_text="When the author last changed it, as the platform says.")
    imported_at = models.DateTimeField()
    reply_text = models.TextField(blank=True, default="")
    reply_status = models.CharField(max_length=10, choices=ReplyStatus.choices, blank=True, default="")
    reply_error = models.TextField(blank=True, default="", help_text="The platform's words when it refused.")
    reply_version = models.PositiveIntegerField(default=0, help_text="Counts replies written at the desk.")
    replied_at = models.DateTimeField(null=True, blank=True, help_text="When the platform showed the reply.")
    replied_by = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty: on the platform.",
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "external_id"], name="review_once_per_platform"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="review_stars_in_range"),
            models.CheckConstraint(condition=Q(reply_status__in=ReplyStatus.values), name="review_reply_status_valid"),
            models.CheckConstraint(
                condition=Q(reply_status="", reply_text="") | (~Q(reply_status="") & ~Q(reply_text="")),
                name="review_reply_has_text",
            ),
        ]
        indexes = [models.Index(fields=["-written_at", "-id"], name="review_newest")]

    def __str__(self) -> str:
        return f"{self.platform} review {self.pk}: {self.stars} stars"

    @property
    def is_low(self) -> bool:
        return self.stars <= 2

    @property
    def is_answered(self) -> bool:
        return self.reply_status == ReplyStatus.SENT


class ReviewSourceState(models.Model):
    """How the last reading of a platform went: when it last succeeded (the next one asks for what
    changed since then), and the platform's words when it failed."""

    platform = models.CharField(max_length=20, unique=True)
    read_since = models.DateTimeField(null=True, blank=True, help_text="Start of the last read that succeeded.")
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.platform} read at {self.last_success_at}"
