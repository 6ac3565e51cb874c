"""Background jobs of the orders domain: thin, they call a service."""

from __future__ import annotations

from django_tasks import task

from emporos.orders import services


@task()
def flag_overdue_orders() -> int:
    return services.flag_overdue_orders()
