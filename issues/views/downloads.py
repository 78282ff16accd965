"""Downloads for researchers: positions as CSV and JSON (with the browse page's filters), an
issue as its dossier file, citation files for a source and for an issue page."""

import csv
import io
import json
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from issues import citations
from issues.dossier.export import dossier_export
from issues.dossier.files import to_json, to_yaml
from issues.models import Issue, Source, can_see_drafts, published_revisions
from issues.research import FilterError, browse_filters, positions_matching

POSITION_COLUMNS = [
    "issue", "issue_title", "side", "leader", "attribution", "kind", "posture", "summary",
    "quote", "stated_on", "stated_on_precision", "source_title", "source_url", "locator",
    "status", "page",
]  # fmt: skip


def _attachment(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _position_rows(request: HttpRequest):
    try:
        filters = browse_filters(request.GET)
    except FilterError as error:
        return None, HttpResponse(str(error), status=400, content_type="text/plain")
    positions = positions_matching(request.user, **filters)
    if request.GET.get("issue"):  # one issue's positions, from its "Cite this page"
        positions = positions.filter(issue__slug=request.GET["issue"])
    rows = []
    for p in positions:
        rows.append(
            {
                "issue": p.issue.slug,
                "issue_title": p.issue.title,
                "side": p.country.code,
                "leader": p.leader.name if p.leader is not None else "",
                "attribution": p.attribution,
                "kind": p.kind,
                "posture": p.posture,
                "summary": p.summary,
                "quote": p.quote,
                "stated_on": p.stated_on.isoformat(),
                "stated_on_precision": p.stated_on_precision,
                "source_title": p.source.title,
                "source_url": p.source.url,
                "locator": p.locator,
                "status": p.status,
                "page": request.build_absolute_uri(p.get_absolute_url()),
            }
        )
    return rows, None


@require_safe
def positions_csv(request: HttpRequest) -> HttpResponse:
    """UTF-8 with a byte order mark, so that spreadsheets read the accents and scripts."""
    rows, refused = _position_rows(request)
    if refused:
        return refused
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=POSITION_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return _attachment(out.getvalue(), "text/csv; charset=utf-8", "positions.csv")


@require_safe
def positions_json(request: HttpRequest) -> HttpResponse:
    rows, refused = _position_rows(request)
    if refused:
        return refused
    text = json.dumps({"positions": rows}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return _attachment(text, "application/json", "positions.json")


@require_safe
def issue_dossier(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The issue as a dossier file (docs/dossier-format.md): what the reader may see."""
    issue = get_object_or_404(Issue.objects.visible_to(request.user), slug=slug)
    document = dossier_export(issues=[issue.slug], include_drafts=can_see_drafts(request.user))
    if fmt == "json":
        return _attachment(to_json(document), "application/json", f"{slug}.dossier.json")
    return _attachment(to_yaml(document), "application/yaml", f"{slug}.dossier.yaml")


def _citation(reference: citations.Reference, fmt: str) -> HttpResponse:
    write, content_type = citations.FORMATS[fmt]
    extension = "csl.json" if fmt == "json" else fmt
    return _attachment(write(reference), content_type, f"{reference.key}.{extension}")


@require_safe
def source_citation(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.visible_to(request.user), pk=pk)
    return _citation(citations.source_reference(source), fmt)


def _last_updated(issue: Issue, request: HttpRequest) -> date:
    revisions = issue.history.all()
    if not can_see_drafts(request.user):
        revisions = published_revisions(revisions)
    latest = revisions.order_by("-history_date").values_list("history_date", flat=True).first()
    return (latest or issue.updated_at).date()


@require_safe
def issue_citation(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.visible_to(request.user), slug=slug)
    reference = citations.page_reference(
        issue,
        url=request.build_absolute_uri(issue.get_absolute_url()),
        updated=_last_updated(issue, request),
        accessed=timezone.localdate(),
    )
    return _citation(reference, fmt)
