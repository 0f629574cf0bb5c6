"""The terms screens in the union admin: the versions with how many accepted them
(staff and admins), drafting and publishing a version (admins). Everything is scoped
to the signed-in user's own union; another union's version ids are 404s."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.access.roles import is_admin, is_staff

from . import actions
from .forms import DraftForm
from .models import LANGUAGES, TermsVersion
from .selectors import current_version, version_of, versions_of


def managed_union(request):
    """The signed-in user's union, on its own hostname or the admin's (as the panel's)."""
    user = request.user
    union = user.union if user.is_authenticated else None
    current = getattr(request, "union", None)
    if union is None or (current is not None and current.pk != union.pk):
        return None
    return union


def may_see(request) -> bool:
    union = managed_union(request)
    return union is not None and is_staff(request.user, union)


class _StaffView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not may_see(request):
            raise PermissionDenied
        self.union = managed_union(request)
        self.is_admin = is_admin(request.user, self.union)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_admin=self.is_admin, **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


class VersionsView(_StaffView):
    """Permission: union staff and admins (admins may start a new draft). The versions,
    newest first, and how many accounts accepted each."""

    template_name = "terms/admin/versions.html"
    page_title = gettext_lazy("Terms of use")

    def get_context_data(self, **kwargs):
        versions = versions_of(self.union)
        current = current_version(self.union)
        accounts = self.union.users.filter(is_active=True).count()
        return super().get_context_data(
            versions=versions, current=current, accounts=accounts,
            current_accepted=next((v.accepted for v in versions
                                   if current and v.pk == current.pk), 0),
            has_draft=any(not v.is_published for v in versions), **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            version = actions.create_draft(union=self.union, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("terms_admin:versions")
        messages.success(request, _("A new draft was made from the latest version."))
        return redirect("terms_admin:version", version.pk)


class VersionView(_StaffView):
    """Permission: union staff and admins see a version; admins edit, publish or delete
    a draft. A published version is read-only."""

    template_name = "terms/admin/version.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_see(request):
            raise PermissionDenied
        try:
            self.version = version_of(managed_union(request), kwargs["pk"])
        except TermsVersion.DoesNotExist:
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Terms of use, version %(number)s") % {"number": self.version.number}

    def get_breadcrumbs_items(self):
        return [*WagtailAdminTemplateMixin.get_breadcrumbs_items(self),
                {"url": reverse("terms_admin:versions"), "label": _("Terms of use")},
                {"url": "", "label": str(self.version)}]

    def get_context_data(self, form=None, **kwargs):
        version = self.version
        editable = self.is_admin and not version.is_published
        if editable and form is None:
            form = DraftForm(initial={f"body_{code}": getattr(version, f"body_{code}")
                                      for code in LANGUAGES})
        texts = [(code, label, getattr(version, f"body_{code}")) for code, label in (
            ("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English")))]
        return super().get_context_data(
            version=version, form=form if editable else None, texts=texts,
            accepted=version.acceptances.count() if version.is_published else 0,
            confirm=self.request.GET.get("confirm") == "publish" and editable, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.is_admin:
            raise PermissionDenied
        op = request.POST.get("op", "save")
        try:
            if op == "delete":
                actions.delete_draft(version=self.version, acting_user=request.user)
                messages.success(request, _("The draft was deleted."))
                return redirect("terms_admin:versions")
            if op == "publish":
                actions.publish(version=self.version, acting_user=request.user)
                messages.success(request, _("Version %(number)s is published. Everyone is asked "
                                            "to accept it at their next page.")
                                 % {"number": self.version.number})
                return redirect("terms_admin:versions")
            form = DraftForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            actions.update_draft(version=self.version, values=form.cleaned_data,
                                 acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("terms_admin:version", self.version.pk)
        messages.success(request, _("The draft was saved."))
        if op == "save_publish":
            return redirect(reverse("terms_admin:version", args=[self.version.pk])
                            + "?confirm=publish")
        return redirect("terms_admin:version", self.version.pk)
