"""A notification request becomes a message: the rendered content and what became of it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0001_initial'),
        ('orders', '0001_initial'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='notificationrequest', name='notification_once_per_order_kind_channel'),
        migrations.RemoveConstraint(model_name='notificationrequest', name='notification_channel_valid'),
        migrations.RenameModel(old_name='NotificationRequest', new_name='Message'),
        # Nullable until it is dropped in 0004, so that every step can be reversed.
        migrations.AlterField(
            model_name='message', name='dedupe_key', field=models.CharField(max_length=200, null=True, unique=True)
        ),
        migrations.AddField(model_name='message', name='uuid', field=models.UUIDField(null=True, editable=False)),
        migrations.AddField(model_name='message', name='event_uuid', field=models.UUIDField(null=True)),
        migrations.AddField(
            model_name='message', name='recipient', field=models.CharField(max_length=254, default='')
        ),
        migrations.AddField(
            model_name='message', name='subject', field=models.CharField(blank=True, default='', max_length=300)
        ),
        migrations.AddField(model_name='message', name='body_text', field=models.TextField(blank=True, default='')),
        migrations.AddField(model_name='message', name='body_html', field=models.TextField(blank=True, default='')),
        migrations.AddField(
            model_name='message', name='reason', field=models.CharField(blank=True, default='', max_length=20)
        ),
        migrations.AddField(
            model_name='message', name='provider_id', field=models.CharField(blank=True, default='', max_length=200)
        ),
        migrations.AddField(model_name='message', name='attempts', field=models.PositiveIntegerField(default=0)),
        migrations.AddField(model_name='message', name='last_error', field=models.TextField(blank=True, default='')),
        migrations.AddField(model_name='message', name='send_after', field=models.DateTimeField(blank=True, null=True)),
        migrations.AddField(model_name='message', name='sent_at', field=models.DateTimeField(blank=True, null=True)),
        migrations.AddField(model_name='message', name='is_urgent', field=models.BooleanField(default=False)),
        migrations.AddField(model_name='message', name='is_marketing', field=models.BooleanField(default=False)),
    ]
