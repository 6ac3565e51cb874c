"""SEPA credit-transfer files (ISO 20022 pain.001.001.03) for refunds paid by bank transfer.

The shop uploads the file to its bank, which pays every refund in it from the shop's account. The
version is pain.001.001.03: every bank in the SEPA schemes takes it for customer-to-bank files, while
the 2019 version (pain.001.001.09) that the EPC's newer guidelines describe is not yet taken by all.

The file follows the EPC's customer-to-bank rules as well as the ISO schema:
- euros only, each amount more than 0 and at most 999,999,999.99 with at most two decimals;
- one payment information block, booked as one batch (BtchBookg), service level SEPA, charges
  shared (SLEV), with the number and sum of its transfers repeated in the group header;
- names and remittance texts only in the SEPA character set (Latin letters, digits, / - ? : ( ) . , '
  + and space) and cut to 70 and 140 characters: Greek is transliterated (ELOT 743) and Latin letters
  lose their accents (`core.latin`); any other character becomes a space. A creditor whose name has
  no letter left (a name written only in Hebrew, say) is named by the transfer's reference instead:
  banks route a SEPA transfer by IBAN, and the reference lets the customer recognise it;
- references (message and end-to-end ids) are refused, never cut, when longer than 35 characters or
  outside the character set: a cut reference could no longer be matched to its refund.

Bad input is refused with ValidationFailed naming every bad field at once (`transfers.2.amount`).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from emporos.core import iban as ibans
from emporos.core.errors import ErrorCollector
from emporos.core.latin import to_latin

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
CURRENCY = "EUR"
MAX_AMOUNT = Decimal("999999999.99")
NAME_LENGTH = 70
REMITTANCE_LENGTH = 140
REFERENCE_LENGTH = 35

_SEPA_CHARACTERS = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]")
_SUBSTITUTES = str.maketrans({"&": "+", '"': "'", "’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-", "_": "-"})
_REFERENCE = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]{1,35}")


@dataclass(frozen=True)
class Debtor:
    """The shop's account that pays. Without a BIC the bank finds it from the IBAN (NOTPROVIDED)."""

    name: str
    iban: str
    bic: str = ""


@dataclass(frozen=True)
class Transfer:
    """One refund: `end_to_end_id` is the shop's reference, shown to the customer and returned on the
    shop's statement (the refund or order number)."""

    end_to_end_id: str
    creditor_name: str
    creditor_iban: str
    amount: Decimal
    remittance: str
    creditor_bic: str = ""
    currency: str = CURRENCY


def sepa_text(text: str, *, max_length: int) -> str:
    """`text` in the SEPA character set, spaces folded, cut to `max_length`:
    'Ελένη Παπαδοπούλου & Σία' -> 'Eleni Papadopoulou + Sia'."""
    latin = to_latin(text).translate(_SUBSTITUTES)
    kept = "".join(char if _SEPA_CHARACTERS.fullmatch(char) else " " for char in latin)
    return " ".join(kept.split())[:max_length].rstrip()


