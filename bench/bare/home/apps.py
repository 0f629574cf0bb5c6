from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "bench.bare.home"
    label = "home"
    default_auto_field = "django.db.models.BigAutoField"
