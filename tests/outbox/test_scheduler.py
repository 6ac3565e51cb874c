"""The scheduler runs each job once per slot, whichever worker asks; abandoned tasks are reclaimed."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from emporos.core import clock
from emporos.outbox.models import ScheduledRun, WorkerHeartbeat
from emporos.outbox.schedule import ScheduledJob, scheduled_jobs
from emporos.outbox.worker import reap_abandoned_tasks, run_schedule

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 24, 10, 0, 5, tzinfo=dt.UTC)


def test_two_workers_asking_in_the_same_minute_run_the_job_once() -> None:
    runs: list[str] = []
    jobs = [ScheduledJob("tests.tick", 60, lambda: runs.append("tick"))]

    with clock.frozen_at(T0):
        assert run_schedule(jobs) == ["tests.tick"]
        assert run_schedule(jobs) == []
    with clock.frozen_at(T0 + dt.timedelta(seconds=60)):
        assert run_schedule(jobs) == ["tests.tick"]

    assert runs == ["tick", "tick"]
    assert ScheduledRun.objects.count() == 2


def test_each_domain_declares_its_jobs_and_the_worker_runs_them() -> None:
    with clock.frozen_at(T0):
        started = run_schedule(scheduled_jobs())

    assert started == [
        "fulfillment.collect_handovers",
        "fulfillment.detect_delays",
        "fulfillment.form_due_wave",
        "fulfillment.poll_carriers",
        "fulfillment.release_preorders",
        "orders.flag_overdue",
        "outbox.reap_abandoned_tasks",
    ]
    tasks = {task.task_path: task.status for task in DBTaskResult.objects.all()}
    assert tasks == {
        "emporos.fulfillment.tasks.collect_handovers": "READY",
        "emporos.fulfillment.tasks.detect_delays": "READY",
        "emporos.fulfillment.tasks.form_due_wave": "READY",
        "emporos.fulfillment.tasks.poll_carriers": "READY",
        "emporos.fulfillment.tasks.release_preorders": "READY",
        "emporos.orders.tasks.flag_overdue_orders": "READY",
    }


def test_tasks_left_running_by_a_silent_worker_go_back_to_the_queue() -> None:
    with clock.frozen_at(T0):
        run_schedule([job for job in scheduled_jobs() if job.name == "orders.flag_overdue"])
    task = DBTaskResult.objects.get()
    task.claim("dead-worker")
    WorkerHeartbeat.objects.create(worker_id="dead-worker", hostname="h", pid=1, started_at=T0, seen_at=T0)

    with clock.frozen_at(T0 + dt.timedelta(seconds=30)):
        assert reap_abandoned_tasks() == 0
    with clock.frozen_at(T0 + dt.timedelta(seconds=61)):
        assert reap_abandoned_tasks() == 1

    task.refresh_from_db()
    assert task.status == "READY"
