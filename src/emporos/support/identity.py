"""One customer across addresses and phones: merging two customer records that are one person.
Everything that points at the merged customer (orders, tickets, messages, gift cards, coupons,
consents...) moves to the kept one; the merged one's address and phone become the kept one's
contact points, so their next e-mail finds the right customer."""

from __future__ import annotations

from django.apps import apps
from django.db import IntegrityError, models, transaction

from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.customers import identity
from emporos.customers.models import ContactKind, ContactPoint, Customer
from emporos.support import events
from emporos.timeline import services as timeline
from emporos.timeline.models import Subject, SubjectKind
from emporos.timeline.services import About


def merge_customers(*, keep: Customer, merge: Customer, actor: Actor) -> int:
    """Move everything of `merge` to `keep` and delete `merge`; returns how many rows moved.
    A row that would repeat one the kept customer already has (a consent per channel) is dropped."""
    if keep.pk == merge.pk:
        errors = ErrorCollector()
        errors.add("merge", "same_customer", "Pick two different customers.")
        errors.raise_if_any()
    moved = 0
    with transaction.atomic():
        keep = Customer.objects.select_for_update().get(pk=keep.pk)
        merge = Customer.objects.select_for_update().get(pk=merge.pk)
        for model, field in _pointers():
            if model is ContactPoint:
                continue
            for row in model._default_manager.filter(**{field.name: merge}):
                try:
                    with transaction.atomic():
                        model._default_manager.filter(pk=row.pk).update(**{field.name: keep})
                except IntegrityError:
                    model._default_manager.filter(pk=row.pk).delete()
                    continue
                moved += 1
        moved += (
            ContactPoint.objects.filter(customer=merge)
            .exclude(value__in=ContactPoint.objects.filter(customer=keep).values("value"))
            .update(customer=keep)
        )
        ContactPoint.objects.filter(customer=merge).delete()
        Subject.objects.filter(kind=SubjectKind.CUSTOMER, ref_id=merge.pk).exclude(
            entry__in=Subject.objects.filter(kind=SubjectKind.CUSTOMER, ref_id=keep.pk).values("entry")
        ).update(ref_id=keep.pk)
        merged_email, merged_phone, merged_id = merge.email, merge.phone, merge.pk
        merge.delete()
        identity.remember_contact(customer=keep, kind=ContactKind.EMAIL, value=merged_email)
        identity.remember_contact(customer=keep, kind=ContactKind.PHONE, value=merged_phone)
        timeline.record(
            event=events.CustomersMerged(kept_id=keep.pk, merged_id=merged_id, moved=moved),
            about=[About(SubjectKind.CUSTOMER, keep.pk)],
            actor=actor,
        )
    return moved


def _pointers() -> list[tuple[type[models.Model], models.ForeignKey[Customer, Customer]]]:
    """Every foreign key to Customer, in every installed app."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is Customer:
                found.append((model, field))
    return found
