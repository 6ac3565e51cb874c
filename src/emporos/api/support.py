"""Support over the API: a storefront's contact form opens tickets; integrators read them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Header, Router, Schema
from pydantic import Field, StringConstraints

from emporos.access.models import Scope
from emporos.api import schemas
from emporos.api.auth import ApiKeyAuth, actor_of
from emporos.api.idempotency import key_problem, request_fingerprint
from emporos.api.problems import field_problem
from emporos.api.schemas import In, PlainText, one_of
from emporos.core import cursor as cursors
from emporos.core.contact import InvalidContact, normalize_email
from emporos.core.errors import NotFound
from emporos.customers import identity
from emporos.customers.models import Customer
from emporos.orders.models import Order
from emporos.orders.numbers import parse_number
from emporos.support import services
from emporos.support.errors import TicketAlreadyOpened, TicketIdempotencyKeyReused
from emporos.support.models import Channel, Direction, Status, Ticket, Topic

router = Router(tags=["support"])
read = ApiKeyAuth(Scope.SUPPORT_READ)
write = ApiKeyAuth(Scope.SUPPORT_WRITE)

Cursor = Annotated[str, Field(max_length=500, json_schema_extra={"pattern": schemas.CURSOR_PATTERN})]
Limit = Annotated[int, Field(json_schema_extra={"minimum": 1, "maximum": 200})]


class TicketIn(In):
    email: Annotated[str, StringConstraints(min_length=3, max_length=254), PlainText()]
    name: schemas.Name
    order: Annotated[str, StringConstraints(max_length=32), PlainText()] | None = None
    topic: Annotated[schemas.Word, one_of(Topic.values)] = "other"
    message: Annotated[str, StringConstraints(min_length=1, max_length=20_000), PlainText(multiline=True)]
    subject: Annotated[str, StringConstraints(max_length=300), PlainText()] = ""
    language: Annotated[schemas.Word, one_of(["en", "el", "pl", "he"])] | None = None


class CustomerOut(Schema):
    email: str
    name: str


class AttachmentOut(Schema):
    filename: str
    content_type: str
    size_bytes: int


class MessageOut(Schema):
    id: str
    direction: str = Field(
        description="in (from the customer) or out (to the customer); internal notes are not listed."
    )
    channel: str
    sender: str
    text: str
    sent_at: dt.datetime
    automatic: bool = Field(description="Sent by Emporos (the acknowledgement, the survey), not a person.")
    attachments: list[AttachmentOut]


class TicketBase(Schema):
    id: str = Field(description="The ticket's id (a UUID).")
    number: int = Field(description='Shown to people as "#1042".')
    status: str = Field(description="open, pending (waiting for the customer) or solved.")
    channel: str = Field(description="Where it started: email, web, chat, phone, survey or proactive.")
    subject: str
    topic: str
    priority: str
    customer: CustomerOut
    order: str | None
    reply_by: dt.datetime | None = Field(description="The answer promised to the customer by then.")
    due_at: dt.datetime | None = Field(description="The next SLA deadline; empty while waiting for the customer.")
    message_count: int = Field(description="Messages to and from the customer (internal notes not counted).")
    created_at: dt.datetime
    updated_at: dt.datetime


class TicketOut(TicketBase):
    messages: int = Field(description="How many messages (the same as message_count).")


class TicketDetailOut(TicketBase):
    messages: list[MessageOut] = Field(description="The conversation, oldest first; internal notes are not listed.")


class TicketPageOut(Schema):
    items: list[TicketOut]
    next_cursor: str | None


def _summary(ticket: Ticket, *, count: int) -> dict[str, Any]:
    return {
        "id": str(ticket.public_id),
        "number": ticket.number,
        "status": ticket.status,
        "channel": ticket.channel,
        "subject": ticket.subject,
        "topic": ticket.topic,
        "priority": ticket.priority,
        "customer": {"email": ticket.contact_email or ticket.customer.email, "name": ticket.customer.name},
        "order": ticket.order.display_number if ticket.order is not None else None,
        "reply_by": ticket.reply_by,
        "due_at": ticket.due_at,
        "messages": count,
        "message_count": count,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
    }


def _detail(ticket: Ticket) -> dict[str, Any]:
    conversation = [
        {
            "id": str(message.public_id),
            "direction": message.direction,
            "channel": message.channel,
            "sender": message.sender,
            "text": message.text,
            "sent_at": message.sent_at,
            "automatic": message.is_automatic,
            "attachments": [
                {"filename": item.filename, "content_type": item.content_type, "size_bytes": item.size_bytes}
                for item in message.attachments.all()
            ],
        }
        for message in ticket.messages.exclude(direction=Direction.NOTE)
        .prefetch_related("attachments")
        .order_by("sent_at", "pk")
    ]
    return {**_summary(ticket, count=len(conversation)), "messages": conversation}


def _ticket(ticket_id: str) -> Ticket:
    try:
        public_id = uuid.UUID(ticket_id)
    except ValueError:
        public_id = None
    ticket = (
        Ticket.objects.filter(public_id=public_id).select_related("customer", "order").first() if public_id else None
    )
    if ticket is None:
        raise NotFound(f"There is no ticket {ticket_id}.", code="ticket_not_found")
    return ticket


_VISIBLE = ~Q(messages__direction=Direction.NOTE)


@router.get(
    "/tickets",
    auth=read,
    response={200: TicketPageOut, 422: schemas.Problem},
    summary="List tickets (newest first)",
)
def list_tickets(
    request: HttpRequest,
    order: Annotated[str, StringConstraints(max_length=32), PlainText()] | None = None,
    status: Annotated[schemas.Word, one_of(Status.values)] | None = None,
    email: Annotated[str, StringConstraints(max_length=254), PlainText()] | None = None,
    cursor: Cursor | None = None,
    limit: Limit = 50,
) -> Any:
    """Filter by `order` (its number, e.g. EM-10042), `status` or the customer's `email`; follow
    `next_cursor` for the next page."""
    if not 1 <= limit <= 200:
        return field_problem(422, "out_of_range", "Bad limit", field="limit", message="limit must be from 1 to 200.")
    rows = Ticket.objects.select_related("customer", "order").annotate(count=Count("messages", filter=_VISIBLE))
    if order:
        number = parse_number(order)
        if number is None:
            return field_problem(
                422, "invalid", "Bad order", field="order", message="Give an order number such as EM-10042."
            )
        rows = rows.filter(order__number=number)
    if status:
        rows = rows.filter(status=status)
    if email:
        customer = identity.find_by_email(email.strip().lower())
        rows = rows.filter(customer=customer) if customer is not None else rows.none()
    if cursor:
        try:
            created, pk = cursors.decode(cursor, size=2)
        except cursors.BadCursor as exc:
            return field_problem(422, "bad_cursor", "Bad cursor", field="cursor", message=str(exc))
        moment = dt.datetime.fromisoformat(str(created))
        rows = rows.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=int(pk)))
    page = list(rows.order_by("-created_at", "-pk")[: limit + 1])
    following = None
    if len(page) > limit:
        page = page[:limit]
        last = page[-1]
        following = cursors.encode([last.created_at.isoformat(), last.pk])
    return {"items": [_summary(ticket, count=ticket.count) for ticket in page], "next_cursor": following}


@router.get(
    "/tickets/{ticket_id}",
    auth=read,
    response={200: TicketDetailOut, 404: schemas.Problem},
    summary="One ticket with its conversation",
)
def get_ticket(request: HttpRequest, ticket_id: schemas.PublicId) -> Any:
    return _detail(_ticket(ticket_id))


@router.post(
    "/tickets",
    auth=write,
    response={
        201: TicketDetailOut,
        200: TicketDetailOut,
        400: schemas.Problem,
        409: schemas.Problem,
        422: schemas.Problem,
    },
    summary="Open a ticket from the storefront's contact form (idempotent with Idempotency-Key)",
)
def create_ticket(
    request: HttpRequest,
    payload: TicketIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> Any:
    """A customer's message: the ticket opens with a promised reply-by time, and the customer is
    acknowledged by e-mail in their language. `order` must be one of this customer's orders. The
    same Idempotency-Key with the same body returns the first ticket (200); with another body, 409."""
    if (missing := key_problem(idempotency_key, what="ticket")) is not None:
        return missing
    try:
        email = normalize_email(payload.email)
    except InvalidContact as exc:
        return field_problem(422, "invalid", "Bad e-mail address", field="email", message=str(exc))
    fingerprint = request_fingerprint(payload)
    source_key = f"api:{request.auth.prefix}:{idempotency_key}"  # type: ignore[attr-defined]
    existing = Ticket.objects.filter(source_key=source_key).first()
    if existing is not None:
        if existing.fingerprint != fingerprint:
            raise TicketIdempotencyKeyReused(
                "This Idempotency-Key was used for another ticket; use a new key for a new message."
            )
        return 200, _detail(_ticket(str(existing.public_id)))
    customer = identity.customer_for_email(email, name=payload.name, language=payload.language or "en")
    order = None
    if payload.order:
        number = parse_number(payload.order)
        order = Order.objects.filter(number=number, customer=customer).first() if number is not None else None
        if order is None:
            return field_problem(
                422,
                "unknown_order",
                "Unknown order",
                field="order",
                message=f"{payload.order} is not an order of {email}; leave it out or check the number.",
            )
    try:
        ticket = _open(
            request,
            payload,
            customer=customer,
            order=order,
            email=email,
            source_key=source_key,
            fingerprint=fingerprint,
        )
    except TicketAlreadyOpened:
        existing = Ticket.objects.get(source_key=source_key)
        if existing.fingerprint != fingerprint:
            raise TicketIdempotencyKeyReused(
                "This Idempotency-Key was used for another ticket; use a new key for a new message."
            ) from None
        return 200, _detail(_ticket(str(existing.public_id)))
    return 201, _detail(_ticket(str(ticket.public_id)))


def _open(
    request: HttpRequest,
    payload: TicketIn,
    *,
    customer: Customer,
    order: Order | None,
    email: str,
    source_key: str,
    fingerprint: str,
) -> Ticket:
    return services.open_ticket(
        customer=customer,
        subject=payload.subject or (payload.message.strip().splitlines() or [""])[0][:80],
        first=services.Inbound(channel=Channel.WEB, text=payload.message, sender=email),
        actor=actor_of(request),
        topic=payload.topic,
        order=order,
        language=payload.language or customer.language,
        contact_email=email,
        source_key=source_key,
        fingerprint=fingerprint,
    )
