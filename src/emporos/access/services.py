"""API keys (created, checked, revoked; the plain key is shown once and never stored) and staff
accounts (created, invited, given a role, deactivated, sent a password link).

Every change to a staff account is recorded on that account's timeline with its event. An owner
can take neither their own owner role nor their own access away, and the shop always keeps one
active owner."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from emporos.access import key_cache
from emporos.access.events import (
    StaffDeactivated,
    StaffInvited,
    StaffPasswordLinkSent,
    StaffReactivated,
    StaffRoleSet,
)
from emporos.access.key_cache import ActiveKey
from emporos.access.models import ApiKey, LinkPurpose, Scope, StaffProfile, StaffRole
from emporos.access.password_reset import request_link_for
from emporos.core import clock
from emporos.core.actor import Actor, ActorKind
from emporos.core.errors import Conflict, ErrorCollector, NotFound
from emporos.core.text import check_text
from emporos.timeline.models import SubjectKind
from emporos.timeline.services import About, record

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


def active_key(plain_key: str) -> ActiveKey | None:
    """The active key matching `plain_key`, or None, as `authenticate_key` but remembered for a few
    seconds (key_cache.TTL_SECONDS): a key revoked in another process is refused at most that late."""
    if not plain_key.startswith(KEY_PREFIX) or len(plain_key) > 200:
        return None
    key_hash = hash_key(plain_key)
    remembered = key_cache.remembered(key_hash)
    if remembered is not None:
        return remembered
    api_key = ApiKey.objects.filter(key_hash=key_hash, revoked_at__isnull=True).first()
    return None if api_key is None else key_cache.remember(api_key)


def revoke_api_key(*, prefix: str) -> ApiKey:
    """Revoke the key with `prefix`; this process refuses it at once, every other within seconds."""
    with transaction.atomic():
        api_key = ApiKey.objects.select_for_update().filter(prefix=prefix).first()
        if api_key is None:
            raise NotFound(f"There is no API key with prefix {prefix}.")
        if api_key.revoked_at is None:
            api_key.revoked_at = clock.now()
            api_key.save(update_fields=["revoked_at"])
        # Now, and again after COMMIT, so that no request in between remembers the key as active.
        key_cache.forget(api_key.key_hash)
        transaction.on_commit(lambda: key_cache.forget(api_key.key_hash))
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


def set_staff_role(*, user: User, role: str, actor: Actor | None = None) -> StaffProfile:
    """Give an account a role, recorded on its timeline. Only owners reach /admin/, so its admin
    flags follow the role. No owner check: the desk calls `change_staff_role`, which has them."""
    if role not in StaffRole.values:
        errors = ErrorCollector()
        errors.add("role", "invalid", f"Use one of {', '.join(StaffRole.values)}.")
        errors.raise_if_any()
    with transaction.atomic():
        previous = StaffProfile.objects.filter(user=user).values_list("role", flat=True).first() or ""
        profile, _created = StaffProfile.objects.update_or_create(user=user, defaults={"role": role})
        is_owner = role == StaffRole.OWNER
        User.objects.filter(pk=user.pk).update(is_staff=is_owner, is_superuser=is_owner)
        user.is_staff = user.is_superuser = is_owner
        if previous != role:
            _record_about(user, StaffRoleSet(user_id=user.pk, role=role, previous_role=previous), actor)
    return profile


def role_of(user: User | AnonymousUser) -> str | None:
    """The staff role of a signed-in user; a superuser without a profile counts as owner."""
    if not user.is_authenticated or not user.is_active:
        return None
    profile = getattr(user, "staff_profile", None)
    if profile is not None:
        return str(profile.role)
    return StaffRole.OWNER if user.is_superuser else None


# --- Staff accounts, managed by owners in the desk ---

STAFF_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
_usernames = UnicodeUsernameValidator()


StaffEvent = StaffRoleSet | StaffInvited | StaffDeactivated | StaffReactivated | StaffPasswordLinkSent


def _record_about(user: User, event: StaffEvent, actor: Actor | None) -> None:
    record(event=event, about=[About(SubjectKind.STAFF, user.pk)], actor=actor or Actor.system("access"))


def invite_staff(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    language: str,
    origin: str,
    actor: Actor,
) -> User:
    """A new active staff account without a password, and a link mailed (by the worker, in
    `language`) to choose one. `origin` ("https://shop.example") is where the link points."""
    username, email = username.strip(), email.strip()
    first_name, last_name = first_name.strip(), last_name.strip()
    errors = ErrorCollector()
    _check_username(errors, username)
    _check_email(errors, email)
    check_text(errors, "first_name", first_name, max_length=150)
    check_text(errors, "last_name", last_name, max_length=150)
    if role not in StaffRole.values:
        errors.add("role", "invalid", _("Pick a role from the list."))
    if language not in STAFF_LANGUAGES:
        errors.add("language", "invalid", _("Pick a language from the list."))
    errors.raise_if_any()
    with transaction.atomic():
        user = User(username=username, email=email, first_name=first_name, last_name=last_name, is_active=True)
        user.set_unusable_password()
        user.save()
        StaffProfile.objects.create(user=user, role=role, language=language)
        is_owner = role == StaffRole.OWNER
        if is_owner:
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
        _record_about(user, StaffInvited(user_id=user.pk, role=role, language=language), actor)
        request_link_for(user=user, purpose=LinkPurpose.INVITE, origin=origin, language=language)
    return user


def _check_username(errors: ErrorCollector, username: str) -> None:
    if not username or len(username) > 150:
        errors.add("username", "required", _("Give a sign-in name of 1 to 150 characters, e.g. “eleni”."))
        return
    try:
        _usernames(username)
    except DjangoValidationError:
        errors.add(
            "username",
            "invalid",
            _("Use letters, digits and @ . + - _ only in a sign-in name, without spaces, e.g. “eleni.k”."),
        )
        return
    if User.objects.filter(username__iexact=username).exists():
        errors.add(
            "username",
            "taken",
            _("A staff account named %(name)s exists already; pick another name.") % {"name": username},
        )


def _check_email(errors: ErrorCollector, email: str) -> None:
    try:
        validate_email(email)
    except DjangoValidationError:
        errors.add("email", "invalid", _("Give an e-mail address such as eleni@example.com."))
        return
    if len(email) > 254:
        errors.add("email", "too_long", _("An e-mail address has at most 254 characters."))
    elif User.objects.filter(email__iexact=email).exists():
        errors.add(
            "email",
            "taken",
            _("Another staff account has the address %(email)s; each person needs their own.") % {"email": email},
        )


def _locked_account(user_id: int) -> User:
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("There is no such staff account."))
    return user


def _active_owner_ids() -> set[int]:
    """Active owners, read after locking every owner's profile: of two owners taking each other's
    access at once, the second waits for the first and then sees what it changed."""
    # The lock in a statement of its own (only the profile rows), the count in the next: a fresh
    # snapshot, taken once the lock is held, so a change committed meanwhile is seen.
    owner_profiles = StaffProfile.objects.filter(role=StaffRole.OWNER)
    list(owner_profiles.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
    with_profile = set(owner_profiles.filter(user__is_active=True).values_list("user_id", flat=True))
    # A superuser without a profile counts as an owner (access.services.role_of).
    bare = User.objects.filter(is_active=True, is_superuser=True, staff_profile__isnull=True)
    return with_profile | set(bare.values_list("pk", flat=True))


def _must_keep_an_owner(user: User, *, actor: Actor, code: str) -> None:
    """Refuse to take owner access from `user` when it is the actor's own or the last one."""
    if actor.kind == ActorKind.STAFF and actor.id == str(user.pk):
        message = (
            _("You cannot deactivate your own account. Ask another owner to do it.")
            if code == "self_deactivation"
            else _("You cannot take away your own owner role. Ask another owner to do it.")
        )
        raise Conflict(message, code=code)
    owners = _active_owner_ids()
    if user.pk in owners and len(owners) == 1:
        raise Conflict(
            _("%(name)s is the shop's only active owner. Make someone else an owner first.")
            % {"name": user.get_username()},
            code="last_owner",
        )


