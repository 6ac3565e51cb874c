"""Reads of staff accounts for the owner's pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q

from emporos.access.models import StaffProfile, StaffRole
from emporos.shop import selectors as shop
from emporos.timeline.models import SubjectKind
from emporos.timeline.selectors import ShownEntry, timeline_of


@dataclass(frozen=True)
class StaffMember:
    user: User
    role: str  # "" for an account without a role (it cannot use the desk)
    language: str  # the language of e-mails to them

    @property
    def name(self) -> str:
        return self.user.get_full_name()

    @property
    def is_invited(self) -> bool:
        """Invited and no password chosen yet."""
        return not self.user.has_usable_password()


def _member(user: User) -> StaffMember:
    profile: StaffProfile | None = getattr(user, "staff_profile", None)
    if profile is not None:
        return StaffMember(user=user, role=str(profile.role), language=profile.language or settings.LANGUAGE_CODE)
    role = StaffRole.OWNER.value if user.is_superuser else ""
    return StaffMember(user=user, role=role, language=settings.LANGUAGE_CODE)


def staff_members() -> list[StaffMember]:
    """Every account with a role (and every superuser), active first, then by sign-in name. One query."""
    users = (
        User.objects.filter(Q(staff_profile__isnull=False) | Q(is_superuser=True))
        .select_related("staff_profile")
        .order_by("-is_active", "username")
    )
    return [_member(user) for user in users]


def staff_member(user_id: int) -> StaffMember | None:
    user = User.objects.select_related("staff_profile").filter(pk=user_id).first()
    return _member(user) if user is not None else None


def staff_timeline(member: StaffMember, *, language: str, limit: int = 200) -> list[ShownEntry]:
    """What happened to the account, newest first, in `language` and the shop's time zone."""
    return timeline_of(
        SubjectKind.STAFF, member.user.pk, language=language, time_zone=shop.current().time_zone, limit=limit
    )
