"""The demo's campaign: a running campaign at the demo workplace's employer, started a
month ago, with contacts the demo steward logged, a campaign team for the demo workplace
and the demo member invited to it (the invitation waits in their activity stream).
Written through the actions, so the audit log shows it like real work."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import User
from portal.people.models import Person

from . import actions
from .models import Channel, Outcome

TEXTS = {
    "fi": {"name": "Järjestäytymiskampanja {employer}", "team": "Kampanjatiimi {workplace}",
           "goal": "Nostetaan järjestäytymisaste yli 60 prosenttiin ennen seuraavia "
                   "TES-neuvotteluja.",
           "terms": "Pidän kampanjassa työtovereistani saamani tiedot luottamuksellisina ja "
                    "käytän niitä vain kampanjaan.",
           "steps": ("Soita uudelleen ensi viikolla", "Lähetä liittymislinkki",
                     "Tapaa kahvitauolla", "")},
    "sv": {"name": "Organiseringskampanj {employer}", "team": "Kampanjteam {workplace}",
           "goal": "Höj organisationsgraden till över 60 procent före nästa "
                   "avtalsförhandlingar.",
           "terms": "Jag håller det jag får veta om mina kolleger i kampanjen konfidentiellt "
                    "och använder det bara för kampanjen.",
           "steps": ("Ring igen nästa vecka", "Skicka länken för att gå med",
                     "Träffas på kaffepausen", "")},
}
OUTCOMES = (Outcome.POSITIVE, Outcome.NOT_REACHED, Outcome.UNDECIDED, Outcome.POSITIVE,
            Outcome.NEGATIVE, Outcome.JOINED)


def seed_demo_campaign(union, workplace, language: str) -> None:
    texts = TEXTS.get(language, TEXTS["fi"])
    staff = User.objects.get(union=union, email=f"staff@{union.slug}.example")
    steward = Person.objects.for_union(union).get(user__email=f"steward@{union.slug}.example")
    member = Person.objects.for_union(union).get(user__email=f"member@{union.slug}.example")
    today = timezone.localdate()
    campaign = actions.create_campaign(
        union=union, acting_user=staff, owner_user=staff,
        name=texts["name"].format(employer=workplace.employer.title),
        goal=texts["goal"], starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=90), target_kind="workplace",
        target_filters={"employer": workplace.employer_id})
    colleagues = list(Person.objects.for_union(union)
                      .filter(employments__workplace=workplace)
                      .exclude(pk__in=[steward.pk, member.pk]).order_by("pk")[:6])
    for n, person in enumerate(colleagues):
        actions.log_contact(
            campaign=campaign, person=person, acting_user=steward.user,
            channel=(Channel.CALL, Channel.IN_PERSON, Channel.MESSAGE)[n % 3],
            outcome=OUTCOMES[n % len(OUTCOMES)], contacted_by=steward,
            contacted_at=timezone.now() - dt.timedelta(days=20 - 3 * n),
            next_step=texts["steps"][n % len(texts["steps"])])
    team = actions.create_team(
        campaign=campaign, workplace=workplace, acting_user=steward.user,
        name=texts["team"].format(workplace=workplace.title), terms=texts["terms"],
        ends_on=today + dt.timedelta(days=90))
    actions.invite(team=team, people=[member], acting_user=steward.user)
