"""The official chart's values.schema.json, applied as Helm applies it: to the chart's defaults with the
values given coalesced over them, before any template renders. Read and compiled on first use only."""

from __future__ import annotations

from typing import Any

from airflowspec.data.chart_defaults import chart_defaults
from airflowspec.data.chart_facts import values_schema

#: A place in the values (keys and list indexes) and the schema's message about it.
Problem = tuple[tuple[str | int, ...], str]


def schema_problems(version: str, values: dict[str, Any]) -> list[Problem]:
    """What the chart's schema at `version` refuses in `values` over the chart's defaults, in document order."""
    import jsonschema  # only a spec for the official chart pays for it

    defaults = chart_defaults("official", version)
    assert defaults is not None, f"no defaults of the official chart {version}"
    validator = jsonschema.Draft7Validator(values_schema(version))
    found = [(tuple(error.absolute_path), error.message) for error in validator.iter_errors(coalesce(values, defaults))]
    return sorted(found, key=lambda problem: [str(part) for part in problem[0]])


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
