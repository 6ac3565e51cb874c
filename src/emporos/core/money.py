"""Money is a Decimal with an ISO 4217 currency; never a float."""

from __future__ import annotations

from decimal import Decimal

from emporos.core.config import setting

# Minor units of the currencies a shop is likely to take; absent means 2.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "HUF": 2, "ISK": 0, "CLP": 0, "KWD": 3, "BHD": 3, "JOD": 3}


def accepted_currencies() -> list[str]:
    return list(setting("CURRENCIES"))


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency, 2)


def has_valid_precision(amount: Decimal, currency: str) -> bool:
    """True when `amount` has no more decimal places than the currency allows."""
    exponent = amount.as_tuple().exponent
    return isinstance(exponent, int) and -exponent <= minor_units(currency)


def quantize(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)))


# Order amounts are stored as DECIMAL(14, 2), catalog prices as DECIMAL(12, 2): the largest
# amounts those columns hold.
MAX_AMOUNT = Decimal("999999999999.99")
MAX_PRICE = Decimal("9999999999.99")
# What the API takes for money: a decimal string, never a JSON number (a float loses cents).
AMOUNT_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


def amount_problem(
    amount: Decimal, currency: str, *, maximum: Decimal = MAX_AMOUNT, positive: bool = False
) -> str | None:
    """Why `amount` cannot be stored as money in `currency`; None when it can.

    The message ends with an example, so a person knows what to send instead.
    """
    lowest = "more than 0" if positive else "0 or more"
    decimals = min(minor_units(currency), 2)
    example = f"{Decimal('43.30'):.{decimals}f}"
    if not amount.is_finite() or amount < 0 or (positive and amount == 0):
        return f'Give an amount of {lowest}, e.g. "{example}".'
    if not has_valid_precision(amount, currency) or -int(amount.as_tuple().exponent) > 2:
        return f'{currency} has at most {decimals} decimals, e.g. "{example}".'
    if amount > maximum:
        return f"At most {maximum} {currency}."
    return None
