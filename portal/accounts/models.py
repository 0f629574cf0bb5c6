from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager):
    """Users sign in with their email address; there is no separate username."""

    use_in_migrations = True

    def _create_user_object(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # An address is unique only within a union; with no union to ask (createsuperuser,
        # changepassword) it names an account without one: an operator or superuser.
        return with_email(self.filter(union__isnull=True), username).get()


def with_email(accounts, email: str):
    """`accounts` with this address, case-insensitively, as the unique indexes compare."""
    return accounts.annotate(email_lower=Lower("email")).filter(
        email_lower=(email or "").strip().lower()
    )


class User(AbstractUser):
    """An account. `union` is the tenant the account belongs to (null for platform operators)."""

    username = None
    # Unique per union (Meta.constraints), not across the service: accounts belong to one
    # union, and nothing a union sees may depend on another union's accounts.
    email = models.EmailField(_("email address"))
    union = models.ForeignKey(
        "union.Union",
        verbose_name=_("union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    is_platform_operator = models.BooleanField(
        _("platform operator"),
        default=False,
        help_text=_("Runs the service: may create unions, never sees their personal data."),
    )
    terms_accepted_at = models.DateTimeField(_("terms of use accepted"), null=True, blank=True)
    # Account emails (portal/accounts/emails.py). The latest invitation's time is part of
    # its token, so a new invitation voids the earlier link; both times pace resends.
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    password_reset_sent_at = models.DateTimeField(
        _("password reset link sent"), null=True, blank=True
    )
    # Set whenever the account's groups (its roles) change. Every request loads the user
    # row anyway, so every process sees a role granted or taken away at once: the cached
    # roles are keyed on it (portal/union/viewer.py).
    roles_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                "union", Lower("email"), name="unique_email_per_union",
                condition=models.Q(union__isnull=False),
            ),
            models.UniqueConstraint(
                Lower("email"), name="unique_email_without_union",
                condition=models.Q(union__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        # Looked up among the accounts of the same union (or, for an account without
        # one, among those): the answer never depends on another union's accounts. The
        # forms exclude `union`, so the constraints alone would not be checked there.
        if self.email:
            same = User.objects.filter(union_id=self.union_id) if self.union_id else (
                User.objects.filter(union__isnull=True))
            if with_email(same, self.email).exclude(pk=self.pk).exists():
                raise ValidationError({"email": ValidationError(
                    _("Another account of this union has this email address."),
                    code="unique")})


class BlockQuerySet(models.QuerySet):
    def for_union(self, union):
        if union is None:
            return self.none()
        return self.filter(union=union)

    def in_force(self, at=None):
        """Blocks that stop their user now: not lifted and not past their end."""
        from django.utils import timezone

        at = at or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=at).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=at)
        )


class Block(models.Model):
    """A blacklist entry (U-3.16.11): while in force, the user cannot sign in and any
    session of theirs is ended on its next request.

    A block is never deleted: lifting it stamps `lifted_at`, so the history of who was
    blocked, why and by whom stays next to the audit log.
    """

    union = models.ForeignKey(
        "union.Union", verbose_name=_("union"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="blocks"
    )
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("blocked from"))
    ends_at = models.DateTimeField(
        _("blocked until"), null=True, blank=True, help_text=_("Empty: until lifted.")
    )
    blocked_by = models.ForeignKey(
        User, verbose_name=_("blocked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User, verbose_name=_("lifted by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["user", "lifted_at"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.reason[:40]}"
