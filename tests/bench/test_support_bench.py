"""bench/support.py run tiny on the test database: its messages are what it says they are, both sides
read every one, and every mail becomes what the mail-in path makes of it (replies threaded into the
ticket of the message they answer, auto-replies set aside)."""

from __future__ import annotations

import importlib
import random
import sys
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from types import ModuleType

import pytest

from emporos.support.models import InboundMail, Message, Outcome

BENCH = Path(__file__).resolve().parents[2] / "bench"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module("support")
    finally:
        sys.path.remove(str(BENCH))


def test_the_bench_runs_tiny_and_every_message_becomes_what_it_should(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    box = bench.generate(40, rng=random.Random(2))
    assert len(box.raws) == 40
    assert dict(box.kinds) == {"first": 31, "reply": 7, "automatic": 2}
    senders = {message_from_bytes(raw, policy=policy.default)["From"].addresses[0].username for raw in box.raws}
    written_by = {name.split(".")[0] for name in senders}
    for people in bench.PEOPLE.values():  # Greek, Polish and Hebrew writers
        assert written_by & {local for _, local in people}

    stdlib = bench.timed_each("stdlib", box.raws, bench.read_with_stdlib)
    emporos = bench.timed_each("emporos (accept)", box.raws, bench.accept_with_emporos)

    assert len(stdlib.latencies_ms) == len(emporos.latencies_ms) == 40
    outcomes = bench.check_outcomes(40)
    assert outcomes["stored"] == 40
    assert outcomes["automatic"] == box.kinds["automatic"]
    assert outcomes.get("opened", 0) + outcomes.get("added", 0) == box.kinds["first"] + box.kinds["reply"]
    # Every reply joined the ticket of the message it answers, its quoted history trimmed.
    for raw in box.raws:
        parsed = message_from_bytes(raw, policy=policy.default)
        answered = parsed["In-Reply-To"]
        if answered is None:
            continue
        mail = InboundMail.objects.get(message_id=str(parsed["Message-ID"]).strip("<>"))
        earlier = Message.objects.get(message_id=str(answered).strip("<>"))
        assert (mail.outcome, mail.ticket_id) == (Outcome.ADDED, earlier.ticket_id)
        reply = Message.objects.get(message_id=mail.message_id)
        assert ">" not in reply.text
        assert reply.full_text.count(">") >= 1

    bench.report([stdlib, emporos], outcomes, url="sqlite:////tmp/x.sqlite3", box=box)
    printed = capsys.readouterr().out
    assert "PASS  every message stored once and processed (40 of 40)" in printed
    assert "stdlib" in printed
    assert "emporos (accept)" in printed


def test_the_baseline_reads_the_text_of_every_part(bench: ModuleType) -> None:
    box = bench.generate(30, rng=random.Random(3))

    texts = [bench.read_with_stdlib(raw) for raw in box.raws]

    assert all(text.strip() for text in texts)
    assert any("<p>" in text for text in texts)  # an HTML alternative read too


def test_the_bench_database_is_never_the_one_configured(bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMPOROS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shop")
    assert bench.bench_url(None) == "postgres://postgres@127.0.0.1:5432/shop_support_bench"
    monkeypatch.setenv("EMPOROS_DATABASE_URL", "")
    assert bench.bench_url(None) == bench.DEFAULT_SQLITE
    assert bench.bench_url("sqlite:////tmp/mine.sqlite3") == "sqlite:////tmp/mine.sqlite3"
