"""Reading a dossier file: parse it (YAML or JSON), check its format and version, then
validate all of it, schema and meaning alike, and report every problem with its place
(`issues[2].positions[5].posture: 7 is not between -2 and 2`) before anything is written."""

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import yaml
from django.conf import settings
from django.utils import timezone
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from issues.models import Country, Issue, Leader, Meeting, Scenario, Source, Topic

from . import spec
from .dates import DateError, load_day, load_moment
from .schema import build_schema
from .spec import CITATIONS, DAY, KINDS, LINKS, MOMENT, REF, source_key

MEGABYTE = 1024 * 1024
REFERABLE = ("countries", "topics", "leaders", "sources", "meetings", "issues")


class DossierError(Exception):
    """A file that cannot be imported; `problems` says every reason, with its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def max_bytes() -> int:
    return settings.DOSSIER_MAX_BYTES


def check_size(size: int) -> None:
    if size > max_bytes():
        raise DossierError(
            [
                f"The file is {size / MEGABYTE:.1f} MB; a dossier file may be at most "
                f"{max_bytes() / MEGABYTE:.0f} MB. Split it into several dossiers."
            ]
        )


class _TextDatesLoader(yaml.SafeLoader):
    """YAML without its own date parsing: dates stay text, read by `dates.py` like JSON's."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# Only `true` and `false` are booleans (as in YAML 1.2 and JSON): an outcome's `yes` and
