"""The life-events screens in the union admin: one person's statuses, links, spellings
and death; the weekly list of milestone birthdays. Staff and admins of the union only;
people of another union are 404s (every lookup is scoped to the union)."""

from __future__ import annotations

import datetime as dt

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.access.roles import is_admin
from portal.adminpanel.links import person_admin_url
from portal.adminpanel.views import _PanelView, is_union_staff, managed_union
from portal.audit.log import AuditAction, record, record_many
from portal.people.models import Person
from portal.union.models import UnionSettings

from . import actions
from .forms import (
    AlternativeNameForm,
    BranchFilterForm,
    DeceasedForm,
    LinkForm,
    ReminderForm,
    StatusForm,
)
from .models import HouseholdLink, TemporaryStatus
from .selectors import (
    life_events_of,
    milestone_birthdays,
    reminders_enabled,
    week_start,
)

_DAY = dt.timedelta(days=1)
_WEEK = dt.timedelta(days=7)
LIFE_EVENT_FIELDS = ["name", "birth_date", "alternative_name", "temporary_status", "household",
                     "deceased_on"]


class _StaffView(_PanelView):
    """The admin panel's base view for the union's staff; every page here shows
    personal data, so none is stored by a cache."""

    allowed = staticmethod(is_union_staff)
    form_class = django_forms.Form
    header_icon = "user"

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


class PersonView(_StaffView):
    """Permission: union staff and admins, for people of their union. Shows and changes
    one person's temporary statuses, couple/household links, alternative spellings, and
    marks them deceased (with a confirmation). Audited; sent private, no-store."""

    template_name = "lifeevents/person.html"
    page_title = gettext_lazy("Life events")

    def dispatch(self, request, *args, **kwargs):
        if not is_union_staff(request):
            raise PermissionDenied
        self.person = get_object_or_404(
            Person.objects.for_union(managed_union(request)).select_related("branch", "union"),
            pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.person.full_name

    def get_page_title(self):
        return f"{_('Life events')}: {self.person.full_name}"

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        data = life_events_of(person=self.person)
        record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
               person=self.person, target=self.request.path, fields=LIFE_EVENT_FIELDS)
        record_many(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                    people=[row["person"] for row in data["links"]], fields=["name"],
                    target=self.request.path)
        forms = forms or {}
        register_owned = UnionSettings.for_union(self.union).register_one_way("people")
        context.update(data)
        context.update(
            status_form=forms.get("status") or StatusForm(prefix="status"),
            link_form=forms.get("link") or LinkForm(prefix="link", union=self.union,
                                                    person=self.person),
            name_form=forms.get("name") or AlternativeNameForm(
                prefix="name", initial={"alternative_name": self.person.alternative_name}),
            deceased_form=forms.get("deceased") or DeceasedForm(prefix="deceased"),
            name_read_only=register_owned,
            person_url=person_admin_url(self.person.pk),
        )
        return context

    def post(self, request, *args, **kwargs):
        op = request.POST.get("op", "")
        handler = getattr(self, f"_post_{op}", None) if op.isidentifier() else None
        if handler is None:
            raise Http404
        try:
            form = handler(request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("lifeevents:person", self.person.pk)
        if form is not None:  # invalid: shown again with its errors
            messages.error(request, _("Please correct the errors below."))
            context = self.get_context_data(forms={op: form})
            response = self.render_to_response(context)
            response.status_code = 400
            return response
        return redirect("lifeevents:person", self.person.pk)

    def _post_status(self, request):
        form = StatusForm(request.POST, prefix="status")
        if not form.is_valid():
            return form
        actions.add_status(person=self.person, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The status is added."))
        return None

    def _post_end_status(self, request):
        status = get_object_or_404(TemporaryStatus.objects.for_union(self.union),
                                   person=self.person, pk=request.POST.get("status"))
        if actions.end_status(status=status, acting_user=request.user):
            messages.success(request, _("The status is ended."))
        return None

    def _post_link(self, request):
        form = LinkForm(request.POST, prefix="link", union=self.union, person=self.person)
        if not form.is_valid():
            return form
        actions.link_people(person=self.person, other=form.other,
                            kind=form.cleaned_data["kind"], acting_user=request.user)
        messages.success(request, _("The people are linked."))
        return None

    def _post_unlink(self, request):
        link = get_object_or_404(HouseholdLink.objects.for_union(self.union),
                                 pk=request.POST.get("link"))
        if self.person.pk not in (link.person_a_id, link.person_b_id):
            raise Http404
        actions.unlink_people(link=link, acting_user=request.user)
        messages.success(request, _("The link is removed."))
        return None

    def _post_name(self, request):
        form = AlternativeNameForm(request.POST, prefix="name")
        if not form.is_valid():
            return form
        if actions.set_alternative_name(person=self.person, acting_user=request.user,
                                        value=form.cleaned_data["alternative_name"]):
            messages.success(request, _("The alternative spellings are saved."))
        return None

    def _post_deceased(self, request):
        form = DeceasedForm(request.POST, prefix="deceased")
        if not form.is_valid():
            return form
        actions.mark_deceased(person=self.person, acting_user=request.user,
                              deceased_on=form.cleaned_data["deceased_on"])
        messages.success(request, _("The person is marked deceased. They get no more mail "
                                    "or messages and are no longer shown in lists."))
        return None

    def _post_undo_deceased(self, request):
        actions.clear_deceased(person=self.person, acting_user=request.user)
        messages.success(request, _("The marking is removed. The account stays deactivated "
                                    "until an admin activates it."))
        return None


class BirthdaysView(_StaffView):
    """Permission: union staff and admins. The union's members who turn 50, 60, 70…
    this week and next, filterable by branch; admins switch the branch chairs' weekly
    reminders on or off (POST). Audited (the people listed); sent private, no-store."""

    template_name = "lifeevents/birthdays.html"
    page_title = gettext_lazy("Milestone birthdays")
    header_icon = "date"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = BranchFilterForm(self.request.GET or None, union=self.union)
        branch = form.cleaned_data.get("branch") if form.is_valid() else None
        start = week_start()
        found = milestone_birthdays(self.union, start=start, branch=branch)
        record_many(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                    people=found, fields=["name", "birth_date", "branch"],
                    target=self.request.path)
        next_week = start + _WEEK
        weeks = [
            {"label": _("This week"), "start": start, "end": next_week - _DAY,
             "rows": [b for b in found if b.on < next_week]},
            {"label": _("Next week"), "start": next_week, "end": next_week + _WEEK - _DAY,
             "rows": [b for b in found if b.on >= next_week]},
        ]
        for week in weeks:
            for row in week["rows"]:
                row.person.url = person_admin_url(row.person.pk)
                row.person.events_url = reverse("lifeevents:person", args=[row.person.pk])
        context.update(
            form=form, weeks=weeks, is_admin=is_admin(self.request.user, self.union),
            reminder_form=ReminderForm(
                initial={"chair_birthday_reminders": reminders_enabled(self.union)}),
            reminders_on=reminders_enabled(self.union),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not is_admin(request.user, self.union):
            raise PermissionDenied
        form = ReminderForm(request.POST)
        form.is_valid()  # a checkbox: always valid
        enabled = bool(form.cleaned_data.get("chair_birthday_reminders"))
        actions.set_reminders(union=self.union, enabled=enabled, acting_user=request.user)
        messages.success(request, _("Branch chairs are reminded of milestone birthdays.")
                         if enabled else _("Branch chairs are not reminded."))
        return redirect("lifeevents:birthdays")
