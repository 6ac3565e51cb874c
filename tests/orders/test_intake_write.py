"""The hand-written write of intake agrees with the models, and stores what the models would."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, models
from django.test import Client

from emporos.customers.models import Customer
from emporos.inventory.models import StockMovement
from emporos.orders.models import Order, OrderLine
from emporos.orders.services import intake_write
from emporos.outbox.models import Delivery, Event
from emporos.outbox.registry import handlers_for
from emporos.timeline.models import Entry, Subject
from tests.conftest import order_body, timeline

WRITTEN_MODELS = [Customer, Order, OrderLine, StockMovement, Event, Delivery, Entry, Subject]


def _columns(model: type[models.Model]) -> dict[str, Any]:
    with connection.cursor() as cursor:
        return {
            column.name: column
            for column in connection.introspection.get_table_description(cursor, model._meta.db_table)
        }


@pytest.mark.django_db
@pytest.mark.parametrize("model", WRITTEN_MODELS, ids=lambda model: model.__name__)
def test_every_column_of_the_table_is_written_by_its_model_name(model: type[models.Model]) -> None:
    """Given the migrated table, when intake_write lists the columns it writes, then they are
    exactly the table's columns but the primary key and generated ones, named as in the model."""
    written = {field.column for field in intake_write.written_fields(model)}
    generated = {field.column for field in model._meta.concrete_fields if getattr(field, "generated", False)}

    assert written == set(_columns(model)) - {model._meta.pk.column} - generated  # type: ignore[union-attr]


