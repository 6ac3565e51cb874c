"""What the law (and the shop's own policy) allows when a customer sends goods back: pure rules,
no database. Dates are calendar days in the consumer's country; a window's `ends_on` is the last
day on which the right may still be used.

Three kinds of return, each with its own clock:

- **Withdrawal**, the statutory right to change one's mind.
  - EU baseline, Consumer Rights Directive 2011/83/EU art. 9: 14 calendar days; the day of
    delivery is not counted; when an order arrives in several parcels the clock starts with the
    last one. Greece: Law 2251/1994 art. 3e; Poland: Consumer Rights Act of 30 May 2014 art. 27.
    Poland gives 30 days to an off-premises contract made during an unsolicited visit or a trip
    (art. 27(2), since 1 January 2023): `Terms.off_premises`.
  - Not told of the right (CRD art. 10, PL art. 29): the period runs on for 12 months after the
    initial one ends; information given before that ends it 14 days after the day it came
    (the country's base period for a Polish off-premises contract: the longer reading, as the
    amended art. 29(2) was not re-read).
  - Regulation 1182/71 art. 3(4): a period whose last day is a Saturday, Sunday or public
    holiday of the country ends at the end of the next working day. Public holidays come from
    `core.calendar`. Countries outside the EU and Israel get the EU baseline as the engine's
    default.
  - Israel, Consumer Protection Law 5741-1981 s. 14C(c): 14 days from the later of delivery and
    the disclosure document (`Terms.informed_on`); 4 months for a senior citizen, a person with a
    disability or a new immigrant when the sale included a conversation
    (`Terms.protected_consumer`). Without the disclosure document the clock never starts. When
    the last day is Shabbat or a public holiday it moves to the next day that is neither (the
    Israel Consumer Council's counting): Friday and Sunday do not move it.
  - Before the last parcel arrives the right is open: a consumer may withdraw at any time from
    the contract's conclusion.
- **Conformity**, the legal guarantee (Directive 2019/771 art. 10; Greece Civil Code art. 513 ff.
  as amended by Law 4967/2022; Poland Consumer Rights Act chapter 5a): 2 years from delivery,
  counted like Reg. 1182/71 art. 3(2)(c) (same date two years on, or the month's last day). It
  is a period in which a defect becomes apparent, not a deadline to act, so it is not moved past
  weekends. The engine uses 2 years in Israel too. No fee, ever; exemptions never apply.
- **Policy**, the shop's voluntary return policy (`Terms.voluntary_days` from the last delivery,
  not moved). It is tried only after the statutory right, so a policy shorter than the law never
  narrows it.

Exemptions (CRD art. 16; Greece art. 3ib; the same list in Israel, s. 14C(d), as the engine's
rule) refuse withdrawal and policy returns of: goods made to the consumer's specification or
personalised, from the contract's conclusion (16(c), CJEU C-529/19 Möbel Kraft); goods that
deteriorate rapidly (16(d)); sealed hygiene goods unsealed after delivery (16(e)); digital
content whose download or streaming has begun (16(m)).

Money after a withdrawal: the refund is due 14 days after the notice (CRD art. 13(1), PL art. 32);
the shop may hold it back until the goods are back or the consumer shows they were sent,
whichever comes first (art. 13(3), PL art. 32(4)), unless it offered to collect them. A full
withdrawal refunds the outbound delivery up to the cheapest standard option (art. 13(2)). In
Israel a cancellation fee of 5% of the price or NIS 100, whichever is lower, may be kept
(Cancellation of Transaction Regulations 5771-2010), never for a defect.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import TypeVar

from emporos.core.calendar import WorkingDays
from emporos.core.money import minor_units


class Kind(StrEnum):
    WITHDRAWAL = "withdrawal"
    CONFORMITY = "conformity"
    POLICY = "policy"


class Exemption(StrEnum):
    """A SKU's reason to be outside the right of withdrawal (and the shop's policy)."""

    CUSTOM_MADE = "custom_made"
    HYGIENE_SEALED = "hygiene_sealed"
    PERISHABLE = "perishable"
    DIGITAL = "digital"


class Condition(StrEnum):
    UNOPENED = "unopened"
    OPENED = "opened"
    USED = "used"
    DAMAGED = "damaged"


class RefusalCode(StrEnum):
    """Stable codes of a refusal; interfaces map them to translated words."""

    WITHDRAWAL_PERIOD_OVER = "withdrawal_period_over"
    CONFORMITY_PERIOD_OVER = "conformity_period_over"
    CUSTOM_MADE = "custom_made"
    PERISHABLE = "perishable"
    HYGIENE_SEAL_BROKEN = "hygiene_seal_broken"
    DIGITAL_DOWNLOADED = "digital_downloaded"


# A claim that the goods do not conform to the contract; every other reason is a change of mind.
CONFORMITY_REASONS = frozenset({"defective", "arrived_damaged", "not_as_described"})

WITHDRAWAL_DAYS = 14
POLISH_OFF_PREMISES_DAYS = 30
ISRAELI_PROTECTED_MONTHS = 4
NOT_INFORMED_EXTENSION_MONTHS = 12
CONFORMITY_MONTHS = 24
REFUND_DAYS = 14
ISRAELI_FEE_RATE = Decimal("0.05")
ISRAELI_FEE_CAP_ILS = Decimal(100)

_E = TypeVar("_E", bound=StrEnum)

# Reg. 1182/71 counts Monday to Friday as working days everywhere; Israel moves only past Shabbat.
_MONDAY_TO_FRIDAY = frozenset({1, 2, 3, 4, 5})
_ALL_BUT_SHABBAT = frozenset({1, 2, 3, 4, 5, 7})

_WITHDRAWAL_LAW = {
    "GR": "Law 2251/1994 art. 3e",
    "PL": "Consumer Rights Act art. 27",
    "IL": "Consumer Protection Law s. 14C",
}
_CONFORMITY_LAW = {
    "GR": "Civil Code art. 513 ff.",
    "PL": "Consumer Rights Act chapter 5a",
    "IL": "the 2-year default",
}


@dataclass(frozen=True)
class Terms:
    """The sale's legal situation: whose law applies and what the consumer was told."""

    country: str  # ISO 3166 code of the consumer's country
    voluntary_days: int = 0  # the shop's own return policy, from the last delivery; 0: none
    customer_informed: bool = True  # told of the right to withdraw by delivery at the latest
    informed_on: dt.date | None = None  # the day the information came, when it came late
    off_premises: bool = False  # Poland: made during an unsolicited visit or a trip (30 days)
    protected_consumer: bool = False  # Israel: senior, disability or new immigrant, with a conversation

    def __post_init__(self) -> None:
        if len(self.country) != 2 or not self.country.isalpha() or not self.country.isupper():
            raise ValueError(f'Give the country as an upper-case ISO 3166 code, e.g. "GR", not "{self.country}".')
        if self.voluntary_days < 0:
            raise ValueError(f"voluntary_days is 0 or more, not {self.voluntary_days}.")


