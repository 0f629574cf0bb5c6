from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.agreements.models import CollectiveAgreementPage
from portal.people.models import Person
from portal.union.models import Role
from portal.workplaces.models import EmployerPage
from portal.workplaces.validators import normalise_business_id

from .models import Channel, Outcome, TargetKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}),
                           required=False)
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE, required=False)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, required=False,
                                   empty_value=None)
    target_kind = forms.ChoiceField(label=_("Target group of"), choices=TargetKind.choices,
                                    widget=forms.RadioSelect)
    city = forms.CharField(label=_("City"), max_length=100, required=False,
                           help_text=_("For branches: the branch's municipality."))
    industry = forms.ChoiceField(label=_("Sector"), required=False)
    agreement = forms.TypedChoiceField(label=_("Collective agreement"), coerce=int,
                                       required=False, empty_value=None)
    employer = forms.CharField(label=_("Employer's business ID"), max_length=12,
                               required=False, help_text=_("Workplaces of one employer."))
    size_min = forms.IntegerField(label=_("At least this many people"), min_value=0,
                                  required=False)
    size_max = forms.IntegerField(label=_("At most this many people"), min_value=0,
                                  required=False)
    density_below = forms.IntegerField(label=_("Union density below (%)"), min_value=1,
                                       max_value=100, required=False)

    FILTER_FIELDS = ("city", "industry", "agreement", "employer", "size_min", "size_max",
                     "density_below")

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        owners = (Person.objects.for_union(union)
                  .filter(user__groups__union_role__union=union,
                          user__groups__union_role__role__in=(Role.STAFF, Role.ADMIN))
                  .distinct().order_by("last_name", "first_name"))
        self.fields["owner"].choices = [("", "–")] + [(p.pk, p.full_name) for p in owners]
        if len(self.fields["owner"].choices) == 1:
            del self.fields["owner"]  # no staff with a profile here: nothing to choose
        industries = (EmployerPage.objects.for_union(union).exclude(industry="")
                      .order_by("industry").values_list("industry", flat=True).distinct())
        self.fields["industry"].choices = [("", _("Any"))] + [(i, i) for i in industries]
        agreements = CollectiveAgreementPage.objects.for_union(union).order_by("title")
        self.fields["agreement"].choices = [("", _("Any"))] + [(a.pk, a.title)
                                                                for a in agreements]

    def clean_employer(self):
        value = self.cleaned_data["employer"].strip()
        if not value:
            return None
        try:
            value = normalise_business_id(value)
        except ValidationError:
            raise ValidationError(_("Give a business ID such as 0112038-9.")) from None
        employer = (EmployerPage.objects.for_union(self.union).filter(business_id=value)
                    .values_list("pk", flat=True).first())
        if employer is None:
            raise ValidationError(_("No employer of the union has this business ID."))
        return employer

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The campaign ends before it starts."))
        return data

    def filters(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.FILTER_FIELDS
                if self.cleaned_data.get(k) not in (None, "")}

    def owner_person(self):
        pk = self.cleaned_data.get("owner") if "owner" in self.fields else None
        return Person.objects.for_union(self.union).filter(pk=pk).first() if pk else None

    @staticmethod
    def initial_for(campaign, employer_business_id: str = "") -> dict:
        return {"name": campaign.name, "goal": campaign.goal, "starts_on": campaign.starts_on,
                "ends_on": campaign.ends_on, "owner": campaign.owner_id,
                "target_kind": campaign.target_kind,
                **{k: v for k, v in campaign.target_filters.items() if k != "employer"},
                "employer": employer_business_id}


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    contacted_on = forms.DateField(label=_("When"), widget=DATE, initial=timezone.localdate)
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Only what the campaign needs. No health, beliefs "
                                        "or other sensitive details."))

    def clean_contacted_on(self):
        value = self.cleaned_data["contacted_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date is in the future."))
        return value


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    workplace = forms.TypedChoiceField(label=_("Workplace"), coerce=int)
    terms = forms.CharField(label=_("Team's terms"), widget=forms.Textarea(attrs={"rows": 4}),
                            initial=_("I keep what I learn of my colleagues in the campaign "
                                      "confidential and use it only for the campaign."))
    ends_on = forms.DateField(label=_("Members' rights end"), widget=DATE)

    def __init__(self, *args, workplaces: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace"].choices = workplaces

    def clean_ends_on(self):
        value = self.cleaned_data["ends_on"]
        if value < timezone.localdate():
            raise ValidationError(_("The date has passed."))
        return value


class AcceptForm(forms.Form):
    terms_accepted = forms.BooleanField(label=_("I accept the team's terms"), required=False)
