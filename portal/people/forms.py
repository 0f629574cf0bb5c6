from django import forms
from django.utils.translation import gettext_lazy as _

from portal.workplaces.models import EmployerPage, WorkplacePage

from .actions import SELF_EDITABLE_FIELDS
from .models import Employment, Person


class OwnProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = SELF_EDITABLE_FIELDS


class EmploymentForm(forms.ModelForm):
    """Employer and workplace are chosen by name, never listed (a union has tens of
    thousands): the page finds them through the main search (`people.choosers`) and
    posts the chosen id. Only this union's live pages validate, whatever was posted."""

    class Meta:
        model = Employment
        fields = ("employer", "workplace", "title", "starts_on", "ends_on")
        widgets = {
            # Never a <select>: its options would be every employer of the union.
            "employer": forms.HiddenInput,
            "workplace": forms.HiddenInput,
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = EmployerPage.objects.for_union(union).live()
        self.fields["workplace"].queryset = WorkplacePage.objects.for_union(union).live()
        self.fields["workplace"].required = False
        self.fields["employer"].error_messages.update({
            "required": _("Search for the employer and choose it from the results."),
            "invalid_choice": _("Choose an employer of your own union."),
        })
        self.fields["workplace"].error_messages["invalid_choice"] = _(
            "Choose a workplace of your own union.")

    def clean(self):
        cleaned = super().clean()
        employer, workplace = cleaned.get("employer"), cleaned.get("workplace")
        if employer and workplace and workplace.employer_id != employer.pk:
            self.add_error("workplace", _("The workplace does not belong to the employer."))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("An employment cannot end before it starts."))
        return cleaned
