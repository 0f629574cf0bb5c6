"""Board and council of the union admin panel (U-3.16.3, .4): the members with their
terms, appointing a person found by name, ending or cancelling a term. Writes go
through `portal.people.actions`, so the grants follow the positions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.audit.log import AuditAction, record_many
from portal.people import actions as people_actions
from portal.people.models import Person, PositionKind, PositionOfTrust
from portal.stepup.decorators import SecondStepRequiredMixin
from search import engine as search_engine

from .forms import PositionForm
from .views import _PanelView, is_union_staff, managed_union

UNION_POSITIONS = (PositionKind.UNION_BOARD_MEMBER, PositionKind.UNION_COUNCIL_MEMBER)
PEOPLE_SHOWN = 10  # suggestions in the appoint form's person search


class PositionsView(SecondStepRequiredMixin, _PanelView):
    """Permission: union staff and admins. The union's board and council members with
    their terms; appointing goes through people.actions so the grants follow. Appointing
    (POST) needs a fresh second step (portal/stepup)."""

    second_step_methods = ("POST",)

    allowed = staticmethod(is_union_staff)
    template_name = "adminpanel/positions.html"
    form_class = PositionForm
    page_title = gettext_lazy("Board and council")
    header_icon = "group"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["people"] = Person.objects.for_union(self.union)
        kwargs["search_url"] = reverse("adminpanel:people_search")
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            people_actions.appoint_position(
                person=data["person"], kind=data["kind"], scope_page=self.union.root_page,
                starts_on=data["starts_on"], ends_on=data.get("ends_on"),
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The position is saved."))
        return redirect("adminpanel:positions")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        positions = list(
            PositionOfTrust.objects.for_union(self.union)
            .filter(kind__in=UNION_POSITIONS, scope_page_id=self.union.root_page_id)
            .exclude(ends_on__lt=today - dt.timedelta(days=365))
            .select_related("person")
            .order_by("kind", "person__last_name", "person__first_name")
        )
        record_many(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                    people={p.person for p in positions}, fields=["positions"],
                    target="adminpanel:positions")
        # Ended terms (of the last year) are listed apart: the board and council tables
        # show who holds or will hold a seat.
        held = [p for p in positions if p.ends_on is None or p.ends_on >= today]
        context["board"] = [p for p in held if p.kind == PositionKind.UNION_BOARD_MEMBER]
        context["council"] = [p for p in held if p.kind == PositionKind.UNION_COUNCIL_MEMBER]
        context["ended"] = sorted((p for p in positions if p not in held),
                                  key=lambda p: (p.ends_on, p.kind), reverse=True)
        context["today"] = today
        return context


def people_search(request):
    """Permission: union staff and admins. People of the union whose name matches `q`,
    as JSON for the appoint form's combobox: the main search's suggestions (Elasticsearch,
    or the database when it is off), then read again from the union's own people, so
    nothing of another union can come back. Each person listed is audited."""
    if not is_union_staff(request):
        raise PermissionDenied
    union = managed_union(request)
    groups = search_engine.autocomplete(user=request.user, union=union,
                                        query=request.GET.get("q", ""), per_group=PEOPLE_SHOWN)
    ids = [hit.object_id for group in groups if group.kind == "person" for hit in group.hits]
    found = {p.pk: p for p in Person.objects.for_union(union).filter(pk__in=ids)
             .select_related("branch").only("first_name", "last_name", "member_number",
                                             "branch__title")}
    people = [found[pk] for pk in ids if pk in found]
    record_many(actor=request.user, union=union, action=AuditAction.LIST, people=people,
                fields=["name", "member_number", "branch"], target="adminpanel:people_search")
    response = JsonResponse({"results": [
        {"id": p.pk, "name": p.full_name,
         "detail": " · ".join(x for x in (p.member_number, p.branch.title if p.branch else "")
                              if x)}
        for p in people
    ]})
    response["Cache-Control"] = "private, no-store"
    return response


class EndPositionView(SecondStepRequiredMixin, _PanelView):
    """Permission: union staff and admins, for the union's board and council positions
    (POST only, with a fresh second step). A current term ends yesterday, so the grants
    stop today; a term that has not started is cancelled (the position is deleted,
    audited)."""

    allowed = staticmethod(is_union_staff)
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        position = get_object_or_404(
            PositionOfTrust.objects.for_union(self.union).filter(kind__in=UNION_POSITIONS),
            pk=kwargs["pk"],
        )
        if position.starts_on > timezone.localdate():
            people_actions.cancel_position(position=position, acting_user=request.user)
            messages.success(request, _("The appointment is cancelled."))
        else:
            people_actions.end_position(position=position, acting_user=request.user)
            messages.success(request, _("The term is ended."))
        return redirect("adminpanel:positions")
