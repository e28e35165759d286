"""What each chart release has: every key of its values.yaml, with its kind, and the official chart's
values.schema.json. Rules and compilers ask before they write or accept a key, so that a spec for an
older release is told what that release lacks:

    chart_has("official", "1.18.0", "workers.podDisruptionBudget")  # True
    chart_has("official", "1.18.0", "createUserJob.defaultUser")    # False: added in 1.19.0
    versions_with("official", "workers.celery")                     # ("1.19.0", "1.20.0", "1.21.0")

Paths are the values keys joined by dots. A key's kind is `map` (the keys listed, no others), `free`
(any keys: `{}` by default, a Kubernetes object, annotations or labels; its examples are not listed),
`subchart` (a subchart's section: any keys, those the chart's values.yaml lists are listed), `list`,
`value` or `any` (null by default).

Written by `python -m airflowspec.data.build_chart_facts` from the charts' own files; read on first use
only (one JSON file per chart, one gzip file per official schema), so that a spec that asks nothing
costs nothing.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent
CHARTS = ("community", "official")


def facts_name(chart: str) -> str:
    return f"{chart}.json"


def schema_name(version: str) -> str:
    return f"official-{version}-values.schema.json.gz"


def chart_versions(chart: str) -> tuple[str, ...]:
    """The releases the facts cover, oldest first."""
    return tuple(_facts(chart)["versions"])


def chart_keys(chart: str, version: str) -> frozenset[str]:
    return frozenset(_tree(chart, version))


def chart_has(chart: str, version: str, path: str) -> bool:
    return path in _tree(chart, version)


def key_kind(chart: str, version: str, path: str) -> str | None:
    """`map`, `free`, `subchart`, `list`, `value` or `any`; None when the release has no such key."""
    return _tree(chart, version).get(path)


def versions_with(chart: str, path: str) -> tuple[str, ...]:
    """The releases that have the key, oldest first."""
    return tuple(version for version in chart_versions(chart) if chart_has(chart, version, path))


def default_airflow(chart: str, version: str) -> str:
    """The Airflow release that the chart installs when its values leave the image alone."""
    default: str = _facts(chart)["defaultAirflow"][version]
    return default


@functools.cache
def values_schema(version: str) -> dict[str, Any]:
    """The official chart's values.schema.json at `version`, as published."""
    import gzip

    schema: dict[str, Any] = json.loads(gzip.decompress((FOLDER / schema_name(version)).read_bytes()))
    return schema


@functools.cache
def _facts(chart: str) -> dict[str, Any]:
    facts: dict[str, Any] = json.loads((FOLDER / facts_name(chart)).read_text(encoding="utf-8"))
    return facts


@functools.cache
def _tree(chart: str, version: str) -> dict[str, str]:
    facts = _facts(chart)
    versions: list[str] = facts["versions"]
    if version not in versions:
        raise ValueError(f"no facts of the {chart} chart {version}")
    order = {release: index for index, release in enumerate(versions)}
    tree = {}
    for path, spans in facts["keys"].items():
        for kind, first, last in spans:
            if order[first] <= order[version] <= order[last]:
                tree[path] = kind
                break
    return tree
