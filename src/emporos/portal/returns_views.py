"""The customer's pages of a return, by its signed link: the return's page and its label."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from emporos.core import iban as ibans
from emporos.core.actor import Actor
from emporos.core.contact import InvalidContact, normalize_email
from emporos.core.errors import DomainError, FieldError, ValidationFailed
from emporos.core.text import text_problem
from emporos.orders import links as order_links
from emporos.orders.models import Order
from emporos.orders.states import COLLECTED_BY_THE_SHOP
from emporos.portal.returns_words import refusal
from emporos.portal.views import _asked_language, _common, _language, _private, _refused
from emporos.returns import label, links, photos, services
from emporos.returns import offer as offers
from emporos.returns.labels import label as words_for
from emporos.returns.models import OPEN_STATUSES, Channel, Condition, Reason, Resolution, Return
from emporos.returns.policy import current_policy


@require_GET
@never_cache
def return_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ret = links.return_for_token(token)
    except links.ReturnLinkInvalid:
        raise Http404 from None
    language = _language(request, ret.order.customer.language)
    with translation.override(language):
        context = {
            **_common(request, language),
            "ret": ret,
            "lines": list(ret.lines.select_related("order_line").order_by("id")),
            "token": token,
            "status_path": order_links.status_path(ret.order),
            "is_open": ret.status in OPEN_STATUSES,
        }
        response = render(request, "portal/return.html", context)
    return _private(response, language)


@require_GET
@never_cache
def return_label(request: HttpRequest, token: str) -> HttpResponse:
    """The return label as a PDF (the carrier's, or Emporos's own), by the return's signed link."""
    try:
        ret = links.return_for_token(token)
    except links.ReturnLinkInvalid:
        raise Http404 from None
    response = HttpResponse(label.label_pdf(ret), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="return-{ret.display_number}.pdf"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- asking for a return ---------------------------------------------------------------------------

CONDITIONS = [Condition.UNOPENED, Condition.OPENED, Condition.USED, Condition.DAMAGED]
RESOLUTIONS = [Resolution.REFUND, Resolution.EXCHANGE, Resolution.STORE_CREDIT]


@dataclass
class Form:
    """What the customer filled in, and the errors to show next to each field (by its name)."""

    values: dict[str, str] = field(default_factory=dict)
    chosen: dict[int, int] = field(default_factory=dict)  # offer line index -> quantity
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def _order_or_refusal(request: HttpRequest, token: str) -> Order | HttpResponse:
    try:
        return order_links.order_for_token(token)
    except order_links.StatusLinkExpired:
        return _refused(request, expired=True)
    except order_links.StatusLinkInvalid:
        return _refused(request, expired=False)


def _already_sent(request: HttpRequest, order: Order, prefix: str) -> HttpResponse | None:
    """A form sent twice (a double click, a reload) answers with the return the first one made."""
    key = str(request.POST.get("key", ""))[:64]
    ret = Return.objects.filter(order=order, idempotency_key=f"{prefix}:{key}").first() if key else None
    return _see(links.page_path(ret), _asked_language(request)) if ret is not None else None


def _actor(order: Order) -> Actor:
    return Actor.customer(order.customer.name, customer_id=order.customer_id)


def _chosen_lines(request: HttpRequest, form: Form, available: list[offers.ReturnableLine]) -> None:
    """The ticked lines and their quantities (a quantity that is not a whole number is refused here)."""
    for index, line in enumerate(available):
        if not request.POST.get(f"line-{index}"):
            continue
        raw = str(request.POST.get(f"qty-{index}", "1")).strip()
        form.values[f"qty-{index}"] = raw
        if not raw.isdigit() or not 1 <= int(raw) <= line.returnable:
            form.add(f"line-{index}", refusal(FieldError("", "more_than_returnable", ""), **_values(line)))
            continue
        form.chosen[index] = int(raw)
    if not form.chosen and not any(name.startswith("line-") for name in form.errors):
        form.add("lines", refusal(FieldError("", "no_lines", ""), **_values()))


def _values(line: offers.ReturnableLine | None = None) -> dict[str, object]:
    return {"returnable": line.returnable if line else 0, "max_photos": photos.MAX_PHOTOS}


def _place_errors(
    form: Form, error: ValidationFailed, requested: list[int], available: list[offers.ReturnableLine]
) -> None:
    """Each service error next to its field: `lines[1].quantity` is the second ticked line."""
    for item in error.errors:
        name, line = item.field, None
        if name.startswith("lines[") and "]" in name:
            position = name[len("lines[") : name.index("]")]
            if position.isdigit() and int(position) < len(requested):
                index = requested[int(position)]
                name, line = f"line-{index}", available[index]
        elif name.startswith("photos"):
            name = "photos"
        elif name not in ("iban", "account_holder", "note", "resolution", "reason", "condition"):
            name = "lines"
        form.add(name, refusal(item, **_values(line)))


def _uploads(request: HttpRequest, form: Form) -> list[photos.Photo]:
    files = request.FILES.getlist("photos")
    try:
        # Read at most one byte past the limit: a larger file is refused without holding it whole.
        return photos.check_photos([(f.name or "", f.read(photos.MAX_BYTES + 1)) for f in files])
    except ValidationFailed as error:
        for item in error.errors:
            form.add("photos", refusal(item, **_values()))
        return []


@require_http_methods(["GET", "POST"])
@never_cache
def return_start(request: HttpRequest, token: str) -> HttpResponse:
    """The return form, by the order's status link: lines and quantities, a reason, the condition,
    photos, the resolution, and the IBAN when the money went to the shop directly."""
    found = _order_or_refusal(request, token)
    if isinstance(found, HttpResponse):
        return found
    order = found
    language = _language(request, order.customer.language)
    with translation.override(language):
        available = offers.offer(order)
        policy = current_policy()
        reasons = [code for code in policy.reasons if code != Reason.WITHDRAWAL]
        needs_bank = order.payment_method in COLLECTED_BY_THE_SHOP
        form = Form(values={"key": str(uuid.uuid4())})
        status = 200
        if request.method == "POST" and (again := _already_sent(request, order, "portal")) is not None:
            return again
        if request.method == "POST" and available.can_return:
            form = _read_return_form(request, available, reasons, needs_bank)
            if not form.errors:
                checked = _uploads(request, form)
            if not form.errors:
                requested = sorted(form.chosen)
                try:
                    result = services.request_return(
                        order=order,
                        lines=[
                            services.LineRequest(
                                sku=available.lines[index].sku,
                                quantity=form.chosen[index],
                                reason=form.values["reason"],
                                condition=form.values["condition"],
                                exchange_sku=form.values.get("exchange_for", "")[:64]
                                if form.values["resolution"] == Resolution.EXCHANGE
                                else "",
                            )
                            for index in requested
                        ],
                        resolution=form.values["resolution"],
                        actor=_actor(order),
                        channel=Channel.PORTAL,
                        note=form.values.get("note", ""),
                        iban=form.values.get("iban", "") if needs_bank else "",
                        account_holder=form.values.get("account_holder", "") if needs_bank else "",
                        idempotency_key=f"portal:{form.values['key']}",
                    )
                except ValidationFailed as error:
                    _place_errors(form, error, requested, available.lines)
                except DomainError as error:
                    form.add("lines", refusal(FieldError("", error.code, error.message), **_values()))
                else:
                    if result.created and checked:
                        photos.add_photos(ret=result.ret, photos=checked)
                    return _see(links.page_path(result.ret), form.values.get("lang", ""))
            status = 400
        context = {
            **_common(request, language),
            "order": order,
            "token": token,
            "offer": available,
            "rows": [
                (index, line, form.chosen.get(index), form.errors.get(f"line-{index}"))
                for index, line in enumerate(available.lines)
            ],
            "reasons": [(code, words_for("reason", code)) for code in reasons],
            "conditions": [(code.value, words_for("condition", code.value)) for code in CONDITIONS],
            "resolutions": [(code.value, words_for("resolution", code.value)) for code in RESOLUTIONS],
            "needs_bank": needs_bank,
            "form": form,
            "max_photos": photos.MAX_PHOTOS,
            "status_path": order_links.status_path(order),
        }
        response = render(request, "portal/return_start.html", context, status=status)
    return _private(response, language)


def _read_return_form(request: HttpRequest, available: offers.Offer, reasons: list[str], needs_bank: bool) -> Form:
    post = request.POST
    form = Form(
        values={
            name: str(post.get(name, "")).strip()
            for name in ("key", "reason", "condition", "resolution", "exchange_for", "note", "iban", "account_holder")
        }
    )
    form.values["key"] = form.values["key"][:64] or str(uuid.uuid4())
    form.values["lang"] = _asked_language(request)
    _chosen_lines(request, form, available.lines)
    if form.values["reason"] not in reasons:
        form.add("reason", refusal(FieldError("", "reason_required", ""), **_values()))
    if form.values["condition"] not in Condition.values:
        form.add("condition", refusal(FieldError("", "condition_required", ""), **_values()))
    if form.values["resolution"] not in Resolution.values:
        form.add("resolution", refusal(FieldError("", "invalid_resolution", ""), **_values()))
    elif form.values["resolution"] == Resolution.EXCHANGE and not form.values["exchange_for"]:
        form.add("exchange_for", refusal(FieldError("", "exchange_sku_missing", ""), **_values()))
    if needs_bank and form.values["resolution"] == Resolution.REFUND:
        # Cash on delivery and bank transfers go back by bank transfer: the IBAN is needed now.
        if not form.values["iban"]:
            form.add("iban", refusal(FieldError("", "iban_required", ""), **_values()))
        elif (problem := ibans.iban_problem(form.values["iban"])) is not None:
            form.add("iban", problem.message)
        if not form.values["account_holder"]:
            form.add("account_holder", refusal(FieldError("", "holder_required", ""), **_values()))
    return form


def _see(path: str, language: str) -> HttpResponse:
    """303 See Other: the browser fetches the new page with GET (a reload never sends again)."""
    target = f"{path}?{urlencode({'lang': language})}" if language else path
    response = HttpResponse(status=303)
    response["Location"] = target
    return response


# --- the EU withdrawal button ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """ "Withdraw from the contract" (Directive 2023/2673): the name, the e-mail and the items
    (all that can come back, unless the customer unticks some), then a confirmation step; the
    statement is acknowledged by e-mail with its content, date and time."""
    found = _order_or_refusal(request, token)
    if isinstance(found, HttpResponse):
        return found
    order = found
    language = _language(request, order.customer.language)
    with translation.override(language):
        available = offers.offer(order)
        step = str(request.POST.get("step", "")) if request.method == "POST" else ""
        form = Form(
            values={"key": str(uuid.uuid4()), "name": order.customer.name, "email": order.customer.email},
            chosen={index: line.returnable for index, line in enumerate(available.lines)},
        )
        status = 200
        if step == "confirm" and (again := _already_sent(request, order, "portal-withdrawal")) is not None:
            return again
        if step in ("review", "confirm") and available.can_withdraw:
            form = _read_withdrawal(request, available)
            if form.errors:
                step, status = "", 400
            elif step == "confirm":
                requested = sorted(form.chosen)
                try:
                    result = services.request_return(
                        order=order,
                        lines=[
                            services.LineRequest(
                                sku=available.lines[index].sku,
                                quantity=form.chosen[index],
                                reason=Reason.WITHDRAWAL,
                                # The button asks no condition (the law wants no more than the
                                # statement); "unopened" claims nothing against the customer and
                                # keeps hygiene-sealed goods returnable until the shop sees them.
                                condition=Condition.UNOPENED,
                            )
                            for index in requested
                        ],
                        resolution=Resolution.REFUND,
                        actor=_actor(order),
                        channel=Channel.PORTAL,
                        note=_("Withdrawal statement by %(name)s <%(email)s>")
                        % {"name": form.values["name"], "email": form.values["email"]},
                        withdrawal_statement=True,
                        idempotency_key=f"portal-withdrawal:{form.values['key']}",
                    )
                except ValidationFailed as error:
                    _place_errors(form, error, requested, available.lines)
                    step, status = "", 400
                except DomainError as error:
                    form.add("lines", refusal(FieldError("", error.code, error.message), **_values()))
                    step, status = "", 400
                else:
                    return _see(links.page_path(result.ret), _asked_language(request))
        context = {
            **_common(request, language),
            "order": order,
            "token": token,
            "offer": available,
            "rows": [
                (index, line, form.chosen.get(index), form.errors.get(f"line-{index}"))
                for index, line in enumerate(available.lines)
            ],
            "form": form,
            "step": step,
            "status_path": order_links.status_path(order),
        }
        response = render(request, "portal/withdraw.html", context, status=status)
    return _private(response, language)


def _read_withdrawal(request: HttpRequest, available: offers.Offer) -> Form:
    post = request.POST
    form = Form(values={name: str(post.get(name, "")).strip() for name in ("key", "name", "email")})
    form.values["key"] = form.values["key"][:64] or str(uuid.uuid4())
    if not form.values["name"] or text_problem(form.values["name"]) or len(form.values["name"]) > 150:
        form.add("name", refusal(FieldError("", "name_required", ""), **_values()))
    try:
        form.values["email"] = normalize_email(form.values["email"])
    except InvalidContact:
        form.add("email", refusal(FieldError("", "email_invalid", ""), **_values()))
    _chosen_lines(request, form, available.lines)
    return form
