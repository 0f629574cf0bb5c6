"""Column suggestions for the headers registers and spreadsheets commonly use (found on a
walk through the demo: a Finnish employments sheet with "Alkaa" and "Nimike" and a
Swedish people file with "Anslöt" got no field suggested for those columns)."""

from __future__ import annotations

import pytest

from portal.imports.fields import suggest
from portal.register.records import KINDS


@pytest.mark.parametrize(("kind", "headers", "fields"), [
    ("employments", ["Jäsennumero", "Työnantaja", "Alkaa", "Päättyy", "Nimike"],
     ["member_number", "employer", "starts_on", "ends_on", "title"]),
    ("employments", ["Medlemsnummer", "Arbetsgivare", "Börjar", "Slutar", "Befattning"],
     ["member_number", "employer", "starts_on", "ends_on", "title"]),
    ("employments", ["Alkupäivä", "Loppupäivä", "Ammattinimike"],
     ["starts_on", "ends_on", "title"]),
    ("people", ["Medlemsnummer", "Förnamn", "Efternamn", "Anslöt"],
     ["member_number", "first_name", "last_name", "joined_on"]),
    ("people", ["Liittymispäivä"], ["joined_on"]),
])
def test_common_headers_suggest_their_field(kind, headers, fields):
    assert suggest(KINDS[kind], headers, None) == fields
