"""Editors annotate in place: permissions, validation, conflicts, drafts, history, CSRF."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.test import Client

from issues.models import (
    Country,
    Draft,
    Event,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Scenario,
    Source,
)
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
# The issue and meeting of `tests/dossiers/editing.yaml` (the `editing_dossier` fixture).
ISSUE = "/issues/harbour-rights/"
OUTLOOK = f"{ISSUE}outlook/lighthouse-talks/"
OUTLOOK_EDIT = f"{OUTLOOK}edit/"
NEW_POSITION = f"{ISSUE}positions/new/"
NEW_EVENT = f"{ISSUE}events/new/"
SCENARIOS = "/meetings/lighthouse-talks/scenarios/"
BOLD = "hard to avoid"  # the words the outlook's rationale sets in bold


@pytest.fixture
def assessment(editing_dossier) -> OutlookAssessment:
    return OutlookAssessment.objects.get(issue__slug="harbour-rights")


@pytest.fixture
def led(editing_dossier) -> Position:
    """A position a leader took (not a side's officials)."""
    return Position.objects.get(
        issue__slug="harbour-rights", leader__slug="ada-quillon", kind="rhetoric"
    )


def assessment_data(assessment: OutlookAssessment, **changes) -> dict:
    data = {
        "effect": "-1",
        "salience": "3",
        "deliverable": "Talks on de-escalation",
        "rationale": "Edited rationale.",
        "sources": [Source.objects.get().pk],
        "locator": "para. 3",
        "version": assessment.version,
        "note": "after the harbour incident",
        "action": "publish",
    }
    return {**data, **changes}


def position_data(position: Position | None = None, **changes) -> dict:
    """A position form: an edit of `position` (for its side), or a new position for the
    first country by code (a side of the issue in every test's data)."""
    country = position.country if position else Country.objects.order_by("code").first()
    data = {
        "country": country.pk,
        "leader": "",
        "attribution": "Officials",
        "kind": "rhetoric",
        "posture": "-1",
        "summary": "A new position summary.",
        "quote": "",
        "stated_on": "2024-02-26",
        "stated_on_precision": "day",
        "source": Source.objects.first().pk,
        "locator": "para. 3",
        "version": position.version if position else "",
        "note": "",
        "action": "publish",
    }
    return {**data, **changes}


def write_urls(ids: dict) -> list[tuple[str, str]]:
    p, e, s = ids["position"], ids["event"], ids["scenario"]
    return [
        ("get", OUTLOOK_EDIT),
        ("post", OUTLOOK_EDIT),
        ("get", NEW_POSITION),
        ("post", NEW_POSITION),
        ("get", f"{ISSUE}positions/{p}/edit/"),
        ("post", f"{ISSUE}positions/{p}/edit/"),
        ("post", f"{ISSUE}positions/{p}/withdraw/"),
        ("get", NEW_EVENT),
        ("post", NEW_EVENT),
        ("get", f"{ISSUE}events/{e}/edit/"),
        ("post", f"{ISSUE}events/{e}/edit/"),
        ("get", f"{SCENARIOS}{s}/edit/"),
        ("post", f"{SCENARIOS}{s}/edit/"),
        ("post", f"{ISSUE}publish/"),
        ("post", "/edit/preview/"),
        ("get", "/edit/sources/?source_query=harbour"),
    ]


@pytest.fixture
def ids(editing_dossier, led) -> dict:
    return {
        "position": led.pk,
        "event": Event.objects.get(issues__slug="harbour-rights").pk,
        "scenario": Scenario.objects.first().pk,
    }


class TestPermissionMatrix:
    def test_anonymous_is_sent_to_sign_in_from_forms_and_refused_on_writes(self, client, ids):
        for method, url in write_urls(ids):
            response = getattr(client, method)(url)
            if method == "get":
                assert response.status_code == 302, url
                assert response["Location"].startswith("/admin/login/"), url
            else:
                assert response.status_code == 403, url

    def test_a_signed_in_non_editor_is_refused_everywhere(self, client, reader, ids):
        client.force_login(reader)
        for method, url in write_urls(ids):
            assert getattr(client, method)(url).status_code == 403, (method, url)

    @pytest.mark.parametrize("who", ["editor", "superuser"])
    def test_editors_and_superusers_get_every_form(self, client, request, who, ids):
        client.force_login(request.getfixturevalue(who))
        for method, url in write_urls(ids):
            if method == "get":
                assert client.get(url).status_code == 200, url

    @pytest.mark.parametrize("who", ["editor", "superuser"])
    def test_editors_and_superusers_can_save(self, client, request, who, assessment):
        client.force_login(request.getfixturevalue(who))
        response = client.post(OUTLOOK_EDIT, assessment_data(assessment))
        assert response.status_code == 302
        assessment.refresh_from_db()
        assert assessment.rationale == "Edited rationale."

    def test_edit_controls_show_for_editors_only(self, client, editor, reader, editing_dossier):
        assert "Edit outlook" not in client.get(ISSUE).content.decode()
        client.force_login(reader)
        assert "Edit outlook" not in client.get(ISSUE).content.decode()
        client.force_login(editor)
        body = client.get(ISSUE).content.decode()
        assert "Edit outlook" in body and "Add a position" in body and "Withdraw" in body
        reader_view = client.get(f"{ISSUE}?view=reader").content.decode()
        assert "Edit outlook" not in reader_view


class TestAssessmentInPlace:
    def test_edit_form_is_a_fragment_for_htmx(self, editor_client, assessment):
        response = editor_client.get(OUTLOOK_EDIT, headers=HTMX)
        body = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in body and body.lstrip().startswith("<form")
        assert f'name="version" value="{assessment.version}"' in body

    def test_plain_get_is_a_whole_page_with_the_form(self, editor_client, assessment):
        body = editor_client.get(OUTLOOK_EDIT).content.decode()
        assert "<html" in body and f'action="{OUTLOOK}' in body

    def test_save_swaps_the_updated_assessment_back(self, editor_client, assessment, editor):
        response = editor_client.post(OUTLOOK_EDIT, assessment_data(assessment), headers=HTMX)
        body = response.content.decode()
        assert response.status_code == 200
        assert '<section class="card assessment"' in body and "Edited rationale." in body
        assert 'id="sources-list" data-hx-swap-oob="true"' in body
        assessment.refresh_from_db()
        assert (assessment.effect, assessment.author) == (-1, editor)

    def test_cancel_restores_the_display(self, editor_client, assessment):
        response = editor_client.get(OUTLOOK, headers=HTMX)
        assert '<section class="card assessment"' in response.content.decode()

    def test_invalid_input_is_422_with_messages_and_the_typed_text_kept(
        self, editor_client, assessment
    ):
        data = assessment_data(assessment, effect="5", rationale="My careful words", locator="")
        response = editor_client.post(OUTLOOK_EDIT, data, headers=HTMX)
        body = response.content.decode()
        assert response.status_code == 422
        assert "Select a valid choice" in body and "This field is required" in body
        assert "My careful words" in body
        assessment.refresh_from_db()
        assert assessment.rationale != "My careful words"

    def test_a_conflicting_save_is_409_with_both_texts(self, client, editor, assessment):
        opened_version = assessment.version
        other = factories.UserFactory(username="other-editor", is_staff=True)
        other.groups.add(editor.groups.get())
        other_client = Client()
        other_client.force_login(other)
        other_client.post(OUTLOOK_EDIT, assessment_data(assessment, rationale="Their text"))

        client.force_login(editor)
        mine = assessment_data(assessment, rationale="My text", version=opened_version)
        response = client.post(OUTLOOK_EDIT, mine, headers=HTMX)
        body = response.content.decode()
        assert response.status_code == 409
        assert "Their text" in body  # the other editor's saved text, shown
        assert "My text</textarea>" in body  # mine, still in the form
        assessment.refresh_from_db()
        assert assessment.rationale == "Their text"  # nothing overwritten silently
        # Saving again from the conflict form is a deliberate overwrite.
        mine["version"] = assessment.version
        assert client.post(OUTLOOK_EDIT, mine, headers=HTMX).status_code == 200
        assessment.refresh_from_db()
        assert assessment.rationale == "My text"

    def test_markdown_preview_is_sanitized(self, editor_client, editing_dossier):
        response = editor_client.post(
            "/edit/preview/", {"rationale": "**bold** <script>x()</script>"}, headers=HTMX
        )
        body = response.content.decode()
        assert "<strong>bold</strong>" in body and "<script>" not in body


class TestDraftsAndPublishing:
    def test_a_draft_edit_keeps_readers_on_the_published_version(self, client, editor, assessment):
        client.force_login(editor)
        data = assessment_data(assessment, rationale="Draft thinking", action="draft")
        assert client.post(OUTLOOK_EDIT, data).status_code == 302
        assert Draft.objects.count() == 1

        editor_view = client.get(ISSUE).content.decode()
        assert "Draft edit" in editor_view and "Draft thinking" in editor_view
        reader = Client().get(ISSUE).content.decode()
        assert "Draft thinking" not in reader
        as_reader = client.get(f"{ISSUE}?view=reader").content.decode()
        assert "Draft thinking" not in as_reader

        assert client.post(f"{ISSUE}publish/").status_code == 302
        assert "Draft thinking" in Client().get(ISSUE).content.decode()
        assert Draft.objects.count() == 0

    def test_a_new_position_saved_as_draft_is_hidden_until_published(
        self, client, editor, editing_dossier
    ):
        client.force_login(editor)
        data = position_data(summary="Drafted new stance.", action="draft")
        assert client.post(NEW_POSITION, data).status_code == 302
        position = Position.objects.get(summary="Drafted new stance.")
        assert position.status == PublicationStatus.DRAFT
        assert "Drafted new stance." not in Client().get(ISSUE).content.decode()
        assert "Drafted new stance." in client.get(ISSUE).content.decode()
        client.post(f"{ISSUE}publish/")
        assert "Drafted new stance." in Client().get(ISSUE).content.decode()

    def test_publishing_a_draft_over_a_newer_version_is_refused(self, client, editor, assessment):
        client.force_login(editor)
        client.post(OUTLOOK_EDIT, assessment_data(assessment, rationale="Draft", action="draft"))
        assessment.refresh_from_db()
        client.post(OUTLOOK_EDIT, assessment_data(assessment, rationale="Published meanwhile"))
        draft = Draft.objects.get()
        response = client.post(f"/drafts/{draft.pk}/publish/", follow=True)
        assert "changed after this draft was written" in response.content.decode()
        assessment.refresh_from_db()
        assert assessment.rationale == "Published meanwhile"
        assert Draft.objects.filter(pk=draft.pk).exists()


class TestPositionsAndEvents:
    def test_add_a_position_with_a_new_source_in_the_same_form(
        self, editor_client, editing_dossier
    ):
        data = position_data(
            source="",
            new_source_title="Press briefing",
            new_source_publisher="Testland press office",
            new_source_url="https://example.org/briefing",
        )
        response = editor_client.post(NEW_POSITION, data, headers=HTMX)
        assert response.status_code == 200
        position = Position.objects.get(summary="A new position summary.")
        assert position.source.title == "Press briefing"
        body = response.content.decode()
        side = position.country.code
        assert f'data-hx-swap-oob="afterbegin:#side-{side}-list"' in body
        assert f'id="position-{position.pk}"' in body

    def test_nothing_half_saved_when_the_position_is_invalid(self, editor_client, editing_dossier):
        other_side = Country.objects.order_by("code").last()
        stranger = factories.LeaderFactory(country=other_side)
        data = position_data(
            leader=stranger.pk, source="", new_source_title="Orphan source if half-saved"
        )
        assert data["country"] != other_side.pk
        response = editor_client.post(NEW_POSITION, data, headers=HTMX)
        assert response.status_code == 422
        assert f"speaks for {other_side.name}" in response.content.decode()
        assert not Source.objects.filter(title="Orphan source if half-saved").exists()

    def test_source_is_searched_as_you_type(self, editor_client, editing_dossier):
        unmatched = Source.objects.get()
        factories.SourceFactory(title="Quayside readout")
        response = editor_client.get("/edit/sources/", {"source_query": "quayside"}, headers=HTMX)
        body = response.content.decode()
        assert "Quayside readout" in body and unmatched.title not in body

    def test_withdraw_keeps_the_position(self, editor_client, led):
        response = editor_client.post(
            f"{ISSUE}positions/{led.pk}/withdraw/",
            {"version": led.version, "note": "superseded"},
            headers=HTMX,
        )
        assert response.status_code == 200
        led.refresh_from_db()
        assert led.withdrawn_at is not None
        assert led.history.latest().history_change_reason == "superseded"

    def test_position_edit_conflict_is_409(self, editor_client, led):
        stale = position_data(led, summary="Mine", leader=led.leader_id)
        Position.objects.filter(pk=led.pk).update(version=led.version + 1)
        response = editor_client.post(f"{ISSUE}positions/{led.pk}/edit/", stale, headers=HTMX)
        assert response.status_code == 409
        assert led.summary in response.content.decode()

    def test_add_an_event(self, editor_client, editing_dossier):
        data = {
            "title": "The talks are called off",
            "occurred_on": "2024-02-29",
            "occurred_on_precision": "day",
            "description": "",
            "sources": [Source.objects.get().pk],
            "locator": "para. 1",
            "note": "",
            "action": "publish",
        }
        response = editor_client.post(NEW_EVENT, data)
        assert response.status_code == 302
        event = Event.objects.get(title="The talks are called off")
        assert list(event.issues.values_list("slug", flat=True)) == ["harbour-rights"]
        assert event.history.latest().sources.count() == 1


class TestScenarios:
    def test_likelihood_edited_in_place(self, editor_client, editing_dossier):
        scenario = Scenario.objects.get(title="Harbour estrangement")
        url = f"{SCENARIOS}{scenario.pk}/edit/"
        data = {
            "likelihood": "4",
            "description": scenario.description,
            "note": "",
            "version": scenario.version,
            "action": "publish",
        }
        response = editor_client.post(url, data, headers=HTMX)
        assert response.status_code == 200
        assert "Likely" in response.content.decode()
        scenario.refresh_from_db()
        assert scenario.likelihood == 4


class TestHistory:
    def test_history_lists_author_note_and_before_after(self, client, editor, assessment):
        assert f"**{BOLD}**" in assessment.rationale
        client.force_login(editor)
        client.post(OUTLOOK_EDIT, assessment_data(assessment, rationale="Changed words"))
        body = Client().get(f"{ISSUE}history/").content.decode()
        assert "after the harbour incident" in body
        assert '<span class="history__who">editor</span>' in body
        assert "Changed words" in body
        # The rationale before the change, as readers read Markdown: words, not asterisks.
        assert BOLD in body and f"**{BOLD}**" not in body

    def test_readers_do_not_see_draft_revisions(self, client, editor, led):
        client.force_login(editor)
        data = position_data(summary="Secret new position", action="draft")
        client.post(NEW_POSITION, data)
        assert "Secret new position" in client.get(f"{ISSUE}history/").content.decode()
        reader = Client().get(f"{ISSUE}history/").content.decode()
        assert "Secret new position" not in reader


class TestCsrf:
    def test_a_write_without_the_token_is_refused(self, editor, assessment):
        client = Client(enforce_csrf_checks=True)
        client.force_login(editor)
        response = client.post(OUTLOOK_EDIT, assessment_data(assessment), headers=HTMX)
        assert response.status_code == 403

    def test_the_token_in_the_htmx_header_is_accepted(self, editor, assessment):
        client = Client(enforce_csrf_checks=True)
        client.force_login(editor)
        page = client.get(ISSUE).content.decode()
        # What htmx sends: the token the page holds on <body>.
        token = re.search(r'<body data-hx-headers=\'\{"x-csrftoken": "(\w+)"\}\'>', page)[1]
        response = client.post(
            OUTLOOK_EDIT, assessment_data(assessment), headers={**HTMX, "X-CSRFToken": token}
        )
        assert response.status_code == 200


XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<div hx-get="/admin/" hx-trigger="load">x</div>',
    '<div data-hx-get="/admin/" data-hx-trigger="load">x</div>',  # htmx reads both
    '"><svg onload=alert(1)>',
    "<iframe src=//example.org></iframe>",
]


