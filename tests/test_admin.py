"""The editors' back office: who may open which page, and how bad input is refused."""

from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape
from django.utils.timezone import now

from issues.models import (
    Analysis,
    Country,
    Issue,
    Leader,
    Meeting,
    MeetingResult,
    OutlookAssessment,
    Position,
    Rescore,
    Resolution,
    Scenario,
    Score,
    Source,
    Summit,
)
from issues.scoring import IssueResult, ScenarioResult, outcome_record
from subscriptions.models import Digest, Subscription
from tests import factories

pytestmark = pytest.mark.django_db

REGISTERED = list(admin.site._registry)
COMPUTED = {Score, Rescore}
# Given by readers through the site: read (and deleted on request) in the back office only.
READ_ONLY = {Subscription}
DOSSIER_MODELS = [model for model in REGISTERED if model._meta.app_label == "issues"]


def _label(model) -> str:
    return model._meta.label


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.fixture
def records(reader):
    """At least one record of every registered model, linked as in a dossier (the Editors
    group comes from a migration, `reader` is a user)."""
    us = factories.CountryFactory(code="US")
    leader = factories.LeaderFactory(country=us)
    factories.OfficeFactory(leader=leader)
    meeting = factories.MeetingFactory()
    meeting.participants.add(leader)
    issue = factories.IssueFactory()
    issue.topics.add(factories.TopicFactory())
    issue.sides.add(us)
    issue.meetings.add(meeting)
    position = factories.PositionFactory(issue=issue, country=us, leader=leader)
    factories.EventCitationFactory(source=position.source).event.issues.add(issue)
    assessment = factories.AssessmentFactory(issue=issue, meeting=meeting)
    factories.AssessmentCitationFactory(assessment=assessment, source=position.source)
    scenario = factories.ScenarioFactory(meeting=meeting, source=position.source, locator="para. 7")
    factories.ScaleLabelFactory()
    Analysis.objects.create(
        source=position.source,
        author="The author",
        locator="para. 2",
        text="A judgement.",
        issue=issue,
    )
    for came_true in (Resolution.YES, Resolution.NO):  # recorded, then corrected: a re-score
        outcome_record(
            meeting=meeting,
            result=MeetingResult.HELD,
            source=position.source,
            issues=[IssueResult(issue.pk, Resolution.YES)],
            scenarios=[ScenarioResult(scenario.pk, came_true)],
        )
    # Sign-in throttling's records, which administrators read and delete to unlock.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    seen = {"user_agent": "test", "ip_address": "203.0.113.7", "username": "editor"}
    seen |= {"http_accept": "text/html", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**seen)
    AccessLog.objects.create(**seen)
    # Readers' e-mail subscriptions, with a digest sent.
    subscription = Subscription.objects.create(
        email="reader@example.org", issue=issue, confirmed_at=now(), digested_until=now()
    )
    Digest.objects.create(
        subscription=subscription,
        changes_after=now() - timedelta(days=1),
        changes_until=now(),
        changes=1,
    )


def admin_pages(model) -> dict[str, str]:
    """The changelist, the add page and the change page of an existing record of `model`."""
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {_label(model)} to open: add one to the `records` fixture"
    pages = {
        "changelist": admin_url(model, "changelist"),
        "add": admin_url(model, "add"),
        "change": admin_url(model, "change", obj.pk),
    }
    if model in COMPUTED | READ_ONLY:  # written by code only: nobody adds one by hand
        del pages["add"]
    return pages


def test_the_dossier_models_are_registered():
    assert {Issue, Position, OutlookAssessment, Scenario, Summit, Leader} <= set(DOSSIER_MODELS)


@pytest.mark.parametrize("model", DOSSIER_MODELS, ids=_label)
def test_an_editor_opens_every_dossier_page(editor_client, records, model):
    for page, url in admin_pages(model).items():
        response = editor_client.get(url)
        assert response.status_code == 200, f"{page} {url}: {response.status_code}"


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_a_superuser_opens_every_page(client, superuser, records, model):
    client.force_login(superuser)
    for page, url in admin_pages(model).items():
        response = client.get(url)
        # Sign-in attempts are recorded by django-axes, never added by hand.
        expected = 403 if page == "add" and model._meta.app_label == "axes" else 200
        assert response.status_code == expected, f"{page} {url}: {response.status_code}"


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, records, model):
    for page, url in admin_pages(model).items():
        response = client.get(url)
        assert response.status_code == 302, f"{page} {url}: {response.status_code}"
        assert response.url == f"{reverse('admin:login')}?next={url}"


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_staff_without_permissions_is_refused(staff_client, records, model):
    for page, url in admin_pages(model).items():
        response = staff_client.get(url)
        assert response.status_code == 403, f"{page} {url}: {response.status_code}"


@pytest.mark.parametrize("model", [Position, Issue, OutlookAssessment, Scenario], ids=_label)
def test_an_editor_reads_the_history_of_a_record(editor_client, records, model):
    obj = model.objects.order_by("pk").first()

    response = editor_client.get(admin_url(model, "history", obj.pk))

    assert response.status_code == 200
    assert response.context["page_obj"].object_list  # the record's revisions are listed


