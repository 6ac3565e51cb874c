"""SEPA credit-transfer files for bank refunds: valid against the ISO pain.001.001.03 schema, read back
exactly, in the SEPA character set, and refused with every reason when a refund cannot be paid."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
import xmlschema

from emporos.core.errors import FieldError, ValidationFailed
from emporos.returns import sepa
from emporos.returns.sepa import Debtor, Transfer

SCHEMA = Path(__file__).parent / "fixtures" / "pain.001.001.03.xsd"
NS = {"p": sepa.NAMESPACE}
SHOP = Debtor(name="Μέλι & Θυμάρι Α.Ε.", iban="GR16 0110 1250 0000 0001 2300 695", bic="ETHNGRAA")
CREATED_AT = dt.datetime(2026, 12, 1, 9, 30, 5, tzinfo=dt.UTC)
EXECUTION_ON = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(SCHEMA)


def transfer(**changes: object) -> Transfer:
    values: dict[str, object] = {
        "end_to_end_id": "R-1042",
        "creditor_name": "Ελένη Παπαδοπούλου",
        "creditor_iban": "CY17 0020 0128 0000 0012 0052 7600",
        "amount": Decimal("43.30"),
        "remittance": "Επιστροφή χρημάτων, παραγγελία 1042",
    }
    return Transfer(**{**values, **changes})  # type: ignore[arg-type]


def build(transfers: list[Transfer], *, debtor: Debtor = SHOP, message_id: str = "EMP-20261201-1") -> bytes:
    return sepa.credit_transfer_file(
        debtor=debtor, transfers=transfers, message_id=message_id, created_at=CREATED_AT, execution_date=EXECUTION_ON
    )


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 (the file under test, made here)


def texts(document: ET.Element, path: str) -> list[str]:
    return [element.text or "" for element in document.findall(path, NS)]


def test_one_transfer_is_a_valid_file_read_back_exactly(schema: xmlschema.XMLSchema) -> None:
    content = build([transfer()])

    schema.validate(content.decode())
    assert content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<Document xmlns=\"" + sepa.NAMESPACE.encode())
    document = parse(content)
    header = "p:CstmrCdtTrfInitn/p:GrpHdr"
    payment = "p:CstmrCdtTrfInitn/p:PmtInf"
    assert texts(document, f"{header}/p:MsgId") == ["EMP-20261201-1"]
    assert texts(document, f"{header}/p:CreDtTm") == ["2026-12-01T09:30:05Z"]
    assert texts(document, f"{header}/p:NbOfTxs") == ["1"]
    assert texts(document, f"{header}/p:CtrlSum") == ["43.30"]
    assert texts(document, f"{header}/p:InitgPty/p:Nm") == ["Meli + Thymari A.E."]
    assert texts(document, f"{payment}/p:PmtMtd") == ["TRF"]
    assert texts(document, f"{payment}/p:BtchBookg") == ["true"]
    assert texts(document, f"{payment}/p:NbOfTxs") == ["1"]
    assert texts(document, f"{payment}/p:CtrlSum") == ["43.30"]
    assert texts(document, f"{payment}/p:PmtTpInf/p:SvcLvl/p:Cd") == ["SEPA"]
    assert texts(document, f"{payment}/p:ReqdExctnDt") == ["2026-12-02"]
    assert texts(document, f"{payment}/p:Dbtr/p:Nm") == ["Meli + Thymari A.E."]
    assert texts(document, f"{payment}/p:DbtrAcct/p:Id/p:IBAN") == ["GR1601101250000000012300695"]
    assert texts(document, f"{payment}/p:DbtrAgt/p:FinInstnId/p:BIC") == ["ETHNGRAA"]
    assert texts(document, f"{payment}/p:ChrgBr") == ["SLEV"]
    transaction = f"{payment}/p:CdtTrfTxInf"
    assert texts(document, f"{transaction}/p:PmtId/p:EndToEndId") == ["R-1042"]
    assert texts(document, f"{transaction}/p:Amt/p:InstdAmt") == ["43.30"]
    assert [element.get("Ccy") for element in document.findall(f"{transaction}/p:Amt/p:InstdAmt", NS)] == ["EUR"]
    assert document.findall(f"{transaction}/p:CdtrAgt", NS) == []
    assert texts(document, f"{transaction}/p:Cdtr/p:Nm") == ["Eleni Papadopoulou"]
    assert texts(document, f"{transaction}/p:CdtrAcct/p:Id/p:IBAN") == ["CY17002001280000001200527600"]
    assert texts(document, f"{transaction}/p:RmtInf/p:Ustrd") == ["Epistrofi chrimaton, parangelia 1042"]


def test_many_transfers_carry_an_exact_control_sum(schema: xmlschema.XMLSchema) -> None:
    # 0.10 + 0.20 is 0.30 exactly in Decimal; a float sum would write 0.30000000000000004.
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("999999999.99"), Decimal("12.5"), Decimal("7.000")]
    rows = [
        transfer(end_to_end_id=f"R-{number}", amount=amount, creditor_bic="BCYPCY2N" if number % 2 else "")
        for number, amount in enumerate(amounts, start=1)
    ]

    content = build(rows)

    schema.validate(content.decode())
    document = parse(content)
    assert texts(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs") == ["5"]
    assert texts(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum") == ["1000000019.79"]
    assert texts(document, "p:CstmrCdtTrfInitn/p:PmtInf/p:NbOfTxs") == ["5"]
    assert texts(document, "p:CstmrCdtTrfInitn/p:PmtInf/p:CtrlSum") == ["1000000019.79"]
    transaction = "p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf"
    assert texts(document, f"{transaction}/p:PmtId/p:EndToEndId") == ["R-1", "R-2", "R-3", "R-4", "R-5"]
    assert texts(document, f"{transaction}/p:Amt/p:InstdAmt") == ["0.10", "0.20", "999999999.99", "12.50", "7.00"]
    assert texts(document, f"{transaction}/p:CdtrAgt/p:FinInstnId/p:BIC") == ["BCYPCY2N"] * 3


@pytest.mark.parametrize(
    ("creditor_name", "written"),
    [
        ("Ελένη Παπαδοπούλου", "Eleni Papadopoulou"),
        ("ΓΕΩΡΓΙΟΣ ΧΑΤΖΗΔΑΚΗΣ", "GEORGIOS CHATZIDAKIS"),
        ("Jabłoński", "Jablonski"),
        ("Łukasz Żółć-Wąsowicz", "Lukasz Zolc-Wasowicz"),
        ("O’Brien & Sons_Ltd #2", "O'Brien + Sons-Ltd 2"),
        ("Αικατερίνη " * 10, "Aikaterini " * 6 + "Aika"),
        # Nothing writable in the SEPA character set: the transfer's reference names the creditor.
        ("דוד כהן", "R-1042"),
        ("David כהן", "David"),
    ],
    ids=["greek", "greek capitals", "polish", "polish letters", "symbols", "cut to 70", "hebrew", "mixed"],
)
def test_names_are_written_in_the_sepa_character_set(
    schema: xmlschema.XMLSchema, creditor_name: str, written: str
) -> None:
    content = build([transfer(creditor_name=creditor_name)])

    schema.validate(content.decode())
    names = texts(parse(content), "p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/p:Cdtr/p:Nm")
    assert names == [written]
    assert len(written) <= sepa.NAME_LENGTH


def test_a_long_remittance_is_cut_to_140_characters(schema: xmlschema.XMLSchema) -> None:
    content = build([transfer(remittance="Zwrot za zamówienie 1042; " * 8)])

    schema.validate(content.decode())
    (remittance,) = texts(parse(content), "p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/p:RmtInf/p:Ustrd")
    assert remittance == ("Zwrot za zamowienie 1042 " * 6)[:140].rstrip()
    assert len(remittance) == 140


def test_an_empty_remittance_and_a_debtor_without_bic_are_left_out(schema: xmlschema.XMLSchema) -> None:
    debtor = Debtor(name="Miód Sp. z o.o.", iban="PL61 1090 1014 0000 0712 1981 2874")

    content = build([transfer(remittance="")], debtor=debtor)

    schema.validate(content.decode())
    document = parse(content)
    payment = "p:CstmrCdtTrfInitn/p:PmtInf"
    assert texts(document, f"{payment}/p:Dbtr/p:Nm") == ["Miod Sp. z o.o."]
    assert texts(document, f"{payment}/p:DbtrAgt/p:FinInstnId/p:Othr/p:Id") == ["NOTPROVIDED"]
    assert document.findall(f"{payment}/p:CdtTrfTxInf/p:RmtInf", NS) == []


def test_a_refund_in_another_currency_is_refused() -> None:
    with pytest.raises(ValidationFailed) as raised:
        build([transfer(), transfer(end_to_end_id="R-1043", currency="PLN", amount=Decimal("180.00"))])

    assert raised.value.errors == [
        FieldError(
            "transfers.1.currency",
            "currency_not_eur",
            "A SEPA transfer is in euros only; this refund is in PLN: pay it by another kind of transfer.",
        )
    ]


def test_an_invalid_or_foreign_iban_is_refused_with_every_reason() -> None:
    rows = [
        transfer(creditor_iban="CY17 0020 0128 0000 0012 0052 7601"),
        transfer(end_to_end_id="R-1043", creditor_iban="IL62 0108 0000 0009 9999 999"),
        transfer(end_to_end_id="R-1044", creditor_bic="BCYP"),
    ]

    with pytest.raises(ValidationFailed) as raised:
        build(rows, debtor=Debtor(name="Shop", iban="GR16 0110 1250 0000 0001 2300 69"))

    assert raised.value.errors == [
        FieldError(
            "debtor.iban",
            "invalid_iban",
            "GR16 0110 1250 0000 0001 2300 69 is not a valid IBAN: an IBAN of GR has 27 characters; this one has 26; "
            "copy it from your bank statement or your banking app.",
        ),
        FieldError(
            "transfers.0.creditor_iban",
            "invalid_iban",
            "CY17 0020 0128 0000 0012 0052 7601 is not a valid IBAN: its check digits do not match; copy it from "
            "your bank statement or your banking app.",
        ),
        FieldError(
            "transfers.1.creditor_iban",
            "not_sepa",
            "IL62 0108 0000 0009 9999 999 is an account in IL, outside the SEPA area, so a SEPA transfer cannot "
            "reach it; pay this refund by an international transfer.",
        ),
        FieldError(
            "transfers.2.creditor_bic",
            "invalid_bic",
            "BCYP is not a valid BIC: a BIC has 8 or 11 letters and digits, e.g. ETHNGRAA or PKOPPLPWXXX; your "
            "bank shows it next to your IBAN.",
        ),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"amount": Decimal("0.00")}, "transfers.0.amount", "invalid_amount"),
        ({"amount": Decimal("-5.00")}, "transfers.0.amount", "invalid_amount"),
        ({"amount": Decimal("43.305")}, "transfers.0.amount", "invalid_amount"),
        ({"amount": Decimal("1000000000.00")}, "transfers.0.amount", "invalid_amount"),
        ({"amount": Decimal("NaN")}, "transfers.0.amount", "invalid_amount"),
        ({"end_to_end_id": "R-" + "1" * 34}, "transfers.0.end_to_end_id", "invalid_reference"),
        ({"end_to_end_id": "Ζ-1042"}, "transfers.0.end_to_end_id", "invalid_reference"),
        ({"end_to_end_id": "/R-1042"}, "transfers.0.end_to_end_id", "invalid_reference"),
        ({"end_to_end_id": "R//1042"}, "transfers.0.end_to_end_id", "invalid_reference"),
        ({"end_to_end_id": ""}, "transfers.0.end_to_end_id", "invalid_reference"),
    ],
    ids=[
        "zero",
        "negative",
        "half a cent",
        "too large",
        "not a number",
        "36 long",
        "greek",
        "leading slash",
        "double slash",
        "empty",
    ],
)
def test_a_transfer_the_file_cannot_carry_is_refused(changes: dict[str, object], field: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        build([transfer(**changes)])

    assert [(error.field, error.code) for error in raised.value.errors] == [(field, code)]


def test_a_reference_twice_and_an_empty_file_are_refused() -> None:
    with pytest.raises(ValidationFailed) as twice:
        build([transfer(), transfer()])
    with pytest.raises(ValidationFailed) as empty:
        build([], message_id="x" * 36)

    assert twice.value.errors == [
        FieldError(
            "transfers.1.end_to_end_id",
            "duplicate_reference",
            "R-1042 is in this file twice; give each transfer its own reference.",
        )
    ]
    assert [(error.field, error.code) for error in empty.value.errors] == [
        ("message_id", "invalid_reference"),
        ("transfers", "required"),
    ]


def test_the_schema_itself_refuses_a_broken_file(schema: xmlschema.XMLSchema) -> None:
    """The validation in these tests can fail: a file without its control sum's required header is invalid."""
    document = parse(build([transfer()]))
    initiation = document.find("p:CstmrCdtTrfInitn", NS)
    assert initiation is not None
    header = initiation.find("p:GrpHdr", NS)
    assert header is not None
    initiation.remove(header)

    assert schema.is_valid(ET.tostring(document, encoding="unicode")) is False


def test_a_creation_time_without_a_time_zone_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="created_at must be an aware datetime"):
        sepa.credit_transfer_file(
            debtor=SHOP,
            transfers=[transfer()],
            message_id="EMP-1",
            created_at=dt.datetime(2026, 12, 1, 9, 30),
            execution_date=EXECUTION_ON,
        )
