import os
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from hypothesis import settings as hypothesis_settings

from tests import factories
from tests.snapshots import load_once

# CI sets HYPOTHESIS_PROFILE=ci: the same examples every run, so a failure can be reproduced.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True, scope="session")
def cache_keys_of_this_worker():
    """Parallel test workers share one Redis (REDIS_URL): give each its own keys."""
    from django.conf import settings
    from django.test import override_settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    caches = {
        alias: {**options, "KEY_PREFIX": f"{options.get('KEY_PREFIX', '')}-test-{worker}"}
        for alias, options in settings.CACHES.items()
    }
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Hashed static names need `collectstatic`; tests serve the source files instead.
    (`make bench` and `make soak` run against the hashed, compressed build.) WhiteNoise
    looks files up when asked rather than listing the collected build for every test
    client: after `make bench` that listing took a quarter of a second a client."""
    settings.WHITENOISE_AUTOREFRESH = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Cached reader pages live outside the test's transaction: start every test afresh."""
    from issues.caching import bump_generation

    bump_generation()


@pytest.fixture(autouse=True)
def fresh_label_cache():
    from issues.labels import forget_labels

    forget_labels()
    yield
    forget_labels()


def editors_group() -> Group:
    """The Editors group as its migrations make it. A transactional test (the browser
    tests) empties the database afterwards; this puts the group back if it is gone."""
    import importlib

    from django.contrib.auth.models import Permission

    group, created = Group.objects.get_or_create(name="Editors")
    if created:
        initial = importlib.import_module("issues.migrations.0002_editors_group")
        drafts = importlib.import_module("issues.migrations.0005_editors_manage_drafts")
        codenames = [
            f"{action}_{model}"
            for model, actions in initial.EDITOR_PERMISSIONS.items()
            for action in actions
        ] + drafts.DRAFT_PERMISSIONS
        codenames += importlib.import_module(
            "issues.migrations.0007_editors_publish"
        ).EDITOR_PERMISSIONS
        codenames += importlib.import_module(
            "issues.migrations.0009_editors_record_outcomes"
        ).EDITOR_PERMISSIONS
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="issues", codename__in=codenames)
        )
    return group


@pytest.fixture
def editor(db):
    user = factories.UserFactory(username="editor", is_staff=True)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def reader(db):
    """A signed-in user who is not an editor."""
    return factories.UserFactory(username="reader")


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def demo(db):
    """The demo dossier: for the tests about the demo itself. Others build their own data
    (factories, or a small file of `tests/dossiers/`), so the demo can be corrected freely."""
    from issues.dossier.demo import demo_load

    load_once("demo", demo_load)


@pytest.fixture
def synthetic_dossier(db):
    """`tests/dossiers/synthetic.yaml`: a small invented dossier with dated revisions (a
    summit, a meeting with a scenario, an issue with positions and an outlook, a draft
    issue, an event, analyses)."""
    from pathlib import Path

    from issues.dossier.write import dossier_import

    synthetic = Path(__file__).with_name("dossiers") / "synthetic.yaml"
    load_once("synthetic", lambda: dossier_import(synthetic.read_bytes()))


@pytest.fixture
def one_outlook(db):
    """The issue `fisheries` (sides US and RU) on the meeting `the-bilateral`, with one
    position and one outlook, both citing the one source there is (the edit forms' test data
    pick it). Returns the outlook."""
    us, ru = factories.CountryFactory(code="US"), factories.CountryFactory(code="RU")
    source = factories.SourceFactory()
    issue = factories.IssueFactory(slug="fisheries")
    issue.sides.set([us, ru])
    meeting = factories.MeetingFactory(slug="the-bilateral")
    issue.meetings.add(meeting)
    factories.PositionFactory(issue=issue, country=us, source=source)
    assessment = factories.AssessmentFactory(issue=issue, meeting=meeting)
    factories.AssessmentCitationFactory(assessment=assessment, source=source)
    return assessment


class _AdminFormParser(HTMLParser):
    """The fields of an admin change form as a browser would submit them, unchanged."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data: dict[str, list[str]] = {}
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def _add(self, name: str | None, value: str) -> None:
        if name and "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        if not self.in_form:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self._add(attrs.get("name"), attrs.get("value") or default)
        elif tag == "select":
            self._select = (attrs.get("name"), "multiple" in attrs)
            self._options = []
        elif tag == "option" and self._select:
            self._option_value = attrs.get("value")
            self._option_text = ""
            self._options.append(("", "selected" in attrs))
        elif tag == "textarea":
            self._textarea, self._text = attrs.get("name"), ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data
        elif self._option_value is None and self._select and self._options:
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "option" and self._select and self._options:
            value = self._option_value
            if value is None:
                value = self._option_text.strip()
            self._options[-1] = (value, self._options[-1][1])
            self._option_value = None
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Django writes a newline after <textarea>, which browsers drop.
            text = self._text[2:] if self._text.startswith("\r\n") else self._text
            self._add(self._textarea, text.removeprefix("\n"))
            self._textarea = None


@pytest.fixture
def admin_form():
    """`admin_form(client, url)`: the POST data of the admin add/change form at `url`, as the
    page renders it (every field, inline and management form included)."""

    def read(client, url: str) -> dict[str, str | list[str]]:
        response = client.get(url)
        assert response.status_code == 200, f"GET {url} gave {response.status_code}"
        opts = response.context["opts"]
        parser = _AdminFormParser(f"{opts.model_name}_form")
        parser.feed(response.content.decode())
        assert parser.data, f"no form {opts.model_name}_form on {url}"
        return {
            name: values[0] if len(values) == 1 else values for name, values in parser.data.items()
        }

    return read


@pytest.fixture
def staff_client(client, db):
    """Signed in as staff with no permissions: the admin lets them in and shows nothing."""
    client.force_login(factories.UserFactory(username="staff", is_staff=True))
    return client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test accounts need no costly hashing; every test user is made in a fraction of the time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def harbour_talks(db):
    """`tests/dossiers/harbour-talks.yaml`: an invented meeting with four assessed issues,
    scenarios, several voices on each side, events of every precision and two recording
    days (`tests/harbour_talks.py` names them)."""
    from tests import harbour_talks

    load_once("harbour-talks", harbour_talks.load)


@pytest.fixture
def editing_dossier(db):
    """`tests/dossiers/editing.yaml`: a small invented dossier for the editing and search
    tests (one source, the issue `harbour-rights` on the meeting `lighthouse-talks`, positions
    of the leader `ada-quillon`, an outlook, scenarios and an event)."""
    from pathlib import Path

    from issues.dossier.write import dossier_import

    editing = Path(__file__).with_name("dossiers") / "editing.yaml"
    load_once("editing", lambda: dossier_import(editing.read_bytes()))
