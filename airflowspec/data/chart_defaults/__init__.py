"""The charts' default values, for the chart versions airflowspec renders: what Helm installs where the
values given leave a key out. `diff --against` compares what each side installs, so that a live value
equal to the chart's default is no change.

One JSON file per chart release (`<chart>-<version>.json`, the chart's values.yaml as data, comments
dropped), written by `python -m airflowspec.data.build_chart_defaults`; read on first use only.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from packaging.version import Version

#: The releases whose values.yaml airflowspec holds, oldest first.
TABLES = {
    "community": ("8.3.0", "8.5.0", "8.5.1", "8.5.2", "8.5.3", "8.6.0", "8.6.1", "8.7.0", "8.7.1", "8.8.0", "8.9.0"),
    "official": ("1.18.0", "1.19.0", "1.20.0", "1.21.0"),
}
_FOLDER = Path(__file__).resolve().parent


def table_name(chart: str, version: str) -> str:
    return f"{chart}-{version}.json"


def chart_defaults(chart: str, version: str) -> dict[str, Any] | None:
    """The defaults of `chart` at `version`; None when airflowspec holds no table that brackets it.

    A release between two tables (8.4.0, between 8.3.0 and 8.5.0) gets the defaults both tables agree
    on: a key whose default changed between them has none, so its live value shows as it did before."""
    known = TABLES.get(chart, ())
    if version in known:
        return _table(chart, version)
    older = [table for table in known if Version(table) < Version(version)]
    newer = [table for table in known if Version(table) > Version(version)]
    if not older or not newer:
        return None
    return _agreed(_table(chart, older[-1]), _table(chart, newer[0]))


@functools.cache
def _table(chart: str, version: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_FOLDER / table_name(chart, version)).read_text(encoding="utf-8"))
    return data


def _agreed(one: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    agreed = {}
    for key, value in one.items():
        if key not in other:
            continue
        if isinstance(value, dict) and isinstance(other[key], dict):
            agreed[key] = _agreed(value, other[key])
        elif value == other[key]:
            agreed[key] = value
    return agreed
