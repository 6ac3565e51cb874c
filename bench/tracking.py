"""Tracking and customer messages: carrier events ingested while a worker produces the messages,
and the e-mail pipeline to a local SMTP server, each against a baseline measured in the same run.

Run (about 4 minutes on 2 cores, most of it placing the orders and sending their first messages):

    .venv/bin/python bench/tracking.py
    .venv/bin/python bench/tracking.py --parcels 200 --messages 300      # a quick look
    .venv/bin/python bench/tracking.py --profile 600                     # plus cProfiles of both sides

It recreates the database, migrates it, sets up through the services the fulfillment benchmark's
shop (300 SKUs, zones, methods), places, confirms and ships three sets of `--parcels` orders (one
parcel each, carrier demo; Greek, Polish, Hebrew and English customers), sets the owner's message
policy (no quiet hours, so the figures do not depend on the hour) and starts `emporos worker
--no-tasks`, which sends the orders' first messages (received, shipped) before anything is timed.
E-mail goes to an aiosmtpd sink on 127.0.0.1 in its own process (it only counts), SMS to a file.

1. Ingestion, with the worker producing the messages (out for delivery: e-mail and SMS;
   delivered: e-mail): each parcel gets 6 carrier events (picked up, in transit three times, out for
   delivery, delivered) and `--duplicates` of them are replayed, interleaved over the parcels as a
   day's webhooks arrive. Emporos: `record_tracking`, one call per event as a webhook delivers it,
   and (information) calls of `--batch` events. Baseline: psycopg, one transaction per event writing
   the same rows (the event ON CONFLICT DO NOTHING, the parcel's update, on a status move the outbox
   event with its deliveries and the timeline entry with its subjects, the delivered units), into a
   set of its own, with the same worker turning its events into the same messages. After each run
   the worker drains the outbox; the drain time and the messages by status are printed.
2. E-mail: `--messages` queued e-mails (`queue_messages`, the "shipped" words in the customers'
   languages) sent by the outbox handler `notifications.send_message` through `deliver_due` in
   this process, timed until the sink counted them all. Baseline: the very same rendered messages
   (`email.build(message).message()` bytes) sent with smtplib, one SMTP connection per message as
   Django's backend does; one connection for all is printed as information.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import math
import multiprocessing
import os
import random
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from _common import (
    ROOT,
    CpuTracker,
    app_env,
    bin_path,
    close_django_connections,
    free_port,
    fresh_database,
    heading,
    setup_django,
    table,
    timed,
    verdict,
)
from psycopg.types.json import Jsonb

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_tracking"
INGEST_TARGET = 0.40  # Emporos's events/s at least this share of the raw-SQL events/s
EMAIL_TARGET = 0.50  # Emporos's messages/s at least this share of smtplib's, a connection each
CARRIER = "demo"
ACTOR_NAME = "carrier webhook"
# A parcel's day: (status, hours before the run, the carrier's words, where; "" = the customer's city).
STEPS = (
    ("picked_up", 7.0, "Παραλαβή από τον αποστολέα", "Αθήνα"),
    ("in_transit", 6.0, "Άφιξη στο κέντρο διαλογής", "Ασπρόπυργος"),
    ("in_transit", 4.5, "Αναχώρηση από το κέντρο διαλογής", "Ασπρόπυργος"),
    ("in_transit", 3.0, "Άφιξη στο κατάστημα προορισμού", ""),
    ("out_for_delivery", 2.0, "Σε διανομή", ""),
    ("delivered", 1.0, "Παραδόθηκε", ""),
)
MESSAGES_PER_PARCEL = 3  # out for delivery by e-mail and SMS, delivered by e-mail


# --- the SMTP sink and the worker ------------------------------------------------------------------


def _sink_main(port: int, counter: Any, size: Any, ready: Any, stop: Any) -> None:
    """An aiosmtpd server on 127.0.0.1:port that accepts every message and only counts it."""
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
            with counter.get_lock():
                counter.value += 1
            with size.get_lock():
                size.value += len(envelope.content or b"")
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        stop.wait(24 * 3600)
    finally:
        controller.stop()


class Sink:
    """The sink in its own process (spawned, so it shares neither the GIL nor Django's state)."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.port = free_port()
        self.counter = context.Value("q", 0)
        self.size = context.Value("q", 0)
        self._ready, self._stop = context.Event(), context.Event()
        self.process = context.Process(
            target=_sink_main, args=(self.port, self.counter, self.size, self._ready, self._stop), daemon=True
        )

    def start(self) -> Sink:
        self.process.start()
        if not self._ready.wait(30):
            self.stop()
            raise RuntimeError("the SMTP sink did not start within 30 s")
        return self

    @property
    def count(self) -> int:
        return int(self.counter.value)

    def stop(self) -> None:
        self._stop.set()
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()


@dataclass
class Worker:
    """`emporos worker --no-tasks` as a child in its own process group, stopped whatever happens."""

    env: dict[str, str]
    sink: Sink
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(default_factory=lambda: Path(tempfile.mkstemp(prefix="emporos-worker-", suffix=".log")[1]))

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [bin_path("emporos"), "worker", "--no-tasks"],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def check(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"the worker exited with {self.process.returncode} (log {self.log_path})")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class Tracker(CpuTracker):
    """CpuTracker with the SMTP sink's process counted in the "server" group (with the worker)."""

    def __init__(self, *, server_group: int | None, sink: Sink) -> None:
        super().__init__(server_group=server_group)
        self.sink_pid = sink.process.pid

    def _group(self, pid: int, command: str, group: int) -> str:
        return "server" if pid == self.sink_pid else super()._group(pid, command, group)


def pending_deliveries() -> int:
    from emporos.core import clock
    from emporos.outbox.models import Delivery

    return Delivery.objects.filter(status="pending", due_at__lte=clock.now()).count()


def wait_drained(worker: Worker, *, timeout: float) -> float:
    """Seconds until the worker has no due delivery left (raises after `timeout`)."""
    started = time.perf_counter()
    for _ in range(int(timeout / 0.1) + 1):
        worker.check()
        if pending_deliveries() == 0:
            return time.perf_counter() - started
        time.sleep(0.1)
    raise RuntimeError(f"the worker did not drain the outbox within {timeout:.0f} s (log {worker.log_path})")


# --- the shop and its parcels ----------------------------------------------------------------------


@dataclass
class ParcelSet:
    name: str
    order_ids: list[int]
    shipment_ids: list[int] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)  # tracking numbers, in shipment order
    cities: list[str] = field(default_factory=list)


