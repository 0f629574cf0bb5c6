"""English dates as read in Finland and most of Europe: day first ("30 November 2026",
"30/11/2026"), 24-hour clock, weeks from Monday (issue 12, item 18). Django's own
English formats are American (month first), which members misread."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# Day first in typed dates too, so "01/02/2026" is 1 February; ISO dates (the date
# inputs' own format) first.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-30
    "%d/%m/%Y",  # 30/11/2026
    "%d/%m/%y",  # 30/11/26
    "%d.%m.%Y",  # 30.11.2026
    "%d %B %Y",  # 30 November 2026
    "%d %b %Y",  # 30 Nov 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
