"""Returns at the desk: the queue (oldest first, late refunds marked, a scanned return number opens
its return), one return's page (receive the parcel, issue the refund), its photos and label, and
the bank refunds due with their SEPA file.

Like the order page, the return page's forms post to the page's own address with the step in
`action`; a refusal shows the page again with the message next to the field, a success is a 303.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from emporos.access.roles import Permission, can
from emporos.core.errors import DomainError, NotFound, ValidationFailed
from emporos.desk.auth import actor_for, refuse, staff_required, staff_role
from emporos.desk.forms import DeskForm, LocalizedDecimalField, LocalizedIntegerField, plain_text, show_error
from emporos.desk.labels import choices
from emporos.desk.responses import not_found, post_only
from emporos.desk.templatetags.desk import money
from emporos.desk.views.fulfillment import pdf
from emporos.returns import bank, selectors, services
from emporos.returns.label import label_pdf
from emporos.returns.models import Return, ReturnLine, ReturnPhoto, ReturnStatus
from emporos.shop import selectors as shop
from emporos.timeline import selectors as timeline
from emporos.timeline.models import SubjectKind

PAGE_SIZE = 50


# --- the queue ------------------------------------------------------------------------------------


class QueueFilterForm(DeskForm):
    q = forms.CharField(
        label=gettext_lazy("Return, order, e-mail or name"),
        required=False,
        max_length=100,
        validators=[plain_text],
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Scan or type EM-10042-R1"), "autofocus": True}
        ),
        help_text=gettext_lazy("Scan the barcode on a return label to open its return."),
    )
    shown = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=lambda: [
            ("open", _("Open: approved or on their way")),
            ("received", _("Received")),
            ("all", _("All returns")),
        ],
    )


@staff_required(Permission.VIEW_ORDERS)
@require_GET
def returns_page(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    may_refund = can(staff_role(request), Permission.REFUND)
    context: dict[str, Any] = {
        "section": "returns",
        "form": form,
        "bank_refunds": bank.due_refunds() if may_refund else None,
    }
    if not form.is_valid():
        return render(request, "desk/returns/queue.html", context, status=400)
    data = form.cleaned_data
    search, shown = data["q"], data["shown"] or "open"
    if search and (ret := selectors.by_number(search)) is not None:
        # A keyboard-wedge scan of the label's barcode: straight to the return.
        return HttpResponseRedirect(reverse("desk:return", args=[ret.public_id]), status=303)
    page_number = _page_number(request.GET.get("page"))
    page = selectors.queue(shown=shown, search=search, page=page_number, size=PAGE_SIZE)
    context |= {
        "rows": page.rows,
        "shown": shown,
        "is_filtered": bool(search) or shown != "open",
        "page_number": page_number,
        "previous_page_url": _queue_url(request, page=page_number - 1) if page_number > 1 else None,
        "next_page_url": _queue_url(request, page=page_number + 1) if page.has_next else None,
    }
    return render(request, "desk/returns/queue.html", context)


def _page_number(text: str | None) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and 0 < int(text) < 100_000 else 1


def _queue_url(request: HttpRequest, *, page: int) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    if page > 1:
        params["page"] = str(page)
    encoded = params.urlencode()
    return reverse("desk:returns") + (f"?{encoded}" if encoded else "")


# --- one return -----------------------------------------------------------------------------------


class ReceiveLineForm(DeskForm):
    """One line of the parcel as inspected: how many came back, in what state, back on the shelf?"""

    quantity = LocalizedIntegerField(label=gettext_lazy("Quantity received"), min_value=0, max_value=100_000)
    condition = forms.ChoiceField(label=gettext_lazy("Condition"), choices=lambda: choices("condition"))
    restock = forms.BooleanField(label=gettext_lazy("Back into stock"), required=False)


class RefundForm(DeskForm):
    amount = LocalizedDecimalField(
        label=gettext_lazy("Amount (optional)"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("Leave empty to give back what is due for this return."),
    )


@dataclass(frozen=True)
class LineRow:
    line: ReturnLine
    form: forms.Form | None


def _receive_forms(ret: Return, data: Any = None) -> list[tuple[ReturnLine, ReceiveLineForm]]:
    rows = []
    for line in sorted(ret.lines.all(), key=lambda item: item.pk):
        initial = {"quantity": line.quantity, "condition": line.condition, "restock": line.condition != "damaged"}
        rows.append((line, ReceiveLineForm(data, prefix=f"line-{line.pk}", initial=initial)))
    return rows


@staff_required(Permission.VIEW_ORDERS)
@require_http_methods(["GET", "POST"])
def return_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        ret = selectors.return_by_public_id(public_id)
    except NotFound:
        return _no_return(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "receive":
            return _receive(request, ret)
        if action == "refund":
            return _issue_refund(request, ret)
        return render_return(request, ret, error=_("There is no such action on a return."), status=400)
    return render_return(request, ret)


def _receive(request: HttpRequest, ret: Return) -> HttpResponse:
    if not can(staff_role(request), Permission.RECEIVE_RETURNS):
        return refuse(request, _("Your role cannot do this. Ask the shop owner if you need it."))
    rows = _receive_forms(ret, request.POST)
    if not all(form.is_valid() for _line, form in rows):
        return render_return(request, ret, receive_forms=rows, status=400)
    lines = [
        services.ReceivedLine(
            sku=line.sku,
            quantity=form.cleaned_data["quantity"],
            condition=form.cleaned_data["condition"],
            restock=form.cleaned_data["restock"],
        )
        for line, form in rows
    ]
    try:
        result = services.receive_return(ret=ret, lines=lines, actor=actor_for(request))
    except DomainError as error:
        _show_line_errors(rows, error)
        status = 400 if isinstance(error, ValidationFailed) else 409
        return render_return(request, selectors.return_by_public_id(ret.public_id), receive_forms=rows, status=status)
    done = _("Return %(number)s received.") % {"number": ret.display_number}
    if result.refund is not None:
        done += " " + _("A refund of %(amount)s was issued.") % {
            "amount": money(result.refund.amount, result.refund.currency)
        }
    messages.success(request, done)
    return HttpResponseRedirect(reverse("desk:return", args=[ret.public_id]), status=303)


def _show_line_errors(rows: list[tuple[ReturnLine, ReceiveLineForm]], error: DomainError) -> None:
    """The service names lines by their place in the request ("lines[1].quantity"): put each
    message on that line's form, the others on the first."""
    if not isinstance(error, ValidationFailed):
        rows[0][1].add_error(None, error.message)
        return
    for item in error.errors:
        where, _sep, field = item.field.partition(".")
        index = where.removeprefix("lines[").removesuffix("]")
        form = rows[int(index)][1] if index.isdigit() and int(index) < len(rows) else rows[0][1]
        form.add_error(field if field in form.fields else None, item.message)


