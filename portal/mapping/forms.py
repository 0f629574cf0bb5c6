from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.people.validators import validate_phone

from .models import Level, PotentialMember, Unit, UnitKind


def _unit_label(unit: Unit) -> str:
    return "\u2003" * unit.depth + unit.name if unit.kind != UnitKind.SHIFT else unit.name


class _ListedUnits(forms.models.ModelChoiceIterator):
    """The choices from the form's one read of the workplace's units, which its unit,
    shift and parent fields share (a query per field before); validating a posted
    choice still asks the field's queryset."""

    def __iter__(self):
        if self.field.listed is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed():
            yield self.choice(obj)

    def __len__(self):
        if self.field.listed is None:
            return super().__len__()
        return len(self.field.listed()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        if self.field.listed is None:
            return super().__bool__()
        return self.field.empty_label is not None or bool(self.field.listed())


class UnitChoiceField(forms.ModelChoiceField):
    iterator = _ListedUnits
    listed = None  # WorkplaceFormMixin: a function giving the field's units

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
        read = []  # the workplace's units, read once when a field first lists them

        def listed(shifts: bool):
            def units():
                if not read:
                    read.append(list(Unit.objects.for_union(workplace.union)
                                     .filter(workplace=workplace).order_by("path")))
                return [u for u in read[0] if (u.kind == UnitKind.SHIFT) == shifts]
            return units

        for name, shifts in (("unit", False), ("shift", True), ("parent", False)):
            if name in self.fields:
                self.fields[name].queryset = _units(workplace, shifts=shifts)
                self.fields[name].listed = listed(shifts)


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

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and "phone" in self.changed_data:
            validate_phone(phone)
        return phone


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
