"""The database keeps the dossier valid even when a write bypasses forms and model validation.

Each case writes with `QuerySet.update()`, which runs no validation at all, so only the
database's own constraints stand in the way. The coverage tests fail when a model gains a
constraint that no case here exercises.
"""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from issues.models import Source
from tests import factories

pytestmark = pytest.mark.django_db


def dossier_models() -> list[type[models.Model]]:
    """The concrete models of the app, without revisions and auto-created link tables."""
    return [
        model
        for model in apps.get_app_config("issues").get_models()
        if not model.__name__.startswith("Historical") and not model._meta.auto_created
    ]


def assert_update_rejected(obj: models.Model, **values) -> IntegrityError:
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(**values)
    return excinfo.value


# (constraint name, factory of a valid record, values that violate the constraint)
CHECKS = [
    ("topic_name_not_blank", factories.TopicFactory, {"name": ""}),
    ("topic_slug_not_blank", factories.TopicFactory, {"slug": ""}),
    ("issue_title_not_blank", factories.IssueFactory, {"title": ""}),
    ("issue_slug_not_blank", factories.IssueFactory, {"slug": ""}),
    ("issue_summary_not_blank", factories.IssueFactory, {"summary": ""}),
    ("issue_status_valid", factories.IssueFactory, {"status": "archived"}),
    ("issue_status_valid", factories.IssueFactory, {"status": "Published"}),
    ("position_posture_valid", factories.PositionFactory, {"posture": 5}),
    ("position_posture_valid", factories.PositionFactory, {"posture": 3}),
    ("position_posture_valid", factories.PositionFactory, {"posture": -3}),
    ("position_kind_valid", factories.PositionFactory, {"kind": "speech"}),
    ("position_precision_valid", factories.PositionFactory, {"stated_on_precision": "week"}),
    ("position_summary_not_blank", factories.PositionFactory, {"summary": ""}),
    ("position_locator_not_blank", factories.PositionFactory, {"locator": ""}),
    ("position_attributed", factories.PositionFactory, {"leader": None, "attribution": ""}),
    ("event_title_not_blank", factories.EventFactory, {"title": ""}),
    ("event_precision_valid", factories.EventFactory, {"occurred_on_precision": "decade"}),
    ("assessment_effect_valid", factories.AssessmentFactory, {"effect": 3}),
    ("assessment_effect_valid", factories.AssessmentFactory, {"effect": -3}),
    ("assessment_salience_valid", factories.AssessmentFactory, {"salience": 0}),
    ("assessment_salience_valid", factories.AssessmentFactory, {"salience": 4}),
    ("assessment_status_valid", factories.AssessmentFactory, {"status": "archived"}),
    ("assessment_rationale_not_blank", factories.AssessmentFactory, {"rationale": ""}),
    ("country_code_iso", factories.CountryFactory, {"code": "us"}),
    ("country_code_iso", factories.CountryFactory, {"code": "U1"}),
    ("country_code_iso", factories.CountryFactory, {"code": ""}),
    ("country_name_not_blank", factories.CountryFactory, {"name": ""}),
    ("leader_name_not_blank", factories.LeaderFactory, {"name": ""}),
    ("leader_slug_not_blank", factories.LeaderFactory, {"slug": ""}),
    ("leader_native_name_lang_tag", factories.LeaderFactory, {"native_name_lang": "RU"}),
    ("office_title_not_blank", factories.OfficeFactory, {"title": ""}),
    ("office_ends_after_start", factories.OfficeFactory, {"ended_on": date(2012, 5, 6)}),
    ("scalelabel_code_valid", factories.ScaleLabelFactory, {"code": 5}),
    ("scalelabel_code_valid", factories.ScaleLabelFactory, {"scale": "salience", "code": 0}),
    ("scalelabel_code_valid", factories.ScaleLabelFactory, {"scale": "likelihood", "code": 6}),
    ("scalelabel_code_valid", factories.ScaleLabelFactory, {"scale": "colour", "code": 1}),
    ("scalelabel_label_not_blank", factories.ScaleLabelFactory, {"label": ""}),
    ("source_title_not_blank", factories.SourceFactory, {"title": ""}),
    ("source_kind_valid", factories.SourceFactory, {"kind": "podcast"}),
    (
        "source_accessed_after_published",
        factories.SourceFactory,
        {"published_on": date(2018, 11, 28), "accessed_on": date(2018, 11, 27)},
    ),
    ("summit_name_not_blank", factories.SummitFactory, {"name": ""}),
    ("summit_slug_not_blank", factories.SummitFactory, {"slug": ""}),
    ("summit_ends_after_start", factories.SummitFactory, {"ends_on": date(2018, 11, 29)}),
    ("meeting_title_not_blank", factories.MeetingFactory, {"title": ""}),
    ("meeting_slug_not_blank", factories.MeetingFactory, {"slug": ""}),
    ("meeting_status_valid", factories.MeetingFactory, {"status": "adjourned"}),
    ("position_interval_ordered", factories.PositionFactory, {"stated_until": date(2018, 10, 1)}),
    ("position_period_has_words", factories.PositionFactory, {"stated_on_precision": "period"}),
    ("event_interval_ordered", factories.EventFactory, {"occurred_until": date(2018, 11, 24)}),
    ("event_period_has_words", factories.EventFactory, {"occurred_on_precision": "period"}),
    ("summit_precision_valid", factories.SummitFactory, {"dates_precision": "week"}),
    ("summit_period_has_words", factories.SummitFactory, {"dates_precision": "period"}),
    ("analysis_author_not_blank", factories.AnalysisFactory, {"author": ""}),
    ("analysis_text_not_blank", factories.AnalysisFactory, {"text": ""}),
    ("analysis_locator_not_blank", factories.AnalysisFactory, {"locator": ""}),
    ("analysis_about_something", factories.AnalysisFactory, {"issue": None, "meeting": None}),
    ("analysis_status_valid", factories.AnalysisFactory, {"status": "pending"}),
    ("meetingoutcome_result_valid", factories.MeetingOutcomeFactory, {"result": "expected"}),
    ("issueoutcome_raised_valid", factories.IssueOutcomeFactory, {"raised": "maybe"}),
    (
        "issueoutcome_deliverable_valid",
        factories.IssueOutcomeFactory,
        {"deliverable_reached": "maybe"},
    ),
    ("scenariooutcome_valid", factories.ScenarioOutcomeFactory, {"came_true": "maybe"}),
    ("score_kind_valid", factories.ScoreFactory, {"kind": "effect"}),
    ("score_status_valid", factories.ScoreFactory, {"status": "lost"}),
    ("score_names_its_forecast", factories.ScoreFactory, {"scenario": None}),
    ("score_brier_in_range", factories.ScoreFactory, {"brier": 1.5}),
    ("scenario_title_not_blank", factories.ScenarioFactory, {"title": ""}),
    ("scenario_likelihood_valid", factories.ScenarioFactory, {"likelihood": 0}),
    ("scenario_likelihood_valid", factories.ScenarioFactory, {"likelihood": 6}),
    ("scenario_status_valid", factories.ScenarioFactory, {"status": "pending"}),
    ("position_status_valid", factories.PositionFactory, {"status": "pending"}),
    ("event_status_valid", factories.EventFactory, {"status": "pending"}),
    ("source_status_valid", factories.SourceFactory, {"status": "pending"}),
    ("draft_base_version", factories.DraftFactory, {"base_version": 0}),
    # Long texts: one character over the maximum.
    ("issue_summary_max_length", factories.IssueFactory, {"summary": "x" * 1001}),
    ("analysis_text_max_length", factories.AnalysisFactory, {"text": "x" * 2001}),
    ("analysis_quote_max_length", factories.AnalysisFactory, {"quote": "x" * 2001}),
    (
        "meetingoutcome_statement_max_length",
        factories.MeetingOutcomeFactory,
        {"statement": "x" * 5001},
    ),
    (
        "issueoutcome_what_was_said_max_length",
        factories.IssueOutcomeFactory,
        {"what_was_said": "x" * 5001},
    ),
    ("scenariooutcome_note_max_length", factories.ScenarioOutcomeFactory, {"note": "x" * 2001}),
    ("rescore_changes_max_length", factories.RescoreFactory, {"changes": "x" * 20001}),
    ("issue_background_max_length", factories.IssueFactory, {"background": "x" * 20001}),
    ("position_summary_max_length", factories.PositionFactory, {"summary": "x" * 2001}),
    ("position_quote_max_length", factories.PositionFactory, {"quote": "x" * 2001}),
    ("event_description_max_length", factories.EventFactory, {"description": "x" * 5001}),
    ("assessment_rationale_max_length", factories.AssessmentFactory, {"rationale": "x" * 5001}),
    ("leader_bio_max_length", factories.LeaderFactory, {"bio": "x" * 2001}),
    ("source_notes_max_length", factories.SourceFactory, {"notes": "x" * 5001}),
    ("summit_summary_max_length", factories.SummitFactory, {"summary": "x" * 5001}),
    (
        "meeting_outlook_summary_max_length",
        factories.MeetingFactory,
        {"outlook_summary": "x" * 5001},
    ),
    ("scenario_description_max_length", factories.ScenarioFactory, {"description": "x" * 2001}),
]


