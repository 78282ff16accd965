"""Dossier files: export, import, round trip, idempotency, atomicity and every bad file."""

import io
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from issues.dossier.export import dossier_export
from issues.dossier.files import to_json, to_yaml
from issues.dossier.read import DossierError, read_dossier
from issues.dossier.schema import build_schema, committed_schema
from issues.dossier.spec import KINDS
from issues.dossier.write import dossier_import
from issues.models import (
    Analysis,
    Country,
    Draft,
    Event,
    Issue,
    Leader,
    Meeting,
    Office,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Scenario,
    Source,
    Summit,
    Topic,
)
from tests import factories

pytestmark = pytest.mark.django_db

SYNTHETIC = Path(__file__).with_name("dossiers") / "synthetic.yaml"


def synthetic() -> dict:
    return yaml.safe_load(SYNTHETIC.read_text(encoding="utf-8"))


def as_bytes(document: dict) -> bytes:
    return to_yaml(document).encode()


def everything() -> str:
    return to_yaml(dossier_export(everything=True, include_drafts=True))


def empty_the_database() -> None:
    """Every dossier record and every revision gone, as in a new installation (revisions
    last: deleting a record writes one)."""
    for model in (
        Draft,
        Analysis,
        Position,
        OutlookAssessment,
        Event,
        Scenario,
        Issue,
        Meeting,
        Summit,
    ):
        model.objects.all().delete()
    for model in (Office, Leader, Source, Topic, Country):
        model.objects.all().delete()
    for model in apps.get_app_config("issues").get_models():
        if model.__name__.startswith("Historical"):
            model.objects.all().delete()


def revision_count(*, of_the_format: bool = False) -> int:
    carried = {f"Historical{kind.model.__name__}" for kind in KINDS.values()}
    return sum(
        model.objects.count()
        for model in apps.get_app_config("issues").get_models()
        if model.__name__.startswith("Historical")
        and (not of_the_format or model.__name__.split("_")[0] in carried)
    )


def problems_of(document: dict | bytes) -> list[str]:
    data = document if isinstance(document, bytes) else as_bytes(document)
    with pytest.raises(DossierError) as raised:
        dossier_import(data)
    return raised.value.problems


# Round trip --------------------------------------------------------------------------------


def test_synthetic_round_trip_through_an_empty_database_keeps_history():
    dossier_import(SYNTHETIC.read_bytes())
    first = everything()
    empty_the_database()
    assert Issue.objects.count() == 0
    dossier_import(first.encode())
    assert everything() == first
    assert "history:" in first and "first recorded" in first


def test_the_demo_round_trips_with_its_analyses(demo):
    first = everything()
    assert "analyses:" in first and "they will achieve little" in first
    revisions = revision_count(of_the_format=True)
    empty_the_database()
    dossier_import(first.encode())
    assert everything() == first
    assert revision_count(of_the_format=True) == revisions


def test_json_and_yaml_read_the_same():
    dossier_import(SYNTHETIC.read_bytes())
    as_yaml = everything()
    empty_the_database()
    dossier_import(to_json(yaml.safe_load(as_yaml)).encode())
    assert everything() == as_yaml


def test_analyses_are_imported_with_their_history():
    dossier_import(SYNTHETIC.read_bytes())
    on_the_issue = Analysis.objects.get(issue__slug="synthetic-water-rights")
    assert (on_the_issue.meeting.slug, on_the_issue.locator) == ("synthetic-meeting", "p. 4")
    assert on_the_issue.quote == "The river divides them (synthetic)."
    first, latest = on_the_issue.history.order_by("history_date")
    assert (first.quote, first.history_change_reason) == ("", "first read")
    assert first.history_date.date().isoformat() == "2020-02-01"
    assert latest.history_date.date().isoformat() == "2020-02-15"
    on_the_meeting = Analysis.objects.get(issue__isnull=True)
    assert on_the_meeting.source.title == "A synthetic statement without a URL"
    assert on_the_meeting.meeting.slug == "synthetic-meeting"
    draft = Analysis.objects.get(issue__slug="synthetic-draft-issue")
    assert draft.status == PublicationStatus.DRAFT


def test_a_version_1_file_reads_as_it_always_did():
    """Version 2 only added analyses: a version-1 file, which has none, imports the same."""
    document = synthetic()
    del document["analyses"]
    dossier_import(as_bytes(document))
    as_the_latest = everything()
    empty_the_database()
    dossier_import(as_bytes({**document, "version": 1}))
    assert everything() == as_the_latest
    assert as_the_latest.startswith("format: summit-dossier\nversion: 3\n")


