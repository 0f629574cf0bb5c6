from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MergingConfig(AppConfig):
    name = "portal.merging"
    label = "merging"
    verbose_name = _("Compare and merge")
