"""A return started by staff from a ticket (the customer asked by e-mail or on the phone): pick the
lines and quantities, the reason, the condition and what the customer wants; the same
`returns.services.request_return` the portal calls decides, with the channel "desk"."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from emporos.access.roles import Permission
from emporos.core.errors import DomainError, ValidationFailed
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.forms import DeskForm, LocalizedIntegerField, multiline_text, plain_text
from emporos.desk.labels import choices
from emporos.desk.views.support import no_ticket
from emporos.desk.views.support_ticket import ticket_by_public_id, ticket_url
from emporos.orders.states import COLLECTED_BY_THE_SHOP
from emporos.returns import offer as offers
from emporos.returns import services as returns
from emporos.returns.models import Channel, Reason, Resolution
from emporos.support import services as support
from emporos.support.models import Ticket


class ReturnForm(DeskForm):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=lambda: [(code, text) for code, text in choices("return_reason") if code != Reason.WITHDRAWAL],
    )
    condition = forms.ChoiceField(label=gettext_lazy("Condition"), choices=lambda: choices("condition"))
    resolution = forms.ChoiceField(
        label=gettext_lazy("The customer wants"),
        choices=lambda: [(code, text) for code, text in choices("resolution") if code != Resolution.EXCHANGE],
        widget=forms.RadioSelect,
        initial=Resolution.REFUND,
    )
    iban = forms.CharField(label=gettext_lazy("IBAN for the refund"), required=False, max_length=40)
    account_holder = forms.CharField(
        label=gettext_lazy("Account holder"), required=False, max_length=70, validators=[plain_text]
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        validators=[multiline_text],
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class LineForm(DeskForm):
    quantity = LocalizedIntegerField(label=gettext_lazy("Quantity to send back"), min_value=0, max_value=10_000)


def _line_forms(offer: offers.Offer, data: Any = None) -> list[tuple[offers.ReturnableLine, LineForm]]:
    return [
        (line, LineForm(data, prefix=f"line-{index}", initial={"quantity": 0}))
        for index, line in enumerate(offer.lines)
    ]


@staff_required(Permission.ANSWER_CUSTOMERS)
@require_http_methods(["GET", "POST"])
def return_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    ticket = ticket_by_public_id(public_id)
    if ticket is None:
        return no_ticket(request)
    if ticket.order is None:
        messages.error(request, _("Tie the ticket to one of the customer's orders first: a return is of an order."))
        return HttpResponseRedirect(ticket_url(ticket, "action-link_order"), status=303)
    offer = offers.offer(ticket.order)
    if request.method == "GET":
        return _render(request, ticket, offer, ReturnForm(), _line_forms(offer))
    form, rows = ReturnForm(request.POST), _line_forms(offer, request.POST)
    if not (form.is_valid() and all(line_form.is_valid() for _line, line_form in rows)):
        return _render(request, ticket, offer, form, rows, status=400)
    chosen = [(line, line_form) for line, line_form in rows if line_form.cleaned_data["quantity"]]
    if not chosen:
        form.add_error(None, _("Give a quantity for at least one line."))
        return _render(request, ticket, offer, form, rows, status=400)
    data = form.cleaned_data
    try:
        result = returns.request_return(
            order=ticket.order,
            lines=[
                returns.LineRequest(
                    sku=line.sku,
                    quantity=line_form.cleaned_data["quantity"],
                    reason=data["reason"],
                    condition=data["condition"],
                )
                for line, line_form in chosen
            ],
            resolution=data["resolution"],
            actor=actor_for(request),
            channel=Channel.DESK,
            note=data["note"],
            iban=data["iban"],
            account_holder=data["account_holder"],
        )
    except DomainError as error:
        _place_errors(form, [line_form for _line, line_form in chosen], error)
        status = 400 if isinstance(error, ValidationFailed) else 409
        return _render(request, ticket, offer, form, rows, status=status)
    support.link_return(ticket=ticket, ret=result.ret, actor=actor_for(request))
    messages.success(request, _("Return %(number)s started for the customer.") % {"number": result.ret.display_number})
    return HttpResponseRedirect(ticket_url(ticket, "customer-returns"), status=303)


def _place_errors(form: ReturnForm, line_forms: list[LineForm], error: DomainError) -> None:
    """`lines[1].quantity` is the second line given a quantity; other fields are the form's."""
    if not isinstance(error, ValidationFailed):
        form.add_error(None, error.message)
        return
    for item in error.errors:
        where, _sep, field = item.field.partition(".")
        index = where.removeprefix("lines[").removesuffix("]")
        if where.startswith("lines[") and index.isdigit() and int(index) < len(line_forms):
            line_forms[int(index)].add_error("quantity" if field == "quantity" else None, item.message)
        elif field in ("reason", "condition"):
            form.add_error(field, item.message)
        else:
            form.add_error(item.field if item.field in form.fields else None, item.message)


def _render(
    request: HttpRequest,
    ticket: Ticket,
    offer: offers.Offer,
    form: ReturnForm,
    rows: list[tuple[offers.ReturnableLine, LineForm]],
    *,
    status: int = 200,
) -> HttpResponse:
    assert ticket.order is not None
    context = {
        "section": "support",
        "ticket": ticket,
        "order": ticket.order,
        "offer": offer,
        "form": form,
        "rows": rows,
        "needs_bank": ticket.order.payment_method in COLLECTED_BY_THE_SHOP,
        "action": reverse("desk:support_return", args=[ticket.public_id]),
    }
    return render(request, "desk/support/return.html", context, status=status)
