"""The order page's fulfilment section: the order's parts (where each leaves from, why it waits,
its wave), their holds, and its parcels."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from emporos.access.roles import Permission, can
from emporos.desk.auth import staff_role
from emporos.desk.forms import DeskForm, plain_text
from emporos.desk.labels import label
from emporos.fulfillment import selectors
from emporos.fulfillment.models import FulfillmentOrder, HoldReason, Shipment, Status
from emporos.orders.models import Order, OrderLine
from emporos.orders.services.stock import SHIPPING_STATUSES

# The holds staff place, in the order the select offers them.
STAFF_HOLDS = (
    HoldReason.ADDRESS_PROBLEM,
    HoldReason.AWAITING_VERIFICATION,
    HoldReason.AWAITING_PAYMENT,
    HoldReason.OTHER,
)
# A part in one of these may be held by staff (a part waiting for stock or a date waits anyway).
HOLDABLE = frozenset({Status.OPEN, Status.IN_PROGRESS})


def _hold_choices() -> list[tuple[str, str]]:
    return [(str(reason), label("hold_reason", reason).capitalize()) for reason in STAFF_HOLDS]


class HoldPartForm(DeskForm):
    reason = forms.ChoiceField(label=gettext_lazy("Why"), choices=_hold_choices)
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=500,
        validators=[plain_text],
        help_text=gettext_lazy("What to check or who to call; everyone sees it in the timeline."),
    )


@dataclass(frozen=True)
class Failure:
    """A fulfilment action that was refused, to show where it was asked: the hold form of a part
    (`part_id`), a part's release, or a line to mark as made (`line_id`)."""

    form: forms.Form | None = None
    part_id: int | None = None
    line_id: int | None = None
    message: str = ""


@dataclass(frozen=True)
class PartRow:
    part: FulfillmentOrder
    skus: list[str]
    hold_form: forms.Form | None  # None: this part cannot be held (done, or held by staff already)
    is_hold_open: bool
    may_release: bool
    error: str = ""


@dataclass(frozen=True)
class FulfilmentPanel:
    parts: list[PartRow]
    parcels: list[Shipment]
    may_ship: bool  # the role may, the order is being handled, and units are left to ship
    made_error: tuple[int, str] | None = None  # (line id, why it could not be marked as made)


def hold_prefix(part: FulfillmentOrder) -> str:
    return f"hold-{part.pk}"


def panel(request: HttpRequest, order: Order, lines: list[OrderLine], *, failed: Failure | None) -> FulfilmentPanel:
    role = staff_role(request)
    may_hold, may_fulfil = can(role, Permission.HOLD_ORDERS), can(role, Permission.FULFIL_ORDERS)
    sku_of = {line.pk: line.sku for line in lines}
    rows = []
    for part in selectors.fulfillment_orders_of(order):
        is_failed = failed is not None and failed.part_id == part.pk
        holdable = may_hold and part.status in HOLDABLE and not part.held_by_staff
        if is_failed and failed is not None and failed.form is not None:
            form: forms.Form | None = failed.form
        else:
            form = HoldPartForm(prefix=hold_prefix(part)) if holdable else None
        rows.append(
            PartRow(
                part=part,
                skus=sorted(sku_of.get(line.order_line_id, "") for line in part.lines.all()),
                hold_form=form,
                is_hold_open=is_failed and failed is not None and failed.form is not None,
                may_release=may_hold and part.status == Status.ON_HOLD and part.held_by_staff,
                error=failed.message if is_failed and failed is not None else "",
            )
        )
    unshipped = any(line.quantity_unshipped for line in lines)
    parcels = selectors.of_order(order)
    history = selectors.tracking_by_parcel(order) if parcels else {}
    for parcel in parcels:
        parcel.tracking_history = history.get(parcel.pk, [])  # type: ignore[attr-defined]
    return FulfilmentPanel(
        parts=rows,
        parcels=parcels,
        may_ship=may_fulfil and order.status in SHIPPING_STATUSES and unshipped,
        made_error=(failed.line_id, failed.message) if failed is not None and failed.line_id is not None else None,
    )