def test_an_issues_export_holds_its_analyses_and_its_meetings():
    dossier_import(SYNTHETIC.read_bytes())
    document = dossier_export(issues=["synthetic-water-rights"], include_drafts=True)
    assert [a["text"] for a in document["analyses"]] == [
        "The synthetic meeting as a whole will achieve little.",  # on its meeting
        "The synthetic river will divide the meeting.",
    ]
    assert {s["title"] for s in document["sources"]} >= {"A synthetic statement without a URL"}


def test_analyses_read_on_the_issue_page(client):
    dossier_import(SYNTHETIC.read_bytes())
    page = client.get("/issues/synthetic-water-rights/").content.decode()
    assert "The synthetic river will divide the meeting." in page
    assert "A synthetic analyst" in page
    before = client.get("/issues/synthetic-water-rights/?as_of=2020-02-05").content.decode()
    assert "The river divides them (synthetic)." not in before  # not yet quoted then


def test_import_twice_changes_nothing():
    dossier_import(SYNTHETIC.read_bytes())
    revisions = revision_count()
    report = dossier_import(SYNTHETIC.read_bytes())
    assert not report.wrote_anything
    assert revision_count() == revisions


def test_import_updates_an_existing_dossier_with_newer_states():
    dossier_import(SYNTHETIC.read_bytes())
    document = synthetic()
    issue = document["issues"][0]
    issue["history"].append({"since": issue["since"], "note": issue["note"]})
    issue.update(summary="A later synthetic summary.", since="2020-03-01", note="a later note")
    report = dossier_import(as_bytes(document))
    assert report.changed == {"issues": 1}
    water = Issue.objects.get(slug="synthetic-water-rights")
    assert water.summary == "A later synthetic summary."
    latest = water.history.first()
    assert latest.history_change_reason == "a later note"
    assert latest.history_date.date().isoformat() == "2020-03-01"


def test_an_edit_without_a_date_is_a_revision_of_today():
    dossier_import(SYNTHETIC.read_bytes())
    document = synthetic()
    document["leaders"][1]["name"] = "Leader B, renamed (synthetic)"
    dossier_import(as_bytes(document))
    revision = Leader.objects.get(slug="synthetic-leader-b").history.first()
    assert revision.history_date.year > 2020
    assert Leader.objects.get(slug="synthetic-leader-b").name.startswith("Leader B, renamed")


# Dated history ---------------------------------------------------------------------------


def test_revisions_take_effect_when_the_file_says_and_are_recorded_now():
    dossier_import(SYNTHETIC.read_bytes())
    first = Issue.history.filter(slug="synthetic-water-rights").earliest("history_date")
    assert first.history_date.date().isoformat() == "2020-02-01"
    assert first.history_recorded_at.year > 2020
    assert first.recorded_later


def test_as_of_shows_the_dossier_before_it_was_entered(client):
    dossier_import(SYNTHETIC.read_bytes())
    before = client.get("/issues/synthetic-water-rights/?as_of=2020-02-05")
    after = client.get("/issues/synthetic-water-rights/?as_of=2020-02-20")
    assert before.status_code == after.status_code == 200
    assert "seemed close to a synthetic deal" in before.content.decode()
    assert "now disagree on a synthetic river" in after.content.decode()


# Bad files: a clear error, nothing written -------------------------------------------------


def test_a_problem_is_reported_with_its_place():
    document = synthetic()
    document["issues"][0]["positions"][1]["posture"] = 7
    assert problems_of(document) == ["issues[0].positions[1].posture: 7 is not between -2 and 2"]
    assert Issue.objects.count() == 0


