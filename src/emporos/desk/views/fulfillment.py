"""Fulfilment: the waves and what waits for one, a wave's orders and its printed documents.

Forming a wave and making its labels are POSTs that redirect back (post/redirect/get); the
pick list, packing slips and labels are GETs that answer a PDF, opened in a tab of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from emporos.access.roles import Permission
from emporos.core import clock
from emporos.core.errors import DomainError, NotFound, ValidationFailed
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.responses import not_found, post_only
from emporos.fulfillment import printing, selectors, waves
from emporos.fulfillment.models import FulfillmentOrder, FulfillmentOrderLine, Shipment, ShipmentStatus, Status, Wave
from emporos.fulfillment.shipments import ShipmentDraft, create_shipment
from emporos.shipping.models import Method

READY_SHOWN = 50
WAITING_SHOWN = 10
WAVES_SHOWN = 20


@staff_required(Permission.FULFIL_ORDERS)
@require_GET
def fulfillment_page(request: HttpRequest) -> HttpResponse:
    context = {
        "section": "fulfillment",
        "tab": "waves",
        "waves": selectors.recent_waves(limit=WAVES_SHOWN),
        "ready": selectors.ready_for_wave(limit=READY_SHOWN),
        "waiting": selectors.waiting_groups(per_reason=WAITING_SHOWN),
    }
    return render(request, "desk/fulfillment/page.html", context)


@staff_required(Permission.FULFIL_ORDERS)
@post_only(lambda request: reverse("desk:fulfillment"))
def start_wave(request: HttpRequest) -> HttpResponse:
    """A wave of everything ready now, whatever the time: for a shop that packs when it can."""
    wave = waves.form_wave(cutoff_at=clock.now(), actor=actor_for(request))
    if wave is None:
        if selectors.ready_for_wave(limit=0).orders:
            # Wave references count minutes: another wave was formed in this same minute.
            messages.error(request, _("A wave was started a moment ago. Start the next one in a minute."))
        else:
            messages.info(request, _("Nothing is ready: no order waits for a wave."))
        return HttpResponseRedirect(reverse("desk:fulfillment"), status=303)
    orders = len({fo.order_id for fo in selectors.wave_fulfillment_orders(wave)})
    messages.success(
        request,
        ngettext(
            "Wave %(reference)s started with %(count)s order.",
            "Wave %(reference)s started with %(count)s orders.",
            orders,
        )
        % {"reference": wave.reference, "count": orders},
    )
    return HttpResponseRedirect(reverse("desk:wave", args=[wave.public_id]), status=303)


@dataclass(frozen=True)
class WaveRow:
    part: FulfillmentOrder
    method: str
    progress: str  # to_pack, partly_packed, packed, shipped, on_hold, cancelled
    parcels: list[Shipment]


# Carrier statuses that say the parcel has left the shop.
_LEFT = frozenset(ShipmentStatus) - {ShipmentStatus.LABEL_CREATED, ShipmentStatus.CANCELLED}


def _progress(part: FulfillmentOrder, parcels: list[Shipment]) -> str:
    if part.status in (Status.ON_HOLD, Status.CANCELLED):
        return str(part.status)
    sent = [parcel for parcel in parcels if parcel.status != ShipmentStatus.CANCELLED]
    if not sent:
        return "to_pack"
    if part.status != Status.CLOSED:
        return "partly_packed"
    return "shipped" if all(parcel.status in _LEFT for parcel in sent) else "packed"


@staff_required(Permission.FULFIL_ORDERS)
@require_GET
def wave_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        wave = selectors.wave(public_id)
    except NotFound:
        return _no_wave(request)
    parts = selectors.wave_fulfillment_orders(wave)
    parcels = selectors.wave_shipments(wave)
    by_part: dict[int | None, list[Shipment]] = {}
    for parcel in parcels:
        by_part.setdefault(parcel.fulfillment_order_id, []).append(parcel)
    names = dict(
        Method.objects.filter(code__in={part.order.shipping_method for part in parts}).values_list("code", "name")
    )
    rows = [
        WaveRow(
            part=part,
            method=names.get(part.order.shipping_method, part.order.shipping_method),
            progress=_progress(part, by_part.get(part.pk, [])),
            parcels=by_part.get(part.pk, []),
        )
        for part in parts
    ]
    context = {
        "section": "fulfillment",
        "wave": wave,
        "rows": rows,
        "orders": len({part.order_id for part in parts}),
        "to_label": sum(1 for row in rows if row.progress == "to_pack"),
        "parcels": [parcel for parcel in parcels if parcel.status != ShipmentStatus.CANCELLED],
    }
    return render(request, "desk/fulfillment/wave.html", context)


def _wave_or_none(public_id: UUID) -> Wave | None:
    try:
        return selectors.wave(public_id)
    except NotFound:
        return None


def _no_wave(request: HttpRequest) -> HttpResponse:
    return not_found(
        request,
        section="fulfillment",
        title=_("There is no such wave"),
        message=_("The link may be old or mistyped. The fulfilment page lists the recent waves."),
        link_url=reverse("desk:fulfillment"),
        link_text=_("Back to fulfilment"),
    )


def pdf(content: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser's viewer (print from there), saved under `filename`."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@staff_required(Permission.FULFIL_ORDERS)
@require_GET
def pick_list(request: HttpRequest, public_id: UUID) -> HttpResponse:
    wave = _wave_or_none(public_id)
    if wave is None:
        return _no_wave(request)
    return pdf(printing.pick_list(wave, language=get_language()), f"pick-list-{wave.reference}.pdf")


def _open_parts(wave: Wave) -> list[FulfillmentOrder]:
    """The wave's parts still to pack (not shipped, held or cancelled since)."""
    return [part for part in selectors.wave_fulfillment_orders(wave) if part.status == Status.IN_PROGRESS]


