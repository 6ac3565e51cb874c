"""IBANs and BICs as customers type them on the refund form: checked, one canonical form, a message
that says what is wrong and how to fix it."""

from __future__ import annotations

import pytest

from emporos.core import iban
from emporos.core.errors import FieldError, ValidationFailed

# Published examples of the IBAN registry and the countries' banks.
VALID = [
    ("GR1601101250000000012300695", "GR16 0110 1250 0000 0001 2300 695", "GR"),
    ("PL61109010140000071219812874", "PL61 1090 1014 0000 0712 1981 2874", "PL"),
    ("DE89370400440532013000", "DE89 3704 0044 0532 0130 00", "DE"),
    ("CY17002001280000001200527600", "CY17 0020 0128 0000 0012 0052 7600", "CY"),
    ("IL620108000000099999999", "IL62 0108 0000 0009 9999 999", "IL"),
    ("AT611904300234573201", "AT61 1904 3002 3457 3201", "AT"),
    ("FR1420041010050500013M02606", "FR14 2004 1010 0505 0001 3M02 606", "FR"),
    ("MT84MALT011000012345MTLCAST001S", "MT84 MALT 0110 0001 2345 MTLC AST0 01S", "MT"),
    ("NO9386011117947", "NO93 8601 1117 947", "NO"),
    ("BE68539007547034", "BE68 5390 0754 7034", "BE"),
    ("CH9300762011623852957", "CH93 0076 2011 6238 5295 7", "CH"),
    ("GB29NWBK60161331926819", "GB29 NWBK 6016 1331 9268 19", "GB"),
]


@pytest.mark.parametrize(("electronic", "printed", "country"), VALID, ids=[row[2] for row in VALID])
def test_a_valid_iban_is_normalized_and_printed_in_groups_of_four(electronic: str, printed: str, country: str) -> None:
    assert iban.normalize(electronic) == electronic
    assert iban.normalize(printed) == electronic
    assert iban.format_iban(electronic) == printed
    assert iban.country(printed) == country
    assert iban.IBAN_LENGTHS[country] == len(electronic)


@pytest.mark.parametrize(
    "typed",
    ["gr16 0110 1250 0000 0001 2300 695", " GR16-0110-1250-0000-0001-2300-695 ", "Gr16\t01101250000000012300695"],
    ids=["lower case and spaces", "dashes and padding", "tab"],
)
def test_lower_case_spaces_and_dashes_are_accepted(typed: str) -> None:
    assert iban.normalize(typed) == "GR1601101250000000012300695"


FIX = "copy it from your bank statement or your banking app."


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "GR16 0110 1250 0000 0001 2300 696",
            f"GR16 0110 1250 0000 0001 2300 696 is not a valid IBAN: its check digits do not match; {FIX}",
        ),
        (
            "PL61 1090 1014 0000 0712 1981 287",
            "PL61 1090 1014 0000 0712 1981 287 is not a valid IBAN: an IBAN of PL has 28 characters; this one has "
            f"27; {FIX}",
        ),
        (
            "DE89 3704 0044 0532 0130 000",
            f"DE89 3704 0044 0532 0130 000 is not a valid IBAN: an IBAN of DE has 22 characters; this one has 23; {FIX}",
        ),
        (
            "US64 SVBK US6S 3300 9673 8637",
            f"US64 SVBK US6S 3300 9673 8637 is not a valid IBAN: US is not a country that has IBANs; {FIX}",
        ),
        (
            "GR16 0110 1250 0000 0001 2300 69€",
            f"GR16 0110 1250 0000 0001 2300 69€ is not a valid IBAN: an IBAN has only letters and digits; {FIX}",
        ),
        (
            "0110 1250 0000 0001 2300 695",
            "0110 1250 0000 0001 2300 695 is not a valid IBAN: an IBAN starts with two letters of its country and "
            f"two check digits, e.g. GR16; {FIX}",
        ),
        # The two check digits swapped: the checksum catches it.
        (
            "DE98 3704 0044 0532 0130 00",
            f"DE98 3704 0044 0532 0130 00 is not a valid IBAN: its check digits do not match; {FIX}",
        ),
        # Two neighbouring digits of the account swapped.
        (
            "CY17 0020 0128 0000 0012 0052 7060",
            f"CY17 0020 0128 0000 0012 0052 7060 is not a valid IBAN: its check digits do not match; {FIX}",
        ),
    ],
    ids=[
        "wrong checksum",
        "too short",
        "too long",
        "unknown country",
        "symbol",
        "no country",
        "check digits swapped",
        "digits swapped",
    ],
)
def test_an_invalid_iban_is_refused_with_a_message_naming_the_fix(typed: str, message: str) -> None:
    assert iban.iban_problem(typed) == iban.TextProblem("invalid_iban", message)
    with pytest.raises(ValidationFailed) as raised:
        iban.normalize(typed, field="refund.iban")
    assert raised.value.errors == [FieldError("refund.iban", "invalid_iban", message)]
    assert iban.is_valid(typed) is False


