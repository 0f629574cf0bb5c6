"""The member's notification preferences, the unsubscribe link of notification emails,
a system message's page (the activity item's deep link) and closing its banner."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from portal.audit.log import AuditAction, record
from portal.people.models import Person
from portal.people.selectors import NoProfile, own_person

from . import actions
from .email import read_unsubscribe_token
from .forms import PreferencesForm
from .kinds import label
from .selectors import message_for_viewer, preferences_of


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Permission: signed in with a profile in this union; only their own preferences."""
    person = own_person(request)
    if person is None:
        raise NoProfile
    form = PreferencesForm(request.POST or None, preferences=preferences_of(person))
    if request.method == "POST" and form.is_valid():
        actions.set_preferences(person=person, choices=form.cleaned_data,
                                acting_user=request.user)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           fields=["notification_preferences"], target=request.path)
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # mail clients POST "List-Unsubscribe=One-Click" without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Permission: whoever holds the signed link from a notification email (no sign-in).

    GET only asks (link scanners must not unsubscribe anyone); POST unsubscribes. The
    page shows no personal data; the change is audited by the action."""
    try:
        union_id, person_id, kind = read_unsubscribe_token(token)
    except signing.BadSignature as error:
        raise Http404 from error
    if request.union is None or request.union.pk != union_id:
        raise Http404
    person = Person.objects.for_union(request.union).filter(pk=person_id).first()
    if person is None:
        raise Http404
    what = _("Daily digest") if kind == actions.DIGEST else label(kind)
    done = False
    if request.method == "POST":
        actions.unsubscribe(person=person, kind=kind)
        done = True
    return render(request, "notifications/unsubscribe.html", {"done": done, "what": what})


@login_required
def system_message(request, pk: int):
    """Permission: signed in here with a role the message is for (the union's own
    messages and the platform's); others get 404."""
    message = message_for_viewer(request, pk)
    if message is None:
        raise Http404
    title, body = message.text_in(get_language())
    return render(request, "notifications/system_message.html",
                  {"message": message, "title": title, "body": body})


@login_required
@require_POST
def dismiss(request, pk: int):
    """Permission: signed in here with a role the message is for; closes the banner for
    themself only."""
    message = message_for_viewer(request, pk)
    if message is None:
        raise Http404
    actions.dismiss(message=message, acting_user=request.user)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "/"
    return redirect(back)
