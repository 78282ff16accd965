"""Error pages in the site's design, and no 500 for a reader's bad address."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_server_error_page_is_in_the_site_design():
    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert 'class="site-header"' in body and "<style" not in body and "<script" not in body


@pytest.mark.parametrize(
    "url",
    ["/issues/no-such-issue/", "/leaders/nobody/", "/sources/999999/", "/meetings/none/"],
)
def test_unknown_records_are_404_in_the_site_design(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
