"""Personal data of discussions, declared to the registry (docs/privacy.md).

Message bodies are personal data of their sender and of the people they are about. On
erasure the sender's messages stay for the other participants under a neutral name
(anonymised: `actions.anonymise_account`); the erased account's place in conversations
goes.

Who reads them: only the conversation's participants. No role — staff, union admins, a
superuser, the operator — can open a conversation it is not in (no legal basis for it
exists by default; a legal obligation is met through the person's access export). A
participant's reading is audited (VIEW, the other participants as the people shown),
once per conversation and session every 10 minutes (`views._audit_due`;
docs/discussions.md, "Who reads what")."""

from portal.privacy.registry import (
    Basis,
    Category,
    Erasure,
    Personal,
    Retention,
    Source,
    Subject,
    declare,
)

from .models import Attachment, Conversation, Message, Participant


def _anonymise(person, rows) -> None:
    """Erasure (portal/erasure) of a person with an account: their messages stay for the
    others under a neutral name, their places in conversations go, the search index
    follows. Called for messages, participants and attachments alike (idempotent)."""
    from .actions import anonymise_account

    if person.user_id is not None:
        anonymise_account(user_id=person.user_id, union=person.union)


_SENT = Personal(Category.COMMUNICATION, Basis.CONTRACT, Source.SELF, Retention.ACCOUNT,
                 erasure=Erasure.ANONYMISE)

declare(Conversation, subjects={"created_by": Subject.USER}, fields={
    **Personal(Category.COMMUNICATION, Basis.CONTRACT, Source.SELF, Retention.ACCOUNT,
               erasure=Erasure.ANONYMISE).on("created_by", "title", "created_at")},
    not_personal={"last_message_id": "the id of the newest message, for the unread count",
                  "last_message_at": "the time of the newest message, of whoever wrote it",
                  "changed_at": "a technical stamp for the open pages' polling"})
declare(Participant, subjects={"user": Subject.USER}, fields={
    **Personal(Category.COMMUNICATION, Basis.CONTRACT, Source.SYSTEM, Retention.ACCOUNT).on(
        "user", "conversation", "last_read_id", "joined_at")}, erase_with=_anonymise)
declare(Message, subjects={"sender": Subject.USER}, fields={
    **_SENT.on("sender", "body", "created_at", "edited_at", "deleted_at", "kind")},
    not_personal={"sender_anonymised": "says only that the sender's name was removed"},
    erase_with=_anonymise)
declare(Attachment, subjects={"message__sender": Subject.USER}, fields={
    **_SENT.on("name", "data", "content_type", "size")}, erase_with=_anonymise)
