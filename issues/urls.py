from django.urls import path, re_path
from django.views.decorators.http import require_safe

from .feeds import (
    IssueChangesFeed,
    LeaderChangesFeed,
    MeetingChangesFeed,
    SiteChangesFeed,
    TrackRecordFeed,
)
from .views import (
    browse,
    bulk,
    compare,
    downloads,
    drafts,
    edit_assessments,
    edit_events,
    edit_positions,
    edit_scenarios,
    editing,
    health,
    history,
    home,
    issue_page,
    method,
    pages,
    search,
    share,
    source_picker,
    track_record,
)

app_name = "issues"

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    path("summits/<slug:slug>/", pages.summit_detail, name="summit"),
    path("meetings/<slug:slug>/", pages.meeting_detail, name="meeting"),
    path("meetings/<slug:slug>/share.png", share.meeting_image, name="meeting_share"),
    path("meetings/<slug:slug>/feed/", require_safe(MeetingChangesFeed()), name="meeting_feed"),
    path("track-record/", track_record.track_record, name="track_record"),
    path("track-record/feed/", require_safe(TrackRecordFeed()), name="track_record_feed"),
    path("issues/", browse.browse, name="browse"),
    path("positions.csv", downloads.positions_csv, name="positions_csv"),
    path("positions.json", downloads.positions_json, name="positions_json"),
    re_path(
        r"^issues/(?P<slug>[-a-zA-Z0-9_]+)/dossier\.(?P<fmt>yaml|json)$",
        downloads.issue_dossier,
        name="issue_dossier",
    ),
    re_path(
        r"^issues/(?P<slug>[-a-zA-Z0-9_]+)/cite\.(?P<fmt>bib|ris|json)$",
        downloads.issue_citation,
        name="issue_citation",
    ),
    re_path(
        r"^sources/(?P<pk>[0-9]+)/cite\.(?P<fmt>bib|ris|json)$",
        downloads.source_citation,
        name="source_citation",
    ),
    path("issues/<slug:slug>/", issue_page.issue_detail, name="issue"),
    path("issues/<slug:slug>/share.png", share.issue_image, name="issue_share"),
    path("issues/<slug:slug>/feed/", require_safe(IssueChangesFeed()), name="issue_feed"),
    path("issues/<slug:slug>/positions/", issue_page.issue_positions, name="issue_positions"),
    path("feed/", require_safe(SiteChangesFeed()), name="feed"),
    path("leaders/", pages.leader_list, name="leaders"),
    path("leaders/<slug:slug>/", pages.leader_detail, name="leader"),
    path("leaders/<slug:slug>/feed/", require_safe(LeaderChangesFeed()), name="leader_feed"),
    path("sources/", pages.source_list, name="sources"),
    path("sources/<int:pk>/", pages.source_detail, name="source"),
    path("search/", search.search, name="search"),
    path("search/suggestions/", search.suggestions, name="search_suggestions"),
    # Editing in place (editors only; each also works as a plain form page).
    path(
        "issues/<slug:slug>/outlook/<slug:meeting_slug>/",
        edit_assessments.assessment_detail,
        name="assessment",
    ),
    path(
        "issues/<slug:slug>/outlook/<slug:meeting_slug>/edit/",
        edit_assessments.assessment_edit,
        name="assessment_edit",
    ),
    path(
        "issues/<slug:slug>/positions/new/", edit_positions.position_create, name="position_create"
    ),
    path("issues/<slug:slug>/positions/add/", bulk.positions_bulk, name="positions_bulk"),
    path("issues/<slug:slug>/positions/<int:pk>/", edit_positions.position_detail, name="position"),
    path(
        "issues/<slug:slug>/positions/<int:pk>/edit/",
        edit_positions.position_edit,
        name="position_edit",
    ),
    path(
        "issues/<slug:slug>/positions/<int:pk>/withdraw/",
        edit_positions.position_withdraw,
        name="position_withdraw",
    ),
    path(
        "issues/<slug:slug>/positions/<int:pk>/restore/",
        edit_positions.position_restore,
        name="position_restore",
    ),
    path("issues/<slug:slug>/events/new/", edit_events.event_create, name="event_create"),
    path("issues/<slug:slug>/events/<int:pk>/edit/", edit_events.event_edit, name="event_edit"),
    path("issues/<slug:slug>/publish/", drafts.issue_publish, name="issue_publish"),
    path("issues/<slug:slug>/history/", history.issue_history, name="history"),
    path(
        "meetings/<slug:slug>/scenarios/<int:pk>/", edit_scenarios.scenario_detail, name="scenario"
    ),
    path(
        "meetings/<slug:slug>/scenarios/<int:pk>/edit/",
        edit_scenarios.scenario_edit,
        name="scenario_edit",
    ),
    path("drafts/<int:pk>/publish/", drafts.draft_publish, name="draft_publish"),
    path("drafts/<int:pk>/discard/", drafts.draft_discard, name="draft_discard"),
    path("edit/preview/", editing.markdown_preview, name="markdown_preview"),
    path("edit/sources/", source_picker.source_lookup, name="source_lookup"),
    path("edit/sources/options/", source_picker.source_options, name="bulk_source_options"),
    path("compare/", compare.compare, name="compare"),
    path("about/method/", method.method, name="method"),
]
