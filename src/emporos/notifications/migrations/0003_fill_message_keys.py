"""Existing requests get their own uuid, their event's uuid (from the old dedupe key
"<event uuid>:<channel>") and their recipient (the customer's address or phone). Requests
still pending were never rendered nor sent, and are too old to send now: they become skipped."""

import uuid

from django.db import migrations


def fill(apps, schema_editor):
    Message = apps.get_model('notifications', 'Message')
    for message in Message.objects.select_related('customer').iterator():
        head = message.dedupe_key.split(':', 1)[0]
        try:
            event_uuid = uuid.UUID(head)
        except ValueError:
            event_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f'emporos:{message.dedupe_key}')
        message.uuid = uuid.uuid4()
        message.event_uuid = event_uuid
        message.recipient = message.customer.phone if message.channel == 'sms' else message.customer.email
        if message.status == 'pending':
            message.status = 'skipped'
        message.save(update_fields=['uuid', 'event_uuid', 'recipient', 'status'])


def put_keys_back(apps, schema_editor):
    Message = apps.get_model('notifications', 'Message')
    for message in Message.objects.iterator():
        message.dedupe_key = f'{message.event_uuid}:{message.channel}'
        message.save(update_fields=['dedupe_key'])


class Migration(migrations.Migration):

    dependencies = [('notifications', '0002_rename_request_to_message')]

    operations = [migrations.RunPython(fill, put_keys_back)]
