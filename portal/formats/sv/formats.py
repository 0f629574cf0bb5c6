"""Swedish dates as written in Finland: short dates "30.11.2026", as in Finnish, not
Sweden's ISO "2026-11-30"; typed dates read day first. The portal's Swedish speakers are
Finland-Swedish unions' members. Everything not set here is Django's own Swedish."""

SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y H:i"

# ISO first (the date inputs' own format), then day first; never Django's month-first
# alternatives ("%m/%d/%Y"), which would read 01/02/2026 as 2 January.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-30
    "%d.%m.%Y",  # 30.11.2026
    "%d.%m.%y",  # 30.11.26
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d",
]
