"""Conflicting edits merged field by field: what one side changed is kept, what both
changed is asked about, and "save again" never reverts the other editor's change."""

import re

import pytest
from django.test import Client

from issues import merging, services
from issues.models import OutlookAssessment, Position, Source
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
# The issue and meeting of `tests/dossiers/editing.yaml` (the `editing_dossier` fixture).
ISSUE = "/issues/harbour-rights/"
OUTLOOK_EDIT = f"{ISSUE}outlook/lighthouse-talks/edit/"


@pytest.fixture
def assessment(editing_dossier) -> OutlookAssessment:
    """Its effect is neither of the two the tests choose (-1, 1), its salience not 1."""
    assessment = OutlookAssessment.objects.get(issue__slug="harbour-rights")
    assert assessment.effect not in (-1, 1) and assessment.salience != 1
    return assessment


@pytest.fixture
def position(editing_dossier) -> Position:
    """A leader's position, whose posture is neither of the two the tests choose (-2, 2)."""
    position = Position.objects.get(
        issue__slug="harbour-rights", leader__slug="ada-quillon", kind="rhetoric"
    )
    assert position.posture not in (-2, 2)
    return position


def save_as_other_editor(record, **values):
    """Another editor saves `values` over the record's current version."""
    other = factories.UserFactory(username=f"other-{record.pk}-{record.version}")
    return services.record_update(
        record=record,
        editor=other,
        edit=services.Edit(values=values),
        expected_version=record.version,
    )


def assessment_data(assessment: OutlookAssessment, version: int, **changes) -> dict:
    """The form as the editor opened it at `version` (the assessment's values then)."""
    data = {
        "effect": str(assessment.effect),
        "salience": str(assessment.salience),
        "deliverable": assessment.deliverable,
        "rationale": assessment.rationale,
        "sources": [Source.objects.get().pk],
        "locator": "para. 3",
        "version": version,
        "note": "",
        "action": "publish",
    }
    return {**data, **changes}


class TestThreeWay:
    def test_each_side_is_compared_with_the_version_started_from(self, assessment):
        started = assessment.version
        original = assessment.rationale
        theirs = save_as_other_editor(assessment, effect=-1, rationale="Their rationale")

        merge = merging.three_way(
            current=theirs,
            mine={
                "effect": 1,
                "salience": theirs.salience,
                "deliverable": "My deliverable",
                "rationale": "My rationale",
            },
            base_version=started,
            labels={},
        )
        by_name = {field.name: field for field in merge.fields}
        assert by_name["rationale"].base == original
        assert by_name["rationale"].collides and by_name["rationale"].kept == ""
        assert by_name["effect"].side == "both" and by_name["effect"].collides
        assert by_name["salience"].side == "neither" and not by_name["salience"].collides
        assert by_name["deliverable"].side == "mine"
        assert by_name["deliverable"].kept == merging.MINE
        assert [f.name for f in merge.colliding] == ["effect", "rationale"]
        assert merge.base_version == started and merge.theirs_version == theirs.version

    def test_a_change_only_they_made_is_kept_theirs(self, assessment):
        started = assessment.version
        theirs = save_as_other_editor(assessment, salience=1)
        merge = merging.three_way(
            current=theirs,
            mine={"salience": assessment.salience, "rationale": "Mine"},
            base_version=started,
            labels={"salience": "Salience"},
        )
        salience, rationale = merge.fields
        assert (salience.side, salience.kept, salience.label) == ("theirs", "theirs", "Salience")
        assert (rationale.side, rationale.kept) == ("mine", "mine")
        assert merge.colliding == []

    def test_the_same_change_on_both_sides_does_not_collide(self, assessment):
        started = assessment.version
        theirs = save_as_other_editor(assessment, rationale="Agreed words")
        merge = merging.three_way(
            current=theirs, mine={"rationale": "Agreed words"}, base_version=started, labels={}
        )
        assert merge.fields[0].side == "both" and not merge.fields[0].collides

    def test_an_unknown_base_makes_every_difference_a_choice(self, assessment):
        theirs = save_as_other_editor(assessment, rationale="Their rationale")
        merge = merging.three_way(
            current=theirs,
            mine={"rationale": "Mine", "salience": theirs.salience},
            base_version=999,
            labels={},
        )
        rationale, salience = merge.fields
        assert rationale.collides and not salience.collides
        assert merge.fields[0].shown_base == "(not known)"

    def test_related_records_and_choices_read_as_names(self, position):
        started = position.version
        side = position.country
        theirs = save_as_other_editor(position, posture=2)
        merge = merging.three_way(
            current=theirs,
            mine={"posture": -2, "country": side},
            base_version=started,
            labels={},
        )
        posture, country = merge.fields
        assert posture.collides
        assert posture.shown_theirs == str(dict(Position._meta.get_field("posture").flatchoices)[2])
        assert country.shown_mine == str(side) and country.side == "neither"


