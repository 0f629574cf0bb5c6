"""The admin panel's form for an API client."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import actions
from .models import KIND_LABELS, READ_KINDS, WRITE_KINDS, ApiClient


class ApiClientForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100, help_text=gettext_lazy(
        "Which system uses this key, e.g. “Member register”."))
    read = forms.MultipleChoiceField(
        label=gettext_lazy("May read"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(k, KIND_LABELS[k]) for k in READ_KINDS])
    write = forms.MultipleChoiceField(
        label=gettext_lazy("May create and update"), required=False,
        widget=forms.CheckboxSelectMultiple, choices=[(k, KIND_LABELS[k]) for k in WRITE_KINDS])
    networks = forms.CharField(
        label=gettext_lazy("Allowed addresses"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=gettext_lazy(
            "One address or network a line, e.g. 192.0.2.10 or 192.0.2.0/24. Empty: calls "
            "from any address."))

    def __init__(self, *args, union, instance: ApiClient | None = None, **kwargs):
        self.union, self.instance = union, instance
        if instance is not None:
            # FormView always passes an (empty) initial: the client's values replace it.
            kwargs["initial"] = {**kwargs.get("initial", {}), **{
                "name": instance.name,
                "read": [k for k in READ_KINDS if instance.has_scope(f"{k}:read")],
                "write": [k for k in WRITE_KINDS if instance.has_scope(f"{k}:write")],
                "networks": "\n".join(instance.allowed_networks),
                "is_active": instance.is_active,
            }}
        super().__init__(*args, **kwargs)
        if instance is not None and instance.revoked_at is None:
            self.fields["is_active"] = forms.BooleanField(
                label=gettext_lazy("In use"), required=False, help_text=gettext_lazy(
                    "Untick to pause the key for a while; revoke it to end it for good."))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = ApiClient.objects.for_union(self.union).filter(name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This union already has an API client by this name."))
        return name

    def clean_networks(self):
        lines = [line.strip() for line in self.cleaned_data["networks"].splitlines()]
        bad = []
        for line in filter(None, lines):
            try:
                actions.clean_networks([line])
            except ValueError:
                bad.append(line[:60])
        if bad:
            raise forms.ValidationError(
                _("Not an address or network: %(values)s") % {"values": ", ".join(bad)})
        return actions.clean_networks(filter(None, lines))

    def clean(self):
        data = super().clean()
        if not data.get("read") and not data.get("write"):
            raise forms.ValidationError(_("Choose at least one kind of data to read or write."))
        return data

    @property
    def scopes(self) -> list[str]:
        data = self.cleaned_data
        return ([f"{k}:read" for k in data.get("read", ())]
                + [f"{k}:write" for k in data.get("write", ())])
