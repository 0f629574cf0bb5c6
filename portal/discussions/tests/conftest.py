import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.shared import rolled_back

from .world import union_world


# Built once for the package's modules (the suite's time budget); tests only add rows,
# which roll back with each test.
@pytest.fixture(scope="package")
def two(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        yield {"a": union_world("dsa"), "b": union_world("dsb")}


@pytest.fixture
def w(two, db, settings):
    settings.ELASTICSEARCH_URL = ""
    return two


def client_for(side, role) -> Client:
    client = Client(HTTP_HOST=side["host"])
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(side["users"][role])
    return client
