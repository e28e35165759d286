"""The official chart's values.schema.json, applied as Helm applies it: to the chart's defaults with the
values given coalesced over them, before any template renders. Read and compiled on first use only.

`schema_problems` says what is wrong in words of the spec (a mapping, a list) and never repeats the value,
which may be long, unprintable or a secret; an unknown key comes with the keys allowed beside it."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

from airflowspec.data.chart_defaults import chart_defaults
from airflowspec.data.chart_facts import values_schema

ValuesPath = tuple[str | int, ...]
_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}
_BOUNDS = {
    "minimum": "at least",
    "exclusiveMinimum": "more than",
    "maximum": "at most",
    "exclusiveMaximum": "less than",
    "minLength": "at least {} characters long",
    "maxLength": "at most {} characters long",
    "minItems": "a list of at least {} items",
    "maxItems": "a list of at most {} items",
}


@dataclasses.dataclass(frozen=True)
class SchemaProblem:
    """`path` breaks the schema (`message` says how), or is a key it does not allow (`known`: those it does)."""

    path: ValuesPath
    message: str = ""
    unknown: bool = False
    known: tuple[str, ...] = ()


def schema_problems(version: str, values: dict[str, Any]) -> list[SchemaProblem]:
    """What the chart's schema at `version` refuses in `values` over the chart's defaults, by path."""
    found = [problem for error in _errors(version, values) for problem in _readable(error)]
    return sorted(found, key=lambda problem: [str(part) for part in problem.path])


def schema_messages(version: str, values: dict[str, Any]) -> list[tuple[ValuesPath, str]]:
    """The schema's own messages, as jsonschema words them."""
    return sorted((tuple(error.absolute_path), error.message) for error in _errors(version, values))


def _errors(version: str, values: dict[str, Any]) -> Iterator[Any]:
    import jsonschema  # only a spec for the official chart with `values` pays for it

    defaults = chart_defaults("official", version)
    assert defaults is not None, f"no defaults of the official chart {version}"
    return iter(jsonschema.Draft7Validator(values_schema(version)).iter_errors(coalesce(values, defaults)))


def _readable(error: Any) -> Iterator[SchemaProblem]:
    path: ValuesPath = tuple(error.absolute_path)
    kind, expected = error.validator, error.validator_value
    if kind == "additionalProperties":
        known = tuple(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in known:
                yield SchemaProblem((*path, key), unknown=True, known=known)
    elif kind in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        yield from _readable(best_match(error.context))
    else:
        yield SchemaProblem(path, _message(kind, expected, error.instance))


def _message(kind: str, expected: Any, instance: Any) -> str:
    if kind == "type":
        names = [_TYPES.get(name, name) for name in ([expected] if isinstance(expected, str) else expected)]
        return "must be " + " or ".join(names)
    if kind == "enum":
        return "must be one of: " + ", ".join(_shown(choice) for choice in expected)
    if kind == "const":
        return f"must be {_shown(expected)}"
    if kind == "pattern":
        return f"must match the pattern {expected}"
    if kind == "required":
        missing = [key for key in expected if key not in instance]
        return f"needs the key `{missing[0]}`"
    if kind in _BOUNDS:
        bound = _BOUNDS[kind]
        return "must be " + (bound.format(expected) if "{}" in bound else f"{bound} {expected}")
    return f"does not meet the chart's schema ({kind})"


def _shown(value: Any) -> str:
    """A schema's own value as YAML writes it: true, null, a string as it is."""
    return value if isinstance(value, str) else json.dumps(value)


def coalesce(values: Any, defaults: Any) -> Any:
    """Helm's merge of user values over chart values: mappings key by key, a null removing the key, any
    other value (a list too) replacing the default."""
    if not isinstance(values, dict) or not isinstance(defaults, dict):
        return values
    merged = dict(defaults)
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = coalesce(value, defaults.get(key))
    return merged
