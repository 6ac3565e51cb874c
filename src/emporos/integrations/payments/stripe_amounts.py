"""Amounts as Stripe's API takes them: integers in the currency's minor unit, by Stripe's own rules.

From Stripe's "Supported currencies" page (https://docs.stripe.com/currencies, sections "Minor
units in API amounts", "Zero-decimal currencies", "Three-decimal currencies" and "Special
cases"): most currencies are sent in hundredths (10.00 EUR is 1000); the zero-decimal currencies
are sent as they are (500 JPY is 500); the three-decimal ones in thousandths with a last digit of 0;
ISK and UGX are sent in hundredths for backwards compatibility, whole units only (5 ISK is 500).
Stripe's list differs from ISO 4217 (HUF and TWD are two-decimal here), so it is kept apart from
`core.money`.
"""

from __future__ import annotations

from decimal import Decimal

from emporos.orders.payment_providers import PaymentProviderError

ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "VND", "VUV", "XAF", "XOF", "XPF"}
)
THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
WHOLE_UNITS_IN_HUNDREDTHS = frozenset({"ISK", "UGX"})


def exponent(currency: str) -> int:
    """How many decimal places Stripe's integer amounts carry for `currency` (upper or lower case)."""
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def to_minor_units(amount: Decimal, currency: str) -> int:
    """`amount` as Stripe's integer, or PaymentProviderError (not retryable) naming what is wrong.

    Nothing is rounded: a refund of an amount Stripe cannot express is refused before it is sent,
    since giving back a little more or less than the shop decided is worse than asking again.
    """
    code = currency.upper()
    if not amount.is_finite() or amount <= 0:
        raise PaymentProviderError(f"A refund needs an amount above zero; {amount} {code} was asked for.")
    whole_only = code in ZERO_DECIMAL or code in WHOLE_UNITS_IN_HUNDREDTHS
    minor = amount.scaleb(exponent(code))
    if minor != minor.to_integral_value() or (whole_only and amount != amount.to_integral_value()):
        places = 0 if whole_only else exponent(code)
        raise PaymentProviderError(
            f"Stripe takes {code} amounts with {places} decimal places; {amount} {code} cannot be refunded as it is."
        )
    if code in THREE_DECIMAL and int(minor) % 10:
        raise PaymentProviderError(
            f"Stripe takes {code} amounts in steps of 0.010; {amount} {code} cannot be refunded as it is."
        )
    return int(minor)


def from_minor_units(value: int, currency: str) -> Decimal:
    """Stripe's integer amount back as a Decimal in the currency's units (1050 EUR cents: 10.50)."""
    places = exponent(currency)
    return Decimal(value).scaleb(-places).quantize(Decimal(1).scaleb(-places))
