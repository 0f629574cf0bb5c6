"""Links to pages of the union's own site without instantiating the pages.

`{% pageurl page %}` needs a Page object, and a Wagtail page object costs about a
tenth of a millisecond to build; a branch page listing 50 workplaces (with their
employers) built a hundred of them per request. Lists of links read only the columns
they show and compute the URL from `url_path` exactly as Wagtail does for a page of
the current site: the path below the site's root page.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Site


@dataclass(frozen=True)
class PageLink:
    pk: int
    title: str
    url: str
    note: object = ""  # the extra column's value: a city, an employer's name, a date


def root_paths(site_id: int) -> list[str]:
    # Wagtail's cached list (one entry per site and translation of its root page).
    return [p.root_path for p in Site.get_site_root_paths() if p.site_id == site_id]


def site_url(site_id: int, url_path: str, roots: list[str] | None = None) -> str:
    """The site-relative URL of a page of this site, from its `url_path`."""
    for root_path in roots if roots is not None else root_paths(site_id):
        if url_path.startswith(root_path):
            return url_path[len(root_path) - 1:]
    raise ValueError(f"{url_path} is not a page of site {site_id}")


def page_links(union, pages, note: str | None = None) -> list[PageLink]:
    """Links to `pages` (a queryset of the union's pages, ordered as wanted); `note` names
    one more column to show beside the title (e.g. "city", "employer__title")."""
    columns = ["pk", "title", "url_path"] + ([note] if note else [])
    roots = root_paths(union.site_id)
    return [
        PageLink(pk=row[0], title=row[1], url=site_url(union.site_id, row[2], roots),
                 note=(row[3] or "") if note else "")
        for row in pages.values_list(*columns)
    ]
