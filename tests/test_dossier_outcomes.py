"""A meeting's recorded outcome in dossier files: exported as it stands, imported through
`outcome_record` (so the meeting is scored again, never read from the file), round trip."""

from pathlib import Path

import jsonschema
import pytest
import yaml

from issues.dossier.export import dossier_export
from issues.dossier.files import to_yaml
from issues.dossier.read import DossierError, parse
from issues.dossier.schema import committed_schema
from issues.dossier.write import dossier_import
from issues.models import (
    IssueOutcome,
    MeetingOutcome,
    PublicationStatus,
    Rescore,
    Resolution,
    ScenarioOutcome,
    Score,
    ScoreStatus,
    Source,
)
from tests.resolved import resolved_meeting
from tests.test_dossier_files import empty_the_database, everything, revision_count

pytestmark = pytest.mark.django_db

RESOLVED = Path(__file__).with_name("dossiers") / "resolved.yaml"
MEETING = "synthetic-resolved-meeting"


def resolved_file() -> dict:
    """The sample as the site reads it (days as text, a bare yes as the word)."""
    return parse(RESOLVED.read_bytes())


def outcome_of(document: dict) -> dict:
    return document["summits"][0]["meetings"][0]["outcome"]


def scores() -> list[tuple]:
    """Every score, by what it scores (names, not keys: they change on a new import)."""
    return sorted(
        (
            s.kind,
            s.scenario.title if s.scenario else s.issue.slug,
            s.status,
            s.forecast,
            s.outcome,
            s.brier,
            s.hit,
            s.reason,
        )
        for s in Score.objects.select_related("scenario", "issue")
    )


def problems_of(document: dict) -> list[str]:
    with pytest.raises(DossierError) as raised:
        dossier_import(to_yaml(document).encode())
    return raised.value.problems


def test_a_resolved_meeting_round_trips_and_is_scored_again():
    resolved_meeting()
    scored = scores()
    assert len(scored) == 7  # four scenarios, three issues' salience
    first = everything()
    outcome = outcome_of(yaml.safe_load(first))
    assert outcome["result"] == "held"
    assert [s["came_true"] for s in outcome["scenarios"]] == ["yes", "no", "yes", "yes"]
    assert "brier" not in first and "score" not in first
    empty_the_database()
    assert Score.objects.count() == MeetingOutcome.objects.count() == 0
    report = dossier_import(first.encode())
    assert report.created["outcomes"] == 1
    assert everything() == first
    assert scores() == scored  # computed again from the imported forecasts and outcome


def test_a_hand_written_outcome_is_recorded_with_each_source_and_scored():
    dossier_import(RESOLVED.read_bytes())
    outcome = MeetingOutcome.objects.get(meeting__slug=MEETING)
    assert (outcome.result, outcome.locator) == ("held", "para. 1")
    assert outcome.source.title == "A synthetic joint statement for tests"
    fisheries, railways = IssueOutcome.objects.order_by("issue__slug")
    assert (fisheries.raised, fisheries.deliverable_reached) == (Resolution.YES, Resolution.YES)
    assert fisheries.what_was_said == "Both sides spoke of synthetic fish."
    assert (fisheries.source, fisheries.locator) == (outcome.source, "para. 1")
    assert railways.raised == Resolution.NO
    assert railways.source.title == "A synthetic press conference for tests"
    assert railways.locator == "12 min"
    accord, walkout = ScenarioOutcome.objects.order_by("scenario__order")
    assert (accord.came_true, accord.source, accord.locator) == ("yes", outcome.source, "para. 1")
    assert (walkout.came_true, walkout.note) == ("no", "Nobody walked out (synthetic).")
    assert (walkout.source, walkout.locator) == (outcome.source, "para. 4")
    for row in (outcome, fisheries, railways, accord, walkout):
        assert row.history.get().history_date.date().isoformat() == "2021-06-02"
    # Likely (0.7) came true, unlikely (0.3) did not: (0.3)² each; high salience raised and
    # low salience not raised are both hits.
    assert scores() == [
        ("salience", "synthetic-fisheries", ScoreStatus.SCORED, 3, "yes", None, True, ""),
        ("salience", "synthetic-railways", ScoreStatus.SCORED, 1, "no", None, True, ""),
        ("scenario", "A synthetic accord", ScoreStatus.SCORED, 4, "yes", 0.09, None, ""),
        ("scenario", "A synthetic walkout", ScoreStatus.SCORED, 2, "no", 0.09, None, ""),
    ]


def test_the_outcome_reads_on_the_meeting_page_from_the_day_it_took_effect(client):
    dossier_import(RESOLVED.read_bytes())
    url = f"/meetings/{MEETING}/"
    statement = "The synthetic sides met and signed a synthetic accord."
    assert statement in client.get(url).content.decode()
    assert statement in client.get(f"{url}?as_of=2021-06-02").content.decode()
    assert statement not in client.get(f"{url}?as_of=2021-06-01").content.decode()


