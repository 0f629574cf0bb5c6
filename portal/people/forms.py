from django import forms
from django.utils.translation import gettext_lazy as _

from portal.workplaces.models import EmployerPage, WorkplacePage

from .actions import SELF_EDITABLE_FIELDS
from .models import REGISTER_OWNED_FIELDS, Employment, Person


def register_owned(union, kind: str) -> tuple[str, ...]:
    """The fields the member register owns for `kind` when it flows one way only
    (UnionSettings.register_flow, U-2.5): read-only here. None when both ways."""
    from portal.union.models import UnionSettings

    if union is None:
        return ()
    try:
        settings = union.settings
    except UnionSettings.DoesNotExist:
        settings = UnionSettings(union=union)
    return REGISTER_OWNED_FIELDS[kind] if settings.register_one_way(kind) else ()


def _lock(form, names) -> None:
    # A disabled field keeps the stored value whatever is posted; the page says once why.
    for name in names:
        if name in form.fields:
            form.fields[name].disabled = True


class OwnProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = SELF_EDITABLE_FIELDS

    def __init__(self, *args, union=None, **kwargs):
        super().__init__(*args, **kwargs)
        locked = register_owned(union, "people")
        self.register_locked = bool(locked)
        _lock(self, locked)


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
        locked = register_owned(union, "employments")
        # Every field of an employment is the register's: one way, the form only shows.
        self.register_locked = bool(locked)
        _lock(self, locked)
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
        if self.register_locked:
            raise forms.ValidationError(_(
                "Employments come from the member register. Ask the union office to "
                "change them."))
        cleaned = super().clean()
        employer, workplace = cleaned.get("employer"), cleaned.get("workplace")
        if employer and workplace and workplace.employer_id != employer.pk:
            self.add_error("workplace", _("The workplace does not belong to the employer."))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("An employment cannot end before it starts."))
        return cleaned
