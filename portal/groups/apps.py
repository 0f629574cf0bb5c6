from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "portal.groups"
    label = "groups"
    verbose_name = _("Groups")

    def ready(self):
        from . import receivers

        receivers.connect()
