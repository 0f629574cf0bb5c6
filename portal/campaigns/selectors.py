"""Reads of the campaign centre: who is in a target group, whom a user may contact, the
contact log, potential leaders. Every query is scoped to the campaign's union."""

from __future__ import annotations

from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from portal.mapping.models import PotentialMember
from portal.people.models import Employment, Person, PositionOfTrust
from portal.workplaces.models import WorkplacePage

from .models import Campaign, CampaignTarget, ContactEntry, Outcome, TargetKind
from .permissions import Access, visible_target_ids


def _current_jobs():
    today = timezone.localdate()
    return (Employment.objects.filter(person=OuterRef("pk"))
            .filter(Q(starts_on__lte=today) | Q(starts_on__isnull=True))
            .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True)))


def _in_targets_q(campaign: Campaign, scope_ids=None) -> Q:
    targets = CampaignTarget.objects.filter(campaign=campaign)
    if scope_ids is not None:
        targets = targets.filter(scope_id__in=list(scope_ids))
    ids = targets.values("scope_id")
    if campaign.target_kind == TargetKind.WORKPLACE:
        return Q(Exists(_current_jobs().filter(workplace_id__in=ids)))
    if campaign.target_kind == TargetKind.EMPLOYER:
        return Q(Exists(_current_jobs().filter(employer_id__in=ids)))
    return Q(branch_id__in=ids)


def people_of_targets(campaign: Campaign, *, scope_ids=None,
                      workplace_ids=None) -> QuerySet[Person]:
    """Living people of the campaign's target group now (of some targets, or of some
    workplaces inside it)."""
    people = Person.objects.for_union(campaign.union).living().filter(
        _in_targets_q(campaign, scope_ids))
    if workplace_ids is not None:
        people = people.filter(Exists(_current_jobs().filter(workplace_id__in=workplace_ids)))
    return people


def contactable_people(access: Access, campaign: Campaign) -> QuerySet[Person]:
    """Whom this user may see and log contacts with in the campaign: staff the whole
    target group; an official the part in their scope; a team member their team's
    workplace."""
    if access.staff:
        return people_of_targets(campaign)
    people = Person.objects.for_union(campaign.union).living()
    q = Q(pk__in=[])
    scope_ids = access.scope_ids(campaign.target_kind)
    if scope_ids:
        q |= _in_targets_q(campaign, scope_ids)
    team_workplaces = access.teams.get(campaign.pk)
    if team_workplaces:
        q |= _in_targets_q(campaign) & Q(Exists(
            _current_jobs().filter(workplace_id__in=team_workplaces)))
    return people.filter(q)


def target_of_person(campaign: Campaign, person: Person) -> CampaignTarget | None:
    targets = CampaignTarget.objects.filter(campaign=campaign)
    if campaign.target_kind == TargetKind.BRANCH:
        return targets.filter(scope_id=person.branch_id).first() if person.branch_id else None
    field = "workplace_id" if campaign.target_kind == TargetKind.WORKPLACE else "employer_id"
    jobs = Employment.objects.current().filter(person=person).values(field)
    return targets.filter(scope_id__in=jobs).order_by("scope_id").first()


def potential_of_targets(campaign: Campaign, *, scope_ids=None) -> QuerySet[PotentialMember]:
    """Workplace mapping's potential members in the campaign's target group: of its
    workplaces, of its employers' workplaces, or (branches) of the workplaces where the
    branch's members work now — as density counts them."""
    targets = CampaignTarget.objects.filter(campaign=campaign)
    if scope_ids is not None:
        targets = targets.filter(scope_id__in=list(scope_ids))
    ids = targets.values("scope_id")
    potential = PotentialMember.objects.for_union(campaign.union)
    if campaign.target_kind == TargetKind.WORKPLACE:
        return potential.filter(workplace_id__in=ids)
    if campaign.target_kind == TargetKind.EMPLOYER:
        return potential.filter(workplace__employer_id__in=ids)
    return potential.filter(workplace_id__in=Employment.objects.current().filter(
        person__branch_id__in=ids, workplace__isnull=False).values("workplace_id"))


def contactable_potential(access: Access, campaign: Campaign, *,
                          mapping_on: bool = True) -> QuerySet[PotentialMember]:
    """Potential members this user may see and log contacts with: they are mapping data,
    so only the mappers of their workplace — staff, its officials, its campaign team while
    it lasts (the same rule as assessments in `potential_leaders`) — and only while the
    union has workplace mapping on."""
    if not mapping_on:
        return PotentialMember.objects.none()
    potential = potential_of_targets(campaign)
    if access.staff:
        return potential
    return potential.filter(workplace_id__in=list(access.workplace_ids(campaign.pk)))


def target_of_potential(campaign: Campaign, potential: PotentialMember) -> CampaignTarget | None:
    targets = CampaignTarget.objects.filter(campaign=campaign)
    if campaign.target_kind == TargetKind.WORKPLACE:
        return targets.filter(scope_id=potential.workplace_id).first()
    if campaign.target_kind == TargetKind.EMPLOYER:
        return targets.filter(scope_id=WorkplacePage.objects.filter(
            pk=potential.workplace_id).values("employer_id")[:1]).first()
    branches = Employment.objects.current().filter(
        workplace_id=potential.workplace_id).values("person__branch_id")
    return targets.filter(scope_id__in=branches).order_by("scope_id").first()


