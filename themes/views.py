from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

DEFAULT_PRIMARY = "#33475b"
DEFAULT_SECONDARY = "#ffffff"


@require_GET
@cache_control(max_age=300)
def theme_css(request):
    """Permission: public. The brand tokens of the union whose hostname was asked for.

    Served as a stylesheet so pages carry no inline styles; colours are validated
    #rrggbb values on the Union model, so nothing user-typed reaches CSS unchecked.
    """
    union = getattr(request, "union", None)
    primary = union.primary_colour if union else DEFAULT_PRIMARY
    secondary = union.secondary_colour if union else DEFAULT_SECONDARY
    css = f":root {{\n  --brand-primary: {primary};\n  --brand-on-primary: {secondary};\n}}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Vary"] = "Host"
    return response
