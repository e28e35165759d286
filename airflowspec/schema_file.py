"""The JSON Schema of the spec, generated from the models; schema/ holds a copy that tests keep current."""

from __future__ import annotations

import json
from typing import Any

from airflowspec.environments import NAME, RESERVED
from airflowspec.schema_examples import ENUMS, EXAMPLES
from airflowspec.spec import Spec

SCHEMA_ID = "https://airflowspec.dev/schema/airflowspec.schema.json"
#: The definition of an environment's partial spec; each definition `D` has its partial `D` + this.
OVERLAY = "Overlay"
_DEFINITION = "#/definitions/"


def schema() -> dict[str, Any]:
    """Draft-07, which the YAML language server and check-jsonschema both read: `definitions`, not `$defs`."""
    generated = Spec.model_json_schema(by_alias=True, mode="validation", ref_template="#/definitions/{model}")
    definitions = generated.pop("$defs", {})
    for name, model in [("Spec", generated), *definitions.items()]:
        _document(name, model)
    definitions |= _overlays(generated, definitions)
    generated["properties"]["environments"] = _environments(generated["properties"]["environments"])
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **generated,
        "title": "airflowspec",
        "definitions": definitions,
    }


def _document(model_name: str, model: dict[str, Any]) -> None:
    """Each property: an example (its default, or one from schema_examples), an enum for closed sets,
    and the description again as markdownDescription, which VS Code's YAML extension shows."""
    for name, field in model.get("properties", {}).items():
        key = f"{model_name}.{name}"
        if "examples" not in field:
            field["examples"] = [EXAMPLES[key]] if key in EXAMPLES else [field["default"]]
        if key in ENUMS:
            field["enum"] = ENUMS[key]
        if "description" in field:
            field["markdownDescription"] = field["description"]


def _environments(field: dict[str, Any]) -> dict[str, Any]:
    """`environments`: by name, each a partial spec (or nothing, the base as it is)."""
    kept = {key: field[key] for key in ("title", "description", "markdownDescription", "examples") if key in field}
    return kept | {
        "type": "object",
        "propertyNames": {"pattern": "^" + NAME.pattern.removesuffix("\\Z") + "$", "not": {"enum": list(RESERVED)}},
        "additionalProperties": {"anyOf": [{"$ref": _DEFINITION + "Spec" + OVERLAY}, {"type": "null"}]},
    }


def _overlays(spec: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """Each model again as an environment writes it: every key optional, `null` allowed (it removes the
    key), one form of a union or another (a partial one may look like several); a list is whole, as it
    replaces the base's. Descriptions stay, for editors."""
    fixed = ("apiVersion", "environments")  # what an environment cannot set
    top = {key: value for key, value in spec.items() if key != "required"}
    top["properties"] = {key: value for key, value in spec["properties"].items() if key not in fixed}
    models = {"Spec": top, **definitions}
    return {name + OVERLAY: _partial(model) for name, model in models.items()}


def _partial(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    partial = {key: value for key, value in node.items() if key not in _NOT_PARTIAL}
    if "$ref" in node:
        partial["$ref"] = node["$ref"] + OVERLAY
    if "properties" in node:
        partial["properties"] = {key: _removable(value) for key, value in node["properties"].items()}
    if isinstance(node.get("additionalProperties"), dict):  # a map: each entry merges into the base's
        partial["additionalProperties"] = _removable(node["additionalProperties"])
    if "patternProperties" in node:
        partial["patternProperties"] = {
            pattern: _removable(value) for pattern, value in node["patternProperties"].items()
        }
    forms = [*node.get("oneOf", ()), *node.get("anyOf", ())]
    if forms:
        partial["anyOf"] = [_partial(form) for form in forms]
    return partial


#: What an overlay's copy of a model leaves out: what makes a key required or says its default, the
#: union keywords it rewrites, and the examples and titles (whole values, not partial ones).
_NOT_PARTIAL = ("required", "default", "oneOf", "anyOf", "examples", "title")
_WORDS = ("description", "markdownDescription")


def _removable(field: dict[str, Any]) -> dict[str, Any]:
    """A property of an overlay: partial, or `null` to remove it; its description outside, where editors look."""
    inner = _partial({key: value for key, value in field.items() if key not in _WORDS})
    return {key: field[key] for key in _WORDS if key in field} | {"anyOf": [inner, {"type": "null"}]}


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
