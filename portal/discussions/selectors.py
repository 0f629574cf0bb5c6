"""Reads of discussions: one's conversations, a conversation's messages, the unread count.

Every read starts from the signed-in account's own participant rows in the request's
union: a conversation someone is not in does not exist for them (404), whatever their
role (docs/discussions.md, "Who reads what"). Each read is a fixed number of queries,
however long the list or the conversation (tests pin them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _

from portal.union.features import feature_on
from portal.union.models import UnionFeature
from portal.union.viewer import viewer_fact

from . import text
from .actions import EDIT_WINDOW
from .models import Attachment, Conversation, Message, MessageKind, Participant
from .names import anonymous_name

PAGE = 50
INBOX_LENGTH = 100


def unread_count(user, union) -> int:
    """Conversations with a message the account has not read."""
    return Participant.objects.for_union(union).filter(
        user=user, conversation__last_message_id__gt=F("last_read_id")).count()


def nav_visible(request) -> bool:
    union = getattr(request, "union", None)
    return bool(request.user.is_authenticated and union is not None
                and request.user.union_id == union.pk)


def nav_unread_count(request) -> int | None:
    """The navigation's badge. Kept briefly per process (union/viewer.py); sending a
    message forgets the recipients' counts in the sending process at once, and an open
    conversation or list page polls the exact count (views.poll)."""
    if not nav_visible(request) or not feature_on(request, UnionFeature.DISCUSSIONS):
        return None
    union, user = request.union, request.user
    return viewer_fact(union_id=union.pk, user=user, name="discussions_unread",
                       build=lambda: unread_count(user, union)) or None


@dataclass
class Member:
    user_id: int | None
    name: str
    person_id: int | None
    last_read_id: int = 0
    is_me: bool = False


@dataclass
class InboxRow:
    pk: int
    title: str
    names: list[str]
    last_text: str
    last_at: dt.datetime | None
    unread: bool


def _members(conversation_ids) -> dict[int, list[Member]]:
    members: dict[int, list[Member]] = {}
    for conversation_id, user_id, read, first, last, p_first, p_last, person_id, email in (
            Participant.objects.filter(conversation_id__in=conversation_ids)
            .order_by("pk").values_list(
                "conversation_id", "user_id", "last_read_id", "user__first_name",
                "user__last_name", "user__person__first_name", "user__person__last_name",
                "user__person__id", "user__email")):
        name = (f"{p_first} {p_last}".strip() if person_id else
                f"{first} {last}".strip() or email.split("@")[0])
        members.setdefault(conversation_id, []).append(Member(user_id, name, person_id, read))
    return members


def _summary(kind, body, deleted_at, files) -> str:
    if deleted_at is not None:
        return _("Message deleted")
    if kind == MessageKind.CALL:
        return _("Called")
    return body[:140] or (_("A file") if files else "")


def inbox(user, union, *, limit: int = INBOX_LENGTH) -> list[InboxRow]:
    """The account's conversations, newest first (3 queries)."""
    mine = list(Participant.objects.for_union(union).filter(user=user)
                .order_by(F("conversation__last_message_at").desc(nulls_last=True),
                          "-conversation_id")
                .values_list("conversation_id", "conversation__title", "last_read_id",
                             "conversation__last_message_id", "conversation__last_message_at")
                [:limit])
    members = _members([row[0] for row in mine])
    last = {pk: (kind, body, deleted, files) for pk, kind, body, deleted, files in
            Message.objects.filter(pk__in=[row[3] for row in mine]).values_list(
                "pk", "kind", "body", "deleted_at", "attachments__pk")}
    rows = []
    for pk, title, read, last_id, last_at in mine:
        others = [m.name for m in members.get(pk, []) if m.user_id != user.pk]
        summary = _summary(*last[last_id]) if last_id in last else ""
        rows.append(InboxRow(pk, title, others or [_("Only you")], summary, last_at,
                             last_id > read))
    return rows


def conversation_for(request, pk) -> Conversation:
    """The conversation if the signed-in account takes part in it, else 404 (1 query)."""
    union = request.union
    conversation = (Conversation.objects.for_union(union)
                    .filter(pk=pk, participants__user=request.user).first()
                    if request.user.is_authenticated else None)
    if conversation is None:
        raise Http404
    conversation.union = union
    return conversation


@dataclass
class FileItem:
    pk: int
    name: str
    is_image: bool
    size: int


@dataclass
class MessageItem:
    pk: int
    sender_name: str
    mine: bool
    kind: str
    html: str
    created_at: dt.datetime
    edited: bool
    deleted: bool
    can_edit: bool
    files: list[FileItem] = field(default_factory=list)
    read_by: list[str] = field(default_factory=list)
    read_by_all: bool = False


@dataclass
class Thread:
    conversation: Conversation
    members: list[Member]
    messages: list[MessageItem]
    older_than: int | None  # the id to page back from, when there are older messages

    @property
    def others(self) -> list[Member]:
        return [m for m in self.members if not m.is_me]


def thread(conversation: Conversation, user, *, before: int | None = None,
           now: dt.datetime) -> Thread:
    """The newest PAGE messages (older ones before `before`), their files and who has
    read each of the account's own messages (3 queries)."""
    members = _members([conversation.pk]).get(conversation.pk, [])
    for member in members:
        member.is_me = member.user_id == user.pk
    names = {m.user_id: m.name for m in members}
    messages = Message.objects.filter(conversation=conversation).order_by("-pk")
    if before:
        messages = messages.filter(pk__lt=before)
    rows = list(messages.values_list("pk", "sender_id", "sender_anonymised", "kind", "body",
                                     "created_at", "edited_at", "deleted_at")[:PAGE + 1])
    older = rows[PAGE - 1][0] if len(rows) > PAGE else None
    rows = list(reversed(rows[:PAGE]))
    files: dict[int, list[FileItem]] = {}
    for pk, message_id, name, content_type, size in Attachment.objects.filter(
            message_id__in=[r[0] for r in rows]).order_by("pk").values_list(
            "pk", "message_id", "name", "content_type", "size"):
        files.setdefault(message_id, []).append(
            FileItem(pk, name, content_type.startswith("image/"), size))
    others = [m for m in members if m.user_id != user.pk]
    items = []
    for pk, sender_id, anonymised, kind, body, created_at, edited_at, deleted_at in rows:
        mine = sender_id == user.pk
        sender = (names.get(sender_id) or (anonymous_name() if anonymised or sender_id is None
                                           else _("Former participant")))
        read_by = [m.name for m in others if m.last_read_id >= pk] if mine else []
        items.append(MessageItem(
            pk=pk, sender_name=sender, mine=mine, kind=kind,
            html=text.render(body) if deleted_at is None else "",
            created_at=created_at, edited=edited_at is not None, deleted=deleted_at is not None,
            can_edit=(mine and deleted_at is None and kind == MessageKind.TEXT
                      and now - created_at <= EDIT_WINDOW),
            files=files.get(pk, []), read_by=read_by,
            read_by_all=bool(others) and len(read_by) == len(others)))
    return Thread(conversation, members, items, older)


def message_for(conversation: Conversation, pk) -> Message:
    message = Message.objects.filter(conversation=conversation, pk=pk).first()
    if message is None:
        raise Http404
    message.conversation = conversation
    return message


def attachment_for(conversation: Conversation, pk) -> Attachment:
    attachment = Attachment.objects.filter(message__conversation=conversation, pk=pk,
                                           message__deleted_at__isnull=True).first()
    if attachment is None:
        raise Http404
    return attachment
