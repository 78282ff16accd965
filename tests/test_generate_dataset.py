"""`manage.py generate_dataset`: a synthetic archive at any scale (issues/synthetic.py)."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from issues import synthetic
from issues.models import (
    Country,
    Event,
    Issue,
    Leader,
    Meeting,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Source,
    Summit,
)

pytestmark = pytest.mark.django_db
SCALE = 0.001  # 10 issues, 1,000 positions, 100 sources, 50 events


def generate(scale: float = SCALE, seed: int = 9) -> dict:
    out = StringIO()
    call_command("generate_dataset", scale=scale, seed=seed, stdout=out, stderr=StringIO())
    return out.getvalue()


def fingerprint() -> str:
    rows = [
        *Issue.objects.order_by("slug").values_list("slug", "title", "summary"),
        *Position.objects.order_by("summary", "stated_on").values_list("summary", "stated_on"),
        *Leader.objects.order_by("slug").values_list("slug", "name"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class Rollback(Exception):
    pass


def test_a_small_archive_has_every_kind_of_record():
    output = generate()
    assert "Generated in" in output
    assert Issue.objects.filter(slug__startswith="syn-").count() == 10
    assert Position.objects.count() == 1_000
    assert Source.objects.count() == 100
    assert Event.objects.count() == 50
    assert Summit.objects.count() == 1 and Meeting.objects.count() == 3
    assert Leader.objects.count() == 2
    assert OutlookAssessment.objects.exists()
    assert Event.objects.filter(issues__isnull=False).exists()


def test_every_record_has_a_revision_and_some_have_two():
    generate()
    assert Position.history.filter(history_type="+").count() == 1_000
    assert Position.history.filter(history_type="~").exists()
    rewritten = Position.history.filter(history_type="~").first()
    assert Position.objects.get(pk=rewritten.id).version == 2
    for model in (Issue, Source, Event, Leader, Meeting, Summit):
        assert model.history.count() == model.objects.count()
    # Revisions carry their links, as time travel reads them.
    issue_topics = synthetic.m2m_history_model(Issue, "topics").objects
    assert issue_topics.count() == Issue.topics.through.objects.count()


def test_the_large_issues_come_first():
    generate(scale=0.002)  # 20 issues, 2,000 positions
    sizes = [Issue.objects.get(slug=f"syn-issue-{n}").positions.count() for n in range(5)]
    assert sizes == [10, 8, 6, 5, 4]  # 5,000, 4,000, 3,000, 2,500, 2,000 at full scale
    assert Position.objects.count() == 2_000


def test_the_split_of_positions_at_full_scale():
    import random

    counts = synthetic.split_positions(1_000_000, 10_000, 1.0, random.Random(9))
    assert sum(counts) == 1_000_000 and len(counts) == 10_000
    assert counts[:5] == [5_000, 4_000, 3_000, 2_500, 2_000]
    assert max(counts[5:]) <= 2_000
    assert sorted(counts)[5_000] < 100  # most issues have few positions


def test_the_same_seed_gives_the_same_archive():
    prints = []
    for _ in range(2):
        try:
            with transaction.atomic():
                generate(seed=4)
                prints.append(fingerprint())
                raise Rollback
        except Rollback:
            pass
    assert prints[0] == prints[1]


def test_a_different_seed_gives_a_different_archive():
    prints = []
    for seed in (4, 5):
        try:
            with transaction.atomic():
                generate(seed=seed)
                prints.append(fingerprint())
                raise Rollback
        except Rollback:
            pass
    assert prints[0] != prints[1]


def test_names_are_plainly_synthetic():
    generate()
    assert not Issue.objects.exclude(slug__startswith="syn-").exists()
    assert not Leader.objects.exclude(slug__startswith="syn-").exists()
    assert not Source.objects.exclude(url__startswith="https://example.org/").exists()
    assert all(
        synthetic.SYNTHETIC_NOTE in notes
        for notes in Source.objects.values_list("notes", flat=True)
    )
    assert all(
        name.startswith("Republic of ") for name in Country.objects.values_list("name", flat=True)
    )


def test_text_is_of_real_length_and_has_common_and_rare_words():
    generate(scale=0.01)
    position = Position.objects.first()
    assert 100 < len(position.summary) < 2_000
    assert len(Issue.objects.first().background) > 1_000
    summaries = Position.objects.values_list("summary", flat=True)
    common = sum(synthetic.COMMON_TERM in s for s in summaries)
    rare = sum(synthetic.RARE_TERM.capitalize() in s for s in summaries)
    assert common > len(summaries) / 20
    assert 0 < rare <= 20


def test_a_second_run_is_refused():
    generate()
    with pytest.raises(CommandError, match="already holds a generated archive"):
        generate()


@pytest.mark.parametrize("scale", [0, -1, 11])
def test_a_bad_scale_is_refused(scale):
    with pytest.raises(CommandError, match="scale"):
        generate(scale=scale)
    assert not Issue.objects.exists()


def test_the_database_accepts_new_records_afterwards():
    """On PostgreSQL rows are copied with their ids: the sequences must have moved on."""
    generate()
    issue = Issue.objects.filter(status=PublicationStatus.PUBLISHED).first()
    side = issue.sides.first()
    position = Position.objects.create(
        issue=issue,
        country=side,
        attribution="Officials",
        kind="action",
        posture=0,
        summary="Added after generation.",
        stated_on="2020-01-01",
        source=Source.objects.first(),
        locator="para. 1",
    )
    assert position.pk > max(Position.objects.exclude(pk=position.pk).values_list("pk", flat=True))


def test_the_pages_of_a_generated_archive_open(settings):
    settings.READER_CACHE_SECONDS = 0
    generate()
    client = Client()
    largest = Issue.objects.get(slug="syn-issue-0")
    meeting = Meeting.objects.first()
    for path in (
        "/",
        largest.get_absolute_url(),
        meeting.get_absolute_url(),
        meeting.summit.get_absolute_url(),
        Leader.objects.first().get_absolute_url(),
        Source.objects.first().get_absolute_url(),
        "/issues/",
        f"/search/?q={synthetic.COMMON_TERM}",
        "/feed/",
    ):
        assert client.get(path).status_code == 200, path


def test_cached_reader_pages_learn_of_the_new_archive():
    from issues.caching import current_generation

    before = current_generation()
    generate()
    assert current_generation() > before


def test_the_bulk_load_is_not_stopped_by_the_sites_statement_timeout():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 5000")  # as the site's settings set it
        generate()
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
