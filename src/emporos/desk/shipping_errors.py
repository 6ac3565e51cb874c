"""A refused shipment in the packer's words, next to the field it is about.

`create_shipment` names the SKU it refuses (CannotShip) and the fields it cannot accept
(ValidationFailed); the desk knows what the order's lines are waiting for, so it can say why.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from emporos.core.errors import DomainError, ValidationFailed
from emporos.desk.labels import label
from emporos.fulfillment.carriers import CarrierError, CarrierNotConfigured
from emporos.fulfillment.errors import ShipmentIdempotencyKeyReused
from emporos.fulfillment.packing import PackingPlan
from emporos.fulfillment.shipments import ShipmentDraft
from emporos.orders.errors import CannotShip
from emporos.orders.services.stock import SHIPPING_STATUSES

# The service's field -> the form's, for the fields both have.
_SAME_FIELDS = ("packaging", "tracking_number", "carrier")


def show_shipping_error(
    form: forms.Form,
    error: DomainError,
    *,
    plan: PackingPlan,
    line_field: Callable[[str], str | None],
    draft: ShipmentDraft,
) -> None:
    """Add `error` to `form`: on the SKU's line, on the field it names, or on top."""
    if isinstance(error, CannotShip):
        field = line_field(error.sku) if error.sku else None
        form.add_error(field, _cannot_ship(error, plan, draft))
    elif isinstance(error, ValidationFailed):
        for item in error.errors:
            form.add_error(
                _field_of(item.field, form, line_field, draft), _field_message(item.field, item.code, item.message)
            )
    elif isinstance(error, ShipmentIdempotencyKeyReused):
        form.add_error(
            None, _("This package was closed already with other contents. Open the order again to pack what is left.")
        )
    elif isinstance(error, CarrierNotConfigured):
        form.add_error(None, _("The carrier is not set up in Emporos yet: %(reason)s") % {"reason": error.message})
    elif isinstance(error, CarrierError):
        form.add_error(None, _("The carrier refused the label: %(reason)s") % {"reason": error.message})
    else:
        form.add_error(None, error.message)


def _cannot_ship(error: CannotShip, plan: PackingPlan, draft: ShipmentDraft) -> str:
    order = plan.order
    if error.sku is None:
        if order.status not in SHIPPING_STATUSES:
            return _("Order %(number)s is %(status)s now: nothing of it can be shipped.") % {
                "number": order.display_number,
                "status": label("status", order.status),
            }
        return _("Nothing of order %(number)s can be shipped now.") % {"number": order.display_number}
    waiting = next((line for line in (*plan.waiting, *plan.held) if line.sku == error.sku), None)
    if waiting is not None:
        return _("%(sku)s cannot be shipped yet: %(reason)s.") % {
            "sku": error.sku,
            "reason": label("hold_reason", waiting.reason),
        }
    asked = dict(draft.lines).get(error.sku, 0)
    left = plan.quantity_of(error.sku)
    if asked > left:
        return ngettext(
            "Only %(count)s unit of %(sku)s is left to ship.",
            "Only %(count)s units of %(sku)s are left to ship.",
            left,
        ) % {"count": left, "sku": error.sku}
    return _("%(sku)s cannot be shipped now.") % {"sku": error.sku}


def _field_of(path: str, form: forms.Form, line_field: Callable[[str], str | None], draft: ShipmentDraft) -> str | None:
    parts = path.split(".")
    if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(draft.lines):
        name = line_field(draft.lines[int(parts[1])][0])
        return name if name in form.fields else None
    return path if path in _SAME_FIELDS and path in form.fields else None


def _field_message(path: str, code: str, message: str) -> str:
    if path == "tracking_number" and code == "required":
        return _("Type the tracking number from the carrier's label.")
    if path == "packaging" and code == "unknown_packaging":
        return _("This packaging is no longer in use; choose another.")
    if path == "carrier" and code == "unknown_carrier":
        return _("Emporos does not know this carrier; choose one from the list.")
    return message
