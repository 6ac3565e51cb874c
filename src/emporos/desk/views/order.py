"""One order on one page (C6), and the actions its state and the signed-in role allow.

Every action's form posts to the order's own address (/orders/<number>/, with the action's slug
in `action`) and calls the same service the API calls; a refusal shows the page at that address
again, so reloading or switching the language never lands on an address that only takes a post.
/orders/<number>/<action>/ still takes the post of a script, and a visit there leads to the order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from emporos.access.roles import Permission, can
from emporos.core.actor import Actor
from emporos.core.errors import DomainError, NotFound, TransitionNotAllowed, ValidationFailed
from emporos.desk import fulfillment_panel
from emporos.desk.auth import actor_for, refuse, staff_required, staff_role
from emporos.desk.forms import (
    DeskForm,
    LocalizedDecimalField,
    LocalizedNumberInput,
    multiline_text,
    plain_text,
    show_error,
)
from emporos.desk.fulfillment_panel import Failure
from emporos.desk.labels import choices, label, language_name
from emporos.desk.responses import not_found, post_only
from emporos.desk.templatetags.desk import money
from emporos.feedback import selectors as feedback
from emporos.feedback.words import score_words
from emporos.orders import links, selectors, services
from emporos.orders.models import Order, OrderLine, RefundReason
from emporos.orders.states import OrderStatus, allowed_actions
from emporos.returns import selectors as returns
from emporos.shipping import selectors as shipping

# --- one form per action; each field named as its service's argument ----------------------------


class VerifyForm(DeskForm):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome of the call"), choices=lambda: [("", _("Choose the outcome")), *choices("outcome")]
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        validators=[multiline_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What was said or corrected; everyone sees it in the timeline."),
    )


class ReasonForm(DeskForm):
    """Hold and cancel: the service asks for the reason and says when it is missing."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=500,
        validators=[plain_text],
        # Spaces alone are no reason: the browser says so before any question is asked.
        widget=forms.TextInput(
            attrs={"required": True, "pattern": r".*\S.*", "title": gettext_lazy("Say why, in a few words.")}
        ),
    )


class ReleaseForm(DeskForm):
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"), required=False, max_length=500, validators=[plain_text]
    )


# What the browser checks before the form is sent (and before any question is asked): digits
# with a decimal comma or point, grouped or not. The server reads it (desk.forms.parse_number).
AMOUNT_PATTERN = r"\s*[0-9][0-9 .,]*\s*"


def amount_input() -> LocalizedNumberInput:
    return LocalizedNumberInput(
        attrs={"required": True, "pattern": AMOUNT_PATTERN, "title": gettext_lazy("An amount, e.g. 16.50 or 16,50.")}
    )


class PaymentForm(DeskForm):
    amount = LocalizedDecimalField(label=gettext_lazy("Amount received"), widget=amount_input())
    reference = forms.CharField(
        label=gettext_lazy("Reference (optional)"),
        required=False,
        max_length=100,
        validators=[plain_text],
        help_text=gettext_lazy("A bank transfer's reference or the courier's receipt number."),
    )


