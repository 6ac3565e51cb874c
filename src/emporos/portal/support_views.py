"""The contact form, from the order's status page (the order and the customer known from the signed
link, never asked again) and on the public contact page; the thank-you page with the time by which
a person answers. A message about an order that already has an open conversation joins it."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlencode

from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from emporos.access.throttle import client_address
from emporos.core import clock as wall
from emporos.core.actor import Actor
from emporos.core.errors import ValidationFailed
from emporos.customers import identity
from emporos.customers.models import Customer
from emporos.help import services as help_services
from emporos.help import visitors
from emporos.orders import links as order_links
from emporos.orders.models import Order
from emporos.orders.numbers import parse_number
from emporos.portal import support_forms, throttle
from emporos.portal.returns_views import _order_or_refusal
from emporos.portal.support_forms import ContactForm
from emporos.portal.views import _asked_language, _common, _language, _private
from emporos.support import calls, services, words
from emporos.support.errors import TicketAlreadyOpened
from emporos.support.models import OPEN_STATUSES, Callback, Channel, Direction, Ticket

_THANKS_SALT = "emporos.portal.contact-thanks"
THANKS_MAX_AGE_SECONDS = 7 * 24 * 3600
SUBJECT_MAX_LENGTH = 80
REPEAT_WINDOW = dt.timedelta(minutes=1)


@require_http_methods(["GET", "POST"])
@never_cache
def order_contact(request: HttpRequest, token: str) -> HttpResponse:
    """The contact form of one order: the order number and the e-mail address are shown as facts,
    only the topic, the message, files and a call-back are asked."""
    found = _order_or_refusal(request, token)
    if isinstance(found, HttpResponse):
        return found
    order = found
    language = _language(request, order.customer.language)
    with translation.override(language):
        context = {
            **_common(request, language),
            "order": order,
            "token": token,
            "status_path": _with_language(order_links.status_path(order), _asked_language(request)),
            "action": reverse("portal:order_contact", args=[token]),
        }
        return _contact(request, context, language=language, order=order)


@require_http_methods(["GET", "POST"])
@never_cache
def public_contact(request: HttpRequest) -> HttpResponse:
    """The shop's contact page: a name, an e-mail address and, optionally, an order number, which
    counts only when it is an order of that address (otherwise it is left out without a word)."""
    language = _language(request)
    with translation.override(language):
        context = {**_common(request, language), "public": True, "action": reverse("portal:public_contact")}
        return _contact(request, context, language=language, order=None)


def _contact(request: HttpRequest, context: dict[str, object], *, language: str, order: Order | None) -> HttpResponse:
    public = order is None
    form = ContactForm(values={"key": str(uuid.uuid4())})
    status = 200
    if request.method == "POST":
        address = client_address(request)
        wait = throttle.submissions_locked_for(kind="contact", address=address)
        region = str((order.shipping_address or {}).get("country", "")) if order is not None else ""
        form = support_forms.read_contact(request, public=public, region=region)
        if wait is not None:
            form.add("message", _locked_words(wait))
            status = 429
        elif not form.errors:
            ticket, callback = _deliver(form, order=order, language=language)
            if ticket is not None:
                throttle.record_submission(kind="contact", address=address)
                record_help_contact(request)
                target = reverse("portal:contact_thanks", args=[thanks_token(ticket, callback, from_order=not public)])
                return _see(_with_language(target, _asked_language(request)))
            status = 400
        else:
            status = 400
    context = {
        **context,
        "form": form,
        "topics": support_forms.topic_choices(),
        "slots": support_forms.slot_choices(language=language),
        "max_attachments": support_forms.MAX_ATTACHMENTS,
    }
    response = render(request, "portal/support/contact.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(int(throttle.SUBMISSION_WINDOW.total_seconds()))
    return _private(response, language)


def _locked_words(wait: dt.timedelta) -> str:
    minutes = throttle.minutes(wait)
    return _("You have sent us several messages in a short time. Please wait %(minutes)s minutes and send again.") % {
        "minutes": minutes
    }


def _deliver(form: ContactForm, *, order: Order | None, language: str) -> tuple[Ticket | None, Callback | None]:
    """Open the conversation (or add to the open one about the order) and book the call-back, all
    or nothing; a refusal from the services goes next to its field and returns (None, None)."""
    try:
        with transaction.atomic():
            customer, order = _sender(form, order=order, language=language)
            actor = Actor.customer(customer.name, customer_id=customer.pk)
            email = form.values.get("email") or customer.email
            first = services.Inbound(
                channel=Channel.WEB, text=form.values["message"], sender=email, attachments=form.attachments
            )
            ticket = open_ticket_about(order) if order is not None else None
            if ticket is not None:
                if not _just_said(ticket, form.values["message"]):
                    services.add_customer_message(ticket=ticket, message=first, actor=actor)
                ticket.refresh_from_db()
            else:
                ticket = services.open_ticket(
                    customer=customer,
                    subject=subject_of(form.values["message"]),
                    first=first,
                    actor=actor,
                    topic=form.values["topic"],
                    order=order,
                    language=language,
                    contact_email=email,
                    contact_phone=form.phone,
                    source_key=f"portal-contact:{form.values['key']}",
                )
            callback = None
            if form.slot is not None:
                callback = calls.request_callback(ticket=ticket, phone=form.phone, slot=form.slot, actor=actor)
    except TicketAlreadyOpened:  # the same form sent twice (a double click): the first one stands
        ticket = Ticket.objects.get(source_key=f"portal-contact:{form.values['key']}")
        return ticket, ticket.callbacks.order_by("-pk").first()
    except ValidationFailed as error:
        for item in error.errors:
            name = item.field if item.field in ("phone", "slot", "topic") else "message"
            form.add(name, item.message)
        return None, None
    return ticket, callback


def _sender(form: ContactForm, *, order: Order | None, language: str) -> tuple[Customer, Order | None]:
    """The order's customer; on the public page the customer behind the address (a new one when
    nobody has it) and the order only when it is theirs."""
    if order is not None:
        return order.customer, order
    customer = identity.customer_for_email(form.values["email"], name=form.values["name"], language=language)
    number = parse_number(form.values.get("order", ""))
    theirs = Order.objects.filter(number=number, customer=customer).first() if number is not None else None
    return customer, theirs


def _just_said(ticket: Ticket, text: str) -> bool:
    """The same words arrived in this conversation within the last minute: a form sent twice."""
    latest = ticket.messages.filter(direction=Direction.IN).order_by("-sent_at", "-pk").first()
    return latest is not None and latest.text == text.strip() and wall.now() - latest.sent_at < REPEAT_WINDOW


def open_ticket_about(order: Order) -> Ticket | None:
    """The conversation about this order that is still going on, the latest first."""
    return Ticket.objects.filter(order=order, status__in=OPEN_STATUSES).order_by("-updated_at", "-pk").first()


def subject_of(message: str) -> str:
    """The conversation's subject: the first line of the message, shortened at a word."""
    first = next((line.strip() for line in message.splitlines() if line.strip()), "")
    if len(first) <= SUBJECT_MAX_LENGTH:
        return first
    return first[:SUBJECT_MAX_LENGTH].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def record_help_contact(request: HttpRequest) -> None:
    """Tell the help centre that this visitor wrote after all: the articles they read lately did
    not answer them (a visitor who read nothing changes nothing)."""
    help_services.record_contact(visitors.visitor_key(request))


