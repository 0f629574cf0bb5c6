"""The kinds' fields as staff see them in the mapping screen: a label in each language,
and the header names that suggest a field when no mapping is remembered."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.register.records import KINDS, Kind

# Labels by field name; a kind may give a field its own (kind, field).
LABELS = {
    "member_number": _("member number"),
    "first_name": _("first name"),
    "last_name": _("last name"),
    "alternative_name": _("alternative spelling"),
    "identity_code": _("personal identity code"),
    "email": _("email"),
    "phone": _("phone"),
    "street_address": _("street address"),
    "postal_code": _("postal code"),
    "city": _("city"),
    "preferred_language": _("preferred language"),
    "membership_status": _("membership status"),
    "branch": _("branch"),
    "joined_on": _("joined"),
    "membership_valid_until": _("membership valid until"),
    "birth_date": _("date of birth"),
    "business_id": _("business ID"),
    "name": _("name"),
    "industry": _("industry"),
    "register_id": _("register ID"),
    "employer": _("employer"),
    "employee_count": _("employee count"),
    "workplace": _("workplace"),
    "title": _("job title"),
    "starts_on": _("start"),
    "ends_on": _("end"),
    "kind": _("position"),
    "scope_kind": pgettext_lazy("import field", "scope kind"),
    "scope": _("scope"),
    "completed_on": _("completed"),
    "provider": _("provider"),
}
KIND_LABELS = {
    # A person's branch is referred to by its number: the mapping and the errors say so.
    ("people", "branch"): _("branch number"),
    ("positions", "starts_on"): _("term starts"),
    ("positions", "ends_on"): _("term ends"),
    ("trainings", "name"): _("training"),
    ("workplaces", "employer"): _("employer's business ID"),
    ("employments", "employer"): _("employer's business ID"),
    ("employments", "workplace"): _("workplace's register ID"),
}
# Header names in use in registers and spreadsheets beyond the labels (normalised).
SYNONYMS = {
    "member_number": {"jasennro", "jasennumero", "medlemsnr", "memberno", "membernumber"},
    "identity_code": {"hetu", "henkilotunnus", "sotu", "personbeteckning"},
    "first_name": {"etunimet", "fornamn", "firstnames"},
    "last_name": {"sukunimi", "efternamn", "surname"},
    "email": {"sahkopostiosoite", "epostadress", "emailaddress", "sposti"},
    "phone": {"puhelinnumero", "matkapuhelin", "telefonnummer", "mobile", "puh"},
    "business_id": {"ytunnus", "fonummer", "foid"},
    "postal_code": {"postinro", "postnr", "zip", "zipcode"},
    "city": {"kaupunki", "paikkakunta", "ort", "stad"},
    "joined_on": {"liittymispaiva", "liittynytpaiva", "anslot", "anslutningsdatum",
                  "medlemsedan", "intradesdatum", "joineddate"},
    "starts_on": {"alkaa", "alkupaiva", "alkamispaiva", "alkoi", "aloituspaiva", "borjar",
                  "startdatum", "startdate"},
    "ends_on": {"paattyy", "loppupaiva", "paattymispaiva", "paattyi", "slutar", "slutdatum",
                "enddate"},
    "birth_date": {"syntymaaika", "syntymapaiva", "syntynyt", "fodelsedatum", "fodd",
                   "dateofbirth", "dob"},
    "title": {"nimike", "ammattinimike", "tyotehtava", "befattning", "yrkestitel",
              "jobtitle"},
}


def kind_choices() -> list[tuple[str, str]]:
    return [(name, capfirst(kind.label)) for name, kind in KINDS.items()]


def label(kind: str, field: str) -> str:
    text = KIND_LABELS.get((kind, field)) or LABELS.get(field) or field.replace("_", " ")
    return capfirst(str(text))


def normalise(header: str) -> str:
    """'Jäsen-numero ' → 'jasennumero': case, accents, spaces and punctuation ignored."""
    text = unicodedata.normalize("NFKD", str(header).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text)


def header_names(kind: Kind) -> dict[str, str]:
    """Normalised header name → field, from the field names, the labels in every
    language of the site and the synonyms."""
    names: dict[str, str] = {}
    for spec in kind.fields:
        candidates = {spec.name, *SYNONYMS.get(spec.name, ())}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                candidates.add(label(kind.name, spec.name))
                if (kind.name, spec.name) in KIND_LABELS and spec.name in LABELS:
                    candidates.add(str(LABELS[spec.name]))
        for candidate in candidates:
            names.setdefault(normalise(candidate), spec.name)
    return names


def suggest(kind: Kind, headers: list[str], remembered: dict[str, str] | None) -> list[str]:
    """A field (or '') for each header: the union's remembered mapping first, then the
    header's name; a field is suggested for one column only."""
    remembered = remembered or {}
    names = header_names(kind)
    fields = kind.by_name
    taken: set[str] = set()
    result = []
    for header in headers:
        key = normalise(header)
        if key in remembered:  # also a column the union chose to leave out ('')
            field = remembered[key] if remembered[key] in fields else ""
        else:
            field = names.get(key, "")
        if field in taken:
            field = ""
        if field:
            taken.add(field)
        result.append(field)
    return result
