"""The one timeline: what happened, to whom, who did it, when. Words are made when it is read."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from emporos.core.actor import ActorKind
from emporos.outbox.models import Event


class SubjectKind(models.TextChoices):
    """What an entry can be about. An order's entries are about its customer too."""

    CUSTOMER = "customer", "customer"
    ORDER = "order", "order"
    SHIPMENT = "shipment", "shipment"
    RETURN = "return", "return"
    TICKET = "ticket", "ticket"
    REVIEW = "review", "review"
    STAFF = "staff", "staff member"


class Entry(models.Model):
    """One thing that happened. `kind` is the topic of the event recorded with it; `facts` are ids
    and small values (never a sentence), turned into words in the reader's language when read."""

    kind = models.CharField(max_length=100)
    facts = models.JSONField(default=dict, blank=True)
    actor_kind = models.CharField(max_length=20, choices=[(kind.value, kind.value) for kind in ActorKind])
    actor_id = models.CharField(max_length=64, blank=True, default="")
    actor_name = models.CharField(max_length=150)
    occurred_at = models.DateTimeField()
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name_plural = "entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(actor_kind__in=[kind.value for kind in ActorKind]), name="timeline_actor_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.occurred_at:%Y-%m-%d %H:%M}"


class Subject(models.Model):
    """An entry is about this subject: (order, 10001), (customer, 42)..."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(max_length=20, choices=SubjectKind.choices)
    ref_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "ref_id", "entry"], name="timeline_subject_once"),
            models.CheckConstraint(condition=Q(kind__in=SubjectKind.values), name="timeline_subject_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref_id}"
