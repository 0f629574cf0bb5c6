from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level, PotentialMember, Unit, UnitKind


def _unit_label(unit: Unit) -> str:
    return "\u2003" * unit.depth + unit.name if unit.kind != UnitKind.SHIFT else unit.name


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _unit_label(obj)


def _units(workplace, *, shifts: bool):
    units = Unit.objects.for_union(workplace.union).filter(workplace=workplace)
    return (units.filter(kind=UnitKind.SHIFT) if shifts
            else units.exclude(kind=UnitKind.SHIFT)).order_by("path")


class WorkplaceFormMixin:
    """Unit and shift fields offer only this workplace's units."""

    def __init__(self, *args, workplace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workplace = workplace
        if "unit" in self.fields:
            self.fields["unit"].queryset = _units(workplace, shifts=False)
        if "shift" in self.fields:
            self.fields["shift"].queryset = _units(workplace, shifts=True)
        if "parent" in self.fields:
            self.fields["parent"].queryset = _units(workplace, shifts=False)


class UnitForm(WorkplaceFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices, initial=UnitKind.UNIT)
    parent = UnitChoiceField(label=_("Part of"), queryset=Unit.objects.none(), required=False,
                             empty_label=_("— the workplace —"),
                             help_text=_("Shifts are not part of a department."))


class PlacementForm(WorkplaceFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False,
                           empty_label=_("— not placed —"))
    shift = UnitChoiceField(label=_("Shift"), queryset=Unit.objects.none(), required=False,
                            empty_label=_("— no shift —"))


class AssessmentForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Assessment"), choices=Level.choices, coerce=int,
                                   widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("Short and factual: the person may ask to see it."))


class PotentialMemberForm(WorkplaceFormMixin, forms.ModelForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False,
                           empty_label=_("— not placed —"))
    shift = UnitChoiceField(label=_("Shift"), queryset=Unit.objects.none(), required=False,
                            empty_label=_("— no shift —"))

    class Meta:
        model = PotentialMember
        fields = ["first_name", "last_name", "job_title", "phone", "email", "unit", "shift"]


class WorkplaceInfoForm(forms.Form):
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    employee_count = forms.IntegerField(
        label=_("Employees (reported)"), min_value=0, required=False,
        help_text=_("The head count the employer reports; the union density uses it when "
                    "given."))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}),
                                  required=False)


class HeadCountForm(forms.Form):
    head_count = forms.IntegerField(label=_("Employees (reported)"), min_value=0,
                                    required=False)


class SettingsForm(forms.Form):
    potential_retention_days = forms.IntegerField(
        label=_("Keep potential members for (days)"), min_value=1, max_value=730,
        help_text=_("A potential member who has not joined is erased this many days after "
                    "they were added."))
    members_see_own_assessment = forms.BooleanField(
        label=_("Members see their own assessment"), required=False,
        help_text=_("When on, a member sees the levels and dates of their own assessments "
                    "under My assessment, not the notes nor who assessed them."))