def _case_id(case) -> str:
    name, _, values = case
    return f"{name}-" + ",".join(f"{field}={value!r}" for field, value in values.items())


@pytest.mark.parametrize(("constraint", "factory", "values"), CHECKS, ids=map(_case_id, CHECKS))
def test_check_constraint_rejects_an_update_that_skips_validation(constraint, factory, values):
    obj = factory()
    row = type(obj).objects.filter(pk=obj.pk).values()

    before = row.get()
    error = assert_update_rejected(obj, **values)

    assert constraint in str(error)  # this very constraint, not some other failure
    assert row.get() == before


# Values at the edge of each range, which the constraints must accept.
ACCEPTED = [
    (factories.PositionFactory, {"posture": -2}),
    (factories.PositionFactory, {"posture": 2}),
    (factories.PositionFactory, {"stated_on_precision": "year"}),
    (factories.AssessmentFactory, {"effect": -2, "salience": 1}),
    (factories.AssessmentFactory, {"effect": 2, "salience": 3}),
    (factories.ScenarioFactory, {"likelihood": 1}),
    (factories.ScenarioFactory, {"likelihood": 5}),
    (factories.ScaleLabelFactory, {"scale": "salience", "code": 3}),
    (factories.ScaleLabelFactory, {"scale": "likelihood", "code": 5}),
    (factories.OfficeFactory, {"ended_on": date(2012, 5, 7)}),
    (factories.OfficeFactory, {"started_on": None, "ended_on": date(2000, 1, 1)}),
    (factories.SummitFactory, {"ends_on": date(2018, 11, 30)}),
    (factories.CountryFactory, {"code": "GB"}),
    (factories.SourceFactory, {"published_on": date(2018, 11, 28), "accessed_on": None}),
    (factories.MeetingFactory, {"status": "postponed"}),
    (factories.ScoreFactory, {"brier": 0.0}),
    (factories.ScoreFactory, {"brier": 1.0}),
    (factories.IssueOutcomeFactory, {"deliverable_reached": ""}),
]


