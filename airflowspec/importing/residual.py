"""Everything of a chart's values that the imported spec does not say, carried or reported.

The imported spec is rendered and both sides are compared as installed (over the chart release's
defaults, so a value equal to its default is no difference). A difference at a key no spec field owns
goes to `targets.eks.values` as the input has it; one at an owned key, or a secret's value, is reported
by its path — never with its value.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from airflowspec import api
from airflowspec.diff.chart_values import defaults_of, installed
from airflowspec.diff.compare import MISSING, compare, format_path
from airflowspec.importing import Imported
from airflowspec.sensitive import is_sensitive_name
from airflowspec.targets.eks.values_owned import COMMUNITY_OWNED, OFFICIAL_OWNED


def carry_the_rest(values: dict[str, Any], source: str, into: Imported) -> None:
    """Compare `values` with what `into` renders; carry or report each difference."""
    rendered = _rendered(into)
    if rendered is None:
        into.not_carried(source, "(all)", "the imported spec does not render for EKS: see its diagnostics")
        return
    spec, values_rendered = rendered
    defaults = defaults_of(spec) or {}
    chart = (spec.targets.eks.chart if spec.targets.eks else "community") or "community"
    owned = COMMUNITY_OWNED if chart == "community" else OFFICIAL_OWNED
    passthrough: dict[str, Any] = {}
    for difference in compare(installed(values_rendered, defaults), installed(values, defaults)):
        keys = _keys(difference.path)
        dotted = ".".join(keys)
        if any(dotted == key or dotted.startswith(key + ".") or key.startswith(dotted + ".") for key in owned):
            into.not_carried(source, format_path(difference.path), "differs from what the imported spec renders")
        elif difference.new is MISSING:
            into.not_carried(source, format_path(difference.path), "the chart's default, which the spec cannot ask for")
        elif is_sensitive_name(keys[-1]) and isinstance(_at(values, keys), str):
            into.not_carried(source, dotted, "a secret's value: put it in a Kubernetes Secret")
        else:
            _put(passthrough, keys, _at(values, keys))
    if passthrough:
        into.at("targets", "eks")["values"] = passthrough


def _rendered(into: Imported) -> tuple[Any, dict[str, Any]] | None:
    from airflowspec.importing import spec_text

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "airflowspec.yaml"
        path.write_text(spec_text(into, None, "-"), encoding="utf-8")
        validation, artifacts = api.render(path, "eks")
    if not artifacts or validation.spec is None:
        return None
    from airflowspec.diff.live import parse_artifact

    return validation.spec, parse_artifact(artifacts[0].text, "values.yaml")


def _keys(path: tuple[Any, ...]) -> list[str]:
    """The mapping keys of a difference's path, up to the first list item (a list is carried whole)."""
    keys = []
    for part in path:
        if not isinstance(part, str):
            break
        keys.append(part)
    return keys or [str(path[0])]


def _at(values: Any, keys: list[str]) -> Any:
    for key in keys:
        values = values.get(key) if isinstance(values, dict) else None
    return values


def _put(tree: dict[str, Any], keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        tree = tree.setdefault(key, {})
    tree[keys[-1]] = value
