"""Custom fields in the union admin (G-1): define, edit, reorder, archive; a person's
values; the people with a value. Every lookup is scoped to the union the request
manages, so another union's field or person is a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.adminpanel.confirm import confirmation
from portal.adminpanel.links import person_admin_url
from portal.adminpanel.views import _PanelView, is_union_admin, is_union_staff
from portal.audit.log import AuditAction, record, record_many
from portal.people.models import Person
from portal.people.scopes import people_visible_to
from portal.union.ids import posted_id

from . import actions, selectors
from .forms import FieldDefinitionForm, ValuesForm
from .models import CustomField


class _FieldsView(_PanelView):
    allowed = staticmethod(is_union_staff)
    header_icon = "form"
    form_class = forms.Form

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        if self.request.resolver_match.url_name == "list":
            return items
        return [*items[:-1], {"url": reverse("customfields:list"), "label": _("Custom fields")},
                items[-1]]


class FieldListView(_FieldsView):
    """Permission: union staff and admins see the fields; admins define, edit, reorder
    and archive them (the POSTs here: move up/down, archive — asked to confirm first —,
    restore)."""

    template_name = "customfields/list.html"
    page_title = gettext_lazy("Custom fields")

    def post(self, request, *args, **kwargs):
        if not is_union_admin(request):
            raise PermissionDenied
        field = get_object_or_404(CustomField.objects.for_union(self.union),
                                  pk=posted_id(request.POST.get("field")) or 0)
        operation = request.POST.get("operation")
        if operation == "archive":
            asked = confirmation(
                request, title=_("Archive a custom field"), back=reverse("customfields:list"),
                back_label=_("Custom fields"), button=_("Archive"), danger=False,
                message=_("Archive the field “%(label)s”? It is no longer shown, edited or "
                          "offered as a filter; its values are kept and it can be restored.")
                % {"label": field.label})
            if asked is not None:
                return asked
        if operation in ("archive", "restore"):
            actions.set_archived(field=field, archived=operation == "archive",
                                 acting_user=request.user)
        elif operation in ("up", "down"):
            order = list(selectors.fields_of(self.union).values_list("pk", flat=True))
            if field.pk in order:
                at = order.index(field.pk)
                to = at - 1 if operation == "up" else at + 1
                if 0 <= to < len(order):
                    order[at], order[to] = order[to], order[at]
                    actions.reorder_fields(union=self.union, order=order,
                                           acting_user=request.user)
        else:
            raise Http404
        messages.success(request, _("Saved."))
        return redirect("customfields:list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fields = list(selectors.fields_of(self.union))
        context.update(fields=fields, archived=list(selectors.fields_of(self.union,
                                                                        archived=True)),
                       can_define=is_union_admin(self.request),
                       last_index=len(fields) - 1)
        return context


class FieldFormView(_FieldsView):
    """Permission: union admins. Defines a new field, or edits one of the union's."""

    allowed = staticmethod(is_union_admin)
    template_name = "customfields/field_form.html"
    form_class = FieldDefinitionForm

    def dispatch(self, request, *args, **kwargs):
        self.field = None
        if not is_union_admin(request):
            raise PermissionDenied
        if "pk" in kwargs:
            from portal.adminpanel.views import managed_union

            self.field = get_object_or_404(
                CustomField.objects.for_union(managed_union(request)), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Edit a custom field") if self.field else _("New custom field")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(union=self.union, instance=self.field)
        return kwargs

    def form_valid(self, form):
        definition = form.definition()
        if self.field is None:
            actions.define_field(union=self.union, key=form.cleaned_data["key"],
                                 acting_user=self.request.user, **definition)
        else:
            actions.update_field(field=self.field, acting_user=self.request.user,
                                 values=definition)
        messages.success(self.request, _("The custom field is saved."))
        return redirect("customfields:list")


def _person_or_404(request, union, pk) -> Person:
    person = people_visible_to(request.user, union).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


class PersonValuesView(_FieldsView):
    """Permission: whoever may edit at least one of the person's custom fields: union
    staff and admins (all), officials of the person's scope (the fields marked so).
    Another union's person, or one the user does not see, is a 404. Audited."""

    allowed = staticmethod(lambda request: request.user.is_authenticated)
    template_name = "customfields/person_values.html"
    form_class = ValuesForm

    def dispatch(self, request, *args, **kwargs):
        union = getattr(request, "union", None)
        if not request.user.is_authenticated or union is None \
                or request.user.union_id != union.pk:
            raise PermissionDenied
        self.person = _person_or_404(request, union, kwargs["pk"])
        self.relation = selectors.relation_to(request, self.person)
        fields = list(selectors.fields_of(union))
        self.shown = [f for f in fields if selectors.may_see(f, self.relation)]
        self.editable = [f for f in self.shown if selectors.may_edit(f, self.relation)]
        if not self.editable:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Custom fields")

    def get_page_subtitle(self):
        return self.person.full_name

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(fields=self.shown, editable=self.editable,
                      stored=selectors.values_of(self.person))
        return kwargs

    def get(self, request, *args, **kwargs):
        record(actor=request.user, union=self.union, action=AuditAction.VIEW,
               person=self.person, fields=[f"custom:{f.key}" for f in self.shown])
        return super().get(request, *args, **kwargs)

    def _back_url(self) -> str | None:
        """The person's page in the people admin, for staff (officials have none)."""
        if not is_union_staff(self.request):
            return None
        return person_admin_url(self.person.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["back_url"] = self._back_url()
        return context

    def form_valid(self, form):
        actions.set_values(person=self.person, acting_user=self.request.user,
                           values=form.editable_values(), editable=self.editable)
        messages.success(self.request, _("The custom fields are saved."))
        return redirect(self._back_url() or reverse("customfields:person",
                                                    args=[self.person.pk]))


class FieldPeopleView(_FieldsView):
    """Permission: union staff and admins. The people whose field has a value (a number
    or date also as low..high), 50 a page; audited as a list."""

    template_name = "customfields/people.html"
    http_method_names = ["get"]

    def dispatch(self, request, *args, **kwargs):
        if not is_union_staff(request):
            raise PermissionDenied
        from portal.adminpanel.views import managed_union

        self.field = get_object_or_404(CustomField.objects.for_union(managed_union(request)),
                                       pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.field.label

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        value = self.request.GET.get("value", "").strip()[:200]
        people = selectors.filter_people(
            Person.objects.for_union(self.union), union=self.union, field=self.field,
            value=value).order_by("last_name", "first_name", "pk")
        page = Paginator(people.only("pk", "first_name", "last_name", "union_id"), 50
                         ).get_page(self.request.GET.get("page"))
        record_many(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                    people=page.object_list, fields=["name", f"custom:{self.field.key}"],
                    target=f"custom field {self.field.key}")
        context.update(field=self.field, value=value, page=page)
        return context
