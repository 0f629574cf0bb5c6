from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AdminPanelConfig(AppConfig):
    default = True  # apps.py also holds the wagtail.users config below
    name = "portal.adminpanel"
    label = "adminpanel"
    verbose_name = _("Union admin panel")

    def ready(self):
        from . import csp, privacy
        from .scoping import install

        install()
        privacy.install()
        csp.install()


class UnionUsersAppConfig(WagtailUsersAppConfig):
    """wagtail.users with a user listing scoped to the admin's union (Wagtail's documented
    way to swap the user viewset)."""

    default = False
    user_viewset = "portal.adminpanel.viewsets.UserViewSet"
