"""Headers and settings for the open web: the deployment check passes, every page carries the
security headers, HEAD is answered wherever GET is, and no server runs on a placeholder key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "dossiers.example.org",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_BEHIND_PROXY": "true",
    # Production sends mail for password resets: the console backend is refused there.
    "DJANGO_EMAIL_HOST": "smtp.example.org",
}


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_passes_with_production_settings():
    result = run_python("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


HSTS_FLAGS = (
    "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'summit.settings');"
    "from django.conf import settings as s;"
    "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
)


def test_hsts_subdomains_and_preload_can_be_turned_off():
    on = run_python("-c", HSTS_FLAGS, **PRODUCTION)
    off = run_python(
        "-c",
        HSTS_FLAGS,
        **PRODUCTION,
        DJANGO_HSTS_INCLUDE_SUBDOMAINS="false",
        DJANGO_HSTS_PRELOAD="false",
    )
    assert on.stdout.split() == ["True", "True"], on.stderr
    assert off.stdout.split() == ["False", "False"], off.stderr


@pytest.mark.parametrize("placeholder", ["change-me", "CHANGE-ME "])
def test_the_server_refuses_the_placeholder_secret_key(placeholder):
    result = run_python("-c", "import summit.wsgi", DJANGO_SECRET_KEY=placeholder)
    assert result.returncode != 0
    assert "placeholder" in result.stderr


def test_the_server_starts_with_a_real_secret_key():
    result = run_python("-c", "import summit.wsgi", DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stderr


def test_env_example_still_holds_the_placeholder_the_server_refuses():
    from summit.settings import PLACEHOLDER_SECRET_KEYS

    lines = (ROOT / ".env.example").read_text().splitlines()
    key = next(line.split("=", 1)[1] for line in lines if line.startswith("DJANGO_SECRET_KEY="))
    assert key in PLACEHOLDER_SECRET_KEYS


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/livez", "/healthz", "/admin/login/", "/robots.txt"])
def test_every_answer_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response["Permissions-Policy"].startswith("accelerometer=()")
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.django_db
def test_the_error_pages_carry_the_headers_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.usefixtures("synthetic_dossier")
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/livez",
        "/healthz",
        "/issues/",
        "/leaders/",
        "/sources/",
        "/search/?q=trade",
        "/compare/",
        "/feed/",
        "/sitemap.xml",
        "/robots.txt",
    ],
)
def test_head_is_answered_wherever_get_is(client, url):
    get = client.get(url)
    head = client.head(url)
    assert get.status_code == 200
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
