"""System messages in the admin: a union's admins write to their union (Union menu),
the platform's operator to every union (the platform's menu). Each sees and changes
only their own scope's messages; another scope's ids are 404s."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.access.roles import is_admin
from portal.union.models import Role

from . import actions
from .forms import SystemMessageForm
from .models import SystemMessage

PLATFORM = "platform"


def scope_of(request):
    """The union whose messages the user manages here, PLATFORM for the operator on the
    platform's host, or None (may not)."""
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return None
    current = getattr(request, "union", None)
    if user.union_id is not None:
        union = user.union
        if (current is None or current.pk == union.pk) and is_admin(user, union):
            return union
        return None
    if (user.is_platform_operator or user.is_superuser) and current is None:
        return PLATFORM
    return None


def is_union_scope(request) -> bool:
    scope = scope_of(request)
    return scope is not None and scope != PLATFORM


def is_platform_scope(request) -> bool:
    return scope_of(request) == PLATFORM


class _View(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        scope = scope_of(request)
        if scope is None:
            raise PermissionDenied
        self.union = None if scope == PLATFORM else scope
        return super().dispatch(request, *args, **kwargs)

    def language(self) -> str:
        """The language a message must be written in: the union's default, or the
        platform's (LANGUAGE_CODE) for a platform-wide message."""
        return self.union.default_language if self.union is not None else settings.LANGUAGE_CODE

    def messages_here(self):
        objects = SystemMessage.objects
        return objects.platform() if self.union is None else objects.for_union(self.union)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


def _role_labels(roles) -> str:
    names = dict(Role.choices)
    return ", ".join(str(names[r]) for r in roles if r in names) or _("Everyone")


class ListView(_View):
    """Permission: union admins (their union's messages), the platform's operator (the
    platform-wide ones). The messages, newest first, and a form for a new one."""

    template_name = "notifications/admin/list.html"
    page_title = gettext_lazy("System messages")

    def get_context_data(self, form=None, **kwargs):
        now = timezone.now()
        rows = [(m, _role_labels(m.roles),
                 _("Shown") if m.starts_at <= now < m.ends_at
                 else _("Not started yet") if now < m.starts_at else _("Ended"))
                for m in self.messages_here().select_related("created_by")[:200]]
        if form is None:
            start = timezone.localtime(now).replace(second=0, microsecond=0)
            form = SystemMessageForm(initial={"starts_at": start,
                                              "ends_at": start + timezone.timedelta(days=7)},
                                     default_language=self.language())
        return super().get_context_data(rows=rows, form=form, platform=self.union is None,
                                        **kwargs)

    def post(self, request, *args, **kwargs):
        return _save(self, request, lambda values: actions.create_system_message(
            union=self.union, values=values, acting_user=request.user))


class EditView(_View):
    """Permission: as the list; only a message of the user's own scope (else 404)."""

    template_name = "notifications/admin/edit.html"

    def dispatch(self, request, *args, **kwargs):
        scope = scope_of(request)
        if scope is None:
            raise PermissionDenied
        union = None if scope == PLATFORM else scope
        found = (SystemMessage.objects.platform() if union is None
                 else SystemMessage.objects.for_union(union)).filter(pk=kwargs["pk"]).first()
        if found is None:
            raise Http404
        self.message = found
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.message.title

    def get_breadcrumbs_items(self):
        return [*WagtailAdminTemplateMixin.get_breadcrumbs_items(self),
                {"url": reverse("notifications_admin:list"), "label": _("System messages")},
                {"url": "", "label": self.message.title}]

    def get_context_data(self, form=None, **kwargs):
        m = self.message
        if form is None:
            form = SystemMessageForm(initial={
                **SystemMessageForm.initial_of(m), "roles": m.roles,
                "starts_at": timezone.localtime(m.starts_at),
                "ends_at": timezone.localtime(m.ends_at)}, default_language=self.language())
        return super().get_context_data(message=m, form=form, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("op") == "delete":
            if request.POST.get("confirmed") != "1":
                # Removing takes the banner and everyone's activity items at once and
                # cannot be undone: one click of "Remove" first asks (a plain form post).
                return TemplateResponse(request, "notifications/admin/confirm_delete.html",
                                        self.get_context_data())
            actions.delete_system_message(message=self.message, acting_user=request.user)
            messages.success(request, _("The system message was removed."))
            return redirect("notifications_admin:list")
        return _save(self, request, lambda values: actions.update_system_message(
            message=self.message, values=values, acting_user=request.user))


def _save(view, request, write):
    """The form posted to `view`, written by `write(values)`; its errors shown again."""
    form = SystemMessageForm(request.POST, default_language=view.language())
    if form.is_valid():
        try:
            write(form.values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The system message was saved."))
            return redirect("notifications_admin:list")
    return view.render_to_response(view.get_context_data(form=form))
