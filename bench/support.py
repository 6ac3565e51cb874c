"""Support e-mail in: messages per second through the mail-in path against the standard library alone.

Run (about half a minute on 2 cores):

    .venv/bin/python bench/support.py                      # SQLite, 2,000 messages
    EMPOROS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/support.py
    .venv/bin/python bench/support.py --messages 500 --listener

It recreates a database (a SQLite file by default; with EMPOROS_DATABASE_URL on PostgreSQL, a
database of its own next to that one, `<name>_support_bench`, never the one named), migrates it,
generates `--messages` realistic customer e-mails (Greek, Polish and Hebrew; replies quoting the
earlier message under the mail client's header in the writer's language; some naming an order
number, some HTML with a plain-text part, some answering an earlier message through In-Reply-To,
some auto-replies) and measures, one message after the other, in this process:

* Emporos: `emporos.support.inbound.accept(raw, source="smtp")` — the mail stored once per
  Message-ID with its outbox event, parsed, set aside when automatic, threaded into its ticket or
  opening one (customer found or created, reply-by promised, acknowledgement queued);
* the baseline: `email.message_from_bytes(raw, policy=policy.default)` and a walk over its parts
  reading every text part — what reading the same mail takes with the standard library alone.

With `--listener`, the same kind of messages also go over SMTP on loopback to the real listener
(`emporos.support.mail_in`, when the checkout has it), one connection for all, each answered 250
only once stored. Prints messages/s, p50/p99 per message, the ratio, the CPU of this process and of
PostgreSQL, and PASS/FAIL against the targets (bench/README.md).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import email
import importlib
import os
import random
import smtplib
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from _common import (
    CpuTracker,
    background_load,
    check_local,
    heading,
    migrate,
    percentile,
    recreate_database,
    setup_django,
    stop_on_sigterm,
    table,
    timed,
    verdict,
    warn_if_busy,
)

DEFAULT_SQLITE = "sqlite:////tmp/emporos-support-bench.sqlite3"
SUPPORT_ADDRESS = "support@shop.example"
# Targets, as ratios in the same run (bench/README.md says why these numbers).
TARGET_RATIO = 0.03  # Emporos at least 3% of the standard library's messages/s (measured 6.5-7.8%)
TARGET_TAIL = 4.0  # Emporos's p99 at most 4 times its own p50: no message waits on the mailbox's size
LISTENER_MAX_BYTES = 10 * 1024 * 1024
WRITTEN_AT = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


# --- the messages ---------------------------------------------------------------------------------

PEOPLE = {
    "el": [("Μαρία Παπαδοπούλου", "maria"), ("Γιώργος Νικολάου", "giorgos"), ("Ελένη Κωνσταντίνου", "eleni")],
    "pl": [("Zofia Wójcik", "zofia"), ("Łukasz Żółkiewski", "lukasz"), ("Agnieszka Kowalczyk", "agnieszka")],
    "he": [("נועה לוי", "noa"), ("יוסי כהן", "yossi"), ("מיכל אברהם", "michal")],
}
WORDS = {
    "el": (
        ("Πού είναι η παραγγελία μου;", "Δεν έχω λάβει ακόμα το δέμα μου και η παράδοση έχει καθυστερήσει."),
        ("Λάθος μέγεθος", "Το φόρεμα ήρθε σε λάθος μέγεθος· θα ήθελα να το αλλάξω με ένα μεγαλύτερο."),
        ("Χρέωση δύο φορές", "Η κάρτα μου χρεώθηκε δύο φορές για την ίδια πληρωμή."),
    ),
    "pl": (
        ("Gdzie jest moja przesyłka?", "Paczka miała dotrzeć wczoraj, a kurier nic nie przywiózł."),
        ("Uszkodzony produkt", "Kubek przyszedł uszkodzony, ucho jest odłamane. Proszę o wymianę."),
        ("Faktura", "Proszę o fakturę na firmę do mojego zamówienia, dane firmy poniżej."),
    ),
    "he": (
        ("איפה ההזמנה שלי?", "החבילה עדיין לא הגיעה והשליח לא ענה לטלפון."),
        ("מידה לא נכונה", "קיבלתי מידה לא נכונה של החולצה, אפשר להחליף?"),
        ("חיוב כפול", "חויבתי פעמיים על אותו תשלום בכרטיס האשראי."),
    ),
}
QUOTE_HEADER = {
    "el": "Στις {date}, ο/η {name} έγραψε:",
    "pl": "W dniu {date} {name} napisał(a):",
    "he": "ב-{date}, {name} כתב/ה:",
}
SIGNATURE = {"el": "Με εκτίμηση,", "pl": "Z poważaniem,", "he": "בברכה,"}
AUTO_REPLY = {
    "el": ("Αυτόματη απάντηση: εκτός γραφείου", "Θα λείπω έως τη Δευτέρα."),
    "pl": ("Automatyczna odpowiedź: poza biurem", "Jestem na urlopie do poniedziałku."),
    "he": ("מענה אוטומטי: מחוץ למשרד", "אני בחופשה עד יום שני."),
}


@dataclass
class Mailbox:
    """The generated messages, and what they should become."""

    raws: list[bytes] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)  # first, reply, automatic


def generate(count: int, *, rng: random.Random, tag: str = "bench") -> Mailbox:
    """`count` messages from a pool of customers: about a fifth answer an earlier message of the
    same customer (In-Reply-To, quoting it), a twentieth are auto-replies, a third of the first
    messages name an order number, a quarter are HTML with a plain-text part."""
    box = Mailbox()
    sent: dict[str, list[tuple[str, str, str]]] = {}  # address -> [(message id, subject, text)]
    customers = max(9, count // 4)
    for index in range(count):
        customer = rng.randrange(customers)
        language = ("el", "pl", "he")[customer % 3]
        name, local = PEOPLE[language][(customer // 3) % 3]
        address = f"{local}.{customer}@{tag}.example"
        moment = f"{1 + index % 28} Dec 2026"
        message_id = f"<{tag}-{index}@mail.{language}.example>"
        earlier = sent.get(address, [])
        roll = rng.random()
        if roll < 0.05:
            subject, text = AUTO_REPLY[language]
            message = _message(name, address, subject, text, message_id)
            message["Auto-Submitted"] = "auto-replied"
            box.kinds["automatic"] += 1
        elif earlier and roll < 0.25:
            answered_id, subject, quoted = earlier[-1]
            text = (
                f"{rng.choice(WORDS[language])[1]}\n\n{SIGNATURE[language]}\n{name}\n\n"
                + QUOTE_HEADER[language].format(date=moment, name=name)
                + "\n"
                + "\n".join(f"> {line}" for line in quoted.splitlines())
            )
            message = _message(name, address, f"Re: {subject}", text, message_id)
            message["In-Reply-To"] = answered_id
            message["References"] = answered_id
            box.kinds["reply"] += 1
        else:
            subject, body = rng.choice(WORDS[language])
            if rng.random() < 1 / 3:
                subject = f"{subject} EM-{10000 + rng.randrange(5000)}"
            text = f"{body}\n\n{SIGNATURE[language]}\n{name}"
            message = _message(name, address, subject, text, message_id, html=rng.random() < 0.25)
            sent.setdefault(address, []).append((message_id, subject, text))
            box.kinds["first"] += 1
        box.raws.append(message.as_bytes(policy=policy.SMTP))
    return box


def _message(name: str, address: str, subject: str, text: str, message_id: str, *, html: bool = False) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"{name} <{address}>"
    message["To"] = f"Support <{SUPPORT_ADDRESS}>"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(WRITTEN_AT)
    message.set_content(text)
    if html:
        paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines() if line)
        message.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
    return message


# --- the two sides ----------------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    latencies_ms: list[float]
    seconds: float
    cores: dict[str, float]

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def p(self, fraction: float) -> float:
        return percentile(self.latencies_ms, fraction)

    @property
    def cpu_ms(self) -> float:
        """CPU of this process per message (SQLite's work included)."""
        return self.cores["clients"] * self.seconds / max(len(self.latencies_ms), 1) * 1000

    @property
    def database_ms(self) -> float:
        return self.cores["postgres"] * self.seconds / max(len(self.latencies_ms), 1) * 1000


def timed_each(name: str, raws: Sequence[bytes], handle: Callable[[bytes], object]) -> Run:
    tracker = CpuTracker(server_group=None).start()
    latencies = []
    started = time.perf_counter()
    for raw in raws:
        began = time.perf_counter()
        handle(raw)
        latencies.append((time.perf_counter() - began) * 1000)
    seconds = time.perf_counter() - started
    return Run(name=name, latencies_ms=latencies, seconds=seconds, cores=tracker.stop())


def read_with_stdlib(raw: bytes) -> str:
    """The baseline: the standard library's parse and every text part read."""
    message = email.message_from_bytes(raw, policy=policy.default)
    texts = []
    for part in message.walk():
        if part.get_content_maintype() == "text" and not part.is_attachment():
            texts.append(part.get_content())
    return "\n".join(texts)


def accept_with_emporos(raw: bytes) -> object:
    from emporos.support import inbound

    return inbound.accept(raw, source="smtp", recipients=[SUPPORT_ADDRESS])


def listener_available() -> bool:
    try:
        importlib.import_module("emporos.support.mail_in")
    except ImportError:
        return False
    return True


def through_listener(raws: Sequence[bytes]) -> Run:
    """Every message over SMTP on loopback to the real listener (`emporos mail-in`), one connection,
    each answered 250 only once `accept` stored it; the listener runs in this process's threads."""
    mail_in: Any = importlib.import_module("emporos.support.mail_in")
    controller = mail_in.start("127.0.0.1", 0, [SUPPORT_ADDRESS], max_bytes=LISTENER_MAX_BYTES)
    try:
        with smtplib.SMTP("127.0.0.1", controller.port, timeout=30) as client:

            def send(raw: bytes) -> object:
                refused = client.sendmail("customer@bench.example", [SUPPORT_ADDRESS], raw)
                if refused:
                    raise RuntimeError(f"the listener refused a message: {refused}")
                return None

            return timed_each("emporos (SMTP listener)", raws, send)
    finally:
        controller.stop()


# --- the database -----------------------------------------------------------------------------------


def bench_url(argument: str | None) -> str:
    """--database-url, else a database of its own next to EMPOROS_DATABASE_URL's, else SQLite."""
    if argument:
        return argument
    configured = os.environ.get("EMPOROS_DATABASE_URL", "")
    if configured.startswith("postgres"):
        parts = urlsplit(configured)
        name = parts.path.strip("/") or "emporos"
        return urlunsplit((parts.scheme, parts.netloc, f"/{name}_support_bench", parts.query, ""))
    return DEFAULT_SQLITE


def fresh(url: str) -> None:
    if urlsplit(url).scheme == "sqlite":
        path = Path(urlsplit(url).path[1:])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        check_local(url)
        with timed("recreate database"):
            recreate_database(url)
    with timed("emporos migrate"):
        migrate(url)


# --- the run ------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="sqlite:////path or postgres://... (recreated)")
    parser.add_argument("--messages", type=int, default=2000, help="messages per side (default %(default)s)")
    parser.add_argument("--listener", action="store_true", help="also send them through the SMTP listener")
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args(argv)
    if not 10 <= args.messages <= 100_000:
        parser.error("--messages from 10 to 100,000.")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    url = bench_url(args.database_url)
    stop_on_sigterm()
    heading(f"Support e-mail in on {url}: {args.messages} messages")
    warn_if_busy(background_load())
    fresh(url)
    setup_django(url)
    box = generate(args.messages, rng=random.Random(args.seed))
    print(f"generated: {dict(box.kinds)}, {sum(map(len, box.raws)) / len(box.raws):.0f} bytes on average")
    warm = generate(20, rng=random.Random(1), tag="warm")
    for raw in warm.raws:  # imports, the ORM's first statements, the shop's settings
        accept_with_emporos(raw)
        read_with_stdlib(raw)
    runs = [
        timed_each("stdlib", box.raws, read_with_stdlib),
        timed_each("emporos (accept)", box.raws, accept_with_emporos),
    ]
    if args.listener:
        if listener_available():
            runs.append(through_listener(generate(args.messages, rng=random.Random(args.seed), tag="smtp").raws))
        else:
            print("--listener: emporos.support.mail_in is not in this checkout; only accept() was measured.")
    outcomes = check_outcomes(len(box.raws) + len(warm.raws) + (args.messages if len(runs) > 2 else 0))
    return 0 if report(runs, outcomes, url=url, box=box) else 1


def check_outcomes(expected: int) -> dict[str, int]:
    """What the stored mails became; every mail stored once and processed."""
    from django.db.models import Count

    from emporos.support.models import InboundMail

    counted = {
        row["outcome"] or "unprocessed": row["n"]
        for row in InboundMail.objects.values("outcome").annotate(n=Count("id")).order_by()
    }
    counted["stored"] = sum(counted.values())
    counted["expected"] = expected
    return counted


HEADERS = ["path", "messages/s", "p50 ms", "p99 ms", "ratio to stdlib"]
CPU_HEADERS = ["path", "this process", "postgres", "other", "machine", "CPU ms/message", "db ms/message"]


def report(runs: list[Run], outcomes: dict[str, int], *, url: str, box: Mailbox) -> bool:
    baseline = runs[0]
    heading("Messages one after the other, in this process (latency per message)")
    print(
        table(
            HEADERS,
            [
                [run.name, run.per_second, run.p(0.5), run.p(0.99), f"{run.per_second / baseline.per_second:.2%}"]
                for run in runs
            ],
        )
    )
    heading("CPU during each run: average cores busy")
    on_sqlite = urlsplit(url).scheme == "sqlite"
    print(
        table(
            CPU_HEADERS,
            [
                [
                    run.name,
                    run.cores["clients"],
                    "-" if on_sqlite else run.cores["postgres"],
                    run.cores["other"],
                    run.cores["machine"],
                    run.cpu_ms,
                    "-" if on_sqlite else run.database_ms,
                ]
                for run in runs
            ],
        )
    )
    if on_sqlite:
        print("(SQLite runs inside this process: its CPU is in 'this process'.)")
    print(f"\nstored mails by outcome: {outcomes}")
    heading("Targets")
    emporos = runs[1]
    ratio = emporos.per_second / baseline.per_second if baseline.per_second else 0.0
    tail = emporos.p(0.99) / emporos.p(0.5) if emporos.p(0.5) else float("inf")
    automatic = outcomes.get("automatic", 0)
    verdicts = [
        (f"Emporos >= {TARGET_RATIO:.0%} of the standard library's messages/s ({ratio:.2%})", ratio >= TARGET_RATIO),
        (f"Emporos p99 <= {TARGET_TAIL:g}x its p50 ({emporos.p(0.99):.1f} ms, {tail:.1f}x)", tail <= TARGET_TAIL),
        (
            f"every message stored once and processed ({outcomes['stored']} of {outcomes['expected']})",
            outcomes["stored"] == outcomes["expected"] and "unprocessed" not in outcomes,
        ),
        (
            f"every auto-reply set aside ({automatic} of {box.kinds['automatic']} and the warm-up's)",
            automatic >= box.kinds["automatic"],
        ),
    ]
    for text, ok in verdicts:
        print(f"{verdict(ok)}  {text}")
    return all(ok for _, ok in verdicts)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        with contextlib.suppress(Exception):
            from _common import close_django_connections

            close_django_connections()