# `no` stay the words they are, however they are written.
_TextDatesLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def parse(data: bytes) -> Any:
    """The document in `data`, JSON or YAML (JSON when it starts with `{`)."""
    check_size(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DossierError([f"The file is not UTF-8 text (byte {error.start})."]) from None
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise DossierError(
                [
                    f"The file is not valid JSON: {error.msg} (line {error.lineno}, column "
                    f"{error.colno})."
                ]
            ) from None
    try:
        return yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise DossierError([f"The file is not valid YAML: {problem}{where}."]) from None


def place(path) -> str:
    """`issues[2].positions[5].posture` from a path of names and indexes."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(the file)"


def _schema_message(error: SchemaError) -> str:
    where = place(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator in ("minimum", "maximum") and {"minimum", "maximum"} <= schema.keys():
        low, high = schema["minimum"], schema["maximum"]
        return f"{where}: {error.instance!r} is not between {low} and {high}"
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return f"{place([*error.absolute_path, missing])}: missing"
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(schema.get("properties", {})))
        return f"{where}: unknown field {', '.join(unknown)}"
    if error.validator == "enum":
        choices = ", ".join(str(v) for v in error.validator_value)
        return f"{where}: {error.instance!r} is not one of {choices}"
    if error.validator == "pattern":
        return f"{where}: {error.instance!r} is not a date as YYYY-MM-DD (or a date and time)"
    if error.validator == "anyOf":
        best = min(error.context, key=lambda e: len(e.message)) if error.context else error
        return f"{where}: {best.message}"
    return f"{where}: {error.message}"


def check_format(document: Any) -> None:
    if not isinstance(document, dict):
        raise DossierError(["The file holds no dossier: expected a mapping of fields."])
    if document.get("format") != spec.FORMAT:
        raise DossierError([f"format: this is not a dossier file (expected “{spec.FORMAT}”)."])
    version = document.get("version")
    if isinstance(version, bool) or version not in spec.READABLE_VERSIONS:
        *earlier, last = (str(v) for v in spec.READABLE_VERSIONS)
        readable = f"{', '.join(earlier)} and {last}" if earlier else last
        raise DossierError(
            [
                f"version: this site reads versions {readable} of the dossier format, "
                f"not {version!r}."
            ]
        )
    too_new = [
        f"{name}: a version {version} file has no {name} (they came in version {added}); "
        f"write version {added} or later"
        for name, added in spec.ADDED_IN.items()
        if name in document and version < added
    ]
    for name, added in spec.MEETING_FIELDS_ADDED_IN.items():
        if version >= added:
            continue
        for s_index, summit in enumerate(_list(document, "summits")):
            for m_index, meeting in enumerate(_list(summit, "meetings")):
                if isinstance(meeting, dict) and name in meeting:
                    where = place(["summits", s_index, "meetings", m_index, name])
                    too_new.append(
                        f"{where}: a version {version} file has no {name} of a meeting (it "
                        f"came in version {added}); write version {added} or later"
                    )
    if too_new:
        raise DossierError(too_new)


def _list(container: Any, name: str) -> list:
    value = container.get(name) if isinstance(container, dict) else None
    return value if isinstance(value, list) else []


def schema_problems(document: dict) -> list[str]:
    validator = Draft202012Validator(build_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    return [_schema_message(error) for error in errors]


# Meaning: keys, references, dates ---------------------------------------------------------


@dataclass
class Record:
    """One record of the file, located: its kind, place, parent and states (oldest first)."""

    kind: str
    where: str
    data: dict
    parent: "Record | None"
    states: list[dict]  # full states, with `since` and `note`

    @property
    def key(self) -> tuple:
        if self.kind == "sources":
            return (source_key(self.data.get("url", ""), self.data["title"]),)
        return tuple(self.data.get(name) for name in KINDS[self.kind].key)


def _states(kind_name: str, data: dict) -> list[dict]:
    """Full states, oldest first: each history entry overlays the state after it."""
    kind = KINDS[kind_name]
    current = {f.name: data.get(f.name, f.default) for f in kind.fields}
    current["since"], current["note"] = data.get("since"), data.get("note", "")
    states = [current]
    for entry in reversed(data.get("history", [])):
        older = {**states[0], "note": "", **entry}
        states.insert(0, older)
    return states


def records(document: dict) -> list[Record]:
    """Every record of the document, parents before children, in file order."""
    found = []

    def walk(kind_name: str, items: list, path: list, parent: Record | None) -> None:
        for index, data in enumerate(items):
            where = place([*path, kind_name, index])
            kind = KINDS[kind_name]
            states = _states(kind_name, data) if kind.dated else [data]
            record = Record(kind_name, where, data, parent, states)
            found.append(record)
            for child in kind.children:
                walk(child, data.get(child, []), [*path, kind_name, index], record)

    for name in spec.TOP_LEVEL:
        walk(name, document.get(name, []), [], None)
    return found


def _known_in_database() -> dict[str, set[str]]:
    return {
        "countries": set(Country.objects.values_list("code", flat=True)),
        "topics": set(Topic.objects.values_list("slug", flat=True)),
        "leaders": set(Leader.objects.values_list("slug", flat=True)),
        "meetings": set(Meeting.objects.values_list("slug", flat=True)),
        "issues": set(Issue.objects.values_list("slug", flat=True)),
        "sources": {source_key(u, t) for u, t in Source.objects.values_list("url", "title")},
    }


def _state_place(record: Record, index: int) -> str:
    last = len(record.states) - 1
    return record.where if index == last else f"{record.where}.history[{index}]"


def meaning_problems(found: list[Record], *, now: datetime) -> list[str]:
    problems = []
    keys: dict[str, dict[tuple, str]] = defaultdict(dict)
    for record in found:
        scope = (record.kind, id(record.parent) if KINDS[record.kind].parent else None)
        seen = keys[scope]
        if record.key in seen:
            shown = ", ".join(str(part) for part in record.key)
            problems.append(f"{record.where}: “{shown}” is already at {seen[record.key]}")
        else:
            seen[record.key] = record.where
    known = _known_in_database()
    for record in found:
        if record.kind in REFERABLE:
            known[record.kind].add(record.key[0])
    for record in found:
        kind = KINDS[record.kind]
        previous_since = None
        was_published = False
        for index, state in enumerate(record.states):
            where = _state_place(record, index)
            for f in kind.fields:
                value = state.get(f.name)
                if value is None or value == f.default:
                    continue
                wanted = []
                if f.how == REF:
                    wanted = [value]
                elif f.how == LINKS:
                    wanted = value
                elif f.how == CITATIONS:
                    wanted = [c["source"] for c in value]
                for key in wanted:
                    if key not in known[f.target]:
                        problems.append(f"{where}.{f.name}: no {f.target[:-1]} “{key}”")
                try:
                    if f.how == DAY:
                        load_day(value)
                    elif f.how == MOMENT:
                        load_moment(value)
                except DateError as error:
                    problems.append(f"{where}.{f.name}: {error}")
            if not kind.dated:
                continue
            try:
                since = load_moment(state.get("since"))
            except DateError as error:
                problems.append(f"{where}.since: {error}")
                continue
            if since is not None and since > now:
                problems.append(f"{where}.since: {state['since']} is in the future")
            if since is not None and previous_since is not None and since <= previous_since:
                problems.append(f"{where}.since: must be later than the state before it")
            previous_since = since or previous_since
            if kind.publishable:
                if was_published and state.get("status") == "draft":
                    problems.append(f"{where}.status: a published record cannot become a draft")
                was_published = was_published or state.get("status") == "published"
        if record.kind == "analyses":
            for index, state in enumerate(record.states):
                if state.get("issue") is None and state.get("meeting") is None:
                    problems.append(
                        f"{_state_place(record, index)}: an analysis bears on an issue, a "
                        "meeting or both; give its issue or its meeting"
                    )
        if record.kind == "leaders":
            for index, office in enumerate(record.data.get("offices", [])):
                for end in ("from", "to"):
                    try:
                        load_day(office.get(end))
                    except DateError as error:
                        problems.append(f"{record.where}.offices[{index}].{end}: {error}")
    return problems


def outcome_problems(found: list[Record], *, now: datetime) -> list[str]:
    """A meeting's outcome: what it refers to exists (its issues in the file or the
    database, its scenarios among the meeting's), no issue or scenario twice, its date."""
    known = _known_in_database()
    for record in found:
        if record.kind in ("sources", "issues"):
            known[record.kind].add(record.key[0])
    scenarios_of: dict[str, set[str]] = defaultdict(set)
    for slug, title in Scenario.objects.values_list("meeting__slug", "title"):
        scenarios_of[slug].add(title)
    for record in found:
        if record.kind == "scenarios" and record.parent is not None:
            scenarios_of[record.parent.key[0]].add(record.key[0])
    problems = []
    for record in found:
        outcome = record.data.get("outcome") if record.kind == "meetings" else None
        if outcome is None:
            continue
        where = f"{record.where}.outcome"
        if outcome["source"] not in known["sources"]:
            problems.append(f"{where}.source: no source “{outcome['source']}”")
        for name, kind in spec.OUTCOME_PARTS.items():
            (key,) = kind.key
            seen: dict[str, str] = {}
            for index, item in enumerate(outcome.get(name, [])):
                here = f"{where}.{name}[{index}]"
                value = item[key]
                if value in seen:
                    problems.append(f"{here}.{key}: “{value}” is already at {seen[value]}")
                seen.setdefault(value, here)
                if key == "issue" and value not in known["issues"]:
                    problems.append(f"{here}.issue: no issue “{value}”")
                if key == "scenario" and value not in scenarios_of[record.key[0]]:
                    problems.append(f"{here}.scenario: the meeting has no scenario “{value}”")
                if "source" in item and item["source"] not in known["sources"]:
                    problems.append(f"{here}.source: no source “{item['source']}”")
        try:
            since = load_moment(outcome.get("since"))
        except DateError as error:
            problems.append(f"{where}.since: {error}")
        else:
            if since is not None and since > now:
                problems.append(f"{where}.since: {outcome['since']} is in the future")
    return problems


def read_dossier(data: bytes) -> tuple[dict, list[Record]]:
    """The document and its records, or `DossierError` with every problem found."""
    document = parse(data)
    check_format(document)
    problems = schema_problems(document)
    if problems:
        raise DossierError(problems)
    found = records(document)
    now = timezone.now()
    problems = meaning_problems(found, now=now) + outcome_problems(found, now=now)
    if problems:
        raise DossierError(problems)
    return document, found
