"""Customer pages reached by a signed link (no sign-in): digital downloads, the order's status
page, and the lookup form for a customer who lost the link."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from emporos.access.throttle import client_address
from emporos.fulfillment import digital, status_page
from emporos.fulfillment.errors import DownloadUnavailable
from emporos.orders import links
from emporos.portal import throttle
from emporos.portal.forms import LookupForm
from emporos.returns import links as return_links
from emporos.returns import offer as return_offer
from emporos.shop import selectors as shop


@require_GET
def download(request: HttpRequest, signed: str) -> HttpResponseBase:
    """Stream a digital line's file once more, if the link is valid, unexpired and not used up."""
    try:
        item, _unused = digital.open_download(signed=signed)
    except DownloadUnavailable as refusal:
        page = format_html(
            "<!doctype html><html lang='{}' dir='{}'><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'><title>{}</title>"
            "<main style='font-family:sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem'>"
            "<h1>{}</h1><p>{}</p></main></html>",
            get_language(),
            "rtl" if get_language_bidi() else "ltr",
            _("Download unavailable"),
            _("Download unavailable"),
            refusal.message,
        )
        return HttpResponse(page, status=410)
    return FileResponse(default_storage.open(item.file, "rb"), as_attachment=True, filename=item.filename)


def _asked_language(request: HttpRequest) -> str:
    """The language the reader chose with the page's picker (?lang=), or "" when none (or junk)."""
    asked = str(request.GET.get("lang", ""))
    return asked if asked in {code for code, _name in settings.LANGUAGES} else ""


def _language(request: HttpRequest, preferred: str = "") -> str:
    """The picker's choice, else the order's customer language, else the browser's (LocaleMiddleware)."""
    codes = {code for code, _name in settings.LANGUAGES}
    return _asked_language(request) or (preferred if preferred in codes else "") or get_language()


def _private(response: HttpResponse, language: str) -> HttpResponse:
    """The page holds a secret link and a customer's order: no index, no cache, no Referer to another
    site such as the carrier's (the token is in the address; "no-referrer" would make browsers
    send "Origin: null" with the lookup form, which the CSRF check refuses), and its language."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Language"] = language
    return response


def _common(request: HttpRequest, language: str) -> dict[str, object]:
    current = shop.current()
    return {
        "shop": current,
        "language": language,
        "asked_language": _asked_language(request),
        "lookup_url": _lookup_url(_asked_language(request)),
    }


def _lookup_url(language: str) -> str:
    path = reverse("portal:order_lookup")
    return f"{path}?{urlencode({'lang': language})}" if language else path


@require_GET
@never_cache
def order_status(request: HttpRequest, token: str) -> HttpResponse:
    """The order's status page by its signed link; a tampered link is 404, an expired one 410,
    both with the lookup form."""
    try:
        order = links.order_for_token(token)
    except links.StatusLinkExpired:
        return _refused(request, expired=True)
    except links.StatusLinkInvalid:
        return _refused(request, expired=False)
    language = _language(request, order.customer.language)
    with translation.override(language):
        context = {
            **_common(request, language),
            "page": status_page.status_page(order),
            "order": order,
            "token": token,
            "returns_offer": return_offer.offer(order),
            "returns": [
                (ret, return_links.page_path(ret)) for ret in order.returns.select_related("order").order_by("sequence")
            ],
        }
        response = render(request, "portal/status.html", context)
    return _private(response, language)


def _refused(request: HttpRequest, *, expired: bool) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        context = {**_common(request, language), "expired": expired, "form": LookupForm()}
        response = render(request, "portal/refused.html", context, status=410 if expired else 404)
    return _private(response, language)


@require_http_methods(["GET", "POST"])
@never_cache
def order_lookup(request: HttpRequest) -> HttpResponse:
    """Order number + e-mail -> the order's signed page. Wrong pairs are counted per client
    address and per order number (portal.throttle); past the limit the answer is 429."""
    language = _language(request)
    with translation.override(language):
        context = _common(request, language)
        if request.method != "POST":
            response = render(request, "portal/lookup.html", {**context, "form": LookupForm()})
            return _private(response, language)
        form = LookupForm(request.POST)
        address = client_address(request)
        number = str(request.POST.get("number", ""))[:30]
        wait = throttle.locked_for(address=address, number=number)
        if wait is not None:
            waiting = throttle.minutes(wait)
            response = render(
                request, "portal/lookup.html", {**context, "form": form, "locked_minutes": waiting}, status=429
            )
            response["Retry-After"] = str(int(wait.total_seconds()) + 1)
            return _private(response, language)
        if form.is_valid():
            order = status_page.find_order(number=form.cleaned_data["number"], email=form.cleaned_data["email"])
            if order is not None:
                target = links.status_path(order)
                if context["asked_language"]:
                    target += "?" + urlencode({"lang": context["asked_language"]})
                return HttpResponseRedirect(target)
            throttle.record_failure(address=address, number=number)
            form.add_error(
                None,
                _(
                    "We found no order with this number and e-mail address. "
                    "Check both (the e-mail address must be the one you ordered with) and try again."
                ),
            )
        response = render(request, "portal/lookup.html", {**context, "form": form}, status=400)
        return _private(response, language)
