"""Words for staff roles, in the reader's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, dict[str, Promise]] = {
    "role": {
        "owner": _("Owner"),
        "warehouse": _("Warehouse"),
        "support": _("Support"),
    },
}
