"""Groups in the union admin (G-1): the tree, a group's members, automation and log.

Permission for every view: union staff and admins (`is_union_staff`) on their own
union's hostname; another union's group or person is a 404 (every lookup is scoped).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import TaskResultStatus

from portal.adminpanel.confirm import confirmation
from portal.adminpanel.links import person_admin_url
from portal.adminpanel.views import _PanelView, is_union_staff, managed_union
from portal.audit.log import AuditAction, record_many
from portal.people.models import Person
from portal.union.ids import posted_id

from . import actions, rules, selectors
from .forms import AddMemberForm, GroupForm
from .models import Group
from .tasks import evaluate_group_task


class _GroupsView(_PanelView):
    allowed = staticmethod(is_union_staff)
    header_icon = "group"
    form_class = forms.Form

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        if self.request.resolver_match.url_name == "list":
            return items
        return [*items[:-1], {"url": reverse("groups:list"), "label": _("Groups")}, items[-1]]


def _group_or_404(request, pk) -> Group:
    if not is_union_staff(request):
        raise PermissionDenied
    try:
        return selectors.group_of(managed_union(request), pk)
    except Group.DoesNotExist as error:
        raise Http404 from error


class GroupListView(_GroupsView):
    """Permission: union staff and admins. The union's groups as a tree."""

    template_name = "groups/list.html"
    page_title = gettext_lazy("Groups")
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [{"group": g, "depth": d, "indent": range(d)}
                           for g, d in selectors.tree(self.union)]
        return context


class GroupFormView(_GroupsView):
    """Permission: union staff and admins. A new group, or editing one of the union's:
    name, parent, automation."""

    template_name = "groups/form.html"
    form_class = GroupForm

    def dispatch(self, request, *args, **kwargs):
        self.group = _group_or_404(request, kwargs["pk"]) if "pk" in kwargs else None
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Edit the group") if self.group else _("New group")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(union=self.union, group=self.group)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        values = {"name": data["name"], "description": data["description"],
                  "parent": data["parent"], "rule": data["rule"]}
        try:
            if self.group is None:
                group = actions.create_group(union=self.union, acting_user=self.request.user,
                                             **values)
            else:
                group = self.group
                actions.update_group(group=group, acting_user=self.request.user, values=values)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The group is saved."))
        return redirect("groups:detail", group.pk)


class GroupDetailView(_GroupsView):
    """Permission: union staff and admins. A group's members (50 a page, with its
    subgroups'), its automation, the log of who entered and left. POST: add a member by
    member number or email, remove one, run the automation now, delete the group
    (removing and deleting ask to confirm first). The members listed are audited."""

    template_name = "groups/detail.html"
    form_class = AddMemberForm

    def dispatch(self, request, *args, **kwargs):
        self.group = _group_or_404(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.group.name

    def _url(self) -> str:
        return reverse("groups:detail", args=[self.group.pk])

    def post(self, request, *args, **kwargs):
        operation = request.POST.get("operation")
        if operation == "run":
            result = evaluate_group_task.enqueue(self.group.pk)
            if result.status == TaskResultStatus.SUCCESSFUL:
                entered, left = result.return_value
                messages.success(request, _("The automation ran: %(entered)s entered, "
                                            "%(left)s left.") % {"entered": entered, "left": left})
            else:
                messages.success(request, _("The automation is running. Reload the page in "
                                            "a moment to see the members."))
            return redirect("groups:detail", self.group.pk)
        if operation == "remove":
            person = Person.objects.for_union(self.union).filter(
                pk=posted_id(request.POST.get("person")) or 0).first()
            if person is None:
                raise Http404
            asked = confirmation(
                request, title=_("Remove from the group"), back=self._url(),
                back_label=self.group.name, button=_("Remove"),
                message=_("Remove %(name)s from the group “%(group)s”?")
                % {"name": person.full_name, "group": self.group.name})
            if asked is not None:
                return asked
            actions.remove_members(group=self.group, people=[person], acting_user=request.user)
            messages.success(request, _("%(name)s was removed from the group.")
                             % {"name": person.full_name})
            return redirect("groups:detail", self.group.pk)
        if operation == "delete":
            asked = confirmation(
                request, title=_("Delete the group"), back=self._url(),
                back_label=self.group.name, button=_("Delete the group"),
                message=_("Delete the group “%(group)s”? Its members and its log are "
                          "deleted with it.") % {"group": self.group.name})
            if asked is not None:
                return asked
            try:
                actions.delete_group(group=self.group, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("groups:detail", self.group.pk)
            messages.success(request, _("The group was deleted."))
            return redirect("groups:list")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        who = form.cleaned_data["who"].strip()
        person = Person.objects.for_union(self.union).filter(
            Q(member_number=who) | Q(email__iexact=who)).first() if who else None
        if person is None:
            form.add_error("who", _("No one of your union has this member number or email."))
            return self.form_invalid(form)
        added = actions.add_members(group=self.group, people=[person],
                                    acting_user=self.request.user)
        if added:
            messages.success(self.request, _("%(name)s was added to the group.")
                             % {"name": person.full_name})
        else:
            messages.info(self.request, _("%(name)s is already a member.")
                          % {"name": person.full_name})
        return redirect("groups:detail", self.group.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.members(self.group), 50).get_page(self.request.GET.get("page"))
        subgroup_people = selectors.filter_people(
            Person.objects.for_union(self.union), union=self.union, group=self.group).count()
        log = list(selectors.log_of(self.group)[:30])
        for row in [*page.object_list, *log]:  # each name links to the person's page
            row.person_url = person_admin_url(row.person_id)
        shown = [m.person for m in page.object_list] + [entry.person for entry in log]
        record_many(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                    people={p.pk: p for p in shown}.values(), fields=["name", "groups"],
                    target=f"group {self.group.pk}")
        context.update(
            group=self.group, page=page, log=log, subgroup_people=subgroup_people,
            children=list(self.group.children.order_by("name")),
            rule_text=rules.describe(self.union, self.group.rule))
        return context
