"""The signed unsubscribe page (RFC 8058 one-click POST included)."""

from __future__ import annotations

from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.people.models import Person

from .actions import unsubscribe_person
from .email import read_unsubscribe_token


@csrf_exempt  # mail clients POST "List-Unsubscribe=One-Click" without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Permission: whoever holds the signed link from a bulletin email (no sign-in).

    GET only asks for confirmation (link scanners must not unsubscribe anyone); POST
    unsubscribes. The page shows no personal data, so it writes no view audit entry;
    the change itself is audited by the action."""
    try:
        union_id, person_id, delivery_id = read_unsubscribe_token(token)
    except signing.BadSignature as error:
        raise Http404 from error
    if request.union is None or request.union.pk != union_id:
        raise Http404
    person = Person.objects.for_union(request.union).filter(pk=person_id).first()
    if person is None:
        raise Http404
    done = False
    if request.method == "POST":
        unsubscribe_person(person=person, delivery_id=delivery_id)
        done = True
    return render(request, "messaging/unsubscribe.html", {"done": done})
