"""IBANs and BICs, checked and put in one canonical form.

An IBAN is refused, never repaired: a customer who typed one digit wrong must learn it on the form,
not when the refund comes back from the bank weeks later. What is checked: the country code is one
of the IBAN registry's and the length is that country's, only letters and digits, and the check
digits (ISO 7064 mod 97-10). The national part (BBAN) is not checked against each country's layout:
the check digits already catch every single typo and every swap of two neighbours.

Messages are translatable: a customer reads them on the refund form in their language.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext

from emporos.core.errors import FieldError, ValidationFailed
from emporos.core.text import TextProblem

# The IBAN length of each country of the IBAN registry (SWIFT) that a shop in Europe is likely to
# meet: every SEPA country, then their neighbours and Israel.
IBAN_LENGTHS: dict[str, int] = {
    # EU
    "AT": 20, "BE": 16, "BG": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24,
    "FI": 18, "FR": 27, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IT": 27, "LT": 20, "LU": 20,
    "LV": 21, "MT": 31, "NL": 18, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24,
    # EEA, and the rest of the SEPA schemes' scope
    "IS": 26, "LI": 21, "NO": 15, "CH": 21, "GB": 22, "GI": 23, "MC": 27, "SM": 27, "VA": 22,
    "AD": 24, "AL": 28, "MD": 24, "ME": 22, "MK": 19, "RS": 22,
    # Outside SEPA
    "IL": 23, "TR": 26, "UA": 29, "GE": 22, "BA": 20, "XK": 20, "FO": 18, "GL": 18, "AZ": 28,
    "BY": 28, "KZ": 20, "AE": 23, "SA": 24, "QA": 29, "BH": 22, "KW": 30, "JO": 30, "LB": 28,
    "EG": 29, "TN": 24, "MR": 27, "MU": 30, "SC": 31, "BR": 29, "CR": 22, "DO": 28, "GT": 28,
    "PK": 24, "PS": 29, "TL": 23, "VG": 24, "LC": 32, "ST": 25, "SV": 28, "IQ": 23, "LY": 25,
}  # fmt: skip

# The countries in the geographical scope of the SEPA schemes (European Payments Council, 2025:
# 41 countries; Gibraltar with the United Kingdom). Crown dependencies use GB IBANs, French overseas
# departments FR, the Åland Islands FI. Serbia's banks join from May 2026.
SEPA_COUNTRIES = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
        "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
        "IS", "LI", "NO", "CH", "GB", "GI", "MC", "SM", "VA", "AD", "AL", "MD", "ME", "MK", "RS",
    }
)  # fmt: skip

_SEPARATORS = re.compile(r"[\s\-]+")
_ALPHANUMERIC = re.compile(r"[A-Z0-9]+")
_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+")
# Bank (4 letters), country (2 letters), location (2; the second not 'O', which marks a test
# BIC), optional branch (3): the ISO 9362 pattern, as the ISO 20022 schemas write it.
_BIC = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9](?:[A-Z0-9]{3})?")


def compact(text: str) -> str:
    """`text` without spaces and dashes, in upper case: ' gr16 0110-1250 ' -> 'GR1601101250'."""
    return _SEPARATORS.sub("", text).upper()


def _mod97(iban: str) -> int:
    # ISO 7064 mod 97-10 on the IBAN with its first four characters moved to the end and each
    # letter read as a number (A = 10 ... Z = 35); the remainder of a valid IBAN is 1.
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97


def iban_problem(text: str) -> TextProblem | None:
    """Why `text` is not a usable IBAN; None when it is (spaces, dashes and lower case allowed)."""
    iban = compact(text)
    shown = format_iban(text)
    fix = gettext("copy it from your bank statement or your banking app.")
    if not iban:
        return TextProblem("required", gettext("Give the IBAN of the account; %(fix)s") % {"fix": fix})
    if not _ALPHANUMERIC.fullmatch(iban):
        reason = gettext("an IBAN has only letters and digits")
    elif not _SHAPE.fullmatch(iban):
        reason = gettext("an IBAN starts with two letters of its country and two check digits, e.g. GR16")
    elif (length := IBAN_LENGTHS.get(iban[:2])) is None:
        reason = gettext("%(country)s is not a country that has IBANs") % {"country": iban[:2]}
    elif len(iban) != length:
        reason = gettext("an IBAN of %(country)s has %(expected)s characters; this one has %(actual)s") % {
            "country": iban[:2],
            "expected": length,
            "actual": len(iban),
        }
    elif _mod97(iban) != 1:
        reason = gettext("its check digits do not match")
    else:
        return None
    message = gettext("%(iban)s is not a valid IBAN: %(reason)s; %(fix)s") % {
        "iban": shown,
        "reason": reason,
        "fix": fix,
    }
    return TextProblem("invalid_iban", message)


def normalize(text: str, *, field: str = "iban") -> str:
    """The IBAN in its electronic form (upper case, no spaces), or ValidationFailed naming `field`."""
    problem = iban_problem(text)
    if problem is not None:
        raise ValidationFailed([FieldError(field, problem.code, problem.message)])
    return compact(text)


def is_valid(text: str) -> bool:
    return iban_problem(text) is None


def format_iban(iban: str) -> str:
    """The IBAN in its printed form, groups of four: 'GR1601101250000000012300695' ->
    'GR16 0110 1250 0000 0001 2300 695'."""
    electronic = compact(iban)
    return " ".join(electronic[start : start + 4] for start in range(0, len(electronic), 4))


def country(iban: str) -> str:
    return compact(iban)[:2]


def is_sepa(iban: str) -> bool:
    """True when the account is in the SEPA schemes' scope, so a SEPA credit transfer reaches it."""
    return country(iban) in SEPA_COUNTRIES


def bic_problem(text: str) -> TextProblem | None:
    """Why `text` is not a usable BIC (SWIFT code); None when it is."""
    bic = compact(text)
    if _BIC.fullmatch(bic):
        return None
    message = gettext(
        "%(bic)s is not a valid BIC: a BIC has 8 or 11 letters and digits, e.g. ETHNGRAA or "
        "PKOPPLPWXXX; your bank shows it next to your IBAN."
    ) % {"bic": " ".join(text.split()) or text}
    return TextProblem("invalid_bic", message)


def normalize_bic(text: str, *, field: str = "bic") -> str:
    """The BIC in upper case without spaces, or ValidationFailed naming `field`."""
    problem = bic_problem(text)
    if problem is not None:
        raise ValidationFailed([FieldError(field, problem.code, problem.message)])
    return compact(text)
