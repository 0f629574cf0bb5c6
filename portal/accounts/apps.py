from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from axes.signals import user_locked_out

        from . import pacing, sessions  # noqa: F401  (sessions: its sign-in receiver)

        user_locked_out.connect(pacing.audit_signin_lockout,
                                dispatch_uid="accounts.audit_signin_lockout")
        post_migrate.connect(pacing.create_cache_table, sender=self,
                             dispatch_uid="accounts.create_cache_table")