# --- the thank-you page ----------------------------------------------------------------------------


def thanks_token(ticket: Ticket, callback: Callback | None, *, from_order: bool) -> str:
    """A signed, short-lived link to the thank-you page of one message; `from_order` says it was
    sent from the order's own page (only then does the page name the ticket and link the order)."""
    value = {"t": str(ticket.public_id), "c": callback.pk if callback else None, "o": int(from_order)}
    return signing.dumps(value, salt=_THANKS_SALT, compress=False)


@require_GET
@never_cache
def contact_thanks(request: HttpRequest, token: str) -> HttpResponse:
    try:
        value = signing.loads(token, salt=_THANKS_SALT, max_age=THANKS_MAX_AGE_SECONDS)
        ticket = Ticket.objects.select_related("order", "customer").get(public_id=uuid.UUID(str(value["t"])))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Ticket.DoesNotExist):
        raise Http404 from None
    callback = Callback.objects.filter(pk=value.get("c"), ticket=ticket).first() if value.get("c") else None
    from_order = bool(value.get("o")) and ticket.order is not None
    language = _language(request, ticket.language)
    with translation.override(language):
        promised = promised_by(ticket)
        context = {
            **_common(request, language),
            "ticket": ticket,
            "from_order": from_order,
            "reply_by": words.reply_by_text(promised, language=language) if promised else "",
            "callback": callback,
            "callback_words": support_forms.slot_words(callback.slot_starts_at, language=language) if callback else "",
            "status_path": _with_language(order_links.status_path(ticket.order), _asked_language(request))
            if from_order and ticket.order is not None
            else "",
        }
        response = render(request, "portal/support/thanks.html", context)
    return _private(response, language)


def promised_by(ticket: Ticket) -> dt.datetime | None:
    """When a person answers: the promise made when the ticket opened, or, once answered before,
    the deadline of the next answer."""
    if ticket.first_responded_at is None and ticket.reply_by is not None:
        return ticket.reply_by
    return ticket.due_at or ticket.reply_by


def _with_language(path: str, language: str) -> str:
    return f"{path}?{urlencode({'lang': language})}" if language else path


def _see(target: str) -> HttpResponse:
    """303 See Other: a reload of the next page never sends the form again."""
    response = HttpResponse(status=303)
    response["Location"] = target
    return response
