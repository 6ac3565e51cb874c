"""Two owners take each other's owner role at the same moment, on PostgreSQL with real threads:
one succeeds, the other is refused, and the shop keeps an active owner."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from emporos.access.models import StaffProfile
from emporos.access.services import change_staff_role, create_staff, deactivate_staff
from emporos.core.actor import Actor
from emporos.core.errors import Conflict
from tests.concurrency.test_intake_races import run_at_once
from tests.conftest import STAFF_PASSWORD

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("change", ["demote", "deactivate"])
def test_two_owners_removing_each_other_leave_one_owner(change: str) -> None:
    anna = create_staff(username="anna", email="anna@example.gr", password=STAFF_PASSWORD, role="owner")
    maria = create_staff(username="maria", email="maria@example.gr", password=STAFF_PASSWORD, role="owner")
    pairs = [(anna, maria), (maria, anna)]

    def remove(index: int) -> Any:
        actor, target = pairs[index]
        who = Actor.staff(actor.username, user_id=actor.pk)
        try:
            if change == "demote":
                change_staff_role(user_id=target.pk, role="support", actor=who)
            else:
                deactivate_staff(user_id=target.pk, actor=who)
        except Conflict as refused:
            return refused.code
        return "done"

    results = run_at_once(2, remove)

    assert Counter(results) == {"done": 1, "last_owner": 1}, results
    owners = StaffProfile.objects.filter(role="owner", user__is_active=True)
    assert owners.count() == 1
