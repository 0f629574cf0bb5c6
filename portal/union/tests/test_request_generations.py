"""A request reads each cache generation once (portal/union/sections.py): what it read
holds for the rest of the request, its own changes count at once, and outside a request
(tasks, commands) every read goes to the cache."""

from django.core.cache import cache

from portal.union import sections

UNION_ID = 987_654  # no row needed: generations live in the cache only


def test_a_request_keeps_the_generations_it_read_and_sees_its_own_change():
    key = f"sections:generation:{UNION_ID}"
    sections._request_started()
    try:
        first = sections.generation(UNION_ID)
        cache.set(key, 123, timeout=None)  # as another thread's change would
        assert sections.generation(UNION_ID) == first  # read once per request
        sections.invalidate(UNION_ID)  # this request's own change
        assert sections.generation(UNION_ID) == cache.get(key) not in (first, 123)
    finally:
        sections._request_finished()
    cache.set(key, 456, timeout=None)
    assert sections.generation(UNION_ID) == 456  # outside a request: from the cache
