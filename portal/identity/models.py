"""A union's identity provider (an OpenID Connect identification broker shaped like the
Finnish Trust Network's) and which sign-in methods its members, officials and staff use."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

IDENTITY_CODE_CLAIM = "urn:oid:1.2.246.21"  # the personal identity code, as Suomi.fi names it


class Level(models.TextChoices):
    """Assurance levels of the Finnish Trust Network (the provider's `acr`)."""

    SUBSTANTIAL = "substantial", _("Substantial")
    HIGH = "high", _("High")


ACR_LEVELS = {
    "http://ftn.ficora.fi/2017/loa2": Level.SUBSTANTIAL,
    "http://ftn.ficora.fi/2017/loa3": Level.HIGH,
}
LEVEL_RANK = {"": 0, Level.SUBSTANTIAL: 1, Level.HIGH: 2}


class Method(models.TextChoices):
    PASSWORD = "password", _("Password")
    OIDC = "oidc", _("Strong identification")


class IdentityProvider(models.Model):
    """One union's provider configuration; the row without a union is the platform's
    shared broker, used by unions that have none of their own.

    The private keys are stored encrypted (identity/secrets.py) and never shown again:
    the admin sees their public JWKS and fingerprints only.
    """

    union = models.OneToOneField("union.Union", verbose_name=_("union"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="identity_provider")
    is_enabled = models.BooleanField(_("in use"), default=True)
    issuer = models.URLField(_("issuer"), max_length=300)
    client_id = models.CharField(_("client id"), max_length=200)
    signing_key = models.TextField(editable=False, blank=True)
    encryption_key = models.TextField(editable=False, blank=True)
    identity_claim = models.CharField(_("identity code claim"), max_length=100,
                                      default=IDENTITY_CODE_CLAIM)
    given_name_claim = models.CharField(_("given name claim"), max_length=100,
                                        default="given_name")
    family_name_claim = models.CharField(_("family name claim"), max_length=100,
                                         default="family_name")
    allowed_acr = models.JSONField(_("accepted assurance levels"), default=list, blank=True)
    keys_changed_at = models.DateTimeField(_("keys changed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return self.issuer

    @property
    def has_keys(self) -> bool:
        return bool(self.signing_key and self.encryption_key)


class SignInPolicy(models.Model):
    """Which sign-in methods a union's members, officials and staff may use, and the
    assurance level officials' strong sign-in needs. Without a row every method is open."""

    union = models.OneToOneField("union.Union", verbose_name=_("union"),
                                 on_delete=models.CASCADE, related_name="sign_in_policy")
    member_methods = models.JSONField(_("members"), default=list)
    official_methods = models.JSONField(_("elected officials"), default=list)
    staff_methods = models.JSONField(_("staff and admins"), default=list)
    officials_level = models.CharField(_("level required of officials"), max_length=16,
                                       choices=Level.choices, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("sign-in methods")
        verbose_name_plural = _("sign-in methods")

    def __str__(self) -> str:
        return str(self.union)
