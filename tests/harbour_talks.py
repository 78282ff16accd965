"""Names in `tests/dossiers/harbour-talks.yaml`, an invented meeting furnished for the reader
pages' tests (loaded by the `harbour_talks` fixture), so that a test can say what it reads."""

from datetime import date
from pathlib import Path

FILE = Path(__file__).with_name("dossiers") / "harbour-talks.yaml"

MEETING = "marr-brek-harbour-talks"
MEETING_TITLE = "Marr–Brek harbour talks"
MEETING_URL = f"/meetings/{MEETING}/"
SUMMIT_URL = "/summits/sampleton-summit-2022/"
#: The issues of the meeting, in their order, with their outlook: (slug, title, effect, salience).
ISSUES = [
    ("harbours", "Harbours", -2, 3),
    ("fisheries", "Fisheries", -1, 2),
    ("river-tolls", "River tolls", -1, 3),
    ("rail-link", "Rail link", -1, 2),
]
ISSUE_SLUGS = [slug for slug, *_ in ISSUES]
#: The issue recorded first, with an older summary and one position then.
FIRST_ISSUE = "harbours"
FIRST_ISSUE_URL = f"/issues/{FIRST_ISSUE}/"
SIDES = ("XN", "XS")  # Nordavia, Sudmark

#: The day the meeting, the people and the first issue were first recorded.
FIRST_RECORDED = date(2022, 4, 4)
#: The day everything else was recorded, the outlook included.
OUTLOOK_RECORDED = date(2022, 4, 6)


def load() -> None:
    from issues.dossier.write import dossier_import

    dossier_import(FILE.read_bytes())
