"""What an agreement page shows: its covered employers, the same for every member, kept
with the page's cached sections (portal/union/sections.py). Counting and sorting the
employers of a large agreement cost more than the rest of the page (docs/benchmarks.md);
any page save in the union, an employer's agreements included, makes them stale.

The page's HTML is a rendered section too (`{% sectionhtml "content" %}` in its
template): the list is read lazily, so a view served from that HTML reads nothing."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from portal.union.sections import cached_section

# Bounded: an agreement can cover thousands of employers; the page shows the first ones.
COVERED_EMPLOYERS_SHOWN = 50


def agreement_page_context(page, request) -> dict:
    def build() -> dict:
        employers = page.employers.live()
        return {
            "covered_employers": [
                {"title": employer.title, "url": employer.get_url(request)}
                for employer in employers.order_by("title")
                .only("id", "title", "url_path")[:COVERED_EMPLOYERS_SHOWN]
            ],
            "covered_employer_count": employers.count(),
        }

    def covered() -> dict:
        return cached_section(request=request, page=page, name="covered_employers",
                              build=build)

    return {
        "covered_employers": SimpleLazyObject(lambda: covered()["covered_employers"]),
        "covered_employer_count": SimpleLazyObject(
            lambda: covered()["covered_employer_count"]),
    }
