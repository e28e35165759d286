"""Community-chart rules for secrets: where EKS reads them, and how the chart passes them on."""

from __future__ import annotations

from collections.abc import Iterator

from airflowspec.diagnostics import Diagnostic, SpecPath, error, warning
from airflowspec.spec import EksTarget, SecretRef, Spec
from airflowspec.spec.walk import secret_references
from airflowspec.targets.eks import community_chart as chart

EKS: SpecPath = ("targets", "eks")
_TEMPLATES_BY_SECTION = {"connections": "airflow.connectionsTemplates", "variables": "airflow.variablesTemplates"}


def check_sources(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    owners: dict[str, str] = {}
    for _path, ref in secret_references(spec):
        secret = spec.secrets.get(ref.secret)
        if secret is None or ref.secret in owners:
            continue
        name = chart.template_name(ref.secret)
        if secret.kubernetes is None:
            yield error(
                "AS308",
                f"secret '{ref.secret}' has no `kubernetes` source, which EKS reads it from",
                ("secrets", ref.secret),
                "add `kubernetes: {name: SECRET, key: KEY}`",
                on_key=True,
            )
        clash = next((other for other, taken in owners.items() if taken == name), None)
        if clash:
            yield error(
                "AS309",
                f"secrets '{clash}' and '{ref.secret}' both become the chart template ${{{name}}}",
                ("secrets", ref.secret),
                "rename one of them",
                on_key=True,
            )
        owners[ref.secret] = name


def check_chart_keys(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    for path, _ref in secret_references(spec):
        key = _TEMPLATES_BY_SECTION.get(str(path[0]))
        if path[:4] == (*EKS, "database", "user"):
            key = "externalDatabase.userSecret"
        if key and not chart.has_key(eks.effective_chart_version(), key):
            yield error(
                "AS310",
                f"chart {eks.effective_chart_version()} has no `{key}` (added in {chart.KEY_ADDED_IN[key]}), "
                "so this secret cannot be passed",
                path,
                f"use chartVersion {chart.DEFAULT_CHART_VERSION}",
            )


def check_extra_secrets(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    """The chart pastes a secret into `extra`'s JSON text as is: quotes, backslashes or newlines break it."""
    for conn_id, connection in spec.connections.items():
        for key, value in (connection.extra or {}).items():
            if isinstance(value, SecretRef):
                yield warning(
                    "AS324",
                    f"the chart pastes secret '{value.secret}' into extra's JSON unescaped",
                    ("connections", conn_id, "extra", key),
                    "its value must hold no quote, backslash or newline (mind a trailing newline in the Secret)",
                )
