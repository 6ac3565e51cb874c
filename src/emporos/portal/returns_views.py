"""The customer's pages of a return, by its signed link: the return's page and its label."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from emporos.portal.views import _common, _language, _private
from emporos.returns import label, links


@require_GET
@never_cache
def return_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ret = links.return_for_token(token)
    except links.ReturnLinkInvalid:
        raise Http404 from None
    language = _language(request, ret.order.customer.language)
    with translation.override(language):
        context = {**_common(request, language), "ret": ret, "lines": list(ret.lines.order_by("id")), "token": token}
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
