from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionConfig(AppConfig):
    name = "portal.union"
    label = "union"
    verbose_name = _("Unions")
