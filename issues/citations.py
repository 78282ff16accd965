"""Citation files for researchers' reference managers: BibTeX, RIS and CSL-JSON, for a
source and for an issue page itself. One `Reference` is built per thing cited and written
in each format, so the three always agree."""

import json
import re
from dataclasses import dataclass
from datetime import date

from .models import Issue, Source, SourceKind

# The closest type of each format for each kind of source.
BIBTEX_TYPES: dict[str, str] = {SourceKind.REPORT: "techreport", SourceKind.TREATY: "misc"}
RIS_TYPES: dict[str, str] = {
    SourceKind.ARTICLE: "ELEC",
    SourceKind.REPORT: "RPRT",
    SourceKind.TRANSCRIPT: "GEN",
    SourceKind.PRESS_CONFERENCE: "GEN",
    SourceKind.STATEMENT: "GEN",
    SourceKind.TREATY: "STAT",
}
CSL_TYPES: dict[str, str] = {
    SourceKind.ARTICLE: "article",
    SourceKind.REPORT: "report",
    SourceKind.TRANSCRIPT: "interview",
    SourceKind.PRESS_CONFERENCE: "speech",
    SourceKind.STATEMENT: "document",
    SourceKind.TREATY: "legislation",
    SourceKind.OTHER: "document",
}


@dataclass(frozen=True)
class Reference:
    key: str
    kind: str  # a SourceKind, or "webpage" for a page of this site
    title: str
    author: str = ""
    publisher: str = ""
    url: str = ""
    issued: date | None = None
    accessed: date | None = None
    note: str = ""


def source_reference(source: Source) -> Reference:
    return Reference(
        key=f"source{source.pk}",
        kind=source.kind,
        title=source.title,
        author=source.author,
        publisher=source.publisher,
        url=source.url,
        issued=source.published_on,
        accessed=source.accessed_on,
        note=f"Licence: {source.licence}" if source.licence else "",
    )


def page_reference(issue: Issue, *, url: str, updated: date, accessed: date) -> Reference:
    return Reference(
        key=f"dossier-{issue.slug}",
        kind="webpage",
        title=issue.title,
        publisher="Summit dossiers",
        url=url,
        issued=updated,
        accessed=accessed,
    )


def _bibtex_text(value: str) -> str:
    """Braces and backslashes escaped; capitals kept as written by bracing the whole value."""
    return re.sub(r"([{}\\%&#$_])", r"\\\1", value)


def bibtex(ref: Reference) -> str:
    entry_type = "online" if ref.kind == "webpage" else BIBTEX_TYPES.get(ref.kind, "misc")
    fields = [("title", f"{{{_bibtex_text(ref.title)}}}")]
    if ref.author:
        fields.append(("author", f"{{{_bibtex_text(ref.author)}}}"))
    if ref.publisher:
        name = "institution" if entry_type == "techreport" else "organization"
        fields.append((name, _bibtex_text(ref.publisher)))
    if ref.issued:
        fields += [("year", str(ref.issued.year)), ("date", ref.issued.isoformat())]
    if ref.url:
        fields.append(("url", ref.url))
    if ref.accessed:
        fields.append(("urldate", ref.accessed.isoformat()))
    if ref.note:
        fields.append(("note", _bibtex_text(ref.note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{ref.key},\n{body}\n}}\n"


def ris(ref: Reference) -> str:
    kind = "ELEC" if ref.kind == "webpage" else RIS_TYPES.get(ref.kind, "GEN")
    lines = [("TY", kind), ("ID", ref.key), ("TI", ref.title)]
    if ref.author:
        lines.append(("AU", ref.author))
    if ref.publisher:
        lines.append(("PB", ref.publisher))
    if ref.issued:
        lines += [("PY", str(ref.issued.year)), ("DA", ref.issued.strftime("%Y/%m/%d"))]
    if ref.url:
        lines.append(("UR", ref.url))
    if ref.accessed:
        lines.append(("Y2", ref.accessed.strftime("%Y/%m/%d")))
    if ref.note:
        lines.append(("N1", ref.note))
    lines.append(("ER", ""))
    # RIS is one tag a line: line breaks in a value would start a new tag.
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)


def _date_parts(day: date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_json(ref: Reference) -> str:
    item: dict = {
        "id": ref.key,
        "type": "webpage" if ref.kind == "webpage" else CSL_TYPES.get(ref.kind, "document"),
        "title": ref.title,
    }
    if ref.author:
        item["author"] = [{"literal": ref.author}]
    if ref.publisher:
        item["publisher"] = ref.publisher
    if ref.issued:
        item["issued"] = _date_parts(ref.issued)
    if ref.url:
        item["URL"] = ref.url
    if ref.accessed:
        item["accessed"] = _date_parts(ref.accessed)
    if ref.note:
        item["note"] = ref.note
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


FORMATS = {
    "bib": (bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}