class TestConflictView:
    def test_the_409_merges_one_sided_changes_and_asks_about_the_collision(
        self, editor_client, assessment
    ):
        started = assessment.version
        opened = OutlookAssessment.objects.get(pk=assessment.pk)
        save_as_other_editor(assessment, effect=-1, rationale="Their rationale")
        mine = assessment_data(
            opened, started, deliverable="My deliverable", rationale="My rationale"
        )

        response = editor_client.post(OUTLOOK_EDIT, mine, headers=HTMX)

        assert response.status_code == 409
        body = response.content.decode()
        # Every field three ways, marked by who changed it.
        assert body.count('class="merge__field ') == 6  # with its sources and locator
        assert "merge__field--theirs" in body and "merge__field--mine" in body
        assert "merge__field--both" in body and "merge__field--neither" in body
        assert "Changed by them" in body and "Changed by you" in body
        assert "Changed by both of you" in body
        assert f"You started from (version {started})" in body
        assert opened.rationale in body  # the base, as started from
        # Their effect is merged into the form; my deliverable stays; the collision asks.
        assert re.search(r'<option value="-1" selected>', body)
        assert 'value="My deliverable"' in body
        assert "My rationale</textarea>" in body
        assert 'name="keep_rationale"' in body and 'name="keep_effect"' not in body
        assert 'name="colliding" value="rationale"' in body
        assert "Choose which version to keep" not in body  # asked, not yet missing
        assessment.refresh_from_db()
        assert assessment.rationale == "Their rationale"

    def test_keep_theirs_saves_the_merge_without_reverting_their_change(
        self, editor_client, assessment
    ):
        started = assessment.version
        opened = OutlookAssessment.objects.get(pk=assessment.pk)
        theirs = save_as_other_editor(assessment, effect=-1, rationale="Their rationale")
        mine = assessment_data(
            opened, started, deliverable="My deliverable", rationale="My rationale"
        )
        editor_client.post(OUTLOOK_EDIT, mine, headers=HTMX)

        # What the conflict form submits: the merged values, the new base, the choice.
        resolved = {
            **mine,
            "effect": "-1",
            "version": theirs.version,
            "merge_base": started,
            "colliding": "rationale",
            "keep_rationale": "theirs",
        }
        response = editor_client.post(OUTLOOK_EDIT, resolved, headers=HTMX)

        assert response.status_code == 200
        assessment.refresh_from_db()
        assert assessment.effect == -1  # their change, kept
        assert assessment.rationale == "Their rationale"  # chosen
        assert assessment.deliverable == "My deliverable"  # mine, merged

    def test_keep_mine_saves_my_possibly_edited_text(self, editor_client, assessment):
        started = assessment.version
        opened = OutlookAssessment.objects.get(pk=assessment.pk)
        theirs = save_as_other_editor(assessment, rationale="Their rationale")
        resolved = assessment_data(
            opened,
            theirs.version,
            rationale="My rationale, reworded after reading theirs",
            merge_base=started,
            colliding="rationale",
            keep_rationale="mine",
        )
        assert editor_client.post(OUTLOOK_EDIT, resolved, headers=HTMX).status_code == 200
        assessment.refresh_from_db()
        assert assessment.rationale == "My rationale, reworded after reading theirs"

    def test_a_resolution_without_a_choice_is_422_with_the_comparison_again(
        self, editor_client, assessment
    ):
        started = assessment.version
        opened = OutlookAssessment.objects.get(pk=assessment.pk)
        theirs = save_as_other_editor(assessment, rationale="Their rationale")
        unresolved = assessment_data(
            opened,
            theirs.version,
            rationale="My rationale",
            merge_base=started,
            colliding="rationale",
        )
        response = editor_client.post(OUTLOOK_EDIT, unresolved, headers=HTMX)
        assert response.status_code == 422
        body = response.content.decode()
        assert "Choose which version to keep." in body
        assert f"You started from (version {started})" in body
        assessment.refresh_from_db()
        assert assessment.rationale == "Their rationale"

    @pytest.mark.parametrize("base", ["started", "99999999999999999999", "x", ""])
    def test_a_bad_choice_or_base_is_a_form_error_not_a_500(self, editor_client, assessment, base):
        started = assessment.version
        opened = OutlookAssessment.objects.get(pk=assessment.pk)
        theirs = save_as_other_editor(assessment, rationale="Their rationale")
        data = assessment_data(
            opened,
            theirs.version,
            rationale="My rationale",
            merge_base=started if base == "started" else base,
            colliding=["rationale", "no_such_field", "version"],
            keep_rationale="everything",
        )
        response = editor_client.post(OUTLOOK_EDIT, data, headers=HTMX)
        assert response.status_code == 422
        if base == "started":
            assert "Select a valid choice" in response.content.decode()
        assessment.refresh_from_db()
        assert assessment.rationale == "Their rationale"

    def test_positions_merge_the_same_way(self, editor_client, position):
        started = position.version
        opened = Position.objects.get(pk=position.pk)
        save_as_other_editor(position, posture=2, summary="Their summary")
        url = f"{ISSUE}positions/{position.pk}/edit/"
        mine = {
            "country": opened.country_id,
            "leader": opened.leader_id,
            "attribution": opened.attribution,
            "kind": opened.kind,
            "posture": opened.posture,
            "summary": "My summary",
            "quote": "My quote",
            "stated_on": opened.stated_on.isoformat(),
            "stated_on_precision": opened.stated_on_precision,
            "stated_as": opened.stated_as,
            "stated_until": opened.stated_until.isoformat() if opened.stated_until else "",
            "source": opened.source_id,
            "locator": opened.locator,
            "version": started,
            "note": "",
            "action": "publish",
        }
        response = editor_client.post(url, mine, headers=HTMX)
        body = response.content.decode()
        assert response.status_code == 409, re.findall(r'field__error">([^<]*)', body)
        assert 'name="keep_summary"' in body and 'name="keep_posture"' not in body
        assert re.search(r'<option value="2" selected>', body)  # their posture merged
        resolved = {
            **mine,
            "posture": 2,
            "version": started + 1,
            "merge_base": started,
            "colliding": "summary",
            "keep_summary": "mine",
        }
        assert editor_client.post(url, resolved, headers=HTMX).status_code == 200
        position.refresh_from_db()
        assert (position.posture, position.summary, position.quote) == (2, "My summary", "My quote")

    def test_the_conflict_view_reads_a_bounded_number_of_queries(
        self, editor_client, assessment, django_assert_max_num_queries
    ):
        started = assessment.version
        opened = OutlookAssessment.objects.get(pk=assessment.pk)
        save_as_other_editor(assessment, effect=-1, rationale="Their rationale")
        mine = assessment_data(opened, started, rationale="My rationale")
        with django_assert_max_num_queries(49):
            assert editor_client.post(OUTLOOK_EDIT, mine, headers=HTMX).status_code == 409


