"""Customer pages reached by a signed link (no sign-in): digital downloads for now."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from emporos.fulfillment import digital
from emporos.fulfillment.errors import DownloadUnavailable
from emporos.orders import links


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


@require_GET
def order_status(request: HttpRequest, token: str) -> HttpResponse:
    """The order's status page by its signed link (the page itself comes with the tracking work)."""
    try:
        order = links.order_for_token(token)
    except links.StatusLinkInvalid:
        return HttpResponse(_("This link is not valid."), status=404)
    return HttpResponse(order.display_number)
