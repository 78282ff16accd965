"""A stopped or hung database: the designed 503 with Retry-After within 2 seconds, `/healthz`
503 within 2 seconds, `/livez` never touches the database, recovery without a restart, and
a write cut off half-way leaves nothing behind.

The outage is played by servers on 127.0.0.1 that this test starts: a port nobody listens on
(a stopped database), a socket that accepts and never answers (a hung one), and a relay that
hangs first and then passes the traffic to the test database (recovery). The app runs in a
separate process configured by DATABASE_URL, as a server would be.
"""

import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connection

ROOT = Path(__file__).resolve().parent.parent

# The app in its own process: each line of stdin names a request; each line of stdout is its
# answer (status, seconds, Retry-After, whether the page is the designed one).
APP = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
import django
django.setup()
from django.conf import settings
from django.test import Client
# Source static files: hashed names need collectstatic, which the tests do not run.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client(raise_request_exception=False, HTTP_HOST="localhost")
print("ready", flush=True)
from urllib.parse import parse_qsl
for line in sys.stdin:
    method, url, *data = line.split()
    started = time.monotonic()
    response = getattr(client, method)(url, dict(parse_qsl(data[0])) if data else None)
    body = response.content.decode()
    print(json.dumps({
        "status": response.status_code,
        "seconds": time.monotonic() - started,
        "retry_after": response.get("Retry-After"),
        "designed": "The dossiers are unavailable for a moment" in body
        and 'class="site-header"' in body,
    }), flush=True)
"""


class HungDatabase(threading.Thread):
    """Accepts connections and never answers; or, once `recover()` is called, relays each new
    connection to `upstream`."""

    def __init__(self, upstream: tuple[str, int] | None = None) -> None:
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.upstream = upstream
        self.relaying = False
        self.held: list[socket.socket] = []

    def recover(self) -> None:
        self.relaying = True

    def run(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.relaying and self.upstream:
                threading.Thread(target=self._relay, args=(client,), daemon=True).start()
            else:
                self.held.append(client)

    def _relay(self, client: socket.socket) -> None:
        server = socket.create_connection(self.upstream)
        sockets = [client, server]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 30)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (server if sock is client else client).sendall(data)
        finally:
            client.close()
            server.close()

    def close(self) -> None:
        self.listener.close()
        for sock in self.held:
            sock.close()


class App:
    """The site in a subprocess whose database lives at `database_url`."""

    def __init__(self, database_url: str) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_DB_CONNECT_TIMEOUT": "2",
            # A cache of its own: with a shared Redis, pages cached by other tests would be
            # served without the database, and the outage would not be seen.
            "DJANGO_CACHE_KEY_PREFIX": f"outage-{uuid.uuid4().hex}",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", APP],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"
        # Warm up as a running server is: URLs resolved, templates compiled, no database.
        assert self.request("get", "/livez")["status"] == 200
        assert self.request("get", "/no-such-page/")["status"] == 404

    def request(self, method: str, url: str, data: str = "") -> dict:
        self.process.stdin.write(f"{method} {url} {data}\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hung_database():
    server = HungDatabase()
    server.start()
    yield server
    server.close()


def unavailable_within_two_seconds(answer: dict) -> None:
    assert answer["status"] == 503, answer
    assert answer["seconds"] < 2.5, answer  # libpq's shortest connect timeout is 2 s
    assert answer["retry_after"] and int(answer["retry_after"]) > 0, answer


@pytest.mark.parametrize("url", ["/", "/issues/", "/issues/ukraine/", "/search/?q=trade"])
def test_a_stopped_database_gives_the_designed_503_at_once(url):
    app = App(f"postgres://postgres@127.0.0.1:{free_port()}/summit_outage")
    try:
        answer = app.request("get", url)
        unavailable_within_two_seconds(answer)
        assert answer["designed"]
        assert answer["seconds"] < 2
        health = app.request("get", "/healthz")
        assert health["status"] == 503 and health["seconds"] < 2
    finally:
        app.stop()


def test_a_hung_database_gives_the_designed_503_within_two_seconds(hung_database):
    app = App(f"postgres://postgres@127.0.0.1:{hung_database.port}/summit_outage")
    try:
        for url in ["/", "/issues/ukraine/"]:
            answer = app.request("get", url)
            unavailable_within_two_seconds(answer)
            assert answer["designed"]
        health = app.request("get", "/healthz")
        assert health["status"] == 503
        assert health["seconds"] < 2
        live = app.request("get", "/livez")
        assert live["status"] == 200
        assert live["seconds"] < 0.2
    finally:
        app.stop()


def test_a_sign_in_during_a_hung_outage_is_refused_in_time(hung_database):
    app = App(f"postgres://postgres@127.0.0.1:{hung_database.port}/summit_outage")
    try:
        answer = app.request("post", "/admin/login/", "username=editor&password=secret")
        unavailable_within_two_seconds(answer)
        assert answer["designed"]
    finally:
        app.stop()


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="recovery relays to the PostgreSQL test database"
)


@on_postgresql
@pytest.mark.django_db
def test_the_site_recovers_without_a_restart():
    params = connection.settings_dict
    relay = HungDatabase(upstream=(params["HOST"] or "127.0.0.1", int(params["PORT"] or 5432)))
    relay.start()
    user = params["USER"] or "postgres"
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    app = App(f"postgres://{user}{password}@127.0.0.1:{relay.port}/{params['NAME']}")
    try:
        unavailable_within_two_seconds(app.request("get", "/issues/"))
        assert app.request("get", "/healthz")["status"] == 503
        relay.recover()
        time.sleep(2)  # the probe still waiting on the hung connection gives up
        assert app.request("get", "/healthz")["status"] == 200
        assert app.request("get", "/issues/")["status"] == 200
    finally:
        app.stop()
        relay.close()


@pytest.mark.django_db
def test_livez_never_touches_the_database_even_for_a_signed_in_user(
    editor_client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = editor_client.get("/livez")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_database_error_in_a_view_is_the_designed_503(client, one_outlook):
    client.raise_request_exception = False
    with mock.patch(
        "issues.views.issue_page.render", side_effect=OperationalError("connection lost")
    ):
        response = client.get("/issues/fisheries/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "The dossiers are unavailable for a moment" in response.content.decode()


@pytest.mark.django_db
def test_any_other_error_is_still_the_designed_500(client, one_outlook):
    client.raise_request_exception = False
    with mock.patch("issues.views.issue_page.render", side_effect=ValueError("a bug")):
        response = client.get("/issues/fisheries/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
def test_a_write_cut_off_half_way_leaves_nothing_half_saved(editor_client, one_outlook):
    """The connection drops after the record is written and before its citations are: the
    edit answers 503 and the record, its revisions and its citations are as they were."""
    from tests.test_editing import assessment_data
    from tests.test_limits import OUTLOOK_EDIT

    assessment = one_outlook
    before = (assessment.rationale, assessment.version, assessment.history.count())
    cited_before = list(assessment.sources.values_list("pk", flat=True))
    editor_client.raise_request_exception = False
    with mock.patch(
        "issues.services._set_citations",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = editor_client.post(OUTLOOK_EDIT, assessment_data(assessment))
    assert response.status_code == 503
    assessment.refresh_from_db()
    assert (assessment.rationale, assessment.version, assessment.history.count()) == before
    assert list(assessment.sources.values_list("pk", flat=True)) == cited_before
