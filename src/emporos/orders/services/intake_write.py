"""The write of order intake: the placed order and all that is stored with it, in one statement.

After the stock is reserved, `store_placed_order` writes the customer (upsert), the order, its
lines, the reservations' ledger rows, the `orders.order_placed` event with one delivery per
handler, and its timeline entry with its subjects: on PostgreSQL one data-modifying statement
(`WITH customer AS (INSERT ...), placed AS (INSERT ...) ... SELECT ...`), on SQLite, which has
no INSERT inside WITH, the same INSERTs one after another, one per table.

The models stay the schema's truth: rows are field values keyed by the models' attribute names;
the columns, the defaults of the fields a row leaves out and the conversion of every value
(`get_db_prep_save`) come from `Model._meta`. A row naming a field the model lacks, or leaving
out a field that has neither a default nor NULL, is refused before anything is sent.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast, final

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import NOT_PROVIDED, Field, Model

from emporos.core.actor import Actor
from emporos.customers.models import Customer
from emporos.customers.services import UPDATED_ON_UPSERT
from emporos.inventory import services as inventory
from emporos.inventory.models import StockMovement
from emporos.orders.events import OrderPlaced
from emporos.orders.models import NUMBER_PREFIX, Order, OrderLine
from emporos.orders.numbers import next_number_sql
from emporos.outbox.models import Delivery, Event
from emporos.outbox.services import emitted_rows
from emporos.timeline.models import Entry, Subject, SubjectKind
from emporos.timeline.services import About, entry_rows

# --- values a row may hold besides plain ones --------------------------------------------------


@final
@dataclass(frozen=True)
class Sql:
    """A value the database computes, written into the statement as it is."""

    text: str


@final
@dataclass(frozen=True)
class Ref:
    """A value an earlier INSERT of the same write returns, e.g. the new order's id; with
    `prefix`, as text after it (the order's number as people read it)."""

    insert: str
    column: str
    prefix: str = ""


@final
@dataclass(frozen=True)
class JsonWith:
    """A JSON object some of whose values are Refs."""

    value: dict[str, Any]


@dataclass
class Insert:
    """One multi-row INSERT ... RETURNING, named so later inserts can refer to what it returns."""

    name: str
    model: type[Model]
    rows: list[dict[str, Any]]
    returning: tuple[str, ...] = ()  # columns the caller needs back; none: no RETURNING
    on_conflict: str = ""  # e.g. "ON CONFLICT (email) DO UPDATE SET ..."
    returned: list[tuple[Any, ...]] = field(default_factory=list)


# --- the models as the schema's truth ----------------------------------------------------------


@functools.cache
def written_fields(model: type[Model]) -> tuple[Field[Any, Any], ...]:
    """The fields an INSERT writes: every concrete one but the primary key and generated ones."""
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False))


@functools.cache
def required_fields(model: type[Model]) -> frozenset[str]:
    """Fields a row must name: no default in Python or in the database, and NOT NULL."""
    return frozenset(
        f.attname for f in written_fields(model) if not f.has_default() and f.db_default is NOT_PROVIDED and not f.null
    )


@functools.cache
def _attnames(model: type[Model]) -> frozenset[str]:
    return frozenset(f.attname for f in written_fields(model))


def check_row(model: type[Model], row: dict[str, Any]) -> None:
    """Refuse a row that names a field `model` lacks or leaves out one it requires."""
    unknown = row.keys() - _attnames(model)
    missing = required_fields(model) - row.keys()
    if unknown or missing:
        raise TypeError(
            f"{model.__name__} row: unknown fields {sorted(unknown)}, missing required fields {sorted(missing)}."
        )


# --- rendering -------------------------------------------------------------------------------------


@functools.cache
def _quote(name: str) -> str:
    # PostgreSQL and SQLite quote names alike; one process talks to one of them.
    return connection.ops.quote_name(name)


@functools.cache
def _head(model: type[Model]) -> str:
    columns = ", ".join(_quote(f.column) for f in written_fields(model))
    return f"INSERT INTO {_quote(model._meta.db_table)} ({columns}) VALUES "


