from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PasskeysConfig(AppConfig):
    name = "portal.passkeys"
    label = "passkeys"
    verbose_name = _("Passkeys")

    def ready(self) -> None:
        # The step-up page lists its second steps in stepup.views.METHODS; stepup sits
        # below passkeys in the app order and imports nothing of it, so passkeys adds
        # its own entry here.
        from portal.stepup import views as stepup_views

        if not any(method["key"] == "passkey" for method in stepup_views.METHODS):
            stepup_views.METHODS.append({
                "key": "passkey", "label": _("Passkey"),
                "template": "passkeys/stepup_method.html"})
