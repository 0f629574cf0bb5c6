from __future__ import annotations

from django import forms
from django.conf import settings
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
    """A title and a text in each language (the default language's title required; a
    reader whose language has no title sees the default's), the roles and the times."""

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

    def __init__(self, *args, default_language: str = settings.LANGUAGE_CODE, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_language = default_language
        names = dict(settings.LANGUAGES)
        ordered = sorted(names, key=lambda code: code != default_language)
        texts = {}
        for code in ordered:
            language = names[code]
            default = code == default_language
            texts[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": language}, max_length=200,
                required=default,
                help_text=None if default else _("Empty: readers see the %(language)s text.")
                % {"language": names[default_language]})
            texts[f"body_{code}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": language}, max_length=2000,
                required=False, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Plain text; web addresses become links.") if default else None)
        # The texts first, in the default language's order, then the roles and times.
        self.fields = {**texts, **self.fields}

    @classmethod
    def initial_of(cls, message) -> dict:
        initial = {f"title_{message.language}": message.title,
                   f"body_{message.language}": message.body}
        for code, text in (message.translations or {}).items():
            initial[f"title_{code}"] = text.get("title", "")
            initial[f"body_{code}"] = text.get("body", "")
        return initial

    def values(self) -> dict:
        """What actions.create/update_system_message take."""
        data, default = self.cleaned_data, self.default_language
        return {"title": data[f"title_{default}"], "body": data.get(f"body_{default}", ""),
                "language": default, "roles": data.get("roles") or [],
                "starts_at": data["starts_at"], "ends_at": data["ends_at"],
                "translations": {code: {"title": data.get(f"title_{code}", ""),
                                        "body": data.get(f"body_{code}", "")}
                                 for code, _name in settings.LANGUAGES if code != default}}

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        return data
