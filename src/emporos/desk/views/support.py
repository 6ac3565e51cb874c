"""The support desk's queue (C2, C9): open tickets by what breaches first, then those waiting for
the customer; filters as choices, a search, a "Mine" view, pages. Also the one-step call log
reached from an order or a customer, and attachments served to staff only.

The ticket page is in support_ticket.py, the owner's settings in support_settings.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from emporos.access.models import StaffRole
from emporos.access.roles import Permission
from emporos.core import clock, formats
from emporos.core.errors import DomainError, NotFound, ValidationFailed
from emporos.customers.models import Customer
from emporos.desk.auth import actor_for, is_htmx, staff_required
from emporos.desk.forms import DeskForm, LocalizedIntegerField, multiline_text, plain_text, show_error
from emporos.desk.responses import not_found
from emporos.orders import selectors as orders
from emporos.orders.models import Order
from emporos.support import calls, labels, queue
from emporos.support.models import Attachment, Ticket

PAGE_SIZE = 50
ASSIGNEE_MINE, ASSIGNEE_NOBODY = "mine", "nobody"


def agents() -> list[User]:
    """Active staff who answer customers, for the assignee choices."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, staff_profile__role__in=[StaffRole.SUPPORT, StaffRole.OWNER])
        .order_by("username")
    )


def agent_name(user: User) -> str:
    return user.get_full_name().strip() or user.get_username()


def _any(axis: str, everything: Any) -> list[tuple[str, str]]:
    return [("", str(everything)), *labels.choices(axis)]


