"""The file-drop hand-over adapter (`file_drop`): CSV files in a folder per location that the
fulfillment service (3PL) syncs (SFTP, a shared drive, rsync), under EMPOROS_THIRD_PARTY_DIR:

    <THIRD_PARTY_DIR>/<location code>/outgoing/            requests, written by Emporos
    <THIRD_PARTY_DIR>/<location code>/incoming/            answers, dropped by the 3PL
    <THIRD_PARTY_DIR>/<location code>/incoming/processed/  answers applied
    <THIRD_PARTY_DIR>/<location code>/incoming/failed/     answers refused, each with <name>.error.txt

Both formats are UTF-8 CSV (comma, double quotes, CRLF from Emporos; a byte-order mark and LF
are accepted when reading) with a header row. docs/3pl-file-drop.md shows both with examples.

A request is one file, `<order number>-<request id>.csv`, one row per line, the request's own
fields repeated on every row: OUTGOING_COLUMNS. It is written under a temporary name beginning
with "." and renamed when complete, so the 3PL never reads half a file; sending the same request
again replaces the file.

An answer file is any `*.csv` in incoming/ (its name is free; the 3PL writes it under another
name and renames it too), with the columns INCOMING_COLUMNS in any order (request_id and status
are required; a missing column reads as empty cells). One row per answer:
- `accepted` or `rejected` (with a `note` saying why): the whole request;
- `shipped`: a parcel, with its `tracking_number` and `carrier`; its rows (same request_id and
  tracking_number) list the `sku` and `quantity` in it, or one row without them ships every
  unit of the request not shipped yet. Several parcels are several tracking numbers.
A file is applied whole or not at all. One with a problem is moved to failed/ with an error file
naming each line and its problem (`answers.csv:3: ...`); nothing in it is applied.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from emporos.core import clock
from emporos.core.config import setting
from emporos.core.text import text_problem
from emporos.fulfillment.third_party.adapters import AnswerKind, HandoverAnswer, HandoverRequest

log = logging.getLogger(__name__)

OUTGOING_COLUMNS = (
    "request_id",
    "order_number",
    "created_at",
    "method",
    "express",
    "ship_to_name",
    "ship_to_company",
    "ship_to_line1",
    "ship_to_line2",
    "ship_to_postal_code",
    "ship_to_city",
    "ship_to_country",
    "ship_to_phone",
    "pickup_point",
    "gift_wrap",
    "gift_message",
    "cod_amount",
    "cod_currency",
    "sku",
    "name",
    "quantity",
)
INCOMING_COLUMNS = ("request_id", "status", "carrier", "tracking_number", "sku", "quantity", "note")
REQUIRED_COLUMNS = ("request_id", "status")
# The longest values the shipment keeps (Shipment.carrier_name, .tracking_number; ShipmentLine.sku).
_MAX_LENGTHS = {"carrier": 100, "tracking_number": 100, "sku": 64, "note": 500}
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]")
_KINDS = frozenset(kind.value for kind in AnswerKind)


class MalformedFile(Exception):
    """An answer file that cannot be read as answers; `problems` name the lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class FileDropAdapter:
    code = "file_drop"

    def __init__(self, location: str, *, root: str | Path | None = None) -> None:
        self.folder = Path(root if root is not None else setting("THIRD_PARTY_DIR")) / location

    @property
    def outgoing(self) -> Path:
        return self.folder / "outgoing"

    @property
    def incoming(self) -> Path:
        return self.folder / "incoming"

    def send(self, request: HandoverRequest) -> None:
        """Write the request's file, replacing an earlier one of the same request."""
        self.outgoing.mkdir(parents=True, exist_ok=True)
        name = _UNSAFE_IN_NAME.sub("_", f"{request.order_number}-{request.request_id}") + ".csv"
        _write_atomically(self.outgoing / name, request_rows(request))

    def collect(self) -> list[HandoverAnswer]:
        """The answers of every answer file waiting, files in the order of their names. A file
        that cannot be read as answers goes to failed/ at once; one without answers, to
        processed/. A file that cannot be read or moved now stays, to be tried again."""
        if not self.incoming.is_dir():
            return []
        answers: list[HandoverAnswer] = []
        for path in sorted(self.incoming.glob("*.csv")):
            if path.name.startswith(".") or not path.is_file():
                continue
            try:
                found = parse_answers(path.read_bytes(), source=path.name)
                if not found:
                    self.settle(path.name, [])
            except MalformedFile as malformed:
                log.warning("3PL answer file %s refused: %s", path, malformed)
                self._settle_quietly(path.name, malformed.problems)
                continue
            except OSError:
                log.exception("3PL answer file %s could not be read; it is tried again next time", path)
                continue
            answers.extend(found)
        return answers

    def _settle_quietly(self, source: str, problems: Sequence[str]) -> None:
        try:
            self.settle(source, problems)
        except OSError:
            log.exception("3PL answer file %s could not be set aside; it is tried again next time", source)

    def settle(self, source: str, problems: Sequence[str]) -> None:
        """Move the answer file to processed/, or to failed/ with its problems beside it."""
        path = self.incoming / source
        if not path.is_file():
            return  # settled already (another run, or the 3PL took it back)
        target = self.incoming / ("failed" if problems else "processed")
        target.mkdir(exist_ok=True)
        moved = _free_name(target, source)
        if problems:
            report = "\n".join(
                [
                    f"{source} was not applied: nothing in it was applied ({_stamp(clock.now())}).",
                    "Fix the lines below and drop the corrected file into incoming/ again.",
                    "",
                    *problems,
                    "",
                ]
            )
            _write_atomically(moved.with_name(moved.stem + ".error.txt"), None, text=report)
        os.replace(path, moved)