@dataclass(frozen=True)
class Window:
    """How long a kind of return is possible. `starts_on` is the day whose end starts the clock
    (the last delivery, or the day the information came); None with `ends_on` None: the clock has
    not started and the window is open."""

    kind: Kind
    starts_on: dt.date | None
    ends_on: dt.date | None

    def is_open_on(self, day: dt.date) -> bool:
        return self.ends_on is None or day <= self.ends_on


@dataclass(frozen=True)
class Windows:
    withdrawal: Window
    conformity: Window
    policy: Window | None  # None when the shop has no voluntary policy


@dataclass(frozen=True)
class Refusal:
    code: RefusalCode
    message: str  # English, naming the rule; interfaces translate the code
    last_day: dt.date | None = None


@dataclass(frozen=True)
class Choice:
    """The kind of return that applies today, or why none does."""

    kind: Kind | None
    window: Window
    refusal: Refusal | None = None

    @property
    def is_allowed(self) -> bool:
        return self.kind is not None


@dataclass(frozen=True)
class RefundDeadline:
    refund_due_on: dt.date  # 14 days after the day the withdrawal notice was received
    may_withhold: bool  # nothing back and no proof of sending yet: the refund may wait
    goods_back_on: dt.date | None  # the earlier of the goods' arrival and the first carrier scan
    is_breached: bool  # the refund is late as of `today`


