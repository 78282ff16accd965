"""Sign-in throttling (django-axes) and the password reset by e-mail."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, RequestFactory
from django.utils import timezone

from summit.client_ip import client_ip
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a long correct horse"


@pytest.fixture
def editor_account(editor):
    editor.set_password(PASSWORD)
    editor.email = "editor@example.org"
    editor.save()
    return editor


def sign_in(client: Client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def fail_until_locked(client: Client, username: str, address: str = "203.0.113.7"):
    for _ in range(5):
        response = sign_in(client, username, "wrong password", address)
    return response


def test_the_right_password_signs_in(client, editor_account):
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_an_over_long_user_name_is_a_form_error_and_no_attempt_is_recorded(client):
    response = sign_in(client, "x" * 300, "wrong password")
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, editor_account):
    for _ in range(4):
        assert sign_in(client, "editor", "wrong password").status_code == 200
    locked = sign_in(client, "editor", "wrong password")
    assert locked.status_code == 429
    again = sign_in(client, "editor", PASSWORD)
    assert again.status_code == 429
    body = again.content.decode()
    assert "Sign-in paused" in body and "15 minutes" in body
    assert 'class="site-header"' in body
    assert again["Retry-After"] == str(15 * 60)


def test_a_locked_user_name_is_locked_from_every_address(client, editor_account):
    fail_until_locked(client, "editor", address="203.0.113.7")
    assert sign_in(client, "editor", PASSWORD, address="198.51.100.9").status_code == 429


def test_an_address_guessing_many_user_names_is_locked(client, editor_account):
    for number in range(5):
        sign_in(client, f"someone-{number}", "wrong password", address="203.0.113.7")
    assert sign_in(client, "editor", PASSWORD, address="203.0.113.7").status_code == 429
    # The editor, from their own address, is not locked out by someone else's guessing.
    assert signed_in(sign_in(Client(), "editor", PASSWORD, address="198.51.100.9"))


def test_the_lock_lifts_after_the_cool_off(client, editor_account):
    fail_until_locked(client, "editor")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_an_administrator_unlocks_an_editor(client, editor_account, superuser):
    fail_until_locked(client, "editor")
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    attempts = AccessAttempt.objects.filter(username="editor")
    assert attempts.exists()
    admin = Client()
    admin.force_login(superuser)
    changelist = admin.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200 and "editor" in changelist.content.decode()
    for attempt in attempts:
        response = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_an_editor_cannot_unlock_anyone(editor_client):
    assert editor_client.get("/admin/axes/accessattempt/").status_code == 403


class TestClientAddress:
    def request(self, remote: str, forwarded: str | None = None):
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)

    def test_without_trusted_proxies_the_header_is_ignored(self, settings):
        settings.TRUSTED_PROXY_COUNT = 0
        assert client_ip(self.request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"

    def test_behind_one_proxy_the_address_it_saw_is_the_client(self, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        # The client forged the first entry; the proxy appended the real one.
        request = self.request("10.0.0.2", "1.2.3.4, 198.51.100.9")
        assert client_ip(request) == "198.51.100.9"

    def test_behind_two_proxies(self, settings):
        settings.TRUSTED_PROXY_COUNT = 2
        request = self.request("10.0.0.3", "1.2.3.4, 198.51.100.9, 10.0.0.2")
        assert client_ip(request) == "198.51.100.9"

    @pytest.mark.parametrize("forwarded", ["", "not-an-address", "1.2.3.4\x00"])
    def test_a_missing_or_malformed_header_falls_back_to_the_peer(self, settings, forwarded):
        settings.TRUSTED_PROXY_COUNT = 1
        assert client_ip(self.request("10.0.0.2", forwarded)) == "10.0.0.2"

    def test_forged_headers_do_not_escape_the_lock_behind_a_proxy(self, client, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        factories.UserFactory(username="victim")
        for number in range(5):
            client.post(
                LOGIN,
                {"username": f"guess-{number}", "password": "x"},
                REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 198.51.100.9",
            )
        response = client.post(
            LOGIN,
            {"username": "another", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.9",
        )
        assert response.status_code == 429


class TestPasswordReset:
    def test_the_sign_in_page_links_to_the_reset(self, client):
        body = client.get(LOGIN).content.decode()
        assert 'href="/account/password-reset/"' in body

    def test_a_reset_by_e_mail_sets_a_new_password(self, client, editor_account):
        page = client.get("/account/password-reset/")
        assert page.status_code == 200 and 'class="site-header"' in page.content.decode()
        response = client.post("/account/password-reset/", {"email": "editor@example.org"})
        assert (
            response.status_code == 302 and response["Location"] == "/account/password-reset/sent/"
        )
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["editor@example.org"]
        assert message.subject == "Reset your Summit dossiers password"
        link = re.search(r"http://testserver(/account/password-reset/\S+/)", message.body)[1]
        form = client.get(link, follow=True)
        assert "Choose a new password" in form.content.decode()
        new = "another long staple battery"
        done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
        assert done.status_code == 302 and done["Location"] == "/account/password-reset/done/"
        assert signed_in(sign_in(Client(), "editor", new))
        # The link works once.
        assert "no longer works" in client.get(link, follow=True).content.decode()

    def test_an_unknown_address_looks_the_same_and_sends_nothing(self, client, editor_account):
        response = client.post("/account/password-reset/", {"email": "nobody@example.org"})
        assert response.status_code == 302
        assert mail.outbox == []

    def test_a_weak_new_password_is_refused_with_a_message(self, client, editor_account):
        client.post("/account/password-reset/", {"email": "editor@example.org"})
        link = re.search(r"http://testserver(\S+)", mail.outbox[0].body)[1]
        form = client.get(link, follow=True)
        response = client.post(
            form.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"}
        )
        assert response.status_code == 200
        assert "account-form__error" in response.content.decode()


def test_the_mailer_is_the_console_unless_an_smtp_host_is_set():
    import os
    import subprocess
    import sys

    script = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'summit.settings');"
        "from django.conf import settings as s; d = s.MAILERS['default'];"
        "print(d['BACKEND'].rsplit('.', 2)[-2], d.get('OPTIONS', {}).get('host'))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_EMAIL")}
    console = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True
    )
    smtp = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_EMAIL_HOST": "smtp.example.org"},
        capture_output=True,
        text=True,
    )
    assert console.stdout.split() == ["console", "None"], console.stderr
    assert smtp.stdout.split() == ["smtp", "smtp.example.org"], smtp.stderr