def change_staff_role(*, user_id: int, role: str, actor: Actor) -> StaffProfile:
    """Give a staff account another role; an owner stays an owner while they are the actor or the
    last active owner."""
    if role not in StaffRole.values:
        errors = ErrorCollector()
        errors.add("role", "invalid", _("Pick a role from the list."))
        errors.raise_if_any()
    with transaction.atomic():
        user = _locked_account(user_id)
        if role != StaffRole.OWNER and role_of_account(user) == StaffRole.OWNER:
            _must_keep_an_owner(user, actor=actor, code="self_demotion")
        return set_staff_role(user=user, role=role, actor=actor)


def deactivate_staff(*, user_id: int, actor: Actor) -> User:
    """The account can no longer sign in (its open sessions end at their next page); its history
    stays. Neither one's own account nor the last active owner."""
    with transaction.atomic():
        user = _locked_account(user_id)
        if not user.is_active:
            return user
        _must_keep_an_owner(user, actor=actor, code="self_deactivation")
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        _record_about(user, StaffDeactivated(user_id=user.pk), actor)
    return user


def reactivate_staff(*, user_id: int, actor: Actor) -> User:
    with transaction.atomic():
        user = _locked_account(user_id)
        if user.is_active:
            return user
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
        _record_about(user, StaffReactivated(user_id=user.pk), actor)
    return user


def send_staff_password_link(*, user_id: int, origin: str, actor: Actor, language: str | None = None) -> LinkPurpose:
    """Mail the account a link to choose a password (an invitation again while it has none), in
    `language` or else the account's own. Returns which kind of link it is."""
    with transaction.atomic():
        user = _locked_account(user_id)
        if not user.is_active:
            raise Conflict(_("Reactivate the account first: a deactivated account cannot sign in."), code="inactive")
        if not user.email:
            raise Conflict(_("The account has no e-mail address to send the link to."), code="no_email")
        profile = StaffProfile.objects.filter(user=user).first()
        chosen = language or (profile.language if profile else "") or settings.LANGUAGE_CODE
        purpose = LinkPurpose.RESET if user.has_usable_password() else LinkPurpose.INVITE
        request_link_for(user=user, purpose=purpose, origin=origin, language=chosen)
        _record_about(user, StaffPasswordLinkSent(user_id=user.pk, purpose=purpose), actor)
    return purpose


def role_of_account(user: User) -> str | None:
    """The role an account has, active or not (`role_of` says what a signed-in user may do)."""
    profile = StaffProfile.objects.filter(user=user).values_list("role", flat=True).first()
    if profile is not None:
        return str(profile)
    return StaffRole.OWNER if user.is_superuser else None