@pytest.mark.parametrize("model", WRITTEN_MODELS, ids=lambda model: model.__name__)
def test_required_fields_are_the_not_null_ones_without_a_default(model: type[models.Model]) -> None:
    expected = {
        field.attname
        for field in model._meta.concrete_fields
        if not field.primary_key
        and not getattr(field, "generated", False)
        and not field.null
        and not field.has_default()
        and field.db_default is models.NOT_PROVIDED
    }

    assert intake_write.required_fields(model) == expected


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"email": "a@example.gr", "name": "A", "created_at": 1, "updated_at": 1, "nickname": "x"}, "['nickname']"),
        ({"email": "a@example.gr", "created_at": 1, "updated_at": 1}, "missing required fields ['name']"),
    ],
    ids=["unknown field", "missing required field"],
)
def test_a_row_that_does_not_fit_the_model_is_refused_before_anything_is_sent(
    row: dict[str, Any], problem: str
) -> None:
    with pytest.raises(TypeError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        intake_write.check_row(Customer, row)


def _post(api: Client, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post(
        "/api/v1/orders", body, content_type="application/json", headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


@pytest.mark.django_db
@pytest.mark.usefixtures("catalog")
def test_the_stored_order_is_what_the_answer_and_the_models_say(api: Client) -> None:
    """Given a reserved line, a backordered one and a made-to-order one, when the order is placed,
    then every stored row reads back through the ORM as written, with the ORM's defaults, and
    the answer (built from the write's own instances) matches the stored order."""
    body = order_body(
        lines=[
            {"sku": "TEA-100", "quantity": 2, "unit_price": "19.90"},
            {"sku": "MUG-1", "quantity": 3, "unit_price": "12.00"},  # 1 in stock: backordered
            {"sku": "ICON-1", "quantity": 1, "unit_price": "80.00"},
        ],
        total="159.30",
    )

    answer = _post(api, body)

    order = Order.objects.select_related("customer").get(number=int(answer["number"].removeprefix("EM-")))
    assert answer["has_waiting_lines"] is True
    assert order.has_waiting_lines is True
    assert (order.status, order.fulfillment_status, order.amount_refunded) == ("placed", "unfulfilled", Decimal(0))
    assert order.status_step == Order.objects.values_list("status_step", flat=True).get(pk=order.pk)
    assert (order.customer.email, order.customer.search_name) == ("maria@example.gr", "μαρια παπαδοπουλου")
    lines = list(order.lines.order_by("id"))
    assert [(line.sku, line.quantity, line.stock_state, line.quantity_shipped) for line in lines] == [
        ("TEA-100", 2, "reserved", 0),
        ("MUG-1", 3, "backordered", 0),
        ("ICON-1", 1, "made_to_order", 0),
    ]
    assert [line["location"] for line in answer["lines"]] == ["athens", None, None]
    movements = list(
        StockMovement.objects.filter(reference=order.display_number).values_list("reason", "reserved_delta")
    )
    assert movements == [("reserved", 2)]

    event = Event.objects.get(topic="orders.order_placed")
    assert event.payload == {
        "order_id": order.pk,
        "number": order.display_number,
        "channel": "web",
        "has_waiting_lines": True,
    }
    assert sorted(Delivery.objects.filter(event=event).values_list("handler", "status", "attempts")) == sorted(
        (handler.name, "pending", 0) for handler in handlers_for("orders.order_placed")
    )
    entry = Entry.objects.get(event=event)
    assert entry.facts == event.payload | {
        "units": 6,
        "total": "159.30",
        "currency": "EUR",
        "payment_method": "card",
        "payment_status": "paid",
    }
    assert sorted(Subject.objects.filter(entry=entry).values_list("kind", "ref_id")) == [
        ("customer", order.customer_id),
        ("order", order.pk),
    ]
    assert [item.kind for item in timeline(order)] == ["orders.order_placed"]


@pytest.mark.django_db
@pytest.mark.usefixtures("catalog")
def test_a_returning_customer_keeps_their_public_id_and_gets_the_latest_details(api: Client) -> None:
    first = _post(api, order_body())
    customer = Customer.objects.get(email="maria@example.gr")

    _post(api, order_body(customer={"email": "MARIA@example.gr", "name": "Maria P.", "language": "en"}))

    again = Customer.objects.get(pk=customer.pk)
    assert (again.public_id, again.created_at) == (customer.public_id, customer.created_at)
    assert (again.name, again.language, again.phone) == ("Maria P.", "en", "")
    assert Customer.objects.count() == 1
    assert first["customer"]["email"] == "maria@example.gr"


@pytest.mark.django_db
@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize("same_request", [True, False], ids=["same request", "another request"])
def test_a_repeated_request_that_took_the_last_units_is_the_stored_order(api: Client, *, same_request: bool) -> None:
    """Given TEA-250's last 5 units taken by an order, when the same
    Idempotency-Key comes again (its stock now gone), then the same request gets the stored
    order (200) and another request with that key is refused for the key, not for stock."""
    body = order_body(lines=[{"sku": "TEA-250", "quantity": 5, "unit_price": "10.00"}], total="53.50")
    headers = {"Idempotency-Key": "last-units"}
    first = api.post("/api/v1/orders", body, content_type="application/json", headers=headers)
    assert first.status_code == 201, first.content

    again = api.post(
        "/api/v1/orders",
        body if same_request else body | {"customer_note": "another"},
        content_type="application/json",
        headers=headers,
    )

    if same_request:
        assert again.status_code == 200, again.content
        assert again.json()["number"] == first.json()["number"]
    else:
        assert again.status_code == 409, again.content
        assert "Idempotency-Key last-units was used for a different request" in again.json()["detail"]
    assert Order.objects.count() == 1
    assert StockMovement.objects.filter(reason="reserved").count() == 1


def _statements_of(api: Client, body: dict[str, Any]) -> list[str]:
    """The statements' texts as sent (parameters apart)."""
    sent: list[str] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        _post(api, body)
    return [sql for sql in sent if "SAVEPOINT" not in sql]  # the test's own transaction


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.usefixtures("catalog")
def test_orders_of_any_size_send_statements_of_the_same_text(api: Client) -> None:
    """Given orders of one and of three lines, when they are placed, then they send the same
    statement texts (the reservation once per line), so PostgreSQL prepares each of them once
    per connection and psycopg converts each once per process."""
    _post(api, order_body())  # the API key and the shop's settings are read once, then remembered
    one = _statements_of(api, order_body())
    three = _statements_of(
        api,
        order_body(
            lines=[
                {"sku": "TEA-100", "quantity": 1, "unit_price": "19.90"},
                {"sku": "TEA-250", "quantity": 1, "unit_price": "10.00"},
                {"sku": "MUG-1", "quantity": 1, "unit_price": "12.00"},
            ],
            total="45.40",
        ),
    )

    assert len(three) == len(one) + 2
    assert set(three) == set(one)


@pytest.mark.parametrize("model", [Order, OrderLine], ids=lambda model: model.__name__)
def test_the_instances_made_after_commit_need_no_default_made_by_a_function(model: type[models.Model]) -> None:
    """Order and OrderLine instances are built from the written rows after COMMIT; a field whose
    default is made by a function (a new UUID) would differ from the stored value, so such a
    field must be added to the rows intake writes (then this test is updated)."""
    assert intake_write._made_defaults(model) == frozenset()


def test_a_model_with_a_database_default_is_refused_by_the_json_rows() -> None:
    class WithDbDefault(models.Model):
        note = models.CharField(max_length=10, db_default="x")

        class Meta:
            app_label = "orders"

    with pytest.raises(TypeError, match="db_default"):
        intake_write._layout(WithDbDefault)
