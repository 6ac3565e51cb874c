"""Creating, checking and revoking API keys. The plain key is shown once and never stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from emporos.access.events import StaffRoleSet
from emporos.access.models import ApiKey, Scope, StaffProfile, StaffRole
from emporos.core import clock
from emporos.core.errors import ErrorCollector, NotFound
from emporos.outbox.services import emit

KEY_PREFIX = "emp_"


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    plain_key: str


def hash_key(plain_key: str) -> str:
    return hashlib.sha256(plain_key.encode()).hexdigest()


def create_api_key(*, name: str, scopes: list[str] | None = None) -> IssuedKey:
    """Create a key with `scopes` (every scope when None). The plain key exists only in the result."""
    errors = ErrorCollector()
    if not name.strip() or len(name) > 100:
        errors.add("name", "invalid", "Give the key a name of 1 to 100 characters, e.g. 'storefront'.")
    chosen = list(Scope.values) if scopes is None else scopes
    unknown = sorted(set(chosen) - set(Scope.values))
    if unknown:
        errors.add("scopes", "unknown_scope", f"Unknown scope(s) {', '.join(unknown)}; use {', '.join(Scope.values)}.")
    if not chosen:
        errors.add("scopes", "required", "Give at least one scope.")
    errors.raise_if_any()
    prefix = secrets.token_hex(4)
    plain_key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        api_key = ApiKey.objects.create(
            name=name.strip(),
            prefix=prefix,
            key_hash=hash_key(plain_key),
            scopes=sorted(set(chosen)),
            created_at=clock.now(),
        )
    return IssuedKey(api_key=api_key, plain_key=plain_key)


def authenticate_key(plain_key: str) -> ApiKey | None:
    """The active key matching `plain_key`, or None. One indexed lookup by hash."""
    if not plain_key.startswith(KEY_PREFIX) or len(plain_key) > 200:
        return None
    return ApiKey.objects.filter(key_hash=hash_key(plain_key), revoked_at__isnull=True).first()


def revoke_api_key(*, prefix: str) -> ApiKey:
    with transaction.atomic():
        api_key = ApiKey.objects.select_for_update().filter(prefix=prefix).first()
        if api_key is None:
            raise NotFound(f"There is no API key with prefix {prefix}.")
        if api_key.revoked_at is None:
            api_key.revoked_at = clock.now()
            api_key.save(update_fields=["revoked_at"])
    return api_key


def create_staff(*, username: str, email: str, password: str, role: str) -> User:
    """A staff account with a role; the password is checked by Django's validators."""
    errors = ErrorCollector()
    username = username.strip()
    if not username or len(username) > 150:
        errors.add("username", "required", "Give a sign-in name of 1 to 150 characters.")
    elif User.objects.filter(username__iexact=username).exists():
        errors.add("username", "taken", f"A staff account named {username} exists already; pick another name.")
    if role not in StaffRole.values:
        errors.add("role", "invalid", f"Use one of {', '.join(StaffRole.values)}.")
    try:
        validate_password(password, User(username=username, email=email))
    except DjangoValidationError as exc:
        errors.add("password", "weak", " ".join(exc.messages))
    errors.raise_if_any()
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email.strip(), password=password)
        set_staff_role(user=user, role=role)
    return user


def set_staff_role(*, user: User, role: str) -> StaffProfile:
    """Give an account a role. Only owners reach /admin/, so its admin flags follow the role."""
    if role not in StaffRole.values:
        errors = ErrorCollector()
        errors.add("role", "invalid", f"Use one of {', '.join(StaffRole.values)}.")
        errors.raise_if_any()
    with transaction.atomic():
        profile, _ = StaffProfile.objects.update_or_create(user=user, defaults={"role": role})
        is_owner = role == StaffRole.OWNER
        User.objects.filter(pk=user.pk).update(is_staff=is_owner, is_superuser=is_owner)
        user.is_staff = user.is_superuser = is_owner
        emit(StaffRoleSet(user_id=user.pk, role=role))
    return profile


def role_of(user: User | AnonymousUser) -> str | None:
    """The staff role of a signed-in user; a superuser without a profile counts as owner."""
    if not user.is_authenticated or not user.is_active:
        return None
    profile = getattr(user, "staff_profile", None)
    if profile is not None:
        return str(profile.role)
    return StaffRole.OWNER if user.is_superuser else None
