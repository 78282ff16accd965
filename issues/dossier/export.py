"""Writing dossiers out: `dossier_export` builds the document (a dict ready for YAML or
JSON) for some issues and summits, or for everything.

Each record is written as it stands (its latest revision), with `since` (when that state
took effect) and `note`, and `history`: its earlier states, oldest first, each giving the
fields that differed from the state after it. Readers' exports hold published records and
published revisions only; editors' exports hold drafts too. Pending edits (`Draft` rows)
are never exported.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Max, Q

from issues.models import (
    Analysis,
    Country,
    Event,
    Issue,
    IssueOutcome,
    Leader,
    Meeting,
    MeetingOutcome,
    Office,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Scenario,
    ScenarioOutcome,
    Source,
    Summit,
    Topic,
)
from issues.time_travel import snapshot_model

from . import spec
from .dates import dump_day, dump_moment
from .spec import CITATIONS, DAY, KINDS, LINKS, MOMENT, REF, Kind

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass
class State:
    since: datetime | None
    note: str
    values: dict[str, Any]


@dataclass
class Selection:
    """The records a document holds, by kind (primary keys)."""

    ids: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


class Keys:
    """The natural key of every record a document may point at, by kind and primary key."""

    def __init__(self) -> None:
        self.by_kind: dict[str, dict[int, str]] = {
            "countries": dict(Country.objects.values_list("pk", "code")),
            "topics": dict(Topic.objects.values_list("pk", "slug")),
            "leaders": dict(Leader.objects.values_list("pk", "slug")),
            "meetings": dict(Meeting.objects.values_list("pk", "slug")),
            "issues": dict(Issue.objects.values_list("pk", "slug")),
            "sources": {
                pk: spec.source_key(url, title)
                for pk, url, title in Source.objects.values_list("pk", "url", "title")
            },
        }

    def of(self, kind: str, pk: int | None) -> str | None:
        """The key of a record; None for none, or for one deleted since a revision."""
        return None if pk is None else self.by_kind[kind].get(pk)


def _visible(model, *, include_drafts: bool):
    manager = model.objects
    return (
        manager.all()
        if include_drafts or not hasattr(manager, "published")
        else (manager.published())
    )


def _select(issue_slugs, summit_slugs, *, everything: bool, include_drafts: bool) -> Selection:
    """Which records the document holds: the chosen issues and summits, what they refer to
    (meetings, their summits and scenarios, events), or everything."""
    chosen = Selection()
    issues = _visible(Issue, include_drafts=include_drafts)
    meetings = Meeting.objects.all()
    if not everything:
        issues = issues.filter(
            Q(slug__in=issue_slugs) | Q(meetings__summit__slug__in=summit_slugs)
        ).distinct()
        meetings = meetings.filter(
            Q(issues__in=issues) | Q(summit__slug__in=summit_slugs)
        ).distinct()
    chosen.ids["issues"] = set(issues.values_list("pk", flat=True))
    chosen.ids["meetings"] = set(meetings.values_list("pk", flat=True))
    summits = Summit.objects.filter(meetings__in=chosen.ids["meetings"])
    if everything:
        summits = Summit.objects.all()
    chosen.ids["summits"] = set(summits.values_list("pk", flat=True))
    chosen.ids["scenarios"] = set(
        _visible(Scenario, include_drafts=include_drafts)
        .filter(meeting__in=chosen.ids["meetings"])
        .values_list("pk", flat=True)
    )
    for name, model in (("positions", Position), ("assessments", OutlookAssessment)):
        chosen.ids[name] = set(
            _visible(model, include_drafts=include_drafts)
            .filter(issue__in=chosen.ids["issues"])
            .values_list("pk", flat=True)
        )
    chosen.ids["analyses"] = set(
        _visible(Analysis, include_drafts=include_drafts)
        .filter(
            Q(issue__in=chosen.ids["issues"])
            | Q(issue__isnull=True, meeting__in=chosen.ids["meetings"])
        )
        .values_list("pk", flat=True)
    )
    events = _visible(Event, include_drafts=include_drafts)
    if not everything:
        events = events.filter(
            Q(issues__in=chosen.ids["issues"]) | Q(meetings__in=chosen.ids["meetings"])
        ).distinct()
    chosen.ids["events"] = set(events.values_list("pk", flat=True))
    if everything:
        chosen.ids["leaders"] = set(Leader.objects.values_list("pk", flat=True))
        chosen.ids["countries"] = set(Country.objects.values_list("pk", flat=True))
        chosen.ids["topics"] = set(Topic.objects.values_list("pk", flat=True))
        chosen.ids["sources"] = set(
            _visible(Source, include_drafts=include_drafts).values_list("pk", flat=True)
        )
    return chosen


class Exporter:
    def __init__(self, selection: Selection, *, include_drafts: bool) -> None:
        self.selection = selection
        self.include_drafts = include_drafts
        self.keys = Keys()
        self.held = {
            name: {self.keys.of(name, pk) for pk in selection.ids[name]}
            for name in ("issues", "meetings")
        }

    # Reading states ----------------------------------------------------------------------

    def _history_rows(self, kind: Kind, ids: set[int]) -> dict[int, list]:
        rows = kind.model.history.filter(id__in=ids).exclude(history_type="-")
        if kind.publishable and not self.include_drafts:
            rows = rows.filter(status=PUBLISHED)
        by_record: dict[int, list] = defaultdict(list)
        for row in rows.order_by("history_date", "history_id"):
            by_record[row.id].append(row)
        return by_record

    def _snapshots(self, kind: Kind, rows: list) -> dict[tuple[int, str], list]:
        """Each revision's many-to-many links, by (history id, field name)."""
        history_ids = [row.history_id for row in rows]
        links: dict[tuple[int, str], list] = defaultdict(list)
        for f in kind.fields:
            if f.how not in (LINKS, CITATIONS) or not f.in_history:
                continue
            through = kind.model._meta.get_field(f.model_attr).remote_field.through
            target = next(
                tf.name
                for tf in through._meta.fields
                if tf.is_relation and tf.related_model is not kind.model
            )
            snapshots = snapshot_model(kind.model, f.model_attr).objects.filter(
                history_id__in=history_ids
            )
            for snapshot in snapshots.order_by("pk"):
                pk = getattr(snapshot, f"{target}_id")
                locator = getattr(snapshot, "locator", "")
                links[(snapshot.history_id, f.name)].append((pk, locator))
        return links

    def _live_links(self, kind: Kind, record) -> dict[str, list]:
        links = {}
        for f in kind.fields:
            if f.how == LINKS:
                links[f.name] = [(obj.pk, "") for obj in getattr(record, f.model_attr).all()]
            elif f.how == CITATIONS:
                links[f.name] = [(c.source_id, c.locator) for c in record.citations.all()]
        return links

    def _value(self, f: spec.Field, obj, links: dict[str, list]) -> Any:
        if f.how == REF:
            return self.keys.of(f.target, getattr(obj, f"{f.model_attr}_id"))
        if f.how == LINKS:
            keys = (self.keys.of(f.target, pk) for pk, _ in links.get(f.name, []))
            return sorted(key for key in keys if key is not None)
        if f.how == CITATIONS:
            cited = [
                {"source": self.keys.of("sources", pk), **({"locator": loc} if loc else {})}
                for pk, loc in links.get(f.name, [])
                if self.keys.of("sources", pk) is not None
            ]
            return sorted(cited, key=lambda c: c["source"])
        value = getattr(obj, f.model_attr)
        if f.how == DAY:
            return dump_day(value)
        if f.how == MOMENT:
            return dump_moment(value)
        return value

    def _states(self, kind: Kind, records: list) -> dict[int, list[State]]:
        history = self._history_rows(kind, {r.pk for r in records}) if kind.dated else {}
        all_rows = [row for rows in history.values() for row in rows]
        snapshots = self._snapshots(kind, all_rows) if all_rows else {}
        states = {}
        for record in records:
            live_links = self._live_links(kind, record)
            live = {f.name: self._value(f, record, live_links) for f in kind.fields}
            self._only_held_links(kind, live)
            rows = history.get(record.pk)
            if not rows:
                states[record.pk] = [State(None, "", live)]
                continue
            states[record.pk] = []
            for row in rows:
                links = {
                    f.name: snapshots.get((row.history_id, f.name), [])
                    for f in kind.fields
                    if f.how in (LINKS, CITATIONS)
                }
                values = {
                    f.name: self._value(f, row, links) if f.in_history else live[f.name]
                    for f in kind.fields
                }
                self._only_held_links(kind, values)
                note = row.history_change_reason or ""
                states[record.pk].append(State(row.history_date, note, values))
        return states

    def _only_held_links(self, kind: Kind, values: dict) -> None:
        """A document links only the issues and meetings it holds: an event's link to an
        issue left out (another dossier's, or a draft in a reader's export) is left out."""
        for f in kind.fields:
            if f.how == LINKS and f.target in self.held:
                values[f.name] = [key for key in values[f.name] if key in self.held[f.target]]

    # Writing records -----------------------------------------------------------------------

    def _document_of(self, kind: Kind, states: list[State]) -> dict[str, Any]:
        current = states[-1]
        out = {
            name: value
            for name, value in current.values.items()
            if value != kind.field(name).default and value != []
        }
        if kind.dated and current.since is not None:
            out["since"] = dump_moment(current.since)
        if kind.dated and current.note:
            out["note"] = current.note
        earlier = []
        for older, newer in zip(states, states[1:], strict=False):
            entry: dict[str, Any] = {"since": dump_moment(older.since)}
            if older.note:
                entry["note"] = older.note
            for f in kind.fields:
                if f.in_history and older.values[f.name] != newer.values[f.name]:
                    entry[f.name] = older.values[f.name]
            earlier.append(entry)
        if earlier:
            out["history"] = earlier
        return out

    def records(self, kind_name: str, queryset, sort_key) -> list[tuple[Any, dict]]:
        kind = KINDS[kind_name]
        records = list(queryset)
        states = self._states(kind, records)
        written = [(record, self._document_of(kind, states[record.pk])) for record in records]
        return sorted(written, key=lambda pair: sort_key(pair[1]))


