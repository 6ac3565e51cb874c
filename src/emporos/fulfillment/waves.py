"""Waves: at each cut-off the fulfillment orders ready by then are picked and packed together.

Express orders go first, so when a wave has a capacity (`EMPOROS_WAVE_CAPACITY`), an express
order that can make this wave is never left for the next one.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.fulfillment import planning
from emporos.fulfillment.events import WaveFormed
from emporos.fulfillment.models import FulfillmentOrder, Mode, Status, Wave
from emporos.orders.models import Order
from emporos.orders.states import OrderStatus
from emporos.outbox.services import emit
from emporos.shipping import selectors as shipping

# What a wave picks: the shop's own shelves, and made-to-order goods once made.
WAVE_MODES = (Mode.OWN, Mode.MADE_TO_ORDER)


def due_cutoff(now: dt.datetime | None = None) -> dt.datetime | None:
    """The latest cut-off of today that has passed and has no wave yet (None on a day off)."""
    now = now or clock.now()
    dispatch = shipping.dispatch()
    local = now.astimezone(dispatch.time_zone)
    if not dispatch.working_days.is_working_day(local.date()):
        return None
    passed = [
        dt.datetime.combine(local.date(), cutoff, tzinfo=dispatch.time_zone)
        for cutoff in dispatch.cutoffs
        if cutoff <= local.time()
    ]
    if not passed:
        return None
    latest = max(passed)
    return None if Wave.objects.filter(cutoff_at=latest).exists() else latest


def form_due_wave(*, actor: Actor | None = None) -> Wave | None:
    """Form the wave of the cut-off just passed, if it was not formed yet (the scheduler's job)."""
    cutoff = due_cutoff()
    return form_wave(cutoff_at=cutoff, actor=actor or Actor.system()) if cutoff is not None else None


def form_wave(*, cutoff_at: dt.datetime, actor: Actor, capacity: int | None = None) -> Wave | None:
    """Gather the fulfillment orders ready by `cutoff_at` into a wave; None when nothing is ready.
    Forming the same cut-off's wave twice gives the first one."""
    capacity = settings.EMPOROS["WAVE_CAPACITY"] if capacity is None else capacity
    _plan_unplanned(cutoff_at, actor)
    try:
        with transaction.atomic():
            ready = list(
                FulfillmentOrder.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    status=Status.OPEN,
                    wave__isnull=True,
                    mode__in=WAVE_MODES,
                    order__placed_at__lte=cutoff_at,
                    order__status__in=[OrderStatus.CONFIRMED, OrderStatus.PROCESSING],
                )
                .select_related("order")
                .order_by("-is_express", "order__placed_at", "order_id", "id")
            )
            if capacity:
                chosen: list[int] = []
                for fo in ready:
                    if fo.order_id not in chosen and len(chosen) >= capacity:
                        continue
                    if fo.order_id not in chosen:
                        chosen.append(fo.order_id)
                ready = [fo for fo in ready if fo.order_id in chosen]
            if not ready:
                return None
            now = clock.now()
            local = cutoff_at.astimezone(shipping.dispatch().time_zone)
            wave = Wave.objects.create(
                reference=f"W-{local:%Y-%m-%d-%H%M}",
                cutoff_at=cutoff_at,
                created_at=now,
                created_by=str(actor)[:150],
            )
            FulfillmentOrder.objects.filter(pk__in=[fo.pk for fo in ready]).update(
                wave=wave, status=Status.IN_PROGRESS, updated_at=now
            )
            emit(
                WaveFormed(
                    wave_id=wave.pk,
                    orders=len({fo.order_id for fo in ready}),
                    express=len({fo.order_id for fo in ready if fo.is_express}),
                )
            )
            return wave
    except IntegrityError:  # formed meanwhile by another scheduler
        return Wave.objects.filter(cutoff_at=cutoff_at).first()


def _plan_unplanned(cutoff_at: dt.datetime, actor: Actor) -> None:
    """Confirmed orders the worker has not planned yet (confirmed a moment before the cut-off)."""
    has_plan = FulfillmentOrder.objects.filter(order=OuterRef("pk"))
    unplanned = Order.objects.filter(
        status__in=[OrderStatus.CONFIRMED, OrderStatus.PROCESSING], placed_at__lte=cutoff_at
    ).exclude(Exists(has_plan))
    for order in unplanned.order_by("placed_at", "id")[:5000]:
        planning.plan(order=order, actor=actor)
