"""`/issues/<slug>/history/` reads as people write: names, dates as precise as their source,
Markdown as text, word-level changes, cited sources, and nothing for a save that changed
nothing."""

from datetime import date

import pytest
from django.urls import reverse

from issues import services
from issues.models import DatePrecision, Effect, PublicationStatus
from issues.pages.changes import word_diff
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_editor(editor):
    editor.first_name, editor.last_name = "Ada", "Lovelace"
    editor.save()
    return editor


@pytest.fixture
def dossier(named_editor):
    us = factories.CountryFactory(code="US", name="United States")
    ru = factories.CountryFactory(code="RU", name="Russia")
    issue = factories.IssueFactory(slug="ukraine", title="Ukraine")
    issue.sides.add(us, ru)
    meeting = factories.MeetingFactory(title="Buenos Aires bilateral")
    issue.meetings.add(meeting)
    return {"issue": issue, "us": us, "ru": ru, "meeting": meeting, "editor": named_editor}


def update(record, editor, note="", citations=None, **values):
    return services.record_update(
        record=record,
        editor=editor,
        edit=services.Edit(values=values, note=note, citations=citations),
        expected_version=type(record).objects.get(pk=record.pk).version,
    )


def history(client, issue):
    response = client.get(reverse("issues:history", args=[issue.slug]))
    assert response.status_code == 200
    return response.context["history"].revisions, response.content.decode()


def test_a_change_of_side_reads_as_names_not_ids(client, dossier):
    position = factories.PositionFactory(issue=dossier["issue"], country=dossier["us"])
    update(position, dossier["editor"], country=dossier["ru"])

    revisions, html = history(client, dossier["issue"])

    [side] = [f for f in revisions[0].fields if f.field == "Side"]
    assert (side.before, side.after) == ("United States", "Russia")
    assert "Side — " not in html


def test_dates_read_as_precisely_as_their_source(client, dossier):
    position = factories.PositionFactory(
        issue=dossier["issue"],
        stated_on=date(2018, 10, 1),
        stated_on_precision=DatePrecision.MONTH,
    )
    update(
        position,
        dossier["editor"],
        stated_on=date(2018, 1, 1),
        stated_on_precision=DatePrecision.YEAR,
    )

    revisions, _ = history(client, dossier["issue"])

    [stated] = [f for f in revisions[0].fields if f.field == "Date stated"]
    assert (stated.before, stated.after) == ("October 2018", "2018")


def test_markdown_reads_as_text_with_the_changed_words_marked(client, dossier):
    assessment = factories.AssessmentFactory(
        issue=dossier["issue"],
        meeting=dossier["meeting"],
        rationale="The attacks make **any** progress unlikely before the summit opens.",
    )
    update(
        assessment,
        dossier["editor"],
        effect=Effect.STRONGLY_HINDERS,
        rationale="The attacks make **any** progress very unlikely before the summit opens.",
    )

    revisions, html = history(client, dossier["issue"])

    [rationale] = [f for f in revisions[0].fields if f.field == "Rationale"]
    assert "**" not in rationale.before + rationale.after
    assert [s.text for s in rationale.words if s.op == "added"] == ["very "]
    assert "<ins>very </ins>" in html
    [effect] = [f for f in revisions[0].fields if f.field == "Effect on the meeting"]
    assert (effect.before, effect.after) == ("Hinders (-1)", "Strongly hinders (-2)")


def test_a_change_of_cited_sources_is_shown_by_title(client, dossier):
    first = factories.SourceFactory(title="The first report")
    second = factories.SourceFactory(title="The second report")
    assessment = factories.AssessmentFactory(issue=dossier["issue"], meeting=dossier["meeting"])
    update(
        assessment,
        dossier["editor"],
        citations=services.Citations(sources=[first], locator="para. 2"),
    )
    update(
        assessment,
        dossier["editor"],
        citations=services.Citations(sources=[second], locator="para. 3"),
    )

    revisions, _ = history(client, dossier["issue"])

    [cited] = [f for f in revisions[0].fields if f.field == "Sources"]
    assert (cited.before, cited.after) == (
        "The first report, para. 2",
        "The second report, para. 3",
    )


def test_a_save_that_changed_nothing_is_not_listed(client, dossier):
    position = factories.PositionFactory(issue=dossier["issue"], summary="Unchanged")
    update(position, dossier["editor"], summary="Reworded")
    update(position, dossier["editor"], summary="Reworded")  # saved again, nothing new

    revisions, _ = history(client, dossier["issue"])

    changed = [r for r in revisions if r.key.startswith("position-") and r.action == "changed"]
    assert len(changed) == 1
    assert all(revision.fields for revision in revisions)


def test_editors_are_named_by_their_display_name(client, dossier):
    position = factories.PositionFactory(issue=dossier["issue"])
    update(position, dossier["editor"], summary="Reworded by Ada")

    revisions, html = history(client, dossier["issue"])

    assert revisions[0].who == "Ada Lovelace"
    assert ">editor<" not in html


def test_readers_see_the_published_wording_before_a_change_not_a_draft(client, dossier):
    position = factories.PositionFactory(
        issue=dossier["issue"], status=PublicationStatus.DRAFT, summary="Draft wording"
    )
    update(position, dossier["editor"], summary="Published wording")  # publishes it
    update(position, dossier["editor"], summary="Later wording")

    revisions, html = history(client, dossier["issue"])

    assert "Draft wording" not in html
    [summary] = [f for f in revisions[0].fields if f.field == "Summary"]
    assert summary.before == "Published wording"


def test_word_diff_marks_removed_and_added_words():
    segments = word_diff("tighten coordination now", "tighten cooperation now")
    assert [(s.op, s.text) for s in segments] == [
        ("same", "tighten "),
        ("removed", "coordination "),
        ("added", "cooperation "),
        ("same", "now"),
    ]


def test_each_revisions_changes_fold_under_a_line_that_counts_them(client, dossier):
    """On a phone the page is a list of dated changes, each diff folded under its count
    (static/js/sections.js folds them there); served open, it reads without JavaScript."""
    position = factories.PositionFactory(issue=dossier["issue"], country=dossier["us"])
    update(position, dossier["editor"], country=dossier["ru"], summary="Another summary")

    revisions, html = history(client, dossier["issue"])

    changed = len(revisions[0].fields)
    assert changed == 2
    entry = html[html.index(f'id="{revisions[0].key}"') :]
    entry = entry[: entry.index("</li>")]
    fold = entry[entry.index("<details") : entry.index("</details>")]
    assert '<details class="fold fold--diff" open data-fold>' in fold
    assert f"What changed: {changed} fields" in fold
    assert "Side" in fold[: fold.index("</summary>")]
    assert '<table class="diff">' in fold  # the diff itself, inside the fold
