"""`{% sectionhtml "name" [vary ...] %}…{% endsectionhtml %}`: a part of a page that is the
same for every viewer of its kind, rendered once and then served from the per-process
cache (`portal.union.sections.cached_html`, which says what the key holds).
`{% sectionhtml site "name" … %}` is a part of every page of the site (the chrome).

The block must show only the page's own rows and shared sections (cached lists,
officials' cards), never the viewer's own data, a CSRF token or a nonce; a variable it
sets (`{% translate … as x %}`) is not seen outside it. A `vary` value of None renders
the block every time (a personal variant of the section).
"""

from django import template

from portal.union.sections import cached_html

register = template.Library()


class SectionHtmlNode(template.Node):
    def __init__(self, nodelist, name, vary, for_site):
        self.nodelist, self.name, self.vary, self.for_site = nodelist, name, vary, for_site

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        page = None if self.for_site else context.get("page")
        if getattr(page, "pk", None) is None:
            if not self.for_site:  # a page's section outside a page: not shared
                return self.nodelist.render(context)
            page = None
        return cached_html(
            request=request,
            page=page,
            name=self.name.resolve(context),
            vary=tuple(value.resolve(context) for value in self.vary),
            render=lambda: self.nodelist.render(context),
        )


@register.tag("sectionhtml")
def sectionhtml(parser, token):
    bits = token.split_contents()
    for_site = len(bits) > 1 and bits[1] == "site"
    if for_site:
        del bits[1]
    if len(bits) < 2:
        raise template.TemplateSyntaxError("sectionhtml needs a section name")
    nodelist = parser.parse(("endsectionhtml",))
    parser.delete_first_token()
    return SectionHtmlNode(nodelist, parser.compile_filter(bits[1]),
                           [parser.compile_filter(bit) for bit in bits[2:]], for_site)
