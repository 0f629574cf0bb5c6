"""Error pages: a missing page answers with the union's own branded page in its language;
the server-error page needs no database."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from tests.factories import make_union


@pytest.mark.django_db
def test_a_missing_page_is_the_unions_own_page_in_its_language(settings):
    settings.DEBUG = False
    union = make_union("errs", name="Errorunion")
    response = Client(HTTP_HOST=union.site.hostname).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Sivua ei löytynyt" in html  # the union's default language, Finnish
    assert "Errorunion" in html  # its own top bar, not Django's bare "Not Found"
    assert 'href="/"' in html


def test_the_server_error_page_renders_without_a_database_or_request():
    html = render_to_string("500.html")
    assert "Jotain meni vikaan" in html and "Något gick fel" in html
