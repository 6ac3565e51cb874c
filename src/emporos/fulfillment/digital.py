"""Automatic fulfillment of digital lines: a signed, expiring, counted download link per file,
memberships activated; the lines count as delivered at once."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from emporos.catalog.models import DigitalAsset, FulfillmentMode
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.customers import memberships
from emporos.fulfillment import events
from emporos.fulfillment.errors import DownloadUnavailable
from emporos.fulfillment.models import Download, FulfillmentOrder, FulfillmentOrderLine, Status
from emporos.orders import services as orders
from emporos.orders.models import OrderLine
from emporos.orders.services import about_order
from emporos.timeline import services as timeline

_SALT = "emporos.fulfillment.download"


def deliver(*, fulfillment_order: FulfillmentOrder, actor: Actor) -> list[Download]:
    """Deliver every undelivered line of a digital fulfillment order, inside the caller's transaction."""
    fo = fulfillment_order
    order = fo.order
    fo_lines = list(FulfillmentOrderLine.objects.filter(fulfillment_order=fo).order_by("id"))
    lines = {
        line.pk: line
        for line in OrderLine.objects.filter(pk__in=[fl.order_line_id for fl in fo_lines]).select_related(
            "variant__product", "variant__digital_asset"
        )
    }
    now = clock.now()
    downloads: list[Download] = []
    activated = 0
    quantities: dict[int, int] = {}
    for fo_line in fo_lines:
        left = fo_line.quantity - fo_line.quantity_shipped
        if left <= 0:
            continue
        line = lines[fo_line.order_line_id]
        if line.variant.product.fulfillment_mode == FulfillmentMode.MEMBERSHIP:
            memberships.activate(
                customer_id=order.customer_id,
                sku=line.sku,
                name=line.name,
                source=f"order-line:{line.pk}",
                actor=actor,
            )
            activated += 1
        else:
            asset = DigitalAsset.objects.filter(variant_id=line.variant_id).first()
            if asset is not None:
                download, _ = Download.objects.get_or_create(
                    order_line=line,
                    defaults={
                        "file": asset.file.name,
                        "filename": asset.filename,
                        "expires_at": now + dt.timedelta(days=asset.link_days or settings.EMPOROS["DOWNLOAD_DAYS"]),
                        "max_downloads": (asset.download_limit or settings.EMPOROS["DOWNLOAD_LIMIT"]) * line.quantity,
                        "created_at": now,
                    },
                )
                downloads.append(download)
        quantities[line.pk] = left
        FulfillmentOrderLine.objects.filter(pk=fo_line.pk).update(quantity_shipped=fo_line.quantity)
    if not quantities:
        return downloads
    orders.ship_lines(order=order, quantities=quantities, reference=order.display_number, actor=actor, delivered=True)
    FulfillmentOrder.objects.filter(pk=fo.pk).update(status=Status.CLOSED, updated_at=now)
    fo.status = Status.CLOSED
    timeline.record(
        event=events.DigitalDelivered(order_id=order.pk, downloads=len(downloads), memberships=activated),
        about=about_order(order),
        actor=actor,
        facts={"number": order.display_number},
    )
    return downloads


def signed_token(download: Download) -> str:
    """What the customer's link carries: the download's random token, signed."""
    return signing.dumps(str(download.token), salt=_SALT, compress=False)


def link_path(download: Download) -> str:
    """The customer's download link (a path; the message adds the shop's address)."""
    return reverse("portal:download", args=[signed_token(download)])


def open_download(*, signed: str) -> tuple[Download, bytes | None]:
    """Count one download of a valid link and return it (the caller streams the file). A link
    that was tampered with, has expired or is used up raises DownloadUnavailable."""
    try:
        token = uuid.UUID(signing.loads(signed, salt=_SALT))
    except (signing.BadSignature, ValueError):
        raise DownloadUnavailable(_("This download link is not valid; use the link from your e-mail.")) from None
    now = clock.now()
    with transaction.atomic():
        counted = Download.objects.filter(token=token, expires_at__gt=now, downloads__lt=F("max_downloads")).update(
            downloads=F("downloads") + 1
        )
        download = Download.objects.filter(token=token).first()
        if download is None:
            raise DownloadUnavailable(_("This download link is not valid; use the link from your e-mail."))
        if counted != 1:
            if download.expires_at <= now:
                raise DownloadUnavailable(
                    _("This download link has expired; write to the shop and they will send a new one.")
                )
            raise DownloadUnavailable(
                _("This download link has been used as many times as it allows; write to the shop for a new one.")
            )
    return download, None
