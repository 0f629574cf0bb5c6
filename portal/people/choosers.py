"""Choosing the employer and the workplace of an employment without listing thousands.

The main search finds them (`search.choosers`: Elasticsearch or the database), only
among this union's pages; workplaces only among the chosen employer's. The page works
two ways with the same server code:

- with JavaScript (`static/people/employment_form.js`), each field is a combobox that
  asks `views.employment_choices` (JSON) as the person types;
- without it, the person types a name and presses the field's Search button; the form
  comes back with the matches as radio buttons (and everything else as typed).

Whatever is posted, `EmploymentForm` accepts only this union's live pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.choosers import find_organisations

# Without a name typed, a chosen employer's workplaces are listed, at most this many.
WORKPLACES_LISTED = 20


@dataclass(frozen=True)
class Choice:
    pk: int
    title: str
    subtitle: str = ""
    checked: bool = False

    def as_json(self) -> dict:
        return {"id": self.pk, "title": self.title, "subtitle": self.subtitle}


def own_page(queryset, value):
    """The page of `queryset` (already the union's live pages) with id `value`, or None."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return queryset.filter(pk=pk).first()


def _subtitle(page) -> str:
    return " · ".join(filter(None, [getattr(page, "business_id", ""), page.city]))


def find_employers(request, query: str) -> list[Choice]:
    return [Choice(pk=hit.object_id, title=hit.title, subtitle=hit.subtitle)
            for hit in find_organisations(user=request.user, union=request.union,
                                          query=query, kind="employer")]


def find_workplaces(request, employer, query: str) -> list[Choice]:
    """Workplaces of `employer` (one of this union's) matching `query`; with no query,
    the first of its workplaces by name."""
    if employer is None:
        return []
    return [Choice(pk=hit.object_id, title=hit.title, subtitle=hit.subtitle)
            for hit in find_organisations(user=request.user, union=request.union, query=query,
                                          kind="workplace", employer_id=employer.pk,
                                          limit=WORKPLACES_LISTED)]


def with_chosen(choices: list[Choice], chosen) -> list[Choice]:
    """The options of a radio group: the chosen page first and checked, then the rest."""
    if chosen is None:
        return choices
    first = Choice(pk=chosen.pk, title=chosen.title, subtitle=_subtitle(chosen), checked=True)
    return [first] + [c for c in choices if c.pk != chosen.pk]
