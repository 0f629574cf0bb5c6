from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "portal.register"
    label = "register"
    verbose_name = _("Member register integration")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Publishing an old draft of an employer or workplace keeps what the register
        # wrote since (drafts.py).
        from . import drafts

        drafts.connect()
