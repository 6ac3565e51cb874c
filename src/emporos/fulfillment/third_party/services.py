"""Hand-over services: send a fulfillment order's request through its location's adapter, and
apply what the fulfillment service (3PL) answered through the fulfillment domain: accepted and
rejected through `handover.answer`, a shipped parcel through `create_shipment` (carrier manual,
the 3PL's tracking number), which closes the fulfillment order once all its units shipped.

The answers of one source (a file) are checked first and applied in one transaction: all of
them or none. Applying is idempotent, so a source read twice (a crash before it was moved, the
same file dropped again) changes nothing: an answer only moves a request still waiting for one,
and a parcel's shipment is keyed by the request and its tracking number.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from emporos.core.actor import Actor
from emporos.core.errors import DomainError
from emporos.fulfillment import events, handover, shipments
from emporos.fulfillment.models import FulfillmentOrder, FulfillmentOrderLine, Handover, Mode, Shipment, Status
from emporos.fulfillment.third_party import adapters
from emporos.fulfillment.third_party.adapters import (
    AnswerKind,
    HandoverAnswer,
    HandoverLine,
    HandoverRequest,
    ShipTo,
)
from emporos.inventory.models import Location, LocationKind
from emporos.orders.services import about_order
from emporos.timeline import services as timeline

log = logging.getLogger(__name__)

# The most problems a timeline note repeats; the error file beside the answers has them all.
_NOTE_PROBLEMS = 10


@dataclass(frozen=True)
class Collected:
    """What one collection did: answers applied, and sources set aside for their problems."""

    applied: int = 0
    failed: int = 0

    def __add__(self, other: Collected) -> Collected:
        return Collected(applied=self.applied + other.applied, failed=self.failed + other.failed)


def build_request(fulfillment_order: FulfillmentOrder) -> HandoverRequest:
    """What the 3PL is asked to ship: the fulfillment order's units not shipped yet."""
    fo = fulfillment_order
    order = fo.order
    to = shipments.recipient_address(order)
    lines = (
        FulfillmentOrderLine.objects.filter(fulfillment_order=fo)
        .select_related("order_line")
        .order_by("order_line__sku", "id")
    )
    cod = shipments.cash_on_delivery_due(order)
    return HandoverRequest(
        request_id=str(fo.public_id),
        order_number=order.display_number,
        created_at=fo.created_at,
        ship_to=ShipTo(
            name=to.name,
            company=to.company,
            line1=to.line1,
            line2=to.line2,
            postal_code=to.postal_code,
            city=to.city,
            country=to.country,
            phone=to.phone,
            pickup_point=(order.shipping_address or {}).get("pickup_point", ""),
        ),
        method=order.shipping_method,
        lines=tuple(
            HandoverLine(
                sku=line.order_line.sku, name=line.order_line.name, quantity=line.quantity - line.quantity_shipped
            )
            for line in lines
            if line.quantity > line.quantity_shipped
        ),
        is_express=fo.is_express,
        gift_wrap=order.gift_wrap,
        gift_message=order.gift_message,
        cash_on_delivery=cod,
        currency=order.currency if cod is not None else "",
    )


def send_request(*, fulfillment_order_id: int) -> bool:
    """Send the hand-over request of a fulfillment order still waiting for the 3PL's answer,
    through its location's adapter. Returns whether it was sent (not: answered or cancelled
    meanwhile, or a location that hands over by hand)."""
    fo = (
        FulfillmentOrder.objects.select_related("order__customer", "location")
        .filter(pk=fulfillment_order_id, mode=Mode.THIRD_PARTY)
        .first()
    )
    if fo is None or fo.handover != Handover.REQUESTED or fo.status != Status.IN_PROGRESS:
        return False
    location = fo.location
    if location is None or not location.handover:
        log.info("Fulfillment order %s: its location hands over by hand; nothing sent", fo.public_id)
        return False
    adapters.adapter(location.handover, location=location.code).send(build_request(fo))
    return True


def collect_all() -> Collected:
    """Collect and apply the answers of every active 3PL location that has an adapter. A
    location whose adapter fails is logged and the others go on."""
    total = Collected()
    locations = Location.objects.filter(is_active=True, kind=LocationKind.THIRD_PARTY).exclude(handover="")
    for location in locations.order_by("code"):
        try:
            total += collect_answers(location=location)
        except Exception:  # one location's trouble never stops the others
            log.exception("Collecting the 3PL answers of location %s failed", location.code)
    return total


def collect_answers(*, location: Location) -> Collected:
    """Collect the answers waiting at `location`'s adapter and apply each source's together.
    A source with a problem is applied not at all and set aside with its problems; one that
    fails unexpectedly (the database away) stays where it is, to be tried again."""
    adapter = adapters.adapter(location.handover, location=location.code)
    actor = Actor.system(location.name)
    by_source: dict[str, list[HandoverAnswer]] = {}
    for answer in adapter.collect():
        by_source.setdefault(answer.source, []).append(answer)
    result = Collected()
    for source, answers in by_source.items():
        try:
            problems = _apply_source(location, answers, actor)
            if problems:
                _record_failure(location, source, answers, problems, actor)
        except Exception:  # left in place, and tried again on the next run
            log.exception("3PL answers %s of location %s could not be applied now", source, location.code)
            continue
        adapter.settle(source, problems)
        if problems:
            log.warning("3PL answers %s of location %s refused: %s", source, location.code, "; ".join(problems))
        result += Collected(applied=0 if problems else len(answers), failed=1 if problems else 0)
    return result


