"""Nothing unpublished reaches a reader, through any URL the site serves.

A distinct sentinel word is planted in every text field of every draft record, every draft
edit (`Draft` row), every note written with a draft, every draft revision later published
over, and every record created only alongside a draft (a new source). Then every URL the
resolver serves is requested as an anonymous reader, with its parameters taken from the data
(every slug and id, every filter value, search for the sentinels, feeds, sitemap, history,
as-of days, compare pairs, and htmx fragments asked for directly), and no sentinel may appear.

The URLs come from the resolver: a new URL whose parameters this test cannot fill fails it,
so no output can be added without passing through the policy.
"""

import itertools
import re
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver

from issues import services, share
from issues.models import Draft, Issue, Leader, Meeting, Position, PublicationStatus, Source
from subscriptions import tokens
from subscriptions.models import Subscription
from tests import factories

pytestmark = pytest.mark.django_db

SENTINEL = "zqxhidden"
# Searches ask for the sentinel in capitals: both search engines ignore case, so a leak shows
# in lower case, while the query echoed back in the search box does not count as one.
SEARCHED = SENTINEL.upper()
DRAFT = PublicationStatus.DRAFT
PUBLISHED = PublicationStatus.PUBLISHED

# Prefixes the sweep leaves to other tests: the back office needs a signed-in editor, and the
# account pages (sign-in, password reset) show no dossier content.
NOT_FOR_READERS = ("admin/", "account/")


def hidden(label: str) -> str:
    """A word full-text search indexes as one token, unique to where it was planted."""
    return f"{SENTINEL}{label}"


def save(record, *, editor=None, note: str = "", **values):
    """Save through the services, as an editor in the page would, with a revision."""
    for name, value in values.items():
        setattr(record, name, value)
    record._history_user = editor
    record._change_reason = note
    record.full_clean()
    record.save()
    return record


