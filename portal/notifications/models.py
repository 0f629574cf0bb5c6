"""Notification preferences and system messages. The notifications themselves are
`activity.ActivityEvent` rows of a notification kind (docs/discussions.md,
"Notifications", says why)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel

from .kinds import Delivery


class NotificationPreference(UnionOwnedModel):
    """How a person wants one kind of notification emailed. No row means the kind's
    default (kinds.KINDS)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=16)
    delivery = models.CharField(_("email"), max_length=8, choices=Delivery.choices)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["person", "kind"],
                                               name="one_notification_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.kind}={self.delivery}"


class SystemMessageQuerySet(models.QuerySet):
    def for_union(self, union):
        """A union's own messages (what its admins manage); none for no union."""
        if union is None:
            return self.none()
        return self.filter(union=union)

    def platform(self):
        return self.filter(union__isnull=True)

    def shown_in(self, union):
        """What a union's users may be shown: its own messages and the platform's."""
        if union is None:
            return self.none()
        return self.filter(models.Q(union=union) | models.Q(union__isnull=True))


class SystemMessage(models.Model):
    """A notice from a union's admins to all or some roles of their union, or from the
    platform's operator to every union (`union` empty): a banner on the front end from
    `starts_at` to `ends_at`, and an item in the activity stream of the people it is
    for once it starts. Plain text only (links in it are made clickable when shown)."""

    union = models.ForeignKey("union.Union", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="system_messages",
                              help_text=_("Empty: a platform-wide message to every union."))
    # `title` and `body` are in `language` (the union's default language when written, the
    # platform's for a platform message); `translations` holds the other languages the
    # admin wrote, {"sv": {"title": ..., "body": ...}}. Readers see theirs (`text_in`).
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default="fi")
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    # Role values (union.Role); empty: every role.
    roles = models.JSONField(_("roles"), default=list, blank=True)
    starts_at = models.DateTimeField(_("shown from"))
    ends_at = models.DateTimeField(_("shown until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When its activity items were made (it had started): done once.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SystemMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("system message")
        verbose_name_plural = _("system messages")
        indexes = [models.Index(fields=["union", "ends_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="system_message_ends_after_start")]

    def __str__(self) -> str:
        return self.title

    def text_in(self, language: str | None) -> tuple[str, str]:
        """(title, body) in `language`, else in the message's own language."""
        return text_in(self.title, self.body, self.translations, language)


def text_in(title: str, body: str, translations: dict, language: str | None) -> tuple[str, str]:
    """A language's text counts when its title was written (the body may be empty)."""
    other = (translations or {}).get((language or "")[:2]) or {}
    if other.get("title"):
        return other["title"], other.get("body", "")
    return title, body


class SystemMessageDismissal(models.Model):
    """A user closed a system message's banner: not shown to them again."""

    message = models.ForeignKey(SystemMessage, on_delete=models.CASCADE,
                                related_name="dismissals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    dismissed_at = models.DateTimeField(_("closed"), auto_now_add=True)

    class Meta:
        verbose_name = _("closed system message")
        verbose_name_plural = _("closed system messages")
        constraints = [models.UniqueConstraint(fields=["message", "user"],
                                               name="one_dismissal_per_user")]

    def __str__(self) -> str:
        return f"{self.message_id}/{self.user_id}"
