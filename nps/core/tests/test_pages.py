import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/", "National Procurement Strategy toolkit"),
        ("/accessibility/", "Accessibility statement"),
        ("/cookies/", "Cookies"),
        ("/privacy/", "Privacy notice"),
        ("/feedback/", "Give feedback"),
        ("/api/v1/docs/", "API documentation"),
    ],
)
def test_every_public_page_answers_with_the_govuk_shell(client, url, heading):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in html
    assert "National Procurement Strategy toolkit" in html
    assert "govuk-phase-banner" in html and "Skip to main content" in html
    for link in ["/accessibility/", "/cookies/", "/privacy/"]:
        assert f'href="{link}"' in html


def test_pages_carry_security_headers_and_a_nonce_for_inline_scripts(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "style-src 'self';" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/").headers["Content-Security-Policy"] != policy  # a fresh nonce every time


def test_an_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_api_docs_list_every_operation(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "/api/v1/frameworks/{framework}/versions/{version}" in html.replace("<wbr>", "")  # may wrap after a slash
    assert 'href="/api/v1/openapi.json"' in html
