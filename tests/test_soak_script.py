"""The sustained-load check (`make soak`) submits the outlook form as a browser does, and
fails on what the security notes say it fails on. Its numbers come from running it."""

import sys
from pathlib import Path

import pytest

from issues.models import OutlookAssessment

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import soak  # noqa: E402

pytestmark = pytest.mark.django_db


def test_the_form_reader_submits_what_the_outlook_form_holds(client, synthetic_dossier, editor):
    client.force_login(editor)
    outlook = OutlookAssessment.objects.select_related("issue", "meeting").first()
    page = client.get(f"/issues/{outlook.issue.slug}/outlook/{outlook.meeting.slug}/edit/")
    form = soak.FormFields()
    form.feed(page.content.decode())
    values = dict(form.values)
    assert values["rationale"] == outlook.rationale
    assert values["version"] == str(outlook.version)
    assert values["effect"] == str(outlook.effect)
    assert values["csrfmiddlewaretoken"]

    data = [(name, value) for name, value in form.values if name != "rationale"]
    data += [("rationale", "Saved from what the form held."), ("action", "publish")]
    response = client.post(page.request["PATH_INFO"], dict_of_lists(data))
    assert response.status_code in (200, 302, 303)
    outlook.refresh_from_db()
    assert outlook.rationale == "Saved from what the form held."


def dict_of_lists(pairs):
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return values


def passing_run() -> dict:
    return {
        "readers": {"errors": 0, "server_errors": 0, "status_errors": 0},
        "edits": [
            {
                "editor": "one",
                "saved": 50,
                "refused": 0,
                "lost": 0,
                "last_is_live": True,
                "reader_sees_last": True,
            }
        ],
        "memory": {"101": {"growth_percent": 1.0}},
    }


def test_a_clean_run_passes():
    assert soak.failures(passing_run()) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda run: run["readers"].update(errors=3),
        lambda run: run["readers"].update(server_errors=1, status_errors=1),
        lambda run: run["readers"].update(status_errors=2),
        lambda run: run["edits"][0].update(lost=1),
        lambda run: run["edits"][0].update(refused=1),
        lambda run: run["edits"][0].update(saved=0),
        lambda run: run["edits"][0].update(reader_sees_last=False),
        lambda run: run["memory"]["101"].update(growth_percent=12.5),
    ],
)
def test_each_kind_of_trouble_fails_the_run(change):
    run = passing_run()
    change(run)
    assert soak.failures(run)


def test_memory_growth_compares_the_first_and_last_ten_seconds():
    samples = [(at, {7: 100.0 if at <= 10 else 110.0}) for at in range(2, 62, 2)]
    assert soak.memory_growth(samples) == {
        "7": {"first_mb": 100.0, "last_mb": 110.0, "growth_percent": 10.0}
    }
