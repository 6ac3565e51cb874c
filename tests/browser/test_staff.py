"""An owner manages the staff from the desk in a real Chromium: invites a packer by e-mail, gives
her another role, deactivates her; each step on her timeline; the pages read right to left in
Hebrew. Screenshots go to test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from emporos.access.services import create_staff
from tests.browser.conftest import screenshot
from tests.conftest import STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_invites_changes_and_deactivates_a_staff_member(live_server: Any, browser: Any) -> None:
    create_staff(username="maria", email="maria@example.gr", password=STAFF_PASSWORD, role="owner")
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page.goto(f"{base}/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")

    page.get_by_role("link", name="Settings").click()
    page.locator("nav.tabs").get_by_role("link", name="Staff").click()
    page.wait_for_url(f"{base}/settings/staff/")
    page.get_by_label("First name").fill("Ελένη")
    page.get_by_label("Sign-in name").fill("eleni")
    page.get_by_label("E-mail", exact=True).fill("eleni@example.gr")
    page.get_by_label("Role", exact=True).select_option("warehouse")
    page.get_by_label("Language of their e-mails").select_option("el")
    assert "Greek · Ελληνικά" in page.get_by_label("Language of their e-mails").inner_text()
    page.get_by_role("button", name="Send the invitation").click()

    eleni = User.objects.get(username="eleni")
    page.wait_for_url(f"{base}/settings/staff/{eleni.pk}/")
    assert "Invited: no password chosen yet" in page.locator("#member-active").inner_text()
    page.locator("#role").get_by_label("Role").select_option("support")
    page.get_by_role("button", name="Change the role").click()
    page.wait_for_url(f"{base}/settings/staff/{eleni.pk}/")
    page.get_by_role("button", name="Deactivate").click()
    page.wait_for_url(f"{base}/settings/staff/{eleni.pk}/")

    entries = page.locator("#staff-timeline li .text").all_inner_texts()
    assert entries == [
        "Deactivated: can no longer sign in.",
        "Role changed from Warehouse to Support.",
        "Invited as Warehouse; the e-mail to choose a password is in Greek.",
    ]
    assert page.get_by_role("button", name="Reactivate").is_visible()
    screenshot(page, "staff-member-en")

    page.goto(f"{base}/settings/staff/")
    page.locator("form.langform select").select_option("he")
    page.locator("form.langform button").click()
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    row = page.locator('tr[data-staff="eleni"]')
    assert row.is_visible()
    assert page.locator("#staff-table").evaluate("table => getComputedStyle(table).direction") == "rtl"
    screenshot(page, "staff-list-he")
