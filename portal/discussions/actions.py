"""Every write of discussions: starting a conversation, sending, editing and deleting a
message, noting a call, reading. Each checks the acting account itself (participant,
blocked, pace), runs in one transaction and leaves an audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.access.roles import roles_for
from portal.accounts.models import Block
from portal.audit.log import AuditAction, record
from portal.union.viewer import forget_viewer

from . import files as file_checks
from . import index, text
from .models import Attachment, Conversation, Message, MessageKind, Participant
from .names import names_of
from .rules import MAX_PARTICIPANTS, reachable_users

EDIT_WINDOW = dt.timedelta(minutes=15)
# A person types a few messages a minute; a script types hundreds.
RATE_LIMITS = ((dt.timedelta(minutes=1), 12), (dt.timedelta(hours=1), 150))


class Refused(Exception):
    """A write refused with a message for the user; nothing was stored."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def _check_sender(user, union) -> None:
    if union is None or not roles_for(user, union) or user.union_id != union.pk:
        raise PermissionDenied
    if Block.objects.in_force().filter(user_id=user.pk).exists():
        raise Refused(_("Your account is blocked: you cannot send messages."), 403)
    now = timezone.now()
    for window, limit in RATE_LIMITS:
        sent = Message.objects.for_union(union).filter(
            sender=user, created_at__gte=now - window).count()
        if sent >= limit:
            raise Refused(_("You are sending messages too fast. Wait a moment and try again."),
                          429)


def _check_body(body: str, *, files: Sequence = ()) -> str:
    body = (body or "").strip()
    if not body and not files:
        raise Refused(_("Write a message or attach a file."))
    if len(body) > text.MAX_LENGTH:
        raise Refused(_("A message may be at most %(limit)s characters long.")
                      % {"limit": text.MAX_LENGTH})
    if text.has_markup(body):
        raise Refused(_("Messages are plain text: markup such as <script> or <b> is not "
                        "allowed. Web addresses become links by themselves."))
    return body


def _check_files(uploads: Sequence) -> list[tuple[str, str, bytes]]:
    if len(uploads) > file_checks.MAX_FILES:
        raise Refused(_("At most %(count)s files a message.") % {"count": file_checks.MAX_FILES})
    checked = []
    for upload in uploads:
        try:
            checked.append(file_checks.check(upload))
        except file_checks.FileRefused as error:
            raise Refused(str(error.args[0])) from error
    return checked


def participant_of(conversation: Conversation, user) -> Participant:
    participant = None
    if user.is_authenticated:
        participant = Participant.objects.filter(
            union_id=conversation.union_id, conversation=conversation, user=user).first()
    if participant is None:
        raise PermissionDenied
    return participant


def conversation_url(conversation: Conversation) -> str:
    return reverse("discussions:conversation", args=[conversation.pk])


@transaction.atomic
def start_conversation(*, union, acting_user, recipient_ids: Iterable[int], body: str,
                       uploads: Sequence = (), title: str = "") -> Conversation:
    """A new conversation with `recipient_ids` and its first message. A one-to-one
    conversation that exists already is continued instead of starting a second."""
    _check_sender(acting_user, union)
    try:
        wanted = {int(pk) for pk in recipient_ids} - {acting_user.pk}
    except (TypeError, ValueError) as error:
        raise Refused(_("Choose whom to write to.")) from error
    if not wanted:
        raise Refused(_("Choose whom to write to."))
    if len(wanted) > MAX_PARTICIPANTS - 1:
        raise Refused(_("A conversation may have at most %(count)s people.")
                      % {"count": MAX_PARTICIPANTS})
    allowed = set(reachable_users(acting_user, union).filter(pk__in=wanted)
                  .values_list("pk", flat=True))
    if allowed != wanted:
        raise Refused(_("You cannot write to one or more of the people chosen."), 403)
    body = _check_body(body, files=uploads)
    checked = _check_files(uploads)
    conversation = None
    if len(wanted) == 1 and not title:
        conversation = _one_to_one(union, acting_user.pk, next(iter(wanted)))
    if conversation is None:
        conversation = Conversation.objects.create(union=union, created_by=acting_user,
                                                   title=(title or "").strip()[:120])
        Participant.objects.bulk_create([
            Participant(union=union, conversation=conversation, user_id=pk)
            for pk in sorted(wanted | {acting_user.pk})])
        record(actor=acting_user, union=union, action=AuditAction.CREATE,
               target=f"conversation:{conversation.pk}", fields=["participants"])
    _send(conversation, acting_user, body=body, checked=checked)
    return conversation