def targets_for(access: Access, campaign: Campaign):
    """The campaign's target rows this user sees."""
    targets = CampaignTarget.objects.filter(campaign=campaign)
    ids = visible_target_ids(access, campaign)
    if ids is not None:
        if campaign.target_kind == TargetKind.EMPLOYER and access.teams.get(campaign.pk):
            ids = ids | set(WorkplacePage.objects.filter(pk__in=access.teams[campaign.pk])
                            .values_list("employer_id", flat=True))
        targets = targets.filter(scope_id__in=list(ids))
    return targets


def contact_log(access: Access, campaign: Campaign, *, person_id: int | None = None,
                potential_id: int | None = None, mapping_on: bool = True):
    """Entries of the people and potential members this user may contact (newest first;
    the view pages them). Staff also see the anonymised entries of erased people."""
    entries = (ContactEntry.objects.for_union(campaign.union).filter(campaign=campaign)
               .select_related("person", "potential", "contacted_by", "logged_by"))
    if person_id is not None:
        entries = entries.filter(person_id=person_id)
    if potential_id is not None:
        entries = entries.filter(potential_id=potential_id)
    if not mapping_on:
        entries = entries.filter(potential__isnull=True)
    if not access.staff:
        entries = entries.filter(
            Q(person__in=contactable_people(access, campaign))
            | Q(potential__in=contactable_potential(access, campaign, mapping_on=mapping_on)))
    return entries


def contacted_person_ids(*, union, since=None, campaign=None, field: str = "person_id"):
    """Ids of people (`field="potential_id"`: of potential members) with a logged contact
    (a values queryset usable as a subquery): workplace mapping's "contacted or not"
    filter reads them through its hook."""
    entries = ContactEntry.objects.for_union(union).filter(**{f"{field}__isnull": False})
    if since is not None:
        entries = entries.filter(contacted_at__date__gte=since)
    if campaign is not None:
        entries = entries.filter(campaign=campaign)
    return entries.values(field)


LEADER_LEVELS = (1, 2)  # mapping's assessment: 1 = leader/active, 2 = supporter


def potential_leaders(access: Access, campaign: Campaign, *, limit: int = 100) -> list[dict]:
    """People of the target group this user sees who show signs of leadership (U-3.5.11):
    a current assessment of 1–2 (workplace mapping), a position of trust held now,
    conversations in this campaign that went well or that they held themselves. Meetings
    attended would count too; no meeting records exist yet. One query. Each person
    carries `workplace_id` and `workplace_title` (their current workplace)."""
    from portal.mapping.models import Assessment

    assessments = Assessment.objects.filter(person=OuterRef("pk"))
    if not access.staff:
        # Mapping data: only of workplaces this user maps (not a branch official's view).
        assessments = assessments.filter(workplace_id__in=list(access.workplace_ids(campaign.pk)))
    latest = assessments.order_by("-assessed_on", "-created_at").values("level")[:1]
    positions = PositionOfTrust.objects.current().filter(person=OuterRef("pk"))
    good = ContactEntry.objects.filter(campaign=campaign, person=OuterRef("pk"),
                                       outcome__in=(Outcome.POSITIVE, Outcome.JOINED))
    held = ContactEntry.objects.filter(campaign=campaign, contacted_by=OuterRef("pk"))

    def count(qs):
        return Subquery(qs.order_by().values("campaign_id").annotate(n=Count("pk"))
                        .values("n"), output_field=IntegerField())

    today = timezone.localdate()
    job = (Employment.objects.filter(person=OuterRef("pk"), workplace__isnull=False)
           .filter(Q(starts_on__lte=today) | Q(starts_on__isnull=True))
           .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True)).order_by("workplace_id"))
    mapped = access.workplace_ids(campaign.pk)
    if not access.staff and mapped:
        # A steward or team member sees the job at the workplace they work with: another
        # job is employment data outside their scope (a branch official's scope is the
        # branch's members, their jobs included).
        job = job.filter(workplace_id__in=list(mapped))
    people = (contactable_people(access, campaign)
              .annotate(workplace_id=Subquery(job.values("workplace_id")[:1],
                                              output_field=IntegerField()),
                        workplace_title=Subquery(job.values("workplace__title")[:1],
                                                 output_field=CharField()))
              .annotate(level=Subquery(latest, output_field=IntegerField()),
                        holds_position=Exists(positions), good=count(good), held=count(held))
              .filter(Q(level__in=LEADER_LEVELS) | Q(holds_position=True) | Q(good__gt=0)
                      | Q(held__gt=0)))
    rows = []
    for person in people.order_by("last_name", "first_name")[:1000]:
        reasons = []
        score = 0
        if person.level in LEADER_LEVELS:
            reasons.append(("assessment", person.level))
            score += 4 if person.level == 1 else 2
        if person.holds_position:
            reasons.append(("position", None))
            score += 3
        if person.good:
            reasons.append(("good", person.good))
            score += min(person.good, 3)
        if person.held:
            reasons.append(("held", person.held))
            score += min(person.held, 3)
        rows.append({"person": person, "score": score, "reasons": reasons})
    rows.sort(key=lambda r: (-r["score"], r["person"].last_name, r["person"].first_name))
    return rows[:limit]
