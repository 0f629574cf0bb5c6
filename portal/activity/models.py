"""The activity stream: events concerning a person (U-3.2), newest first."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel


class ActivityKind(models.TextChoices):
    BULLETIN = "bulletin", _("Bulletin")
    # Notifications (portal/notifications): an event that concerns the person, with a
    # deep link to it, emailed per the person's preference for the kind.
    MESSAGE = "message", pgettext_lazy("notification kind", "Message")
    MENTION = "mention", pgettext_lazy("notification kind", "Mention")
    MEETING = "meeting", pgettext_lazy("notification kind", "Meeting invitation")
    CAMPAIGN = "campaign", pgettext_lazy("notification kind", "Campaign")
    TERMS = "terms", pgettext_lazy("notification kind", "Terms of use")
    SYSTEM = "system", pgettext_lazy("notification kind", "System message")
    EVENT = "event", _("Event")
    POSITION = "position", _("Position of trust")
    MEMBERSHIP = "membership", _("Membership")
    OTHER = "other", _("Other")


class MailState(models.TextChoices):
    """Whether an event is still to be emailed (portal/notifications sends it). Set once
    when the event is recorded, from the person's preference for its kind; the sender
    claims a row by a conditional UPDATE, so nothing is emailed twice."""

    NONE = "", _("Not emailed")
    NOW = "now", _("To be emailed")
    DIGEST = "digest", _("In the next digest")
    SENDING = "sending", _("Being emailed")
    SENT = "sent", _("Emailed")
    SKIPPED = "skipped", _("Not emailed (no address or preference changed)")


class ActivityEvent(UnionOwnedModel):
    """One item in one person's timeline. `source` names what it is about (e.g.
    "bulletin:42") so that recording the same thing twice adds nothing."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="activity_events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=300)
    # A title every reader sees in their own language (portal/notifications): the
    # untranslated text and its values (user-entered text, e.g. a name, as entered);
    # `title` then holds it in the union's language for the admin and the export.
    title_msgid = models.CharField(_("title before translation"), max_length=300, blank=True,
                                   default="")
    title_params = models.JSONField(_("values in the title"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    occurs_at = models.DateTimeField(_("time"))
    source = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    mail = models.CharField(_("email"), max_length=8, choices=MailState.choices, blank=True,
                            default=MailState.NONE)

    class Meta:
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")
        ordering = ["-occurs_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-occurs_at"]),
            # The email senders' queues: only the few rows still waiting are indexed.
            models.Index(fields=["mail", "person"], name="activity_mail_waiting",
                         condition=Q(mail__in=["now", "digest"])),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source"], condition=~Q(source=""),
                name="one_activity_event_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.title}"

    @property
    def shown_title(self) -> str:
        return translated_title(self.title, self.title_msgid, self.title_params)


def translated_title(title: str, msgid: str, params: dict | None) -> str:
    """The title in the active language: `msgid` translated now with its values, so a
    reader who changes language sees their items in it; else `title` as stored (and
    also when the text no longer fits its values, e.g. a msgid changed since)."""
    if not msgid:
        return title
    try:
        return (gettext(msgid) % (params or {}))[:300]
    except (KeyError, ValueError, TypeError):
        return title