def _one_to_one(union, me: int, other: int) -> Conversation | None:
    """The newest conversation of exactly these two accounts, if any."""
    participants = Participant.objects.for_union(union)
    both = participants.filter(user_id=other, conversation_id__in=participants.filter(
        user_id=me).values("conversation_id")).values("conversation_id")
    pair = (participants.filter(conversation_id__in=both).values("conversation_id")
            .annotate(people=Count("pk")).filter(people=2).order_by("-conversation_id")
            .values_list("conversation_id", flat=True).first())
    return Conversation.objects.for_union(union).filter(pk=pair).first() if pair else None


@transaction.atomic
def send_message(*, conversation: Conversation, acting_user, body: str,
                 uploads: Sequence = ()) -> Message:
    _check_sender(acting_user, conversation.union)
    participant_of(conversation, acting_user)
    body = _check_body(body, files=uploads)
    return _send(conversation, acting_user, body=body, checked=_check_files(uploads))


@transaction.atomic
def note_call(*, conversation: Conversation, acting_user) -> Message:
    """"Called" in the conversation, when the caller confirms they called."""
    _check_sender(acting_user, conversation.union)
    participant_of(conversation, acting_user)
    return _send(conversation, acting_user, body="", checked=[], kind=MessageKind.CALL)


def _send(conversation, user, *, body, checked, kind=MessageKind.TEXT) -> Message:
    union = conversation.union
    # One sender at a time per conversation: the newest id and the receipts stay in order.
    Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
    message = Message.objects.create(union=union, conversation=conversation, sender=user,
                                     kind=kind, body=body)
    Attachment.objects.bulk_create([
        Attachment(union=union, message=message, name=name, content_type=content_type,
                   size=len(data), data=data) for name, content_type, data in checked])
    now = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_id=message.pk, last_message_at=message.created_at, changed_at=now)
    conversation.last_message_id, conversation.last_message_at = message.pk, message.created_at
    Participant.objects.filter(conversation=conversation, user=user).update(last_read_id=message.pk)
    others = list(Participant.objects.filter(conversation=conversation).exclude(user=user)
                  .values_list("user_id", "last_read_id"))
    record(actor=user, union=union, action=AuditAction.CREATE,
           target=f"conversation:{conversation.pk}", fields=["message"])
    index.enqueue_messages([message.pk], union_id=union.pk)
    for user_id, _read in others:
        forget_viewer(user_id)  # their unread badge (in this process at once)
    _notify(conversation, user, others)
    return message


def _notify(conversation, sender, others) -> None:
    """One activity item per unread streak: a recipient who has not read the last
    notified message gets no second item for the same conversation."""
    from portal.notifications.actions import notify
    from portal.people.models import Person

    by_read: dict[int, list[int]] = {}
    for user_id, last_read_id in others:
        by_read.setdefault(last_read_id, []).append(user_id)
    name = names_of([sender.pk]).get(sender.pk, "")
    for last_read_id, user_ids in by_read.items():
        people = list(Person.objects.for_union(conversation.union).living()
                      .filter(user_id__in=user_ids).values_list("pk", flat=True))
        if people:
            notify(union=conversation.union, people=people, kind="message",
                   title=gettext_noop("New message from %(name)s"), title_params={"name": name},
                   url=conversation_url(conversation), acting_user=sender,
                   source=f"conversation:{conversation.pk}:after:{last_read_id}")


