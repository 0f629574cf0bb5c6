"""Nonces for the inline scripts of Wagtail's admin under `script-src 'self'` (issue 12/11).

Wagtail 7.4 still starts some widgets with an inline `<script>`: every chooser
(`BaseChooser.render`: page, image, document, snippet, task), the inline panel and the
multiple chooser panel, and the date/time inputs. The policy allows none of them, so the
admin's "add" buttons and choosers did nothing. Each such script now carries the
request's CSP nonce, which django-csp adds to `script-src` only in responses that used
it; every other response keeps `script-src 'self'`.

Widgets are rendered without the request, so `CSPNonceMiddleware` puts the request's
(lazy) nonce in a context variable for the time of the request. The nonce goes only on
scripts that Wagtail's own code and templates write, never on markup from content:
adding it to every `<script>` of a response would let an injected script run as well.
"""

from __future__ import annotations

import contextvars

from django.utils.html import format_html
from django.utils.safestring import mark_safe

_nonce: contextvars.ContextVar = contextvars.ContextVar("csp_nonce", default=None)


# The image editor's focal point tool (Jcrop) probes for touch support by setting the
# handler `ontouchstart="return;"` on a detached element, which the policy reports as a
# violation (the probe then answers "no touch", which is right where it runs). Only that
# handler text is allowed, and only on that page: 'unsafe-hashes' with its hash.
JCROP_VIEWS = {"wagtailimages:edit"}
JCROP_POLICY = {
    "script-src-attr": ["'unsafe-hashes'", "'sha256-i+qr4lq34KgNHiW62lWi9aInEBwiEOrfCzaNPCvkqD8='"]
}


class CSPNonceMiddleware:
    """Makes `request.csp_nonce` (set by django-csp's middleware, which must come first)
    reachable where the request is not: widget and panel templates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _nonce.set(getattr(request, "csp_nonce", None))
        try:
            response = self.get_response(request)
        finally:
            _nonce.reset(token)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in JCROP_VIEWS:
            response._csp_update = JCROP_POLICY
        return response


def current_nonce() -> str:
    """The nonce of the request being answered ('' outside a request). Reading it makes
    django-csp add it to the response's policy."""
    nonce = _nonce.get()
    return str(nonce) if nonce is not None else ""


def nonce_attr() -> str:
    """` nonce="…"` for a `<script>` tag, or '' outside a request."""
    nonce = current_nonce()
    return format_html(' nonce="{}"', nonce) if nonce else ""


def install() -> None:
    """Give the script that `BaseChooser.render` appends to every chooser the nonce."""
    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser.render, "_with_nonce", False):
        return
    original = BaseChooser.render

    def render(self, name, value, attrs=None, renderer=None):
        html = original(self, name, value, attrs=attrs, renderer=renderer)
        # Wagtail writes `{widget_html}<script>{js}</script>`; the widget's HTML is
        # escaped template output, so the last bare `<script>` is Wagtail's own.
        head, tag, tail = html.rpartition("<script>")
        if not tag:
            return html
        # Only the nonce (base64, escaped by format_html) is added to Wagtail's safe HTML.
        return mark_safe(f"{head}<script{nonce_attr()}>{tail}")  # noqa: S308

    render._with_nonce = True
    BaseChooser.render = render