# Bad input: a clear message, the form shown again, nothing saved.


def form_errors(response) -> dict[str, list[str]]:
    """Every error on the re-rendered admin form, inline forms included, by field name."""
    form = response.context["adminform"].form
    errors = {name: list(messages) for name, messages in form.errors.items()}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for index, inline_form in enumerate(formset.forms):
            for name, messages in inline_form.errors.items():
                errors[f"{formset.prefix}-{index}-{name}"] = list(messages)
        if formset.non_form_errors():
            errors[f"{formset.prefix}-__all__"] = list(formset.non_form_errors())
    return errors


def assert_refused(response, field: str, message: str) -> None:
    assert response.status_code == 200
    assert form_errors(response) == {field: [message]}
    assert escape(message) in response.content.decode()


def inline_index(data: dict, prefix: str, pk: int) -> int:
    """The index of the inline form that edits record `pk`."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    return next(i for i in range(total) if data.get(f"{prefix}-{i}-id") == str(pk))


@pytest.fixture
def us_position(db) -> Position:
    """A position of a U.S. leader on the issue "Fisheries" (sides US and RU)."""
    us, ru = factories.CountryFactory(code="US"), factories.CountryFactory(code="RU")
    issue = factories.IssueFactory(title="Fisheries", slug="fisheries")
    issue.sides.set([us, ru])
    adviser = factories.LeaderFactory(slug="us-adviser", name="Adviser B", country=us)
    return factories.PositionFactory(issue=issue, country=us, leader=adviser, attribution="")


@pytest.fixture
def putin(db) -> Leader:
    """A leader of the other side (named for the part he plays in these tests)."""
    return factories.LeaderFactory(
        slug="ru-president", name="President D", country=factories.CountryFactory(code="RU")
    )


OTHER_SIDE = "President D speaks for Russia, not this side."


def test_a_valid_position_edit_is_saved(editor_client, admin_form, us_position):
    """The control for the refusals below: the same form, valid, is accepted."""
    url = admin_url(Position, "change", us_position.pk)
    data = admin_form(editor_client, url)
    data["posture"] = "2"

    response = editor_client.post(url, data)

    assert response.status_code == 302
    us_position.refresh_from_db()
    assert us_position.posture == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("posture", "5", "Select a valid choice. 5 is not one of the available choices."),
        ("summary", "", "This field is required."),
        ("summary", "   ", "This field is required."),
    ],
)
def test_a_bad_position_is_refused(editor_client, admin_form, us_position, field, value, message):
    url = admin_url(Position, "change", us_position.pk)
    before = Position.objects.filter(pk=us_position.pk).values().get()
    data = admin_form(editor_client, url)
    data[field] = value

    response = editor_client.post(url, data)

    assert_refused(response, field, message)
    assert Position.objects.filter(pk=us_position.pk).values().get() == before


def test_a_position_by_a_leader_of_the_other_side_is_refused(
    editor_client, admin_form, us_position, putin
):
    url = admin_url(Position, "change", us_position.pk)
    data = admin_form(editor_client, url)
    data["leader"] = str(putin.pk)

    response = editor_client.post(url, data)

    assert_refused(response, "leader", OTHER_SIDE)
    us_position.refresh_from_db()
    assert us_position.leader.slug == "us-adviser"


def test_a_new_position_by_a_leader_of_the_other_side_is_refused(
    editor_client, admin_form, us_position, putin
):
    issue = us_position.issue
    url = admin_url(Position, "add")
    data = admin_form(editor_client, url)
    data.update(
        issue=str(issue.pk),
        country=str(Country.objects.get(code="US").pk),
        leader=str(putin.pk),
        kind="rhetoric",
        posture="0",
        summary="Said something.",
        stated_on="2018-11-26",
        source=str(issue.positions.first().source_id),
        locator="para. 3",
    )
    count = Position.objects.count()

    response = editor_client.post(url, data)

    assert_refused(response, "leader", OTHER_SIDE)
    assert Position.objects.count() == count


def _issue_form(editor_client, admin_form, issue):
    url = admin_url(Issue, "change", issue.pk)
    return url, admin_form(editor_client, url)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("posture", "5", "Select a valid choice. 5 is not one of the available choices."),
        ("summary", "", "This field is required."),
        ("leader", "putin", OTHER_SIDE),
    ],
)
def test_a_bad_position_in_the_issue_form_saves_nothing(
    editor_client, admin_form, us_position, putin, field, value, message
):
    issue = us_position.issue
    url, data = _issue_form(editor_client, admin_form, issue)
    index = inline_index(data, "positions", us_position.pk)
    data["title"] = "Fisheries and more"
    data[f"positions-{index}-{field}"] = str(putin.pk) if value == "putin" else value
    positions = list(Position.objects.filter(issue=issue).values())

    response = editor_client.post(url, data)

    assert_refused(response, f"positions-{index}-{field}", message)
    issue.refresh_from_db()
    assert issue.title == "Fisheries"
    assert list(Position.objects.filter(issue=issue).values()) == positions


def test_a_new_blank_position_in_the_issue_form_saves_nothing(
    editor_client, admin_form, us_position
):
    issue = us_position.issue
    url, data = _issue_form(editor_client, admin_form, issue)
    new = int(data["positions-TOTAL_FORMS"])
    data["positions-TOTAL_FORMS"] = str(new + 1)
    values = {
        "country": str(us_position.country_id),
        "attribution": "U.S. officials",
        "kind": "rhetoric",
        "posture": "0",
        "summary": "",
        "stated_on": "2018-11-26",
        "stated_on_precision": "day",
        "source": str(us_position.source_id),
        "locator": "para. 6",
    }
    data.update({f"positions-{new}-{name}": value for name, value in values.items()})
    count = Position.objects.count()

    response = editor_client.post(url, data)

    assert_refused(response, f"positions-{new}-summary", "This field is required.")
    assert Position.objects.count() == count


def _new_issue(editor_client, admin_form, slug: str) -> tuple[str, dict]:
    url = admin_url(Issue, "add")
    data = admin_form(editor_client, url)
    data.update(title="Trade", slug=slug, summary="Tariffs and sanctions.", status="draft")
    return url, data


def test_a_new_issue_is_saved(editor_client, admin_form, us_position):
    """The control for the duplicate slug: the add form, with its inlines, is complete."""
    url, data = _new_issue(editor_client, admin_form, "trade")

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert Issue.objects.get(slug="trade").title == "Trade"


def test_a_duplicate_issue_slug_is_refused(editor_client, admin_form, us_position):
    url, data = _new_issue(editor_client, admin_form, "fisheries")
    count = Issue.objects.count()

    response = editor_client.post(url, data)

    assert_refused(response, "slug", "Issue with this Slug already exists.")
    assert Issue.objects.count() == count
    assert Issue.objects.get(slug="fisheries").title == "Fisheries"


def _new_summit(editor_client, admin_form, ends_on: date) -> tuple[str, dict]:
    url = admin_url(Summit, "add")
    data = admin_form(editor_client, url)
    data.update(
        name="G20 Osaka Summit 2019",
        slug="g20-osaka-2019",
        host_city="Osaka",
        host_country=str(factories.CountryFactory(code="JP", name="Japan").pk),
        starts_on="2019-06-28",
        ends_on=ends_on.isoformat(),
    )
    return url, data


def test_a_new_summit_is_saved(editor_client, admin_form):
    url, data = _new_summit(editor_client, admin_form, date(2019, 6, 29))

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert Summit.objects.get(slug="g20-osaka-2019").ends_on == date(2019, 6, 29)


def test_a_summit_ending_before_it_starts_is_refused(editor_client, admin_form):
    url, data = _new_summit(editor_client, admin_form, date(2019, 6, 27))

    response = editor_client.post(url, data)

    assert_refused(response, "__all__", "A summit cannot end before it starts.")
    assert not Summit.objects.exists()


def test_a_summit_cannot_be_changed_to_end_before_it_starts(editor_client, admin_form):
    summit = factories.SummitFactory(starts_on=date(2018, 11, 30), ends_on=date(2018, 12, 31))
    url = admin_url(Summit, "change", summit.pk)
    data = admin_form(editor_client, url)
    data["ends_on"] = "2018-10-31"

    response = editor_client.post(url, data)

    assert_refused(response, "__all__", "A summit cannot end before it starts.")
    summit.refresh_from_db()
    assert summit.ends_on == date(2018, 12, 31)


def _assessment_on_the_meeting_page(editor_client, admin_form, rationale: str):
    meeting = Meeting.objects.get()
    url = admin_url(Meeting, "change", meeting.pk)
    data = admin_form(editor_client, url)
    new = int(data["assessments-TOTAL_FORMS"])
    data["assessments-TOTAL_FORMS"] = str(new + 1)
    values = {
        "issue": str(factories.IssueFactory(title="Trade").pk),
        "effect": "0",
        "salience": "1",
        "rationale": rationale,
        "status": "draft",
        "citation_source": str(Source.objects.get().pk),
        "citation_locator": "para. 1",
    }
    data.update({f"assessments-{new}-{name}": value for name, value in values.items()})
    return editor_client.post(url, data), new


def test_an_assessment_added_on_the_meeting_page_is_saved(
    editor_client, editor, admin_form, records
):
    response, _ = _assessment_on_the_meeting_page(editor_client, admin_form, "Not raised.")

    assert response.status_code == 302
    assessment = OutlookAssessment.objects.get(issue__title="Trade")
    assert (assessment.rationale, assessment.author) == ("Not raised.", editor)


def test_an_assessment_without_rationale_on_the_meeting_page_is_refused(
    editor_client, admin_form, records
):
    count = OutlookAssessment.objects.count()

    response, new = _assessment_on_the_meeting_page(editor_client, admin_form, "")

    assert_refused(response, f"assessments-{new}-rationale", "This field is required.")
    assert OutlookAssessment.objects.count() == count
