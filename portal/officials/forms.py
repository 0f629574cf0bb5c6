"""Forms of the officials screens. They validate input; `people.actions` does the writes
(and checks again: a position kind valid for the page, the person's union, the term)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.adminpanel.forms import PositionForm
from portal.people.models import Training

from .selectors import kinds_for


def _date_input():
    # An <input type="date"> takes only ISO dates: the locale's format left it empty.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AppointForm(PositionForm):
    """Appoint a person of the union, chosen by name (the admin panel's person combobox),
    to one of the positions the page's scope kind allows: a workplace or an employer has
    stewards and safety representatives, a branch its chair, secretary and board."""

    def __init__(self, *args, scope_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds_for(scope_kind)]
        self.fields["kind"].error_messages["invalid_choice"] = _(
            "Choose one of the positions listed.")
        self.fields["starts_on"].error_messages["required"] = _(
            "Enter the day the term starts.")
        for name in ("starts_on", "ends_on"):
            self.fields[name].widget = _date_input()


class TermForm(forms.Form):
    starts_on = forms.DateField(label=_("Term starts"), widget=_date_input(),
                                error_messages={"required": _("Enter the day the term starts.")})
    ends_on = forms.DateField(label=_("Term ends"), required=False,
                              widget=_date_input(),
                              help_text=_("Leave empty for a term without an end."))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A term cannot end before it starts."))
        return data


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ("name", "provider", "completed_on")
        widgets = {"completed_on": _date_input()}
        error_messages = {"name": {"required": _("Enter the name of the training.")}}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the name of the training."))
        return name

    def clean_completed_on(self):
        completed = self.cleaned_data.get("completed_on")
        if completed and completed > timezone.localdate():
            raise forms.ValidationError(_("A training cannot be completed in the future."))
        return completed
