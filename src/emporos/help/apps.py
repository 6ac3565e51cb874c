from django.apps import AppConfig


class HelpConfig(AppConfig):
    name = "emporos.help"
    label = "help"
    verbose_name = "Help centre"
