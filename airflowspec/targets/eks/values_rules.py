"""`targets.eks.values`: Helm values for what the spec cannot say, merged over the rendered values last.

They are the chart's own values, written as the chart takes them (its `tpl` applies where it applies),
and checked against the chart release the spec names, each problem at its key:
- AS390 a key the spec sets (values_owned.OWNED), naming the field to set instead;
- AS391 a key the release does not have (community: the key tree of its values.yaml; official: a top-level
  key, and any key its values.schema.json does not allow), with the closest one;
- AS392 a value of another shape than the key's default (community);
- AS393 what the official chart's values.schema.json refuses, in words;
- AS394 a `{secret: NAME}`, which values.yaml would hold as a mapping, not a secret;
- AS395 a key that holds a secret's value (values_owned.SECRET_VALUES), which no file airflowspec writes holds.
Strings that reach manifests are checked for unprintable characters with the rest of the spec (AS300).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from packaging.version import Version

from airflowspec.data.chart_facts import versions_with
from airflowspec.diagnostics import Diagnostic, SpecPath, error, format_path
from airflowspec.schema_errors import did_you_mean
from airflowspec.spec import EksTarget, Spec
from airflowspec.spec.walk import secret_shaped
from airflowspec.targets.eks.values_keys import SHAPE_NAMES, key_problems
from airflowspec.targets.eks.values_owned import NO_USERS, OWNED, SECRET_VALUES

VALUES: SpecPath = ("targets", "eks", "values")


def merge_values(rendered: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`extra` over `rendered`: mappings merged key by key, any other value (a list, a null) in place."""
    merged = dict(rendered)
    for key, value in extra.items():
        old = merged.get(key)
        merged[key] = merge_values(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return merged


def check_values(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if not eks.values:
        return
    chart, version = eks.chart, eks.effective_chart_version()
    refused = [*_spec_keys(chart, eks.values, ()), *_secret_references(eks.values, ())]
    yield from refused
    taken = [diagnostic.path[len(VALUES) :] for diagnostic in refused]
    found = [*_unknown_keys(chart, version, eks.values)]
    if chart == "official":
        found += _schema(version, eks.values)
    yield from (problem for problem in found if not any(_within(problem.path[len(VALUES) :], t) for t in taken))


def _spec_keys(chart: str, values: Mapping[str, Any], path: tuple[str, ...]) -> Iterator[Diagnostic]:
    """AS390 and AS395: a key the spec sets or that holds a secret, or a value that replaces a key the spec sets."""
    for key, value in values.items():
        here = (*path, key)
        dotted = ".".join(here)
        refused = (*OWNED[chart], *SECRET_VALUES[chart])
        covering = next((k for k in refused if _within(here, tuple(k.split(".")))), None)
        below = [k for k in OWNED[chart] if k.startswith(dotted + ".")]
        if covering is not None:
            yield _refused(chart, covering, (*VALUES, *here))
        elif below and not isinstance(value, dict):
            fields = OWNED[chart][below[0]] or "the spec"
            message = f"`{dotted}` would replace `{below[0]}`, which airflowspec writes from the spec's {fields}"
            yield error("AS390", message, (*VALUES, *here), f"set the keys below `{dotted}` one by one", on_key=True)
        elif isinstance(value, dict):
            yield from _spec_keys(chart, value, here)


def _refused(chart: str, key: str, path: SpecPath) -> Diagnostic:
    if key in SECRET_VALUES[chart]:
        message = f"`{key}` holds a secret, and airflowspec writes no secret's value into a file"
        hint = f"keep it in a Kubernetes Secret: {SECRET_VALUES[chart][key]}"
        return error("AS395", message, path, hint, on_key=True)
    fields = OWNED[chart][key]
    if fields == NO_USERS:
        message = f"airflowspec writes `{key}` itself: it creates no user, so that no password is written into a file"
        return error("AS390", message, path, "create users with `airflow users create`", on_key=True)
    message = f"airflowspec writes `{key}` from the spec's {fields}"
    return error("AS390", message, path, f"set {fields} instead", on_key=True)


def _secret_references(node: Any, path: SpecPath) -> Iterator[Diagnostic]:
    """AS394: `{secret: NAME}` anywhere below `values`."""
    for where, name in secret_shaped(node, path):
        if isinstance(name, str):
            yield error(
                "AS394",
                f"`values` holds no secret references: values.yaml would hold `{{secret: {name}}}` as it is",
                (*VALUES, *where),
                "name the Kubernetes Secret in the chart's own key for it (`existingSecret`, `…SecretName`)",
            )


def _unknown_keys(chart: str, version: str, values: Mapping[str, Any]) -> Iterator[Diagnostic]:
    """AS391 and AS392 from the release's key tree; on the official chart only unknown top-level keys, which
    its schema lets through: the rest is the schema's."""
    for problem in key_problems(chart, version, values, depth=1 if chart == "official" else None):
        dotted, path = ".".join(problem.path), (*VALUES, *problem.path)
        if problem.expected is None:
            yield _unknown(chart, version, dotted, path, problem.path[-1], problem.siblings)
        elif chart == "community":  # the official chart's schema says it (AS393)
            shape = SHAPE_NAMES[problem.expected]
            message = f"{chart} chart {version} takes {shape} at `{dotted}`, not {problem.given}"
            yield error("AS392", message, path)


def _unknown(chart: str, version: str, dotted: str, path: SpecPath, key: str, known: tuple[str, ...]) -> Diagnostic:
    hint = _other_releases(chart, version, dotted) or did_you_mean(key, known) or "see the chart's values.yaml"
    return error("AS391", f"{chart} chart {version} has no key `{dotted}`", path, hint, on_key=True)


def _other_releases(chart: str, version: str, dotted: str) -> str | None:
    """Which releases have the key, when others do: `added in 1.19.0`, `removed in 8.4.0`."""
    having = [Version(release) for release in versions_with(chart, dotted)]
    if having and min(having) > Version(version):
        return f"added in {min(having)}: set `targets.eks.chartVersion` to {min(having)} or later"
    if having and max(having) < Version(version):
        return f"{chart} chart {max(having)} is the last release that has it"
    return None


def _schema(version: str, values: dict[str, Any]) -> list[Diagnostic]:
    """AS391 and AS393 from the official chart's values.schema.json."""
    from airflowspec.targets.eks.official_schema import schema_problems

    found = []
    for problem in schema_problems(version, values):
        path, dotted = (*VALUES, *problem.path), format_path(problem.path)
        if problem.unknown:
            found.append(_unknown("official", version, dotted, path, str(problem.path[-1]), problem.known))
        else:
            message = f"official chart {version} refuses `{dotted}`: it {problem.message}"
            found.append(error("AS393", message, path))
    return found


def _within(path: tuple[object, ...], prefix: tuple[object, ...]) -> bool:
    return path[: len(prefix)] == prefix
