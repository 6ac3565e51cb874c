"""Every message has its uuid, its event and its recipient; nothing is sent twice for one event,
channel and recipient; "order received" and "being packed" are once per order and channel."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [('notifications', '0003_fill_message_keys')]

    operations = [
        migrations.AlterField(
            model_name='message',
            name='uuid',
            field=models.UUIDField(default=uuid.uuid4, editable=False, help_text='Also its Message-ID.', unique=True),
        ),
        migrations.AlterField(
            model_name='message', name='event_uuid', field=models.UUIDField(help_text='The event that asked for it.')
        ),
        migrations.AlterField(
            model_name='message',
            name='recipient',
            field=models.CharField(help_text='An e-mail address or an E.164 phone number.', max_length=254),
        ),
        migrations.RemoveField(model_name='message', name='dedupe_key'),
    ]
