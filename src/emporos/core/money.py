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