def _issue_refund(request: HttpRequest, ret: Return) -> HttpResponse:
    if not can(staff_role(request), Permission.REFUND):
        return refuse(request, _("Your role cannot do this. Ask the shop owner if you need it."))
    form = RefundForm(request.POST, prefix="refund")
    if not form.is_valid():
        return render_return(request, ret, refund_form=form, status=400)
    try:
        refund = services.issue_refund(ret=ret, actor=actor_for(request), amount=form.cleaned_data["amount"])
    except DomainError as error:
        show_error(form, error)
        status = 400 if isinstance(error, ValidationFailed) else 409
        return render_return(request, ret, refund_form=form, status=status)
    messages.success(
        request,
        _("A refund of %(amount)s was issued for return %(number)s.")
        % {"amount": money(refund.amount, refund.currency), "number": ret.display_number},
    )
    return HttpResponseRedirect(reverse("desk:return", args=[ret.public_id]), status=303)


def render_return(
    request: HttpRequest,
    ret: Return,
    *,
    receive_forms: list[tuple[ReturnLine, ReceiveLineForm]] | None = None,
    refund_form: forms.Form | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    role = staff_role(request)
    may_receive = ret.status in (ReturnStatus.APPROVED, ReturnStatus.IN_TRANSIT) and can(
        role, Permission.RECEIVE_RETURNS
    )
    may_refund = ret.refund_id is None and ret.status not in (ReturnStatus.REJECTED, ReturnStatus.CANCELLED)
    forms_by_line = {line.pk: form for line, form in (receive_forms or _receive_forms(ret))}
    lines = sorted(ret.lines.all(), key=lambda item: item.pk)
    photos = list(ret.photos.all())
    context = {
        "section": "returns",
        "ret": ret,
        "order": ret.order,
        "lines": [LineRow(line, forms_by_line.get(line.pk) if may_receive else None) for line in lines],
        "photos": photos,
        "may_receive": may_receive,
        "may_refund": may_refund and can(role, Permission.REFUND),
        "receive_failed": receive_forms is not None,
        "refund_form": refund_form or RefundForm(prefix="refund"),
        "refund_failed": refund_form is not None,
        "deadline": selectors.deadline(ret),
        "tracking": sorted(ret.tracking_events.all(), key=lambda event: event.occurred_at, reverse=True),
        "timeline": timeline.timeline_of(
            SubjectKind.RETURN, ret.pk, language=get_language(), time_zone=shop.current().time_zone
        ),
        "error": error,
    }
    return render(request, "desk/returns/return.html", context, status=status)


def _no_return(request: HttpRequest) -> HttpResponse:
    return not_found(
        request,
        section="returns",
        title=_("There is no such return"),
        message=_("The link may be old or mistyped. Search the returns by return or order number."),
        search_url=reverse("desk:returns"),
        search_label=_("Search returns"),
        link_url=reverse("desk:returns"),
        link_text=_("All returns"),
    )


@staff_required(Permission.VIEW_ORDERS)
@require_GET
def return_photo(request: HttpRequest, public_id: UUID, photo_id: int) -> HttpResponse | FileResponse:
    """A customer's photo, to staff only (the files are never served from a public address)."""
    photo = ReturnPhoto.objects.filter(ret__public_id=public_id, pk=photo_id).first()
    if photo is None or not photo.image:
        return _no_return(request)
    response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required(Permission.VIEW_ORDERS)
@require_GET
def return_label(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        ret = selectors.return_by_public_id(public_id)
    except NotFound:
        return _no_return(request)
    return pdf(label_pdf(ret), f"return-label-{ret.display_number}.pdf")


# --- bank refunds ---------------------------------------------------------------------------------


def _to_the_queue(request: HttpRequest) -> str:
    return reverse("desk:returns") + "#bank-refunds"


@staff_required(Permission.REFUND)
@post_only(_to_the_queue)
def bank_export(request: HttpRequest) -> HttpResponse:
    """The SEPA file of every bank refund due, as a download; they count as paid once exported."""
    try:
        export = bank.export_due(actor=actor_for(request))
    except DomainError as error:
        if isinstance(error, bank.DebtorAccountMissing):
            message = _(
                "The shop's own bank account is not set: set EMPOROS_SEPA_DEBTOR_NAME, EMPOROS_SEPA_DEBTOR_IBAN "
                "and EMPOROS_SEPA_DEBTOR_BIC, then export again."
            )
        elif isinstance(error, bank.NothingToExport):
            message = _("No bank refund is due: there is nothing to export.")
        else:
            message = _("The file could not be made: %(reason)s") % {"reason": error.message}
        messages.error(request, message)
        return HttpResponseRedirect(_to_the_queue(request), status=303)
    response = HttpResponse(export.content, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{export.file_id}.xml"'
    return response
