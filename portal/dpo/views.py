"""The data protection officer's screens (issue 17 item 5) and a member's "who viewed my
data". Each view states its permission; all answer `private, no-store` and are audited.
Every lookup is scoped to the signed-in user's union (`managed_union`), so another
union's ids are 404s and another union's officer is refused."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.adminpanel.views import _PanelView, is_union_admin, managed_union
from portal.audit.log import AuditAction, record
from portal.people.selectors import NoProfile, own_person
from portal.spreadsheets import csv_bytes

from . import actions, selectors
from .forms import DesignateForm, ReviewForm, ViewersSettingForm
from .models import Alert, BreachWorksheet, DataProtectionOfficer, DpoSettings

NO_STORE = "private, no-store"
# The export's ceiling; narrow the filters for more (a month of a big union fits).
EXPORT_LIMIT = 200_000


def is_union_dpo(request) -> bool:
    return selectors.is_dpo(request.user, managed_union(request))


def _private(response):
    response["Cache-Control"] = NO_STORE
    return response


class _DpoPanelView(_PanelView):
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        return _private(super().dispatch(request, *args, **kwargs))


class DesignationView(_DpoPanelView):
    """Permission: union admins. The union's data protection officers (designate by the
    account's email, remove) and whether members see who viewed their data."""

    allowed = staticmethod(is_union_admin)
    template_name = "dpo/designation.html"
    form_class = DesignateForm
    page_title = gettext_lazy("Data protection officers")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "union": self.union}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        settings = DpoSettings.objects.for_union(self.union).first()
        context.update(
            officers=selectors.officers(self.union),
            setting_form=ViewersSettingForm(initial={
                "show_viewers_to_members": bool(settings and settings.show_viewers_to_members)}))
        record(actor=self.request.user, union=self.union, action=AuditAction.LIST,
               target="dpo:officers")
        return context

    def form_valid(self, form):
        try:
            actions.designate(union=self.union, user=form.user, acting_user=self.request.user)
        except ValidationError as error:
            form.add_error("email", error)
            return self.form_invalid(form)
        name = selectors.actor_names(self.union, [form.user.pk]).get(form.user.pk)
        messages.success(self.request, _("%(name)s is now a data protection officer.")
                         % {"name": name})
        return redirect("dpo:officers")


@login_required
@require_POST
def remove_officer(request, pk):
    """Permission: union admins. POST: the account is no longer a data protection officer."""
    if not is_union_admin(request):
        raise PermissionDenied
    union = managed_union(request)
    officer = get_object_or_404(DataProtectionOfficer.objects.for_union(union), pk=pk)
    actions.remove(officer=officer, acting_user=request.user)
    name = selectors.actor_names(union, [officer.user_id]).get(officer.user_id)
    messages.success(request, _("%(name)s is no longer a data protection officer.")
                     % {"name": name})
    return _private(redirect("dpo:officers"))


@login_required
@require_POST
def viewers_setting(request):
    """Permission: union admins. POST: whether members see who viewed their data."""
    if not is_union_admin(request):
        raise PermissionDenied
    form = ViewersSettingForm(request.POST)
    form.is_valid()
    actions.set_show_viewers(union=managed_union(request), acting_user=request.user,
                             enabled=form.cleaned_data.get("show_viewers_to_members", False))
    messages.success(request, _("The setting is saved."))
    return _private(redirect("dpo:officers"))


def _filter_fields(form: ReviewForm, union) -> list[str]:
    """The filters for the review's own audit entry. A name or member number typed into
    "who" or "whose data" is logged as the ids it found, never as typed: the log must not
    keep a person's name where their erasure can't find it (docs/privacy.md)."""
    data = form.cleaned_data if form.is_valid() else {}
    fields = []
    for key, value in data.items():
        if not value:
            continue
        if key == "actor":
            value = ",".join(map(str, selectors.account_ids(union, value))) or "none"
            key = "actor_ids"
        elif key == "person":
            value = ",".join(map(str, selectors.person_ids(union, value))) or "none"
            key = "person_ids"
        fields.append(f"{key}={value}")
    return fields


