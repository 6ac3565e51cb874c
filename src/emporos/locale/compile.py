"""Compile the .po catalogs next to this file into .mo files, in pure Python (no GNU gettext needed).

Run: python -m emporos.locale.compile
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent


def compile_all() -> list[Path]:
    written = []
    for po_path in sorted(HERE.glob("*/LC_MESSAGES/django.po")):
        catalog = polib.pofile(str(po_path))
        mo_path = po_path.with_suffix(".mo")
        catalog.save_as_mofile(str(mo_path))
        written.append(mo_path)
        print(f"{po_path.relative_to(HERE)}: {catalog.percent_translated()}% translated")
    return written


if __name__ == "__main__":
    sys.exit(0 if compile_all() else 1)