def test_the_conflict_form_works_without_javascript(client, editor, assessment):
    """A plain POST gets the same comparison inside a page."""
    client.force_login(editor)
    started = assessment.version
    opened = OutlookAssessment.objects.get(pk=assessment.pk)
    save_as_other_editor(assessment, rationale="Their rationale")
    response = Client(enforce_csrf_checks=False)
    response = client.post(OUTLOOK_EDIT, assessment_data(opened, started, rationale="Mine"))
    assert response.status_code == 409
    body = response.content.decode()
    assert "<html" in body and 'name="keep_rationale"' in body


def test_scenarios_merge_through_the_same_declaration(editor_client, editing_dossier):
    """Every in-place kind merges the same way: its form's fields are the merge's fields."""
    from issues.models import Scenario

    scenario = Scenario.objects.get(title="Harbour estrangement")
    assert scenario.likelihood != 1
    started, opened = scenario.version, Scenario.objects.get(pk=scenario.pk)
    theirs = save_as_other_editor(scenario, likelihood=1)
    url = f"/meetings/lighthouse-talks/scenarios/{scenario.pk}/edit/"
    mine = {
        "likelihood": opened.likelihood,
        "description": "My reading",
        "note": "",
        "version": started,
        "action": "publish",
    }
    response = editor_client.post(url, mine, headers=HTMX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "merge__field--theirs" in body and "merge__field--mine" in body
    assert 'name="colliding"' not in body  # nothing to ask: each side changed its own field
    resolved = {**mine, "likelihood": 1, "version": theirs.version}
    assert editor_client.post(url, resolved, headers=HTMX).status_code == 200
    scenario.refresh_from_db()
    assert (scenario.likelihood, scenario.description) == (1, "My reading")