def _referenced(document_part: list[dict], kind_name: str, found: dict[str, set]) -> None:
    """Collect the keys a list of records (and their history, and their children) refer to."""
    kind = KINDS[kind_name]
    for record in document_part:
        for state in [record, *record.get("history", [])]:
            for f in kind.fields:
                value = state.get(f.name)
                if value is None:
                    continue
                if f.how == REF:
                    found[f.target].add(value)
                elif f.how == LINKS:
                    found[f.target].update(value)
                elif f.how == CITATIONS:
                    found["sources"].update(c["source"] for c in value)
        for child in kind.children:
            _referenced(record.get(child, []), child, found)


def dossier_export(
    *,
    issues: list[str] = (),
    summits: list[str] = (),
    everything: bool = False,
    include_drafts: bool = False,
) -> dict[str, Any]:
    """The dossier document of some issues and summits (by slug), or of everything."""
    selection = _select(issues, summits, everything=everything, include_drafts=include_drafts)
    exporter = Exporter(selection, include_drafts=include_drafts)
    ids = selection.ids

    def by(*names):
        return lambda doc: tuple("" if doc.get(n) is None else str(doc.get(n)) for n in names)

    scenarios = exporter.records(
        "scenarios", Scenario.objects.filter(pk__in=ids["scenarios"]), by("order", "title")
    )
    meetings = exporter.records(
        "meetings",
        Meeting.objects.filter(pk__in=ids["meetings"]).prefetch_related("participants"),
        by("slug"),
    )
    outcomes = _outcomes(exporter, ids["meetings"], ids["scenarios"])
    summit_docs = []
    for summit, doc in exporter.records(
        "summits", Summit.objects.filter(pk__in=ids["summits"]), by("starts_on", "slug")
    ):
        doc["meetings"] = []
        for meeting, meeting_doc in meetings:
            if meeting.summit_id == summit.pk:
                meeting_doc["scenarios"] = [
                    s_doc for scenario, s_doc in scenarios if scenario.meeting_id == meeting.pk
                ]
                if not meeting_doc["scenarios"]:
                    del meeting_doc["scenarios"]
                if meeting.pk in outcomes:
                    meeting_doc["outcome"] = outcomes[meeting.pk]
                doc["meetings"].append(meeting_doc)
        summit_docs.append(doc)

    positions = exporter.records(
        "positions",
        Position.objects.filter(pk__in=ids["positions"]),
        by("stated_on", "side", "summary"),
    )
    assessments = exporter.records(
        "assessments",
        OutlookAssessment.objects.filter(pk__in=ids["assessments"]).prefetch_related("citations"),
        by("meeting"),
    )
    issue_docs = []
    for issue, doc in exporter.records(
        "issues",
        Issue.objects.filter(pk__in=ids["issues"]).prefetch_related("topics", "sides", "meetings"),
        by("order", "slug"),
    ):
        for name, children in (("positions", positions), ("assessments", assessments)):
            mine = [child_doc for child, child_doc in children if child.issue_id == issue.pk]
            if mine:
                doc[name] = mine
        issue_docs.append(doc)

    event_docs = [
        doc
        for _, doc in exporter.records(
            "events",
            Event.objects.filter(pk__in=ids["events"]).prefetch_related(
                "issues", "meetings", "citations"
            ),
            by("occurred_on", "title"),
        )
    ]

    # The sources' own judgements: those on a meeting as a whole first, then by issue.
    analysis_docs = [
        doc
        for _, doc in exporter.records(
            "analyses",
            Analysis.objects.filter(pk__in=ids["analyses"]),
            by("issue", "meeting", "order", "text"),
        )
    ]

    found: dict[str, set] = defaultdict(set)
    for kind_name, part in (
        ("summits", summit_docs),
        ("issues", issue_docs),
        ("events", event_docs),
        ("analyses", analysis_docs),
    ):
        _referenced(part, kind_name, found)
    for outcome in outcomes.values():
        for row in [outcome, *outcome.get("issues", []), *outcome.get("scenarios", [])]:
            if "source" in row:
                found["sources"].add(row["source"])

    source_ids = ids["sources"] or {
        pk for pk, key in exporter.keys.by_kind["sources"].items() if key in found["sources"]
    }
    sources = _visible(Source, include_drafts=include_drafts).filter(pk__in=source_ids)
    source_docs = [doc for _, doc in exporter.records("sources", sources, by("url", "title"))]
    _referenced(source_docs, "sources", found)

    leader_ids = ids["leaders"] or {
        pk for pk, key in exporter.keys.by_kind["leaders"].items() if key in found["leaders"]
    }
    leader_docs = []
    offices = defaultdict(list)
    for office in Office.objects.filter(leader__in=leader_ids).order_by("started_on", "title"):
        offices[office.leader_id].append(_office(office))
    for leader, doc in exporter.records(
        "leaders", Leader.objects.filter(pk__in=leader_ids), by("slug")
    ):
        if offices[leader.pk]:
            doc["offices"] = offices[leader.pk]
        leader_docs.append(doc)
    _referenced(leader_docs, "leaders", found)

    country_filter = (
        Q(pk__in=ids["countries"]) if ids["countries"] else Q(code__in=found["countries"])
    )
    topic_filter = Q(pk__in=ids["topics"]) if ids["topics"] else Q(slug__in=found["topics"])
    document: dict[str, Any] = {"format": spec.FORMAT, "version": spec.VERSION}
    document["countries"] = [
        {"code": c.code, "name": c.name}
        for c in Country.objects.filter(country_filter).order_by("code")
    ]
    document["topics"] = [
        {"slug": t.slug, "name": t.name}
        for t in Topic.objects.filter(topic_filter).order_by("slug")
    ]
    document["leaders"] = leader_docs
    document["sources"] = source_docs
    document["summits"] = summit_docs
    document["issues"] = issue_docs
    document["events"] = event_docs
    document["analyses"] = analysis_docs
    return {name: value for name, value in document.items() if value != []}


