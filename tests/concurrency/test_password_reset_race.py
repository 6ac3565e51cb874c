"""Real workers racing on PostgreSQL still mail at most three reset links an hour to one address."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.test import Client

from emporos.access.models import PasswordResetRequest
from emporos.outbox.relay import deliver_due
from tests.concurrency.test_intake_races import run_at_once
from tests.desk.test_password_reset import Mailbox, mailbox  # noqa: F401 - the fixture

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_three_workers_on_six_requests_for_one_address_mail_three_links(make_staff: Any, mailbox: Mailbox) -> None:  # noqa: F811
    make_staff("support", username="eleni")
    for _ in range(6):
        Client().post("/password-reset/", {"email": "eleni@example.com"})

    ran = run_at_once(3, lambda index: deliver_due(worker_id=f"worker-{index}"))

    assert sum(ran) == 6, ran
    assert len(mailbox.messages) == 3
    assert Counter(PasswordResetRequest.objects.values_list("status", flat=True)) == {"sent": 3, "throttled": 3}