class ActiveMarkup(HTMLParser):
    """Collects what a browser would act on: tags that run or load, handlers, URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "iframe", "img", "svg", "object", "embed"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"{name}=")
            if name in {"href", "src", "action"} and value.startswith("javascript:"):
                self.found.append(f"{name}=javascript:")
            if name in {"hx-trigger", "data-hx-trigger"} and "load" in value:
                self.found.append(f"{name}=load")


def active_markup(html: str) -> list[str]:
    if "<main" in html:  # outside <main> is the site's own head and navigation
        html = html[html.index("<main") : html.index("</main>")]
    parser = ActiveMarkup()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_in_every_editable_text_field_is_inert(editor_client, assessment, led, payload):
    editor_client.post(
        OUTLOOK_EDIT,
        assessment_data(assessment, rationale=payload, deliverable=payload, note=payload),
    )
    editor_client.post(
        f"{ISSUE}positions/{led.pk}/edit/",
        position_data(
            led,
            leader=led.leader_id,
            summary=payload,
            quote=payload,
            attribution=payload,
            locator=payload[:100],
            note=payload,
        ),
    )
    pages = [
        Client().get(ISSUE).content.decode(),
        editor_client.get(ISSUE).content.decode(),
        Client().get(f"{ISSUE}history/").content.decode(),
        Client().get(f"{ISSUE}feed/").content.decode(),
    ]
    assessment.refresh_from_db()
    assert assessment.deliverable == payload  # stored as typed, escaped on the way out
    for page in pages[:3]:
        assert active_markup(page) == []
    # A feed reader renders each summary as HTML: what editors typed must be text there.
    summaries = ET.fromstring(pages[3]).iter("{http://www.w3.org/2005/Atom}summary")
    for summary in summaries:
        assert active_markup(summary.text or "") == []


class IdsAndReferences(HTMLParser):
    """Every id in the markup, and every id an aria-describedby points to."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []  # (name of the control, id referenced)
        self.invalid: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for ref in (values.get("aria-describedby") or "").split():
            self.described.append((values.get("name") or tag, ref))
        if values.get("aria-invalid") == "true":
            self.invalid.add(values.get("name") or tag)


