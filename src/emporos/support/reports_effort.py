"""Customer effort, measured from the tickets rather than guessed (C5).

A *problem* is one customer's order, or one customer's topic when no order is named
(`TicketRow.problem`); a *contact* is a message from the customer in any channel.

- Channel switching: a problem is switched when two of its contacts, one after the other, came
  through different channels at most SWITCH_DAYS (7) days apart; each problem counts once, however
  often it switched, and so does each customer.
- Repeat contacts: customer messages per ticket, tickets where the customer wrote more than once,
  and tickets opened at most REPEAT_DAYS (7) days after an earlier ticket about the same problem.
- Contacts per order: tickets that name an order per order they name, and all tickets per order
  placed in the period.
- Asked for what the shop had: of the tickets a person on staff answered, those where an answer
  asked for something the ticket already held (`Message.asked_for_known`).
- The effort survey: answers 1 (very easy) to 5 (very hard), their count per answer and average.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from emporos.support.reports_data import PeriodData, TicketRow

SWITCH_DAYS = 7
REPEAT_DAYS = 7
TWO_PLACES = Decimal("0.01")


def ratio(part: int, whole: int) -> Decimal | None:
    """`part` per `whole`, two decimals; None when `whole` is 0."""
    return (Decimal(part) / whole).quantize(TWO_PLACES) if whole else None


def share(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` as a percentage with one decimal; None when `whole` is 0."""
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


@dataclass(frozen=True)
class ChannelSwitching:
    problems: int  # problems with at least one contact
    switched: int
    customers: int
    customers_switched: int

    @property
    def switched_percent(self) -> Decimal | None:
        return share(self.switched, self.problems)

    @property
    def customers_switched_percent(self) -> Decimal | None:
        return share(self.customers_switched, self.customers)


@dataclass(frozen=True)
class RepeatContacts:
    tickets: int
    customer_messages: int
    contacted_again: int  # tickets on which the customer wrote more than once
    problems: int
    repeat_tickets: int  # opened within REPEAT_DAYS after an earlier ticket about the same problem

    @property
    def messages_per_ticket(self) -> Decimal | None:
        return ratio(self.customer_messages, self.tickets)

    @property
    def contacted_again_percent(self) -> Decimal | None:
        return share(self.contacted_again, self.tickets)

    @property
    def tickets_per_problem(self) -> Decimal | None:
        return ratio(self.tickets, self.problems)


@dataclass(frozen=True)
class ContactsPerOrder:
    tickets: int
    tickets_with_order: int
    orders_with_tickets: int
    orders_placed: int  # in the period

    @property
    def per_order_with_tickets(self) -> Decimal | None:
        return ratio(self.tickets_with_order, self.orders_with_tickets)

    @property
    def per_order_placed(self) -> Decimal | None:
        return ratio(self.tickets, self.orders_placed)


@dataclass(frozen=True)
class AskedCount:
    code: str  # order_number, address, email, phone
    tickets: int


@dataclass(frozen=True)
class AskedForKnown:
    answered: int  # tickets a person on staff answered (in writing or on a call)
    asked: int
    by_what: list[AskedCount]  # the most tickets first

    @property
    def asked_percent(self) -> Decimal | None:
        return share(self.asked, self.answered)


@dataclass(frozen=True)
class EffortSurvey:
    counts: tuple[int, ...]  # answers of 1, 2, 3, 4 and 5

    @property
    def answers(self) -> int:
        return sum(self.counts)

    @property
    def average(self) -> Decimal | None:
        return ratio(sum(score * count for score, count in enumerate(self.counts, start=1)), self.answers)


@dataclass(frozen=True)
class Effort:
    switching: ChannelSwitching
    repeats: RepeatContacts
    per_order: ContactsPerOrder
    asked_for_known: AskedForKnown
    survey: EffortSurvey


def effort_of(data: PeriodData, tickets: Sequence[TicketRow]) -> Effort:
    """Effort over `tickets` (the customers' tickets of `data`)."""
    messages = contact_counts(data, tickets)
    return Effort(
        switching=_switching(data, tickets),
        repeats=RepeatContacts(
            tickets=len(tickets),
            customer_messages=sum(messages.values()),
            contacted_again=sum(1 for count in messages.values() if count > 1),
            problems=len({row.problem for row in tickets}),
            repeat_tickets=len(repeat_ticket_ids(tickets)),
        ),
        per_order=ContactsPerOrder(
            tickets=len(tickets),
            tickets_with_order=sum(1 for row in tickets if row.order_id is not None),
            orders_with_tickets=len({row.order_id for row in tickets if row.order_id is not None}),
            orders_placed=sum(1 for order in data.orders if order.placed_at < data.until),
        ),
        asked_for_known=_asked(data, tickets),
        survey=EffortSurvey(
            counts=tuple(sum(1 for row in tickets if row.effort == score) for score in range(1, 6)),
        ),
    )


def contact_counts(data: PeriodData, tickets: Sequence[TicketRow]) -> dict[int, int]:
    """Customer messages per ticket of `tickets` (0 for none)."""
    counted = Counter(contact.ticket_id for contact in data.contacts)
    return {row.pk: counted.get(row.pk, 0) for row in tickets}


def repeat_ticket_ids(tickets: Sequence[TicketRow]) -> set[int]:
    """Tickets opened at most REPEAT_DAYS after the previous ticket about the same problem."""
    last_opened: dict[tuple[int, str, str], dt.datetime] = {}
    repeats = set()
    for row in sorted(tickets, key=lambda row: (row.created_at, row.pk)):
        previous = last_opened.get(row.problem)
        if previous is not None and row.created_at - previous <= dt.timedelta(days=REPEAT_DAYS):
            repeats.add(row.pk)
        last_opened[row.problem] = row.created_at
    return repeats


def _switching(data: PeriodData, tickets: Sequence[TicketRow]) -> ChannelSwitching:
    problem_of = {row.pk: row.problem for row in tickets}
    contacts: dict[tuple[int, str, str], list[tuple[dt.datetime, str]]] = {}
    for contact in data.contacts:
        if contact.ticket_id in problem_of:
            contacts.setdefault(problem_of[contact.ticket_id], []).append((contact.sent_at, contact.channel))
    window = dt.timedelta(days=SWITCH_DAYS)
    switched = {
        problem
        for problem, found in contacts.items()
        if any(
            later[1] != earlier[1] and later[0] - earlier[0] <= window
            for earlier, later in zip(sorted(found), sorted(found)[1:], strict=False)
        )
    }
    return ChannelSwitching(
        problems=len(contacts),
        switched=len(switched),
        customers=len({problem[0] for problem in contacts}),
        customers_switched=len({problem[0] for problem in switched}),
    )


def _asked(data: PeriodData, tickets: Sequence[TicketRow]) -> AskedForKnown:
    answered = [row.pk for row in tickets if row.first_responded_at is not None]
    asked = [data.asked_for_known[pk] for pk in answered if data.asked_for_known.get(pk)]
    by_what = Counter(code for codes in asked for code in codes)
    return AskedForKnown(
        answered=len(answered),
        asked=len(asked),
        by_what=[
            AskedCount(code, count) for code, count in sorted(by_what.items(), key=lambda item: (-item[1], item[0]))
        ],
    )
