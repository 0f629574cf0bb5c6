"""Discussions (U-3.4): the list, a conversation, starting one, search, files.

Every view: signed in with a role in the site's union and the feature on; a
conversation's views also require taking part in it (anyone else, staff included, gets
404: docs/discussions.md, "Who reads what")."""

from __future__ import annotations

import io

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.access.roles import roles_for
from portal.audit.log import AuditAction, record, record_many
from portal.people.models import Person
from portal.union.features import require_feature
from portal.union.models import UnionFeature

from . import actions, selectors
from .contact import call_target, search_choices
from .picker import picker_for
from .search import search_messages


def _guard(request) -> None:
    require_feature(request, UnionFeature.DISCUSSIONS)
    if not roles_for(request.user, getattr(request, "union", None)):
        raise PermissionDenied


def _refused(request, error: actions.Refused, *, json: bool = False):
    if json:
        return JsonResponse({"error": error.message}, status=error.status)
    flash.error(request, error.message)
    if request.FILES.getlist("files"):
        # A browser never keeps a file in the form it shows again: say so, or the
        # sender fixes the text and sends it without the attachment.
        flash.error(request, _("The files chosen were not sent: attach them again."))
    return None


@login_required
@require_GET
def inbox(request):
    """Permission: signed in with a role here; lists only the account's own conversations."""
    _guard(request)
    rows = selectors.inbox(request.user, request.union)
    return render(request, "discussions/inbox.html", {
        "rows": rows, "token": _inbox_token(rows),
        "unread": sum(row.unread for row in rows)})


def _inbox_token(rows) -> str:
    return ",".join(f"{r.pk}:{r.last_at.timestamp() if r.last_at else 0}:{int(r.unread)}"
                    for r in rows[:20])


@login_required
@require_GET
def inbox_poll(request):
    """Permission: as `inbox`. JSON: the unread count, and the list's HTML if it changed."""
    _guard(request)
    rows = selectors.inbox(request.user, request.union)
    token = _inbox_token(rows)
    unread = sum(row.unread for row in rows)
    if request.GET.get("v") == token:
        return JsonResponse({"changed": False, "unread": unread})
    return JsonResponse({"changed": True, "token": token, "unread": unread,
                         "html": render_to_string("discussions/_inbox_rows.html",
                                                  {"rows": rows}, request=request)})


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    """Permission: signed in with a role here; offers and accepts only the accounts
    `rules.reachable_users` allows (a forged id is refused and nothing is stored)."""
    _guard(request)
    query = request.GET.get("q", "").strip()[:100]
    if request.method == "POST":
        try:
            conversation = actions.start_conversation(
                union=request.union, acting_user=request.user,
                recipient_ids=request.POST.getlist("to"), body=request.POST.get("body", ""),
                uploads=request.FILES.getlist("files"), title=request.POST.get("title", ""))
        except actions.Refused as error:
            _refused(request, error)
            response = _new_page(request, query, request.POST.getlist("to"),
                                 request.POST.get("body", ""))
            response.status_code = error.status
            return response
        return redirect(actions.conversation_url(conversation))
    return _new_page(request, query, request.GET.getlist("to"), "")


def _new_page(request, query, chosen, body):
    picker = picker_for(request.user, request.union, query=query,
                        chosen=[int(pk) for pk in chosen if str(pk).isdigit() and len(pk) < 19])
    shown = [c.person_id for c in picker.unavailable]
    if picker.choices:
        shown += Person.objects.for_union(request.union).filter(
            user_id__in=[c.pk for c in picker.choices]).values_list("pk", flat=True)
    if shown:  # a list of people (by name, or the default one): audited like any list
        record_many(actor=request.user, union=request.union, action=AuditAction.LIST,
                    people=[_PersonRef(pk) for pk in shown], fields=("name",),
                    target=request.path)
    return render(request, "discussions/new.html", {
        "query": query, "choices": picker.choices, "unavailable": picker.unavailable,
        "suggested": picker.suggested, "body": body, "searched": bool(query)})


def _thread_context(request, conversation, before=None):
    thread = selectors.thread(conversation, request.user, before=before, now=timezone.now())
    audit = _audit_due(request, conversation)
    if audit:
        record_many(actor=request.user, union=request.union, action=AuditAction.VIEW,
                    people=[_PersonRef(m.person_id) for m in thread.others if m.person_id],
                    fields=("name", "messages"), target=actions.conversation_url(conversation))
    return thread, {"thread": thread, "conversation": conversation,
                    "call": call_target(request, thread, audit=audit)}


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request, conversation_id):
    """Permission: a participant of the conversation (404 for anyone else). POST sends a
    message; viewing marks the conversation read (the participant's receipt) first, so
    the page's own badge is already without it."""
    _guard(request)
    conversation = selectors.conversation_for(request, conversation_id)
    if request.method == "POST":
        try:
            actions.send_message(conversation=conversation, acting_user=request.user,
                                 body=request.POST.get("body", ""),
                                 uploads=request.FILES.getlist("files"))
        except actions.Refused as error:
            _refused(request, error)
            response = _conversation_page(request, conversation, request.POST.get("body", ""))
            response.status_code = error.status
            return response
        return redirect(actions.conversation_url(conversation))
    return _conversation_page(request, conversation, "")


