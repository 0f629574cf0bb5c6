from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DpoConfig(AppConfig):
    name = "portal.dpo"
    label = "dpo"
    verbose_name = _("Data protection officer")
