"""Calling from a conversation, and the choices of the history search."""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef

from portal.audit.log import AuditAction, record
from portal.people.models import Employment, Person
from portal.people.scopes import VISIBLE_FIELDS, people_visible_to, visibility_of

from .models import Participant
from .names import names_of


def tel_href(phone: str) -> str:
    """`tel:` with the number's digits and a leading +, as dialers expect (RFC 3966)."""
    digits = re.sub(r"[^\d+]", "", phone)
    return f"tel:{digits[:1]}{digits[1:].replace('+', '')}" if digits else ""


def call_target(request, thread, *, audit: bool = True) -> dict | None:
    """The other participant's phone of a one-to-one conversation, when the viewer may
    see it (the same rule as their person card); viewing it is audited (`audit`: the
    view's once-per-conversation-and-session rule, views._audit_due)."""
    others = thread.others
    if len(others) != 1 or not others[0].person_id:
        return None
    union = request.union
    person = Person.objects.for_union(union).filter(pk=others[0].person_id).first()
    if person is None or not person.phone:
        return None
    visibility = visibility_of(request.user, union, person)
    if "phone" not in VISIBLE_FIELDS[visibility]:
        return None
    if audit:
        record(actor=request.user, union=union, action=AuditAction.VIEW, person=person,
               fields=("name", "phone"), target=f"/discussions/{thread.conversation.pk}/")
    return {"name": others[0].name, "phone": person.phone, "href": tel_href(person.phone)}


def search_choices(request) -> tuple[list[dict], list[dict]]:
    """People the account has conversations with, and the current workplaces of those of
    them the account may see (a fixed number of queries)."""
    union, user = request.union, request.user
    mine = Participant.objects.for_union(union).filter(user=user).values("conversation_id")
    partner_ids = set(Participant.objects.for_union(union).filter(conversation_id__in=mine)
                      .exclude(user=user).values_list("user_id", flat=True)[:500])
    names = names_of(partner_ids)
    people = sorted(({"pk": pk, "name": name} for pk, name in names.items()),
                    key=lambda p: p["name"].lower())
    partners = people_visible_to(user, union).filter(user_id__in=partner_ids)
    workplaces = dict(Employment.objects.for_union(union).current()
                      .filter(Exists(partners.filter(pk=OuterRef("person_id"))),
                              workplace__isnull=False)
                      .values_list("workplace_id", "workplace__title"))
    return people, sorted(({"pk": pk, "name": title} for pk, title in workplaces.items()),
                          key=lambda w: w["name"].lower())