def described_by(html: str) -> IdsAndReferences:
    parser = IdsAndReferences()
    parser.feed(html)
    return parser


class TestFieldsAreDescribed:
    """Each input names its help text and its error messages (aria-describedby): a
    screen reader reads them with the field only if those ids exist on the page."""

    def forms(self, editor_client, ids, led) -> dict[str, object]:
        scenario_url = f"{SCENARIOS}{ids['scenario']}/edit/"
        event_url = f"{ISSUE}events/{ids['event']}/edit/"
        position_url = f"{ISSUE}positions/{led.pk}/edit/"
        blank_event = {"title": "", "description": "", "action": "publish"}
        return {
            "outlook": editor_client.get(OUTLOOK_EDIT, headers=HTMX),
            "outlook with errors": editor_client.post(
                OUTLOOK_EDIT, {"rationale": "", "action": "publish"}, headers=HTMX
            ),
            "new position": editor_client.get(NEW_POSITION, headers=HTMX),
            "new position with errors": editor_client.post(
                NEW_POSITION,
                position_data(summary="", source="", stated_on="not a date"),
                headers=HTMX,
            ),
            "position": editor_client.get(position_url, headers=HTMX),
            "position with errors": editor_client.post(
                position_url, position_data(led, summary="", kind="nonsense"), headers=HTMX
            ),
            "new event": editor_client.get(NEW_EVENT, headers=HTMX),
            "event": editor_client.get(event_url, headers=HTMX),
            "event with errors": editor_client.post(event_url, blank_event, headers=HTMX),
            "scenario": editor_client.get(scenario_url, headers=HTMX),
            "scenario with errors": editor_client.post(
                scenario_url, {"likelihood": "99", "action": "publish"}, headers=HTMX
            ),
        }

    def test_every_described_by_id_exists(self, editor_client, ids, led):
        for name, response in self.forms(editor_client, ids, led).items():
            assert response.status_code in (200, 422), name
            found = described_by(response.content.decode())
            assert found.described, name
            missing = [(field, ref) for field, ref in found.described if ref not in found.ids]
            assert missing == [], name
            if name.endswith("with errors"):
                assert response.status_code == 422, name
                errors = {field for field, ref in found.described if ref.endswith("_error")}
                assert errors and errors == found.invalid, name

    def test_the_help_and_the_error_are_the_ones_referenced(self, editor_client, assessment):
        response = editor_client.post(
            OUTLOOK_EDIT, assessment_data(assessment, locator=""), headers=HTMX
        )
        html = response.content.decode()
        assert 'aria-describedby="id_locator_helptext id_locator_error"' in html
        assert '<small class="help" id="id_locator_helptext">e.g. para. 3</small>' in html
        assert 'id="id_locator_error"><p class="field__error">This field is required.' in html


