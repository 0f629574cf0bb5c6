"""A bare Wagtail 7.4 project, as `wagtail start` makes it, reduced to one rich-text page.

bench/pages_bench.py serves it next to the portal, with the same gunicorn configuration
from the same PostgreSQL server (its own database), as the baseline the portal's pages
are measured against. bench/bare/prepare.py creates, migrates and populates it.
"""
