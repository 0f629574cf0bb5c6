"""The people list's filters, search and sort, read from the query string.

Every id in the query string is looked up among the union's own live pages (another
union's branch, employer or workplace is "not found", never applied), and every filter
is a set-based condition on the one queryset, so the list costs the same queries
whatever is chosen. Filters the other apps offer (group, custom field, life-event
status: `integrations.offered`) are shown and applied only once their app offers them.
"""

from __future__ import annotations

import json

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.branches.models import BranchPage
from portal.people.models import Employment, MembershipStatus, Person, PositionKind, PositionOfTrust
from portal.workplaces.models import EmployerPage, WorkplacePage

from .integrations import offered

SORTS = {
    "name": ("last_name", "first_name", "pk"),
    "-name": ("-last_name", "-first_name", "-pk"),
    "member_number": ("member_number", "pk"),
    "-joined_on": ("-joined_on", "pk"),
    "-updated_at": ("-updated_at", "-pk"),
}
RELEVANCE = "relevance"
SORT_CHOICES = (
    (RELEVANCE, _("Best match")),
    ("name", _("Name A–Z")),
    ("-name", _("Name Z–A")),
    ("member_number", _("Member number")),
    ("-joined_on", _("Newest members")),
    ("-updated_at", _("Recently updated")),
)
PAGE_SIZE = 50
# The query-string keys of the filters (what a saved filter keeps).
FILTER_KEYS = ("q", "status", "branch", "employer", "workplace", "position", "group",
               "field", "value", "low", "high", "life", "sort")
# Custom-field types by how their filter asks for a value (customfields.FieldType values).
CHOSEN_TYPES = ("choice", "multi_choice", "yes_no")  # the value is chosen with the field
RANGE_TYPES = ("number", "date")  # from … to
PAGES = {"branch": BranchPage, "employer": EmployerPage, "workplace": WorkplacePage}


