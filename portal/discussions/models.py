"""Conversations between a union's accounts, their messages and attachments (issue 18).

Participants are accounts (`User`), not profiles: union staff often have no profile, and
a member writes to "the union office" as much as to their shop steward. A conversation
never has participants of two unions (`actions.start_conversation` checks it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel


class Conversation(UnionOwnedModel):
    title = models.CharField(_("title"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    # The newest message: the list's order and "unread" without reading the messages.
    last_message_id = models.BigIntegerField(_("last message"), default=0)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)
    # Anything a participant's open page must redraw (a message sent, edited or deleted, a
    # receipt): the polling client compares it with what it has (views.poll).
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"


class Participant(UnionOwnedModel):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="participants")
    # Gone with the account (erasure); the conversation stays for the others.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"),
                             on_delete=models.CASCADE, related_name="+")
    # The read receipt: the newest message id this participant has seen.
    last_read_id = models.BigIntegerField(_("read up to"), default=0)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["conversation", "user"],
                                               name="one_participant_per_account")]
        indexes = [models.Index(fields=["user", "conversation"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"


class MessageKind(models.TextChoices):
    TEXT = "text", _("Message")
    CALL = "call", _("Call")


class Message(UnionOwnedModel):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="messages")
    # None when the sender's account is gone or the person was erased: the message stays
    # for the others under a neutral name (`sender_anonymised`).
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sender"), null=True,
                               on_delete=models.SET_NULL, related_name="+")
    sender_anonymised = models.BooleanField(_("sender anonymised"), default=False)
    kind = models.CharField(_("kind"), max_length=8, choices=MessageKind.choices,
                            default=MessageKind.TEXT)
    # Plain text as typed; shown escaped, with web addresses made links (text.py).
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["conversation", "id"]),
                   models.Index(fields=["sender", "created_at"])]

    def __str__(self) -> str:
        return f"{self.conversation_id}:{self.pk}"


class Attachment(UnionOwnedModel):
    """An image or PDF, kept in the database: served only through the participants' view
    (never a public media URL), erased with its message, in the database's backups."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    data = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
