"""Printed documents for fulfillment: pick lists, packing slips and shipping labels.

Pure functions from the plain values of `documents.data` to PDF bytes (or ZPL text): no
database, no settings beyond Django's translations. A wave's documents are rendered into one
PDF each, on one FPDF document, so the fonts are parsed and embedded once per batch. Fixed
headings are translated into each document's language; a right-to-left language (Hebrew)
mirrors the pick list and the packing slip.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import get_language_bidi, override
from django.utils.translation import gettext as _

from emporos.fulfillment.documents import label, packing_slip, pick_list
from emporos.fulfillment.documents.canvas import Sheet
from emporos.fulfillment.documents.data import PackingSlip, PickList, ShippingLabel
from emporos.fulfillment.documents.zpl import zpl_label

__all__ = ["label_pdf", "label_zpl", "labels_pdf", "packing_slip_pdf", "packing_slips_pdf", "pick_list_pdf"]


def pick_list_pdf(pick: PickList) -> bytes:
    """The wave's pick list in the staff member's language, numbered "page 1/3"."""
    with override(pick.language):
        sheet = Sheet(
            width=pick_list.WIDTH,
            height=pick_list.HEIGHT,
            rtl=get_language_bidi(),
            title=f"{_('Pick list')} {pick.wave}",
            language=pick.language,
        )
        pick_list.draw_pick_list(sheet, pick)
    return sheet.output()


def packing_slips_pdf(slips: Sequence[PackingSlip]) -> bytes:
    """All slips of a wave in one PDF, each on its own page(s), each in its customer's language."""
    if not slips:
        raise ValueError("a PDF needs at least one packing slip")
    sheet = Sheet(width=packing_slip.WIDTH, height=packing_slip.HEIGHT, language=slips[0].language)
    for slip in slips:
        with override(slip.language):
            sheet.rtl = get_language_bidi()
            packing_slip.draw_packing_slip(sheet, slip)
    return sheet.output()


def packing_slip_pdf(slip: PackingSlip) -> bytes:
    return packing_slips_pdf([slip])


def labels_pdf(labels: Sequence[ShippingLabel]) -> bytes:
    """One 4x6 inch page per label, for a whole wave."""
    if not labels:
        raise ValueError("a PDF needs at least one label")
    with override(labels[0].language):
        sheet = label.new_sheet(labels[0].language)
    for each in labels:
        with override(each.language):
            label.draw_label(sheet, each)
    return sheet.output()


def label_pdf(shipping_label: ShippingLabel) -> bytes:
    return labels_pdf([shipping_label])


def label_zpl(shipping_label: ShippingLabel) -> str:
    """The label as ZPL II for a 203 dpi thermal printer, `^XA` to `^XZ`."""
    with override(shipping_label.language):
        return zpl_label(shipping_label)
