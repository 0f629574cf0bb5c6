"""Compare and merge duplicates in the admin (*Union → Duplicates*, issue 15 item 6).
Staff and admins of the union only; every lookup is scoped to the union, so another
union's ids are 404s. Every page shows people: audited and sent private, no-store."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.adminpanel.links import person_admin_url
from portal.adminpanel.views import _PanelView, is_union_staff, managed_union
from portal.audit.log import AuditAction, record, record_many
from portal.people.models import Person

from . import actions, selectors
from .forms import MergeForm
from .models import MergeRecord


class _StaffView(_PanelView):
    allowed = staticmethod(is_union_staff)
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request):
            raise PermissionDenied
        self.union = managed_union(request)
        self.load(**kwargs)
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    def load(self, **kwargs) -> None:
        pass

    def breadcrumbs(self, items):
        items.insert(-1, {"url": reverse("merging:candidates"), "label": _("Duplicates")})
        return items


class CandidatesView(_StaffView):
    """Permission: union staff and admins. Duplicate candidates, 50 pairs a page,
    searchable by name; each pair can be compared or dismissed as not a duplicate. Recent
    merges below. Audited (the people listed)."""

    template_name = "merging/candidates.html"
    form_class = forms.Form
    http_method_names = ["get"]
    page_title = gettext_lazy("Duplicates")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        page = selectors.candidates(self.union, query=query,
                                    page_number=self.request.GET.get("page", 1))
        shown = [p for pair in page.object_list for p in (pair.first, pair.second)]
        if shown:
            record_many(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                        people=shown, target="merging:candidates",
                        fields=["name", "member_number", "birth_date", "branch", "email"])
        context.update(page=page, query=query, merges=selectors.records(self.union))
        return context


class DismissView(_StaffView):
    """Permission: union staff and admins. POST: remember that two people of the union
    are not duplicates (the pair is not listed again)."""

    form_class = forms.Form
    http_method_names = ["post"]

    def load(self, pk_a, pk_b):
        people = Person.objects.for_union(self.union)
        self.a = get_object_or_404(people, pk=pk_a)
        self.b = get_object_or_404(people, pk=pk_b)

    def form_valid(self, form):
        try:
            actions.dismiss_pair(union=self.union, first=self.a, second=self.b,
                                 acting_user=self.request.user)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        else:
            messages.success(self.request, _("%(a)s and %(b)s are not listed as duplicates "
                                             "any more.") % {"a": self.a, "b": self.b})
        return redirect("merging:candidates")


class CompareView(_StaffView):
    """Permission: union staff and admins. Two people of the union side by side: their
    fields (a choice per differing field and which person is kept) and their rows.
    POST shows the merge to confirm; POST with `confirm` merges. Audited (both viewed)."""

    template_name = "merging/compare.html"
    page_title = gettext_lazy("Compare and merge")

    def load(self, pk_a, pk_b):
        people = Person.objects.for_union(self.union).select_related("branch")
        self.a = get_object_or_404(people, pk=pk_a)
        self.b = get_object_or_404(people, pk=pk_b)
        if pk_a == pk_b:  # nobody is merged with themself
            raise Http404
        self.rows, self.side_a, self.side_b = selectors.comparison(self.union, self.a, self.b)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs(super().get_breadcrumbs_items())

    def get_form(self, form_class=None):
        return MergeForm(**self.get_form_kwargs(), rows=self.rows, a=self.a, b=self.b)

    def form_valid(self, form):
        kept, removed = (self.a, self.b) if form.cleaned_data["keep"] == "a" else (self.b, self.a)
        if "confirm" not in self.request.POST:
            return self.render_to_response(self.get_context_data(
                form=form, confirming=True, kept=kept, removed=removed,
                kept_tag=selectors.tag(kept), removed_tag=selectors.tag(removed),
                taken=[(row.label, row.a if removed is self.a else row.b)
                       for row in form.rows if row.name in form.take()]))
        try:
            merge = actions.merge_people(union=self.union, kept=kept, removed=removed,
                                         take=form.take(), acting_user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(removed)s is merged into %(kept)s.")
                         % {"removed": removed, "kept": kept})
        return redirect("merging:record", merge.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record_many(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
                    people=[self.a, self.b], target="merging:compare",
                    fields=["name", "member_number", "birth_date", "branch", "email",
                            "contact", "membership", "employments", "positions"])
        form = context["form"]
        choices = {row.name: form[f"f_{row.name}"] for row in form.rows}
        context.update(a=self.side_a, b=self.side_b, sides=[self.side_a, self.side_b],
                       keep=form["keep"],
                       rows=[(row, choices.get(row.name)) for row in self.rows])
        return context


class _RecordView(_StaffView):
    def load(self, pk):
        self.merge = get_object_or_404(MergeRecord.objects.for_union(self.union)
                                       .select_related("merged_by", "undone_by"), pk=pk)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs(super().get_breadcrumbs_items())

    def audit(self):
        record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
               person=self.merge.kept_id, target=f"merging:{self.merge.pk}",
               fields=["name", "merge"])


class RecordView(_RecordView):
    """Permission: union staff and admins. One merge: who was kept and removed, the
    values taken, the rows moved, and undo (within 30 days). Audited."""

    template_name = "merging/record.html"
    form_class = forms.Form
    http_method_names = ["get"]
    page_title = gettext_lazy("Merge details")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.audit()
        merge = self.merge
        kept_exists = Person.objects.for_union(self.union).filter(pk=merge.kept_id).exists()
        restored = merge.undone_at is not None and Person.objects.for_union(
            self.union).filter(pk=merge.removed_id).exists()
        context.update(
            merge=merge, moved=selectors.moved_summary(merge), duplicates=len(merge.deleted),
            chosen=[_label(name) for name in merge.chosen],
            kept_url=person_admin_url(merge.kept_id) if kept_exists else "",
            removed_url=person_admin_url(merge.removed_id) if restored else "",
            can_undo=merge.can_be_undone())
        return context


class UndoView(_RecordView):
    """Permission: union staff and admins. GET asks to confirm; POST undoes the merge
    (refused after 30 days or once undone, with the reason). Audited."""

    template_name = "merging/undo.html"
    form_class = forms.Form
    page_title = gettext_lazy("Undo the merge")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.audit()
        context.update(merge=self.merge, can_undo=self.merge.can_be_undone())
        return context

    def form_valid(self, form):
        try:
            restored = actions.undo_merge(merge=self.merge, acting_user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The merge is undone: %(name)s is restored.")
                         % {"name": restored})
        return redirect("merging:record", self.merge.pk)


def _label(name: str) -> str:
    try:
        return str(Person._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # a field removed since the merge
        return name
