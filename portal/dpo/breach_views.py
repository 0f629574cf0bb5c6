"""The breach-notification worksheets (issue 17 item 6). The union's data protection
officers only (`is_union_dpo`), every lookup scoped to their union; each page answers
`private, no-store`, reading a worksheet is audited as a view and every change as an
edit naming the fields (actions.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from portal.adminpanel.views import managed_union
from portal.audit.log import AuditAction, record

from . import actions, breach
from .forms import WorksheetForm
from .models import Alert, BreachWorksheet
from .views import _DpoPanelView, _private, is_union_dpo


class WorksheetListView(_DpoPanelView):
    """Permission: the union's data protection officers only. The union's breach
    worksheets, newest first, each with its deadline. Audited as a list."""

    allowed = staticmethod(is_union_dpo)
    template_name = "dpo/worksheets.html"
    form_class = WorksheetForm
    http_method_names = ["get"]
    page_title = gettext_lazy("Breach worksheets")

    def get_form(self, form_class=None):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        worksheets = list(BreachWorksheet.objects.for_union(self.union)[:200])
        record(actor=self.request.user, union=self.union, action=AuditAction.LIST,
               target="dpo:worksheets")
        context["worksheets"] = breach.labelled(self.union, worksheets)
        return context


class _WorksheetFormView(_DpoPanelView):
    allowed = staticmethod(is_union_dpo)
    template_name = "dpo/worksheet_form.html"
    form_class = WorksheetForm
    worksheet = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "union": self.union, "instance": self.worksheet}

    def get_breadcrumbs_items(self):
        items = [*super().get_breadcrumbs_items()]
        items.insert(-1, {"url": reverse("dpo:worksheets"), "label": _("Breach worksheets")})
        return items


class WorksheetStartView(_WorksheetFormView):
    """Permission: the union's data protection officers only. A new worksheet, prefilled
    from a misuse alert of the union (`?alert=<id>`) or empty. Creating it is audited."""

    page_title = gettext_lazy("New breach worksheet")

    def dispatch(self, request, *args, **kwargs):
        self.alert = None
        alert_id = request.GET.get("alert") or request.POST.get("alert")
        if alert_id and is_union_dpo(request):
            self.alert = get_object_or_404(Alert.objects.for_union(managed_union(request))
                                           .select_related("actor"),
                                           pk=alert_id if str(alert_id).isdigit() else 0)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.alert is not None:
            return breach.prefill(self.alert)
        # Started by hand: the union became aware now, unless the officer says earlier.
        return {"discovered_at": timezone.localtime().replace(second=0, microsecond=0)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "alert": self.alert}

    def form_valid(self, form):
        try:
            worksheet = actions.start_worksheet(union=self.union, values=form.values(),
                                                alert=self.alert, acting_user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The worksheet is saved."))
        return redirect("dpo:worksheet", pk=worksheet.pk)


class WorksheetView(_WorksheetFormView):
    """Permission: the union's data protection officers only. One worksheet of the union:
    its timeline to the 72-hour deadline, the form, and its change history. Viewing is
    audited as a view, each save as an edit naming the changed fields."""

    def dispatch(self, request, *args, **kwargs):
        union = managed_union(request)
        if not is_union_dpo(request):
            raise PermissionDenied
        self.worksheet = get_object_or_404(
            BreachWorksheet.objects.for_union(union).select_related("union", "alert", "account"),
            pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Breach worksheet of %(date)s") % {
            "date": breach._local(self.worksheet.discovered_at)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        worksheet = breach.labelled(self.union, [self.worksheet])[0]
        if self.request.method == "GET":
            record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
                   target=actions.worksheet_target(worksheet))
        context.update(worksheet=worksheet, timeline=worksheet.timeline,
                       history=breach.history(worksheet))
        return context

    def form_valid(self, form):
        try:
            changed = actions.update_worksheet(worksheet=self.worksheet, values=form.values(),
                                               acting_user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The worksheet is saved.") if changed
                         else _("Nothing was changed."))
        return redirect("dpo:worksheet", pk=self.worksheet.pk)


@login_required
@require_GET
def worksheet_print(request, pk: int):
    """Permission: the union's data protection officers only. The worksheet as one
    printable page (no admin menus), e.g. for the report or the union's records.
    Audited as a view."""
    if not is_union_dpo(request):
        raise PermissionDenied
    union = managed_union(request)
    worksheet = get_object_or_404(BreachWorksheet.objects.for_union(union)
                                  .select_related("union", "alert", "account"), pk=pk)
    worksheet = breach.labelled(union, [worksheet])[0]
    record(actor=request.user, union=union, action=AuditAction.VIEW,
           target=actions.worksheet_target(worksheet), fields=["print"])
    return _private(render(request, "dpo/worksheet_print.html", {
        "worksheet": worksheet, "timeline": worksheet.timeline, "union": union,
        "history": breach.history(worksheet)}))
