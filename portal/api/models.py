"""API clients of a union's register system (issue 14, docs/register-integration.md).

A client holds only a hash of its key: the key itself is shown once, when it is made
(`actions.create_client`), and cannot be read back.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel

# The kinds of data a scope names: the register's record kinds and the change feed.
DATA_KINDS = ("people", "employers", "workplaces", "employments", "positions", "trainings")
READ_KINDS = (*DATA_KINDS, "changes")
WRITE_KINDS = DATA_KINDS
KIND_LABELS = {
    "people": _("People"),
    "employers": _("Employers"),
    "workplaces": _("Workplaces"),
    "employments": _("Employments"),
    "positions": _("Positions of trust"),
    "trainings": _("Trainings"),
    "changes": _("Change feed"),
}
ALL_SCOPES = tuple(
    [f"{kind}:read" for kind in READ_KINDS] + [f"{kind}:write" for kind in WRITE_KINDS]
)


class ApiClient(UnionOwnedModel):
    """A register system (or another program) calling /api/v1/ for one union."""

    name = models.CharField(_("name"), max_length=100)
    # The key's public part ("du_<prefix>_<secret>"): finds the row; shown in the admin.
    key_prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    # SHA-256 of the whole key (hex). The key has 256 random bits, so no salt is needed.
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    # CIDRs, e.g. ["192.0.2.0/24", "2001:db8::/32"]; empty: any address.
    allowed_networks = models.JSONField(_("allowed networks"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    # The rate limit's fixed window: its start and the calls counted in it.
    window_start = models.DateTimeField(null=True, blank=True, editable=False)
    window_calls = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["union", "name"], name="api_client_name_per_union"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def usable(self) -> bool:
        return self.is_active and self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def allows_address(self, address: str) -> bool:
        if not self.allowed_networks:
            return True
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in ipaddress.ip_network(net) for net in self.allowed_networks)


class IdempotentCall(models.Model):
    """The answer to a write call that carried an `Idempotency-Key`: the same key with
    the same request gets this answer again, with another request a 409."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    # SHA-256 of method, path, query and body: "the same request".
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)  # None: still running
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_key"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.key}"