class ReviewView(_DpoPanelView):
    """Permission: the union's data protection officers only (not every admin). The audit
    log filtered by who, whose data, action, target and time, 50 entries a page with
    keyset paging (no count). Audited as a view of the log, with the filters."""

    allowed = staticmethod(is_union_dpo)
    template_name = "dpo/review.html"
    form_class = ReviewForm
    http_method_names = ["get"]
    page_title = gettext_lazy("Audit log")

    def get_form_kwargs(self):
        return {"data": self.request.GET}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        rows, cursor = selectors.page(self.union, form.filters(),
                                      cursor=self.request.GET.get("after", ""))
        query = self.request.GET.copy()
        query.pop("after", None)
        record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
               target="dpo:audit-log", fields=_filter_fields(form, self.union))
        context.update(rows=rows, next_cursor=cursor, query=query.urlencode(),
                       first_page=not self.request.GET.get("after"))
        return context


@login_required
@require_GET
def export_csv(request):
    """Permission: the union's data protection officers only. The filtered log as CSV
    (formula-escaped by portal.spreadsheets); the export is itself audited."""
    if not is_union_dpo(request):
        raise PermissionDenied
    union = managed_union(request)
    form = ReviewForm(request.GET)
    lines = []
    for entry in selectors.stream(union, form.filters()):
        if len(lines) >= EXPORT_LIMIT:
            break
        lines.append([timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                      entry.actor_name, entry.actor_id or "", entry.get_action_display(),
                      entry.person_name, entry.person_id or "", entry.target,
                      ", ".join(map(str, entry.fields or [])), entry.request_id])
    record(actor=request.user, union=union, action=AuditAction.EXPORT,
           target="dpo:audit-log.csv", fields=[*_filter_fields(form, union), f"rows={len(lines)}"])
    header = [_("Time"), _("Who"), _("Account id"), _("Action"), _("Whose data"),
              _("Person id"), _("Target"), _("Fields"), _("Request")]
    response = HttpResponse(csv_bytes(header, lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"audit-log-{timezone.localdate():%Y-%m-%d}.csv")
    return _private(response)


@login_required
@require_GET
def own_viewers(request):
    """Permission: signed in, with a profile in this union, and only if the union lets
    members see it (404 otherwise). Who viewed their data: officials by name, staff as
    "union staff". Audited as a view of their own data."""
    person = own_person(request)
    if person is None:
        raise NoProfile
    if not selectors.show_viewers(request.union):
        raise Http404
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           target="dpo:own-viewers")
    return _private(render(request, "dpo/own_viewers.html",
                           {"person": person, "entries": selectors.viewers_of(person)}))


class AlertsView(_DpoPanelView):
    """Permission: the union's data protection officers only. The misuse alerts the
    background scan raised (alerts.py), newest 100, with their evidence and a breach
    worksheet to start from each (breach_views.py). Audited."""

    allowed = staticmethod(is_union_dpo)
    template_name = "dpo/alerts.html"
    form_class = ReviewForm
    http_method_names = ["get"]
    page_title = gettext_lazy("Misuse alerts")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        alerts = list(Alert.objects.for_union(self.union)[:100])
        names = selectors.actor_names(self.union, {a.actor_id for a in alerts if a.actor_id})
        # The worksheet started from each alert, if any (one query).
        worksheets = dict(BreachWorksheet.objects.for_union(self.union)
                          .filter(alert__in=alerts).values_list("alert_id", "pk"))
        for alert in alerts:
            alert.actor_name = names.get(alert.actor_id, "")
            alert.worksheet_id = worksheets.get(alert.pk)
        record(actor=self.request.user, union=self.union, action=AuditAction.LIST,
               target="dpo:alerts")
        context["alerts"] = alerts
        return context