class RefundForm(DeskForm):
    amount = LocalizedDecimalField(label=gettext_lazy("Amount to give back"), widget=amount_input())
    reason = forms.ChoiceField(
        label=gettext_lazy("Why"),
        choices=lambda: [("", _("Choose the reason")), *[(v, label("refund_reason", v)) for v in RefundReason.values]],
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference (optional)"),
        required=False,
        max_length=100,
        validators=[plain_text],
        help_text=gettext_lazy("The bank transfer's or the card refund's reference."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=500,
        validators=[multiline_text],
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(DeskForm):
    text = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=4000,
        validators=[multiline_text],
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        help_text=gettext_lazy("Internal: staff see it, the customer never does."),
    )


class NoFieldsForm(DeskForm):
    """Confirm, start processing, complete: the button is the whole form."""


# --- the actions: what each calls, who may, how it looks ------------------------------------------

Run = Callable[[Order, dict[str, Any], Actor], str]


def _verify(order: Order, data: dict[str, Any], actor: Actor) -> str:
    services.verify_order(order=order, outcome=data["outcome"], note=data["note"], actor=actor)
    return _("Verification call recorded for %(number)s: %(outcome)s.") % {
        "number": order.display_number,
        "outcome": label("outcome", data["outcome"]),
    }


def _confirm(order: Order, data: dict[str, Any], actor: Actor) -> str:
    services.confirm_order(order=order, actor=actor)
    return _("Order %(number)s confirmed.") % {"number": order.display_number}


def _start_processing(order: Order, data: dict[str, Any], actor: Actor) -> str:
    services.start_processing(order=order, actor=actor)
    return _("Order %(number)s is being picked and packed.") % {"number": order.display_number}


def _complete(order: Order, data: dict[str, Any], actor: Actor) -> str:
    services.complete_order(order=order, actor=actor)
    return _("Order %(number)s handed over and completed.") % {"number": order.display_number}


def _hold(order: Order, data: dict[str, Any], actor: Actor) -> str:
    services.hold_order(order=order, reason=data["reason"], actor=actor)
    return _("Order %(number)s is on hold.") % {"number": order.display_number}


def _release(order: Order, data: dict[str, Any], actor: Actor) -> str:
    services.release_order(order=order, note=data["note"], actor=actor)
    return _("Order %(number)s released from hold.") % {"number": order.display_number}


def _cancel(order: Order, data: dict[str, Any], actor: Actor) -> str:
    services.cancel_order(order=order, reason=data["reason"], actor=actor)
    return _("Order %(number)s cancelled; its reserved stock is back on the shelves.") % {
        "number": order.display_number
    }


def _record_payment(order: Order, data: dict[str, Any], actor: Actor) -> str:
    services.record_payment(order=order, amount=data["amount"], reference=data["reference"], actor=actor)
    return _("Payment of %(amount)s recorded for %(number)s.") % {
        "amount": money(data["amount"], order.currency),
        "number": order.display_number,
    }


def _refund(order: Order, data: dict[str, Any], actor: Actor) -> str:
    result = services.record_refund(
        order=order,
        amount=data["amount"],
        reason=data["reason"],
        reference=data["reference"],
        note=data["note"],
        actor=actor,
    )
    return _("Refund of %(amount)s recorded for %(number)s; the payment is now %(status)s.") % {
        "amount": money(data["amount"], order.currency),
        "number": order.display_number,
        "status": label("payment_status", result.order.payment_status).lower(),
    }


def _note(order: Order, data: dict[str, Any], actor: Actor) -> str:
    services.add_note(order=order, text=data["text"], actor=actor)
    return _("Note added to %(number)s.") % {"number": order.display_number}


@dataclass(frozen=True)
class Action:
    slug: str
    title: Promise
    button: Promise
    permission: Permission
    form_class: type[forms.Form]
    run: Run
    hint: Promise | None = None
    # Asked in the browser before the form is sent (desk.js); for what cannot be undone.
    question: Promise | None = None
    is_dangerous: bool = False


ACTIONS: dict[str, Action] = {
    action.slug: action
    for action in [
        Action(
            "confirm",
            gettext_lazy("Confirm the order"),
            gettext_lazy("Confirm"),
            Permission.CONFIRM_ORDERS,
            NoFieldsForm,
            _confirm,
            hint=gettext_lazy("Accept the order for handling; it moves on in the queue."),
        ),
        Action(
            "start-processing",
            gettext_lazy("Start processing"),
            gettext_lazy("Start picking and packing"),
            Permission.FULFIL_ORDERS,
            NoFieldsForm,
            _start_processing,
        ),
        Action(
            "complete",
            gettext_lazy("Mark as handed over"),
            gettext_lazy("Mark as handed over"),
            Permission.FULFIL_ORDERS,
            NoFieldsForm,
            _complete,
            hint=gettext_lazy("Every line leaves the shelves and the order is completed. This cannot be undone."),
            question=gettext_lazy("Mark order %(number)s as handed over? This cannot be undone."),
        ),
        Action(
            "verify",
            gettext_lazy("Record a verification call"),
            gettext_lazy("Record the call"),
            Permission.VERIFY_ORDERS,
            VerifyForm,
            _verify,
        ),
        Action(
            "hold",
            gettext_lazy("Put on hold"),
            gettext_lazy("Put on hold"),
            Permission.HOLD_ORDERS,
            ReasonForm,
            _hold,
            hint=gettext_lazy("The order leaves the queue until someone releases it."),
        ),
        Action(
            "release",
            gettext_lazy("Release from hold"),
            gettext_lazy("Release"),
            Permission.HOLD_ORDERS,
            ReleaseForm,
            _release,
            hint=gettext_lazy("The order goes back to the status it was held from."),
        ),
        Action(
            "record-payment",
            gettext_lazy("Record a payment"),
            gettext_lazy("Record the payment"),
            Permission.RECORD_PAYMENTS,
            PaymentForm,
            _record_payment,
            question=gettext_lazy("Record this payment for order %(number)s?"),
        ),
        Action(
            "refund",
            gettext_lazy("Record a refund"),
            gettext_lazy("Record the refund"),
            Permission.REFUND,
            RefundForm,
            _refund,
            hint=gettext_lazy("Money given back to the customer, by bank transfer, card or cash."),
            question=gettext_lazy("Record this refund for order %(number)s? It cannot be undone."),
        ),
        Action(
            "note",
            gettext_lazy("Add an internal note"),
            gettext_lazy("Add the note"),
            Permission.ADD_NOTES,
            NoteForm,
            _note,
        ),
        Action(
            "cancel",
            gettext_lazy("Cancel the order"),
            gettext_lazy("Cancel the order"),
            Permission.CANCEL_ORDERS,
            ReasonForm,
            _cancel,
            hint=gettext_lazy("Reserved stock goes back on the shelves. A cancelled order cannot be reopened."),
            question=gettext_lazy("Cancel order %(number)s? Its reserved stock goes back. This cannot be undone."),
            is_dangerous=True,
        ),
    ]
}


def state_allows(order: Order) -> frozenset[str]:
    """The action slugs the order's current state allows (the rules live in orders.states)."""
    return frozenset(
        allowed_actions(
            status=order.status,
            outstanding=order.outstanding,
            payment_status=order.payment_status,
            refundable=order.refundable,
        )
    )


# --- the page ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionPanel:
    action: Action
    form: forms.Form
    is_open: bool
    question: str


@dataclass(frozen=True)
class LineRow:
    line: OrderLine
    location: str | None


@staff_required(Permission.VIEW_ORDERS)
@require_http_methods(["GET", "POST"])
def order_page(request: HttpRequest, number: str) -> HttpResponse:
    """The page; a post runs the action named in `action` and, when refused, shows the page here again."""
    if request.method == "POST":
        return _run(request, number, request.POST.get("action", ""))
    try:
        order = selectors.order_by_number(number)
    except NotFound:
        return order_not_found(request, number)
    return render_order(request, order)


def _to_the_order(request: HttpRequest, number: str, action: str) -> str:
    return reverse("desk:order", args=[number]) + (f"#action-{action}" if action in ACTIONS else "")


@staff_required(Permission.VIEW_ORDERS)
@post_only(_to_the_order)
def order_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """An action posted to its own address (scripts, older pages); a visit leads to the order."""
    return _run(request, number, action)


def _run(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Run one action; a refusal re-renders the page with the action's form open and the message in it."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(_("There is no such action on an order."))
    if not can(staff_role(request), spec.permission):
        return refuse(request, _("Your role cannot do this. Ask the shop owner if you need it."))
    try:
        order = selectors.order_for_update(number)
    except NotFound:
        return order_not_found(request, number)
    form = spec.form_class(request.POST, prefix=spec.slug)
    if not form.is_valid():
        return render_order(request, selectors.order_by_number(number), failed=(spec, form), status=400)
    try:
        done = spec.run(order, form.cleaned_data, actor_for(request))
    except DomainError as error:
        return _refused(request, number, spec, form, error)
    messages.success(request, done)
    target = reverse("desk:order", args=[order.display_number])
    if spec.slug == "cancel" and _refund_due(order):
        messages.warning(
            request,
            _("The customer paid %(amount)s for this order: record the refund below once the money is sent back.")
            % {"amount": money(order.refundable, order.currency)},
        )
        target += "#action-refund"
    return HttpResponseRedirect(target, status=303)


def _refund_due(order: Order) -> bool:
    return "refund" in state_allows(order)


def _refused(request: HttpRequest, number: str, spec: Action, form: forms.Form, error: DomainError) -> HttpResponse:
    """The page as it is now, with the action's form open: 400 for bad input, 409 for a conflict."""
    current = selectors.order_by_number(number)
    if isinstance(error, TransitionNotAllowed):
        # Say what the order is now rather than name the transitions.
        message = _(
            "Order %(number)s is %(status)s now, so this is no longer possible. The page shows what you can do with it."
        ) % {"number": current.display_number, "status": label("status", current.status)}
        form.add_error(None, message)
    else:
        show_error(form, error)
    status = 400 if isinstance(error, ValidationFailed) else 409
    return render_order(request, current, failed=(spec, form), status=status)


def render_order(
    request: HttpRequest,
    order: Order,
    *,
    failed: tuple[Action, forms.Form] | None = None,
    fulfillment_failed: Failure | None = None,
    status: int = 200,
) -> HttpResponse:
    """The order page; `failed` or `fulfillment_failed` opens the refused action with its messages."""
    lines = sorted(order.lines.all(), key=lambda line: line.pk)
    codes = selectors.reserved_location_codes(lines)
    context = {
        "section": "orders",
        "order": order,
        "customer_language": language_name(order.customer.language),
        "is_overdue": selectors.is_overdue(order),
        "outstanding": order.outstanding,
        "refund_due": order.status == OrderStatus.CANCELLED and _refund_due(order),
        "lines": [
            LineRow(line, codes.get(line.reserved_location_id) if line.reserved_location_id else None) for line in lines
        ],
        "verifications": sorted(order.verifications.all(), key=lambda v: (v.created_at, v.pk), reverse=True),
        "timeline": selectors.order_timeline(order, language=get_language()),
        "promise": shipping.promise_of(order),
        # What the customer sees: the order's status page, by the same signed link as in messages.
        "status_page": links.status_path(order),
        "actions": _panels(request, order, failed),
        "fulfillment": fulfillment_panel.panel(request, order, lines, failed=fulfillment_failed),
        "returns": returns.returns_of_order(order),
        "satisfaction": _satisfaction(order),
    }
    return render(request, "desk/order/page.html", context, status=status)


def _satisfaction(order: Order) -> dict[str, Any] | None:
    """The order's satisfaction check for the side panel: its state, and the answer in words."""
    check = feedback.check_of_order(order)
    if check is None:
        return None
    return {
        "check": check,
        "state": feedback.state_of(check),
        "score_words": score_words(check.score) if check.score is not None else "",
    }


def _panels(request: HttpRequest, order: Order, failed: tuple[Action, forms.Form] | None) -> list[ActionPanel]:
    """The forms of the actions shown: allowed by the state and the role, plus the one that just failed."""
    role = staff_role(request)
    allowed = state_allows(order)
    panels = []
    for action in ACTIONS.values():
        if failed is not None and failed[0] is action:
            form, is_open = failed[1], True
        elif action.slug in allowed and can(role, action.permission):
            # A cancelled order with money to give back opens its refund, filled in.
            is_open = action.slug == "refund" and order.status == OrderStatus.CANCELLED
            form = _blank_form(action, order)
        else:
            continue
        question = str(action.question) % {"number": order.display_number} if action.question else ""
        _say_the_most(action, form, order)
        panels.append(ActionPanel(action, form, is_open, question))
    return panels


def _say_the_most(action: Action, form: forms.Form, order: Order) -> None:
    """The most an amount may be, for the page to say before anything is asked (desk.js)."""
    if action.slug == "record-payment":
        most = order.outstanding
        message = _("Only %(amount)s is outstanding on this order.")
    elif action.slug == "refund":
        most = order.refundable
        message = _("At most %(amount)s can be given back.")
    else:
        return
    form.fields["amount"].widget.attrs.update(
        {"data-max": str(most), "data-max-message": message % {"amount": money(most, order.currency)}}
    )


def _blank_form(action: Action, order: Order) -> forms.Form:
    initial: dict[str, Any] | None = None
    if action.slug == "record-payment":
        initial = {"amount": order.outstanding}
    elif action.slug == "refund":
        initial = {"amount": order.refundable}
        if order.status == OrderStatus.CANCELLED:
            initial["reason"] = RefundReason.CANCELLED
    return action.form_class(prefix=action.slug, initial=initial)


def order_not_found(request: HttpRequest, number: str) -> HttpResponse:
    return not_found(
        request,
        section="orders",
        title=_("Order not found"),
        message=_(
            "There is no order %(number)s. Check the number, or search for the order by number, e-mail, "
            "phone or name in the orders list."
        )
        % {"number": number},
        search_url=reverse("desk:orders"),
        search_label=_("Search orders"),
        search_value=number,
        link_url=reverse("desk:queue"),
        link_text=_("Back to the queue"),
    )
