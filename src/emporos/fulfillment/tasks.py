"""The fulfillment domain's scheduled jobs: a wave at each cut-off, pre-orders on their date, the
answers of fulfillment services (3PL) and of carriers that do not push every five minutes, delay
cases every fifteen."""

from __future__ import annotations

from django_tasks import task

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.fulfillment import delays, polling, waves
from emporos.fulfillment.third_party import services as third_party
from emporos.orders.services import stock
from emporos.outbox.schedule import scheduled
from emporos.shop import selectors as shop


@task()
def form_due_wave() -> str:
    wave = waves.form_due_wave()
    return wave.reference if wave is not None else ""


@task()
def release_preorders() -> int:
    today = clock.now().astimezone(shop.time_zone()).date()
    return len(stock.release_preorders(today=today, actor=Actor.system()))


@task()
def collect_handovers() -> int:
    """Apply what the 3PLs answered; returns the answers applied."""
    return third_party.collect_all().applied


scheduled(name="fulfillment.form_due_wave", every_seconds=60)(form_due_wave.enqueue)
scheduled(name="fulfillment.release_preorders", every_seconds=900)(release_preorders.enqueue)
scheduled(name="fulfillment.collect_handovers", every_seconds=300)(collect_handovers.enqueue)


@task()
def poll_carriers() -> int:
    """Ask carriers that do not push about parcels on their way; returns the new events stored."""
    return polling.poll_carriers(actor=Actor.system("Carrier tracking")).accepted


@task()
def detect_delays() -> int:
    """Open delay cases for parcels past their promised day or silent too long; returns how many."""
    return len(delays.detect_delays(actor=Actor.system("Delay watch")))


scheduled(name="fulfillment.poll_carriers", every_seconds=300)(poll_carriers.enqueue)
scheduled(name="fulfillment.detect_delays", every_seconds=900)(detect_delays.enqueue)