def test_every_problem_is_reported_at_once():
    document = synthetic()
    document["issues"][0]["positions"][0]["posture"] = -3
    document["issues"][0]["assessments"][0]["salience"] = 9
    del document["issues"][0]["title"]
    document["events"][0]["colour"] = "red"
    problems = problems_of(document)
    assert "issues[0].positions[0].posture: -3 is not between -2 and 2" in problems
    assert "issues[0].assessments[0].salience: 9 is not between 1 and 3" in problems
    assert "issues[0].title: missing" in problems
    assert "events[0]: unknown field colour" in problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(version=4), "version: this site reads versions 1, 2 and 3"),
        (lambda d: d.update(version=True), "version: this site reads versions 1, 2 and 3"),
        (
            lambda d: d.update(version=1),
            "analyses: a version 1 file has no analyses (they came in version 2)",
        ),
        (
            lambda d: d["analyses"][1].pop("meeting"),
            "analyses[1]: an analysis bears on an issue, a meeting or both",
        ),
        (
            lambda d: d["analyses"][0]["history"][0].update(issue=None, meeting=None),
            "analyses[0].history[0]: an analysis bears on an issue, a meeting or both",
        ),
        (
            lambda d: d["analyses"][0].update(issue="nothing-of-the-kind"),
            "analyses[0].issue: no issue “nothing-of-the-kind”",
        ),
        (
            lambda d: d["analyses"][1].update(source="https://example.org/none"),
            "analyses[1].source: no source “https://example.org/none”",
        ),
        (lambda d: d["analyses"][0].pop("locator"), "analyses[0].locator: missing"),
        (lambda d: d["analyses"][0].update(text=""), "analyses[0].text: "),
        (
            lambda d: d["analyses"].append(dict(d["analyses"][0])),
            "analyses[3]: “https://example.org/synthetic/report, p. 4, The synthetic river "
            "will divide the meeting.” is already at analyses[0]",
        ),
        (lambda d: d.update(format="something-else"), "format: this is not a dossier file"),
        (
            lambda d: d["issues"][0]["positions"][0].update(leader="nobody"),
            "issues[0].positions[0].leader: no leader “nobody”",
        ),
        (
            lambda d: d["events"][0]["sources"].append({"source": "https://example.org/none"}),
            "events[0].sources: no source “https://example.org/none”",
        ),
        (
            lambda d: d["issues"][1].update(slug="synthetic-water-rights"),
            "issues[1]: “synthetic-water-rights” is already at issues[0]",
        ),
        (
            lambda d: d["issues"][0]["history"][0].update(since="2020-02-30"),
            "issues[0].history[0].since: '2020-02-30' is not a day of the calendar",
        ),
        (
            lambda d: d["issues"][0]["history"][0].update(since="2020-03-01"),
            "issues[0].since: must be later than the state before it",
        ),
        (
            lambda d: d["issues"][0].update(since="2999-01-01"),
            "issues[0].since: 2999-01-01 is in the future",
        ),
        (
            lambda d: (
                d["issues"][0]["history"][0].update(status="published")
                or d["issues"][0].update(status="draft")
            ),
            "issues[0].status: a published record cannot become a draft",
        ),
    ],
)
def test_bad_files_are_refused_whole(change, expected):
    document = synthetic()
    change(document)
    problems = problems_of(document)
    assert any(problem.startswith(expected) for problem in problems), problems
    assert Issue.objects.count() == Country.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"format: summit-dossier\nversion: [1\n", "The file is not valid YAML"),
        (b'{"format": "summit-dossier", "version": 1,', "The file is not valid JSON"),
        (b"\xff\xfe\x00", "The file is not UTF-8 text"),
        (b"- just\n- a list\n", "The file holds no dossier"),
    ],
)
def test_malformed_text_is_a_clear_error(data, expected):
    assert problems_of(data)[0].startswith(expected)


def test_a_problem_only_the_database_finds_rolls_everything_back():
    """The summit's dates pass the schema, but the database refuses an end before the start;
    it is written after the countries, leaders and sources, which must not stay."""
    document = synthetic()
    document["summits"][0]["ends_on"] = "2020-03-01"
    problems = problems_of(document)
    assert problems[0].startswith("summits[0]")
    assert Country.objects.count() == Leader.objects.count() == Source.objects.count() == 0
    assert revision_count() == 0


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as file:
        file.truncate(100 * 1024 * 1024)  # 100 MB, sparse: nothing is actually written
    with pytest.raises(CommandError, match="may be at most 10 MB"):
        call_command("import_dossier", str(big))
    assert Country.objects.count() == 0


def test_the_command_lists_every_problem(tmp_path, capsys):
    document = synthetic()
    document["issues"][0]["positions"][1]["posture"] = 7
    path = tmp_path / "bad.yaml"
    path.write_bytes(as_bytes(document))
    with pytest.raises(CommandError) as raised:
        call_command("import_dossier", str(path))
    assert "nothing imported, 1 problem(s)" in str(raised.value)
    assert "issues[0].positions[1].posture: 7 is not between -2 and 2" in str(raised.value)


def test_the_command_shows_progress_for_large_files(tmp_path, monkeypatch):
    from issues.management.commands import import_dossier

    monkeypatch.setattr(import_dossier, "SHOW_PROGRESS_FROM", 50)  # lines: "large" here
    dossier_import(SYNTHETIC.read_bytes())
    path = tmp_path / "synthetic.yaml"
    call_command("export_dossier", "--all", "-o", str(path))
    empty_the_database()
    progress = io.StringIO()
    call_command("import_dossier", str(path), stderr=progress)
    assert Issue.objects.count() == 2
    bar = progress.getvalue()
    assert "] 1/" in bar and "[" + "#" * 30 + "]" in bar


