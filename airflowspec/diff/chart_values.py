"""What a Helm release installs from a values file: the chart's defaults under the values given.

`diff --against` compares that on both sides (the spec's render and the deployed values), so that a live
value equal to the chart's default, or one the render leaves to the chart, is no change; a value the
spec no longer sets shows as a change to the chart's default. The defaults are those of the spec's
chart and `chartVersion` (`airflowspec.data.chart_defaults`).
"""

from __future__ import annotations

from typing import Any

from airflowspec.data.chart_defaults import chart_defaults
from airflowspec.spec import EksTarget, Spec


def defaults_of(spec: Spec) -> dict[str, Any] | None:
    """The defaults of the spec's chart release; None when airflowspec holds none for it."""
    eks = spec.targets.eks or EksTarget()
    return chart_defaults(eks.chart, eks.effective_chart_version())


def unknown_defaults(spec: Spec) -> str:
    """Why values equal to the chart's defaults may show as changes: the release airflowspec has none of."""
    eks = spec.targets.eks or EksTarget()
    return f"the {eks.chart} chart {eks.effective_chart_version()}"


def installed(values: Any, defaults: Any) -> Any:
    """`values` over `defaults`, as Helm coalesces them: mappings merged key by key, any other value (a list
    too) in place of the default, and null removing the key. Nulls left by the chart are dropped too, so
    that a key set to null and a key left out compare equal."""
    if not isinstance(values, dict):
        return values
    base = defaults if isinstance(defaults, dict) else {}
    merged: dict[str, Any] = {}
    for key, value in values.items():
        if value is not None:
            merged[key] = installed(value, base.get(key))
    for key, default in base.items():
        if key not in values and default is not None:
            merged[key] = installed(default, None)
    return merged