def request_rows(request: HandoverRequest) -> list[list[str]]:
    """The request as CSV rows: the header, then one row per line."""
    to = request.ship_to
    cod = request.cash_on_delivery
    head = [
        request.request_id,
        request.order_number,
        _stamp(request.created_at),
        request.method,
        _flag(request.is_express),
        to.name,
        to.company,
        to.line1,
        to.line2,
        to.postal_code,
        to.city,
        to.country,
        to.phone,
        to.pickup_point,
        _flag(request.gift_wrap),
        request.gift_message,
        f"{cod:.2f}" if cod is not None else "",
        request.currency if cod is not None else "",
    ]
    return [list(OUTGOING_COLUMNS)] + [[*head, line.sku, line.name, str(line.quantity)] for line in request.lines]


@dataclass
class _Parcel:
    request_id: str
    tracking_number: str
    answer_id: str
    carrier: str = ""
    notes: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    every_unit_at: int = 0  # the line of a row without a SKU; 0: none


def parse_answers(content: bytes, *, source: str) -> list[HandoverAnswer]:
    """The answers in an answer file, in the order of its lines; raises MalformedFile naming
    every line with a problem as `<source>:<line>: problem` (line 1 is the header)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MalformedFile([f"{source}: the file is not UTF-8 text (byte {error.start + 1} is not)."]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[str] = []
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if not header or missing:
            raise MalformedFile(
                [
                    f"{source}:1: the header row must name the columns {', '.join(INCOMING_COLUMNS)}; "
                    f"missing: {', '.join(missing or REQUIRED_COLUMNS)}."
                ]
            )
        twice = sorted({name for name in header if header.count(name) > 1 and name})
        if twice:
            raise MalformedFile([f"{source}:1: the column(s) {', '.join(twice)} appear more than once."])
        answers: list[HandoverAnswer | _Parcel] = []
        parcels: dict[tuple[str, str], _Parcel] = {}
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.append(f"{source}:{line}: {len(cells)} cells, but the header names {len(header)} columns.")
                continue
            row = {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header)}
            answer = _read_row(row, line=line, source=source, problems=problems, parcels=parcels)
            if answer is not None:
                answers.append(answer)
    except csv.Error as error:
        problems.append(f"{source}:{reader.line_num}: not valid CSV ({error}).")
    if problems:
        raise MalformedFile(problems)
    return [item if isinstance(item, HandoverAnswer) else _shipped(item, source) for item in answers]


def _read_row(
    row: dict[str, str], *, line: int, source: str, problems: list[str], parcels: dict[tuple[str, str], _Parcel]
) -> HandoverAnswer | _Parcel | None:
    """The row's answer, or its parcel when it opens one; None when it has a problem (added to
    `problems`) or adds lines to a parcel already open."""
    found = len(problems)
    for name, limit in _MAX_LENGTHS.items():
        value = row.get(name, "")
        problem = text_problem(value, multiline=name == "note")
        if problem is not None:
            problems.append(f"{source}:{line}: {name}: {problem.message}")
        elif len(value) > limit:
            problems.append(f"{source}:{line}: {name} has {len(value)} characters; at most {limit}.")
    try:
        request_id = str(uuid.UUID(row["request_id"]))
    except ValueError:
        problems.append(f"{source}:{line}: request_id {row['request_id']!r} is not the request_id of a request file.")
        request_id = ""
    status = row["status"].lower()
    if status not in _KINDS:
        problems.append(f"{source}:{line}: status {row['status']!r} is not one of accepted, rejected, shipped.")
    if len(problems) > found:
        return None
    if status != AnswerKind.SHIPPED:
        return HandoverAnswer(
            request_id=request_id,
            kind=AnswerKind(status),
            source=source,
            answer_id=f"{source}:{line}",
            note=row.get("note", ""),
        )
    return _read_parcel_row(row, request_id=request_id, line=line, source=source, problems=problems, parcels=parcels)


def _read_parcel_row(
    row: dict[str, str],
    *,
    request_id: str,
    line: int,
    source: str,
    problems: list[str],
    parcels: dict[tuple[str, str], _Parcel],
) -> _Parcel | None:
    tracking, sku, quantity = row.get("tracking_number", ""), row.get("sku", ""), row.get("quantity", "")
    if not tracking:
        problems.append(f"{source}:{line}: a shipped row needs the parcel's tracking_number.")
        return None
    units = 0
    if sku or quantity:
        units = int(quantity) if quantity.isascii() and quantity.isdigit() else 0
        if not sku:
            problems.append(f"{source}:{line}: quantity {quantity} without a sku; give the SKU shipped.")
        elif units < 1:
            problems.append(f"{source}:{line}: quantity {quantity!r} of SKU {sku} is not a whole number of at least 1.")
        if not sku or units < 1:
            return None
    parcel = parcels.get((request_id, tracking))
    opened = parcel is None
    if parcel is None:
        parcel = parcels[(request_id, tracking)] = _Parcel(request_id, tracking, answer_id=f"{source}:{line}")
    if (sku and parcel.every_unit_at) or (not sku and (parcel.lines or parcel.every_unit_at)):
        problems.append(
            f"{source}:{line}: parcel {tracking} of request {request_id} has a row without a SKU (every unit) and "
            "other rows; list every SKU with its quantity, or give one row without a SKU."
        )
        return None
    if sku:
        parcel.lines[sku] = parcel.lines.get(sku, 0) + units
    else:
        parcel.every_unit_at = line
    parcel.carrier = parcel.carrier or row.get("carrier", "")
    if row.get("note"):
        parcel.notes.append(row["note"])
    return parcel if opened else None


def _shipped(parcel: _Parcel, source: str) -> HandoverAnswer:
    return HandoverAnswer(
        request_id=parcel.request_id,
        kind=AnswerKind.SHIPPED,
        source=source,
        answer_id=parcel.answer_id,
        note=" ".join(parcel.notes)[:500],
        carrier=parcel.carrier,
        tracking_number=parcel.tracking_number,
        lines=tuple(parcel.lines.items()),
    )


def _write_atomically(path: Path, rows: list[list[str]] | None, *, text: str = "") -> None:
    """Write under a temporary name in the same folder, then rename over `path`."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with temporary.open("x", encoding="utf-8", newline="") as handle:
            if rows is not None:
                csv.writer(handle).writerows(rows)
            else:
                handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/<stem>.<n><suffix>` when a file of that name is there already."""
    candidate = folder / name
    number = 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{Path(name).stem}.{number}{Path(name).suffix}"
    return candidate


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _flag(value: bool) -> str:
    return "true" if value else "false"
