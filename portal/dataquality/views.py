"""The data-quality report in the union admin panel (U-2.5): counts with their trend,
charts, and per check a drill-down list. Staff and admins of the union only; the
drill-down shows people, so it is audited and never cached."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import TaskResultStatus

from portal.adminpanel.views import _PanelView, is_union_staff
from portal.audit.log import AuditAction, record, record_many

from .chart import chart_for
from .checks import BY_KEY
from .models import Trigger
from .selectors import drill_down, people_on, reason_label, report
from .tasks import refresh_report_task
from .tuning import tuned


class ReportView(_PanelView):
    """Permission: union staff and admins. The counts of the latest snapshot with the
    trend since the one before, a chart per check; POST refreshes the report now."""

    allowed = staticmethod(is_union_staff)
    template_name = "dataquality/report.html"
    form_class = forms.Form
    page_title = gettext_lazy("Data quality")
    header_icon = "tasks"

    def form_valid(self, form):
        # Dated like a sync's request: clicks queued behind a refresh that started after
        # them (a double click, two staff members) do not count the union again.
        result = refresh_report_task.enqueue(self.union.pk, Trigger.MANUAL, self.request.user.pk,
                                             timezone.now().isoformat())
        if result.status == TaskResultStatus.SUCCESSFUL:
            messages.success(self.request, _("The report is refreshed."))
        else:
            messages.success(self.request, _("The report is being refreshed. Reload the "
                                             "page in a moment to see the new counts."))
        return redirect("dataquality:report")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = report(self.union)
        cards = [
            {"summary": s, "chart": chart_for(s.check.key, data.history),
             "url": reverse("dataquality:check", args=[s.check.key])}
            for s in data.summaries
        ]
        context.update(report=data, cards=cards)
        return context


class CheckView(_PanelView):
    """Permission: union staff and admins. What one check finds now, 50 rows a page,
    searchable; each row links to the person's page or the organisation's editor.
    Audited (the people listed) and sent private, no-store."""

    allowed = staticmethod(is_union_staff)
    template_name = "dataquality/check.html"
    form_class = forms.Form
    http_method_names = ["get"]
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        self.check = BY_KEY.get(kwargs["key"])
        if self.check is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.check.label)

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        items.insert(-1, {"url": reverse("dataquality:report"), "label": _("Data quality")})
        return items

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        with tuned():
            page = drill_down(self.union, self.check, query=query,
                              page_number=self.request.GET.get("page", 1))
            rows = [_row(self.check.subject, item) for item in page.object_list]
        shown = people_on(page, self.check.subject)
        target = f"dataquality:{self.check.key}"
        if shown:
            record_many(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                        people=shown, fields=["name", "contact", self.check.key],
                        target=target)
        else:
            record(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                   target=target, fields=[self.check.key])
        context.update(check=self.check, page=page, query=query.strip(),
                       rows=rows)
        return context


def _person_url(person) -> str:
    return reverse("people:person_detail", args=[person.pk])


def _page_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _row(subject: str, item) -> dict:
    """What the drill-down template shows of one row: a main link, details, reason."""
    if subject == "pair":
        return {"links": [(item.first.full_name, _person_url(item.first)),
                          (item.second.full_name, _person_url(item.second))],
                "details": [item.first.member_number, item.second.member_number],
                "extra": f"{item.score:.2f}", "reason": reason_label(item.reason)}
    if subject == "person":
        return {"links": [(item.full_name, _person_url(item))],
                "details": [item.member_number, item.email, item.phone,
                            item.branch.title if item.branch else ""],
                "reason": reason_label(item.dq_reason)}
    if subject == "employment":
        links = [(item.person.full_name, _person_url(item.person)),
                 (item.employer.title, _page_url(item.employer))]
        if item.workplace_id:
            links.append((item.workplace.title, _page_url(item.workplace)))
        return {"links": links, "details": [item.title],
                "reason": reason_label(item.dq_reason)}
    details = [item.business_id] if subject == "employer" else [item.employer.title]
    return {"links": [(item.title, _page_url(item))], "details": details,
            "reason": reason_label(item.dq_reason)}