@pytest.fixture
def planted(editor):
    """A published dossier with every kind of unpublished thing planted in it."""
    us = factories.CountryFactory(code="US", name="United States")
    ru = factories.CountryFactory(code="RU", name="Russia")
    trump = factories.LeaderFactory(name="Donald Trump", slug="donald-trump", country=us)
    factories.LeaderFactory(name="Vladimir Putin", slug="vladimir-putin", country=ru)
    meeting = factories.MeetingFactory(slug="talks")
    meeting.participants.add(trump)
    topic = factories.TopicFactory(slug="arms")
    source = factories.SourceFactory(title="Published source", url="https://example.org/a")

    issue = factories.IssueFactory(slug="public-issue", title="Public issue")
    issue.topics.add(topic)
    issue.meetings.add(meeting)
    issue.sides.add(us, ru)
    factories.PositionFactory(issue=issue, country=us, leader=trump, source=source)
    factories.AssessmentFactory(issue=issue, meeting=meeting)
    published_event = factories.EventFactory(title="Published event")
    published_event.issues.add(issue)
    published_event.meetings.add(meeting)
    scenario = factories.ScenarioFactory(meeting=meeting, title="Published scenario")

    # A draft issue, with published-looking children that must stay hidden with it.
    draft_issue = factories.IssueFactory(
        slug="draft-issue",
        status=DRAFT,
        title=hidden("issuetitle"),
        summary=hidden("issuesummary"),
        background=hidden("issuebackground"),
    )
    draft_issue.topics.add(topic)
    draft_issue.meetings.add(meeting)
    factories.PositionFactory(
        issue=draft_issue, country=ru, attribution="Moscow", summary=hidden("childposition")
    )
    factories.AssessmentFactory(
        issue=draft_issue, meeting=meeting, rationale=hidden("childrationale")
    )
    only_draft_linked = factories.EventFactory(title=hidden("childevent"))
    only_draft_linked.issues.add(draft_issue)

    # Drafts on the published issue, one of each kind; a new source typed into one.
    draft_source = factories.SourceFactory(
        status=DRAFT,
        title=hidden("sourcetitle"),
        publisher=hidden("sourcepublisher"),
        author=hidden("sourceauthor"),
        notes=hidden("sourcenotes"),
        url="https://example.org/zqxhiddenurl",
    )
    factories.PositionFactory(
        issue=issue,
        country=us,
        leader=trump,
        status=DRAFT,
        summary=hidden("positionsummary"),
        quote=hidden("positionquote"),
        locator=hidden("positionlocator"),
        source=draft_source,
    )
    factories.PositionFactory(
        issue=issue,
        country=ru,
        status=DRAFT,
        attribution=hidden("positionattribution"),
        summary="Draft with an attribution",
    )
    draft_event = factories.EventFactory(
        status=DRAFT, title=hidden("eventtitle"), description=hidden("eventdescription")
    )
    draft_event.issues.add(issue)
    draft_event.meetings.add(meeting)
    second_meeting = factories.MeetingFactory(slug="other-talks", summit=meeting.summit)
    issue.meetings.add(second_meeting)
    factories.AssessmentFactory(
        issue=issue,
        meeting=second_meeting,
        status=DRAFT,
        rationale=hidden("assessmentrationale"),
        deliverable=hidden("assessmentdeliverable"),
    )
    factories.ScenarioFactory(
        meeting=meeting,
        status=DRAFT,
        title=hidden("scenariotitle"),
        description=hidden("scenariodescription"),
        source=source,
        locator=hidden("scenariolocator"),
    )

    # A draft edit of a published record, with its note.
    published_position = Position.objects.filter(issue=issue, status=PUBLISHED).first()
    services.record_update(
        record=published_position,
        editor=editor,
        edit=services.Edit(
            values={"summary": hidden("draftedit")}, note=hidden("draftnote"), as_draft=True
        ),
        expected_version=published_position.version,
    )
    Draft.objects.create(
        content_type=ContentType.objects.get_for_model(scenario),
        object_id=scenario.pk,
        data={"title": hidden("scenariodraftedit")},
        note=hidden("scenariodraftnote"),
        author=editor,
        base_version=scenario.version,
    )

    # A record first saved as a draft (with a note), then reworded and published: its
    # draft wording and note belong to no published revision.
    reworded = factories.PositionFactory(
        issue=issue, country=us, status=DRAFT, summary=hidden("earlywording")
    )
    save(reworded, editor=editor, note=hidden("earlynote"))
    save(reworded, editor=editor, note="Published", summary="Final wording", status=PUBLISHED)

    # E-mail subscriptions, one to the draft issue (made while it was published): the links
    # in their e-mails lead to pages that name what they follow.
    Subscription.objects.create(email="reader@example.org", issue=issue)
    Subscription.objects.create(email="reader@example.org", issue=draft_issue)
    Subscription.objects.create(email="reader@example.org", meeting=meeting)
    return {"issue": issue, "draft_issue": draft_issue, "meeting": meeting}


# Filling the resolver's URL patterns from the data ---------------------------------------


