from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "portal.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from portal.navigation import NavItem, register
        from portal.notifications.kinds import register_sent

        from . import hooks
        from .permissions import nav_visible

        register(NavItem(key="campaigns", label=_("Campaign centre"),
                         url_name="campaigns:list", order=30, visible=nav_visible))
        hooks.connect()
        register_sent("campaign")  # actions notifies a team's invitee (notifications)
