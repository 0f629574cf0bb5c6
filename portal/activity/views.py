from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal.audit.log import AuditAction, record
from portal.people.selectors import NoProfile, own_person
from portal.union.features import require_feature
from portal.union.models import UnionFeature

from .actions import mark_read
from .selectors import timeline_for

TIMELINE_FIELDS = ("activity", "positions", "membership_valid_until", "joined_on")


@login_required
@require_http_methods(["GET", "POST"])
def timeline(request):
    """Permission: signed in with a profile in this union; shows only their own timeline.

    Items shown unread are marked read after this page renders them (POST marks all)."""
    require_feature(request, UnionFeature.ACTIVITY)
    person = own_person(request)
    if person is None:
        raise NoProfile
    if request.method == "POST":
        mark_read(person=person, acting_user=request.user)
        return redirect("activity:timeline")
    items = timeline_for(person)
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           fields=TIMELINE_FIELDS, target=request.path)
    response = render(request, "activity/timeline.html", {
        "person": person,
        "upcoming": [i for i in items if i.upcoming],
        "past": [i for i in items if not i.upcoming],
    })
    unread = [i.pk for i in items if i.unread and i.pk is not None]
    if unread:
        mark_read(person=person, acting_user=request.user, ids=unread)
    return response
