"""The union admin panel's own views in the Wagtail admin (U-3.16).

Every view works on the signed-in user's own union only (`managed_union`): a union
admin reaching the admin through another union's hostname gets nothing, and ids from
another union in a URL are 404s because every lookup is scoped to the union.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.access.roles import is_admin, is_staff
from portal.accounts import actions as account_actions
from portal.accounts import rights as account_rights
from portal.accounts.models import Block
from portal.audit.log import AuditAction, record_many
from portal.people.models import Person
from portal.stepup.decorators import SecondStepRequiredMixin
from portal.union import actions as union_actions
from portal.union.features import switchable_features
from portal.union.models import UnionSettings

from .forms import (
    BlockForm,
    ConfigureUnionForm,
    CreateUnionForm,
    UnionSettingsForm,
)
from .policies import accounts_visible_to


def managed_union(request):
    """The union the signed-in user administers here: their own, and only on their own
    union's hostname (or on a hostname that is no union's, such as the admin host)."""
    user = request.user
    union = user.union if user.is_authenticated else None
    if union is None:
        return None
    current = getattr(request, "union", None)
    if current is not None and current.pk != union.pk:
        return None
    return union


def is_union_admin(request) -> bool:
    union = managed_union(request)
    return union is not None and is_admin(request.user, union)


def is_union_staff(request) -> bool:
    union = managed_union(request)
    return union is not None and is_staff(request.user, union)


def is_platform_operator(request) -> bool:
    user = request.user
    return user.is_authenticated and user.is_active and (
        user.is_platform_operator or user.is_superuser
    )


def union_page(request):
    """Permission: union staff and admins. Opens the union's root page (card, contact,
    offices, staff) in the page editor, which checks the page rights itself."""
    if not is_union_staff(request):
        raise PermissionDenied
    return redirect("wagtailadmin_pages:edit", managed_union(request).root_page_id)


def agreements(request):
    """Permission: union staff and admins. The union's collective agreements (U-3.14.3)
    are pages under its agreement index; this opens that index in the explorer."""
    if not is_union_staff(request):
        raise PermissionDenied
    index = union_actions.union_indexes(managed_union(request)).agreements
    return redirect("wagtailadmin_explore", index.pk)


class _PanelView(WagtailAdminTemplateMixin, FormView):
    allowed = staticmethod(is_union_admin)

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request):
            raise PermissionDenied
        self.union = managed_union(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        # Wagtail's slim header shows the last breadcrumb as the heading: without the
        # view's own entry every panel page was headed "Home".
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]


class BlacklistView(_PanelView):
    """Permission: union admins. Lists the union's blocks and blocks an account."""

    template_name = "adminpanel/blacklist.html"
    form_class = BlockForm
    page_title = gettext_lazy("Blacklist")
    header_icon = "warning"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["accounts"] = accounts_visible_to(self.request.user).filter(union=self.union)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        ends_at = None
        if data.get("ends_on"):
            ends_at = timezone.make_aware(
                dt.datetime.combine(data["ends_on"] + dt.timedelta(days=1), dt.time.min)
            )
        try:
            account_actions.block_user(user=data["user"], reason=data["reason"],
                                       ends_at=ends_at, acting_user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except PermissionDenied:
            form.add_error("email", _("You may not block this account."))
            return self.form_invalid(form)
        messages.success(self.request, _("The account is blocked and signed out."))
        return redirect("adminpanel:blacklist")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blocks = list(
            Block.objects.for_union(self.union).in_force().select_related("user", "blocked_by")
        )
        lifted = list(
            Block.objects.for_union(self.union)
            .exclude(pk__in=[b.pk for b in blocks])
            .select_related("user", "lifted_by")[:50]
        )
        shown = Person.objects.for_union(self.union).filter(
            user_id__in={b.user_id for b in [*blocks, *lifted]}
        )
        record_many(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                    people=shown, fields=["email", "blocks"], target="blacklist")
        context.update(blocks=blocks, lifted=lifted)
        return context


class UnblockView(_PanelView):
    """Permission: union admins, for blocks of their union (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        block = get_object_or_404(Block.objects.for_union(self.union), pk=kwargs["pk"])
        account_actions.unblock_user(block=block, acting_user=request.user)
        messages.success(request, _("The block is lifted."))
        return redirect("adminpanel:blacklist")


class InvitationView(SecondStepRequiredMixin, _PanelView):
    """Permission: union admins, for accounts of their union they may manage. Shows
    whether the account has set its password and sends the invitation again (POST, with
    a fresh second step: an invitation hands out the account's roles)."""

    second_step_methods = ("POST",)

    template_name = "adminpanel/invitation.html"
    form_class = forms.Form
    page_title = gettext_lazy("Invitation")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request):
            raise PermissionDenied
        self.account = get_object_or_404(
            accounts_visible_to(request.user).filter(union=managed_union(request)),
            pk=kwargs["pk"],
        )
        if not account_rights.may_manage_user(request.user, self.account):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.account)

    def form_valid(self, form):
        try:
            account_actions.resend_invitation(user=self.account, acting_user=self.request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return redirect("adminpanel:invitation", self.account.pk)
        messages.success(self.request, _("The invitation is sent to %(email)s.") % {
            "email": self.account.email})
        return redirect("wagtailusers_users:edit", self.account.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record_many(actor=self.request.user, union=self.union, action=AuditAction.VIEW,
                    people=Person.objects.for_union(self.union).filter(user=self.account),
                    fields=["email", "invitation"], target=f"user:{self.account.pk}")
        context.update(account=self.account, has_password=self.account.has_usable_password())
        return context


class UnionSettingsView(_PanelView):
    """Permission: union admins. The union's name, default language, contact addresses
    and features (brand colours and logo are the theme's)."""

    template_name = "adminpanel/form.html"
    form_class = UnionSettingsForm
    page_title = gettext_lazy("Union settings")
    header_icon = "cogs"

    def get_initial(self):
        union_settings = UnionSettings.for_union(self.union)
        return {
            "name": self.union.name,
            "default_language": self.union.default_language,
            "contact_email": union_settings.contact_email,
            "member_service_email": union_settings.member_service_email,
            "privacy_contact_email": union_settings.privacy_contact_email,
            "contact_phone": union_settings.contact_phone,
            "features": [f.value for f in switchable_features() if union_settings.feature_on(f)],
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data["features_on"] = data.pop("features")
        union_actions.update_union_settings(union=self.union, values=data,
                                            acting_user=self.request.user)
        messages.success(self.request, _("The union's settings are saved."))
        return redirect("adminpanel:settings")


class CreateUnionView(_PanelView):
    """Permission: platform operators (and superusers). Creates a union with its site,
    page tree, collection, role groups and optionally its first admin account."""

    allowed = staticmethod(is_platform_operator)
    template_name = "adminpanel/form.html"
    form_class = CreateUnionForm
    page_title = gettext_lazy("Create a union")
    header_icon = "site"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            union = union_actions.create_union(
                name=data["name"], slug=data["slug"], hostname=data["hostname"],
                port=data["port"], default_language=data["default_language"],
                acting_user=self.request.user,
            )
        except ValueError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if data.get("admin_email"):
            account_actions.create_union_admin(union=union, email=data["admin_email"],
                                               acting_user=self.request.user)
        messages.success(self.request, _("The union %(name)s is created.") % {"name": union})
        return redirect(reverse("adminpanel:unions"))


class UnionListView(_PanelView):
    """Permission: platform operators (and superusers). Unions and their sites; no
    personal data."""

    allowed = staticmethod(is_platform_operator)
    template_name = "adminpanel/unions.html"
    form_class = CreateUnionForm
    page_title = gettext_lazy("Unions")
    header_icon = "site"

    def get_context_data(self, **kwargs):
        from portal.union.models import Union

        context = super().get_context_data(**kwargs)
        context["unions"] = Union.objects.select_related("site").order_by("name")
        return context

    def post(self, request, *args, **kwargs):
        raise PermissionDenied


class ConfigureUnionView(_PanelView):
    """Permission: platform operators (and superusers). A union's name, default language
    and whether its site is on."""

    allowed = staticmethod(is_platform_operator)
    template_name = "adminpanel/form.html"
    form_class = ConfigureUnionForm
    page_title = gettext_lazy("Configure a union")
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        from portal.union.models import Union

        if not self.allowed(request):
            raise PermissionDenied
        self.target = get_object_or_404(Union, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.target.name

    def get_initial(self):
        return {"name": self.target.name, "default_language": self.target.default_language,
                "is_active": self.target.is_active}

    def form_valid(self, form):
        union_actions.update_union_settings(union=self.target, values=form.cleaned_data,
                                            acting_user=self.request.user)
        messages.success(self.request, _("The union %(name)s is saved.") % {
            "name": self.target.name})
        return redirect("adminpanel:unions")
