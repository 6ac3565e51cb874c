"""Photos of damage or a defect sent with a return: checked to be a real JPEG, PNG or WebP image
(decoded, not trusted by its name or the browser's word) and not too large, then stored.

Checking happens before the return is requested (`check_photos`), so a bad photo refuses the
whole form and nothing is written; storing happens after (`add_photos`), in the same request.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from emporos.core import clock
from emporos.core.errors import FieldError, ValidationFailed
from emporos.returns.models import Return, ReturnPhoto

MAX_PHOTOS = 5
MAX_BYTES = 5 * 1024 * 1024
# Larger than any phone's camera; a bigger "image" is a decompression bomb, not a photo.
MAX_PIXELS = 50_000_000
_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


@dataclass(frozen=True)
class Photo:
    """A checked photo: its bytes and what decoding it found."""

    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def check_photos(files: Sequence[tuple[str, bytes]], *, field: str = "photos") -> list[Photo]:
    """Each (name, bytes) decoded as an image, or ValidationFailed naming every bad one
    (`photos[1]`: too large, not an image) and the limit on how many."""
    errors: list[FieldError] = []
    if len(files) > MAX_PHOTOS:
        errors.append(FieldError(field, "too_many_photos", f"Send at most {MAX_PHOTOS} photos."))
    checked: list[Photo] = []
    for index, (name, data) in enumerate(files):
        where = f"{field}[{index}]"
        if len(data) > MAX_BYTES:
            errors.append(
                FieldError(where, "photo_too_large", f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
            )
            continue
        photo = _decode(data)
        if photo is None:
            errors.append(FieldError(where, "not_an_image", f"{name} is not a JPEG, PNG or WebP image."))
            continue
        checked.append(photo)
    if errors:
        raise ValidationFailed(errors)
    return checked


def _decode(data: bytes) -> Photo | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = _TYPES.get(image.format or "")
            if kind is None or image.width * image.height > MAX_PIXELS:
                return None
            image.verify()  # reads the whole file: a truncated or forged one fails here
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return Photo(data=data, content_type=kind[0], extension=kind[1], width=width, height=height)


def add_photos(*, ret: Return, photos: Sequence[Photo], taken_by: str = "customer") -> list[ReturnPhoto]:
    """Store checked photos as the return's (not tied to a line: the customer shows the damage)."""
    now = clock.now()
    stored = []
    with transaction.atomic():
        for index, photo in enumerate(photos, start=1):
            row = ReturnPhoto(
                ret=ret,
                content_type=photo.content_type,
                size_bytes=len(photo.data),
                width=photo.width,
                height=photo.height,
                taken_by=taken_by,
                created_at=now,
            )
            row.image.save(f"{ret.public_id}-{index}.{photo.extension}", ContentFile(photo.data), save=False)
            row.save()
            stored.append(row)
    return stored
