from wagtail.fields import RichTextField
from wagtail.models import Page


class BarePage(Page):
    """The baseline page: a title and a rich-text body, like the portal's ContentPage."""

    body = RichTextField(blank=True)
