"""`{% csp_nonce_attr %}`: the request's CSP nonce on an inline `<script>` of a template
that is rendered without the request (Wagtail's widget and panel templates)."""

from django import template

from portal.adminpanel.csp import nonce_attr

register = template.Library()


@register.simple_tag
def csp_nonce_attr():
    return nonce_attr()
