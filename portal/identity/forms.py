from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import keys
from .models import ACR_LEVELS, Level, Method

ACR_CHOICES = [("http://ftn.ficora.fi/2017/loa2", _("Substantial (loa2)")),
               ("http://ftn.ficora.fi/2017/loa3", _("High (loa3)"))]
assert {c for c, _l in ACR_CHOICES} == set(ACR_LEVELS)
METHOD_CHOICES = Method.choices
PROVIDER_FIELDS = ("is_enabled", "issuer", "client_id", "identity_claim", "given_name_claim",
                   "family_name_claim", "allowed_acr")
POLICY_FIELDS = ("member_methods", "official_methods", "staff_methods", "officials_level")


class SecretTextarea(forms.Textarea):
    """A pasted private key is never sent back to the browser, not even with an error."""

    def format_value(self, value):
        return None


def _methods(label):
    return forms.MultipleChoiceField(label=label, choices=METHOD_CHOICES, required=False,
                                     widget=forms.CheckboxSelectMultiple)


class ProviderForm(forms.Form):
    is_enabled = forms.BooleanField(label=_("Strong identification in use"), required=False)
    issuer = forms.URLField(label=_("Issuer"), max_length=300, assume_scheme="https",
                            help_text=_("The identification broker's issuer URL, as its "
                                        "discovery document names it."))
    client_id = forms.CharField(label=_("Client id"), max_length=200,
                                help_text=_("The id the broker gave this union's service."))
    identity_claim = forms.CharField(label=_("Identity code claim"), max_length=100)
    given_name_claim = forms.CharField(label=_("Given name claim"), max_length=100)
    family_name_claim = forms.CharField(label=_("Family name claim"), max_length=100)
    allowed_acr = forms.MultipleChoiceField(
        label=_("Accepted assurance levels"), choices=ACR_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: both levels are accepted."))
    member_methods = _methods(_("Members may sign in with"))
    official_methods = _methods(_("Elected officials may sign in with"))
    staff_methods = _methods(_("Staff and admins may sign in with"))
    officials_level = forms.ChoiceField(
        label=_("Level required of officials and staff"), required=False,
        choices=[("", _("Any accepted level")), *Level.choices])

    def clean(self):
        data = super().clean()
        if not data.get("staff_methods") and "staff_methods" in data:
            # Nobody could sign in to fix it.
            self.add_error("staff_methods", _("Staff and admins need at least one method."))
        return data


class KeysForm(forms.Form):
    """New private keys: generated here, or pasted (a private JWK or PEM). They are
    never shown again after saving."""

    source = forms.ChoiceField(label=_("New keys"), widget=forms.RadioSelect, choices=[
        ("generate", _("Generate new keys here")),
        ("paste", _("Paste our own private keys"))], initial="generate")
    signing_key = forms.CharField(label=_("Private signing key (JWK or PEM)"), required=False,
                                  widget=SecretTextarea(attrs={"rows": 4, "autocomplete": "off",
                                                             "spellcheck": "false"}))
    encryption_key = forms.CharField(label=_("Private encryption key (JWK or PEM)"),
                                     required=False,
                                     widget=SecretTextarea(attrs={"rows": 4, "autocomplete": "off",
                                                                "spellcheck": "false"}))

    def clean(self):
        data = super().clean()
        if data.get("source") == "generate":
            data["keys"] = (keys.generate(keys.SIGNING), keys.generate(keys.ENCRYPTION))
            return data
        parsed = []
        for name, use in (("signing_key", keys.SIGNING), ("encryption_key", keys.ENCRYPTION)):
            try:
                parsed.append(keys.parse(data.get(name, ""), use))
            except ValueError:
                self.add_error(name, _("This is not an RSA private key of at least 2048 bits."))
        if len(parsed) == 2:
            if parsed[0].kid == parsed[1].kid:
                self.add_error("encryption_key", _("Use a different key for encryption."))
            else:
                data["keys"] = tuple(parsed)
        return data