def test_the_command_exports_by_slug(tmp_path, capsys):
    dossier_import(SYNTHETIC.read_bytes())
    call_command("export_dossier", "synthetic-water-rights", "--json")
    document = json.loads(capsys.readouterr().out)
    assert [i["slug"] for i in document["issues"]] == ["synthetic-water-rights"]
    assert [s["slug"] for s in document["summits"]] == ["synthetic-summit"]
    with pytest.raises(CommandError, match="No issue or summit"):
        call_command("export_dossier", "no-such-slug")


# Publication policy ----------------------------------------------------------------------


def test_a_readers_export_holds_nothing_unpublished():
    dossier_import(SYNTHETIC.read_bytes())
    water = Issue.objects.get(slug="synthetic-water-rights")
    draft_source = factories.SourceFactory(
        title="Draft source (synthetic)", status=PublicationStatus.DRAFT
    )
    factories.PositionFactory(
        issue=water,
        country=Country.objects.get(code="XA"),
        summary="A draft position (synthetic)",
        source=draft_source,
        status=PublicationStatus.DRAFT,
    )
    factories.DraftFactory(record=water, data={"summary": "A pending edit (synthetic)"})
    text = to_yaml(dossier_export(everything=True, include_drafts=False))
    secrets = (
        "draft position",
        "Draft source",
        "pending edit",
        "synthetic-draft-issue",
        "draft synthetic judgement",
    )
    for secret in secrets:
        assert secret not in text
    assert "synthetic-water-rights" in text
    assert "status: draft" not in text


# The schema ----------------------------------------------------------------------------


def test_the_committed_schema_is_the_formats():
    assert committed_schema() == build_schema()


def test_exports_and_the_sample_are_valid_by_the_schema():
    read_dossier(SYNTHETIC.read_bytes())  # no error
    dossier_import(SYNTHETIC.read_bytes())
    schema = committed_schema()
    jsonschema.validate(exported := json.loads(to_json(dossier_export(everything=True))), schema)
    assert exported["format"] == "summit-dossier"
    assert exported["issues"] and exported["analyses"]


def test_the_history_page_says_a_revision_was_recorded_later(client):
    dossier_import(SYNTHETIC.read_bytes())
    page = client.get("/issues/synthetic-water-rights/history/").content.decode()
    assert "took effect then; recorded" in page
    assert 'class="history__recorded"' in page


def test_an_editor_dates_a_correction_in_the_past(editor_client):
    dossier_import(SYNTHETIC.read_bytes())
    assessment = OutlookAssessment.objects.get()
    url = "/issues/synthetic-water-rights/outlook/synthetic-meeting/edit/"
    data = {
        "effect": "-2",
        "salience": "3",
        "deliverable": "",
        "rationale": "Corrected rationale (synthetic).",
        "sources": [Source.objects.get(url="https://example.org/synthetic/report").pk],
        "locator": "p. 3",
        "version": assessment.version,
        "action": "publish",
    }
    too_early = editor_client.post(url, {**data, "effective_on": "2020-02-10"})
    assert too_early.status_code == 422
    assert "a correction takes effect on a later day" in too_early.content.decode()
    assert editor_client.post(url, {**data, "effective_on": "2020-02-20"}).status_code == 302
    latest = assessment.history.first()
    assert latest.history_date.date().isoformat() == "2020-02-20"
    assert latest.recorded_later
    page = editor_client.get("/issues/synthetic-water-rights/?as_of=2020-02-21").content.decode()
    assert "Corrected rationale (synthetic)." in page


def test_a_hand_written_dossier_reads_correctly_on_every_page(client):
    """The synthetic dossier, loaded with one command, on each reader page."""
    call_command("import_dossier", str(SYNTHETIC))
    source = Source.objects.get(url="https://example.org/synthetic/report")
    pages = {
        "/issues/synthetic-water-rights/": "Leader A rejects sharing the synthetic river.",
        "/issues/synthetic-water-rights/?as_of=2020-02-05": "seemed close to a synthetic deal",
        "/issues/synthetic-water-rights/history/": "first recorded",
        "/meetings/synthetic-meeting/": "A synthetic agreement",
        "/meetings/synthetic-meeting/?as_of=2020-02-20": "A synthetic headline",
        "/summits/synthetic-summit/": "Leader A–Leader B meeting (synthetic)",
        "/leaders/synthetic-leader-a/": "Leader A rejects sharing the synthetic river.",
        f"/sources/{source.pk}/": "A synthetic report for tests",
        "/issues/?side=XB": "Water rights (synthetic)",
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url
    assert client.get("/issues/synthetic-draft-issue/").status_code == 404