def place_sets(rng: random.Random, *, names: Sequence[str], parcels: int, extra: int) -> list[ParcelSet]:
    """Catalog and zones (the fulfillment benchmark's), then orders placed, confirmed and shipped."""
    import fulfillment

    from emporos.core.actor import Actor
    from emporos.fulfillment.models import FulfillmentOrder, Shipment
    from emporos.fulfillment.shipments import ShipmentDraft, create_shipment

    skus = fulfillment.make_skus()
    with timed(f"catalog ({len(skus)} SKUs), zones, methods, packaging"):
        fulfillment.load_shop(skus, rng)
    people = fulfillment.make_people(rng, max(200, (parcels * len(names) + extra) * 3 // 4))
    sets = []
    packer = Actor.staff("packer")
    for name in names:
        count = extra if name == "profile" else parcels
        if count <= 0:
            continue
        drafts = fulfillment.make_orders(rng, skus, people, count, tag=name)
        with timed(f"place, confirm, plan and ship {count} orders for {name} (not measured)"):
            order_ids = fulfillment.place_and_plan(drafts)
            fos = (
                FulfillmentOrder.objects.filter(order_id__in=order_ids)
                .select_related("order")
                .prefetch_related("lines__order_line__variant")
                .order_by("id")
            )
            for fo in fos:
                lines = [
                    (fl.order_line.sku, fl.quantity - fl.quantity_shipped, fl.order_line.variant.weight_grams)
                    for fl in fo.lines.all()
                    if fl.quantity > fl.quantity_shipped
                ]
                grams = sum(quantity * weight for _sku, quantity, weight in lines)
                draft = ShipmentDraft(
                    lines=[(sku, quantity) for sku, quantity, _ in lines],
                    carrier=CARRIER,
                    packaging=fulfillment.box_for(grams),
                )
                create_shipment(order=fo.order, draft=draft, actor=packer, idempotency_key=f"bench-{fo.public_id}")
        parcel_set = ParcelSet(name=name, order_ids=order_ids)
        for shipment in Shipment.objects.filter(order_id__in=order_ids).select_related("order").order_by("id"):
            parcel_set.shipment_ids.append(shipment.pk)
            parcel_set.numbers.append(shipment.tracking_number)
            address = shipment.order.shipping_address if isinstance(shipment.order.shipping_address, dict) else {}
            parcel_set.cities.append(str(address.get("city", "")))
        sets.append(parcel_set)
    return sets


def make_stream(rng: random.Random, parcels: ParcelSet, *, duplicates: float, now: dt.datetime) -> list[Any]:
    """The set's events as a day's webhooks bring them: step by step over the parcels (in a random
    order each step), each replay a little after its original."""
    from emporos.fulfillment.carriers import TrackingStatus, TrackingUpdate

    keyed: list[tuple[float, TrackingUpdate]] = []
    count = len(parcels.numbers)
    for step, (status, hours, words, place) in enumerate(STEPS):
        order = list(range(count))
        rng.shuffle(order)
        for position, index in enumerate(order):
            occurred = now - dt.timedelta(hours=hours) + dt.timedelta(minutes=rng.uniform(0, 40))
            event_id = f"{parcels.name}-{parcels.numbers[index]}-{step}"
            update = TrackingUpdate(
                event_id=event_id,
                tracking_number=parcels.numbers[index],
                status=TrackingStatus(status),
                occurred_at=occurred.replace(microsecond=0),
                location=place or parcels.cities[index],
                description=words,
                raw={"event": event_id, "status": status.upper(), "time": occurred.isoformat(timespec="seconds")},
            )
            key = step * count + position
            keyed.append((key, update))
            if rng.random() < duplicates:
                keyed.append((key + rng.uniform(1, 200), update))
    keyed.sort(key=lambda pair: pair[0])
    return [update for _key, update in keyed]


# --- ingestion: Emporos and the raw-SQL baseline ----------------------------------------------------


@dataclass
class Run:
    name: str
    events: int
    seconds: float
    queries: int
    cores: dict[str, float]
    accepted: int = 0
    duplicates: int = 0
    complete: bool = True
    drain_seconds: float = float("nan")
    started_at: dt.datetime | None = None

    @property
    def per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def ingest_emporos(name: str, stream: list[Any], *, batch: int, worker: Worker, max_seconds: float) -> Run:
    from django.db import connection

    from emporos.core import clock
    from emporos.core.actor import Actor
    from emporos.fulfillment.tracking import record_tracking

    actor = Actor.system(ACTOR_NAME)
    queries = [0]

    def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    calls = [stream[index : index + batch] for index in range(0, len(stream), batch)]
    accepted = duplicates = events = 0
    began = clock.now()
    tracker = Tracker(server_group=worker.pid, sink=worker.sink).start()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        for updates in calls:
            if time.perf_counter() - started > max_seconds:
                break
            recorded = record_tracking(carrier=CARRIER, updates=updates, actor=actor)
            accepted += recorded.accepted
            duplicates += recorded.duplicates
            events += len(updates)
            if recorded.unknown:
                raise RuntimeError(f"{name}: unknown tracking numbers {recorded.unknown[:3]}")
    seconds = time.perf_counter() - started
    cores = tracker.stop()
    return Run(
        name=name,
        events=events,
        seconds=seconds,
        queries=queries[0],
        cores=cores,
        accepted=accepted,
        duplicates=duplicates,
        complete=events == len(stream),
        started_at=began,
    )


PROGRESS_RANK = {"label_created": 0, "picked_up": 1, "in_transit": 2, "out_for_delivery": 3, "available_for_pickup": 4}
FINAL = ("delivered", "returned_to_sender")

RAW_LOCK = """
SELECT s.id, s.status, s.order_id, o.customer_id, o.number, s.sequence, s.tracking_number
FROM fulfillment_shipment s JOIN orders_order o ON o.id = s.order_id
WHERE s.carrier = %s AND s.tracking_number = %s
FOR UPDATE OF s"""
RAW_EVENT = """
INSERT INTO fulfillment_trackingevent
    (shipment_id, carrier, carrier_event_id, status, raw_status, description, location, occurred_at, received_at, raw)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (carrier, carrier_event_id) DO NOTHING
RETURNING id"""
RAW_SCAN = """
UPDATE fulfillment_shipment SET last_event_at = greatest(last_event_at, %s) WHERE id = %s"""
RAW_MOVE = """
UPDATE fulfillment_shipment
SET last_event_at = greatest(last_event_at, %(at)s), status = %(status)s, status_at = %(at)s,
    delivered_at = CASE WHEN %(delivered)s THEN %(at)s ELSE delivered_at END
WHERE id = %(id)s"""
RAW_DELIVERED_LINES = """
UPDATE orders_orderline l
SET quantity_delivered = least(l.quantity_delivered + sl.quantity, l.quantity_shipped)
FROM fulfillment_shipmentline sl
WHERE sl.shipment_id = %s AND sl.order_line_id = l.id"""
RAW_DELIVERED_ORDER = """
UPDATE orders_order SET fulfillment_status = 'delivered', updated_at = %(now)s
WHERE id = %(order)s AND status = 'completed'
  AND NOT EXISTS (SELECT 1 FROM orders_orderline WHERE order_id = %(order)s AND quantity_delivered < quantity)"""
RAW_OUTBOX = """
INSERT INTO outbox_event (uuid, topic, payload, created_at) VALUES (%s, %s, %s, %s) RETURNING id"""
RAW_DELIVERIES = """
INSERT INTO outbox_delivery (event_id, handler, status, attempts, due_at, last_error, completed_at, delivered_by)
SELECT %s, handler, 'pending', 0, %s, '', NULL, '' FROM unnest(%s::text[]) AS handler"""
RAW_ENTRY = """
INSERT INTO timeline_entry (kind, facts, actor_kind, actor_id, actor_name, occurred_at, event_id)
VALUES (%s, %s, 'system', '', %s, %s, %s) RETURNING id"""
RAW_SUBJECTS = """
INSERT INTO timeline_subject (entry_id, kind, ref_id) VALUES (%s, 'order', %s), (%s, 'customer', %s), (%s, 'shipment', %s)"""
RAW_CASE = """
SELECT id FROM fulfillment_delaycase WHERE shipment_id = %s AND status = 'open' LIMIT 1"""


def raw_record(conn: psycopg.Connection[Any], update: Any, *, topic: str, handlers: list[str], prefix: str) -> int:
    """One carrier event in one transaction, the rows `record_tracking` writes; returns the statements."""
    statements = 0

    def run(sql: str, params: Any) -> Any:
        nonlocal statements
        statements += 1
        return conn.execute(sql, params)

    with conn.transaction():
        row = run(RAW_LOCK, [CARRIER, update.tracking_number]).fetchone()
        if row is None:
            raise RuntimeError(f"raw SQL: no parcel {update.tracking_number}")
        shipment_id, previous, order_id, customer_id, number, sequence, tracking_number = row
        now = dt.datetime.now(dt.UTC)
        status = str(update.status)
        raw = dict(update.raw)
        inserted = run(
            RAW_EVENT,
            [
                shipment_id,
                CARRIER,
                update.event_id,
                status,
                str(raw.get("status") or update.description),
                update.description,
                update.location,
                update.occurred_at,
                now,
                Jsonb(raw),
            ],
        ).fetchone()
        if inserted is None:
            return statements  # a replay: nothing else changes
        moves = previous not in FINAL and (
            status in FINAL or PROGRESS_RANK.get(status, -1) > PROGRESS_RANK.get(previous, -1)
        )
        if not moves:
            run(RAW_SCAN, [update.occurred_at, shipment_id])
        else:
            at = update.occurred_at
            run(RAW_MOVE, {"at": at, "status": status, "delivered": status == "delivered", "id": shipment_id})
            if status == "delivered":
                run(RAW_DELIVERED_LINES, [shipment_id])
                run(RAW_DELIVERED_ORDER, {"now": now, "order": order_id})
            payload = {
                "order_id": order_id,
                "shipment_id": shipment_id,
                "status": status,
                "previous": previous,
                "occurred_at": at.isoformat(),
            }
            (event_id,) = run(RAW_OUTBOX, [uuid.uuid4(), topic, Jsonb(payload), now]).fetchone()
            run(RAW_DELIVERIES, [event_id, now, handlers])
            facts = payload | {
                "number": f"{prefix}{number}",
                "sequence": sequence,
                "carrier": CARRIER,
                "tracking_number": tracking_number,
                "location": update.location,
                "pickup_code": "",
                "pickup_until": "",
            }
            (entry_id,) = run(RAW_ENTRY, [topic, Jsonb(facts), ACTOR_NAME, min(at, now), event_id]).fetchone()
            run(RAW_SUBJECTS, [entry_id, order_id, entry_id, customer_id, entry_id, shipment_id])
        run(RAW_CASE, [shipment_id])
    return statements


def ingest_raw(url: str, name: str, stream: list[Any], *, worker: Worker, max_seconds: float) -> Run:
    from emporos.core import clock
    from emporos.fulfillment.events import ShipmentTracked
    from emporos.orders.models import NUMBER_PREFIX
    from emporos.outbox.registry import handlers_for

    handlers = [handler.name for handler in handlers_for(ShipmentTracked.topic)]
    queries = events = 0
    began = clock.now()
    with psycopg.connect(url, autocommit=True) as conn:
        tracker = Tracker(server_group=worker.pid, sink=worker.sink).start()
        started = time.perf_counter()
        for update in stream:
            if time.perf_counter() - started > max_seconds:
                break
            queries += raw_record(conn, update, topic=ShipmentTracked.topic, handlers=handlers, prefix=NUMBER_PREFIX)
            events += 1
        seconds = time.perf_counter() - started
        cores = tracker.stop()
    return Run(
        name=name,
        events=events,
        seconds=seconds,
        queries=queries,
        cores=cores,
        complete=events == len(stream),
        started_at=began,
    )


def set_facts(url: str, parcels: ParcelSet, since: dt.datetime) -> dict[str, object]:
    """What a set's run left in the database, comparable between Emporos and the baseline."""
    ids = parcels.shipment_ids
    queries = {
        "tracking events": "SELECT count(*) FROM fulfillment_trackingevent WHERE shipment_id = ANY(%(ids)s)",
        "parcels delivered": "SELECT count(*) FROM fulfillment_shipment WHERE id = ANY(%(ids)s) AND status = 'delivered'",
        "status moves (outbox events)": """
            SELECT count(*) FROM outbox_event WHERE topic = 'fulfillment.shipment_tracked'
            AND (payload->>'shipment_id')::bigint = ANY(%(ids)s)""",
        "their deliveries not done": """
            SELECT count(*) FROM outbox_delivery d JOIN outbox_event e ON e.id = d.event_id
            WHERE e.topic = 'fulfillment.shipment_tracked' AND (e.payload->>'shipment_id')::bigint = ANY(%(ids)s)
            AND d.status <> 'done'""",
        "timeline entries of the moves": """
            SELECT count(*) FROM timeline_entry e JOIN timeline_subject s ON s.entry_id = e.id
            WHERE e.kind = 'fulfillment.shipment_tracked' AND s.kind = 'shipment' AND s.ref_id = ANY(%(ids)s)""",
        "their subjects": """
            SELECT count(*) FROM timeline_subject x WHERE x.entry_id IN (
                SELECT e.id FROM timeline_entry e JOIN timeline_subject s ON s.entry_id = e.id
                WHERE e.kind = 'fulfillment.shipment_tracked' AND s.kind = 'shipment' AND s.ref_id = ANY(%(ids)s))""",
        "orders not fully delivered": """
            SELECT count(DISTINCT l.order_id) FROM orders_orderline l
            WHERE l.order_id = ANY(%(orders)s) AND l.quantity_delivered <> l.quantity""",
        "orders not marked delivered": """
            SELECT count(*) FROM orders_order WHERE id = ANY(%(orders)s) AND fulfillment_status <> 'delivered'""",
    }
    facts: dict[str, object] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for label, sql in queries.items():
            row = conn.execute(sql, {"ids": ids, "orders": parcels.order_ids}).fetchone()
            facts[label] = int(row[0]) if row else -1
        rows = conn.execute(
            """SELECT kind, channel, status, count(*) FROM notifications_message
               WHERE order_id = ANY(%s) AND created_at >= %s GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
            [parcels.order_ids, since],
        ).fetchall()
    facts["messages"] = {f"{kind} {channel} {status}": count for kind, channel, status, count in rows}
    return facts


# --- e-mail: Emporos's pipeline and smtplib ---------------------------------------------------------


def queue_emails(parcels: list[ParcelSet], count: int, *, tag: str) -> list[int]:
    """`count` "shipped" e-mails queued through the real path, one per order round-robin."""
    from django.db import transaction

    from emporos.fulfillment.models import Shipment
    from emporos.notifications import facts, services
    from emporos.notifications.models import Channel, Kind, MessageStatus

    shipment_ids = [pk for parcel_set in parcels for pk in parcel_set.shipment_ids]
    shipments = {s.pk: s for s in Shipment.objects.filter(pk__in=shipment_ids).select_related("order__customer")}
    ids = []
    for number in range(count):
        shipment = shipments[shipment_ids[number % len(shipment_ids)]]
        with transaction.atomic():
            created = services.queue_messages(
                event_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"emporos-bench:{tag}:{number}"),
                order=shipment.order,
                kind=Kind.SHIPPED,
                channels=[Channel.EMAIL],
                values=facts.of_shipment(shipment, language=shipment.order.customer.language),
            )
        for message in created:
            if message.status != MessageStatus.PENDING:
                raise RuntimeError(f"message {message.pk} is {message.status} ({message.reason}), not pending")
            ids.append(message.pk)
    return ids


@dataclass(frozen=True)
class Mail:
    sender: str
    recipients: list[str]
    data: bytes


def rendered(message_ids: list[int]) -> list[Mail]:
    """The bytes Django's SMTP backend would send for each message, built by Emporos's own code."""
    from django.core.mail.message import sanitize_address

    from emporos.notifications import email
    from emporos.notifications.models import Message

    mails = []
    for message in Message.objects.filter(pk__in=message_ids).order_by("pk"):
        built = email.build(message)
        mails.append(
            Mail(
                sender=sanitize_address(built.from_email, "utf-8"),
                recipients=[sanitize_address(address, "utf-8") for address in built.recipients()],
                data=built.message().as_bytes(linesep="\r\n"),
            )
        )
    return mails


@dataclass
class Sending:
    name: str
    messages: int
    seconds: float
    cores: dict[str, float]
    queries: int = 0
    received: int = 0

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


def send_emporos(name: str, sink: Sink, count: int, *, max_seconds: float) -> Sending:
    """Run the due deliveries (the queued messages first: they are due first) until the sink has all."""
    from django.db import connection

    from emporos.outbox.relay import deliver_due

    queries = [0]

    def counted(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    first = sink.count
    tracker = Tracker(server_group=None, sink=sink).start()
    started = time.perf_counter()
    with connection.execute_wrapper(counted):
        for _ in range(count * 10 + 100):
            if sink.count - first >= count or time.perf_counter() - started > max_seconds:
                break
            if deliver_due(worker_id="bench", limit=5) == 0:
                time.sleep(0.005)
    seconds = time.perf_counter() - started
    cores = tracker.stop()
    received = sink.count - first
    # What is left (the MessageSent events' deliveries) is drained unmeasured.
    for _ in range(count * 10 + 100):
        if deliver_due(worker_id="bench", limit=100) == 0:
            break
    return Sending(name, count, seconds, cores, queries=queries[0], received=received)


def send_smtplib(name: str, sink: Sink, mails: list[Mail], *, reuse: bool, max_seconds: float) -> Sending:
    """The same bytes straight through smtplib; a connection each (as Django opens one per send)."""
    local_hostname = socket.getfqdn()  # Django caches it too (DNS_NAME)
    first = sink.count
    tracker = Tracker(server_group=None, sink=sink).start()
    started = time.perf_counter()
    sent = 0
    smtp: smtplib.SMTP | None = None
    try:
        for mail in mails:
            if time.perf_counter() - started > max_seconds:
                break
            if smtp is None:
                smtp = smtplib.SMTP("127.0.0.1", sink.port, local_hostname=local_hostname, timeout=20)
            smtp.sendmail(mail.sender, mail.recipients, mail.data)
            sent += 1
            if not reuse:
                smtp.quit()
                smtp = None
    finally:
        if smtp is not None:
            smtp.quit()
    seconds = time.perf_counter() - started
    cores = tracker.stop()
    return Sending(name, sent, seconds, cores, received=sink.count - first)


def message_statuses(message_ids: list[int]) -> Counter[str]:
    from emporos.notifications.models import Message

    return Counter(Message.objects.filter(pk__in=message_ids).values_list("status", flat=True))


# --- profiles --------------------------------------------------------------------------------------


def profile_ingestion(stream: list[Any], *, worker: Worker) -> str:
    import fulfillment

    from emporos.core.actor import Actor
    from emporos.fulfillment.tracking import record_tracking

    actor = Actor.system(ACTOR_NAME)
    out: list[str] = []
    with fulfillment.profiled(f"{len(stream)} carrier events, one call each", out, count=len(stream)):
        for update in stream:
            record_tracking(carrier=CARRIER, updates=[update], actor=actor)
    wait_drained(worker, timeout=300)
    return out[0].replace("per order or request", "per event")


def profile_sending(sink: Sink, count: int) -> str:
    import fulfillment

    from emporos.outbox.relay import deliver_due

    out: list[str] = []
    first = sink.count
    with fulfillment.profiled(f"{count} e-mails sent by the outbox handler", out, count=count):
        for _ in range(count * 10 + 100):
            if sink.count - first >= count:
                break
            if deliver_due(worker_id="bench-profile", limit=5) == 0:
                time.sleep(0.005)
    for _ in range(count * 10 + 100):
        if deliver_due(worker_id="bench", limit=100) == 0:
            break
    return out[0].replace("per order or request", "per message")


# --- the run ---------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="dropped and created again (default %(default)s)")
    parser.add_argument("--parcels", type=int, default=500, help="parcels per ingestion set (default %(default)s)")
    parser.add_argument(
        "--duplicates", type=float, default=0.10, help="share of events replayed once (default %(default)s)"
    )
    parser.add_argument(
        "--batch", type=int, default=10, help="events per call of the batch run; 0 skips it (default %(default)s)"
    )
    parser.add_argument("--messages", type=int, default=1000, help="e-mails sent in part 2 (default %(default)s)")
    parser.add_argument(
        "--max-seconds", type=float, default=600.0, help="cap of every measured loop (default %(default)s)"
    )
    parser.add_argument("--drain-timeout", type=float, default=600.0, help="cap of the worker's drain (s)")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="also cProfile N more events and N more e-mails"
    )
    parser.add_argument("--skip-ingest", action="store_true", help="only the e-mail pipeline")
    parser.add_argument("--skip-email", action="store_true", help="only the ingestion")
    parser.add_argument("--seed", type=int, default=20261202, help="of the generated data (default %(default)s)")
    args = parser.parse_args(argv)
    if not 10 <= args.parcels <= 5000 or not 0 <= args.duplicates <= 1 or not 0 <= args.batch <= 100:
        parser.error("--parcels from 10 to 5000, --duplicates from 0 to 1, --batch from 0 to 100.")
    if not 10 <= args.messages <= 20_000 or not 0 <= args.profile <= 20_000:
        parser.error("--messages from 10 to 20000, --profile up to 20000.")
    if args.skip_ingest and args.skip_email:
        parser.error("--skip-ingest and --skip-email together leave nothing to measure.")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    url = fresh_database(args.database_url, title="Tracking and messages benchmark")
    scratch = Path(tempfile.mkdtemp(prefix="emporos-bench-tracking-"))
    sink = Sink().start()
    worker: Worker | None = None
    try:
        mail_env = {
            "EMPOROS_EMAIL_HOST": "127.0.0.1",
            "EMPOROS_EMAIL_PORT": str(sink.port),
            "EMPOROS_EMAIL_TLS": "false",
            "EMPOROS_EMAIL_USER": "",
            "EMPOROS_EMAIL_PASSWORD": "",
            "EMPOROS_EMAIL_PROVIDER": "",
            "EMPOROS_EMAIL_FROM": "Emporos bench <shop@example.gr>",
            "EMPOROS_SMS_BACKEND": f"file:{scratch / 'sms.jsonl'}",
        }
        os.environ.update(mail_env)
        setup_django(url)
        worker = Worker(env=app_env(url) | mail_env, sink=sink)
        return run(args, url=url, sink=sink, worker=worker)
    finally:
        if worker is not None:
            worker.stop()
        sink.stop()
        close_django_connections()


def run(args: argparse.Namespace, *, url: str, sink: Sink, worker: Worker) -> int:
    from emporos.core import clock
    from emporos.core.actor import Actor
    from emporos.notifications.services import save_policy

    rng = random.Random(args.seed)
    names = ["emporos", "raw SQL"] + (["emporos batch"] if args.batch and not args.skip_ingest else [])
    if args.skip_ingest:
        names = ["emporos"]
    profile_parcels = math.ceil(args.profile / len(STEPS)) if args.profile and not args.skip_ingest else 0
    orders = args.parcels * len(names) + profile_parcels
    extra_mails = math.ceil((args.messages + args.profile) / orders) if not args.skip_email else 0
    # The owner's policy: no quiet hours (the figures must not depend on the hour), room for part 2.
    save_policy(messages_per_order_day=min(100, 6 + extra_mails), quiet_hours="", actor=Actor.staff("owner"))
    # The worker sends the orders' first messages (received, shipped) while the next ones are placed.
    worker.start()
    sets = place_sets(rng, names=[*names, "profile"], parcels=args.parcels, extra=profile_parcels)
    by_name = {parcel_set.name: parcel_set for parcel_set in sets}
    orders = sum(len(parcel_set.order_ids) for parcel_set in sets)
    with timed(f"the worker finishes the first messages of {orders} orders (received, shipped; not measured)"):
        setup_drain = wait_drained(worker, timeout=args.drain_timeout)
    sent_first = sink.count

    verdicts: list[tuple[str, bool]] = []
    report: list[str] = []
    profiles: list[str] = []
    if not args.skip_ingest:
        now = clock.now()
        streams = {name: make_stream(rng, by_name[name], duplicates=args.duplicates, now=now) for name in by_name}
        runs = []
        for name in names:
            stream = streams[name]
            label = f"{name}: {len(stream)} events over {len(by_name[name].numbers)} parcels"
            print(f"{label} ...", end="", flush=True)
            if name == "raw SQL":
                result = ingest_raw(url, name, stream, worker=worker, max_seconds=args.max_seconds)
            else:
                batch = args.batch if name == "emporos batch" else 1
                result = ingest_emporos(name, stream, batch=batch, worker=worker, max_seconds=args.max_seconds)
            result.drain_seconds = wait_drained(worker, timeout=args.drain_timeout)
            print(
                f" {result.per_second:.0f} events/s, {result.queries / max(result.events, 1):.1f} queries/event, "
                f"drained {result.drain_seconds:.1f} s later",
                flush=True,
            )
            runs.append(result)
        if profile_parcels:
            with timed(f"cProfile of {len(streams['profile'])} events (the worker running)"):
                profiles.append(profile_ingestion(streams["profile"], worker=worker))
        text, ingest_verdicts = report_ingestion(url, runs, by_name, streams, batch=args.batch)
        report += text
        verdicts += ingest_verdicts
    worker.stop()
    if pending_deliveries():
        raise RuntimeError("the outbox is not empty after the worker stopped")

    if not args.skip_email:
        text, email_verdicts, profile = run_email(args, sets=sets, sink=sink)
        report += text
        verdicts += email_verdicts
        profiles += profile

    print(
        f"\nSetup: the worker sent the first {sent_first} e-mails of {orders} orders (with their SMS) while they "
        f"were placed and shipped, and {setup_drain:.1f} s after."
    )
    for line in report:
        print(line)
    for text in profiles:
        heading("Profile")
        print(text)
    heading("Targets")
    for text, ok in verdicts:
        print(f"{verdict(ok)}  {text}")
    return 0 if verdicts and all(ok for _, ok in verdicts) else 1


def report_ingestion(
    url: str, runs: list[Run], sets: dict[str, ParcelSet], streams: dict[str, list[Any]], *, batch: int
) -> tuple[list[str], list[tuple[str, bool]]]:
    headers = [
        "run",
        "events",
        "s",
        "events/s",
        "queries/event",
        "app ms/event",
        "pg ms/event",
        "worker+sink cores",
        "other cores",
        "drain s",
    ]
    rows = [
        [
            r.name if r.name != "emporos batch" else f"emporos, {batch} a call",
            r.events,
            r.seconds,
            r.per_second,
            r.queries / max(r.events, 1),
            r.cores["clients"] * r.seconds / max(r.events, 1) * 1000,
            r.cores["postgres"] * r.seconds / max(r.events, 1) * 1000,
            r.cores["server"],
            r.cores["other"],
            r.drain_seconds,
        ]
        for r in runs
    ]
    by_name = {r.name: r for r in runs}
    app, raw = by_name["emporos"], by_name["raw SQL"]
    ratio = app.per_second / raw.per_second if raw.per_second else 0.0
    facts = {r.name: set_facts(url, sets[r.name], r.started_at or dt.datetime.min.replace(tzinfo=dt.UTC)) for r in runs}
    replays = {name: len(stream) - len({u.event_id for u in stream}) for name, stream in streams.items()}
    text = [
        "",
        "== Ingestion: carrier events while the worker produces the messages (app = this process) ==",
        table(headers, rows),
        "",
        f"Emporos {app.per_second:.0f} events/s, raw SQL {raw.per_second:.0f} events/s: ratio {ratio:.0%} "
        f"(events include {replays['emporos']} replays of {len(streams['emporos'])}; Emporos counted "
        f"{app.accepted} accepted and {app.duplicates} duplicates)",
        "",
        "What each run left (the baseline must leave what Emporos leaves):",
    ]
    labels = [label for label in facts[app.name] if label != "messages"]
    text.append(table(["", *facts], [[label, *(facts[name][label] for name in facts)] for label in labels]))
    messages = {name: dict(facts[name]["messages"]) for name in facts}  # type: ignore[call-overload]
    kinds = sorted({kind for name in messages for kind in messages[name]})
    text += [
        "",
        "Messages produced from the runs' events, by kind, channel and status:",
        table(["message", *messages], [[kind, *(messages[name].get(kind, 0) for name in messages)] for kind in kinds]),
    ]
    if "emporos batch" in facts:
        text.append(
            "(In a batch one call may carry two steps of a parcel, which then moves once: fewer moves and messages.)"
        )
    if any(r.cores["other"] > 0.2 for r in runs):
        text.append("WARNING: other work took more than 0.2 cores during a run; run again when quiet.")
    parcels = len(sets["emporos"].numbers)
    expected_messages = {
        "delivered email sent": parcels,
        "out_for_delivery email sent": parcels,
        "out_for_delivery sms sent": parcels,
    }
    verdicts = [
        (f"ingestion: Emporos >= {INGEST_TARGET:.0%} of raw SQL's events/s ({ratio:.0%})", ratio >= INGEST_TARGET),
        (f"ingestion: every run took all its events ({sum(r.complete for r in runs)} of {len(runs)})", all(r.complete for r in runs)),
        (
            f"ingestion: Emporos counted every replay as a duplicate ({app.duplicates} of {replays['emporos']})",
            app.duplicates == replays["emporos"] and app.accepted == len(streams["emporos"]) - replays["emporos"],
        ),
        (
            "ingestion: the baseline left exactly what Emporos left (rows and messages)",
            facts["raw SQL"] == facts["emporos"],
        ),
        (
            f"ingestion: {MESSAGES_PER_PARCEL} messages sent per parcel, none twice or failed",
            facts["emporos"]["messages"] == expected_messages,
        ),
    ]  # fmt: skip
    return text, verdicts


def run_email(
    args: argparse.Namespace, *, sets: list[ParcelSet], sink: Sink
) -> tuple[list[str], list[tuple[str, bool]], list[str]]:
    count = args.messages
    with timed(f"queue {count} e-mails (not measured)"):
        ids = queue_emails(sets, count, tag="measure")
    mails = rendered(ids)
    size = sum(len(mail.data) for mail in mails) / len(mails)
    print(f"Emporos sends {count} e-mails ...", end="", flush=True)
    app = send_emporos("emporos (outbox handler)", sink, count, max_seconds=args.max_seconds)
    print(f" {app.per_second:.0f}/s", flush=True)
    statuses = message_statuses(ids)
    print("smtplib sends the same bytes ...", end="", flush=True)
    raw = send_smtplib("smtplib, a connection each", sink, mails, reuse=False, max_seconds=args.max_seconds)
    reused = send_smtplib("smtplib, one connection", sink, mails, reuse=True, max_seconds=args.max_seconds)
    print(f" {raw.per_second:.0f}/s, one connection {reused.per_second:.0f}/s", flush=True)
    profiles = []
    if args.profile:
        with timed(f"queue {args.profile} more e-mails for the profile"):
            queue_emails(sets, args.profile, tag="profile")
        profiles.append(profile_sending(sink, args.profile))

    headers = ["run", "messages", "received", "s", "messages/s", "queries/message", "app ms/message", "pg ms/message"]
    headers += ["sink cores", "other cores"]
    rows = [
        [
            s.name,
            s.messages,
            s.received,
            s.seconds,
            s.per_second,
            s.queries / s.messages,
            s.cores["clients"] * s.seconds / s.messages * 1000,
            s.cores["postgres"] * s.seconds / s.messages * 1000,
            s.cores["server"],
            s.cores["other"],
        ]
        for s in (app, raw, reused)
    ]
    ratio = app.per_second / raw.per_second if raw.per_second else 0.0
    text = [
        "",
        f"== E-mail: {count} messages ({size / 1024:.1f} KiB on average) to an SMTP sink on 127.0.0.1 ==",
        table(headers, rows),
        "",
        f"Emporos {app.per_second:.0f} messages/s, smtplib a connection each {raw.per_second:.0f}/s: ratio {ratio:.0%}; "
        f"smtplib on one connection {reused.per_second:.0f}/s (information; app = this process, the sink runs apart)",
    ]
    if any(s.cores["other"] > 0.2 for s in (app, raw, reused)):
        text.append("WARNING: other work took more than 0.2 cores while sending; run again when quiet.")
    verdicts = [
        (f"e-mail: Emporos >= {EMAIL_TARGET:.0%} of smtplib's messages/s ({ratio:.0%})", ratio >= EMAIL_TARGET),
        (
            f"e-mail: the sink got every message of each run ({app.received}, {raw.received}, {reused.received} of {count})",
            app.received == raw.received == reused.received == count,
        ),
        (f"e-mail: every message marked sent once ({dict(statuses)})", statuses == Counter({"sent": count})),
    ]
    return text, verdicts, profiles


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted; the worker and the SMTP sink were stopped", file=sys.stderr)
        sys.exit(130)
