from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "portal.home"
    label = "home"
    verbose_name = _("My home")

    def ready(self):
        from portal.navigation import NavItem, register

        from .selectors import nav_visible

        register(NavItem(key="home", label=_("My home"), url_name="home:home", order=0,
                         visible=nav_visible))