def test_an_exported_outcome_writes_only_the_sources_that_differ():
    dossier_import(RESOLVED.read_bytes())
    exported = outcome_of(dossier_export(everything=True))
    written = outcome_of(resolved_file())
    assert {k: v for k, v in exported.items() if k not in ("issues", "scenarios")} == {
        k: v for k, v in written.items() if k not in ("issues", "scenarios")
    }
    assert exported["issues"] == written["issues"]
    assert exported["scenarios"] == written["scenarios"]


def test_importing_the_outcome_twice_changes_nothing():
    dossier_import(RESOLVED.read_bytes())
    revisions, scored_at = revision_count(), list(Score.objects.values_list("scored_at"))
    report = dossier_import(RESOLVED.read_bytes())
    assert not report.wrote_anything
    assert report.unchanged["outcomes"] == 1
    assert revision_count() == revisions
    assert list(Score.objects.values_list("scored_at")) == scored_at


def test_a_corrected_outcome_rescores_with_a_logged_change():
    dossier_import(RESOLVED.read_bytes())
    document = resolved_file()
    outcome_of(document)["scenarios"][0]["came_true"] = "no"
    outcome_of(document)["since"] = "2021-06-10"
    report = dossier_import(to_yaml(document).encode())
    assert report.changed == {"outcomes": 1}
    accord = Score.objects.get(scenario__title="A synthetic accord")
    assert accord.brier == 0.49  # (0.7 − 0)²
    rescore = Rescore.objects.get()
    assert "A synthetic accord" in rescore.changes
    assert rescore.reason == "outcome imported from a dossier file"
    corrected = ScenarioOutcome.objects.get(scenario=accord.scenario).history.first()
    assert corrected.history_date.date().isoformat() == "2021-06-10"


def test_the_sample_and_its_export_are_valid_by_the_schema():
    schema = committed_schema()
    jsonschema.validate(resolved_file(), schema)
    dossier_import(RESOLVED.read_bytes())
    jsonschema.validate(dossier_export(everything=True), schema)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d.update(version=2),
            "summits[0].meetings[0].outcome: a version 2 file has no outcome of a meeting "
            "(it came in version 3)",
        ),
        (
            lambda d: outcome_of(d).update(result="adjourned"),
            "summits[0].meetings[0].outcome.result: 'adjourned' is not one of held, informal",
        ),
        (
            lambda d: outcome_of(d).pop("source"),
            "summits[0].meetings[0].outcome.source: missing",
        ),
        (
            lambda d: outcome_of(d).update(brier=0.1),
            "summits[0].meetings[0].outcome: unknown field brier",
        ),
        (
            lambda d: outcome_of(d)["scenarios"][0].update(came_true="maybe"),
            "summits[0].meetings[0].outcome.scenarios[0].came_true: 'maybe' is not one of yes",
        ),
        (
            lambda d: outcome_of(d)["scenarios"][1].update(scenario="A synthetic thaw"),
            "summits[0].meetings[0].outcome.scenarios[1].scenario: the meeting has no "
            "scenario “A synthetic thaw”",
        ),
        (
            lambda d: outcome_of(d)["issues"].append(dict(outcome_of(d)["issues"][0])),
            "summits[0].meetings[0].outcome.issues[2].issue: “synthetic-fisheries” is "
            "already at summits[0].meetings[0].outcome.issues[0]",
        ),
        (
            lambda d: outcome_of(d)["issues"][0].update(issue="synthetic-nothing"),
            "summits[0].meetings[0].outcome.issues[0].issue: no issue “synthetic-nothing”",
        ),
        (
            lambda d: outcome_of(d)["issues"][1].update(source="https://example.org/none"),
            "summits[0].meetings[0].outcome.issues[1].source: no source “https://example.org/none”",
        ),
        (
            lambda d: outcome_of(d).update(since="2999-01-01"),
            "summits[0].meetings[0].outcome.since: 2999-01-01 is in the future",
        ),
    ],
)
def test_a_bad_outcome_is_refused_whole(change, expected):
    document = resolved_file()
    change(document)
    problems = problems_of(document)
    assert any(problem.startswith(expected) for problem in problems), problems
    assert MeetingOutcome.objects.count() == Score.objects.count() == 0


def test_a_readers_export_leaves_out_what_cites_a_draft_source():
    dossier_import(RESOLVED.read_bytes())
    press = Source.objects.get(title="A synthetic press conference for tests")
    Source.objects.filter(pk=press.pk).update(status=PublicationStatus.DRAFT)
    for_readers = dossier_export(everything=True)
    assert [i["issue"] for i in outcome_of(for_readers)["issues"]] == ["synthetic-fisheries"]
    assert "press conference" not in to_yaml(for_readers)
    for_editors = dossier_export(everything=True, include_drafts=True)
    assert len(outcome_of(for_editors)["issues"]) == 2
    joint = Source.objects.get(title="A synthetic joint statement for tests")
    Source.objects.filter(pk=joint.pk).update(status=PublicationStatus.DRAFT)
    assert "outcome" not in dossier_export(everything=True)["summits"][0]["meetings"][0]
