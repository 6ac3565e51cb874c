from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.orders"
    label = "orders"

    def ready(self) -> None:
        """Make the built-in `manual` payment provider known; `emporos.integrations` adds the
        providers that call out (Stripe)."""
        from emporos.orders import payment_providers

        payment_providers.register("manual", payment_providers.ManualProvider)
