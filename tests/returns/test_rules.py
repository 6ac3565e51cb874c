"""The returns rules engine, as tables: each row a real 2026-2028 date checked against the
calendar and the country's public holidays by hand, never by the engine."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from emporos.returns.rules import (
    Choice,
    Kind,
    RefundDeadline,
    Refusal,
    RefusalCode,
    Terms,
    Window,
    add_months,
    cancellation_fee,
    choose,
    line_refusal,
    outbound_shipping_refund,
    refund_deadline,
    windows,
)

D = dt.date


def withdrawal(starts_on: dt.date | None, ends_on: dt.date | None) -> Window:
    return Window(Kind.WITHDRAWAL, starts_on, ends_on)


# (terms, delivered_on per parcel, expected withdrawal window)
WITHDRAWAL_CASES = [
    pytest.param(
        Terms("GR"), [D(2026, 11, 2)], withdrawal(D(2026, 11, 2), D(2026, 11, 16)), id="GR-14-days-ends-monday"
    ),
    pytest.param(
        Terms("GR"), [D(2026, 11, 14)], withdrawal(D(2026, 11, 14), D(2026, 11, 30)), id="GR-saturday-moves-to-monday"
    ),
    pytest.param(
        Terms("GR"), [D(2026, 3, 11)], withdrawal(D(2026, 3, 11), D(2026, 3, 26)), id="GR-25-march-moves-to-thursday"
    ),
    pytest.param(
        Terms("GR"), [D(2026, 3, 30)], withdrawal(D(2026, 3, 30), D(2026, 4, 14)), id="GR-orthodox-easter-monday"
    ),
    pytest.param(
        Terms("GR"), [D(2026, 3, 27)], withdrawal(D(2026, 3, 27), D(2026, 4, 14)), id="GR-good-friday-to-easter-monday"
    ),
    pytest.param(
        Terms("GR"),
        [D(2026, 11, 2), D(2026, 11, 5)],
        withdrawal(D(2026, 11, 5), D(2026, 11, 19)),
        id="GR-split-last-parcel",
    ),
    pytest.param(
        Terms("GR"),
        [D(2026, 11, 5), D(2026, 11, 2)],
        withdrawal(D(2026, 11, 5), D(2026, 11, 19)),
        id="GR-split-any-order",
    ),
    pytest.param(Terms("GR"), [D(2026, 11, 2), None], withdrawal(None, None), id="GR-split-not-all-delivered-open"),
    pytest.param(Terms("GR"), [], withdrawal(None, None), id="GR-nothing-delivered-open"),
    pytest.param(
        Terms("GR", off_premises=True),
        [D(2026, 10, 12)],
        withdrawal(D(2026, 10, 12), D(2026, 10, 26)),
        id="GR-off-premises-still-14",
    ),
    pytest.param(
        Terms("PL"), [D(2026, 10, 28)], withdrawal(D(2026, 10, 28), D(2026, 11, 12)), id="PL-11-november-moves"
    ),
    pytest.param(
        Terms("PL"), [D(2026, 12, 10)], withdrawal(D(2026, 12, 10), D(2026, 12, 28)), id="PL-christmas-eve-to-monday"
    ),
    pytest.param(
        Terms("PL", off_premises=True),
        [D(2026, 10, 12)],
        withdrawal(D(2026, 10, 12), D(2026, 11, 12)),
        id="PL-off-premises-30-days",
    ),
    pytest.param(Terms("DE"), [D(2026, 11, 2)], withdrawal(D(2026, 11, 2), D(2026, 11, 16)), id="DE-14-days"),
    pytest.param(
        Terms("DE"), [D(2026, 12, 11)], withdrawal(D(2026, 12, 11), D(2026, 12, 28)), id="DE-christmas-to-monday"
    ),
    pytest.param(
        Terms("CH"), [D(2026, 11, 15)], withdrawal(D(2026, 11, 15), D(2026, 11, 30)), id="non-EU-CH-sunday-to-monday"
    ),
    pytest.param(
        Terms("CH"), [D(2026, 3, 11)], withdrawal(D(2026, 3, 11), D(2026, 3, 25)), id="non-EU-CH-greek-holiday-ignored"
    ),
    pytest.param(Terms("IL"), [D(2026, 11, 1)], withdrawal(D(2026, 11, 1), D(2026, 11, 15)), id="IL-sunday-not-moved"),
    pytest.param(
        Terms("IL"), [D(2026, 11, 13)], withdrawal(D(2026, 11, 13), D(2026, 11, 27)), id="IL-friday-not-moved"
    ),
    pytest.param(
        Terms("IL"), [D(2026, 11, 14)], withdrawal(D(2026, 11, 14), D(2026, 11, 29)), id="IL-shabbat-to-sunday"
    ),
    pytest.param(
        Terms("IL"),
        [D(2026, 8, 29)],
        withdrawal(D(2026, 8, 29), D(2026, 9, 14)),
        id="IL-rosh-hashana-on-shabbat-and-sunday",
    ),
    pytest.param(Terms("IL"), [D(2026, 9, 7)], withdrawal(D(2026, 9, 7), D(2026, 9, 22)), id="IL-yom-kippur-monday"),
    pytest.param(
        Terms("IL"),
        [D(2026, 9, 7), D(2026, 8, 29)],
        withdrawal(D(2026, 9, 7), D(2026, 9, 22)),
        id="IL-split-last-parcel",
    ),
    pytest.param(
        Terms("IL", informed_on=D(2026, 11, 5)),
        [D(2026, 11, 1)],
        withdrawal(D(2026, 11, 5), D(2026, 11, 19)),
        id="IL-disclosure-after-delivery",
    ),
    pytest.param(
        Terms("IL", informed_on=D(2026, 10, 20)),
        [D(2026, 11, 1)],
        withdrawal(D(2026, 11, 1), D(2026, 11, 15)),
        id="IL-disclosure-before-delivery",
    ),
    pytest.param(
        Terms("IL", protected_consumer=True),
        [D(2026, 11, 1)],
        withdrawal(D(2026, 11, 1), D(2027, 3, 1)),
        id="IL-protected-4-months",
    ),
    pytest.param(
        Terms("IL", protected_consumer=True),
        [D(2026, 10, 31)],
        withdrawal(D(2026, 10, 31), D(2027, 2, 28)),
        id="IL-protected-month-end-sunday",
    ),
    pytest.param(
        Terms("GR", protected_consumer=True),
        [D(2026, 11, 1)],
        withdrawal(D(2026, 11, 1), D(2026, 11, 16)),
        id="GR-protected-no-effect",
    ),
    pytest.param(
        Terms("IL", customer_informed=False), [D(2026, 11, 1)], withdrawal(None, None), id="IL-no-disclosure-no-clock"
    ),
    pytest.param(
        Terms("GR", customer_informed=False),
        [D(2026, 11, 2)],
        withdrawal(D(2026, 11, 2), D(2027, 11, 16)),
        id="GR-not-informed-12-months",
    ),
    pytest.param(
        Terms("GR", customer_informed=False),
        [D(2026, 11, 13)],
        withdrawal(D(2026, 11, 13), D(2027, 11, 29)),
        id="GR-not-informed-ends-saturday-to-monday",
    ),
    pytest.param(
        Terms("GR", customer_informed=False, informed_on=D(2027, 2, 1)),
        [D(2026, 11, 2)],
        withdrawal(D(2027, 2, 1), D(2027, 2, 15)),
        id="GR-informed-later-14-days-from-information",
    ),
    pytest.param(
        Terms("GR", customer_informed=False, informed_on=D(2027, 11, 10)),
        [D(2026, 11, 2)],
        withdrawal(D(2027, 11, 10), D(2027, 11, 24)),
        id="GR-informed-in-the-last-days-of-the-extension",
    ),
    pytest.param(
        Terms("GR", customer_informed=False, informed_on=D(2027, 12, 1)),
        [D(2026, 11, 2)],
        withdrawal(D(2026, 11, 2), D(2027, 11, 16)),
        id="GR-informed-after-the-extension-ended",
    ),
    pytest.param(
        Terms("GR", informed_on=D(2026, 11, 2)),
        [D(2026, 11, 2)],
        withdrawal(D(2026, 11, 2), D(2026, 11, 16)),
        id="GR-informed-on-delivery-day",
    ),
    pytest.param(
        Terms("PL", off_premises=True, customer_informed=False),
        [D(2026, 10, 12)],
        withdrawal(D(2026, 10, 12), D(2027, 11, 12)),
        id="PL-off-premises-not-informed",
    ),
    pytest.param(
        Terms("PL", off_premises=True, customer_informed=False, informed_on=D(2027, 2, 1)),
        [D(2026, 10, 12)],
        withdrawal(D(2027, 2, 1), D(2027, 3, 3)),
        id="PL-off-premises-informed-later-30-days",
    ),
    pytest.param(
        Terms("DE", customer_informed=False, informed_on=D(2027, 2, 1)),
        [D(2026, 11, 2)],
        withdrawal(D(2027, 2, 1), D(2027, 2, 15)),
        id="DE-informed-later",
    ),
]


@pytest.mark.parametrize(("terms", "delivered_on", "expected"), WITHDRAWAL_CASES)
def test_withdrawal_window(terms: Terms, delivered_on: list[dt.date | None], expected: Window) -> None:
    assert windows(terms, delivered_on=delivered_on).withdrawal == expected


@pytest.mark.parametrize(
    ("terms", "delivered_on", "conformity", "policy"),
    [
        pytest.param(
            Terms("GR"),
            [D(2026, 11, 2)],
            Window(Kind.CONFORMITY, D(2026, 11, 2), D(2028, 11, 2)),
            None,
            id="GR-2-years-no-policy",
        ),
        pytest.param(
            Terms("PL", voluntary_days=30),
            [D(2026, 11, 2), D(2026, 11, 5)],
            Window(Kind.CONFORMITY, D(2026, 11, 5), D(2028, 11, 5)),
            Window(Kind.POLICY, D(2026, 11, 5), D(2026, 12, 5)),
            id="PL-split-policy-30-ends-saturday-not-moved",
        ),
        pytest.param(
            Terms("DE"),
            [D(2026, 11, 25)],
            Window(Kind.CONFORMITY, D(2026, 11, 25), D(2028, 11, 25)),
            None,
            id="DE-ends-saturday-not-moved",
        ),
        pytest.param(
            Terms("IL", voluntary_days=45),
            [D(2028, 2, 29)],
            Window(Kind.CONFORMITY, D(2028, 2, 29), D(2030, 2, 28)),
            Window(Kind.POLICY, D(2028, 2, 29), D(2028, 4, 14)),
            id="IL-2-years-from-29-february",
        ),
        pytest.param(
            Terms("CH", voluntary_days=30),
            [None, D(2026, 11, 2)],
            Window(Kind.CONFORMITY, None, None),
            Window(Kind.POLICY, None, None),
            id="non-EU-not-all-delivered-open",
        ),
    ],
)
def test_conformity_and_policy_windows(
    terms: Terms, delivered_on: list[dt.date | None], conformity: Window, policy: Window | None
) -> None:
    found = windows(terms, delivered_on=delivered_on)

    assert (found.conformity, found.policy) == (conformity, policy)


# Greece, 30-day policy, parcels on 2 and 5 November 2026: withdrawal until Thu 19 Nov 2026,
# policy until Sat 5 Dec 2026, legal guarantee until Sun 5 Nov 2028.
SPLIT = [D(2026, 11, 2), D(2026, 11, 5)]
GR_POLICY = Terms("GR", voluntary_days=30)
GR_WITHDRAWAL = withdrawal(D(2026, 11, 5), D(2026, 11, 19))
GR_POLICY_WINDOW = Window(Kind.POLICY, D(2026, 11, 5), D(2026, 12, 5))
GR_CONFORMITY = Window(Kind.CONFORMITY, D(2026, 11, 5), D(2028, 11, 5))


@pytest.mark.parametrize(
    ("terms", "delivered_on", "reasons", "today", "expected"),
    [
        pytest.param(
            GR_POLICY,
            SPLIT,
            ["changed_my_mind"],
            D(2026, 11, 19),
            Choice(Kind.WITHDRAWAL, GR_WITHDRAWAL),
            id="last-day-of-withdrawal",
        ),
        pytest.param(
            GR_POLICY,
            SPLIT,
            ["wrong_size"],
            D(2026, 11, 20),
            Choice(Kind.POLICY, GR_POLICY_WINDOW),
            id="then-the-shop-policy",
        ),
        pytest.param(
            GR_POLICY,
            SPLIT,
            ["better_price"],
            D(2026, 12, 6),
            Choice(
                None,
                GR_POLICY_WINDOW,
                Refusal(
                    RefusalCode.WITHDRAWAL_PERIOD_OVER,
                    "The period to return this order ended on 2026-12-05 (the shop's 30-day return policy).",
                    D(2026, 12, 5),
                ),
            ),
            id="after-the-policy-refused",
        ),
        pytest.param(
            GR_POLICY,
            SPLIT,
            ["defective"],
            D(2026, 11, 10),
            Choice(Kind.CONFORMITY, GR_CONFORMITY),
            id="defect-is-conformity-early",
        ),
        pytest.param(
            GR_POLICY,
            SPLIT,
            ["arrived_damaged", "not_as_described"],
            D(2028, 11, 5),
            Choice(Kind.CONFORMITY, GR_CONFORMITY),
            id="conformity-last-day",
        ),
        pytest.param(
            GR_POLICY,
            SPLIT,
            ["defective"],
            D(2028, 11, 6),
            Choice(
                None,
                GR_CONFORMITY,
                Refusal(
                    RefusalCode.CONFORMITY_PERIOD_OVER,
                    "The 2-year legal guarantee ended on 2028-11-05 (Civil Code art. 513 ff.), "
                    "and so did the periods to withdraw and to return under the shop's policy.",
                    D(2028, 11, 5),
                ),
            ),
            id="conformity-over-refused",
        ),
        pytest.param(
            GR_POLICY,
            SPLIT,
            ["defective", "wrong_size"],
            D(2026, 11, 19),
            Choice(Kind.WITHDRAWAL, GR_WITHDRAWAL),
            id="mixed-reasons-are-not-a-conformity-claim",
        ),
        pytest.param(
            GR_POLICY, SPLIT, [], D(2026, 11, 19), Choice(Kind.WITHDRAWAL, GR_WITHDRAWAL), id="no-reason-is-withdrawal"
        ),
        pytest.param(
            GR_POLICY,
            [D(2026, 11, 5), None],
            ["changed_my_mind"],
            D(2027, 6, 1),
            Choice(Kind.WITHDRAWAL, withdrawal(None, None)),
            id="before-the-last-parcel-open",
        ),
        pytest.param(
            Terms("GR"),
            SPLIT,
            ["changed_my_mind"],
            D(2026, 11, 20),
            Choice(
                None,
                GR_WITHDRAWAL,
                Refusal(
                    RefusalCode.WITHDRAWAL_PERIOD_OVER,
                    "The period to return this order ended on 2026-11-19 "
                    "(the right of withdrawal, Law 2251/1994 art. 3e).",
                    D(2026, 11, 19),
                ),
            ),
            id="GR-no-policy-refused",
        ),
        pytest.param(
            Terms("GR", voluntary_days=7),
            SPLIT,
            ["changed_my_mind"],
            D(2026, 11, 20),
            Choice(
                None,
                GR_WITHDRAWAL,
                Refusal(
                    RefusalCode.WITHDRAWAL_PERIOD_OVER,
                    "The period to return this order ended on 2026-11-19 "
                    "(the right of withdrawal, Law 2251/1994 art. 3e).",
                    D(2026, 11, 19),
                ),
            ),
            id="policy-shorter-than-the-law-never-applies",
        ),
        pytest.param(
            Terms("PL"),
            [D(2026, 10, 28)],
            ["other"],
            D(2026, 11, 13),
            Choice(
                None,
                withdrawal(D(2026, 10, 28), D(2026, 11, 12)),
                Refusal(
                    RefusalCode.WITHDRAWAL_PERIOD_OVER,
                    "The period to return this order ended on 2026-11-12 "
                    "(the right of withdrawal, Consumer Rights Act art. 27).",
                    D(2026, 11, 12),
                ),
            ),
            id="PL-refused-after-the-moved-day",
        ),
        pytest.param(
            Terms("IL"),
            [D(2026, 8, 29)],
            ["changed_my_mind"],
            D(2026, 9, 13),
            Choice(Kind.WITHDRAWAL, withdrawal(D(2026, 8, 29), D(2026, 9, 14))),
            id="IL-on-rosh-hashana-still-open",
        ),
        pytest.param(
            Terms("IL"),
            [D(2026, 8, 29)],
            ["changed_my_mind"],
            D(2026, 9, 15),
            Choice(
                None,
                withdrawal(D(2026, 8, 29), D(2026, 9, 14)),
                Refusal(
                    RefusalCode.WITHDRAWAL_PERIOD_OVER,
                    "The period to return this order ended on 2026-09-14 "
                    "(the right of withdrawal, Consumer Protection Law s. 14C).",
                    D(2026, 9, 14),
                ),
            ),
            id="IL-refused",
        ),
        pytest.param(
            Terms("IL"),
            [D(2026, 8, 29)],
            ["not_as_described"],
            D(2028, 8, 29),
            Choice(Kind.CONFORMITY, Window(Kind.CONFORMITY, D(2026, 8, 29), D(2028, 8, 29))),
            id="IL-conformity-2-years",
        ),
        pytest.param(
            Terms("DE", customer_informed=False),
            [D(2026, 11, 2)],
            ["changed_my_mind"],
            D(2027, 11, 16),
            Choice(Kind.WITHDRAWAL, withdrawal(D(2026, 11, 2), D(2027, 11, 16))),
            id="DE-not-informed-a-year-later",
        ),
        pytest.param(
            Terms("CH"),
            [D(2026, 11, 15)],
            ["changed_my_mind"],
            D(2026, 12, 1),
            Choice(
                None,
                withdrawal(D(2026, 11, 15), D(2026, 11, 30)),
                Refusal(
                    RefusalCode.WITHDRAWAL_PERIOD_OVER,
                    "The period to return this order ended on 2026-11-30 "
                    "(the right of withdrawal, Directive 2011/83/EU art. 9).",
                    D(2026, 11, 30),
                ),
            ),
            id="non-EU-refused-under-the-default",
        ),
        pytest.param(
            Terms("CH"),
            [D(2026, 11, 15)],
            ["defective"],
            D(2029, 1, 1),
            Choice(
                None,
                Window(Kind.CONFORMITY, D(2026, 11, 15), D(2028, 11, 15)),
                Refusal(
                    RefusalCode.CONFORMITY_PERIOD_OVER,
                    "The 2-year legal guarantee ended on 2028-11-15 (Directive 2019/771 art. 10), "
                    "and so did the periods to withdraw and to return under the shop's policy.",
                    D(2028, 11, 15),
                ),
            ),
            id="non-EU-conformity-refused",
        ),
    ],
)
def test_choose(
    terms: Terms, delivered_on: list[dt.date | None], reasons: list[str], today: dt.date, expected: Choice
) -> None:
    choice = choose(terms, delivered_on=delivered_on, reasons=reasons, today=today)

    assert choice == expected
    assert choice.is_allowed is (expected.kind is not None)


@pytest.mark.parametrize(
    ("kind", "exemptions", "condition", "downloaded", "code"),
    [
        pytest.param(Kind.WITHDRAWAL, [], "used", False, None, id="no-exemption-used-goods-still-withdrawable"),
        pytest.param(
            Kind.WITHDRAWAL, ["custom_made"], "unopened", False, RefusalCode.CUSTOM_MADE, id="custom-made-withdrawal"
        ),
        pytest.param(Kind.POLICY, ["custom_made"], "unopened", False, RefusalCode.CUSTOM_MADE, id="custom-made-policy"),
        pytest.param(Kind.CONFORMITY, ["custom_made"], "damaged", False, None, id="custom-made-conformity-allowed"),
        pytest.param(
            Kind.WITHDRAWAL, ["perishable"], "unopened", False, RefusalCode.PERISHABLE, id="perishable-withdrawal"
        ),
        pytest.param(Kind.CONFORMITY, ["perishable"], "opened", False, None, id="perishable-conformity-allowed"),
        pytest.param(
            Kind.WITHDRAWAL, ["hygiene_sealed"], "unopened", False, None, id="hygiene-sealed-unopened-allowed"
        ),
        pytest.param(
            Kind.WITHDRAWAL,
            ["hygiene_sealed"],
            "opened",
            False,
            RefusalCode.HYGIENE_SEAL_BROKEN,
            id="hygiene-opened-refused",
        ),
        pytest.param(
            Kind.POLICY, ["hygiene_sealed"], "used", False, RefusalCode.HYGIENE_SEAL_BROKEN, id="hygiene-used-policy"
        ),
        pytest.param(
            Kind.WITHDRAWAL,
            ["hygiene_sealed"],
            "damaged",
            False,
            RefusalCode.HYGIENE_SEAL_BROKEN,
            id="hygiene-damaged-refused",
        ),
        pytest.param(
            Kind.CONFORMITY, ["hygiene_sealed"], "opened", False, None, id="hygiene-opened-conformity-allowed"
        ),
        pytest.param(Kind.WITHDRAWAL, ["digital"], "unopened", False, None, id="digital-not-downloaded-allowed"),
        pytest.param(
            Kind.WITHDRAWAL, ["digital"], "unopened", True, RefusalCode.DIGITAL_DOWNLOADED, id="digital-downloaded"
        ),
        pytest.param(Kind.CONFORMITY, ["digital"], "unopened", True, None, id="digital-downloaded-conformity-allowed"),
        pytest.param(Kind.WITHDRAWAL, [], "unopened", True, None, id="downloaded-flag-alone-no-effect"),
        pytest.param(
            Kind.WITHDRAWAL,
            ["hygiene_sealed", "custom_made"],
            "opened",
            False,
            RefusalCode.CUSTOM_MADE,
            id="custom-made-named-first",
        ),
    ],
)
def test_line_refusal(
    kind: Kind, exemptions: list[str], condition: str, downloaded: bool, code: RefusalCode | None
) -> None:
    refusal = line_refusal(kind, exemptions=exemptions, condition=condition, downloaded=downloaded)

    assert (refusal.code if refusal else None) == code


def test_each_exemption_refusal_names_its_rule() -> None:
    messages = {
        exemption: line_refusal(Kind.WITHDRAWAL, exemptions=[exemption], condition="opened", downloaded=True)
        for exemption in ("custom_made", "perishable", "hygiene_sealed", "digital")
    }

    assert {exemption: (r.code, r.message, r.last_day) if r else None for exemption, r in messages.items()} == {
        "custom_made": (
            RefusalCode.CUSTOM_MADE,
            "Goods made to the customer's specification or personalised cannot be withdrawn from, "
            "from the moment the contract is made (Directive 2011/83/EU art. 16(c)).",
            None,
        ),
        "perishable": (
            RefusalCode.PERISHABLE,
            "Goods that deteriorate or expire rapidly cannot be withdrawn from (Directive 2011/83/EU art. 16(d)).",
            None,
        ),
        "hygiene_sealed": (
            RefusalCode.HYGIENE_SEAL_BROKEN,
            "Sealed goods that cannot be returned for health or hygiene reasons can be withdrawn from "
            "only while their seal is unbroken (Directive 2011/83/EU art. 16(e)).",
            None,
        ),
        "digital": (
            RefusalCode.DIGITAL_DOWNLOADED,
            "Digital content cannot be withdrawn from once its download or streaming has begun "
            "(Directive 2011/83/EU art. 16(m)).",
            None,
        ),
    }


@pytest.mark.parametrize(
    ("exemptions", "condition", "message"),
    [
        pytest.param(
            ["handmade"],
            "unopened",
            'Unknown exemption "handmade"; give one of: custom_made, hygiene_sealed, perishable, digital.',
            id="unknown-exemption",
        ),
        pytest.param(
            [],
            "worn",
            'Unknown condition "worn"; give one of: unopened, opened, used, damaged.',
            id="unknown-condition",
        ),
    ],
)
def test_line_refusal_names_the_fix_for_unknown_words(exemptions: list[str], condition: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        line_refusal(Kind.CONFORMITY, exemptions=exemptions, condition=condition, downloaded=False)


@pytest.mark.parametrize(
    ("terms", "kind", "price", "currency", "reasons", "cap", "fee"),
    [
        pytest.param(
            Terms("IL"), Kind.WITHDRAWAL, "300.00", "ILS", ["changed_my_mind"], None, "15.00", id="IL-5-percent"
        ),
        pytest.param(
            Terms("IL"), Kind.WITHDRAWAL, "1999.90", "ILS", ["other"], None, "99.99", id="IL-5-percent-rounded-down"
        ),
        pytest.param(Terms("IL"), Kind.WITHDRAWAL, "2000.00", "ILS", [], None, "100.00", id="IL-5-percent-equals-cap"),
        pytest.param(
            Terms("IL"), Kind.WITHDRAWAL, "2500.00", "ILS", ["wrong_size"], None, "100.00", id="IL-100-NIS-cap"
        ),
        pytest.param(Terms("IL"), Kind.WITHDRAWAL, "19.99", "ILS", ["wrong_size"], None, "0.99", id="IL-small-price"),
        pytest.param(Terms("IL"), Kind.WITHDRAWAL, "2500.00", "ILS", ["defective"], None, "0", id="IL-defect-no-fee"),
        pytest.param(
            Terms("IL"),
            Kind.WITHDRAWAL,
            "2500.00",
            "ILS",
            ["wrong_size", "arrived_damaged"],
            None,
            "0",
            id="IL-any-defect-no-fee",
        ),
        pytest.param(
            Terms("IL"), Kind.CONFORMITY, "2500.00", "ILS", ["not_as_described"], None, "0", id="IL-conformity-no-fee"
        ),
        pytest.param(Terms("IL"), Kind.POLICY, "2500.00", "ILS", ["changed_my_mind"], None, "0", id="IL-policy-no-fee"),
        pytest.param(
            Terms("IL", protected_consumer=True),
            Kind.WITHDRAWAL,
            "300.00",
            "ILS",
            [],
            None,
            "15.00",
            id="IL-protected-same-fee",
        ),
        pytest.param(
            Terms("IL"), Kind.WITHDRAWAL, "800.00", "EUR", ["other"], None, "0", id="IL-in-euros-without-cap-no-fee"
        ),
        pytest.param(
            Terms("IL"), Kind.WITHDRAWAL, "800.00", "EUR", ["other"], "25.00", "25.00", id="IL-in-euros-capped"
        ),
        pytest.param(
            Terms("IL"), Kind.WITHDRAWAL, "300.00", "EUR", ["other"], "25.00", "15.00", id="IL-in-euros-5-percent"
        ),
        pytest.param(Terms("GR"), Kind.WITHDRAWAL, "2500.00", "EUR", ["changed_my_mind"], "25.00", "0", id="GR-no-fee"),
        pytest.param(Terms("PL"), Kind.WITHDRAWAL, "300.00", "PLN", [], None, "0", id="PL-no-fee"),
        pytest.param(Terms("CH"), Kind.WITHDRAWAL, "300.00", "CHF", [], None, "0", id="non-EU-no-fee"),
    ],
)
def test_cancellation_fee(
    terms: Terms, kind: Kind, price: str, currency: str, reasons: list[str], cap: str | None, fee: str
) -> None:
    charged = cancellation_fee(
        terms, kind, price=Decimal(price), currency=currency, reasons=reasons, cap=Decimal(cap) if cap else None
    )

    assert str(charged) == fee


def test_cancellation_fee_refuses_a_negative_price() -> None:
    with pytest.raises(ValueError, match=r"^price is 0 or more, not -1\.00\.$"):
        cancellation_fee(Terms("IL"), Kind.WITHDRAWAL, price=Decimal("-1.00"), currency="ILS", reasons=[])


NOTICE = D(2026, 11, 2)  # refund due on Mon 16 Nov 2026


@pytest.mark.parametrize(
    ("goods_received_on", "first_scan_on", "today", "shop_collects", "expected"),
    [
        pytest.param(
            None,
            None,
            D(2026, 11, 10),
            False,
            RefundDeadline(D(2026, 11, 16), True, None, False),
            id="nothing-back-may-wait",
        ),
        pytest.param(
            None,
            None,
            D(2026, 11, 20),
            False,
            RefundDeadline(D(2026, 11, 16), True, None, False),
            id="nothing-back-past-14-days-may-wait",
        ),
        pytest.param(
            None,
            D(2026, 11, 5),
            D(2026, 11, 16),
            False,
            RefundDeadline(D(2026, 11, 16), False, D(2026, 11, 5), False),
            id="scanned-due-on-14th-day",
        ),
        pytest.param(
            None,
            D(2026, 11, 5),
            D(2026, 11, 17),
            False,
            RefundDeadline(D(2026, 11, 16), False, D(2026, 11, 5), True),
            id="scanned-late-the-day-after",
        ),
        pytest.param(
            D(2026, 11, 9),
            D(2026, 11, 5),
            D(2026, 11, 12),
            False,
            RefundDeadline(D(2026, 11, 16), False, D(2026, 11, 5), False),
            id="earliest-of-scan-and-arrival",
        ),
        pytest.param(
            D(2026, 11, 20),
            None,
            D(2026, 11, 20),
            False,
            RefundDeadline(D(2026, 11, 16), False, D(2026, 11, 20), False),
            id="goods-back-after-14-days-due-that-day",
        ),
        pytest.param(
            D(2026, 11, 20),
            None,
            D(2026, 11, 21),
            False,
            RefundDeadline(D(2026, 11, 16), False, D(2026, 11, 20), True),
            id="goods-back-after-14-days-late-next-day",
        ),
        pytest.param(
            None,
            D(2026, 11, 12),
            D(2026, 11, 10),
            False,
            RefundDeadline(D(2026, 11, 16), True, None, False),
            id="future-scan-not-known",
        ),
        pytest.param(
            None,
            None,
            D(2026, 11, 17),
            True,
            RefundDeadline(D(2026, 11, 16), False, None, True),
            id="shop-collects-no-withholding",
        ),
    ],
)
def test_refund_deadline(
    goods_received_on: dt.date | None,
    first_scan_on: dt.date | None,
    today: dt.date,
    shop_collects: bool,
    expected: RefundDeadline,
) -> None:
    assert (
        refund_deadline(
            notice_on=NOTICE,
            goods_received_on=goods_received_on,
            first_scan_on=first_scan_on,
            today=today,
            shop_collects=shop_collects,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("full_withdrawal", "shipping_paid", "cheapest_standard", "refund"),
    [
        pytest.param(True, "4.90", "4.90", "4.90", id="standard-in-full"),
        pytest.param(True, "9.90", "3.50", "3.50", id="express-up-to-the-cheapest"),
        pytest.param(True, "0.00", "3.50", "0.00", id="free-shipping-nothing"),
        pytest.param(False, "4.90", "4.90", "0", id="partial-withdrawal-nothing"),
    ],
)
def test_outbound_shipping_refund(
    full_withdrawal: bool, shipping_paid: str, cheapest_standard: str, refund: str
) -> None:
    amount = outbound_shipping_refund(
        full_withdrawal=full_withdrawal,
        shipping_paid=Decimal(shipping_paid),
        cheapest_standard=Decimal(cheapest_standard),
    )

    assert str(amount) == refund


def test_outbound_shipping_refund_refuses_negative_amounts() -> None:
    with pytest.raises(ValueError, match=r"^Shipping amounts are 0 or more\.$"):
        outbound_shipping_refund(full_withdrawal=True, shipping_paid=Decimal("-1"), cheapest_standard=Decimal(3))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(D(2026, 11, 16), 12, D(2027, 11, 16), id="a-year"),
        pytest.param(D(2027, 1, 31), 1, D(2027, 2, 28), id="to-a-shorter-month"),
        pytest.param(D(2028, 2, 29), 24, D(2030, 2, 28), id="from-29-february"),
        pytest.param(D(2026, 12, 31), 1, D(2027, 1, 31), id="over-new-year"),
        pytest.param(D(2026, 10, 31), 4, D(2027, 2, 28), id="four-months-to-february"),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("country", "voluntary_days", "message"),
    [
        pytest.param("gr", 0, 'Give the country as an upper-case ISO 3166 code, e.g. "GR", not "gr".', id="lower-case"),
        pytest.param(
            "GRC", 0, 'Give the country as an upper-case ISO 3166 code, e.g. "GR", not "GRC".', id="three-letters"
        ),
        pytest.param("GR", -1, "voluntary_days is 0 or more, not -1.", id="negative-policy"),
    ],
)
def test_terms_name_the_fix(country: str, voluntary_days: int, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Terms(country, voluntary_days=voluntary_days)