def _apply_source(location: Location, answers: list[HandoverAnswer], actor: Actor) -> list[str]:
    """Apply the answers of one source in one transaction; returns the problems that kept them
    all from being applied (none: applied)."""
    targets, problems = _checked(location, answers)
    if problems:
        return problems
    current = answers[0]
    try:
        with transaction.atomic():
            for current in answers:
                _apply(targets[current.request_id], current, actor)
    except DomainError as error:
        return [f"{current.answer_id}: {error.message}"]
    except IntegrityError:
        return [
            f"{current.answer_id}: tracking number {current.tracking_number} is already on another parcel; "
            "give each parcel its own tracking number."
        ]
    return []


def _checked(location: Location, answers: list[HandoverAnswer]) -> tuple[dict[str, FulfillmentOrder], list[str]]:
    """The fulfillment orders the answers are about, and every problem found before applying:
    a request this location was never sent, a SKU not in the request, more units than left."""
    targets = {
        str(fo.public_id): fo
        for fo in FulfillmentOrder.objects.select_related("order").filter(
            public_id__in={answer.request_id for answer in answers}, location=location, mode=Mode.THIRD_PARTY
        )
    }
    left: dict[str, dict[str, int]] = {request_id: {} for request_id in targets}
    for line in FulfillmentOrderLine.objects.filter(fulfillment_order__in=targets.values()).select_related(
        "order_line", "fulfillment_order"
    ):
        units = left[str(line.fulfillment_order.public_id)]
        units[line.order_line.sku] = units.get(line.order_line.sku, 0) + line.quantity - line.quantity_shipped
    problems: list[str] = []
    for answer in answers:
        if answer.request_id not in targets:
            problems.append(
                f"{answer.answer_id}: request {answer.request_id} is unknown: no request with this request_id "
                f"was sent to location {location.code}."
            )
        elif answer.kind == AnswerKind.SHIPPED:
            problems.extend(_parcel_problems(answer, left[answer.request_id]))
    return targets, problems


def _parcel_problems(answer: HandoverAnswer, left: dict[str, int]) -> list[str]:
    """What is wrong with a shipped parcel, counting its units off `left` (SKU: units of the
    request not shipped yet). A parcel recorded already is checked against what it was."""
    where = f"{answer.answer_id}: parcel {answer.tracking_number} of request {answer.request_id}"
    recorded = Shipment.objects.filter(idempotency_key=_shipment_key(answer)).first()
    if recorded is not None:
        if recorded.request_fingerprint != _fingerprint(answer):
            return [f"{where} was recorded already with other lines; a parcel's lines cannot change once shipped."]
        return []
    if not answer.lines:
        if not any(left.values()):
            return [f"{where}: the request has no units left to ship."]
        left.update(dict.fromkeys(left, 0))
        return []
    problems = []
    for sku, quantity in answer.lines:
        if sku not in left:
            problems.append(f"{where}: SKU {sku} is not in the request.")
        elif quantity > left[sku]:
            problems.append(f"{where}: {quantity} of SKU {sku}, but the request has {left[sku]} left to ship.")
        else:
            left[sku] -= quantity
    return problems


def _apply(fo: FulfillmentOrder, answer: HandoverAnswer, actor: Actor) -> None:
    if answer.kind == AnswerKind.ACCEPTED:
        handover.answer(fulfillment_order=fo, accepted=True, note=answer.note, actor=actor)
    elif answer.kind == AnswerKind.REJECTED:
        handover.answer(fulfillment_order=fo, accepted=False, note=answer.note, actor=actor)
    else:
        _ship(fo, answer, actor)


def _ship(fo: FulfillmentOrder, answer: HandoverAnswer, actor: Actor) -> None:
    """Record the parcel the 3PL shipped; shipping answers a request still waiting (accepted)."""
    key = _shipment_key(answer)
    if Shipment.objects.filter(idempotency_key=key).exists():
        return
    fo = handover.answer(fulfillment_order=fo, accepted=True, note="", actor=actor)
    lines = list(answer.lines) or [
        (line.order_line.sku, line.quantity - line.quantity_shipped)
        for line in FulfillmentOrderLine.objects.filter(fulfillment_order=fo)
        .select_related("order_line")
        .order_by("id")
        if line.quantity > line.quantity_shipped
    ]
    shipments.create_shipment(
        order=fo.order,
        draft=shipments.ShipmentDraft(
            lines=lines, carrier="manual", tracking_number=answer.tracking_number, carrier_name=answer.carrier
        ),
        actor=actor,
        idempotency_key=key,
        fingerprint=_fingerprint(answer),
    )


def _shipment_key(answer: HandoverAnswer) -> str:
    return f"handover:{answer.request_id}:{answer.tracking_number}"


def _fingerprint(answer: HandoverAnswer) -> str:
    """The parcel's lines as the 3PL gave them (none: every unit left)."""
    described = ";".join(f"{sku}={quantity}" for sku, quantity in sorted(answer.lines)) or "*"
    return hashlib.sha256(described.encode()).hexdigest()


def _record_failure(
    location: Location, source: str, answers: list[HandoverAnswer], problems: list[str], actor: Actor
) -> None:
    """Tell each order the source had answers about that they were not applied, and why."""
    shown = problems[:_NOTE_PROBLEMS]
    if len(problems) > len(shown):
        shown.append(f"... and {len(problems) - len(shown)} more in the error file.")
    with transaction.atomic():
        for fo in FulfillmentOrder.objects.select_related("order").filter(
            public_id__in={answer.request_id for answer in answers}, location=location
        ):
            timeline.record(
                event=events.HandoverAnswerFailed(
                    order_id=fo.order_id, fulfillment_order_id=fo.pk, location_id=location.pk
                ),
                about=about_order(fo.order),
                actor=actor,
                facts={"number": fo.order.display_number, "source": source, "note": "\n".join(shown)},
            )
