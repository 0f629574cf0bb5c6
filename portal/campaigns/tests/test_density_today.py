"""The density chart's point for today is the density now — the figure printed above the
chart. The snapshots are taken once a day, so a potential member mapped in the morning
lowered "density now" while the chart (and its table) still drew the night's snapshot:
two different densities for the same day on one page."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from portal.mapping.models import DensitySnapshot


def test_todays_point_is_the_density_now(w):
    a = w["a"]
    campaign, low = a["campaign"], a["low"]
    today = timezone.localdate()
    for day, members in ((today - dt.timedelta(days=1), 1), (today, 1)):  # stale: 1 of 4
        DensitySnapshot.objects.create(union=a["union"], date=day, scope_type="workplace",
                                       scope_id=low.pk, members=members, base=4)
    client = Client(HTTP_HOST=a["host"])
    client.force_login(a["people"]["staff"].user)
    context = client.get(f"/campaigns/{campaign.pk}/").context
    now = context["density_now"]
    assert now == 75.0  # steward, colleague and member of the four in the register
    assert context["series"] == [(today - dt.timedelta(days=1), 25.0), (today, now)]
