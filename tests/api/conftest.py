"""The API fuzz test's tally: how many requests it made, reported at the end of every run."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest


@dataclass
class FuzzTally:
    requests: Counter[str] = field(default_factory=Counter)  # per operation, e.g. "POST /api/v1/orders"
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: float = 0.0


FUZZ_TALLY = pytest.StashKey[FuzzTally]()


@pytest.fixture
def fuzz_tally(request: pytest.FixtureRequest) -> Iterator[FuzzTally]:
    tally = request.config.stash.setdefault(FUZZ_TALLY, FuzzTally())
    started = time.perf_counter()
    yield tally
    tally.seconds += time.perf_counter() - started


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    tally = terminalreporter.config.stash.get(FUZZ_TALLY, None)
    if tally is None or not tally.requests:
        return
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(tally.statuses.items()))
    terminalreporter.write_sep("-", "API fuzzing (schemathesis)")
    terminalreporter.write_line(
        f"API fuzzing: {sum(tally.requests.values())} requests to {len(tally.requests)} operations "
        f"in {tally.seconds:.0f} s; answers by status: {statuses}"
    )
