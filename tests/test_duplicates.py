"""Two editors creating the same record at once: the one who comes second is told so
(409), never a server error, and nothing of theirs is half-saved."""

import pytest

from issues import services
from issues.models import Issue, Meeting, OutlookAssessment, Source
from tests import factories
from tests.test_bulk_positions import URL as BULK_URL
from tests.test_bulk_positions import batch, row
from tests.test_editing import assessment_data

pytestmark = pytest.mark.django_db


ISSUE = "harbour-rights"  # of `tests/dossiers/editing.yaml`


@pytest.fixture
def second_meeting(editing_dossier):
    """A meeting of the issue with no outlook of it yet."""
    meeting = factories.MeetingFactory(title="A second meeting", slug="second-meeting")
    Issue.objects.get(slug=ISSUE).meetings.add(meeting)
    return meeting


def rival_saves_first(monkeypatch, make_rival, *, on_check: int) -> None:
    """Both editors passed their checks; the rival's insert lands between our last check
    (the `on_check`th: the form's, then the service's) and our insert: the database's
    unique constraint refuses ours."""
    original = OutlookAssessment.validate_constraints
    checks = {"n": 0}

    def validate(self, exclude=None):
        original(self, exclude)
        checks["n"] += 1
        if checks["n"] == on_check:
            make_rival()

    monkeypatch.setattr(OutlookAssessment, "validate_constraints", validate)


def test_an_assessment_created_twice_at_once_answers_409(
    editor_client, second_meeting, monkeypatch
):
    issue = Issue.objects.get(slug=ISSUE)

    def make_rival():
        factories.AssessmentFactory(issue=issue, meeting=second_meeting, rationale="Theirs.")

    rival_saves_first(monkeypatch, make_rival, on_check=2)
    data = assessment_data(OutlookAssessment(), version="", rationale="Mine.")

    response = editor_client.post(f"/issues/{ISSUE}/outlook/{second_meeting.slug}/edit/", data)

    assert response.status_code == 409, response.context["form"].errors
    assert "Someone else added the same record" in response.content.decode()
    # (The rival, simulated inside this request's transaction, is undone with it.)
    assert not OutlookAssessment.objects.filter(rationale="Mine.").exists()


def test_the_service_keeps_the_callers_transaction_usable(editor, second_meeting, monkeypatch):
    """The refused insert is undone by a savepoint: the caller may go on (and report)."""
    issue = Issue.objects.get(slug=ISSUE)
    rival_saves_first(
        monkeypatch,
        lambda: factories.AssessmentFactory(issue=issue, meeting=second_meeting),
        on_check=1,
    )
    edit = services.Edit(
        values={"effect": 0, "salience": 1, "rationale": "Mine."},
        citations=services.Citations(sources=[Source.objects.first()], locator="para. 1"),
    )
    with pytest.raises(services.DuplicateRecord):
        services.record_create(
            record=OutlookAssessment(issue=issue, meeting=second_meeting), editor=editor, edit=edit
        )
    assert Meeting.objects.filter(pk=second_meeting.pk).exists()  # still queryable


def test_a_batch_with_a_row_refused_by_the_database_answers_409_and_saves_none(
    editor_client, editing_dossier, monkeypatch
):
    from issues.models import Position

    calls = {"n": 0}
    original = services._save_revision

    def second_row_collides(record, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            from django.db import IntegrityError

            raise IntegrityError("duplicate key value violates unique constraint")
        return original(record, **kwargs)

    monkeypatch.setattr(services, "_save_revision", second_row_collides)
    before = Position.objects.count()

    response = editor_client.post(BULK_URL, batch(row(summary="One."), row(summary="Two.")))

    assert response.status_code == 409
    assert "Someone else added the same record" in response.content.decode()
    assert Position.objects.count() == before
