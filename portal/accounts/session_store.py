"""Django's database sessions, with the session row read from SQL compiled once.

Every request of a signed-in user reads its session row. Building that query through
the ORM cost more CPU than PostgreSQL spent answering it (issue 13, docs/benchmarks.md);
here it runs from the text Django compiled once for its shape (`union/compiled.py`),
with the same parameters (the session key and the current time) and the same answer:
nothing is cached, so a session ended or expired anywhere counts at once. Everything
else (saving, creating, deleting, async loading) is Django's own.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from portal.union.compiled import run_compiled


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        try:
            now = timezone.now()
            key = self.session_key
            # Django orders the filter's terms by name: expire_date before session_key.
            found = run_compiled(
                self.model,
                lambda: self.model.objects.filter(session_key=key, expire_date__gt=now),
                ("session-row",), [now, key])
        except SuspiciousOperation as error:  # as Django's own store
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(
                str(error))
            found = []
        if not found:
            self._session_key = None
            return None
        return found[0]
