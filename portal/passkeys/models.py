"""A passkey (WebAuthn public-key credential) of an account, bound to one union's host."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionScopedQuerySet


class Passkey(models.Model):
    """One credential. `rp_id` is the hostname of the union's site the passkey was made
    on (the WebAuthn relying-party id): the browser offers it only there and the server
    checks it, so a passkey of one union never signs in on another. `user_handle` is the
    account's random WebAuthn user id (the same on all its passkeys; never the user's
    pk or email). `sign_count` is the authenticator's counter: an answer whose counter
    does not grow is refused as a possible clone."""

    union = models.ForeignKey("union.Union", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="passkeys")
    name = models.CharField(_("name"), max_length=60)
    rp_id = models.CharField(max_length=253)
    credential_id = models.BinaryField(max_length=1023)
    public_key = models.BinaryField()
    user_handle = models.BinaryField(max_length=64)
    sign_count = models.BigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["credential_id"],
                                               name="passkey_credential_unique")]
        indexes = [models.Index(fields=["union", "user"])]

    def __str__(self) -> str:
        return self.name
