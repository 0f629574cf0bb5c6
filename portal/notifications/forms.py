from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.union.models import Role

from .kinds import Delivery


class PreferencesForm(forms.Form):
    """One choice per kind (immediately, daily digest, never)."""

    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.preferences = preferences
        for pref in preferences:
            self.fields[pref.kind] = forms.ChoiceField(
                label=pref.label, choices=Delivery.choices, initial=pref.delivery,
                widget=forms.RadioSelect)

    def rows(self):
        return [(pref, self[pref.kind]) for pref in self.preferences]


class SystemMessageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Plain text; web addresses become links."))
    roles = forms.MultipleChoiceField(
        label=_("Shown to"), choices=Role.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone with an account in the union."))
    starts_at = forms.DateTimeField(label=_("Shown from"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(label=_("Shown until"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                             format="%Y-%m-%dT%H:%M"))

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        return data
