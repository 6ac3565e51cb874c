from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "emporos.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        """Make the carriers, SMS and payment providers, and review platforms known by code; each adapter reads its
        EMPOROS_* settings when built."""
        from emporos.fulfillment.carriers import register
        from emporos.integrations.carriers import boxnow, inpost

        register("boxnow", boxnow.from_settings)
        register("inpost", inpost.from_settings)

        from emporos.integrations.sms import smsapi
        from emporos.notifications import sms

        sms.register("smsapi", smsapi.from_settings)

        from emporos.integrations.payments import stripe
        from emporos.orders import payment_providers

        payment_providers.register("stripe", stripe.from_settings)

        from emporos.feedback import reviews
        from emporos.integrations.reviews import google

        reviews.register(
            "google",
            google.from_settings,
            name=google.NAME,
            reply_max_length=google.REPLY_MAX_BYTES,
            limit_in_bytes=True,
        )

        from anymail.signals import inbound

        from emporos.integrations import mail_inbound

        inbound.connect(mail_inbound.on_inbound, dispatch_uid="emporos.support.inbound")