def _blank(label):
    return [("", label)]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Membership status"), required=False,
                               choices=_blank(_("Any status")) + list(MembershipStatus.choices))
    # Branches, employers and workplaces are thousands: chosen by typing (a combobox
    # asking `views.choices`), the id travels in these fields.
    branch = forms.IntegerField(label=_("Branch"), required=False, widget=forms.HiddenInput)
    employer = forms.IntegerField(label=_("Employer"), required=False, widget=forms.HiddenInput)
    workplace = forms.IntegerField(label=_("Workplace"), required=False,
                                   widget=forms.HiddenInput)
    position = forms.ChoiceField(label=_("Position of trust"), required=False,
                                 choices=_blank(_("Any or none")) + list(PositionKind.choices))
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data, *, union, request=None):
        super().__init__(data)
        self.union = union
        self.request = request
        self.chosen: dict[str, object] = {}
        self._add_offered_fields()

    def _add_offered_fields(self):
        groups = offered("groups.selectors", "filter_people")
        group_choices = offered("groups.selectors", "group_choices")
        if groups and group_choices:
            self.fields["group"] = forms.ChoiceField(
                label=_("Group"), required=False,
                choices=_blank(_("Any group")) + list(group_choices(union=self.union)))
        fields = offered("customfields.selectors", "filter_people")
        field_choices = offered("customfields.selectors", "filterable_fields")
        if fields and field_choices:
            self.custom_fields = {str(f.pk): f for f in field_choices(union=self.union)}
            self.fields["field"] = forms.ChoiceField(
                label=_("Custom field"), required=False,
                choices=_blank(_("Any field")) + _custom_field_choices(
                    self.custom_fields.values()))
            self.fields["value"] = forms.CharField(label=_("Value"), required=False,
                                                   max_length=200)
            self.fields["low"] = forms.CharField(label=pgettext_lazy("range", "From"),
                                                 required=False, max_length=40)
            self.fields["high"] = forms.CharField(label=pgettext_lazy("range", "To"),
                                                  required=False, max_length=40)
        life = offered("lifeevents.selectors", "filter_people")
        life_choices = offered("lifeevents.selectors", "status_choices")
        if life and life_choices:
            self.fields["life"] = forms.ChoiceField(
                label=_("Life event"), required=False,
                choices=_blank(_("Any")) + list(life_choices()))

    def _clean_page(self, name):
        pk = self.cleaned_data.get(name)
        if pk is None:
            return None
        page = PAGES[name].objects.for_union(self.union).filter(pk=pk).only("pk", "title").first()
        if page is None:
            raise forms.ValidationError(_("Choose one of your union's own."), code="foreign")
        self.chosen[name] = page
        return pk

    def clean_branch(self):
        return self._clean_page("branch")

    def clean_employer(self):
        return self._clean_page("employer")

    def clean_workplace(self):
        return self._clean_page("workplace")

    def clean_field(self):
        value = self.cleaned_data.get("field")
        if not value:
            return None
        # "<id>" alone, or "<id>=<value>" for a value chosen with a choice field.
        pk, _sep, self.chosen_value = value.partition("=")
        chosen = self.custom_fields.get(pk)
        self.chosen["field"] = chosen
        return chosen

    def clean(self):
        cleaned = super().clean()
        field = cleaned.get("field")
        if field is not None:
            if getattr(self, "chosen_value", ""):
                cleaned["value"] = self.chosen_value
            elif field.field_type in RANGE_TYPES and (cleaned.get("low") or cleaned.get("high")):
                cleaned["value"] = f"{cleaned.get('low', '')}..{cleaned.get('high', '')}"
        return cleaned

    def value_kind(self) -> str:
        """Which value inputs the chosen custom field needs: "text", "range", "chosen"
        (none: the value came with the field), or "" (no field: show them all)."""
        field = self.chosen.get("field")
        if field is None:
            return ""
        if field.field_type in CHOSEN_TYPES:
            return "chosen"
        return "range" if field.field_type in RANGE_TYPES else "text"

    def field_kinds(self) -> str:
        """The value kind of each field id, as JSON for contacts/custom-field-filter.js."""
        return json.dumps({pk: "range" if f.field_type in RANGE_TYPES else
                           "chosen" if f.field_type in CHOSEN_TYPES else "text"
                           for pk, f in self.custom_fields.items()})

    @property
    def values(self) -> dict:
        """The valid filters (an invalid one is left out and its error shown)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    def sort_key(self) -> str:
        sort = self.values.get("sort")
        if not sort or (sort == RELEVANCE and not self.values.get("q")):
            return RELEVANCE if self.values.get("q") else "name"
        return sort

    def active_count(self) -> int:
        return sum(1 for key in FILTER_KEYS if key not in ("q", "sort", "value", "low", "high")
                   and self.values.get(key))


def _custom_field_choices(fields) -> list:
    """The filter's options: a choice, multiple-choice or yes/no field offers its values
    (a group per field: any value, then each choice); the others the field itself."""
    options = []
    for field in fields:
        pk = str(field.pk)
        if field.field_type in CHOSEN_TYPES:
            pairs = ([("yes", _("Yes")), ("no", _("No"))] if field.field_type == "yes_no"
                     else field.choice_pairs())
            options.append((field.label, [(pk, _("%(field)s: any value") % {"field": field.label})]
                            + [(f"{pk}={value}", f"{field.label}: {label}")
                               for value, label in pairs]))
        else:
            options.append((pk, field.label))
    return options


def apply_filters(people, values: dict, *, union):
    """`people` narrowed by every filter in `values` (not the search), set-based."""
    if values.get("status"):
        people = people.filter(membership_status=values["status"])
    if values.get("branch"):
        people = people.filter(branch_id=values["branch"])
    jobs = Employment.objects.for_union(union).current().filter(person_id=OuterRef("pk"))
    if values.get("employer"):
        people = people.filter(Exists(jobs.filter(employer_id=values["employer"])))
    if values.get("workplace"):
        people = people.filter(Exists(jobs.filter(workplace_id=values["workplace"])))
    if values.get("position"):
        people = people.filter(Exists(PositionOfTrust.objects.for_union(union).current().filter(
            person_id=OuterRef("pk"), kind=values["position"])))
    if values.get("group"):
        people = offered("groups.selectors", "filter_people")(
            people, union=union, group=values["group"])
    if values.get("field"):
        people = offered("customfields.selectors", "filter_people")(
            people, union=union, field=values["field"], value=values.get("value", ""))
    if values.get("life"):
        people = offered("lifeevents.selectors", "filter_people")(
            people, union=union, status=values["life"])
    return people


def base_people(union, values: dict):
    """The union's people the list starts from: the living ones (life events: a deceased
    person leaves the lists), unless the life-event filter asks for the deceased."""
    people = Person.objects.for_union(union)
    if values.get("life") != "deceased":
        people = people.living()
    return people