@staff_required(Permission.FULFIL_ORDERS)
@require_GET
def packing_slips(request: HttpRequest, public_id: UUID) -> HttpResponse:
    wave = _wave_or_none(public_id)
    if wave is None:
        return _no_wave(request)
    parts = _open_parts(wave)
    if not parts:
        messages.info(request, _("Every order of this wave is packed or held: there is no slip to print."))
        return HttpResponseRedirect(reverse("desk:wave", args=[wave.public_id]), status=303)
    return pdf(printing.packing_slips(parts, actor=actor_for(request)), f"packing-slips-{wave.reference}.pdf")


@staff_required(Permission.FULFIL_ORDERS)
@post_only(lambda request, public_id: reverse("desk:wave", args=[public_id]))
def make_labels(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A parcel with its label for each open part of the wave that has none yet, then the labels.

    Each part's parcel is keyed by the part, so pressing twice never makes a second one."""
    wave = _wave_or_none(public_id)
    if wave is None:
        return _no_wave(request)
    actor, made, refused = actor_for(request), 0, []
    for part in _open_parts(wave):
        if part.shipments.exists():  # packed at the packing table already
            continue
        draft = ShipmentDraft(
            lines=[(line.order_line.sku, line.quantity - line.quantity_shipped) for line in _left(part)]
        )
        try:
            _parcel, created = create_shipment(
                order=part.order, draft=draft, actor=actor, idempotency_key=f"wave-{part.public_id}", wave=wave
            )
        except DomainError as error:
            refused.append(f"{part.order.display_number}: {_why(error)}")
            continue
        made += int(created)
    if made:
        messages.success(
            request,
            ngettext("%(count)s label made.", "%(count)s labels made.", made) % {"count": made},
        )
    if refused:
        heading = ngettext(
            "%(count)s order got no label; pack it at the packing table:",
            "%(count)s orders got no label; pack them at the packing table:",
            len(refused),
        )
        messages.error(request, " ".join([heading % {"count": len(refused)}, *refused]))
        return HttpResponseRedirect(reverse("desk:wave", args=[wave.public_id]), status=303)
    return HttpResponseRedirect(reverse("desk:wave_labels", args=[wave.public_id]), status=303)


def _left(part: FulfillmentOrder) -> list[FulfillmentOrderLine]:
    return [
        line
        for line in part.lines.select_related("order_line").order_by("order_line__sku")
        if line.quantity > line.quantity_shipped
    ]


def _why(error: DomainError) -> str:
    if isinstance(error, ValidationFailed):
        return " ".join(item.message for item in error.errors)
    return error.message


def _wave_parcels(wave: Wave) -> list[Shipment]:
    return [parcel for parcel in selectors.wave_shipments(wave) if parcel.status != ShipmentStatus.CANCELLED]


@staff_required(Permission.FULFIL_ORDERS)
@require_GET
def wave_labels(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Every label Emporos prints for the wave's parcels in one PDF (carriers' own labels are
    opened parcel by parcel)."""
    wave = _wave_or_none(public_id)
    if wave is None:
        return _no_wave(request)
    printed = [parcel for parcel in _wave_parcels(wave) if not parcel.label]
    if not printed:
        messages.info(request, _("No label of this wave is printed by Emporos: open each parcel's label below."))
        return HttpResponseRedirect(reverse("desk:wave", args=[wave.public_id]), status=303)
    return pdf(printing.labels(printed), f"labels-{wave.reference}.pdf")


@staff_required(Permission.FULFIL_ORDERS)
@require_GET
def wave_labels_zpl(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Every label of the wave as ZPL, one after another, for a thermal printer."""
    wave = _wave_or_none(public_id)
    if wave is None:
        return _no_wave(request)
    parcels = _wave_parcels(wave)
    if not parcels:
        messages.info(request, _("This wave has no parcel yet: make the labels first."))
        return HttpResponseRedirect(reverse("desk:wave", args=[wave.public_id]), status=303)
    body = "\n".join(printing.label_zpl(parcel) for parcel in parcels)
    response = HttpResponse(body, content_type="application/zpl; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="labels-{wave.reference}.zpl"'
    return response
