from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialsConfig(AppConfig):
    name = "portal.officials"
    label = "officials"
    verbose_name = _("Officials")
