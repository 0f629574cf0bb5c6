"""The union admin panel's strong identification page: the provider configuration, the
sign-in methods per role, and the union's keys (public JWKS and fingerprints only; new
keys need a fresh second step). Union admins, on their own union's hostname only."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.adminpanel.views import _PanelView
from portal.stepup.decorators import SecondStepRequiredMixin

from . import actions, keys
from .forms import POLICY_FIELDS, PROVIDER_FIELDS, KeysForm, ProviderForm
from .models import IDENTITY_CODE_CLAIM, IdentityProvider, SignInPolicy
from .policy import ALL_METHODS


def _key_rows(provider) -> list[dict]:
    if provider is None or not provider.has_keys:
        return []
    return [{"label": label, "kid": keys.fingerprint(keys.load(sealed))}
            for label, sealed in ((_("Signing (RS256)"), provider.signing_key),
                                  (_("Encryption (RSA-OAEP)"), provider.encryption_key))]


class _Page(_PanelView):
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    def provider(self):
        return IdentityProvider.objects.filter(union=self.union).first()


class ProviderView(_Page):
    """Permission: union admins. The provider and the sign-in methods."""

    template_name = "identity/admin.html"
    form_class = ProviderForm
    page_title = gettext_lazy("Strong identification")

    def get_initial(self):
        provider = self.provider()
        policy = SignInPolicy.objects.filter(union=self.union).first()
        initial = {"is_enabled": True, "identity_claim": IDENTITY_CODE_CLAIM,
                   "given_name_claim": "given_name", "family_name_claim": "family_name",
                   **{f"{c}_methods": list(ALL_METHODS) for c in ("member", "official", "staff")}}
        if provider:
            initial.update({name: getattr(provider, name) for name in PROVIDER_FIELDS})
        if policy:
            initial.update({name: getattr(policy, name) for name in POLICY_FIELDS})
        return initial

    def get_context_data(self, **kwargs):
        provider = self.provider()
        jwks_url = self.request.build_absolute_uri(reverse("identity:jwks"))
        if self.union.site:
            jwks_url = self.union.site.root_url.rstrip("/") + reverse("identity:jwks")
        return super().get_context_data(
            provider=provider, key_rows=_key_rows(provider), jwks_url=jwks_url,
            public_jwks=json.dumps(keys.public_jwks(provider), indent=2), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        actions.save_provider(union=self.union, acting_user=self.request.user,
                              values={name: data[name] for name in PROVIDER_FIELDS})
        actions.save_policy(union=self.union, acting_user=self.request.user,
                            values={name: data[name] for name in POLICY_FIELDS})
        messages.success(self.request, _("Strong identification settings are saved."))
        return redirect("identity_admin:index")


class KeysView(SecondStepRequiredMixin, _Page):
    """Permission: union admins, with a fresh second step. Replaces the union's keys."""

    template_name = "identity/admin_keys.html"
    form_class = KeysForm
    page_title = gettext_lazy("New keys for strong identification")
    header_icon = "key"

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return [*items[:-1], {"url": reverse("identity_admin:index"),
                              "label": _("Strong identification")}, items[-1]]

    def form_valid(self, form):
        provider = self.provider()
        if provider is None:
            messages.error(self.request, _("Save the provider settings first."))
            return redirect("identity_admin:index")
        signing, encryption = form.cleaned_data["keys"]
        actions.set_keys(provider=provider, signing=signing, encryption=encryption,
                         acting_user=self.request.user)
        messages.success(self.request, _("The new keys are saved. Give the identification "
                                         "broker the public keys (JWKS address below)."))
        return redirect("identity_admin:index")