def _computed_sql(value: Sql | Ref, params: list[Any]) -> str:
    """A value the database computes, as SQL (its parameters appended to `params`)."""
    if isinstance(value, Sql):
        return value.text
    select = f"(SELECT {_quote(value.column)} FROM {value.insert})"
    if value.prefix:
        params.append(value.prefix)
        return f"(%s::text || {select})"
    return select


def _with_refs_sql(base: str, value: JsonWith, params: list[Any]) -> str:
    """The JSON object `base` (SQL) with the Refs of `value` added under their keys."""
    pairs = []
    for key, item in value.value.items():
        if isinstance(item, Ref):
            params.append(key)
            pairs.append(f"%s::text, {_computed_sql(item, params)}")
    return f"({base} || jsonb_build_object({', '.join(pairs)}))" if pairs else base


def _value_sql(f: Field[Any, Any], value: Any, params: list[Any], db: Any) -> str:
    if isinstance(value, Sql | Ref):
        return _computed_sql(value, params)
    if isinstance(value, JsonWith):
        plain = {key: item for key, item in value.value.items() if not isinstance(item, Ref)}
        params.append(f.get_db_prep_save(plain, db))
        return _with_refs_sql("%s::jsonb", value, params) if len(plain) < len(value.value) else "%s"
    params.append(f.get_db_prep_save(value, db))
    return "%s"


def _insert_sql(insert: Insert) -> tuple[str, list[Any]]:
    fields = written_fields(insert.model)
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: no thread-local look-up per value
    params: list[Any] = []
    rows = []
    for row in insert.rows:
        check_row(insert.model, row)
        values = [_value_sql(f, row[f.attname] if f.attname in row else f.get_default(), params, db) for f in fields]
        rows.append(f"({', '.join(values)})")
    returning = ", ".join(_quote(column) for column in insert.returning)
    sql = (
        f"{_head(insert.model)}{', '.join(rows)}"
        f"{' ' + insert.on_conflict if insert.on_conflict else ''}{' RETURNING ' + returning if returning else ''}"
    )
    return sql, params


def _resolved(value: Any, done: dict[str, Insert]) -> Any:
    """A Ref replaced by what its insert returned (one statement after another)."""
    if isinstance(value, Ref):
        returned = done[value.insert]
        found = returned.returned[0][returned.returning.index(value.column)]
        return f"{value.prefix}{found}" if value.prefix else found
    if isinstance(value, JsonWith):
        return {key: _resolved(item, done) for key, item in value.value.items()}
    return value