BIDI_CONTROLS = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


class TestBidiControls:
    """One-line fields lose the invisible characters that reorder the text displayed
    after them; what the editor sees is what is stored."""

    @pytest.mark.parametrize("control", BIDI_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
    def test_each_control_is_stripped_from_one_line_fields(
        self, editor_client, assessment, control
    ):
        response = editor_client.post(
            OUTLOOK_EDIT,
            assessment_data(
                assessment,
                deliverable=f"Talks {control}on{control} piers",
                locator=f"{control}para. 3",
                note=f"after the toll{control}",
            ),
        )
        assert response.status_code == 302
        assessment.refresh_from_db()
        assert assessment.deliverable == "Talks on piers"
        assert assessment.citations.get().locator == "para. 3"
        assert assessment.history.latest().history_change_reason == "after the toll"

    def test_position_and_event_lines_are_stripped(self, editor_client, led, ids):
        response = editor_client.post(
            f"{ISSUE}positions/{led.pk}/edit/",
            position_data(
                led,
                leader=led.leader_id,
                attribution="\u202eslaiciffo\u202c port",
                locator="\u2067para. 4\u2069",
            ),
        )
        assert response.status_code == 302
        led.refresh_from_db()
        assert (led.attribution, led.locator) == ("slaiciffo port", "para. 4")

        event = Event.objects.get(pk=ids["event"])
        response = editor_client.post(
            f"{ISSUE}events/{event.pk}/edit/",
            {
                "title": "\u202dTrawlers turned back\u202c",
                "occurred_on": "2024-02-20",
                "occurred_on_precision": "day",
                "description": event.description,
                "sources": [Source.objects.first().pk],
                "locator": "para. 1",
                "version": event.version,
                "action": "publish",
            },
        )
        assert response.status_code == 302
        event.refresh_from_db()
        assert event.title == "Trawlers turned back"

    def test_a_required_line_of_controls_alone_is_missing(self, editor_client, assessment):
        response = editor_client.post(
            OUTLOOK_EDIT, assessment_data(assessment, locator="\u202e\u2066 \u2069"), headers=HTMX
        )
        assert response.status_code == 422
        assert 'id="id_locator_error"><p class="field__error">This field is required.' in (
            response.content.decode()
        )
        assessment.refresh_from_db()
        assert assessment.rationale != "Edited rationale."

    def test_text_of_several_lines_is_left_as_written(self, editor_client, assessment):
        rationale = "Quoted as written: \u2067\u05e9\u05dc\u05d5\u05dd\u2069."
        editor_client.post(OUTLOOK_EDIT, assessment_data(assessment, rationale=rationale))
        assessment.refresh_from_db()
        assert assessment.rationale == rationale
