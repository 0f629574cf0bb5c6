"""The admin panel's pages for a union's API clients: list (searchable), add (the key
is shown once), edit, revoke. Union admins only, and only on their own union's
hostname (`adminpanel.views.managed_union`); another union's client id is a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.adminpanel.views import _PanelView, managed_union

from . import actions, conf, selectors
from .forms import ApiClientForm
from .models import KIND_LABELS, READ_KINDS, WRITE_KINDS, ApiClient

PAGE_SIZE = 50


class _Page(_PanelView):
    """The panel's base view (union admins of their own union, `_PanelView.allowed`);
    with `pk`, one of the union's clients (another union's is a 404)."""

    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs and self.allowed(request):
            self.client = get_object_or_404(ApiClient.objects.for_union(managed_union(request)),
                                            pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        if isinstance(self, ClientListView):
            return items
        return [*items[:-1], {"url": reverse("api_clients:index"), "label": _("API clients")},
                items[-1]]


def _scope_summary(client: ApiClient) -> dict:
    return {"read": [KIND_LABELS[k] for k in READ_KINDS if client.has_scope(f"{k}:read")],
            "write": [KIND_LABELS[k] for k in WRITE_KINDS if client.has_scope(f"{k}:write")]}


class ClientListView(_Page):
    """Permission: union admins. The union's API clients, searchable by name and key."""

    template_name = "api/clients.html"
    form_class = forms.Form
    http_method_names = ["get"]
    page_title = gettext_lazy("API clients")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        page = Paginator(selectors.clients_of(self.union, query), PAGE_SIZE).get_page(
            self.request.GET.get("p"))
        for client in page:
            client.scope_summary = _scope_summary(client)
        context.update(page=page, clients=list(page), query=query,
                       rate_limit=conf.rate_limit(), rate_window=conf.rate_window(),
                       any_clients=query or page.paginator.count > 0,
                       docs_url=f"{self.union.site.root_url}/api/v1/docs")
        return context


class ClientCreateView(_Page):
    """Permission: union admins. Makes a client and shows its key once."""

    template_name = "api/client_form.html"
    form_class = ApiClientForm
    page_title = gettext_lazy("Add an API client")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "union": self.union}

    def form_valid(self, form):
        client, key = actions.create_client(
            union=self.union, name=form.cleaned_data["name"], scopes=form.scopes,
            allowed_networks=form.cleaned_data["networks"], acting_user=self.request.user)
        # The key is in this one answer only: never stored, never cached.
        self.page_title = _("The key of %(name)s") % {"name": client.name}
        response = TemplateResponse(self.request, "api/key_created.html",
                                    self.get_context_data(client=client, key=key))
        response["Cache-Control"] = "private, no-store"
        return response


class ClientEditView(_Page):
    """Permission: union admins, for their union's clients."""

    template_name = "api/client_form.html"
    form_class = ApiClientForm
    page_title = gettext_lazy("Edit an API client")

    def get_page_subtitle(self):
        return self.client.name

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "union": self.union, "instance": self.client}

    def get_context_data(self, **kwargs):
        return super().get_context_data(client=self.client, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        values = {"name": data["name"], "scopes": form.scopes,
                  "allowed_networks": data["networks"]}
        if "is_active" in data:
            values["is_active"] = data["is_active"]
        actions.update_client(client=self.client, values=values, acting_user=self.request.user)
        messages.success(self.request, _("The API client %(name)s is saved.") % {
            "name": data["name"]})
        return redirect("api_clients:index")


class ClientRevokeView(_Page):
    """Permission: union admins, for their union's clients. GET asks to confirm; the
    POST of that page revokes (audited by the action)."""

    template_name = "api/client_revoke.html"
    form_class = forms.Form
    page_title = gettext_lazy("Revoke the key")
    header_icon = "warning"

    def get_page_subtitle(self):
        return self.client.name

    def get(self, request, *args, **kwargs):
        if self.client.revoked_at is not None:
            return redirect("api_clients:edit", self.client.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(client=self.client, **kwargs)

    def form_valid(self, form):
        actions.revoke_client(client=self.client, acting_user=self.request.user)
        messages.success(self.request, _("The key of %(name)s is revoked. It no longer "
                                         "works.") % {"name": self.client.name})
        return redirect("api_clients:index")