def patterns(resolver: URLResolver | None = None, prefix: str = ""):
    """Every URL pattern as (route, pattern), nested includes flattened."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        else:
            assert isinstance(entry, URLPattern)
            yield route, entry


def parameter_values() -> dict[tuple[str, str], list[str]]:
    """Values for each (route prefix, parameter) pair, taken from every record that exists."""
    issue_slugs = list(Issue.objects.values_list("slug", flat=True))
    meeting_slugs = list(Meeting.objects.values_list("slug", flat=True))
    source_ids = [str(pk) for pk in Source.objects.values_list("pk", flat=True)]
    leader_slugs = list(Leader.objects.values_list("slug", flat=True))
    summit_slugs = [m.summit.slug for m in Meeting.objects.select_related("summit")]
    return {
        ("api/summits/", "slug"): summit_slugs,
        ("api/meetings/", "slug"): meeting_slugs,
        ("api/issues/", "slug"): issue_slugs,
        ("api/leaders/", "slug"): leader_slugs,
        ("api/sources/", "source_id"): source_ids,
        ("^issues/", "slug"): issue_slugs,
        ("^sources/", "pk"): source_ids,
        ("issues/", "slug"): issue_slugs,
        ("meetings/", "slug"): meeting_slugs,
        ("summits/", "slug"): [m.summit.slug for m in Meeting.objects.select_related("summit")],
        ("leaders/", "slug"): list(Leader.objects.values_list("slug", flat=True)),
        ("sources/", "pk"): [str(pk) for pk in Source.objects.values_list("pk", flat=True)],
        ("issues/", "meeting_slug"): meeting_slugs,
        ("issues/", "pk"): [
            str(pk)
            for pk in itertools.chain(
                Position.objects.values_list("pk", flat=True),
                Issue.events.through.objects.values_list("event_id", flat=True),
            )
        ],
        ("meetings/", "pk"): [str(pk) for pk in Draft.objects.values_list("object_id", flat=True)]
        + [str(pk) for pk in Meeting.objects.values_list("scenarios__pk", flat=True) if pk],
        ("drafts/", "pk"): [str(pk) for pk in Draft.objects.values_list("pk", flat=True)],
        ("subscriptions/", "token"): [
            tokens.make(subscription, purpose)
            for subscription in Subscription.objects.all()
            for purpose in (tokens.CONFIRM, tokens.UNSUBSCRIBE)
        ],
    }


def concrete_urls(route: str, values) -> list[str]:
    if route.startswith("^"):
        return regex_urls(route, values)
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not names:
        return ["/" + route]
    choices = []
    for name in names:
        key = next(((p, n) for (p, n) in values if n == name and route.startswith(p)), None)
        assert key is not None, f"no reader data fills <{name}> in {route}: add it to this test"
        choices.append(values[key])
    urls = []
    for combination in itertools.product(*choices):
        url = route
        for value in combination:
            url = re.sub(r"<(?:\w+:)?\w+>", value, url, count=1)
        urls.append("/" + url)
    return urls


def regex_urls(route: str, values) -> list[str]:
    """A regular-expression route: named groups filled from the data, or, for a group of
    alternatives such as (?P<fmt>yaml|json), with each alternative."""
    groups = re.findall(r"\(\?P<(\w+)>([^)]*)\)", route)
    choices = []
    for name, pattern in groups:
        if re.fullmatch(r"[\w|]+", pattern):
            choices.append(pattern.split("|"))
            continue
        key = next(((p, n) for (p, n) in values if n == name and route.startswith(p)), None)
        assert key is not None, f"no reader data fills {name} in {route}: add it to this test"
        choices.append(values[key])
    template = route.strip("^$").replace("\\.", ".")
    urls = []
    for combination in itertools.product(*choices):
        url = template
        for value in combination:
            url = re.sub(r"\(\?P<\w+>[^)]*\)", value, url, count=1)
        urls.append("/" + url)
    return urls


def query_strings(path: str) -> list[str]:
    """Query strings each page understands, so that filters and searches are swept too."""
    day = date.today().isoformat()
    if path in ("/issues/", "/positions.csv", "/positions.json", "/api/issues", "/api/positions"):
        countries = ["US", "RU"]
        return [
            "",
            f"q={SEARCHED}",
            "topic=arms",
            "meeting=talks",
            "leader=donald-trump",
            *[f"side={code}" for code in countries],
            *[f"posture={code}" for code in range(-2, 3)],
            "date_from=2000-01-01&date_to=2100-01-01",
        ]
    if path.startswith("/search/"):
        return [f"q={SEARCHED}", *[f"q={SEARCHED}{word.upper()}" for word in WORDS]]
    if path == "/compare/":
        parties = ["US", "RU", "donald-trump", "vladimir-putin"]
        pairs = [f"a={a}&b={b}" for a, b in itertools.permutations(parties, 2)]
        return [*pairs, *(f"{pair}&meeting=talks" for pair in pairs)]
    if path.startswith(("/issues/", "/meetings/", "/summits/")):
        return [
            "",
            f"as_of={day}",
            "as_of=2018-11-26",
            "view=reader",
            "page=2",
            "since=2000-01-01",
            "as_of=2018-11-26&since=2000-01-01",
        ]
    return ["", "page=2"]


WORDS = [
    "issuetitle",
    "positionsummary",
    "eventtitle",
    "sourcetitle",
    "scenariotitle",
    "assessmentrationale",
    "draftedit",
    "earlywording",
]


def reader_urls() -> list[str]:
    values = parameter_values()
    urls = []
    for route, _pattern in patterns():
        if route.startswith(NOT_FOR_READERS):
            continue
        for path in concrete_urls(route, values):
            urls += [f"{path}?{query}" if query else path for query in query_strings(path)]
    return urls


def test_no_unpublished_text_reaches_an_anonymous_reader(client, planted):
    urls = reader_urls()
    assert len(urls) > 100  # the sweep covers the site, not a handful of pages
    leaks = []
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code < 500, url
            body = b"".join(response) if response.streaming else response.content
            if SENTINEL.encode() in body:
                found = sorted(set(re.findall(rf"{SENTINEL}\w*", body.decode(errors="replace"))))
                leaks.append((url, headers, found))
    assert leaks == [], "\n".join(f"{u} {h} {f}" for u, h, f in leaks)


def test_no_unpublished_text_reaches_a_share_image(planted):
    """A PNG holds no words to search: the sweep reads the SVG each image is drawn from."""
    images = [url for url in reader_urls() if url.endswith("/share.png")]
    assert "/issues/public-issue/share.png" in images
    assert "/meetings/talks/share.png" in images
    drawn = []
    for url in images:
        kind, slug = url.strip("/").split("/")[:2]
        try:
            svg = share.issue_svg(slug) if kind == "issues" else share.meeting_svg(slug)
        except Http404:
            continue
        drawn.append(url)
        assert SENTINEL not in svg, url
    assert "/issues/draft-issue/share.png" not in drawn
    assert {"/issues/public-issue/share.png", "/meetings/talks/share.png"} <= set(drawn)


def test_the_sweep_reaches_every_kind_of_output(planted):
    urls = reader_urls()
    for expected in [
        "/feed/",
        "/issues/public-issue/feed/",
        "/sitemap.xml",
        "/about/method/",
        "/issues/public-issue/history/",
        "/issues/public-issue/?as_of=2018-11-26",
        f"/search/?q={SEARCHED}",
        "/compare/?a=US&b=RU",
        "/compare/?a=US&b=RU&meeting=talks",
        "/issues/public-issue/?since=2000-01-01",
        "/meetings/talks/?since=2000-01-01",
        "/issues/draft-issue/",
        "/issues/public-issue/dossier.yaml",
        "/issues/public-issue/cite.bib",
        "/issues/public-issue/share.png",
        "/meetings/talks/share.png",
        "/api/issues/public-issue",
        "/positions.csv?side=US",
        f"/sources/{Source.objects.get(status=DRAFT).pk}/",
        "/issues/public-issue/subscribe/",
        "/meetings/talks/subscribe/",
    ]:
        assert expected in urls
    # Every subscription's confirmation and unsubscribe pages, with a valid link of each kind.
    for page in ("confirm", "unsubscribe"):
        swept = [u for u in urls if u.startswith(f"/subscriptions/{page}/") and "?" not in u]
        assert len(swept) == 2 * Subscription.objects.count()


def test_an_editor_finds_the_drafts_where_they_belong(client, editor, planted):
    client.force_login(editor)
    issue_page = client.get("/issues/public-issue/").content.decode()
    for word in ["positionsummary", "eventtitle", "assessmentrationale", "draftedit"]:
        assert hidden(word) in issue_page, word
    assert hidden("issuetitle") in client.get("/issues/draft-issue/").content.decode()
    assert hidden("scenariotitle") in client.get("/meetings/talks/").content.decode()
    draft_source = Source.objects.get(status=DRAFT)
    assert hidden("sourcetitle") in client.get(f"/sources/{draft_source.pk}/").content.decode()


def test_publishing_a_draft_position_publishes_the_source_typed_into_it(editor, planted):
    position = Position.objects.get(summary=hidden("positionsummary"))
    services.record_publish(record=position, editor=editor)
    position.source.refresh_from_db()
    assert position.source.status == PUBLISHED
    assert Source.objects.visible_to(AnonymousUser()).filter(pk=position.source_id).exists()