class QueueFilterForm(DeskForm):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        validators=[plain_text],
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("#1042, EM-10042, name or e-mail")}
        ),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=lambda: [("", _("Open and waiting")), *labels.choices("status")],
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False, choices=lambda: _any("topic", _("Any")))
    priority = forms.ChoiceField(
        label=gettext_lazy("Priority"), required=False, choices=lambda: _any("priority", _("Any"))
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"), required=False, choices=lambda: _any("channel", _("Any"))
    )
    assignee = forms.ChoiceField(label=gettext_lazy("Assigned to"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Anyone")),
            (ASSIGNEE_MINE, _("Me")),
            (ASSIGNEE_NOBODY, _("Nobody yet")),
            *[(str(user.pk), agent_name(user)) for user in agents()],
        ]


@dataclass(frozen=True)
class QueueRow:
    ticket: Ticket
    sla: queue.SlaState | None


def _without_empty(query: QueryDict) -> QueryDict:
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        if any(values):
            kept.setlist(name, [value for value in values if value])
    return kept


def filtered_url(view: str, query: QueryDict, **changes: str | None) -> str:
    """A list page's address with these filters, `changes` applied (None drops one), never an empty one."""
    params = query.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    encoded = _without_empty(params).urlencode()
    return reverse(view) + (f"?{encoded}" if encoded else "")


def queue_url(query: QueryDict, **changes: str | None) -> str:
    return filtered_url("desk:support_queue", query, **changes)


def page_number(text: str | None) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and 0 < int(text) < 100_000 else 1


def _result_count(count: int) -> str:
    shown = formats.number(count, language=get_language())
    return ngettext("%(n)s ticket", "%(n)s tickets", count) % {"n": shown}


@staff_required(Permission.ANSWER_CUSTOMERS)
@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    if any("" in values for _name, values in request.GET.lists()):
        # A form sent without JavaScript: the same queue without the empty filters.
        return redirect(queue_url(request.GET))
    form = QueueFilterForm(request.GET)
    mine = queue_url(QueryDict(), assignee=ASSIGNEE_MINE)
    context: dict[str, Any] = {"section": "support", "form": form, "mine_url": mine}
    if not form.is_valid():
        return render(request, "desk/support/queue.html", context, status=400)
    data = form.cleaned_data
    filters = queue.QueueFilters(
        status=data["status"],
        topic=data["topic"],
        priority=data["priority"],
        channel=data["channel"],
        assignee=data["assignee"],
        search=data["q"],
        staff_id=request.user.pk,
    )
    page = page_number(request.GET.get("page"))
    found = queue.queue(filters, now=clock.now(), page=page, size=PAGE_SIZE)
    context |= {
        "rows": [QueueRow(ticket, found.states.get(ticket.pk)) for ticket in found.rows],
        "result_count": _result_count(found.count),
        "is_filtered": any(request.GET.get(name) for name in form.fields),
        "is_mine": data["assignee"] == ASSIGNEE_MINE and len([v for v in request.GET.values() if v]) == 1,
        "previous_page_url": queue_url(request.GET, page=str(page - 1) if page > 2 else None) if page > 1 else None,
        "next_page_url": queue_url(request.GET, page=str(page + 1)) if found.has_next else None,
    }
    return render(request, "desk/support/queue.html", context)


@staff_required(Permission.ANSWER_CUSTOMERS)
@require_GET
def due_soon_partial(request: HttpRequest) -> HttpResponse:
    """The menu's count of tickets breached or due soon, loaded after the page (pages stay as
    cheap as they were) and refreshed every minute. Opened as a page: the queue."""
    if not is_htmx(request):
        return redirect(reverse("desk:support_queue"))
    return render(request, "desk/support/_due_soon.html", {"due": queue.due_soon_count(now=clock.now())})


def no_ticket(request: HttpRequest) -> HttpResponse:
    return not_found(
        request,
        section="support",
        title=_("There is no such ticket"),
        message=_("The link may be old or mistyped. Search the support queue by ticket number, order or name."),
        search_url=reverse("desk:support_queue"),
        search_label=_("Search tickets"),
        link_url=reverse("desk:support_queue"),
        link_text=_("Back to the support queue"),
    )


@staff_required(Permission.ANSWER_CUSTOMERS)
@require_GET
def attachment_file(request: HttpRequest, public_id: UUID, attachment_id: UUID) -> HttpResponse:
    """A file the customer sent, to staff only, always as a download (never shown inline)."""
    attachment = Attachment.objects.filter(public_id=attachment_id, message__ticket__public_id=public_id).first()
    if attachment is None:
        return no_ticket(request)
    response = HttpResponse(bytes(attachment.content), content_type="application/octet-stream")
    filename = attachment.filename.replace('"', "").replace("\r", "").replace("\n", "") or "attachment"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- a call, logged in one step from an order or a customer ----------------------------------------


class CallForm(DeskForm):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=lambda: [("", _("Choose the outcome")), *labels.choices("call_outcome")],
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Who called"),
        choices=lambda: [("in", _("The customer called")), ("out", _("We called the customer"))],
        widget=forms.RadioSelect,
        initial="in",
    )
    notes = forms.CharField(
        label=gettext_lazy("What was said"),
        max_length=5000,
        validators=[multiline_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes = LocalizedIntegerField(
        label=gettext_lazy("Minutes on the phone"), required=False, min_value=0, max_value=240
    )


def _call_about(request: HttpRequest) -> tuple[Customer | None, Order | None]:
    source = request.POST if request.method == "POST" else request.GET
    order: Order | None = None
    customer: Customer | None = None
    if number := source.get("order", ""):
        try:
            order = orders.order_by_number(number)
        except NotFound:
            return None, None
        customer = order.customer
    elif public_id := source.get("customer", ""):
        try:
            customer = orders.customer_by_public_id(UUID(public_id))
        except (NotFound, ValueError):
            return None, None
    return customer, order


@staff_required(Permission.ANSWER_CUSTOMERS)
@require_http_methods(["GET", "POST"])
def call_page(request: HttpRequest) -> HttpResponse:
    """GET: the form for a call with the customer of ?order= or ?customer=; POST: log it (into the
    customer's open ticket about the order, or a new phone ticket) and open that ticket."""
    customer, order = _call_about(request)
    if customer is None:
        return not_found(
            request,
            section="support",
            title=_("Whose call is this?"),
            message=_("Log a call from the customer's order or from their page, so it lands with them."),
            link_url=reverse("desk:orders"),
            link_text=_("Find the order"),
        )
    form = CallForm(request.POST if request.method == "POST" else None, prefix="call")
    context = {"section": "support", "form": form, "customer": customer, "order": order}
    if request.method == "GET":
        return render(request, "desk/support/call.html", context)
    if not form.is_valid():
        return render(request, "desk/support/call.html", context, status=400)
    data = form.cleaned_data
    try:
        message = calls.log_call(
            customer=customer,
            outcome=data["outcome"],
            notes=data["notes"],
            actor=actor_for(request),
            author=request.user if isinstance(request.user, User) else None,
            inbound=data["direction"] == "in",
            order=order,
            minutes=data["minutes"] or 0,
        )
    except DomainError as error:
        show_error(form, error)
        return render(
            request, "desk/support/call.html", context, status=400 if isinstance(error, ValidationFailed) else 409
        )
    messages.success(request, _("Call logged on ticket #%(number)s.") % {"number": message.ticket.number})
    return HttpResponseRedirect(reverse("desk:support_ticket", args=[message.ticket.public_id]), status=303)