@pytest.mark.parametrize("typed", ["", "   ", " - "], ids=["empty", "spaces", "dash"])
def test_an_empty_iban_is_required(typed: str) -> None:
    assert iban.iban_problem(typed) == iban.TextProblem("required", f"Give the IBAN of the account; {FIX}")


@pytest.mark.parametrize(
    ("electronic", "is_sepa"),
    [
        ("GR1601101250000000012300695", True),
        ("PL61109010140000071219812874", True),
        ("CY17002001280000001200527600", True),
        ("CH9300762011623852957", True),
        ("GB29NWBK60161331926819", True),
        ("NO9386011117947", True),
        ("IL620108000000099999999", False),
        ("TR330006100519786457841326", False),
    ],
    ids=["GR", "PL", "CY", "CH", "GB", "NO", "IL", "TR"],
)
def test_is_sepa_names_the_accounts_a_sepa_transfer_reaches(electronic: str, is_sepa: bool) -> None:
    assert iban.is_valid(electronic)
    assert iban.is_sepa(electronic) is is_sepa


def test_every_sepa_country_has_an_iban_length() -> None:
    assert iban.IBAN_LENGTHS.keys() >= iban.SEPA_COUNTRIES
    assert len(iban.SEPA_COUNTRIES) == 42  # the EPC's 41 countries, and Gibraltar


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("ETHNGRAA", "ETHNGRAA"),
        ("pkopplpwxxx", "PKOPPLPWXXX"),
        ("COBA DE FF XXX", "COBADEFFXXX"),
        ("LUMIILITXXX", "LUMIILITXXX"),
    ],
    ids=["8 characters", "11 in lower case", "spaces", "IL"],
)
def test_a_valid_bic_is_normalized(typed: str, normalized: str) -> None:
    assert iban.bic_problem(typed) is None
    assert iban.normalize_bic(typed) == normalized


@pytest.mark.parametrize(
    "typed",
    ["ETHNGRA", "ETHNGRAA1", "ETHNGRAAXXXX", "1THNGRAA", "ETHNGR1A", "ETHN3RAA", "ETHNGR0O", "ETHNGR-A"],
    ids=["7", "9", "12", "digit in bank", "location digit 1", "digit in country", "test location O", "dash"],
)
def test_an_invalid_bic_is_refused(typed: str) -> None:
    message = (
        f"{typed} is not a valid BIC: a BIC has 8 or 11 letters and digits, e.g. ETHNGRAA or PKOPPLPWXXX; "
        "your bank shows it next to your IBAN."
    )
    assert iban.bic_problem(typed) == iban.TextProblem("invalid_bic", message)
    with pytest.raises(ValidationFailed) as raised:
        iban.normalize_bic(typed)
    assert raised.value.errors == [FieldError("bic", "invalid_bic", message)]