def _conversation_page(request, conversation, body):
    # Read before the page is drawn: its navigation badge no longer counts this one.
    actions.mark_read(conversation=conversation, acting_user=request.user)
    before = request.GET.get("before")
    thread, context = _thread_context(request, conversation,
                                      int(before) if before and before.isdigit() else None)
    response = render(request, "discussions/conversation.html", {
        **context, "body": body, "token": _token(conversation),
        "max_length": actions.text.MAX_LENGTH})
    return response


AUDIT_EVERY = 600  # seconds: one VIEW entry per conversation and session in this time
_AUDITED = "discussions_audited"


def _audit_due(request, conversation) -> bool:
    """A participant reading a conversation sees other people's personal data, so it is
    audited (VIEW, the other participants as the people shown, and the phone number
    when the call link shows it) — once per conversation and session every AUDIT_EVERY
    seconds: the open page's 4-second polls and the page reloaded after each message
    sent would otherwise write entries each time and bury the log; an entry still says
    who read whose conversation, and when to within minutes (docs/discussions.md)."""
    now = int(timezone.now().timestamp())
    audited = {k: v for k, v in request.session.get(_AUDITED, {}).items()
               if 0 <= now - v < AUDIT_EVERY}
    due = str(conversation.pk) not in audited
    if due:
        audited[str(conversation.pk)] = now
    if audited != request.session.get(_AUDITED):
        request.session[_AUDITED] = audited
    return due


class _PersonRef:
    def __init__(self, pk):
        self.pk = pk


def _token(conversation) -> str:
    return f"{conversation.changed_at.timestamp()}:{conversation.last_message_id}"


@login_required
@require_GET
def poll(request, conversation_id):
    """Permission: a participant. JSON: nothing if the conversation is unchanged since
    the client's token, else its messages' HTML; the unread count either way."""
    _guard(request)
    conversation = selectors.conversation_for(request, conversation_id)
    if request.GET.get("v") == _token(conversation):
        return JsonResponse({"changed": False})
    if actions.mark_read(conversation=conversation, acting_user=request.user):
        conversation.refresh_from_db(fields=["changed_at"])
    thread, context = _thread_context(request, conversation)
    return JsonResponse({
        "changed": True, "token": _token(conversation),
        "unread": selectors.unread_count(request.user, request.union),
        "html": render_to_string("discussions/_messages.html", context, request=request)})


@login_required
@require_POST
def called(request, conversation_id):
    """Permission: a participant. Notes "called" in the conversation (the user confirmed
    they called from the conversation's call link)."""
    _guard(request)
    conversation = selectors.conversation_for(request, conversation_id)
    try:
        actions.note_call(conversation=conversation, acting_user=request.user)
    except actions.Refused as error:
        _refused(request, error)
    return redirect(actions.conversation_url(conversation))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, conversation_id, message_id):
    """Permission: the message's sender, within the edit window."""
    _guard(request)
    conversation = selectors.conversation_for(request, conversation_id)
    message = selectors.message_for(conversation, message_id)
    if message.sender_id != request.user.pk or message.deleted_at is not None:
        raise PermissionDenied
    body = message.body
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            actions.edit_message(message=message, acting_user=request.user, body=body)
            return redirect(actions.conversation_url(conversation) + f"#message-{message.pk}")
        except actions.Refused as error:
            _refused(request, error)
    return render(request, "discussions/edit.html", {
        "conversation": conversation, "message": message, "body": body,
        "max_length": actions.text.MAX_LENGTH},
        status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def delete(request, conversation_id, message_id):
    """Permission: the message's sender. Deletes it for everyone; a marker stays."""
    _guard(request)
    conversation = selectors.conversation_for(request, conversation_id)
    message = selectors.message_for(conversation, message_id)
    actions.delete_message(message=message, acting_user=request.user)
    return redirect(actions.conversation_url(conversation) + f"#message-{message.pk}")


@login_required
@require_GET
def attachment(request, conversation_id, attachment_id):
    """Permission: a participant of the file's conversation. Served with its checked
    type, as a download unless it is an image, never sniffed, never cached."""
    _guard(request)
    conversation = selectors.conversation_for(request, conversation_id)
    file = selectors.attachment_for(conversation, attachment_id)
    record(actor=request.user, union=request.union, action=AuditAction.VIEW,
           target=f"conversation:{conversation.pk}:file:{file.pk}", fields=["attachment"])
    response = FileResponse(io.BytesIO(bytes(file.data)), content_type=file.content_type,
                            as_attachment=not file.is_image, filename=file.name)
    response["Content-Length"] = str(file.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def search(request):
    """Permission: signed in with a role here; finds only messages of the account's own
    conversations (filtered inside the engine)."""
    _guard(request)
    query = request.GET.get("q", "").strip()[:200]
    person = request.GET.get("person", "")
    workplace = request.GET.get("workplace", "")
    person_id = int(person) if person.isdigit() and len(person) < 19 else None
    workplace_id = int(workplace) if workplace.isdigit() and len(workplace) < 19 else None
    results = search_messages(user=request.user, union=request.union, query=query,
                              person_id=person_id, workplace_id=workplace_id)
    people, workplaces = search_choices(request)
    return render(request, "discussions/search.html", {
        "query": query, "results": results, "people": people, "workplaces": workplaces,
        "person_id": person_id, "workplace_id": workplace_id,
        "searched": bool(query or person_id or workplace_id)})
