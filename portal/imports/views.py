"""The imports in the union admin panel (issue 14, item 4): upload, columns, preview,
dry run, import with its progress, the rejected rows, the history.

Permission for every view: union staff and admins (`is_union_staff`), on their own
union's hostname; an import of another union is a 404 (every lookup is scoped).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from wagtail.admin.paginator import WagtailPaginator

from portal.adminpanel.views import _PanelView, is_union_staff, managed_union
from portal.audit.log import AuditAction, record

from . import actions, errorfile, selectors
from .forms import ColumnsForm, UploadForm
from .models import ImportJob, ImportStatus
from .reading import FileRejected, max_file_bytes

UPLOAD_SLACK = 64 * 1024  # multipart framing around the file
HISTORY_PAGE = 50


class _HistoryPaginator(WagtailPaginator):
    @cached_property
    def items_count_label(self):
        # Wagtail's "58 imports" reads wrong in Finnish, which wants "58 tuontia".
        return ngettext("%(count)s import", "%(count)s imports", self.count) % {
            "count": self.count}


class _ImportsView(_PanelView):
    allowed = staticmethod(is_union_staff)
    form_class = forms.Form  # the pages with a form of their own replace it
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return [*items[:-1], {"url": reverse("imports:index"), "label": _("Imports")},
                items[-1]]


def _job_or_404(request, pk: int) -> ImportJob:
    """The import `pk` of the union the request manages, for its staff (403 for anyone
    else, 404 for another union's import): the one check of every view of an import."""
    if not is_union_staff(request):
        raise PermissionDenied
    try:
        return selectors.import_of(managed_union(request), pk)
    except ImportJob.DoesNotExist as error:
        raise Http404 from error


class _JobView(_ImportsView):
    """A view of one of the union's imports (404 for any other)."""

    def dispatch(self, request, *args, **kwargs):
        self.job = _job_or_404(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.job.file_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = self.job
        return context


class ImportListView(_ImportsView):
    """Permission: union staff and admins. The union's imports: who, when, which file,
    what became of it."""

    template_name = "imports/index.html"
    form_class = UploadForm
    page_title = gettext_lazy("Imports")
    http_method_names = ["get"]

    def get_breadcrumbs_items(self):
        return _PanelView.get_breadcrumbs_items(self)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = _HistoryPaginator(selectors.imports_of(self.union), HISTORY_PAGE).get_page(
            self.request.GET.get("p"))
        context.update(imports=page.object_list, page=page,
                       elided_page_range=page.paginator.get_elided_page_range(page.number))
        return context


class UploadView(_ImportsView):
    """Permission: union staff and admins. Upload a file and say what it holds."""

    template_name = "imports/upload.html"
    form_class = UploadForm
    page_title = gettext_lazy("New import")

    def post(self, request, *args, **kwargs):
        # Refused before the body is read: a 100 MB upload is not spooled to disk first.
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > max_file_bytes() + UPLOAD_SLACK:
            form = UploadForm()
            form.cleaned_data = {}  # an unbound form, to carry the one error
            form.add_error(None, _("The file is larger than %(limit)s MB and cannot be "
                                   "imported. Split it into smaller files.") % {
                "limit": max_file_bytes() // 1_048_576})
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .reading import max_rows

        context = super().get_context_data(**kwargs)
        context.update(limit_mb=max_file_bytes() // 1_048_576,
                       limit_rows=number_format(max_rows(), force_grouping=True))
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            job = actions.upload_file(union=self.union, kind=form.cleaned_data["kind"],
                                      file_name=upload.name, data=upload.read(),
                                      acting_user=self.request.user)
        except (FileRejected, ValidationError) as error:
            form.add_error("file", error.messages[0] if isinstance(error, ValidationError)
                           else str(error))
            return self.form_invalid(form)
        return redirect("imports:columns", job.pk)


class ColumnsView(_JobView):
    """Permission: union staff and admins. Choose a field for each column of the file
    (suggested from the union's last mapping of this kind, or the column's name)."""

    template_name = "imports/columns.html"
    form_class = ColumnsForm
    page_title = gettext_lazy("Choose the columns")

    def get(self, request, *args, **kwargs):
        if self.job.is_running or self.job.status == ImportStatus.DONE:
            return redirect("imports:job", self.job.pk)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "job": self.job}

    def form_valid(self, form):
        try:
            actions.choose_columns(job=self.job, mapping=form.mapping(),
                                   acting_user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return redirect("imports:preview", self.job.pk)

    def get_context_data(self, **kwargs):
        from portal.register.records import KINDS

        from .fields import label

        context = super().get_context_data(**kwargs)
        kind = KINDS[self.job.kind]
        context["required"] = [label(kind.name, s.name) for s in kind.fields if s.required]
        context["kind_label"] = self.job.kind_label
        return context


class PreviewView(_JobView):
    """Permission: union staff and admins. The first rows as they would be imported,
    checked by the register without writing; from here a dry run or the import."""

    template_name = "imports/preview.html"
    page_title = gettext_lazy("Preview")
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        if self.job.status == ImportStatus.UPLOADED:
            return redirect("imports:columns", self.job.pk)
        if self.job.status not in (ImportStatus.MAPPED, ImportStatus.CHECKED):
            return redirect("imports:job", self.job.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            columns, rows = selectors.preview(self.job, acting_user=self.request.user)
        except FileRejected as error:
            columns, rows = [], []
            context["file_error"] = str(error) or _("The file is no longer stored. Upload it "
                                                    "again.")
        record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
               target=f"import:{self.job.pk}:preview", fields=self.job.mapping)
        context.update(columns=columns, rows=rows,
                       bad_rows=sum(1 for row in rows if row.problems))
        return context


class StartView(_JobView):
    """Permission: union staff and admins (POST only). Starts the dry run of the whole
    file (`run=dry_run`) or the import (`run=import`) in the task worker."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        dry_run = request.POST.get("run") != "import"
        try:
            actions.start_run(job=self.job, dry_run=dry_run, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("imports:job", self.job.pk)


class JobView(_JobView):
    """Permission: union staff and admins. An import's progress while it runs, then its
    counts and rejected rows (audited: the rows hold personal data)."""

    template_name = "imports/job.html"
    page_title = pgettext_lazy("import page", "Import")
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        if self.job.status in (ImportStatus.UPLOADED, ImportStatus.MAPPED):
            return redirect("imports:columns" if self.job.status == ImportStatus.UPLOADED
                            else "imports:preview", self.job.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        errors = list(selectors.errors_of(self.job)[:selectors.ERRORS_SHOWN])
        if errors:
            record(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
                   target=f"import:{self.job.pk}:errors", fields=["rejected rows"])
        context.update(errors=errors, errors_shown=selectors.ERRORS_SHOWN,
                       status=status_of(self.job))
        return context


def status_of(job: ImportJob) -> dict:
    total, done = job.total_rows, job.processed_rows
    percent = min(100, round(100 * done / total)) if total else (
        100 if job.status in (ImportStatus.DONE, ImportStatus.CHECKED) else 0)
    if job.is_stalled:
        text = _("The run stopped before the end: its task worker was stopped. Start it "
                 "again; rows already imported are matched by their keys.")
    elif job.status == ImportStatus.QUEUED:
        text = _("Waiting for the task worker to start…")
    elif job.status == ImportStatus.RUNNING and total is None:
        text = _("Reading the file through…")
    else:
        text = _("%(done)s of %(total)s rows") % {"done": done, "total": total or done}
    return {
        "status": job.status, "status_label": str(job.get_status_display()),
        "running": job.is_running, "processed": done, "total": total, "percent": percent,
        "text": text, "created": job.created, "updated": job.updated,
        "unchanged": job.unchanged, "rejected": job.rejected,
    }


def status(request, pk: int):
    """Permission: union staff and admins. An import's progress as JSON (the progress
    bar polls it); counts only, no personal data."""
    return JsonResponse(status_of(_job_or_404(request, pk)))


def download_errors(request, pk: int, file_format: str):
    """Permission: union staff and admins. The rejected rows of an import as CSV or
    Excel (formula-looking cells escaped); audited as an export."""
    job = _job_or_404(request, pk)
    errors = selectors.errors_of(job)
    record(actor=request.user, union=managed_union(request), action=AuditAction.EXPORT,
           target=f"import:{job.pk}:errors.{file_format}", fields=["rejected rows"])
    stem = f"{job.file_name.rsplit('.', 1)[0]}-rejected"
    if file_format == "xlsx":
        response = HttpResponse(
            errorfile.as_xlsx(errors),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(errorfile.as_csv(errors), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}.{file_format}")
    return response
