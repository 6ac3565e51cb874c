"""Barcode geometry: which modules are dark, as runs a renderer draws as filled rectangles.

Vector bars stay sharp at any printer resolution, and a run of dark modules becomes one
rectangle, so a Code128 costs about fifty drawing operations and a QR code a few hundred.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import segno
from barcode.codex import Code128

# Code128 wants at least 10 modules of white on each side, or scanners miss the start pattern.
CODE128_QUIET_MODULES = 10
# A QR code's quiet zone is 4 modules on every side (ISO/IEC 18004).
QR_QUIET_MODULES = 4


@dataclass(frozen=True)
class Run:
    """Dark modules `start` to `start + length - 1` of rows `row` to `row + rows - 1` (one row for
    a bar of a linear code)."""

    row: int
    start: int
    length: int
    rows: int = 1


def dark_runs(modules: str | bytes | bytearray, *, row: int = 0) -> list[Run]:
    """The runs of dark modules in a row given as "1"/"0" characters or 1/0 bytes."""
    runs: list[Run] = []
    start = -1
    for index, module in enumerate(modules):
        dark = module in ("1", 1)
        if dark and start < 0:
            start = index
        elif not dark and start >= 0:
            runs.append(Run(row=row, start=start, length=index - start))
            start = -1
    if start >= 0:
        runs.append(Run(row=row, start=start, length=len(modules) - start))
    return runs


@dataclass(frozen=True)
class Code128Bars:
    """A Code128 symbol (start, data, check and stop characters) without its quiet zones."""

    width_modules: int
    bars: tuple[Run, ...]

    @property
    def width_with_quiet_zones(self) -> int:
        return self.width_modules + 2 * CODE128_QUIET_MODULES


@lru_cache(maxsize=4096)
def code128(data: str) -> Code128Bars:
    """The bars of `data` in Code128; the encoder switches to code set C for runs of digits."""
    if not data:
        raise ValueError("a Code128 barcode needs at least one character")
    (pattern,) = Code128(data).build()
    return Code128Bars(width_modules=len(pattern), bars=tuple(dark_runs(pattern)))


@dataclass(frozen=True)
class QrModules:
    """A QR symbol: its side in modules (quiet zone excluded) and its dark runs, row by row."""

    size: int
    runs: tuple[Run, ...]

    @property
    def size_with_quiet_zone(self) -> int:
        return self.size + 2 * QR_QUIET_MODULES


def qr(payload: str) -> QrModules:
    """The QR code of `payload` at error correction M or better (segno raises it when it fits)."""
    symbol = segno.make(payload, error="m", micro=False)
    runs = [run for index, row in enumerate(symbol.matrix) for run in dark_runs(row, row=index)]
    return QrModules(size=len(symbol.matrix), runs=tuple(stack(runs)))


def stack(runs: list[Run]) -> list[Run]:
    """Runs given row by row, with the same run on consecutive rows merged into one rectangle."""
    open_runs: dict[tuple[int, int], Run] = {}
    done: list[Run] = []
    for run in runs:
        key = (run.start, run.length)
        above = open_runs.get(key)
        if above is not None and above.row + above.rows == run.row:
            open_runs[key] = Run(row=above.row, start=run.start, length=run.length, rows=above.rows + 1)
            continue
        if above is not None:
            done.append(above)
        open_runs[key] = run
    return done + list(open_runs.values())
