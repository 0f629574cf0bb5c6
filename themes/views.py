from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Site

from .contrast import passes_aa
from .models import DEFAULT_ON_PRIMARY, DEFAULT_PRIMARY, FONT_STACKS, BrandSettings, Font

TEXT = "#1d1d1f"
SURFACE = "#ffffff"


def brand_tokens(request) -> dict[str, str]:
    """The CSS custom properties of the site asked for.

    Colours are validated #rrggbb values and the font is one of a fixed set of stacks,
    so nothing user-typed reaches the stylesheet unchecked.
    """
    site = Site.find_for_request(request)
    if site is None:
        primary, secondary, font = DEFAULT_PRIMARY, DEFAULT_ON_PRIMARY, FONT_STACKS[Font.SYSTEM]
    else:
        brand = BrandSettings.for_site(site)
        (primary, secondary), font = brand.colours(), brand.font_stack
    # Links and outlines sit on white: use whichever brand colour is readable there.
    if passes_aa(primary, SURFACE):
        link = primary
    elif passes_aa(secondary, SURFACE):
        link = secondary
    else:
        link = TEXT
    return {
        "--brand-primary": primary,
        "--brand-on-primary": secondary,
        "--brand-link": link,
        "--brand-font": font,
    }


@require_GET
@cache_control(max_age=300)
def theme_css(request):
    """Permission: public. The brand tokens of the union whose hostname was asked for.

    Served as a stylesheet so pages carry no inline styles; a brand change applies
    within the cache lifetime, with no deploy.
    """
    lines = "".join(f"  {name}: {value};\n" for name, value in brand_tokens(request).items())
    response = HttpResponse(f":root {{\n{lines}}}\n", content_type="text/css; charset=utf-8")
    response["Vary"] = "Host"
    return response
