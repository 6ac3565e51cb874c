"""One ticket at the desk: the conversation and, beside it, everything the shop knows of the
customer (C6), with the actions an agent takes from there.

Every form posts to the ticket's own address with its step in `action`; a refusal shows the page
again with the message next to the field (400, or 409 when the ticket moved on), a success is a
303 back with a notice. Two htmx partials keep the page live: the conversation (every 5 s, a 204
when nothing is new) and who else has the ticket open (every 10 s).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Max, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from emporos.access.roles import Permission, can
from emporos.core import clock, money
from emporos.core.errors import DomainError, ValidationFailed
from emporos.customers.models import CouponKind
from emporos.desk.auth import actor_for, staff_required, staff_role
from emporos.desk.forms import DeskForm, show_error
from emporos.desk.responses import post_only
from emporos.desk.views.support import CallForm, agent_name, agents, no_ticket
from emporos.desk.views.support_forms import (
    AssignForm,
    ClassifyForm,
    CouponForm,
    LinkOrderForm,
    NoteForm,
    PickupPointForm,
    ReplyForm,
    StatusForm,
)
from emporos.fulfillment import pickup_points
from emporos.orders.models import Order
from emporos.shop import selectors as shop
from emporos.support import calls, context, desk_actions, labels, macros, presence, queue, services
from emporos.support.models import Attachment, Macro, Message, Ticket
from emporos.timeline import selectors as timeline
from emporos.timeline.models import SubjectKind

MAX_MINUTES_SPENT = 240


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def ticket_by_public_id(public_id: UUID) -> Ticket | None:
    return (
        Ticket.objects.select_related("customer", "order", "assignee", "shipment").filter(public_id=public_id).first()
    )


def ticket_url(ticket: Ticket, anchor: str = "") -> str:
    return reverse("desk:support_ticket", args=[ticket.public_id]) + (f"#{anchor}" if anchor else "")


# --- the page ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MacroChoice:
    macro: Macro
    text: str


@dataclass(frozen=True)
class Conversation:
    messages: list[Message]
    version: str  # changes whenever a message is added: the polling asks "anything newer?"


def conversation_of(ticket: Ticket) -> Conversation:
    rows = list(
        ticket.messages.select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.defer("content").order_by("pk")))
        .order_by("sent_at", "pk")
    )
    return Conversation(rows, _version(ticket))


def _version(ticket: Ticket) -> str:
    found = ticket.messages.aggregate(last=Max("pk"))
    return f"{ticket.messages.count()}-{found['last'] or 0}"


def _forms(ticket: Ticket, orders: list[Order], failed: tuple[str, forms.Form] | None) -> dict[str, forms.Form]:
    blank: dict[str, forms.Form] = {
        "reply": ReplyForm(prefix="reply", initial={"opened_at": clock.now().isoformat(), "status": "pending"}),
        "note": NoteForm(prefix="note"),
        "assign": AssignForm(prefix="assign", initial={"assignee": ticket.assignee_id or ""}),
        "status": StatusForm(prefix="status", initial={"status": ticket.status}),
        "classify": ClassifyForm(
            prefix="classify",
            initial={"topic": ticket.topic, "priority": ticket.priority, "tags": ", ".join(ticket.tags)},
        ),
        "link_order": LinkOrderForm(prefix="link", orders=orders),
        "call": CallForm(prefix="call"),
        "coupon": CouponForm(prefix="coupon", initial={"kind": CouponKind.PERCENT, "valid_days": 90}),
        "pickup_point": PickupPointForm(prefix="pickup"),
    }
    if failed is not None:
        blank[failed[0]] = failed[1]
    return blank


def _macro_choices(ticket: Ticket, request: HttpRequest) -> list[MacroChoice]:
    name = agent_name(request.user) if isinstance(request.user, User) else ""
    return [MacroChoice(macro, macros.filled(macro, ticket, agent_name=name)) for macro in macros.ordered()]


def _picked_macro(request: HttpRequest, choices: list[MacroChoice]) -> MacroChoice | None:
    wanted = request.GET.get("macro", "")
    return next((choice for choice in choices if str(choice.macro.pk) == wanted), None)


FIELDLESS = ("claim", "unassign", "resend_tracking")


def _errors_of(form: forms.Form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def render_ticket(
    request: HttpRequest, ticket: Ticket, *, failed: tuple[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    now = clock.now()
    about = context.of_ticket(ticket)
    forms_shown = _forms(ticket, about.orders, failed)
    macro_choices = _macro_choices(ticket, request)
    picked = _picked_macro(request, macro_choices) if failed is None else None
    if picked is not None:  # without JavaScript: "Insert" reloads the page with the reply filled in
        forms_shown["reply"] = ReplyForm(
            prefix="reply",
            initial={
                "text": picked.text,
                "status": picked.macro.set_status or "pending",
                "macro": picked.macro.pk,
                "opened_at": now.isoformat(),
            },
        )
    user = _user(request)
    context_data = {
        "section": "support",
        "ticket": ticket,
        "sla": queue.sla_state(ticket, now=now),
        "conversation": conversation_of(ticket),
        "about": about,
        "forms": forms_shown,
        "failed": failed[0] if failed else "",
        "action_errors": _errors_of(failed[1]) if failed and failed[0] in FIELDLESS else [],
        "macros": macro_choices,
        "picked_macro": picked,
        "others": presence.others(ticket=ticket, staff=user, now=now) if user is not None else [],
        "may_refund": can(staff_role(request), Permission.REFUND),
        "may_move": ticket.order is not None and pickup_points.may_change(ticket.order),
        "pickup_point": (ticket.order.shipping_address or {}).get("pickup_point", "") if ticket.order else "",
        "is_mine": user is not None and ticket.assignee_id == user.pk,
        "timeline": timeline.timeline_of(
            SubjectKind.TICKET, ticket.pk, language=get_language(), time_zone=shop.current().time_zone, limit=50
        ),
    }
    if user is not None:
        presence.seen(ticket=ticket, staff=user, is_replying=False, now=now)
    return render(request, "desk/support/ticket.html", context_data, status=status)


@staff_required(Permission.ANSWER_CUSTOMERS)
@require_http_methods(["GET", "POST"])
def ticket_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    ticket = ticket_by_public_id(public_id)
    if ticket is None:
        return no_ticket(request)
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            return render_ticket(request, ticket, status=400)
        return action(request, ticket)
    return render_ticket(request, ticket)


# --- the actions --------------------------------------------------------------------------------------

Done = Callable[[dict[str, Any]], str]


def _run(
    request: HttpRequest, ticket: Ticket, name: str, form: forms.Form, done: Done, anchor: str = ""
) -> HttpResponse:
    """Validate `form`, run `done` with its data (it calls the service and says what happened)."""
    if not form.is_valid():
        return render_ticket(request, ticket, failed=(name, form), status=400)
    try:
        said = done(form.cleaned_data)
    except DomainError as error:
        show_error(form, error)
        fresh = ticket_by_public_id(ticket.public_id) or ticket
        return render_ticket(
            request, fresh, failed=(name, form), status=400 if isinstance(error, ValidationFailed) else 409
        )
    messages.success(request, said)
    return HttpResponseRedirect(ticket_url(ticket, anchor), status=303)


def _minutes_since(opened_at: str) -> int:
    """Minutes since the page was opened (its hidden field), capped: a tab left open all day is no work."""
    try:
        opened = dt.datetime.fromisoformat(opened_at)
    except ValueError:
        return 0
    if opened.tzinfo is None:
        return 0
    minutes = int((clock.now() - opened).total_seconds() // 60)
    return max(0, min(minutes, MAX_MINUTES_SPENT))


def _reply(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = ReplyForm(request.POST, prefix="reply")

    def done(data: dict[str, Any]) -> str:
        macro = Macro.objects.filter(pk=data["macro"]).first() if data["macro"] else None
        desk_actions.reply_with_macro(
            ticket=ticket,
            text=data["text"],
            actor=actor_for(request),
            author=_user(request),
            status=data["status"],
            minutes_spent=_minutes_since(data["opened_at"]),
            macro=macro,
        )
        return _("Answer sent; the ticket is now: %(status)s.") % {
            "status": labels.label("status", data["status"]).lower()
        }

    return _run(request, ticket, "reply", form, done, "conversation")


def _note(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    def done(data: dict[str, Any]) -> str:
        services.add_note(ticket=ticket, text=data["text"], actor=actor_for(request), author=_user(request))
        return _("Internal note added.")

    return _run(request, ticket, "note", NoteForm(request.POST, prefix="note"), done, "conversation")


def _claim(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    def done(data: dict[str, Any]) -> str:
        services.assign(ticket=ticket, assignee=_user(request), actor=actor_for(request))
        return _("Ticket #%(number)s is yours.") % {"number": ticket.number}

    return _run(request, ticket, "claim", DeskForm(request.POST), done)


def _assign(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = AssignForm(request.POST, prefix="assign")

    def done(data: dict[str, Any]) -> str:
        assignee = next(user for user in agents() if str(user.pk) == data["assignee"])
        services.assign(ticket=ticket, assignee=assignee, actor=actor_for(request))
        return _("Ticket #%(number)s assigned to %(name)s.") % {"number": ticket.number, "name": agent_name(assignee)}

    return _run(request, ticket, "assign", form, done)


def _unassign(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    def done(data: dict[str, Any]) -> str:
        services.assign(ticket=ticket, assignee=None, actor=actor_for(request))
        return _("Ticket #%(number)s is left to anyone.") % {"number": ticket.number}

    return _run(request, ticket, "unassign", DeskForm(request.POST), done)


def _status(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    def done(data: dict[str, Any]) -> str:
        services.set_status(ticket=ticket, status=data["status"], actor=actor_for(request))
        return _("Ticket #%(number)s is now: %(status)s.") % {
            "number": ticket.number,
            "status": labels.label("status", data["status"]).lower(),
        }

    return _run(request, ticket, "status", StatusForm(request.POST, prefix="status"), done)


def _classify(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    def done(data: dict[str, Any]) -> str:
        services.classify(
            ticket=ticket,
            actor=actor_for(request),
            topic=data["topic"],
            priority=data["priority"],
            tags=[tag for tag in data["tags"].split(",") if tag.strip()],
        )
        return _("Topic, priority and tags saved.")

    return _run(request, ticket, "classify", ClassifyForm(request.POST, prefix="classify"), done)


def _link_order(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    orders = context.of_ticket(ticket).orders
    form = LinkOrderForm(request.POST, prefix="link", orders=orders)

    def done(data: dict[str, Any]) -> str:
        order = next(order for order in orders if order.display_number == data["order"])
        services.link_order(ticket=ticket, order=order, actor=actor_for(request))
        return _("Ticket tied to order %(order)s.") % {"order": order.display_number}

    return _run(request, ticket, "link_order", form, done)


def _call(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    def done(data: dict[str, Any]) -> str:
        calls.log_call(
            customer=ticket.customer,
            outcome=data["outcome"],
            notes=data["notes"],
            actor=actor_for(request),
            author=_user(request),
            inbound=data["direction"] == "in",
            order=ticket.order,
            ticket=ticket,
            minutes=data["minutes"] or 0,
        )
        return _("Call logged.")

    return _run(request, ticket, "call", CallForm(request.POST, prefix="call"), done, "conversation")


def _resend_tracking(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    def done(data: dict[str, Any]) -> str:
        desk_actions.resend_tracking_link(ticket=ticket, actor=actor_for(request), author=_user(request))
        return _("The order's status link was sent to the customer again.")

    return _run(request, ticket, "resend_tracking", DeskForm(request.POST), done, "conversation")


def _coupon(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    currency = ticket.order.currency if ticket.order is not None else money.accepted_currencies()[0]

    def done(data: dict[str, Any]) -> str:
        sent = desk_actions.send_coupon(
            ticket=ticket,
            kind=data["kind"],
            value=data["value"],
            currency=currency,
            valid_days=data["valid_days"],
            actor=actor_for(request),
            author=_user(request),
        )
        return _("Coupon %(code)s sent to the customer.") % {"code": sent.coupon.code}

    return _run(request, ticket, "coupon", CouponForm(request.POST, prefix="coupon"), done, "conversation")


def _pickup_point(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = PickupPointForm(request.POST, prefix="pickup")
    if ticket.order is None:
        form.add_error(None, _("Tie the ticket to an order first."))
        return render_ticket(request, ticket, failed=("pickup_point", form), status=400)
    order = ticket.order

    def done(data: dict[str, Any]) -> str:
        pickup_points.change_pickup_point(order=order, point=data["point"], note=data["note"], actor=actor_for(request))
        return _("Order %(number)s now goes to pickup point %(point)s.") % {
            "number": order.display_number,
            "point": data["point"].strip(),
        }

    return _run(request, ticket, "pickup_point", form, done, "ticket-actions")


ACTIONS: dict[str, Callable[[HttpRequest, Ticket], HttpResponse]] = {
    "reply": _reply,
    "note": _note,
    "claim": _claim,
    "assign": _assign,
    "unassign": _unassign,
    "status": _status,
    "classify": _classify,
    "link_order": _link_order,
    "call": _call,
    "resend_tracking": _resend_tracking,
    "coupon": _coupon,
    "pickup_point": _pickup_point,
}


# --- the live parts -------------------------------------------------------------------------------------


@staff_required(Permission.ANSWER_CUSTOMERS)
@require_GET
def conversation_partial(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The conversation, for the page's polling: 204 (nothing to swap) while `seen` is current."""
    ticket = ticket_by_public_id(public_id)
    if ticket is None:
        return HttpResponse(status=404)
    if request.GET.get("seen") == _version(ticket):
        return HttpResponse(status=204)
    return render(
        request, "desk/support/_conversation.html", {"ticket": ticket, "conversation": conversation_of(ticket)}
    )


def _to_the_ticket(request: HttpRequest, public_id: UUID) -> str:
    return reverse("desk:support_ticket", args=[public_id])


@staff_required(Permission.ANSWER_CUSTOMERS)
@post_only(_to_the_ticket)
def presence_partial(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Record that this agent has the ticket open (typing an answer or not) and say who else has."""
    ticket = ticket_by_public_id(public_id)
    user = _user(request)
    if ticket is None or user is None:
        return HttpResponse(status=404)
    now = clock.now()
    presence.seen(ticket=ticket, staff=user, is_replying=request.POST.get("is_replying") == "1", now=now)
    return render(
        request, "desk/support/_presence.html", {"others": presence.others(ticket=ticket, staff=user, now=now)}
    )