@pytest.mark.parametrize(("factory", "values"), ACCEPTED)
def test_constraints_accept_values_within_range(factory, values):
    obj = factory()

    type(obj).objects.filter(pk=obj.pk).update(**values)

    obj.refresh_from_db()
    assert {field: getattr(obj, field) for field in values} == values


def test_a_position_with_a_leader_needs_no_attribution():
    position = factories.PositionFactory(leader=factories.LeaderFactory())

    type(position).objects.filter(pk=position.pk).update(attribution="")

    position.refresh_from_db()
    assert position.attribution == ""


def _unique_field(factory):
    """A duplicate of a `unique=True` field: the second record takes the first's value."""

    def build(field):
        first, second = factory(), factory()
        return second, {field: getattr(first, field)}

    return build


def _duplicate_country_code(field):
    first = factories.CountryFactory(code="US")
    second = factories.CountryFactory(code="RU")
    return second, {field: getattr(first, field)}


def _duplicate_source_url(_):
    factories.SourceFactory(url="https://example.org/a")
    second = factories.SourceFactory(url="https://example.org/b")
    return second, {"url": "https://example.org/a"}


def _duplicate_scale_label(_):
    factories.ScaleLabelFactory(scale="posture", code=-2)
    second = factories.ScaleLabelFactory(scale="posture", code=2)
    return second, {"code": -2}


def _duplicate_event_citation(_):
    first = factories.EventCitationFactory()
    second = factories.EventCitationFactory(event=first.event)
    return second, {"source": first.source}


def _duplicate_assessment_citation(_):
    first = factories.AssessmentCitationFactory()
    second = factories.AssessmentCitationFactory(assessment=first.assessment)
    return second, {"source": first.source}


def _second_assessment_for_issue_and_meeting(_):
    first = factories.AssessmentFactory()
    second = factories.AssessmentFactory(meeting=first.meeting)
    return second, {"issue": first.issue}


def _duplicate_scenario_title(_):
    first = factories.ScenarioFactory()
    second = factories.ScenarioFactory(meeting=first.meeting)
    return second, {"title": first.title}


def _second_draft_of_a_record(_):
    first = factories.DraftFactory()
    second = factories.DraftFactory()
    return second, {"object_id": first.object_id}


def _second_outcome_of_an_issue(_):
    first = factories.IssueOutcomeFactory()
    second = factories.IssueOutcomeFactory(meeting=first.meeting)
    return second, {"issue": first.issue}


def _second_meeting_outcome(field):
    first, second = factories.MeetingOutcomeFactory(), factories.MeetingOutcomeFactory()
    return second, {field: first.meeting}


def _second_scenario_outcome(field):
    first, second = factories.ScenarioOutcomeFactory(), factories.ScenarioOutcomeFactory()
    return second, {field: first.scenario}


def _second_score_of_a_scenario(_):
    first = factories.ScoreFactory()
    second = factories.ScoreFactory(meeting=first.meeting)
    return second, {"scenario": first.scenario}


