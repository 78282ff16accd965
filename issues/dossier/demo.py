"""The demo dossier, the Trump–Putin meeting at the G20 in Buenos Aires, 2018: a dossier
file in the project (`issues/demo/buenos-aires-2018.yaml`, which says how it was drawn
from its one source), loaded through the same import as `manage.py import_dossier`."""

from pathlib import Path

from issues.models import (
    Analysis,
    Event,
    Issue,
    Leader,
    OutlookAssessment,
    Position,
    Scenario,
    Source,
)

from .write import dossier_import

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "buenos-aires-2018.yaml"


def demo_load() -> dict[str, int]:
    """Import the demo file (validated whole, in one transaction; importing it again changes
    nothing) and say how many records of each kind the database holds."""
    dossier_import(DEMO_FILE.read_bytes())
    return {
        "sources": Source.objects.count(),
        "leaders": Leader.objects.count(),
        "issues": Issue.objects.count(),
        "positions": Position.objects.count(),
        "events": Event.objects.count(),
        "assessments": OutlookAssessment.objects.count(),
        "scenarios": Scenario.objects.count(),
        "analyses": Analysis.objects.count(),
    }
