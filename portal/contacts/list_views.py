"""The people list's actions (staff): bulk status, group and export on the selection,
the choosers' JSON, saved filters. Split from views.py; same permission helpers."""

from __future__ import annotations

from collections import namedtuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.adminpanel.confirm import confirmation
from portal.audit.log import AuditAction, record_many
from portal.people import actions as people_actions
from portal.people.models import MembershipStatus, Person
from portal.stepup.decorators import step_is_fresh, stepup_redirect
from portal.union.ids import posted_id, posted_ids
from search.choosers import find_organisations

from . import actions, export, selectors
from .filters import PeopleFilterForm
from .forms import BulkForm, SaveFilterForm
from .integrations import offered
from .models import SavedFilter
from .views import NO_STORE, filter_query, group_choices, staff_union

_Id = namedtuple("_Id", "pk")


def _selected(request, union, form: BulkForm):
    if form.cleaned_data["selection"] == "all":
        filters = PeopleFilterForm(QueryDict(form.cleaned_data["filters"]), union=union)
        people, _match = selectors.filtered_people(user=request.user, union=union,
                                                   values=filters.values)
        return people
    return Person.objects.for_union(union).filter(pk__in=form.ids)


@require_POST
def bulk(request):
    """Permission: union staff and admins. An action on the list's selection (ticked
    people, or every match of the filters): change the membership status, add to a
    group, export to Excel or CSV. Every action and export is audited."""
    union = staff_union(request)
    ids = posted_ids(request.POST.getlist("ids"))[:10_000]
    form = BulkForm(request.POST, ids=ids, group_choices=group_choices(union))
    back = reverse("contacts:list") + "?" + filter_query(QueryDict(request.POST.get("filters", "")))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    action = form.cleaned_data["action"]
    if action in (BulkForm.XLSX, BulkForm.CSV) and not step_is_fresh(request):
        # An export of people needs the second step (portal/stepup); the selection is
        # kept and the list shows it again, ticked, to be sent once more.
        return stepup_redirect(request, back, keep_post=True)
    people = _selected(request, union, form)
    if (action == BulkForm.STATUS and form.cleaned_data["selection"] == "all"
            and not request.POST.get("confirmed")):
        # Every match may be the whole union: say how many and to what before changing.
        status = dict(MembershipStatus.choices)[form.cleaned_data["status"]]
        response = render(request, "contacts/bulk_confirm.html", {
            "page_title": _("Change membership status"), "header_icon": "group",
            "breadcrumbs_items": [{"url": back, "label": _("People")},
                                  {"url": "", "label": _("Change membership status")}],
            "count": people.count(), "status": status, "back": back,
            "posted": [(name, value) for name, values in request.POST.lists()
                       if name not in ("csrfmiddlewaretoken", "confirmed")
                       for value in values]})
        response["Cache-Control"] = NO_STORE
        return response
    try:
        if action == BulkForm.STATUS:
            count = people_actions.set_membership_status(
                people=people, status=form.cleaned_data["status"], acting_user=request.user)
            messages.success(request, _("Membership status changed for %(count)s people.")
                             % {"count": count})
        elif action == BulkForm.GROUP:
            group = offered("groups.selectors", "group_of")(union, form.cleaned_data["group"])
            # The action audits each person it adds (and logs them in the group's log).
            count = offered("groups.actions", "add_members")(
                group=group, people=people, acting_user=request.user)
            messages.success(request, _("%(count)s people were added to the group.")
                             % {"count": count})
        else:
            return _export(request, union, people, action)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(back)


def _export(request, union, people, file_format: str) -> HttpResponse:
    exported = list(people.values_list("pk", flat=True))
    record_many(actor=request.user, union=union, action=AuditAction.EXPORT,
                people=[_Id(pk) for pk in exported], target=f"contacts:export.{file_format}")
    people = Person.objects.for_union(union).filter(pk__in=exported)
    if file_format == BulkForm.XLSX:
        response = HttpResponse(
            export.as_xlsx(people, union),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(export.as_csv(people, union),
                                content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{_('people')}.{file_format}")
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
def choices(request, kind: str):
    """Permission: union staff and admins. Branches, employers or workplaces of the
    union matching what was typed (the filters' and the form's choosers), as JSON;
    names of organisations only, no personal data."""
    union = staff_union(request)
    if kind not in ("branch", "employer", "workplace"):
        raise Http404
    employer = request.GET.get("employer", "")
    hits = find_organisations(user=request.user, union=union, query=request.GET.get("q", ""),
                              kind=kind, employer_id=posted_id(employer))
    # The answer of adminpanel/person-combobox.js, which the choosers reuse.
    return JsonResponse({"results": [{"id": h.object_id, "name": h.title,
                                      "detail": h.subtitle} for h in hits]})


@require_POST
def save_filter(request):
    """Permission: union staff and admins. Save the list's filters under a name, the
    user's own."""
    union = staff_union(request)
    form = SaveFilterForm(request.POST)
    query = filter_query(QueryDict(request.POST.get("query", "")))
    if not form.is_valid():
        messages.error(request, _("Give the filter a name."))
        return redirect(reverse("contacts:list") + "?" + query)
    try:
        saved = actions.save_filter(union=union, acting_user=request.user,
                                    name=form.cleaned_data["name"], query=query)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("contacts:list") + "?" + query)
    messages.success(request, _("The filter “%(name)s” is saved.") % {"name": saved.name})
    return redirect(reverse("contacts:list") + f"?saved={saved.pk}")


@require_POST
def delete_filter(request):
    """Permission: union staff and admins. Delete one of the user's own saved filters,
    asked to confirm first (adminpanel/confirm.py)."""
    union = staff_union(request)
    pk = posted_id(request.POST.get("saved"))
    saved = SavedFilter.objects.for_union(union).filter(user=request.user, pk=pk or 0).first()
    if saved is None:
        return redirect("contacts:list")
    asked = confirmation(
        request, title=_("Delete a saved filter"), back=reverse("contacts:list") +
        f"?saved={saved.pk}", back_label=_("People"), button=_("Delete"),
        message=_("Delete the saved filter “%(name)s”? The people are not touched.")
        % {"name": saved.name})
    if asked is not None:
        return asked
    if actions.delete_filter(union=union, acting_user=request.user, pk=saved.pk):
        messages.success(request, _("The saved filter is deleted."))
    return redirect("contacts:list")
