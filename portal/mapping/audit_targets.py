"""Workplace mapping's audit targets in words, for the legal-basis view of a person
(privacy's `describe_audit_targets` hook): "/mapping/7/people/42/" reads "Workplace
mapping of “Kauppa”: the person's page", in the reader's language."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from portal.workplaces.models import WorkplacePage

PATH = re.compile(r"^/mapping/(\d+)/(?:(people)/\d+/|(export)\.csv|(potential)/.*)?(?: .*)?$")
CODE = re.compile(r"^workplace:(\d+)$")


def describe(union, targets) -> dict[str, str]:
    """{target: text} for mapping's targets among `targets` (one query)."""
    found: dict[str, tuple[int, str]] = {}
    own = _("Own assessment")
    plain = {"/mapping/my-assessment/": own}
    for target in targets:
        if match := PATH.match(target):
            part = "person" if match[2] else "export" if match[3] else \
                "potential" if match[4] else "list"
            found[target] = (int(match[1]), part)
        elif match := CODE.match(target):
            found[target] = (int(match[1]), "")
    result = {target: text for target, text in plain.items() if target in targets}
    if not found:
        return result
    titles = dict(WorkplacePage.objects.for_union(union).filter(
        pk__in={pk for pk, _part in found.values()}).values_list("pk", "title"))
    parts = {"person": _("the person's page"), "export": _("download as CSV"),
             "potential": _("potential members"), "list": _("people of the workplace"),
             "": ""}
    for target, (pk, part) in found.items():
        title = titles.get(pk)
        text = (_("Workplace mapping of “%(workplace)s”") % {"workplace": title} if title
                else _("Workplace mapping of a removed workplace"))
        result[target] = f"{text}: {parts[part]}" if parts[part] else text
    return result
