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
    """Employer and workplace choices are limited to the union's own pages."""

    class Meta:
        model = Employment
        fields = ("employer", "workplace", "title", "starts_on", "ends_on")
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = EmployerPage.objects.for_union(union).live().order_by(
            "title"
        )
        self.fields["workplace"].queryset = WorkplacePage.objects.for_union(union).live()
        # Thousands of employers: choose by business ID or name through a text box would be
        # kinder; until search lands, the select is limited to the union's own employers.
        self.fields["workplace"].required = False

    def clean(self):
        cleaned = super().clean()
        employer, workplace = cleaned.get("employer"), cleaned.get("workplace")
        if employer and workplace and workplace.employer_id != employer.pk:
            self.add_error("workplace", _("The workplace does not belong to the employer."))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("An employment cannot end before it starts."))
        return cleaned
