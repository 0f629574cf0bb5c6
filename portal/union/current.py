"""The union the current request (or task) works for, where no request is at hand.

`UnionMiddleware` sets it for the whole request, templates included; a task that
renders for a union outside a request (a bulletin email) sets it with `working_for`.
Code that Wagtail calls without the request — rich-text link handlers, the privacy
dialog's form — reads it with `current_union()`. With none set, it is None: such code
then resolves and offers nothing of any union.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_union: ContextVar = ContextVar("current_union", default=None)


@contextmanager
def working_for(union) -> Iterator[None]:
    token = _union.set(union)
    try:
        yield
    finally:
        _union.reset(token)


def current_union():
    return _union.get()
