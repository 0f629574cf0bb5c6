"""The people admin (issue 15, item 1): the union's people in the Wagtail admin.

Permission for every view: union staff and admins (`is_union_staff`), on their own
union's hostname; a person of another union is a 404 (every lookup is scoped to the
union). Views that show a person's data are audited and sent `private, no-store`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from portal.adminpanel.views import _PanelView, is_union_staff, managed_union
from portal.audit.log import AuditAction, record, record_many
from portal.people import actions as people_actions
from portal.people.models import MembershipStatus, Person
from portal.stepup.decorators import resumed_post
from portal.union.ids import posted_id, posted_ids

from . import selectors
from .filters import FILTER_KEYS, PeopleFilterForm
from .forms import BulkForm, PersonForm, SaveFilterForm
from .integrations import SECTIONS, offered
from .models import SavedFilter

NO_STORE = "private, no-store"
# What the audit entries say was shown: the list's columns, the person page's sections.
LISTED_FIELDS = ("name", "member_number", "membership_status", "branch", "employments",
                 "positions")
SHOWN_FIELDS = ("basic info", "membership", "life events", "employments", "positions",
                "trainings", "groups", "custom fields", "history")


def staff_union(request):
    if not is_union_staff(request):
        raise PermissionDenied
    return managed_union(request)


def _person_or_404(union, pk: int) -> Person:
    try:
        return selectors.person_of(union, pk)
    except Person.DoesNotExist as error:
        raise Http404 from error


def filter_query(data: QueryDict) -> str:
    """The filters of a query string, as a query string (no page): what a saved filter
    keeps and the bulk actions apply."""
    kept = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        value = data.get(key, "")
        if value:
            kept[key] = value[:200]
    return kept.urlencode()


def group_choices(union):
    if offered("groups.actions", "add_members") is None:
        return None
    choices = offered("groups.selectors", "group_choices")
    return list(choices(union=union)) if choices else None


class _ContactsView(_PanelView):
    allowed = staticmethod(is_union_staff)
    form_class = forms.Form
    header_icon = "group"

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return [*items[:-1], {"url": reverse("contacts:list"), "label": _("People")}, items[-1]]

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["Cache-Control"] = NO_STORE
        return response


class PeopleListView(_ContactsView):
    """Permission: union staff and admins. The union's people: search (the main search
    engine, typos forgiven on Elasticsearch), filters, sort, 50 a page, saved filters
    and bulk actions. Audited (the people listed)."""

    template_name = "contacts/list.html"
    page_title = gettext_lazy("People")
    http_method_names = ["get"]

    def get_breadcrumbs_items(self):
        return _PanelView.get_breadcrumbs_items(self)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET
        saved = None
        if posted_id(data.get("saved")):
            saved = SavedFilter.objects.for_union(self.union).filter(
                user=self.request.user, pk=posted_id(data["saved"])).first()
            if saved is not None:
                data = QueryDict(saved.query)
        filters = PeopleFilterForm(data, union=self.union, request=self.request)
        values = filters.values
        # Back from the second step of an export: the bulk form as it was sent.
        resumed = resumed_post(self.request, reverse("contacts:bulk"))
        if resumed is not None:
            messages.info(self.request, _("Your selection is kept. Send it again to export."))
        page = selectors.people_page(user=self.request.user, union=self.union, values=values,
                                     sort=filters.sort_key(), number=values.get("page") or 1)
        record_many(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                    people=page.people, target="contacts:list", fields=LISTED_FIELDS)
        query = filter_query(data)
        context.update(
            filters=filters, page=page, query=query, sort=filters.sort_key(),
            saved_filters=list(SavedFilter.objects.for_union(self.union)
                               .filter(user=self.request.user).only("pk", "name")),
            opened=saved, chosen=filters.chosen,
            person_url=reverse("contacts:list"),  # + "<pk>/": one reverse, not one a row
            # The filter's group choices, read once (both forms offer the same groups).
            resumed_ids={str(pk) for pk in posted_ids(resumed.getlist("ids"))}
            if resumed else set(),
            resumed_all=bool(resumed) and resumed.get("selection") == "all",
            bulk=BulkForm(initial={"filters": query, **({
                key: resumed.get(key) for key in ("action", "status", "group")
                if resumed.get(key)} if resumed else {})}, group_choices=(
                filters.fields["group"].choices[1:] if "group" in filters.fields
                and offered("groups.actions", "add_members") else None)),
            save_form=SaveFilterForm(initial={"query": query}),
            filter_errors=[f"{filters.fields[name].label}: {error}" if name in filters.fields
                           else error for name, errors in filters.errors.items()
                           for error in errors],
        )
        return context


class PersonView(_ContactsView):
    """Permission: union staff and admins. One person of the union with every section
    (the contract's order: basic info, membership, life events, employments, positions
    of trust and trainings, groups, custom fields, history, consents). Audited."""

    template_name = "contacts/person.html"
    http_method_names = ["get"]

    def dispatch(self, request, *args, **kwargs):
        self.person = _person_or_404(staff_union(request), kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.person.full_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.person
        record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
               person=person, target="contacts:person", fields=SHOWN_FIELDS)
        sections: dict[str, list] = {}
        apps = set()
        for after, app in SECTIONS:
            section = offered(f"{app}.selectors", "person_section")
            found = section(request=self.request, person=person) if section else None
            if found is not None:
                # Rendered with the app's own context (its template escapes its data).
                sections.setdefault(after, []).append(render_to_string(
                    f"{app}/person_section.html", {**found, "person": person},
                    request=self.request))
                apps.add(app)
        context.update(
            person=person, employments=selectors.employments_of(person),
            own_positions="officials" not in apps,
            history=selectors.history_of(person), sections=sections, today=selectors.today(),
            locked=_locked(self.union),
            # Buttons of apps above this one (e.g. erasure), through a Wagtail hook:
            # fn(request, person) -> (label, url) or (label, url, destructive) or None.
            more_actions=[found for hook in hooks.get_hooks("register_person_admin_action")
                          if (found := hook(self.request, person))],
        )
        if context["own_positions"]:
            context.update(positions=selectors.positions_of(person),
                           trainings=selectors.trainings_of(person))
        return context


def _locked(union):
    from portal.people.forms import register_owned

    return register_owned(union, "people")


class PersonEditView(_ContactsView):
    """Permission: union staff and admins. Edit a person's basic info and membership
    (people.actions.update_person, audited); register-owned fields read-only while
    the register flows one way."""

    template_name = "contacts/edit.html"
    form_class = PersonForm

    def dispatch(self, request, *args, **kwargs):
        self.person = _person_or_404(staff_union(request), kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Edit %(name)s") % {"name": self.person.full_name}

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        items.insert(-1, {"url": reverse("contacts:person", args=[self.person.pk]),
                          "label": self.person.full_name})
        return items

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.person, union=self.union)
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # The form edits a copy: the person is saved only through the action.
        form.instance = Person.objects.get(pk=self.person.pk)
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
               person=self.person, target="contacts:edit", fields=("basic info", "membership"))
        form = context["form"]
        branch_id = form["branch"].value()
        branch = self.person.branch if str(branch_id) == str(self.person.branch_id) else (
            form.cleaned_data.get("branch") if hasattr(form, "cleaned_data") else None)
        context.update(person=self.person, chosen_branch=branch)
        return context

    def form_valid(self, form):
        try:
            changed = people_actions.update_person(
                person=self.person, acting_user=self.request.user,
                values=form.changed_values())
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if changed:
            messages.success(self.request, _("The changes are saved."))
        else:
            messages.info(self.request, _("Nothing was changed."))
        return redirect("contacts:person", self.person.pk)


class PersonCreateView(_ContactsView):
    """Permission: union staff and admins. Add a person by hand: basic info and
    membership (people.actions.add_person, audited); register-owned fields read-only
    while the register flows one way (the register brings them)."""

    template_name = "contacts/edit.html"
    form_class = PersonForm
    page_title = gettext_lazy("New person")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(union=self.union, initial={
            "membership_status": MembershipStatus.ACTIVE,
            "preferred_language": self.union.default_language})
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(person=None, chosen_branch=form.cleaned_data.get("branch")
                       if hasattr(form, "cleaned_data") else None)
        return context

    def form_valid(self, form):
        values = {name: value for name, value in form.cleaned_data.items()
                  if name not in form.locked}
        try:
            person = people_actions.add_person(union=self.union, acting_user=self.request.user,
                                               values=values)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is added.") % {"name": person.full_name})
        return redirect("contacts:person", person.pk)
