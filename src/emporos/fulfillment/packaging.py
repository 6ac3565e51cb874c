"""The boxes and envelopes the shop packs in: add one, change one, take one out of use.

Packaging is reference data that parcels point to, so it is never deleted: a packaging no
longer used is deactivated, and the parcels packed in it keep their record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from emporos.core.errors import ErrorCollector, ValidationFailed
from emporos.core.text import check_code, check_text
from emporos.fulfillment.errors import NoSuchPackaging
from emporos.fulfillment.models import Packaging, PackagingKind

# Sizes a parcel can have (millimetres) and weights a packer can carry (grams).
MAX_SIDE_MM = 3_000
MAX_WEIGHT_GRAMS = 100_000


@dataclass(frozen=True)
class PackagingDraft:
    code: str
    name: str
    kind: str
    length_mm: int
    width_mm: int
    height_mm: int
    weight_grams: int
    max_weight_grams: int | None = None
    position: int = 10


def add_packaging(*, draft: PackagingDraft) -> Packaging:
    """A new active packaging; its code must be new."""
    _check(draft)
    try:
        with transaction.atomic():
            return Packaging.objects.create(**_values(draft), code=draft.code, is_active=True)
    except IntegrityError:
        raise _code_taken(draft.code) from None


def change_packaging(*, code: str, draft: PackagingDraft) -> Packaging:
    """Change the packaging known as `code` (its code too, while no other packaging has the new one)."""
    _check(draft)
    try:
        with transaction.atomic():
            packaging = Packaging.objects.select_for_update().filter(code=code).first()
            if packaging is None:
                raise NoSuchPackaging(f"There is no packaging {code}.")
            for name, value in {**_values(draft), "code": draft.code}.items():
                setattr(packaging, name, value)
            packaging.save()
            return packaging
    except IntegrityError:
        raise _code_taken(draft.code) from None


def set_packaging_active(*, code: str, is_active: bool) -> Packaging:
    """Take a packaging out of use (packers no longer see it), or back into use."""
    with transaction.atomic():
        packaging = Packaging.objects.select_for_update().filter(code=code).first()
        if packaging is None:
            raise NoSuchPackaging(f"There is no packaging {code}.")
        if packaging.is_active != is_active:
            packaging.is_active = is_active
            packaging.save(update_fields=["is_active"])
        return packaging


def _values(draft: PackagingDraft) -> dict[str, object]:
    return {
        "name": draft.name.strip(),
        "kind": draft.kind,
        "length_mm": draft.length_mm,
        "width_mm": draft.width_mm,
        "height_mm": draft.height_mm,
        "weight_grams": draft.weight_grams,
        "max_weight_grams": draft.max_weight_grams,
        "position": draft.position,
    }


def _code_taken(code: str) -> ValidationFailed:
    errors = ErrorCollector()
    errors.add("code", "code_taken", f"Another packaging already has the code {code}; choose another code.")
    return ValidationFailed(errors.errors)


def _check(draft: PackagingDraft) -> None:
    errors = ErrorCollector()
    check_code(errors, "code", draft.code, max_length=50)
    check_text(errors, "name", draft.name, max_length=100, required=True)
    if draft.kind not in PackagingKind.values:
        errors.add("kind", "invalid", f"Use one of {', '.join(PackagingKind.values)}.")
    for side in ("length_mm", "width_mm", "height_mm"):
        if not 1 <= getattr(draft, side) <= MAX_SIDE_MM:
            errors.add(side, "out_of_range", f"Give the size in millimetres, from 1 to {MAX_SIDE_MM}.")
    if not 0 <= draft.weight_grams <= MAX_WEIGHT_GRAMS:
        errors.add(
            "weight_grams", "out_of_range", f"Give the empty packaging's weight in grams, 0 to {MAX_WEIGHT_GRAMS}."
        )
    if draft.max_weight_grams is not None:
        if not 1 <= draft.max_weight_grams <= MAX_WEIGHT_GRAMS:
            errors.add(
                "max_weight_grams", "out_of_range", f"Give the most it may weigh in grams, 1 to {MAX_WEIGHT_GRAMS}."
            )
        elif draft.max_weight_grams <= draft.weight_grams:
            errors.add(
                "max_weight_grams",
                "not_above_weight",
                "The most a packed parcel may weigh must be more than the empty packaging weighs.",
            )
    if not 0 <= draft.position <= 1000:
        errors.add("position", "out_of_range", "Give a position from 0 to 1000; lower comes first.")
    errors.raise_if_any()
