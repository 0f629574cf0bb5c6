from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifeEventsConfig(AppConfig):
    name = "portal.lifeevents"
    label = "lifeevents"
    verbose_name = _("Life events")
