from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "portal.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # Each app's personal_data.py declares its models (privacy/registry.py), the way
        # Django's admin finds admin.py: privacy itself imports no feature app.
        autodiscover_modules("personal_data")