def add_months(day: dt.date, months: int) -> dt.date:
    """The same date `months` later, or that month's last day when it has no such date."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def last_delivery(delivered_on: Sequence[dt.date | None]) -> dt.date | None:
    """The day the last item arrived; None while any item (or every item) is still on its way."""
    if not delivered_on or any(day is None for day in delivered_on):
        return None
    return max(day for day in delivered_on if day is not None)


def windows(terms: Terms, *, delivered_on: Sequence[dt.date | None]) -> Windows:
    """Each kind's window for an order whose items arrived on `delivered_on` (one per parcel or
    line; None for one not delivered yet)."""
    delivered = last_delivery(delivered_on)
    if delivered is None:
        open_policy = Window(Kind.POLICY, None, None) if terms.voluntary_days else None
        return Windows(Window(Kind.WITHDRAWAL, None, None), Window(Kind.CONFORMITY, None, None), open_policy)
    policy = None
    if terms.voluntary_days:
        policy = Window(Kind.POLICY, delivered, delivered + dt.timedelta(days=terms.voluntary_days))
    return Windows(
        withdrawal=_withdrawal_window(terms, delivered),
        conformity=Window(Kind.CONFORMITY, delivered, add_months(delivered, CONFORMITY_MONTHS)),
        policy=policy,
    )


def _withdrawal_window(terms: Terms, delivered: dt.date) -> Window:
    if terms.country == "IL":
        return _israeli_withdrawal_window(terms, delivered)
    days = POLISH_OFF_PREMISES_DAYS if terms.country == "PL" and terms.off_premises else WITHDRAWAL_DAYS
    working_days = WorkingDays.of(terms.country, _MONDAY_TO_FRIDAY)
    initial_end = working_days.next_working_day(delivered + dt.timedelta(days=days))
    informed_on = terms.informed_on
    if (informed_on is None and terms.customer_informed) or (informed_on is not None and informed_on <= delivered):
        return Window(Kind.WITHDRAWAL, delivered, initial_end)
    extended_end = working_days.next_working_day(add_months(initial_end, NOT_INFORMED_EXTENSION_MONTHS))
    if informed_on is not None and informed_on <= extended_end:
        return Window(
            Kind.WITHDRAWAL, informed_on, working_days.next_working_day(informed_on + dt.timedelta(days=days))
        )
    return Window(Kind.WITHDRAWAL, delivered, extended_end)


def _israeli_withdrawal_window(terms: Terms, delivered: dt.date) -> Window:
    if terms.informed_on is None and not terms.customer_informed:
        return Window(Kind.WITHDRAWAL, None, None)  # no disclosure document: the clock never started
    start = max(delivered, terms.informed_on or delivered)
    if terms.protected_consumer:
        end = add_months(start, ISRAELI_PROTECTED_MONTHS)
    else:
        end = start + dt.timedelta(days=WITHDRAWAL_DAYS)
    return Window(Kind.WITHDRAWAL, start, WorkingDays.of("IL", _ALL_BUT_SHABBAT).next_working_day(end))


def is_conformity_claim(reasons: Collection[str]) -> bool:
    """True when every reason given says the goods do not conform (a defect, damage, not as
    described). Mixed reasons are not one claim: choose per line."""
    return bool(reasons) and all(reason in CONFORMITY_REASONS for reason in reasons)


def choose(terms: Terms, *, delivered_on: Sequence[dt.date | None], reasons: Collection[str], today: dt.date) -> Choice:
    """The kind of return open on `today`: the legal guarantee for a conformity claim, else the
    right of withdrawal, else the shop's policy; otherwise a refusal naming the last day.

    Call it per line (or per group of lines with the same kind of reason): a change of mind
    sent with a defective item is still a change of mind, subject to the exemptions.
    """
    found = windows(terms, delivered_on=delivered_on)
    claim = is_conformity_claim(reasons)
    if claim and found.conformity.is_open_on(today):
        return Choice(Kind.CONFORMITY, found.conformity)
    for window in (found.withdrawal, found.policy):
        if window is not None and window.is_open_on(today):
            return Choice(window.kind, window)
    if claim:
        return Choice(None, found.conformity, _conformity_over(terms, found.conformity))
    last = found.withdrawal
    if found.policy is not None and found.policy.ends_on and last.ends_on and found.policy.ends_on > last.ends_on:
        last = found.policy
    return Choice(None, last, _withdrawal_over(terms, last))


def _withdrawal_over(terms: Terms, window: Window) -> Refusal:
    assert window.ends_on is not None  # an open window refuses nothing
    if window.kind is Kind.POLICY:
        rule = f"the shop's {terms.voluntary_days}-day return policy"
    else:
        rule = f"the right of withdrawal, {_WITHDRAWAL_LAW.get(terms.country, 'Directive 2011/83/EU art. 9')}"
    return Refusal(
        RefusalCode.WITHDRAWAL_PERIOD_OVER,
        f"The period to return this order ended on {window.ends_on.isoformat()} ({rule}).",
        window.ends_on,
    )


def _conformity_over(terms: Terms, window: Window) -> Refusal:
    assert window.ends_on is not None
    law = _CONFORMITY_LAW.get(terms.country, "Directive 2019/771 art. 10")
    return Refusal(
        RefusalCode.CONFORMITY_PERIOD_OVER,
        f"The 2-year legal guarantee ended on {window.ends_on.isoformat()} ({law}), "
        "and so did the periods to withdraw and to return under the shop's policy.",
        window.ends_on,
    )


_EXEMPTION_REFUSALS = {
    Exemption.CUSTOM_MADE: Refusal(
        RefusalCode.CUSTOM_MADE,
        "Goods made to the customer's specification or personalised cannot be withdrawn from, "
        "from the moment the contract is made (Directive 2011/83/EU art. 16(c)).",
    ),
    Exemption.PERISHABLE: Refusal(
        RefusalCode.PERISHABLE,
        "Goods that deteriorate or expire rapidly cannot be withdrawn from (Directive 2011/83/EU art. 16(d)).",
    ),
    Exemption.HYGIENE_SEALED: Refusal(
        RefusalCode.HYGIENE_SEAL_BROKEN,
        "Sealed goods that cannot be returned for health or hygiene reasons can be withdrawn from "
        "only while their seal is unbroken (Directive 2011/83/EU art. 16(e)).",
    ),
    Exemption.DIGITAL: Refusal(
        RefusalCode.DIGITAL_DOWNLOADED,
        "Digital content cannot be withdrawn from once its download or streaming has begun "
        "(Directive 2011/83/EU art. 16(m)).",
    ),
}


def line_refusal(kind: Kind, *, exemptions: Collection[str], condition: str, downloaded: bool) -> Refusal | None:
    """Why a line's SKU cannot come back under `kind`; None when it can. A conformity claim is
    never refused for an exemption: the legal guarantee covers every good."""
    parsed = {_parse(Exemption, exemption, "exemption") for exemption in exemptions}
    state = _parse(Condition, condition, "condition")
    if kind is Kind.CONFORMITY:
        return None
    for exemption in (Exemption.CUSTOM_MADE, Exemption.PERISHABLE):
        if exemption in parsed:
            return _EXEMPTION_REFUSALS[exemption]
    if Exemption.HYGIENE_SEALED in parsed and state is not Condition.UNOPENED:
        return _EXEMPTION_REFUSALS[Exemption.HYGIENE_SEALED]
    if Exemption.DIGITAL in parsed and downloaded:
        return _EXEMPTION_REFUSALS[Exemption.DIGITAL]
    return None


def _parse(enum: type[_E], value: str, what: str) -> _E:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise ValueError(f'Unknown {what} "{value}"; give one of: {choices}.') from None


def cancellation_fee(
    terms: Terms,
    kind: Kind,
    *,
    price: Decimal,
    currency: str,
    reasons: Collection[str],
    cap: Decimal | None = None,
) -> Decimal:
    """The fee an Israeli shop may keep on a withdrawal: 5% of `price` (what is cancelled),
    rounded down to the currency's minor unit so it never exceeds 5%, at most NIS 100.

    Zero outside Israel, for a conformity claim or a policy return (the shop's own terms), and
    when any reason is a defect, damage or not as described. The cap is in shekels: in another
    currency the fee is charged only when `cap` gives NIS 100 in that currency (the caller's
    exchange rate); without it, no fee, as overcharging is the risk the law punishes.
    """
    if price < 0:
        raise ValueError(f"price is 0 or more, not {price}.")
    if terms.country != "IL" or kind is not Kind.WITHDRAWAL or any(r in CONFORMITY_REASONS for r in reasons):
        return Decimal(0)
    limit = ISRAELI_FEE_CAP_ILS if currency == "ILS" else cap
    if limit is None:
        return Decimal(0)
    step = Decimal(1).scaleb(-minor_units(currency))
    return min(price * ISRAELI_FEE_RATE, limit).quantize(step, rounding=ROUND_DOWN)


def refund_deadline(
    *,
    notice_on: dt.date,
    goods_received_on: dt.date | None,
    first_scan_on: dt.date | None,
    today: dt.date,
    shop_collects: bool = False,
) -> RefundDeadline:
    """When the refund of a withdrawal is due and whether it is late on `today`.

    Facts dated after `today` are not known yet. A refund held back lawfully past its 14th day is
    due on the day the goods or the proof of sending arrive, so it is late from the day after.
    """
    due_on = notice_on + dt.timedelta(days=REFUND_DAYS)
    known = [day for day in (goods_received_on, first_scan_on) if day is not None and day <= today]
    back_on = min(known, default=None)
    may_withhold = back_on is None and not shop_collects
    late_after = due_on if back_on is None else max(due_on, back_on)
    return RefundDeadline(
        refund_due_on=due_on,
        may_withhold=may_withhold,
        goods_back_on=back_on,
        is_breached=not may_withhold and today > late_after,
    )


def outbound_shipping_refund(*, full_withdrawal: bool, shipping_paid: Decimal, cheapest_standard: Decimal) -> Decimal:
    """The outbound delivery to refund: on a full withdrawal, what was paid up to the cheapest
    standard option (the extra for a faster or dearer option stays with the customer)."""
    if shipping_paid < 0 or cheapest_standard < 0:
        raise ValueError("Shipping amounts are 0 or more.")
    return min(shipping_paid, cheapest_standard) if full_withdrawal else Decimal(0)
