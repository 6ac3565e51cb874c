"""`emporos worker`: the outbox relay, the Django tasks worker and a small scheduler in one process.

Run as many as you like, on as many machines as you like (PostgreSQL): relay claims use SKIP
LOCKED, scheduled runs are unique per (job, slot), and tasks are claimed by django-tasks-db.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid

from django.db import IntegrityError, close_old_connections, transaction
from django_tasks_db.management.commands.db_worker import Worker as TaskWorker
from django_tasks_db.models import DBTaskResult

from emporos.core import clock
from emporos.outbox.models import ScheduledRun, WorkerHeartbeat
from emporos.outbox.relay import deliver_due
from emporos.outbox.schedule import ScheduledJob, scheduled_jobs

logger = logging.getLogger("emporos.worker")

HEARTBEAT_SECONDS = 5
# A worker silent for this long is taken as dead; its running tasks go back to the queue.
ABANDONED_AFTER = dt.timedelta(seconds=60)


def reap_abandoned_tasks() -> int:
    """Put tasks claimed by workers that stopped beating back in the queue; return how many."""
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=clock.now() - ABANDONED_AFTER).values_list("worker_id", flat=True)
    )
    reaped = 0
    with transaction.atomic():
        for result in DBTaskResult.objects.running().select_for_update(skip_locked=True):
            last_worker = result.worker_ids[-1] if result.worker_ids else None
            if last_worker in alive:
                continue
            result.status = "READY"
            result.save(update_fields=["status"])
            reaped += 1
    if reaped:
        logger.warning("Reclaimed %s task(s) left running by stopped workers.", reaped)
    return reaped


def run_schedule(jobs: list[ScheduledJob]) -> list[str]:
    """Enqueue each job whose current slot no worker has taken yet; return the names enqueued."""
    now = clock.now()
    started = []
    for job in jobs:
        slot = int(now.timestamp()) // job.every_seconds
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, slot=slot, created_at=now)
                job.run()
        except IntegrityError:
            continue
        started.append(job.name)
    return started


class Worker:
    def __init__(
        self, *, jobs: list[ScheduledJob] | None = None, idle_seconds: float = 0.5, with_tasks: bool = True
    ) -> None:
        self.worker_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.jobs = scheduled_jobs() if jobs is None else jobs
        self.idle_seconds = idle_seconds
        self.with_tasks = with_tasks
        self.stopping = threading.Event()
        self._last_beat = 0.0

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        logger.info("Worker %s started.", self.worker_id)
        task_thread = None
        task_worker = None
        if self.with_tasks:
            task_worker = TaskWorker(
                queue_names=["*"],
                interval=1.0,
                batch=False,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=self.worker_id,
                excluded_queue_names=[],
            )
            task_thread = threading.Thread(target=task_worker.run, name="tasks", daemon=True)
            task_thread.start()
        try:
            while not self.stopping.is_set():
                close_old_connections()
                self._beat()
                ran = deliver_due(worker_id=self.worker_id, limit=200)
                if ran == 0:
                    self.stopping.wait(self.idle_seconds)
        finally:
            if task_worker is not None:
                task_worker.running = False
            if task_thread is not None:
                task_thread.join(timeout=10)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
            logger.info("Worker %s stopped.", self.worker_id)

    def _beat(self) -> None:
        if time.monotonic() - self._last_beat < HEARTBEAT_SECONDS:
            return
        self._last_beat = time.monotonic()
        now = clock.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": now, "hostname": socket.gethostname(), "pid": os.getpid()},
            create_defaults={"seen_at": now, "hostname": socket.gethostname(), "pid": os.getpid(), "started_at": now},
        )
        run_schedule(self.jobs)