def _outcomes(exporter: Exporter, meeting_ids: set[int], scenario_ids: set[int]) -> dict:
    """The recorded outcome of each meeting (by primary key) as the file writes it: as it
    stands, `since` the latest of its rows took effect. An issue's or a scenario's source
    and locator are written only where they differ from the outcome's; the outcome of an
    issue or a scenario the document does not hold is left out, and in a reader's export
    whatever cites a draft source (the file could not name it). Scores are not written:
    importing the outcome computes them again."""
    keys = exporter.keys
    cited = Q() if exporter.include_drafts else Q(source__status=PUBLISHED)
    recorded = {
        o.meeting_id: o for o in MeetingOutcome.objects.filter(cited, meeting__in=meeting_ids)
    }
    issue_rows = IssueOutcome.objects.filter(cited, meeting__in=recorded).select_related("issue")
    scenario_rows = ScenarioOutcome.objects.filter(
        cited, scenario__meeting__in=recorded
    ).select_related("scenario")
    latest = {
        model: _latest_moments(model, rows)
        for model, rows in (
            (MeetingOutcome, recorded.values()),
            (IssueOutcome, issue_rows),
            (ScenarioOutcome, scenario_rows),
        )
    }
    moments: dict[int, list] = defaultdict(list)
    for outcome in recorded.values():
        moments[outcome.meeting_id].append(latest[MeetingOutcome].get(outcome.pk))
    parts: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in issue_rows.order_by("issue__slug"):
        if row.issue.slug not in exporter.held["issues"]:
            continue
        moments[row.meeting_id].append(latest[IssueOutcome].get(row.pk))
        parts[row.meeting_id]["issues"].append((row, {"issue": row.issue.slug}))
    for row in scenario_rows.order_by("scenario__order", "scenario__title"):
        if row.scenario_id not in scenario_ids:
            continue
        moments[row.scenario.meeting_id].append(latest[ScenarioOutcome].get(row.pk))
        parts[row.scenario.meeting_id]["scenarios"].append((row, {"scenario": row.scenario.title}))
    documents = {}
    for meeting_id, outcome in recorded.items():
        doc: dict[str, Any] = {
            "result": outcome.result,
            "statement": outcome.statement,
            "source": keys.of("sources", outcome.source_id),
            "locator": outcome.locator,
        }
        known = [moment for moment in moments[meeting_id] if moment is not None]
        if known:
            doc["since"] = dump_moment(max(known))
        for name, kind in spec.OUTCOME_PARTS.items():
            written = []
            for row, row_doc in parts[meeting_id][name]:
                for f in kind.fields:
                    if f.name in row_doc:
                        continue
                    value = (
                        keys.of("sources", row.source_id)
                        if f.how == REF
                        else getattr(row, f.model_attr)
                    )
                    if f.name in ("source", "locator"):
                        if value == doc[f.name]:  # the outcome's own
                            continue
                    elif value in ("", None):
                        continue
                    row_doc[f.name] = value
                written.append(row_doc)
            doc[name] = written
        documents[meeting_id] = {k: v for k, v in doc.items() if v not in ("", [])}
    return documents


def _latest_moments(model, rows) -> dict[int, datetime]:
    """When each row's latest revision took effect, by primary key (one query)."""
    return dict(
        model.history.filter(id__in=[row.pk for row in rows])
        .values("id")
        .annotate(latest=Max("history_date"))
        .values_list("id", "latest")
    )


def _office(office: Office) -> dict[str, Any]:
    out: dict[str, Any] = {"title": office.title}
    if office.started_on:
        out["from"] = dump_day(office.started_on)
    if office.ended_on:
        out["to"] = dump_day(office.ended_on)
    return out
