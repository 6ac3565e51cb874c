"""Background jobs of the orders domain: thin, they call a service. Declared here, run by the worker."""

from __future__ import annotations

from django_tasks import task

from emporos.orders.services import lifecycle
from emporos.outbox.schedule import scheduled


@task()
def flag_overdue_orders() -> int:
    return lifecycle.flag_overdue_orders()


scheduled(name="orders.flag_overdue", every_seconds=60)(flag_overdue_orders.enqueue)
