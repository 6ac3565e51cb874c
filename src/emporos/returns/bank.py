"""Refunds paid by bank transfer (cash on delivery, bank transfer): those due, and the SEPA file
that pays them from the shop's account. A refund goes into one file only: the export picks the due
refunds, builds the file and marks them exported in one transaction, so a second export has none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext, override

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.config import setting
from emporos.core.errors import Conflict
from emporos.orders import services as orders
from emporos.orders.models import ProviderStatus, Refund, RefundStatus
from emporos.orders.services.refunds import BANK_TRANSFER
from emporos.returns import sepa


class DebtorAccountMissing(Conflict):
    """The shop's own account (the one that pays) is not configured."""

    code = "sepa_debtor_missing"


class NothingToExport(Conflict):
    code = "nothing_to_export"


@dataclass(frozen=True)
class Export:
    file_id: str
    content: bytes
    count: int


def due_refunds() -> list[Refund]:
    """Bank refunds waiting to be paid, oldest first (one query, with their orders and customers)."""
    return list(
        Refund.objects.filter(
            provider=BANK_TRANSFER, provider_status=ProviderStatus.DUE, status=RefundStatus.ISSUED, exported_in=""
        )
        .select_related("order__customer")
        .order_by("created_at", "pk")
    )


def debtor() -> sepa.Debtor:
    """The shop's account from EMPOROS_SEPA_DEBTOR_NAME, _IBAN and _BIC (the BIC may be empty)."""
    name, iban, bic = (setting(key) for key in ("SEPA_DEBTOR_NAME", "SEPA_DEBTOR_IBAN", "SEPA_DEBTOR_BIC"))
    if not name or not iban:
        raise DebtorAccountMissing(
            "Set EMPOROS_SEPA_DEBTOR_NAME and EMPOROS_SEPA_DEBTOR_IBAN (and EMPOROS_SEPA_DEBTOR_BIC) to the "
            "shop's own bank account before exporting refunds."
        )
    return sepa.Debtor(name=name, iban=iban, bic=bic)


def export_due(*, actor: Actor, execution_date: dt.date | None = None) -> Export:
    """The pain.001 file paying every due euro bank refund; they are marked exported in it.

    Raises DebtorAccountMissing without the shop's account, NothingToExport when none is due, and
    ValidationFailed (from `sepa`) naming the refund whose IBAN or amount cannot be paid.
    """
    account = debtor()
    now = clock.now()
    with transaction.atomic():
        refunds = list(
            Refund.objects.select_for_update(of=("self",))
            .select_related("order__customer")
            .filter(
                provider=BANK_TRANSFER,
                provider_status=ProviderStatus.DUE,
                status=RefundStatus.ISSUED,
                exported_in="",
                currency=sepa.CURRENCY,
            )
            .order_by("created_at", "pk")
        )
        if not refunds:
            raise NothingToExport("No bank refund is due: nothing to export.")
        file_id = f"EMP-{now:%Y%m%d%H%M%S}-{refunds[0].pk}"[: sepa.REFERENCE_LENGTH]
        transfers = [_transfer(refund) for refund in refunds]
        content = sepa.credit_transfer_file(
            debtor=account,
            transfers=transfers,
            message_id=file_id,
            created_at=now,
            execution_date=execution_date or now.date(),
        )
        orders.mark_bank_refunds_exported(refund_ids=[r.pk for r in refunds], file_id=file_id, actor=actor)
    return Export(file_id=file_id, content=content, count=len(refunds))


def _transfer(refund: Refund) -> sepa.Transfer:
    order = refund.order
    reference = refund.reference if refund.reference and len(refund.reference) <= 35 else order.display_number
    with override(order.customer.language or "en"):
        remittance = gettext("Refund for order %(number)s") % {"number": order.display_number}
    return sepa.Transfer(
        end_to_end_id=reference,
        creditor_name=refund.account_holder or order.customer.name,
        creditor_iban=refund.iban,
        amount=refund.amount,
        remittance=remittance,
        currency=refund.currency,
    )
