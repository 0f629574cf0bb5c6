"""The member register in the union admin panel: the flow direction per kind of data
(union admins) and the list of two-way sync conflicts (union staff). Everything is the
signed-in user's own union (`adminpanel.views.managed_union`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.adminpanel.views import _PanelView, is_union_staff
from portal.audit.log import AuditAction, record_many
from portal.union.models import REGISTER_KINDS, RegisterFlow, UnionSettings

from . import actions
from .models import Conflict
from .records import KINDS


class RegisterFlowForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in REGISTER_KINDS:
            self.fields[kind] = forms.ChoiceField(
                label=capfirst(KINDS[kind].label), choices=RegisterFlow.choices,
                widget=forms.RadioSelect)


class RegisterFlowView(_PanelView):
    """Permission: union admins. Which way each kind of register data flows: from the
    member register to the portal only (the register's fields are read-only here), or
    both ways (the later change wins; conflicts are listed)."""

    template_name = "register/flow.html"
    form_class = RegisterFlowForm
    page_title = gettext_lazy("Member register")
    header_icon = "resubmit"

    def get_initial(self):
        union_settings = UnionSettings.for_union(self.union)
        return {kind: union_settings.register_flow_of(kind) for kind in REGISTER_KINDS}

    def form_valid(self, form):
        actions.set_register_flow(union=self.union, flows=form.cleaned_data,
                                  acting_user=self.request.user)
        messages.success(self.request, _("The member register settings are saved."))
        return redirect("register:flow")


class ConflictListView(_PanelView):
    """Permission: union staff and admins. Fields changed both in the portal and in the
    member register, with both versions and which one was kept. Personal data: audited."""

    allowed = staticmethod(is_union_staff)
    template_name = "register/conflicts.html"
    form_class = forms.Form
    page_title = gettext_lazy("Sync conflicts")
    header_icon = "warning"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conflicts = Conflict.objects.for_union(self.union).select_related("person")
        page = Paginator(conflicts, 50).get_page(self.request.GET.get("p"))
        people = [c.person for c in page.object_list if c.person is not None]
        record_many(actor=self.request.user, union=self.union, action=AuditAction.LIST,
                    people={p.pk: p for p in people}.values(), target=self.request.path,
                    fields=["register_conflicts"])
        context.update(page=page, conflicts=page.object_list)
        return context
