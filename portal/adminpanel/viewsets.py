"""The admin's user views, scoped to the admin's union (U-3.16.2, U-3.16.8).

Wagtail's stock user views list every account and let `auth.change_user` holders put
anyone in any group. Here every view reads accounts through `accounts_visible_to`
(another union's id in a URL is a 404), the permission policy follows
`portal.accounts.rights`, and saving goes through `portal.accounts.actions`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.usage import UsageView as BaseUsageView
from wagtail.admin.widgets.button import Button
from wagtail.users.views import users as wagtail_users

from portal.accounts import actions
from portal.audit.log import AuditAction, record, record_many
from portal.people.models import Person
from portal.stepup.decorators import SecondStepRequiredMixin

from .forms import AccountEditForm, AccountForm
from .policies import UnionUserPermissionPolicy, accounts_visible_to
from .selectors import roles_of_accounts

User = get_user_model()


def _scoped(request):
    """Accounts of the request's union that the signed-in user may list."""
    accounts = accounts_visible_to(request.user)
    union = getattr(request, "union", None)
    if union is not None and not request.user.is_superuser:
        accounts = accounts.filter(union=union)
    return accounts


class UserFilterSet(wagtail_users.UserFilterSet):
    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        # Group names carry the union's slug: offer only the own union's groups.
        self.filters.pop("is_superuser", None)
        user = getattr(request, "user", None)
        groups = Group.objects.none()
        if user is not None and user.is_superuser:
            groups = Group.objects.all()
        elif user is not None and user.union_id is not None:
            groups = Group.objects.filter(union_role__union_id=user.union_id)
        self.filters["group"].queryset = groups

    class Meta(wagtail_users.UserFilterSet.Meta):
        pass


class IndexView(wagtail_users.IndexView):
    """Permission: union admins (their union's accounts); superusers (all)."""

    @cached_property
    def columns(self):
        # No bulk actions: Wagtail's bulk user actions assign any group.
        columns = [c for c in super().columns if c.name not in ("bulk_actions", "is_superuser")]
        roles = Column("union_roles", label=gettext_lazy("Roles"), width="25%")
        roles.cell_template_name = "adminpanel/users/roles_cell.html"
        columns.insert(2, roles)
        return columns

    def get_base_queryset(self):
        return _scoped(self.request)

    def get_table(self, object_list):
        # The listing shows people's names and addresses: log the people on this page.
        users = list(object_list)
        union = self.request.user.union
        if union is not None and users:
            found = roles_of_accounts(union, [u.pk for u in users])
            for user in users:
                user.union_roles = found[user.pk]
            record_many(
                actor=self.request.user, union=union, action=AuditAction.LIST,
                people=Person.objects.for_union(union).filter(user__in=users),
                fields=["email", "name"], target="admin:users",
            )
        return super().get_table(users)


def _audit_account_shown(request, account, *, fields, view: str) -> None:
    """An account's page in the admin shows its owner's personal data: one entry, in the
    account's union, naming the person (if the account has a profile) and the view."""
    if account is None or account.union_id is None:
        return
    person = (Person.objects.for_union(account.union_id).filter(user=account)
              .values_list("pk", flat=True).first())
    record(actor=request.user, union=account.union, action=AuditAction.VIEW, person=person,
           fields=fields, target=f"admin:users:{view}:{account.pk}")


# What the edit form and the delete confirmation show of an account (AccountEditForm).
ACCOUNT_FIELDS = ["email", "name", "is_active", "roles"]


class _AccountFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["acting_user"] = self.request.user
        kwargs["union"] = self.request.user.union or getattr(self.request, "union", None)
        return kwargs


class CreateView(SecondStepRequiredMixin, _AccountFormMixin, wagtail_users.CreateView):
    """Permission: union admins; the account joins the admin's union and its owner gets
    an invitation to set a password. Saving (roles) needs a fresh second step."""

    second_step_methods = ("POST",)

    success_message = gettext_lazy(
        "Account '%(object)s' created. An invitation to set a password is on its way."
    )

    def save_instance(self):
        data = self.form.cleaned_data
        union = self.request.user.union or getattr(self.request, "union", None)
        return actions.create_account(
            union=union,
            email=data["email"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            roles=tuple(data.get("roles", ())),
            acting_user=self.request.user,
        )


class EditView(SecondStepRequiredMixin, _AccountFormMixin, wagtail_users.EditView):
    """Permission: union admins, for accounts of their union they may manage. Saving
    (roles) needs a fresh second step."""

    second_step_methods = ("POST",)

    def get_queryset(self):
        return _scoped(self.request)

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission_for_instance(
            request.user, "change", self.object
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _audit_account_shown(self.request, self.object, fields=ACCOUNT_FIELDS, view="edit")
        return context

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if not self.object.has_usable_password():
            buttons.append(Button(_("Send the invitation again"),
                                  url=reverse("adminpanel:invitation", args=[self.object.pk]),
                                  icon_name="mail", priority=40))
        return buttons

    def save_instance(self):
        data = self.form.cleaned_data
        user = User.objects.get(pk=self.object.pk)  # the form already changed self.object
        actions.update_account(
            user=user,
            values={f: data[f] for f in ("email", "first_name", "last_name", "is_active")
                    if f in data},
            acting_user=self.request.user,
        )
        actions.change_roles(user=user, roles=tuple(data.get("roles", ())),
                             acting_user=self.request.user)
        user.refresh_from_db()
        return user


class DeleteView(wagtail_users.DeleteView):
    """Permission: superusers only (union admins deactivate or block)."""

    def get_queryset(self):
        return _scoped(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _audit_account_shown(self.request, self.object, fields=["email", "name"],
                             view="delete")
        return context


class HistoryView(wagtail_users.HistoryView):
    """Permission: union admins, for their union's accounts."""

    def get_base_object_queryset(self):
        return _scoped(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The account's name and what was done to it and by whom (its log entries).
        _audit_account_shown(self.request, self.object, fields=["name", "history"],
                             view="history")
        return context


class UsageView(BaseUsageView):
    """Permission: union admins, for their union's accounts."""

    def get_base_object_queryset(self):
        return _scoped(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _audit_account_shown(self.request, self.object, fields=["name", "usage"],
                             view="usage")
        return context


class UserViewSet(wagtail_users.UserViewSet):
    template_prefix = "adminpanel/users/"
    copy_view_enabled = False
    filterset_class = UserFilterSet
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    history_view_class = HistoryView
    usage_view_class = UsageView

    @cached_property
    def permission_policy(self):
        return UnionUserPermissionPolicy(self.model)

    def get_form_class(self, for_update=False):
        return AccountEditForm if for_update else AccountForm
