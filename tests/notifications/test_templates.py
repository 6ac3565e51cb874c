"""Templates: every kind in every language renders; the owner's edits are checked and used;
consent, the budget and quiet hours come from one place each."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from emporos.core.actor import Actor
from emporos.core.errors import ValidationFailed
from emporos.customers.models import Customer
from emporos.notifications import consent, policy, rendering, services
from emporos.notifications.models import Channel, Consent, Kind, TemplateOverride
from emporos.notifications.sms import Sms, sender
from emporos.outbox.models import Event
from emporos.shop import selectors as shop
from emporos.shop.models import FormOfAddress, ShopSettings, Tone
from tests.notifications.conftest import SmsFile

OWNER = Actor.staff("owner")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", rendering.LANGUAGES)
@pytest.mark.parametrize("kind", rendering.KINDS)
def test_every_kind_previews_in_every_language(kind: str, language: str) -> None:
    values = rendering.sample_values(kind, language=language)

    email = rendering.render(kind, language=language, channel=Channel.EMAIL, values=values)
    text_message = rendering.render(kind, language=language, channel=Channel.SMS, values=values)

    assert "EM-10001" in email.subject
    assert "{" not in email.text + email.subject + text_message.text
    assert values["status_link"] in email.text
    assert values["status_link"] in email.html
    assert values["status_link"] in text_message.text
    assert f'lang="{language}"' in email.html
    assert ('dir="rtl"' in email.html) is (language == "he")


def test_the_shops_tone_changes_the_greeting() -> None:
    values = rendering.sample_values(Kind.SHIPPED, language="en")
    friendly = rendering.render(Kind.SHIPPED, language="en", channel=Channel.EMAIL, values=values)
    defaults = shop.defaults()
    defaults.tone, defaults.form_of_address = Tone.FORMAL, FormOfAddress.POLITE
    defaults.save()
    shop.forget()

    formal = rendering.render(Kind.SHIPPED, language="en", channel=Channel.EMAIL, values=values)

    assert friendly.text.startswith("Hello Maria Smith,")
    assert formal.text.startswith("Dear Maria Smith,")
    assert "Kind regards," in formal.text
    assert ShopSettings.objects.count() == 1


def test_an_unknown_placeholder_is_refused_naming_it() -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.save_template(
            kind=Kind.SHIPPED,
            language="el",
            channel=Channel.EMAIL,
            subject="{order_number} έφυγε",
            body="Ο κωδικός: {tracking_code}\n{customer}",
            actor=OWNER,
        )

    (error,) = refused.value.errors
    assert (error.field, error.code) == ("body", "unknown_placeholder")
    assert "{tracking_code}, {customer}" in error.message
    assert not TemplateOverride.objects.exists()
    assert not Event.objects.exists()


def test_an_edited_template_is_used_and_the_status_link_is_kept() -> None:
    services.save_template(
        kind=Kind.SHIPPED,
        language="el",
        channel=Channel.EMAIL,
        subject="Η παραγγελία {order_number} έφυγε!",
        body="Γεια σου {customer_name}!\nΑριθμός αποστολής: {tracking_number}",
        actor=OWNER,
    )
    values = rendering.sample_values(Kind.SHIPPED, language="el")

    email = rendering.render(Kind.SHIPPED, language="el", channel=Channel.EMAIL, values=values)

    assert email.subject == "Η παραγγελία EM-10001 έφυγε!"
    assert email.text.startswith("Γεια σου Μαρία Παπαδοπούλου!\nΑριθμός αποστολής: 9212345678")
    assert values["status_link"] in email.text
    assert [event.topic for event in Event.objects.all()] == ["notifications.template_changed"]

    services.reset_template(kind=Kind.SHIPPED, language="el", channel=Channel.EMAIL, actor=OWNER)
    assert not TemplateOverride.objects.exists()


def test_the_owners_budget_and_quiet_hours_replace_the_defaults(settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "MESSAGES_PER_ORDER_DAY": 5, "QUIET_HOURS": "21:00-08:00"}
    assert (policy.current().messages_per_order_day, policy.current().quiet_hours_text) == (5, "21:00-08:00")

    services.save_policy(messages_per_order_day=3, quiet_hours="", actor=OWNER)

    assert (policy.current().messages_per_order_day, policy.current().quiet_hours) == (3, None)
    with pytest.raises(ValidationFailed) as refused:
        services.save_policy(messages_per_order_day=0, quiet_hours="late", actor=OWNER)
    assert sorted(error.field for error in refused.value.errors) == ["messages_per_order_day", "quiet_hours"]


@pytest.mark.parametrize(
    ("hours", "moment", "quiet"),
    [
        ("21:00-08:00", dt.time(22, 0), True),
        ("21:00-08:00", dt.time(7, 59), True),
        ("21:00-08:00", dt.time(8, 0), False),
        ("13:00-14:00", dt.time(13, 30), True),
        ("13:00-14:00", dt.time(20, 0), False),
    ],
)
def test_quiet_hours_across_midnight(hours: str, moment: dt.time, quiet: bool) -> None:
    parsed = policy.parse_quiet_hours(hours)
    assert parsed is not None
    assert parsed.contains(moment) is quiet


def test_consent_in_one_place(django_user_model: Any) -> None:
    customer = Customer.objects.create(
        email="anna@example.pl",
        name="Anna",
        phone="+48500100200",
        created_at=dt.datetime.now(dt.UTC),
        updated_at=dt.datetime.now(dt.UTC),
    )

    assert consent.may_send(customer, Channel.SMS, "transactional", country="PL")
    assert not consent.may_send(customer, Channel.SMS, "marketing", country="PL")
    Consent.objects.create(customer=customer, channel=Channel.SMS, country="PL", granted_at=dt.datetime.now(dt.UTC))
    assert consent.may_send(customer, Channel.SMS, "marketing", country="PL")
    assert not consent.may_send(customer, Channel.EMAIL, "marketing", country="PL")
    assert not consent.may_send(customer, Channel.SMS, "marketing", country="IL")
    assert policy.time_zone_of(customer).key == "Europe/Warsaw"


def test_the_sms_file_backend_writes_one_json_line_per_message(sms_file: SmsFile) -> None:
    backend = sender()
    for number in ("EM-10001", "EM-10002"):
        backend.send(Sms(to="+306912345678", text="Γεια!", order=number, event="e-1", message="m-1"))

    assert sms_file.lines() == [
        {"to": "+306912345678", "text": "Γεια!", "order": "EM-10001", "event": "e-1", "message": "m-1"},
        {"to": "+306912345678", "text": "Γεια!", "order": "EM-10002", "event": "e-1", "message": "m-1"},
    ]
    assert json.loads(sms_file.path.read_text(encoding="utf-8").splitlines()[0])["text"] == "Γεια!"


def test_an_anymail_provider_sends_instead_of_smtp_and_its_id_is_kept(
    settings: Any, api: Any, catalog: None, daytime: None
) -> None:
    from django.core import mail

    from emporos.notifications.models import Message
    from tests.conftest import place
    from tests.fulfillment.conftest import drain

    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"  # what EMPOROS_EMAIL_PROVIDER=test selects
    number = place(api)
    drain()
    message = Message.objects.get(kind="order_received", channel="email")
    assert message.status == "sent"
    assert [sent.subject for sent in mail.outbox] == [message.subject]
    assert mail.outbox[0].anymail_status.status == {"sent"}  # type: ignore[attr-defined]
    assert message.provider_id == "0"  # the provider's own id of the message (the test provider counts)
    assert number in message.subject
