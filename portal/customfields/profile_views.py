"""The member's own custom fields on the front end (those marked "the person sees" or
"the person edits")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.audit.log import AuditAction, record
from portal.people.selectors import NoProfile, own_person

from . import actions, selectors
from .forms import ValuesForm


@login_required
@require_http_methods(["GET", "POST"])
def own_values(request):
    """Permission: signed in, with a profile in this union; sees the fields the union
    shows to the person and edits those it lets the person edit."""
    person = own_person(request)
    if person is None:
        raise NoProfile
    fields = [f for f in selectors.fields_of(request.union) if f.person_sees]
    editable = [f for f in fields if f.person_edits]
    form = ValuesForm(request.POST or None, fields=fields, editable=editable,
                      stored=selectors.values_of(person))
    if request.method == "POST" and editable and form.is_valid():
        actions.set_values(person=person, acting_user=request.user,
                           values=form.editable_values(), editable=editable)
        messages.success(request, _("Your details were saved."))
        return redirect("customfields_own:edit")
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           fields=[f"custom:{f.key}" for f in fields], target=request.path)
    return render(request, "customfields/own.html", {"form": form, "editable": editable,
                                                     "fields": fields})