def credit_transfer_file(
    *,
    debtor: Debtor,
    transfers: Sequence[Transfer],
    message_id: str,
    created_at: dt.datetime,
    execution_date: dt.date,
) -> bytes:
    """The pain.001.001.03 file (UTF-8 XML) that pays `transfers` from the debtor's account on
    `execution_date`; `message_id` is unique per file (banks refuse a second file with the same)."""
    if created_at.tzinfo is None:
        raise ValueError("created_at must be an aware datetime.")
    _check(debtor=debtor, transfers=transfers, message_id=message_id)
    count, total = str(len(transfers)), _amount(sum((transfer.amount for transfer in transfers), Decimal(0)))
    document = ET.Element("Document", xmlns=NAMESPACE)
    initiation = _sub(document, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    _sub(header, "NbOfTxs", count)
    _sub(header, "CtrlSum", total)
    _sub(_sub(header, "InitgPty"), "Nm", sepa_text(debtor.name, max_length=NAME_LENGTH))
    payment = _sub(initiation, "PmtInf")
    _sub(payment, "PmtInfId", message_id)
    _sub(payment, "PmtMtd", "TRF")
    _sub(payment, "BtchBookg", "true")
    _sub(payment, "NbOfTxs", count)
    _sub(payment, "CtrlSum", total)
    _sub(_sub(_sub(payment, "PmtTpInf"), "SvcLvl"), "Cd", "SEPA")
    _sub(payment, "ReqdExctnDt", execution_date.isoformat())
    _sub(_sub(payment, "Dbtr"), "Nm", sepa_text(debtor.name, max_length=NAME_LENGTH))
    _account(payment, "DbtrAcct", debtor.iban)
    _agent(payment, "DbtrAgt", debtor.bic, required=True)
    _sub(payment, "ChrgBr", "SLEV")
    for transfer in transfers:
        _transaction(payment, transfer)
    ET.indent(document)
    return ET.tostring(document, encoding="UTF-8", xml_declaration=True)


def _transaction(payment: ET.Element, transfer: Transfer) -> None:
    transaction = _sub(payment, "CdtTrfTxInf")
    _sub(_sub(transaction, "PmtId"), "EndToEndId", transfer.end_to_end_id)
    _sub(_sub(transaction, "Amt"), "InstdAmt", _amount(transfer.amount), Ccy=CURRENCY)
    _agent(transaction, "CdtrAgt", transfer.creditor_bic, required=False)
    name = sepa_text(transfer.creditor_name, max_length=NAME_LENGTH)
    if not any(char.isalnum() for char in name):
        name = transfer.end_to_end_id
    _sub(_sub(transaction, "Cdtr"), "Nm", name)
    _account(transaction, "CdtrAcct", transfer.creditor_iban)
    remittance = sepa_text(transfer.remittance, max_length=REMITTANCE_LENGTH)
    if remittance:
        _sub(_sub(transaction, "RmtInf"), "Ustrd", remittance)


def _account(parent: ET.Element, tag: str, iban: str) -> None:
    _sub(_sub(_sub(parent, tag), "Id"), "IBAN", ibans.compact(iban))


def _agent(parent: ET.Element, tag: str, bic: str, *, required: bool) -> None:
    if not bic and not required:
        return
    institution = _sub(_sub(parent, tag), "FinInstnId")
    if bic:
        _sub(institution, "BIC", ibans.compact(bic))
    else:
        _sub(_sub(institution, "Othr"), "Id", "NOTPROVIDED")


def _sub(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    # Unqualified names under the root's default namespace (xmlns), as banks' examples are written.
    element = ET.SubElement(parent, name, attributes)
    element.text = text
    return element


def _amount(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _check(*, debtor: Debtor, transfers: Sequence[Transfer], message_id: str) -> None:
    """Raise ValidationFailed naming every field the file cannot carry."""
    errors = ErrorCollector()
    _check_reference(errors, "message_id", message_id)
    if not sepa_text(debtor.name, max_length=NAME_LENGTH):
        errors.add("debtor.name", "required", gettext("Give the name of the shop's account holder in Latin letters."))
    _check_account(errors, ("debtor.iban", "debtor.bic"), debtor.iban, debtor.bic)
    if not transfers:
        errors.add("transfers", "required", gettext("A SEPA file needs at least one transfer."))
    seen: set[str] = set()
    for position, transfer in enumerate(transfers):
        field = f"transfers.{position}"
        _check_reference(errors, f"{field}.end_to_end_id", transfer.end_to_end_id)
        if transfer.end_to_end_id in seen:
            errors.add(
                f"{field}.end_to_end_id",
                "duplicate_reference",
                gettext("%(reference)s is in this file twice; give each transfer its own reference.")
                % {"reference": transfer.end_to_end_id},
            )
        seen.add(transfer.end_to_end_id)
        fields = (f"{field}.creditor_iban", f"{field}.creditor_bic")
        _check_account(errors, fields, transfer.creditor_iban, transfer.creditor_bic)
        _check_amount(errors, field, transfer)
    errors.raise_if_any()


def _check_reference(errors: ErrorCollector, field: str, reference: str) -> None:
    # The EPC's rule for references: no leading or trailing slash and no double slash.
    slashes_fine = not reference.startswith("/") and not reference.endswith("/") and "//" not in reference
    if _REFERENCE.fullmatch(reference) and slashes_fine:
        return
    errors.add(
        field,
        "invalid_reference",
        gettext(
            "%(reference)s cannot be a SEPA reference: use 1 to %(length)s Latin letters, digits and "
            "/ - ? : ( ) . , ' +, with no / at its start or end and no //, e.g. R-1042."
        )
        % {"reference": reference, "length": REFERENCE_LENGTH},
    )


def _check_account(errors: ErrorCollector, fields: tuple[str, str], iban: str, bic: str) -> None:
    iban_field, bic_field = fields
    problem = ibans.iban_problem(iban)
    if problem is not None:
        errors.add(iban_field, problem.code, problem.message)
    elif not ibans.is_sepa(iban):
        errors.add(
            iban_field,
            "not_sepa",
            gettext(
                "%(iban)s is an account in %(country)s, outside the SEPA area, so a SEPA transfer cannot "
                "reach it; pay this refund by an international transfer."
            )
            % {"iban": ibans.format_iban(iban), "country": ibans.country(iban)},
        )
    if bic and (bic_problem := ibans.bic_problem(bic)) is not None:
        errors.add(bic_field, bic_problem.code, bic_problem.message)


def _check_amount(errors: ErrorCollector, field: str, transfer: Transfer) -> None:
    if transfer.currency != CURRENCY:
        errors.add(
            f"{field}.currency",
            "currency_not_eur",
            gettext(
                "A SEPA transfer is in euros only; this refund is in %(currency)s: pay it by another kind of transfer."
            )
            % {"currency": transfer.currency},
        )
        return
    amount = transfer.amount
    # 43.300 is 43.30; 43.305 has no cent to pay.
    if not amount.is_finite() or not 0 < amount <= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        errors.add(
            f"{field}.amount",
            "invalid_amount",
            gettext(
                "%(amount)s cannot be paid by a SEPA transfer: give more than 0 and at most 999999999.99 EUR "
                "with at most 2 decimals, e.g. 43.30."
            )
            % {"amount": amount},
        )
