"""Memberships: activated once per order line, the moment its order may be fulfilled."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.customers.events import MembershipActivated
from emporos.customers.models import Membership
from emporos.timeline import services as timeline
from emporos.timeline.models import SubjectKind
from emporos.timeline.services import About


def activate(
    *, customer_id: int, sku: str, name: str, source: str, actor: Actor, days: int | None = None
) -> Membership:
    """Activate a membership for `source` (an order line); activating the same source again is no change."""
    with transaction.atomic():
        existing = Membership.objects.filter(source=source).first()
        if existing is not None:
            return existing
        now = clock.now()
        membership = Membership.objects.create(
            customer_id=customer_id,
            sku=sku,
            name=name,
            source=source,
            starts_at=now,
            ends_at=now + dt.timedelta(days=days) if days else None,
        )
        timeline.record(
            event=MembershipActivated(membership_id=membership.pk, customer_id=customer_id, sku=sku),
            about=[About(SubjectKind.CUSTOMER, customer_id)],
            actor=actor,
            facts={"name": name, "ends_on": membership.ends_at.date().isoformat() if membership.ends_at else ""},
        )
    return membership