def _own_message(message: Message, user) -> None:
    if message.sender_id != user.pk or message.deleted_at is not None:
        raise PermissionDenied


@transaction.atomic
def edit_message(*, message: Message, acting_user, body: str) -> Message:
    """The sender may correct a message within EDIT_WINDOW of sending it."""
    _own_message(message, acting_user)
    participant_of(message.conversation, acting_user)
    if message.kind != MessageKind.TEXT:
        raise PermissionDenied
    if timezone.now() - message.created_at > EDIT_WINDOW:
        raise Refused(_("A message can be edited only within 15 minutes of sending it."))
    message.body = _check_body(body, files=list(message.attachments.values_list("pk", flat=True)))
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "edited_at"])
    _changed(message, acting_user, "message_edited")
    return message


@transaction.atomic
def delete_message(*, message: Message, acting_user) -> Message:
    """Deleted for everyone: the text and files go, a "deleted" marker stays."""
    _own_message(message, acting_user)
    participant_of(message.conversation, acting_user)
    message.body, message.deleted_at = "", timezone.now()
    message.save(update_fields=["body", "deleted_at"])
    message.attachments.all().delete()
    _changed(message, acting_user, "message_deleted")
    return message


def _changed(message, user, field) -> None:
    Conversation.objects.filter(pk=message.conversation_id).update(changed_at=timezone.now())
    record(actor=user, union=message.conversation.union, action=AuditAction.EDIT,
           target=f"conversation:{message.conversation_id}", fields=[field])
    index.enqueue_messages([message.pk], union_id=message.union_id)


@transaction.atomic
def mark_read(*, conversation: Conversation, acting_user) -> bool:
    """The participant has seen the conversation up to its newest message (their read
    receipt). No audit entry: it records nothing about anyone else."""
    updated = Participant.objects.filter(
        conversation=conversation, user=acting_user,
        last_read_id__lt=conversation.last_message_id).update(
        last_read_id=conversation.last_message_id)
    if updated:
        Conversation.objects.filter(pk=conversation.pk).update(changed_at=timezone.now())
        forget_viewer(acting_user.pk)
        _read_its_notifications(conversation, acting_user)
    return bool(updated)


def _read_its_notifications(conversation: Conversation, user) -> None:
    """Reading the conversation reads its "new message" items too, or the activity
    stream's bell would go on counting what the reader has seen."""
    from portal.activity.actions import mark_read as read_events
    from portal.activity.models import ActivityEvent
    from portal.people.models import Person

    person = Person.objects.for_union(conversation.union_id).filter(user=user).first()
    if person is None:
        return
    unread = list(ActivityEvent.objects.for_union(conversation.union_id).filter(
        person=person, read_at__isnull=True,
        source__startswith=f"conversation:{conversation.pk}:").values_list("pk", flat=True))
    if unread:
        read_events(person=person, acting_user=user, ids=unread)


@transaction.atomic
def anonymise_account(*, user_id: int, union) -> int:
    """For erasure: the account's messages stay for the others under a neutral name, its
    places in conversations go (the files of its messages stay with them). Returns how
    many messages were anonymised; a second call finds nothing left to do."""
    messages = Message.objects.for_union(union).filter(sender_id=user_id)
    ids = list(messages.values_list("pk", flat=True))
    messages.update(sender=None, sender_anonymised=True)
    places = Participant.objects.for_union(union).filter(user_id=user_id)
    conversations = list(places.values_list("conversation_id", flat=True))
    places.delete()
    Conversation.objects.filter(pk__in=conversations).update(changed_at=timezone.now())
    index.enqueue_messages(ids, union_id=union.pk)
    index.enqueue_conversations(conversations, union_id=union.pk)
    return len(ids)
