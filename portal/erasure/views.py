"""Erasure in the admin (issue 17 item 4): the confirmation with the plan, the result,
and the union's retention setting. Every view states its permission; every answer is
`private, no-store`; a person or erasure of another union is a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.adminpanel.views import _PanelView, is_union_admin, is_union_staff, managed_union
from portal.audit.log import AuditAction, record
from portal.people.models import Person
from portal.stepup.decorators import SecondStepRequiredMixin

from . import actions, plan
from .forms import ConfirmErasureForm, RetentionForm
from .models import ErasureRecord, RetentionPolicy

NO_STORE = "private, no-store"
PLAN_SHOWN = ("erasure plan",)


class _Private:
    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["Cache-Control"] = NO_STORE
        return response


class ConfirmView(SecondStepRequiredMixin, _Private, _PanelView):
    """Permission: union staff and admins, for a person of their union they may erase
    (actions.check_allowed: not themself; a staff or admin account only by an admin).
    GET shows what will be erased and what anonymised (audited as a view); POST needs a
    fresh second step (or the password where it is not enforced) and the typed name or
    member number, then erases."""

    template_name = "erasure/confirm.html"
    form_class = ConfirmErasureForm
    allowed = staticmethod(is_union_staff)
    second_step_methods = ("POST",)
    header_icon = "bin"

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request):
            raise PermissionDenied
        union = managed_union(request)
        self.person = get_object_or_404(
            Person.objects.for_union(union).select_related("union", "user"),
            pk=kwargs["pk"], anonymised_at__isnull=True)
        actions.check_allowed(person=self.person, acting_user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Erase %(name)s") % {"name": self.person.full_name}

    def get_breadcrumbs_items(self):
        items = [*_PanelView.get_breadcrumbs_items(self)]
        items.insert(-1, {"url": reverse("contacts:person", args=[self.person.pk]),
                          "label": self.person.full_name})
        return items

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person, "user": self.request.user,
                "request": self.request}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET":
            record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
                   person=self.person, target="erasure:confirm", fields=PLAN_SHOWN)
        context.update(person=self.person, plan=plan.build(self.person),
                       person_url=reverse("contacts:person", args=[self.person.pk]))
        return context

    def form_valid(self, form):
        done = actions.erase_person(person=self.person, acting_user=self.request.user)
        messages.success(self.request, _("The person's data was erased."))
        return redirect("erasure:done", pk=done.pk)


class DoneView(_Private, _PanelView):
    """Permission: union staff and admins; an erasure of their union. What was erased
    and anonymised (counts and the pseudonym: the person is no longer named anywhere)."""

    template_name = "erasure/done.html"
    form_class = forms.Form
    allowed = staticmethod(is_union_staff)
    http_method_names = ["get"]
    header_icon = "bin"
    page_title = gettext_lazy("Erasure done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        erasure = get_object_or_404(ErasureRecord.objects.for_union(self.union),
                                    pk=self.kwargs["pk"])
        context.update(erasure=erasure,
                       erased=sum(c["erased"] for c in erasure.counts),
                       anonymised=sum(c["anonymised"] for c in erasure.counts))
        return context


class RetentionView(_Private, _PanelView):
    """Permission: union admins. The union's retention period after membership, and
    how many former members the next daily run would anonymise. Changes are audited."""

    template_name = "erasure/retention.html"
    form_class = RetentionForm
    allowed = staticmethod(is_union_admin)
    page_title = gettext_lazy("Retention of former members' data")
    header_icon = "time"

    def get_form_kwargs(self):
        policy = RetentionPolicy.objects.filter(union=self.union).first()
        return {**super().get_form_kwargs(),
                "instance": policy or RetentionPolicy(union=self.union)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["due"] = actions.due_for_retention(self.union).count()
        return context

    def form_valid(self, form):
        actions.set_retention(union=self.union, enabled=form.cleaned_data["enabled"],
                              years=form.cleaned_data["years_after_membership_end"],
                              acting_user=self.request.user)
        messages.success(self.request, _("The retention setting was saved."))
        return redirect("erasure:retention")
