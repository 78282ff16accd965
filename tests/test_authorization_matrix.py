"""Who may do what, for every address the site has.

The test walks the URL resolver, so a new address cannot be missed: a pattern without an
expectation fails the test. Each pattern is tried by each role with GET, HEAD and POST, and
every answer must be the expected status. Writes are rolled back after each cell.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from issues.models import (
    Draft,
    Event,
    Issue,
    Leader,
    OutlookAssessment,
    Position,
    Scenario,
    Source,
    Summit,
)
from subscriptions import tokens
from subscriptions.models import Subscription
from tests import factories
from tests.conftest import editors_group

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "user", "staff", "viewer", "reviser", "editor", "superuser"]
METHODS = ["GET", "HEAD", "POST"]


def walk(patterns, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def every_route() -> list[str]:
    return list(walk(get_resolver().url_patterns))


# Answers by profile: {role: (GET, HEAD, POST)} -------------------------------------------

EVERYONE = dict.fromkeys(ROLES)


def same_for_all(get: int, head: int, post: int) -> dict:
    return dict.fromkeys(EVERYONE, (get, head, post))


PUBLIC_PAGE = same_for_all(200, 200, 405)


def editor_page(post_ok: int) -> dict:
    """A form page for editors: visitors are sent to sign in (GET) or refused (POST)."""
    allowed = (200, 200, post_ok)
    refused = (403, 403, 403)
    return {
        "anonymous": (302, 302, 403),
        "user": refused,
        "staff": refused,
        "viewer": refused,
        "reviser": allowed,
        "editor": allowed,
        "superuser": allowed,
    }


def editor_action(post_ok: int, *, needs_publish: bool = False) -> dict:
    """A POST-only editor action: GET and HEAD are 405 for everyone."""
    refused = (405, 405, 403)
    allowed = (405, 405, post_ok)
    return {
        "anonymous": refused,
        "user": refused,
        "staff": refused,
        "viewer": refused,
        "reviser": refused if needs_publish else allowed,
        "editor": allowed,
        "superuser": allowed,
    }


# Invalid (empty) form posts are answered 422 with the form and its messages.
SITE = {
    "": PUBLIC_PAGE,
    "healthz": PUBLIC_PAGE,
    "livez": PUBLIC_PAGE,
    "sitemap.xml": PUBLIC_PAGE,
    "robots.txt": PUBLIC_PAGE,
    "summits/<slug:slug>/": PUBLIC_PAGE,
    "meetings/<slug:slug>/": PUBLIC_PAGE,
    "issues/": PUBLIC_PAGE,
    "issues/<slug:slug>/": PUBLIC_PAGE,
    "issues/<slug:slug>/feed/": PUBLIC_PAGE,
    "issues/<slug:slug>/positions/": PUBLIC_PAGE,
    # Share images: the published outlook, the same for everyone.
    "issues/<slug:slug>/share.png": PUBLIC_PAGE,
    "meetings/<slug:slug>/share.png": PUBLIC_PAGE,
    "feed/": PUBLIC_PAGE,
    "leaders/": PUBLIC_PAGE,
    "leaders/<slug:slug>/": PUBLIC_PAGE,
    "sources/": PUBLIC_PAGE,
    "sources/<int:pk>/": PUBLIC_PAGE,
    "search/": PUBLIC_PAGE,
    # Suggestions as one types: a fragment for htmx; a plain request is sent to the search page.
    "search/suggestions/": same_for_all(302, 302, 405),
    "meetings/<slug:slug>/feed/": PUBLIC_PAGE,
    "leaders/<slug:slug>/feed/": PUBLIC_PAGE,
    "track-record/": PUBLIC_PAGE,
    "track-record/feed/": PUBLIC_PAGE,
    "about/method/": PUBLIC_PAGE,
    # Downloads for researchers: published content, the same for everyone who may read it.
    "positions.csv": PUBLIC_PAGE,
    "positions.json": PUBLIC_PAGE,
    r"^issues/(?P<slug>[-a-zA-Z0-9_]+)/dossier\.(?P<fmt>yaml|json)$": PUBLIC_PAGE,
    r"^issues/(?P<slug>[-a-zA-Z0-9_]+)/cite\.(?P<fmt>bib|ris|json)$": PUBLIC_PAGE,
    r"^sources/(?P<pk>[0-9]+)/cite\.(?P<fmt>bib|ris|json)$": PUBLIC_PAGE,
    # The read-only API; its schema and docs page are static documents.
    "api/": same_for_all(404, 404, 404),
    # Importing a dossier file publishes: editors who may publish, and superusers.
    "admin/issues/issue/import-dossier/": {
        "anonymous": (302, 302, 302),
        "user": (302, 302, 302),
        **dict.fromkeys(["staff", "viewer", "reviser"], (403, 403, 403)),
        "editor": (200, 200, 200),
        "superuser": (200, 200, 200),
    },
    "api/openapi.json": same_for_all(200, 200, 200),
    "api/docs": same_for_all(200, 200, 200),
    **dict.fromkeys(
        [
            "api/summits",
            "api/summits/<slug>",
            "api/meetings",
            "api/meetings/<slug>",
            "api/issues",
            "api/issues/<slug>",
            "api/positions",
            "api/leaders",
            "api/leaders/<slug>",
            "api/sources",
            "api/sources/<source_id>",
            "api/events",
            "api/assessments",
            "api/scenarios",
        ],
        PUBLIC_PAGE,
    ),
    "compare/": PUBLIC_PAGE,
    "issues/<slug:slug>/history/": PUBLIC_PAGE,
    # The fragments an edit returns to on Cancel; asked without htmx, they send the reader
    # to the record's place on its page.
    "issues/<slug:slug>/outlook/<slug:meeting_slug>/": same_for_all(302, 302, 405),
    "issues/<slug:slug>/positions/<int:pk>/": same_for_all(302, 302, 405),
    "meetings/<slug:slug>/scenarios/<int:pk>/": same_for_all(302, 302, 405),
    "issues/<slug:slug>/outlook/<slug:meeting_slug>/edit/": editor_page(422),
    "issues/<slug:slug>/positions/new/": editor_page(422),
    # Several positions at once: an empty post is the form again with its message.
    "issues/<slug:slug>/positions/add/": editor_page(422),
    "issues/<slug:slug>/positions/<int:pk>/edit/": editor_page(422),
    "issues/<slug:slug>/events/new/": editor_page(422),
    "issues/<slug:slug>/events/<int:pk>/edit/": editor_page(422),
    "meetings/<slug:slug>/scenarios/<int:pk>/edit/": editor_page(422),
    # An empty withdrawal carries no version: refused as a conflict, nothing changes.
    "issues/<slug:slug>/positions/<int:pk>/withdraw/": editor_action(409),
    "issues/<slug:slug>/positions/<int:pk>/restore/": editor_action(409),
    "edit/preview/": editor_action(200),
    "edit/sources/": {
        **editor_page(405),
        "anonymous": (302, 302, 405),
        "user": (403, 403, 405),
        "staff": (403, 403, 405),
        "viewer": (403, 403, 405),
        "reviser": (200, 200, 405),
    },
    # A row's source choices as one types: asked without a row, a bad request.
    "edit/sources/options/": {
        **editor_page(405),
        "anonymous": (302, 302, 405),
        **dict.fromkeys(["user", "staff", "viewer"], (403, 403, 405)),
        **dict.fromkeys(["reviser", "editor", "superuser"], (400, 400, 405)),
    },
    "issues/<slug:slug>/publish/": editor_action(302, needs_publish=True),
    "drafts/<int:pk>/publish/": editor_action(302, needs_publish=True),
    "drafts/<int:pk>/discard/": editor_action(302, needs_publish=True),
    # Following by e-mail: open to everyone. An empty post is the form with its message; the
    # links of a confirmation e-mail and a digest are pages with a button, and their posts
    # confirm or unsubscribe (the signed link authenticates; one-click unsubscribe, RFC 8058).
    "issues/<slug:slug>/subscribe/": same_for_all(200, 200, 422),
    "meetings/<slug:slug>/subscribe/": same_for_all(200, 200, 422),
    "subscriptions/confirm/<str:token>/": same_for_all(200, 200, 200),
    "subscriptions/unsubscribe/<str:token>/": same_for_all(200, 200, 200),
    # Password reset: open to everyone; an empty post is the form again with its message.
    "account/password-reset/": same_for_all(200, 200, 200),
    "account/password-reset/sent/": same_for_all(200, 200, 405),
    "account/password-reset/<uidb64>/<token>/": same_for_all(200, 200, 200),
    "account/password-reset/done/": same_for_all(200, 200, 405),
}


@dataclass
class World:
    kwargs: dict[str, str]
    objects: dict[str, int]


# Every address is tried on `tests/dossiers/synthetic.yaml` (the `synthetic_dossier`
# fixture), an invented dossier with a record of every kind the addresses name; this issue's.
WORLD_ISSUE = "synthetic-water-rights"


def make_world() -> World:
    issue = Issue.objects.get(slug=WORLD_ISSUE)
    position = Position.objects.filter(issue=issue).first()
    event = Event.objects.filter(issues=issue).first()
    assessment = OutlookAssessment.objects.filter(issue=issue).first()
    meeting = assessment.meeting
    scenario = Scenario.objects.filter(meeting=meeting).first()
    draft = Draft.objects.create(
        content_type=ContentType.objects.get_for_model(Position),
        object_id=position.pk,
        data={"summary": "A draft summary."},
        note="matrix",
        base_version=position.version,
    )
    subscription = Subscription.objects.create(email="reader@example.org", issue=issue)
    return World(
        kwargs={
            "confirm_token": tokens.make(subscription, tokens.CONFIRM),
            "unsubscribe_token": tokens.make(subscription, tokens.UNSUBSCRIBE),
            "issue_slug": issue.slug,
            "meeting_slug": meeting.slug,
            "summit_slug": Summit.objects.first().slug,
            "leader_slug": Leader.objects.first().slug,
            "source_pk": str(Source.objects.first().pk),
            "position_pk": str(position.pk),
            "event_pk": str(event.pk),
            "scenario_pk": str(scenario.pk),
            "draft_pk": str(draft.pk),
        },
        objects={},
    )


def site_url(route: str, world: World) -> str:
    k = world.kwargs
    if route.startswith("^"):  # a regular expression: a slug or id, and the first format
        url = re.sub(r"\(\?P<fmt>(\w+)[^)]*\)", r"\1", route.strip("^$").replace("\\.", "."))
        url = url.replace("(?P<slug>[-a-zA-Z0-9_]+)", k["issue_slug"])
        url = url.replace("(?P<pk>[0-9]+)", k["source_pk"])
    elif route.startswith("api/"):
        url = (
            route.replace("summits/<slug>", f"summits/{k['summit_slug']}")
            .replace("meetings/<slug>", f"meetings/{k['meeting_slug']}")
            .replace("issues/<slug>", f"issues/{k['issue_slug']}")
            .replace("leaders/<slug>", f"leaders/{k['leader_slug']}")
            .replace("<source_id>", k["source_pk"])
        )
    elif route.startswith("summits/"):
        url = route.replace("<slug:slug>", k["summit_slug"])
    elif route.startswith("meetings/"):
        url = route.replace("<slug:slug>", k["meeting_slug"]).replace("<int:pk>", k["scenario_pk"])
    elif route.startswith("leaders/"):
        url = route.replace("<slug:slug>", k["leader_slug"])
    elif route.startswith("sources/"):
        url = route.replace("<int:pk>", k["source_pk"])
    elif route.startswith("drafts/"):
        url = route.replace("<int:pk>", k["draft_pk"])
    elif route.startswith("subscriptions/"):
        purpose = "confirm" if "/confirm/" in route else "unsubscribe"
        url = route.replace("<str:token>", k[f"{purpose}_token"])
    elif route.startswith("account/password-reset/<"):
        url = "account/password-reset/MQ/set-password/"
    else:
        pk = k["event_pk"] if "/events/" in route else k["position_pk"]
        url = (
            route.replace("<slug:slug>", k["issue_slug"])
            .replace("<slug:meeting_slug>", k["meeting_slug"])
            .replace("<int:pk>", pk)
        )
    return "/" + url


# The back office -------------------------------------------------------------------------

ADMIN_SHAPES = [
    ("index", r"admin/"),
    ("login", r"admin/login/"),
    ("logout", r"admin/logout/"),
    ("autocomplete", r"admin/autocomplete/"),
    ("jsi18n", r"admin/jsi18n/"),
    ("view_on_site", r"admin/r/<path:content_type_id>/<path:object_id>/"),
    ("app_list", r"admin/\^\(\?P<app_label>.*"),
    ("catch_all", r"admin/\(\?P<url>\.\*\)\$"),
    ("own_password", r"admin/password_change/"),
    ("own_password_done", r"admin/password_change/done/"),
    ("changelist", r"admin/(?P<app>\w+)/(?P<model>\w+)/"),
    ("add", r"admin/(?P<app>\w+)/(?P<model>\w+)/add/"),
    ("change", r"admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/change/"),
    ("delete", r"admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/delete/"),
    ("history", r"admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/history/"),
    ("old_change", r"admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/"),
    ("revision", r"admin/(?P<app>\w+)/(?P<model>\w+)/\^\(\[\^/\]\+\)/history/\(\[\^/\]\+\)/\$"),
    ("password", r"admin/auth/user/<id>/password/"),
]


def admin_shape(route: str) -> tuple[str, dict] | None:
    for shape, pattern in ADMIN_SHAPES:
        match = re.fullmatch(pattern, route)
        if match:
            return shape, match.groupdict()
    return None


def test_every_route_has_an_expectation():
    missing = [r for r in every_route() if r not in SITE and admin_shape(r) is None]
    assert missing == []


def make_users() -> dict[str, object]:
    issues_perms = Permission.objects.filter(content_type__app_label="issues")
    viewer = factories.UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.set(issues_perms.filter(codename__startswith="view_"))
    editor = factories.UserFactory(username="editor", is_staff=True)
    editor.groups.add(editors_group())
    reviser = factories.UserFactory(username="reviser", is_staff=True)
    reviser.user_permissions.set(editors_group().permissions.exclude(codename="publish_drafts"))
    return {
        "anonymous": None,
        "user": factories.UserFactory(username="user"),
        "staff": factories.UserFactory(username="staff", is_staff=True),
        "viewer": viewer,
        "reviser": reviser,
        "editor": editor,
        "superuser": factories.UserFactory(username="root", is_staff=True, is_superuser=True),
    }


def admin_url(route: str, shape: str, groups: dict, users: dict) -> str:
    from django.apps import apps

    if shape == "view_on_site":
        issue = Issue.objects.get(slug=WORLD_ISSUE)
        ct = ContentType.objects.get_for_model(Issue)
        return f"/admin/r/{ct.pk}/{issue.pk}/"
    if shape == "app_list":
        return "/admin/issues/"
    if shape == "catch_all":
        return "/admin/no-such-page/"
    if shape == "password":
        return f"/admin/auth/user/{users['editor'].pk}/password/"
    if "model" not in groups:
        return "/" + route
    model = apps.get_model(groups["app"], groups["model"])
    first = model._default_manager.order_by("pk").first()
    object_id = str(first.pk) if first else "999999"
    if shape == "revision":
        history = first.history.first() if first else None
        return f"/admin/{groups['app']}/{groups['model']}/{object_id}/history/{history.pk}/"
    return "/" + route.replace("<path:object_id>", object_id)


def copied(cookies: SimpleCookie) -> SimpleCookie:
    return SimpleCookie({name: morsel.value for name, morsel in cookies.items()})


class SignedIn:
    """A role's client, signed in once. Every cell starts from that signed-in state, with
    everything the cell before wrote rolled back: signing out in one cell, or changing the
    session, must not carry into the next."""

    def __init__(self, user) -> None:
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)
        self.cookies = copied(self.client.cookies)

    def answer(self, method: str, url: str) -> int:
        self.client.cookies = copied(self.cookies)
        self.forget_cached_session()
        with transaction.atomic():
            response = getattr(self.client, method.lower())(url)
            transaction.set_rollback(True)
        return response.status_code

    def forget_cached_session(self) -> None:
        """A session cached beside the database (`cached_db`) is not rolled back with it:
        drop the copy so the session is read as the database has it."""
        key = self.cookies.get(settings.SESSION_COOKIE_NAME)
        if key is None:
            return
        store = import_module(settings.SESSION_ENGINE).SessionStore(key.value)
        if hasattr(store, "cache_key"):
            store._cache.delete(store.cache_key)


def matrix_cells(world, users):
    for route in every_route():
        shape = admin_shape(route) if route not in SITE else None
        url = site_url(route, world) if route in SITE else admin_url(route, *shape, users)
        yield route, shape, url


# The back office's own pages, by role: (GET, HEAD, POST).
SIGN_IN_FIRST = (302, 302, 302)
STAFF_ROLES = ["staff", "viewer", "reviser", "editor", "superuser"]


def back_office(answer: tuple[int, int, int], **by_role: tuple[int, int, int]) -> dict:
    return {
        "anonymous": SIGN_IN_FIRST,
        "user": SIGN_IN_FIRST,
        **dict.fromkeys(STAFF_ROLES, answer),
        **by_role,
    }


ADMIN_PAGES = {
    "index": back_office((200, 200, 200)),
    # Signed-in staff are sent on to the index; a post is a sign-in attempt.
    "login": {
        "anonymous": (200, 200, 200),
        "user": (200, 200, 200),
        **dict.fromkeys(STAFF_ROLES, (302, 200, 200)),
    },
    "logout": back_office((405, 405, 200)),
    "own_password": back_office((200, 200, 200)),
    "own_password_done": back_office((200, 200, 405)),
    "autocomplete": back_office((403, 403, 405)),
    "jsi18n": back_office((200, 200, 405)),
    "view_on_site": back_office((302, 302, 302)),
    # Changing someone else's password: administrators only.
    "password": back_office((403, 403, 403), superuser=(200, 200, 200)),
    "app_list": back_office((200, 200, 200), staff=(404, 404, 404)),
    "catch_all": back_office((404, 404, 404)),
}


def admin_expectation(shape: str, groups: dict, user, has_object: bool) -> tuple:
    """A model's back-office pages answer as its ModelAdmin's permissions say."""
    from django.apps import apps
    from django.contrib import admin
    from django.test import RequestFactory

    if user is None or not user.is_staff:
        return SIGN_IN_FIRST
    if shape == "old_change":
        return (302, 302, 302)  # the old address of a change page redirects to it
    model = apps.get_model(groups["app"], groups["model"])
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = user
    can_view = model_admin.has_view_or_change_permission(request)
    can_change = model_admin.has_change_permission(request)
    if shape == "changelist":
        return (200, 200, 200) if can_view else (403, 403, 403)
    if shape == "revision":
        # The revert form shows to whoever may view; only who may change can post it.
        if not can_view:
            return (403, 403, 403)
        return (200, 200, 200) if can_change else (200, 200, 403)
    if shape == "history":
        if not has_object:
            return (302, 302, 302)
        return (200, 200, 200) if can_view else (403, 403, 403)
    if shape == "add":
        return (200, 200, 200) if model_admin.has_add_permission(request) else (403, 403, 403)
    allowed = {
        "change": can_view,
        "delete": model_admin.has_delete_permission(request),
    }[shape]
    if not allowed:
        return (403, 403, 403)
    if not has_object:
        return (302, 302, 302)  # "doesn't exist", back to the index
    if shape == "change" and not can_change:
        return (200, 200, 403)  # view only: the form shows, a save is refused
    return (200, 200, 200)


def expected(route: str, role: str, user) -> tuple:
    if route in SITE:
        return SITE[route][role]
    shape, groups = admin_shape(route)
    if shape in ADMIN_PAGES:
        return ADMIN_PAGES[shape][role]
    return admin_expectation(shape, groups, user, has_object=True)


# A role at a time: each is a test of its own, so parallel test workers share the matrix
# rather than one worker walking all of it.
@pytest.mark.ignore_template_errors  # django-simple-history's revision template has one
@pytest.mark.parametrize("role", ROLES)
def test_every_address_answers_each_role_as_expected(synthetic_dossier, role):
    world = make_world()
    users = make_users()
    # The addresses first: signing in writes rows (an access log) the back office lists.
    addresses = list(matrix_cells(world, users))
    signed_in = SignedIn(users[role])
    wrong = []
    cells = 0
    for route, shape, url in addresses:
        has_object = "999999" not in url
        if shape and shape[0] not in ADMIN_PAGES:
            want = admin_expectation(*shape, users[role], has_object)
        else:
            want = expected(route, role, users[role])
        got = tuple(signed_in.answer(method, url) for method in METHODS)
        cells += len(METHODS)
        if got != want:
            wrong.append(f"{role:9} {url}: expected {want}, got {got}")
    assert cells * len(ROLES) > 3000
    assert wrong == [], "\n".join(wrong)


def test_publishing_needs_its_own_permission(client, synthetic_dossier):
    """An editor who may change every record but not publish cannot publish or discard."""
    reviser = factories.UserFactory(username="reviser", is_staff=True)
    reviser.user_permissions.set(editors_group().permissions.exclude(codename="publish_drafts"))
    position = Position.objects.first()
    draft = Draft.objects.create(
        content_type=ContentType.objects.get_for_model(Position),
        object_id=position.pk,
        data={"summary": "A draft summary."},
        base_version=position.version,
    )
    client.force_login(reviser)
    assert client.post(f"/drafts/{draft.pk}/publish/").status_code == 403
    assert client.post(f"/drafts/{draft.pk}/discard/").status_code == 403
    assert client.post(f"/issues/{position.issue.slug}/publish/").status_code == 403
    assert Draft.objects.filter(pk=draft.pk).exists()
