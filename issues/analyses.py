"""The sources' own judgements on an issue or a meeting, live or as they stood on a day."""

from datetime import date

from .models import Analysis, Issue, Meeting, can_see_drafts
from .models.publishing import PUBLISHED
from .time_travel import as_record, end_of_day, latest_revisions, one_each


def analyses_for(
    user, *, issue: Issue | None = None, meeting: Meeting | None = None, day: date | None = None
) -> list[Analysis]:
    """The analyses on `issue` (or, with no issue, on `meeting` as a whole) that `user` may
    see, today or at the end of `day`; each carries its source. One query."""
    scope: dict[str, int | None]
    if issue is not None:
        scope = {"issue_id": issue.pk}
    else:
        assert meeting is not None, "analyses of an issue or of a meeting"
        scope = {"meeting_id": meeting.pk, "issue_id": None}
    if day is None:
        return list(Analysis.objects.visible_to(user).filter(**scope).select_related("source"))
    rows = latest_revisions(Analysis.history.all(), end_of_day(day)).filter(**scope)
    if not can_see_drafts(user):
        rows = rows.filter(status=PUBLISHED)
    records = [as_record(row, Analysis) for row in one_each(rows.select_related("source"))]
    return sorted(records, key=lambda analysis: (analysis.order, analysis.pk))
