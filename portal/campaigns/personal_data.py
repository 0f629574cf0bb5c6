"""The campaign centre, declared to the registry (docs/privacy.md). Contact-log entries
are anonymised when a person is erased (kept pointing at the erased profile's empty stub,
their next step and notes cleared: the entry still counts in the campaign's figures), and
so when a potential member is erased — on their date by mapping's daily task, or removed
by hand (the foreign key's `on_delete`, `models.anonymise_contact`: unlinked, next step and
notes cleared); team places are erased."""

from portal.privacy.registry import (
    Basis,
    Category,
    Erasure,
    Personal,
    Retention,
    Source,
    Subject,
    declare,
    declare_not_personal,
)

from .models import Campaign, CampaignTarget, CampaignTeam, ContactEntry, TeamMember

CONTACT = Personal(Category.COMMUNICATION, Basis.LEGITIMATE, Source.OFFICIAL,
                   Retention.MEMBERSHIP, Erasure.ANONYMISE)
TEAM = Personal(Category.TRUST, Basis.ART9, Source.SELF, Retention.MEMBERSHIP)
ACTOR = Personal(Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG, Erasure.ANONYMISE)

# Kept (the campaign's figures count it) and unlinked; its free texts, which may name or
# describe the person, are cleared.
declare(ContactEntry, subjects={"person": Subject.PERSON, "contacted_by": Subject.PERSON,
                                "logged_by": Subject.USER}, fields={
    **CONTACT.on("person", "potential", "campaign", "target", "contacted_at", "channel",
                 "outcome", "created_at"),
    **CONTACT.but(erasure=Erasure.ERASE).on("next_step", "notes"),
    "contacted_by": ACTOR, "logged_by": ACTOR}, not_personal={
    "potential_ref": "a potential member's row number, so that 'people contacted' counts "
                     "them once after they are erased; it names no row once they are gone"})
declare(TeamMember, subjects={"person": Subject.PERSON, "invited_by": Subject.USER}, fields={
    **TEAM.on("person", "team", "status", "invited_at", "accepted_at", "accepted_terms",
              "starts_on", "ends_on"), "invited_by": ACTOR})
declare(Campaign, subjects={"owner": Subject.PERSON, "owner_user": Subject.USER,
                            "created_by": Subject.USER}, fields={
    "owner": ACTOR.but(category=Category.ACTIVITY, source=Source.STAFF),
    "owner_user": ACTOR.but(category=Category.ACTIVITY, source=Source.STAFF),
    "created_by": ACTOR}, not_personal={
    "name": "the campaign's name", "goal": "the campaign's goal",
    "target_filters": "filters of workplaces, employers or branches (city, sector, size, "
                      "density), never of people"})
declare(CampaignTeam, subjects={"created_by": Subject.USER}, fields={"created_by": ACTOR},
        not_personal={"name": "the team's name", "terms": "the terms members accept"})
declare_not_personal(CampaignTarget, "a campaign's target page and its member counts")
