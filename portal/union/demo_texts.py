"""The demo's content in each union's own language (issue 12, item 18).

A Swedish-speaking union's members read its bulletins, staff titles, offices and page
texts in Swedish; a Finnish-speaking union's in Finnish. `demo.py` picks the set of the
union's default language, so adding a language here is all a new demo union needs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoBulletin:
    title: str
    slug: str
    days_ago: int
    summary: str
    body: str


@dataclass(frozen=True)
class DemoTexts:
    description: str
    branch_description: str
    branch_email: str  # local part of a branch's address, followed by its number
    offices: tuple[str, ...]  # cities of the union's offices
    opening_hours: str
    staff_titles: tuple[str, ...]
    job_titles: tuple[str, ...]
    demo_job_title: str  # the demo accounts' own employment
    account_names: dict[str, str]  # first name of each demo login, by its role key
    bulletins: tuple[DemoBulletin, ...]
    # Municipalities of branches and workplaces; empty: Faker's cities of the union's locale
    # (Faker's Swedish ones are in Sweden; a Finland-Swedish union's are in Finland).
    cities: tuple[str, ...] = ()


DEMO_TEXTS = {
    "fi": DemoTexts(
        description=(
            "<p>Olemme palvelualojen työntekijöiden ammattiliitto. Neuvottelemme alojemme "
            "työehtosopimukset, neuvomme jäseniämme työsuhdeasioissa ja koulutamme "
            "luottamushenkilöitä.</p>"
        ),
        branch_description=(
            "<p>Osasto on alueen jäsenten yhteinen kohtaamispaikka: se järjestää kokouksia, "
            "koulutuksia ja virkistystä ja tukee työpaikkojen luottamushenkilöitä.</p>"
        ),
        branch_email="osasto",
        offices=("Helsinki", "Tampere", "Oulu"),
        opening_hours="ma–pe 9–16",
        staff_titles=(
            "Toiminnanjohtaja",
            "Järjestösihteeri",
            "Lakimies",
            "Viestintäpäällikkö",
            "Koulutussuunnittelija",
            "Jäsenpalvelusihteeri",
        ),
        job_titles=(
            "Myyjä",
            "Kokki",
            "Siivooja",
            "Vartija",
            "Kuljettaja",
            "Asiakasneuvoja",
            "Varastotyöntekijä",
        ),
        demo_job_title="Myyjä",
        account_names={
            "admin": "Pääkäyttäjä",
            "staff": "Toimihenkilö",
            "chair": "Puheenjohtaja",
            "steward": "Luottamusmies",
            "member": "Jäsen",
        },
        bulletins=(
            DemoBulletin(
                title="Syyskokous",
                slug="syyskokous",
                days_ago=20,
                summary="Osaston syyskokous: hallituksen vaali, toimintasuunnitelma ja "
                "talousarvio.",
                body=(
                    "<p>Osaston sääntömääräinen syyskokous pidetään toimistolla. Kokouksessa "
                    "valitaan puheenjohtaja ja hallitus ensi vuodelle ja päätetään "
                    "toimintasuunnitelmasta ja talousarviosta.</p>"
                    "<p>Tervetuloa mukaan! Kahvitarjoilu alkaa puoli tuntia ennen kokousta.</p>"
                ),
            ),
            DemoBulletin(
                title="Kevään koulutuspäivä",
                slug="kevaan-koulutuspaiva",
                days_ago=60,
                summary="Koulutuspäivä työehtosopimuksen palkkamääräyksistä ja työajasta.",
                body=(
                    "<p>Osasto järjestää jäsenilleen koulutuspäivän, jonka aiheina ovat "
                    "työehtosopimuksen palkkamääräykset ja työaika. Päivä on maksuton, ja "
                    "lounas tarjotaan.</p>"
                    "<p>Ilmoittaudu osaston sihteerille viimeistään viikkoa ennen.</p>"
                ),
            ),
        ),
    ),
    "sv": DemoTexts(
        description=(
            "<p>Vi är ett fackförbund för anställda inom handel, undervisning, social- och "
            "hälsovård och teknologiindustri. Vi förhandlar fram kollektivavtalen, ger "
            "medlemmarna råd i anställningsfrågor och utbildar förtroendevalda.</p>"
        ),
        branch_description=(
            "<p>Avdelningen är medlemmarnas gemensamma mötesplats i området: den ordnar möten, "
            "utbildningar och rekreation och stöder förtroendevalda på arbetsplatserna.</p>"
        ),
        branch_email="avdelning",
        offices=("Helsingfors", "Åbo", "Vasa"),
        opening_hours="mån–fre 9–16",
        staff_titles=(
            "Verksamhetsledare",
            "Organisationssekreterare",
            "Jurist",
            "Kommunikationschef",
            "Utbildningsplanerare",
            "Medlemsservicesekreterare",
        ),
        job_titles=(
            "Försäljare",
            "Lärare",
            "Närvårdare",
            "Sjukskötare",
            "Montör",
            "Kundrådgivare",
            "Lagerarbetare",
        ),
        cities=(
            "Helsingfors", "Esbo", "Vanda", "Åbo", "Vasa", "Borgå", "Jakobstad", "Karleby",
            "Raseborg", "Lovisa", "Kristinestad", "Närpes", "Pargas", "Kimitoön", "Kyrkslätt",
            "Ingå", "Sjundeå", "Nykarleby", "Korsholm", "Malax", "Kronoby", "Tammerfors",
            "Uleåborg", "Lahtis", "Kotka", "Björneborg", "Nyslott", "Tavastehus",
        ),
        demo_job_title="Försäljare",
        account_names={
            "admin": "Administratör",
            "staff": "Funktionär",
            "chair": "Ordförande",
            "steward": "Förtroendeman",
            "member": "Medlem",
        },
        bulletins=(
            DemoBulletin(
                title="Höstmöte",
                slug="hostmote",
                days_ago=20,
                summary="Avdelningens höstmöte: val av styrelse, verksamhetsplan och budget.",
                body=(
                    "<p>Avdelningens stadgeenliga höstmöte hålls på kontoret. På mötet väljer "
                    "vi ordförande och styrelse för nästa år och beslutar om "
                    "verksamhetsplanen och budgeten.</p>"
                    "<p>Välkommen! Kaffe serveras en halv timme före mötet.</p>"
                ),
            ),
            DemoBulletin(
                title="Vårens utbildningsdag",
                slug="varens-utbildningsdag",
                days_ago=60,
                summary="Utbildningsdag om kollektivavtalets lönebestämmelser och arbetstid.",
                body=(
                    "<p>Avdelningen ordnar en utbildningsdag för medlemmarna om "
                    "kollektivavtalets lönebestämmelser och arbetstid. Dagen är avgiftsfri och "
                    "lunch bjuds.</p>"
                    "<p>Anmäl dig till avdelningens sekreterare senast en vecka före.</p>"
                ),
            ),
        ),
    ),
}


def texts_for(language: str) -> DemoTexts:
    """The demo texts of a language; a union in a language without its own set gets the
    Finnish one (the demo's first union)."""
    return DEMO_TEXTS.get(language, DEMO_TEXTS["fi"])
