"""The right of access (issue 17 item 3): a member's own data, and staff producing it
for a person. Every view states its permission; each answers `private, no-store`; the
summary pages are audited as views, each download as an export (actions.py)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.access.roles import is_staff
from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.people.models import Person
from portal.people.selectors import NoProfile, own_person
from portal.stepup.decorators import step_is_fresh, stepup_redirect

from . import actions, basis, export
from .models import AccessExport

NO_STORE = "private, no-store"
# Rows per model the summary page shows; the file has them all.
SUMMARY_ROWS = 50
# What the legal-basis view shows, as its audit entry names it.
BASIS_SHOWN = ("legal basis", "consents", "accesses")


def _private(response):
    response["Cache-Control"] = NO_STORE
    return response


def _json_file(document: dict, name: str) -> HttpResponse:
    response = HttpResponse(json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False,
                                       indent=2), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return _private(response)


def _summary_context(person: Person) -> dict:
    _document, sections = export.build(person, limit_shown=SUMMARY_ROWS)
    exports = list(AccessExport.objects.for_union(person.union).filter(person=person)
                   .defer("data")[:10])
    return {"person": person, "sections": [s for s in sections if s.count],
            "empty": [s for s in sections if not s.count], "exports": exports,
            "summary_rows": SUMMARY_ROWS,
            "unlinked": [d for d in export.registry.declarations() if d.unlinked]}


def _own(request) -> Person:
    person = own_person(request)
    if person is None:
        raise NoProfile
    return person


@login_required
@require_GET
def own_data(request):
    """Permission: signed in, with a profile in this union; their own data only."""
    person = _own(request)
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           fields=actions.EXPORTED, target=request.path)
    return _private(render(request, "privacy/own_data.html", _summary_context(person)))


@login_required
@require_GET
def own_export(request):
    """Permission: signed in, with a profile in this union. The file at once when it is
    small (export.INLINE_ROWS), else queued for the task and offered on own_data."""
    person = _own(request)
    if actions.is_small(person):
        document = actions.export_now(person=person, acting_user=request.user,
                                      target=request.path)
        return _json_file(document, "my-data.json")
    actions.queue_export(person=person, kind=AccessExport.Kind.OWN, acting_user=request.user,
                         target=request.path)
    messages.info(request, _("Your data is being collected into a file. It appears on "
                             "this page when it is ready."))
    return _private(redirect("privacy:own_data"))


@login_required
@require_GET
def own_download(request, pk: int):
    """Permission: signed in; a stored export of their own profile in this union."""
    person = _own(request)
    job = get_object_or_404(AccessExport.objects.for_union(request.union), pk=pk,
                            person=person)
    if not job.downloadable:
        raise Http404
    return _json_file(actions.download(job=job, acting_user=request.user,
                                       target=request.path), "my-data.json")


# --- Staff, in the admin --------------------------------------------------------------

def _staff_union(request):
    """Union staff and admins of this hostname's union (or, on the admin's own host,
    their union)."""
    user = request.user
    union = getattr(request, "union", None) or getattr(user, "union", None)
    if not user.is_authenticated or union is None or user.union_id != union.pk \
            or not is_staff(user, union):
        raise PermissionDenied
    return union


class _StaffPersonView(WagtailAdminTemplateMixin, TemplateView):
    """A page about one person of the union for its staff and admins (another union's
    person is a 404, anyone else is refused), private, under the person's page."""

    def dispatch(self, request, *args, **kwargs):
        self.union = _staff_union(request)
        self.person = get_object_or_404(
            Person.objects.for_union(self.union).select_related("union"), pk=kwargs["pk"])
        return _private(super().dispatch(request, *args, **kwargs))

    def get_breadcrumbs_items(self):
        # A copy: Wagtail's mixin returns its class attribute, shared by every admin view.
        items = [*super().get_breadcrumbs_items()]
        items.insert(-1, {"url": reverse("contacts:person", args=[self.person.pk]),
                          "label": self.person.full_name})
        return [*items[:-1], {"url": "", "label": self.get_page_title()}]


class PersonExportView(_StaffPersonView):
    """Permission: staff and admins of the person's union; POST (the file) also needs a
    fresh second step, as every export of people does (portal/stepup)."""

    template_name = "privacy/person_export.html"
    http_method_names = ["get", "post"]
    header_icon = "download"

    def get_page_title(self):
        return _("Personal data of %(name)s") % {"name": self.person.full_name}

    def get_context_data(self, **kwargs):
        record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
               person=self.person, fields=actions.EXPORTED, target=self.request.path)
        context = super().get_context_data(**kwargs)
        context.update(_summary_context(self.person))
        context["person_url"] = reverse("contacts:person", args=[self.person.pk])
        return context

    def post(self, request, *args, **kwargs):
        person = self.person
        if not step_is_fresh(request):
            return stepup_redirect(request, request.path)
        if actions.is_small(person):
            document = actions.export_now(person=person, acting_user=request.user,
                                          target=request.path)
            return _json_file(document, f"person-{person.pk}-data.json")
        actions.queue_export(person=person, kind=AccessExport.Kind.STAFF,
                             acting_user=request.user, target=request.path)
        messages.info(request, _("The export is being prepared. Its download appears "
                                 "below when it is ready."))
        return redirect("privacy_admin:person", pk=person.pk)


@require_GET
def staff_download(request, pk: int):
    """Permission: staff and admins of the export's union."""
    union = _staff_union(request)
    job = get_object_or_404(AccessExport.objects.for_union(union).select_related(
        "person__union"), pk=pk)
    if not job.downloadable:
        raise Http404
    return _json_file(actions.download(job=job, acting_user=request.user, target=request.path),
                      f"person-{job.person_id}-data.json")


class LegalBasisView(_StaffPersonView):
    """Permission: staff and admins of the person's union (another union's person is a
    404, anyone else is refused). Every kind of data held on the person with its legal
    basis, source, retention and when it ends for them, their consents, and the last
    reads of their data (basis.py). Audited as a view of the person's data."""

    template_name = "privacy/legal_basis.html"
    http_method_names = ["get"]
    header_icon = "doc-full"

    def get_page_title(self):
        return _("Legal basis: %(name)s") % {"name": self.person.full_name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.person
        periods = basis.periods(self.union)
        # Read before this view's own entry is written: the list shows earlier reads.
        context.update(
            person=person, holdings=basis.holdings(person, periods), periods=periods,
            membership_end=basis.membership_end(person), consents=basis.consents(person),
            accesses=basis.last_accesses(person),
            person_url=reverse("contacts:person", args=[person.pk]))
        record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
               person=person, fields=BASIS_SHOWN, target=self.request.path)
        return context