def write(inserts: list[Insert]) -> None:
    """Run `inserts` in the current transaction, filling each one's `returned` rows."""
    inserts = [insert for insert in inserts if insert.rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _write_as_one(cursor, inserts)
            return
        done: dict[str, Insert] = {}
        for insert in inserts:
            insert.rows = [{key: _resolved(value, done) for key, value in row.items()} for row in insert.rows]
            cursor.execute(*_insert_sql(insert))
            if insert.returning:
                insert.returned = [tuple(row) for row in cursor.fetchall()]
            done[insert.name] = insert


def _write_as_one(cursor: Any, inserts: list[Insert]) -> None:
    """One statement: each insert a CTE, the final SELECT what every one of them returned."""
    params: list[Any] = []
    parts = []
    for insert in inserts:
        sql = _recordset_insert_sql(insert, params)
        if sql is None:  # rows computing different values (the timeline's subjects): one VALUES row each
            sql, insert_params = _insert_sql(insert)
            params.extend(insert_params)
        parts.append(f"{insert.name} AS ({sql})")
    # Every column as an array, in RETURNING order: one row for the whole write.
    selected = [
        f"ARRAY(SELECT {_quote(column)} FROM {insert.name})" for insert in inserts for column in insert.returning
    ]
    cursor.execute(f"WITH {', '.join(parts)} SELECT {', '.join(selected)}", params)
    arrays: Iterator[list[Any]] = iter(cursor.fetchone())
    for insert in inserts:
        if not insert.returning:
            continue
        columns = [next(arrays) for _ in insert.returning]
        insert.returned = list(zip(*columns, strict=True))


# --- PostgreSQL: the rows of each INSERT as one JSON parameter ----------------------------------
#
# `INSERT INTO t (columns) SELECT r.a, r.b, <computed> FROM jsonb_populate_recordset(NULL::t, %s) r`
# reads a table's rows from one JSON array, typed by the table itself. The statement's text is
# then the same whatever the number of lines, with one parameter per table: psycopg converts it
# once and PostgreSQL prepares it once per connection, instead of parsing and planning a new
# statement of a hundred parameters for every order.


def _json_ready(internal_type: str) -> Any:
    """How a field's value becomes a JSON value its column's input function reads back exactly."""
    if internal_type == "DateTimeField":
        return _moment
    if internal_type == "DateField":
        return lambda value: None if value is None else value.isoformat()
    if internal_type == "DecimalField":
        return _decimal
    if internal_type == "UUIDField":
        return lambda value: None if value is None else str(value)
    return None  # JSON as it is: text, numbers, booleans, NULL, and JSONField values


def _decimal(value: Any) -> str | None:
    if value is None:
        return None
    if not math.isfinite(value):  # numeric columns would take NaN; the ORM's field refuses it
        raise TypeError(f"{value} is not an amount.")
    return str(value)


def _moment(value: Any) -> str | None:
    if value is None:
        return None
    if value.utcoffset() is None:
        raise TypeError(f"A naive datetime ({value}) would be stored in the server's time zone; give one with a zone.")
    return str(value.isoformat())


@dataclass(frozen=True)
class _Layout:
    """A model's written fields as the JSON rows need them, worked out once per process."""

    columns: tuple[str, ...]  # in the order the INSERT lists them
    by_attname: dict[str, tuple[str, Any]]  # attname: (column, converter or None)
    fixed: dict[str, Any]  # column: the JSON value of a fixed default (a field a row may leave out)
    made: tuple[tuple[str, Field[Any, Any], Any], ...]  # (column, field, converter): callable defaults


@functools.cache
def _layout(model: type[Model]) -> _Layout:
    fixed: dict[str, Any] = {}
    made = []
    by_attname = {}
    for f in written_fields(model):
        if f.db_default is not NOT_PROVIDED:
            # A row's JSON without the key would store NULL, not the database's default.
            raise TypeError(
                f"{model.__name__}.{f.name} has a db_default, which the JSON rows cannot leave to the database."
            )
        convert = _json_ready(f.get_internal_type())
        by_attname[f.attname] = (f.column, convert)
        if f.has_default() and callable(f.default):
            made.append((f.column, f, convert))
        else:
            default = f.get_default()
            fixed[f.column] = default if convert is None else convert(default)
    return _Layout(tuple(f.column for f in written_fields(model)), by_attname, fixed, tuple(made))


class _Differs(Exception):
    """A value the database computes differs between the rows of one insert."""


def _recordset_insert_sql(insert: Insert, params: list[Any]) -> str | None:
    """The INSERT of `insert` reading its rows from one JSON parameter (appended to `params`).

    A value the database computes (Sql, Ref, the Refs of a JsonWith) is written into the
    statement, so it must be the same in every row of the insert; None when it is not."""
    try:
        computed, records = _records(insert)
    except _Differs:
        return None
    shape = tuple(
        (column, ("json", tuple(value.value.items())) if isinstance(value, JsonWith) else value)
        for column, value in computed.items()
    )
    sql, leading = _recordset_sql(insert.model, shape, insert.on_conflict, insert.returning)
    params.extend(leading)
    params.append(json.dumps(records, ensure_ascii=False, separators=(",", ":")))
    return sql


def _selected_sql(value: Sql | Ref | JsonWith, plain: str, params: list[Any]) -> str:
    """What the SELECT gives a computed column; a JsonWith adds its Refs to the row's `plain` JSON."""
    return _with_refs_sql(plain, value, params) if isinstance(value, JsonWith) else _computed_sql(value, params)


@functools.lru_cache(maxsize=256)
def _recordset_sql(
    model: type[Model], shape: tuple[tuple[str, Any], ...], on_conflict: str, returning: tuple[str, ...]
) -> tuple[str, tuple[Any, ...]]:
    """The statement's text, and the parameters that come before the rows' JSON in it: the
    same for every order of one shape, so built once."""
    computed = {column: JsonWith(dict(value[1])) if isinstance(value, tuple) else value for column, value in shape}
    params: list[Any] = []
    table = _quote(model._meta.db_table)
    columns = _layout(model).columns
    selected = [
        _selected_sql(computed[column], f"r.{_quote(column)}", params) if column in computed else f"r.{_quote(column)}"
        for column in columns
    ]
    sql = (
        f"INSERT INTO {table} ({', '.join(_quote(column) for column in columns)}) "
        f"SELECT {', '.join(selected)} FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb) r"
        f"{' ' + on_conflict if on_conflict else ''}"
        f"{' RETURNING ' + ', '.join(_quote(column) for column in returning) if returning else ''}"
    )
    return sql, tuple(params)


def _records(insert: Insert) -> tuple[dict[str, Sql | Ref | JsonWith], list[dict[str, Any]]]:
    """The values the database computes, by column, and each row's other values as JSON values."""
    layout = _layout(insert.model)
    computed: dict[str, Sql | Ref | JsonWith] = {}
    records = []
    for index, row in enumerate(insert.rows):
        check_row(insert.model, row)
        record = dict(layout.fixed)
        for column, f, convert in layout.made:
            if f.attname not in row:
                record[column] = f.get_default() if convert is None else convert(f.get_default())
        here: dict[str, Sql | Ref | JsonWith] = {}
        for attname, value in row.items():
            column, convert = layout.by_attname[attname]
            kind = type(value)  # exact types: the three below are final dataclasses
            if kind is JsonWith:
                refs = {key: item for key, item in value.value.items() if type(item) is Ref}
                record[column] = {key: item for key, item in value.value.items() if key not in refs}
                if refs:
                    here[column] = JsonWith(refs)
            elif kind is Sql or kind is Ref:
                here[column] = value
            else:
                record[column] = value if convert is None else convert(value)
        if index == 0:
            computed = here
        elif here != computed:
            raise _Differs
        records.append(record)
    return computed, records


# --- the placed order ----------------------------------------------------------------------------

ORDER_ID = Ref("placed", "id")
ORDER_NUMBER = Ref("placed", "number", prefix=NUMBER_PREFIX)
CUSTOMER_ID = Ref("customer", "id")


@dataclass(frozen=True)
class Written:
    customer: Customer
    order: Order
    lines: list[OrderLine]


@dataclass(frozen=True)
class PlacedOrder:
    """What `store_placed_order` writes, as field values, before the database numbers it."""

    customer: dict[str, Any]  # Customer fields
    order: dict[str, Any]  # Order fields but customer_id and number
    lines: list[dict[str, Any]]  # OrderLine fields but order_id
    reservations: list[inventory.Reservation]
    facts: dict[str, Any]  # the timeline entry's facts besides the event's payload


def store_placed_order(*, placed: PlacedOrder, actor: Actor) -> Stored:
    """Write the order and everything stored with it (module docstring), in the current transaction."""
    now = placed.order["created_at"]
    # The event's ids are the database's: zeros here, replaced by what the order's INSERT returns.
    event = OrderPlaced(
        order_id=0, number="", channel=placed.order["channel"], has_waiting_lines=placed.order["has_waiting_lines"]
    )
    ids = {"order_id": ORDER_ID, "number": ORDER_NUMBER}
    event_row, deliveries = emitted_rows(event, at=now)
    event_row["payload"] = JsonWith(event_row["payload"] | ids)
    about = [About(SubjectKind.ORDER, cast(int, ORDER_ID)), About(SubjectKind.CUSTOMER, cast(int, CUSTOMER_ID))]
    entry_row, subjects = entry_rows(event=event, about=about, actor=actor, facts=placed.facts, occurred_at=now)
    entry_row["facts"] = JsonWith(entry_row["facts"] | ids)
    movements = inventory.reservation_movements(
        reservations=placed.reservations, reference=ORDER_NUMBER, actor=actor, at=now
    )
    event_id, entry_id = Ref("event", "id"), Ref("entry", "id")
    inserts = [
        Insert(
            "customer",
            Customer,
            [placed.customer],
            returning=("id",),
            on_conflict=(
                "ON CONFLICT (email) DO UPDATE SET "
                + ", ".join(f"{_quote(name)} = EXCLUDED.{_quote(name)}" for name in UPDATED_ON_UPSERT)
            ),
        ),
        Insert(
            "placed",
            Order,
            [placed.order | {"customer_id": CUSTOMER_ID, "number": Sql(next_number_sql(connection.vendor))}],
            returning=("id", "number", "status_step"),
        ),
        Insert("lines", OrderLine, [line | {"order_id": ORDER_ID} for line in placed.lines], returning=("id",)),
        Insert("movements", StockMovement, movements),
        Insert("event", Event, [event_row], returning=("id",)),
        Insert("deliveries", Delivery, [delivery | {"event_id": event_id} for delivery in deliveries]),
        Insert("entry", Entry, [entry_row | {"event_id": event_id}], returning=("id",)),
        Insert("subjects", Subject, [subject | {"entry_id": entry_id} for subject in subjects]),
    ]
    write(inserts)
    return _stored(placed, inserts)


@dataclass(frozen=True)
class Stored:
    """What the database numbered in the write; `instances()` makes the model instances, which
    the caller does after COMMIT so the reserved stock rows are not held meanwhile."""

    placed: PlacedOrder
    customer_id: int
    order_id: int
    number: int
    status_step: int
    line_ids: list[int]

    def instances(self) -> Written:
        """The written rows as model instances, without reading them back."""
        placed = self.placed
        # Only what this write knows for sure: a customer stored before keeps its public id and
        # creation time, which load when asked for.
        known = {"id": self.customer_id} | {name: placed.customer[name] for name in ("email", *UPDATED_ON_UPSERT)}
        customer = Customer.from_db(connection.alias, list(known), list(known.values()))
        ids = {"id": self.order_id, "number": self.number, "status_step": self.status_step}
        order = _instance(Order, placed.order | ids | {"customer_id": self.customer_id})
        Order.customer.field.set_cached_value(order, customer)
        lines = []
        for line_id, values in zip(self.line_ids, placed.lines, strict=True):
            line = _instance(OrderLine, values | {"id": line_id, "order_id": self.order_id})
            OrderLine.order.field.set_cached_value(line, order)
            lines.append(line)
        return Written(customer=customer, order=order, lines=lines)


def _stored(placed: PlacedOrder, inserts: list[Insert]) -> Stored:
    by_name = {insert.name: insert for insert in inserts}
    ((customer_id,),) = by_name["customer"].returned
    ((order_id, number, status_step),) = by_name["placed"].returned
    line_ids = [line_id for (line_id,) in by_name["lines"].returned]
    return Stored(placed, customer_id, order_id, number, status_step, line_ids)


@functools.cache
def _fields_by_attname(model: type[Model]) -> tuple[tuple[str, Field[Any, Any]], ...]:
    return tuple((f.attname, f) for f in model._meta.concrete_fields)


@functools.cache
def _made_defaults(model: type[Model]) -> frozenset[str]:
    return frozenset(f.attname for f in model._meta.concrete_fields if f.has_default() and callable(f.default))


def _instance(model: type[Model], values: dict[str, Any]) -> Any:
    """A model instance of a row just written (`values` by attname, defaults for the rest), built
    as the ORM builds one it reads: positionally, in the fields' order. A default made by a
    function (a new UUID) would differ from the stored one, so such a field must be in `values`."""
    if missing := _made_defaults(model) - values.keys():
        raise TypeError(f"{model.__name__}: give {sorted(missing)} in the row, or load the instance.")
    fields = _fields_by_attname(model)
    return model.from_db(
        connection.alias,
        [name for name, _ in fields],
        [values[name] if name in values else f.get_default() for name, f in fields],
    )
