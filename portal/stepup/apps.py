from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StepUpConfig(AppConfig):
    name = "portal.stepup"
    label = "stepup"
    verbose_name = _("Second step")
