"""The JSON Schema of the dossier format, built from the field tables in `spec.py` and the
models' own limits (lengths, closed scales, choices). `schema.json` is this schema as
committed for people and other tools; a test keeps the two the same."""

import json
from pathlib import Path
from typing import Any

from django.db import models

from . import spec
from .dates import DAY_PATTERN, MOMENT_PATTERN
from .spec import CITATIONS, DAY, KINDS, LINKS, MOMENT, REF, Kind

SCHEMA_PATH = Path(__file__).with_name("schema.json")
TEXT = {"type": "string"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _field_schema(kind: Kind, f: spec.Field) -> dict[str, Any]:
    model_field = kind.model._meta.get_field(f.model_attr)
    if f.how == DAY:
        schema = {"type": "string", "pattern": DAY_PATTERN}
    elif f.how == MOMENT:
        schema = {"type": "string", "pattern": MOMENT_PATTERN}
    elif f.how == REF:
        schema = {"type": "string", "minLength": 1, "description": f"A key of {f.target}."}
    elif f.how == LINKS:
        return {"type": "array", "items": TEXT, "description": f"Keys of {f.target}."}
    elif f.how == CITATIONS:
        return {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"source": TEXT, "locator": {"type": "string", "maxLength": 100}},
                "required": ["source"],
                "additionalProperties": False,
            },
        }
    elif isinstance(model_field, models.IntegerField):
        values = [value for value, _ in model_field.choices] if model_field.choices else []
        schema = {"type": "integer"}
        if values:
            schema.update(minimum=min(values), maximum=max(values))
        elif isinstance(model_field, models.PositiveSmallIntegerField):
            schema["minimum"] = 0
    elif model_field.choices:
        schema = {"type": "string", "enum": [value for value, _ in model_field.choices]}
    else:
        schema = {"type": "string"}
        if model_field.max_length:
            schema["maxLength"] = model_field.max_length
    if model_field.verbose_name:
        schema["title"] = str(model_field.verbose_name)
    return _nullable(schema) if model_field.null else schema


def _required(kind: Kind) -> list[str]:
    required = []
    for f in kind.fields:
        model_field = kind.model._meta.get_field(f.model_attr)
        if model_field.many_to_many or model_field.null or model_field.has_default():
            continue
        if f.name in kind.key or not model_field.blank:
            required.append(f.name)
    return [name for name in required if not (kind.name == "sources" and name == "url")]


def _kind_schema(kind: Kind) -> dict[str, Any]:
    properties = {f.name: _field_schema(kind, f) for f in kind.fields}
    if kind.dated:
        history_entry = {
            "type": "object",
            "description": "An earlier state: when it took effect, the editors' note, and "
            "the fields that differed from the state after it.",
            "properties": {
                "since": {"type": "string", "pattern": MOMENT_PATTERN},
                "note": TEXT,
                **{f.name: properties[f.name] for f in kind.fields if f.in_history},
            },
            "required": ["since"],
            "additionalProperties": False,
        }
        properties["since"] = {
            "type": "string",
            "pattern": MOMENT_PATTERN,
            "description": "When this state took effect (the time of import when left out).",
        }
        properties["note"] = {"type": "string", "description": "The editors' note on it."}
        properties["history"] = {"type": "array", "items": history_entry}
    for child in kind.children:
        properties[child] = {"type": "array", "items": {"$ref": f"#/$defs/{child}"}}
    if kind.name == "leaders":
        properties["offices"] = {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 150},
                    "from": {"type": "string", "pattern": DAY_PATTERN},
                    "to": {"type": "string", "pattern": DAY_PATTERN},
                },
                "required": ["title"],
                "additionalProperties": False,
            },
        }
    if kind.name == "meetings":
        properties["outcome"] = {"$ref": "#/$defs/outcome"}
    return {
        "type": "object",
        "properties": properties,
        "required": _required(kind),
        "additionalProperties": False,
    }


def _outcome_schema() -> dict[str, Any]:
    """A meeting's recorded outcome (`spec.OUTCOME`): its result, statement and source,
    then what became of each issue and each scenario, each with the outcome's source unless
    it gives its own."""

    def part(kind: Kind, description: str) -> dict[str, Any]:
        return {
            "type": "object",
            "description": description,
            "properties": {f.name: _field_schema(kind, f) for f in kind.fields},
            "required": [n for n in _required(kind) if n not in ("source", "locator")],
            "additionalProperties": False,
        }

    outcome = part(spec.OUTCOME, "What happened at the meeting, as recorded from its source.")
    outcome["required"] = _required(spec.OUTCOME)
    outcome["properties"]["since"] = {
        "type": "string",
        "pattern": MOMENT_PATTERN,
        "description": "When the outcome as it stands took effect (the time of import when "
        "left out).",
    }
    for name, kind in spec.OUTCOME_PARTS.items():
        what = "issue (by slug)" if name == "issues" else "scenario (by title, in this meeting)"
        outcome["properties"][name] = {
            "type": "array",
            "items": part(kind, f"What became of one {what}."),
        }
    return outcome


def build_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://summit-dossiers.example/schema/dossier-{spec.VERSION}.json",
        "title": "Summit dossier",
        "description": "A dossier file: see docs/dossier-format.md.",
        "type": "object",
        "properties": {
            "format": {"const": spec.FORMAT},
            "version": {"enum": list(spec.READABLE_VERSIONS)},
            **{
                name: {"type": "array", "items": {"$ref": f"#/$defs/{name}"}}
                for name in spec.TOP_LEVEL
            },
        },
        "required": ["format", "version"],
        "additionalProperties": False,
        "$defs": {
            **{name: _kind_schema(kind) for name, kind in KINDS.items()},
            "outcome": _outcome_schema(),
        },
    }


def committed_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def write_schema() -> None:
    SCHEMA_PATH.write_text(json.dumps(build_schema(), indent=2) + "\n", encoding="utf-8")
