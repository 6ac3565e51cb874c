"""The chat on the order's status page: the customer's lines go into the order's open chat
conversation (or open one), the shop's answers appear as the page polls (htmx, every 3 s, a 204
when nothing changed). Outside opening hours the panel says so: the answer comes by e-mail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from emporos.access.throttle import client_address
from emporos.core import clock as wall
from emporos.core import formats
from emporos.core.actor import Actor
from emporos.core.errors import ValidationFailed
from emporos.core.text import text_problem
from emporos.orders import links as order_links
from emporos.orders.models import Order
from emporos.portal import throttle
from emporos.portal.support_views import promised_by
from emporos.portal.views import _asked_language, _language, _private
from emporos.shop import selectors as shop
from emporos.support import policy, services, words
from emporos.support.models import OPEN_STATUSES, Channel, Direction, Message, Ticket, Topic

CHAT_LINE_MAX_LENGTH = 2000
POLL_SECONDS = 3


@dataclass(frozen=True)
class ChatLine:
    direction: str  # "in" from the customer, "out" from the shop
    who: str
    text: str
    sent_at: dt.datetime
    when: str


def latest_chat(order: Order) -> Ticket | None:
    """The order's latest chat conversation, open or not (what the panel shows)."""
    return Ticket.objects.filter(order=order, channel=Channel.CHAT).order_by("-created_at", "-pk").first()


def open_chat(order: Order) -> Ticket | None:
    return (
        Ticket.objects.filter(order=order, channel=Channel.CHAT, status__in=OPEN_STATUSES)
        .order_by("-updated_at", "-pk")
        .first()
    )


def chat_lines(ticket: Ticket, *, language: str) -> list[ChatLine]:
    """What the customer and the shop said, in order; notes and automatic e-mails left out."""
    messages = (
        Message.objects.filter(ticket=ticket, direction__in=[Direction.IN, Direction.OUT], automatic="")
        .select_related("author")
        .order_by("sent_at", "pk")
    )
    zone = shop.current().time_zone
    today = wall.now().astimezone(shop.time_zone()).date()
    lines = []
    for message in messages:
        same_day = message.sent_at.astimezone(shop.time_zone()).date() == today
        when = (formats.time if same_day else formats.short_datetime)(
            message.sent_at, language=language, time_zone=zone
        )
        lines.append(
            ChatLine(
                direction=message.direction,
                who=_("You") if message.direction == Direction.IN else _agent_name(message),
                text=message.text,
                sent_at=message.sent_at,
                when=when,
            )
        )
    return lines


def _agent_name(message: Message) -> str:
    """The first name of the person who answered, or the shop's name."""
    first = message.author.first_name.strip() if message.author is not None else ""
    return first or shop.current().name


def chat_context(order: Order, token: str, *, language: str) -> dict[str, Any]:
    """What the panel shows now; `state` changes whenever anything on it would."""
    ticket = latest_chat(order)
    now = wall.now()
    calendar = policy.calendar()
    is_open = calendar.is_open(now)
    lines = chat_lines(ticket, language=language) if ticket is not None else []
    going_on = ticket is not None and ticket.status in OPEN_STATUSES
    waiting = going_on and ticket is not None and ticket.customer_waiting_since is not None
    promised = promised_by(ticket) if waiting and ticket is not None else None
    last = ticket.messages.order_by("-pk").values_list("pk", flat=True).first() if ticket is not None else None
    return {
        # In the page's language: the conversation opens in the language the customer reads.
        "chat_url": f"{reverse('portal:order_chat', args=[token])}?lang={language}",
        "lines": lines,
        "is_open": is_open,
        "waiting": waiting,
        "reply_by": words.reply_by_text(promised, language=language) if promised else "",
        "opens_at": "" if is_open else words.reply_by_text(calendar.next_open(now), language=language),
        "polling": going_on,
        "poll_seconds": POLL_SECONDS,
        "state": f"{ticket.pk if ticket else 0}.{last or 0}.{ticket.status if ticket else ''}.{int(is_open)}",
    }


@require_http_methods(["GET", "POST"])
@never_cache
def order_chat(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the conversation (204 when it is as the page last saw it); POST: one more line."""
    try:
        order = order_links.order_for_token(token)
    except order_links.StatusLinkExpired:
        return HttpResponse(_("This link has expired; open your order again from the e-mail."), status=410)
    except order_links.StatusLinkInvalid:
        return HttpResponse(_("This link is not valid."), status=404)
    language = _language(request, order.customer.language)
    with translation.override(language):
        error, status = "", 200
        if request.method == "POST":
            error, status = _say(request, order, language=language)
            if not error and request.headers.get("HX-Request") != "true":  # no JavaScript: back to the page
                response = HttpResponse(status=303)
                target = order_links.status_path(order)
                asked = _asked_language(request)
                response["Location"] = (f"{target}?lang={asked}" if asked else target) + "#chat"
                return response
        context = chat_context(order, token, language=language)
        if request.method == "GET" and str(request.GET.get("seen", "")) == context["state"]:
            return HttpResponse(status=204)
        response = render(
            request, "portal/support/_chat_log.html", {**context, "error": error, "language": language}, status=status
        )
        if status == 429:
            response["Retry-After"] = str(int(throttle.SUBMISSION_WINDOW.total_seconds()))
    return _private(response, language)


def _say(request: HttpRequest, order: Order, *, language: str) -> tuple[str, int]:
    """Add the customer's line to the order's open chat (or open one); the problem and the status."""
    text = str(request.POST.get("text", "")).strip()
    address = client_address(request)
    wait = throttle.submissions_locked_for(kind="chat", address=address)
    if wait is not None:
        return (
            _("You have sent many messages in a short time. Please wait %(minutes)s minutes and write again.")
            % {"minutes": throttle.minutes(wait)},
            429,
        )
    if not text:
        return _("Write your message first."), 400
    if len(text) > CHAT_LINE_MAX_LENGTH:
        return (
            _("A chat message has at most %(count)s characters; send it in parts or use the contact form.")
            % {"count": formats.number(CHAT_LINE_MAX_LENGTH, language=language)},
            400,
        )
    if text_problem(text, multiline=True):
        return _("Your message holds an invisible control character; remove it and send again."), 400
    actor = Actor.customer(order.customer.name, customer_id=order.customer_id)
    line = services.Inbound(channel=Channel.CHAT, text=text, sender=order.customer.email or order.customer.name)
    ticket = open_chat(order)
    try:
        if ticket is not None:
            services.add_customer_message(ticket=ticket, message=line, actor=actor)
        else:
            services.open_ticket(
                customer=order.customer,
                subject=_("Chat about order %(order)s") % {"order": order.display_number},
                first=line,
                actor=actor,
                topic=Topic.OTHER,
                order=order,
                language=language,
                # In opening hours a person answers here; outside them the answer comes by e-mail,
                # so the customer gets the e-mail with the time at once.
                acknowledge=not policy.calendar().is_open(wall.now()),
            )
    except ValidationFailed as refused:
        return refused.errors[0].message, 400
    throttle.record_submission(kind="chat", address=address)
    return "", 200
