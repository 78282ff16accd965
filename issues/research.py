"""What researchers take away: positions filtered as on the browse page, for the downloads
and the API. Reader-facing filters are the browse form's (`BrowseFilterForm`), so a
download of a browse page holds exactly the positions that page matched."""

from django.db.models import Q, QuerySet

from .forms import BrowseFilterForm
from .models import Issue, Position
from .pages.browse import matching_positions


class FilterError(ValueError):
    """Filters that do not validate; `errors` as the browse form gives them."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def browse_filters(data) -> dict:
    """The cleaned filters of a query string, or `FilterError`."""
    form = BrowseFilterForm(data)
    if not form.is_valid():
        errors = {
            name: [str(message) for message in messages] for name, messages in form.errors.items()
        }
        raise FilterError(errors)
    return form.cleaned_data


def positions_matching(
    user,
    *,
    q: str = "",
    topic=None,
    side=None,
    leader=None,
    posture: int | None = None,
    meeting=None,
    date_from=None,
    date_to=None,
) -> QuerySet[Position]:
    """Current positions the user may see that meet every filter, the browse page's rules:
    topic and meeting are the issue's, the others the position's own."""
    positions = matching_positions(
        user, side=side, leader=leader, posture=posture, date_from=date_from, date_to=date_to
    )
    if topic is not None:
        positions = positions.filter(
            issue__in=Issue.topics.through.objects.filter(topic=topic).values("issue")
        )
    if meeting is not None:
        positions = positions.filter(
            issue__in=Issue.meetings.through.objects.filter(meeting=meeting).values("issue")
        )
    if q:
        positions = positions.filter(
            Q(summary__icontains=q)
            | Q(quote__icontains=q)
            | Q(attribution__icontains=q)
            | Q(issue__title__icontains=q)
        )
    return positions.select_related("issue", "country", "leader", "source").order_by(
        "issue__order", "issue__title", "-stated_on", "pk"
    )