def _second_salience_score(_):
    issue, meeting = factories.IssueFactory(), factories.MeetingFactory()
    factories.ScoreFactory(kind="salience", scenario=None, meeting=meeting, issue=issue)
    second = factories.ScoreFactory(
        kind="salience", scenario=None, meeting=meeting, issue=factories.IssueFactory()
    )
    return second, {"issue": issue}


# Meta constraints by name, `unique=True` fields as "Model.field".
UNIQUES = {
    "Topic.name": _unique_field(factories.TopicFactory),
    "Topic.slug": _unique_field(factories.TopicFactory),
    "Issue.slug": _unique_field(factories.IssueFactory),
    "Country.code": _duplicate_country_code,
    "Country.name": _duplicate_country_code,
    "Leader.slug": _unique_field(factories.LeaderFactory),
    "Summit.slug": _unique_field(factories.SummitFactory),
    "Meeting.slug": _unique_field(factories.MeetingFactory),
    "source_url_unique": _duplicate_source_url,
    "scalelabel_unique_code": _duplicate_scale_label,
    "eventcitation_unique": _duplicate_event_citation,
    "assessmentcitation_unique": _duplicate_assessment_citation,
    "assessment_one_per_issue_and_meeting": _second_assessment_for_issue_and_meeting,
    "scenario_unique_title": _duplicate_scenario_title,
    "draft_one_per_record": _second_draft_of_a_record,
    "issueoutcome_unique": _second_outcome_of_an_issue,
    "MeetingOutcome.meeting": _second_meeting_outcome,
    "ScenarioOutcome.scenario": _second_scenario_outcome,
    "score_one_scenario": _second_score_of_a_scenario,
    "score_one_issue_per_meeting": _second_salience_score,
}


@pytest.mark.parametrize("unique", UNIQUES)
def test_unique_constraint_rejects_a_duplicate_that_skips_validation(unique):
    field = unique.partition(".")[2]
    obj, values = UNIQUES[unique](field)

    error = assert_update_rejected(obj, **values)

    assert "unique" in str(error).lower()


def test_sources_without_a_url_are_not_duplicates():
    first = factories.SourceFactory(url="https://example.org/a")
    second = factories.SourceFactory(url="")

    Source.objects.filter(pk=first.pk).update(url="")

    assert set(Source.objects.filter(url="").values_list("pk", flat=True)) == {first.pk, second.pk}


def test_every_check_constraint_is_exercised():
    declared = {
        constraint.name
        for model in dossier_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    }

    assert declared == {name for name, _, _ in CHECKS}


def test_every_unique_constraint_is_exercised():
    declared = {
        constraint.name
        for model in dossier_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
    } | {
        f"{model.__name__}.{field.name}"
        for model in dossier_models()
        for field in model._meta.local_fields
        if field.unique and not field.primary_key
    }

    assert declared == set(UNIQUES)


# Rules the database cannot express are checked by model validation.


def test_a_leader_from_another_country_cannot_state_this_sides_position():
    russia = factories.CountryFactory(code="RU")
    putin = factories.LeaderFactory(name="Vladimir Putin", country=russia)
    position = factories.PositionFactory.build(
        issue=factories.IssueFactory(),
        source=factories.SourceFactory(),
        country=factories.CountryFactory(code="US"),
        leader=putin,
    )

    with pytest.raises(ValidationError) as excinfo:
        position.full_clean()

    assert set(excinfo.value.message_dict) == {"leader"}
    assert "Vladimir Putin speaks for Russia" in excinfo.value.message_dict["leader"][0]


def test_a_leader_of_the_same_country_validates():
    us = factories.CountryFactory(code="US")
    position = factories.PositionFactory.build(
        issue=factories.IssueFactory(),
        source=factories.SourceFactory(),
        country=us,
        leader=factories.LeaderFactory(country=us),
    )

    position.full_clean()  # raises if invalid


@pytest.mark.parametrize("day", [date(2018, 11, 29), date(2018, 12, 2), date(2019, 11, 30)])
def test_a_meeting_outside_its_summits_dates_does_not_validate(day):
    summit = factories.SummitFactory(starts_on=date(2018, 11, 30), ends_on=date(2018, 12, 1))
    meeting = factories.MeetingFactory.build(summit=summit, scheduled_on=day)

    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()

    assert "scheduled_on" in excinfo.value.message_dict
    assert "must fall within the summit" in excinfo.value.message_dict["scheduled_on"][0]


@pytest.mark.parametrize("day", [date(2018, 11, 30), date(2018, 12, 1), None])
def test_a_meeting_within_its_summits_dates_or_undated_validates(day):
    summit = factories.SummitFactory(starts_on=date(2018, 11, 30), ends_on=date(2018, 12, 1))
    meeting = factories.MeetingFactory.build(summit=summit, scheduled_on=day)

    meeting.full_clean()  # raises if invalid
