"""The "problem with the service" page is rendered without the context processors; it still
carries the layout's names, links and files."""

from django.conf import settings
from django.templatetags.static import static
from django.test import RequestFactory

from config.urls import handler500


def test_the_500_page_keeps_the_layout_s_names_links_and_files():
    response = handler500(RequestFactory().get("/pupils/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert f"{settings.SERVICE_NAME} is run by {settings.LOCAL_AUTHORITY_NAME}" in page
    assert 'href="/accessibility/"' in page
    assert f'<link rel="stylesheet" href="{static("css/app.css")}">' in page
    assert 'href=""' not in page and 'src=""' not in page
