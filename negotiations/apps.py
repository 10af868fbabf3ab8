from django.apps import AppConfig


class NegotiationsConfig(AppConfig):
    name = "negotiations"
    verbose_name = "Negotiations knowledge base"
    default_auto_field = "django.db.models.BigAutoField"
