"""The campaign centre's audit targets in words, for the legal-basis view of a person
(privacy's `describe_audit_targets` hook): "campaign:12:contact" reads "Campaign “Kevät”:
the contact page", in the reader's language."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .models import Campaign, CampaignTeam

CAMPAIGN = re.compile(
    r"^campaign:(\d+)(?::(contact|people|log|leaders)(?::\d+)?)?(?::potential:.*)?$")
TEAM = re.compile(r"^campaign-team:(\d+)(?::(invitation))?$")


def _parts() -> dict[str, str]:
    return {
        "": _("key figures"),
        "contact": _("the contact page"),
        "people": _("people to contact"),
        "log": _("contact log"),
        "leaders": _("potential leaders"),
        "invitation": _("the invitation"),
    }


def describe(union, targets) -> dict[str, str]:
    """{target: text} for the campaign centre's targets among `targets` (two queries)."""
    campaigns, teams = {}, {}
    for target in targets:
        if match := CAMPAIGN.match(target):
            campaigns[target] = (int(match[1]), match[2] or "")
        elif match := TEAM.match(target):
            teams[target] = (int(match[1]), match[2] or "")
    if not campaigns and not teams:
        return {}
    parts = _parts()
    names = dict(Campaign.objects.for_union(union).filter(
        pk__in={pk for pk, _part in campaigns.values()}).values_list("pk", "name")) \
        if campaigns else {}
    team_names = dict(CampaignTeam.objects.for_union(union).filter(
        pk__in={pk for pk, _part in teams.values()}).values_list("pk", "name")) \
        if teams else {}
    found = {}
    for target, (pk, part) in campaigns.items():
        name = names.get(pk)
        text = (_("Campaign “%(name)s”") % {"name": name} if name
                else _("A removed campaign"))
        found[target] = f"{text}: {parts[part]}"
    for target, (pk, part) in teams.items():
        name = team_names.get(pk)
        text = (_("Campaign team “%(name)s”") % {"name": name} if name
                else _("A removed campaign team"))
        found[target] = f"{text}: {parts[part]}" if part else text
    return found
