"""The demo's bulletin sendings: what makes its bulletins visible (portal/branches/
visibility.py) and shows the three cases on the demo accounts' branch.

- Every bulletin seeded so far counts as sent to its whole branch: public.
- On the demo branch, one bulletin sent only to the demo workplace (the demo member,
  steward and chair work there: they see it, signed-out visitors do not) and one
  scheduled a few days ahead (only the chair and staff see it until it is sent).

Rows are written directly, not through `send_bulletin`: nobody is emailed.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.activity.actions import record_events
from portal.activity.models import ActivityKind
from portal.branches.models import BulletinPage

from .audience import Audience, audience_people
from .models import BulletinSend, Delivery, DeliveryStatus, SendStatus

TEXTS = {
    "fi": {
        "workplace": ("Työpaikkakokous torstaina",
                      "<p>Tervetuloa työpaikkakokoukseen torstaina kello 15 taukotilaan.</p>"
                      "<p>Asialistalla työvuorolistat ja kesälomat.</p>"),
        "scheduled": ("Pikkujoulut joulukuussa",
                      "<p>Osaston pikkujoulut pidetään joulukuussa. Ilmoittautuminen alkaa "
                      "pian.</p>"),
    },
    "sv": {
        "workplace": ("Arbetsplatsmöte på torsdag",
                      "<p>Välkommen till arbetsplatsmötet på torsdag klockan 15 i "
                      "pausrummet.</p><p>På dagordningen: arbetsscheman och semestrar.</p>"),
        "scheduled": ("Julfest i december",
                      "<p>Avdelningens julfest hålls i december. Anmälan öppnar snart.</p>"),
    },
}


def _sent(bulletin, audience: Audience, now) -> BulletinSend:
    return BulletinSend.objects.create(
        union_id=bulletin.union_id, bulletin=bulletin, audience=audience.to_json(),
        whole_branch=audience.whole_branch, status=SendStatus.DONE, queued_at=now,
        started_at=now, finished_at=now)


def seed_demo_sends(union, branch, workplace, language: str) -> None:
    now = timezone.now()
    for bulletin in BulletinPage.objects.for_union(union).live().filter(send__isnull=True):
        _sent(bulletin, Audience(), now)
    texts = TEXTS.get(language, TEXTS["fi"])
    today = timezone.localdate()
    added = {}
    for key, days in (("workplace", 1), ("scheduled", 0)):
        title, body = texts[key]
        added[key] = branch.add_child(instance=BulletinPage(
            title=title, slug=f"demo-{key}", union=union, locale=branch.locale,
            date=today - dt.timedelta(days=days), summary="", body=body))
    narrow = Audience(workplaces=(workplace.pk,))
    send = _sent(added["workplace"], narrow, now)
    people = list(audience_people(branch, narrow).values_list("pk", "email"))
    Delivery.objects.bulk_create([
        Delivery(union=union, send=send, person_id=pk, email=email, language=language,
                 status=DeliveryStatus.SENT, sent_at=now) for pk, email in people])
    url = added["workplace"].get_full_url() or ""
    record_events(union=union, kind=ActivityKind.BULLETIN, occurs_at=now,
                  source=f"bulletin:{added['workplace'].pk}",
                  items=[(pk, added["workplace"].title, url) for pk, _email in people])
    BulletinSend.objects.create(
        union=union, bulletin=added["scheduled"], audience=Audience().to_json(),
        whole_branch=True, status=SendStatus.SCHEDULED,
        scheduled_for=now + dt.timedelta(days=3))
