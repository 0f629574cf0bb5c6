"""Appointing officials (U-3.12.8) on a union's branch, employer and workplace pages, and
a person's trainings, in the Wagtail admin.

Staff and admins of the union only, on their own union's hostname (`is_union_staff`).
Pages, positions and people are looked up through `for_union()`: another union's ids
are 404s. Writes go through `portal.people.actions`, which audit them and keep the
officials' page rights (grants) in step; the lists are audited as shown."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.adminpanel.confirm import confirmation
from portal.adminpanel.links import person_admin_url
from portal.adminpanel.views import _PanelView, is_union_staff, managed_union
from portal.audit.log import AuditAction, record, record_many
from portal.people import actions as people_actions
from portal.people.models import Person
from portal.people.selectors import holders_on
from portal.stepup.decorators import SecondStepRequiredMixin, resumed_post

from .forms import AppointForm, TermForm, TrainingForm
from .selectors import (
    PAST_SHOWN,
    officials_of,
    position_on_page,
    scope_kind_of,
    scope_page,
    trainings_of,
)


class _StaffView(_PanelView):
    allowed = staticmethod(is_union_staff)
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        # The objects of the URL are looked up for staff only (the others get the
        # panel's 403 from super()); none of another union's exists here.
        if self.allowed(request):
            self.load(managed_union(request), **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, union, **kwargs) -> None:
        raise NotImplementedError


class _PageView(SecondStepRequiredMixin, _StaffView):
    """A view of one branch, employer or workplace page of the union (`page_id`).
    Appointing, re-terming, ending and cancelling (POST) need a fresh second step
    (portal/stepup); looking does not."""

    second_step_methods = ("POST",)
    # What was typed survives the step: the form comes back filled in (portal/stepup).
    second_step_keeps_post = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            resumed = resumed_post(self.request)
            if resumed is not None:
                kwargs["data"] = resumed
                messages.info(self.request, _("What you entered is filled in again. "
                                              "Check it and send it again."))
        return kwargs

    def load(self, union, **kwargs) -> None:
        self.page = scope_page(union, kwargs["page_id"])
        if self.page is None:
            raise Http404

    def page_url(self) -> str:
        return reverse("officials:page", args=[self.page.pk])

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        page_item = {"url": reverse("wagtailadmin_explore", args=[self.page.pk]),
                     "label": self.page.title}
        return [*items[:-1], page_item, items[-1]]


class OfficialsView(_PageView):
    """Permission: union staff and admins. The page's current and past officials with
    their terms, and appointing a person of the union, found by name, to a position the
    page's kind allows. `?person=<id>` (from the person page) chooses the person."""

    template_name = "officials/page.html"
    form_class = AppointForm
    page_title = gettext_lazy("Officials")

    def get_initial(self):
        return {"person": self.request.GET.get("person", ""),
                "starts_on": timezone.localdate()}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(people=Person.objects.for_union(self.union).living(),
                      search_url=reverse("adminpanel:people_search"),
                      scope_kind=scope_kind_of(self.page))
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        person, start = data["person"], data["starts_on"]
        # The others holding it that day (the person themself: the action refuses).
        holders = [held for held in holders_on(union=self.union, scope_page=self.page,
                                               kind=data["kind"], day=start)
                   if held.person_id != person.pk]
        handover = self.request.POST.get("handover")
        if (data["kind"] in people_actions.SINGLE_HOLDER_KINDS and holders
                and handover not in ("end", "both")):
            # Held by one person at a time: ask whether the current term ends first.
            return self.render_to_response(self.get_context_data(
                form=form, holders=holders, handover_on=start - dt.timedelta(days=1)))
        appoint = (people_actions.hand_over_position if handover == "end"
                   else people_actions.appoint_position)
        try:
            appoint(person=person, kind=data["kind"], scope_page=self.page,
                    starts_on=start, ends_on=data.get("ends_on"),
                    acting_user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(person)s is appointed.")
                         % {"person": data["person"].full_name})
        return redirect(self.page_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        officials = officials_of(self.page)
        shown = officials.current + officials.past
        record_many(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                    people={p.person for p in shown}, fields=["name", "positions"],
                    target=f"officials:page:{self.page.pk}")
        def rows(positions):
            # The people admin's person page (contacts), once that app is there.
            return [{"position": p, "person_url": person_admin_url(p.person_id),
                     "upcoming": p.starts_on > officials.today} for p in positions]

        context.update(
            scope=self.page, current=rows(officials.current), past=rows(officials.past),
            past_limit=len(officials.past) >= PAST_SHOWN,
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
        )
        return context


class TermView(_PageView):
    """Permission: union staff and admins. Changes the start and end of a term of one of
    the page's positions (also an ended one, to correct its dates)."""

    template_name = "officials/term.html"
    form_class = TermForm
    page_title = gettext_lazy("Change the term")

    def load(self, union, **kwargs) -> None:
        super().load(union, **kwargs)
        self.position = position_on_page(union, self.page, kwargs["pk"])
        if self.position is None:
            raise Http404

    def get_initial(self):
        return {"starts_on": self.position.starts_on, "ends_on": self.position.ends_on}

    def form_valid(self, form):
        try:
            people_actions.change_position_term(
                position=self.position, starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data.get("ends_on"), acting_user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The term is changed."))
        return redirect(self.page_url())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "position": self.position,
                "scope": self.page, "back_url": self.page_url()}


class EndTermView(TermView):
    """Permission: union staff and admins (POST only). Ends the term yesterday, so the
    grants stop today; a term not started by then was never held and is cancelled.
    The first POST asks to confirm (adminpanel/confirm.py)."""

    http_method_names = ["post"]
    form_class = forms.Form
    second_step_keeps_post = False  # a button, nothing typed

    def form_valid(self, form):
        name = self.position.person.full_name
        asked = confirmation(
            self.request, title=_("End the term"), back=self.page_url(),
            back_label=self.page.title, button=_("End the term"),
            message=_("End the term of %(person)s as %(position)s of %(page)s? The rights "
                      "that come with it stop today.") % {
                "person": name, "position": self.position.get_kind_display(),
                "page": self.page.title})
        if asked is not None:
            return asked
        ended = people_actions.end_position(position=self.position,
                                            acting_user=self.request.user)
        if ended is None:
            messages.success(self.request, _("The appointment of %(person)s is cancelled.")
                             % {"person": name})
        else:
            messages.success(self.request, _("The term of %(person)s is ended.")
                             % {"person": name})
        return redirect(self.page_url())


class CancelAppointmentView(EndTermView):
    """Permission: union staff and admins (POST only). Deletes a mistaken appointment
    whose term has not started (one that has is ended instead, keeping its history)."""

    def form_valid(self, form):
        name = self.position.person.full_name
        try:
            people_actions.cancel_position(position=self.position, acting_user=self.request.user)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        else:
            messages.success(self.request, _("The appointment of %(person)s is cancelled.")
                             % {"person": name})
        return redirect(self.page_url())


class PersonTrainingsView(_StaffView):
    """Permission: union staff and admins. A person's union trainings, newest first, and
    adding one (`people.actions.add_training`). Viewing is audited."""

    template_name = "officials/trainings.html"
    form_class = TrainingForm
    page_title = gettext_lazy("Trainings")
    header_icon = "doc-full"

    def load(self, union, **kwargs) -> None:
        self.person = get_object_or_404(Person.objects.for_union(union), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return self.person.full_name

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return [*items[:-1], {"url": person_admin_url(self.person.pk),
                              "label": self.person.full_name}, items[-1]]

    def form_valid(self, form):
        data = form.cleaned_data
        people_actions.add_training(person=self.person, name=data["name"],
                                    provider=data.get("provider", ""),
                                    completed_on=data.get("completed_on"),
                                    acting_user=self.request.user)
        messages.success(self.request, _("The training is added."))
        return redirect("officials:person_trainings", self.person.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
               person=self.person, fields=["name", "trainings"],
               target=f"officials:person_trainings:{self.person.pk}")
        context.update(person=self.person, trainings=trainings_of(self.person),
                       person_url=person_admin_url(self.person.pk))
        return context
