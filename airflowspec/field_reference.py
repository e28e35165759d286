"""docs/spec.md: the field reference, generated from the models' schema. A test keeps it current."""

from __future__ import annotations

import json
from typing import Any

from airflowspec.schema_file import OVERLAY, schema

#: What a field becomes on each target: (community chart, official chart, MWAA). Fields under
#: `targets.eks` and `targets.mwaa` belong to one target and say it in their description.
BECOMES: dict[str, tuple[str, str, str]] = {
    "Spec.name": ("Helm release name", "Helm release name", "`Name`"),
    "Spec.airflow": ("see `airflow`", "see `airflow`", "see `airflow`"),
    "Airflow.version": (
        "`airflow.image.tag`",
        "`airflowVersion`, `images.airflow.tag`",
        "`AirflowVersion`, constraints URL",
    ),
    "Airflow.executor": ("`airflow.executor` (+ workers/flower/redis)", "`executor`", "CeleryExecutor only"),
    "Airflow.config": (
        "`airflow.config` as `AIRFLOW__S__O`",
        "`config.<section>.<option>`",
        "`AirflowConfigurationOptions`",
    ),
    "Spec.dags": ("`dags`", "`dags`", "`DagS3Path` in the bucket"),
    "Dags.path": ("`dags.path`", "`dags.mountPath`", "not used"),
    "Dags.from": (
        "`dags.persistence` or `dags.gitSync`",
        "`dags.persistence`, `dags.gitSync`, or both (git-sync into the claim)",
        "not used: DAGs come from the bucket",
    ),
    "Spec.packages": ("`airflow.extraPipPackages`", "refused, or `_PIP_ADDITIONAL_REQUIREMENTS`", "requirements.txt"),
    "Spec.packageIndex": (
        "`PIP_INDEX_URL` in `airflow.extraEnv` (chart 8.5.0+)",
        "`PIP_INDEX_URL` in `extraEnv`, credentials in `secret`",
        "`--index-url` in requirements.txt; with credentials, `PIP_INDEX_URL` from startup.sh",
    ),
    "Spec.extraPackageIndexes": (
        "`PIP_EXTRA_INDEX_URL` in `airflow.extraEnv` (chart 8.5.0+)",
        "`PIP_EXTRA_INDEX_URL` in `extraEnv`, credentials in `secret`",
        "`--extra-index-url` in requirements.txt; with credentials, `PIP_EXTRA_INDEX_URL` from startup.sh",
    ),
    "PackageIndex.username": (
        "in the URL; a secret as `$(AIRFLOWSPEC_PIP_..._USERNAME)` from the Secret",
        "in the URL; a secret as `$(AIRFLOWSPEC_PIP_..._USERNAME)` from the Secret",
        "in the URL; a secret read by startup.sh from the store",
    ),
    "PackageIndex.password": (
        "`$(AIRFLOWSPEC_PIP_..._PASSWORD)` from the Secret",
        "`$(AIRFLOWSPEC_PIP_..._PASSWORD)` from the Secret",
        "read by startup.sh: a CodeArtifact token, or the store's `/airflowspec/<name>/package-index/<secret>`",
    ),
    "Spec.volumes": (
        "`airflow.extraVolumes`/`extraVolumeMounts`",
        "`volumes`/`volumeMounts`",
        "not possible (warning)",
    ),
    "DagSource.volume": (
        "`dags.persistence`; refused beside `git`",
        "`dags.persistence`; beside `git`, with `dags.gitSync` writing into it",
        "not used: DAGs come from the bucket",
    ),
    "GitSource.maxFailures": (
        "`dags.gitSync.maxFailures` (chart 8.5.3 and later)",
        "`dags.gitSync.maxFailures`",
        "not used",
    ),
    "GitSource.depth": ("`dags.gitSync.depth`", "`dags.gitSync.depth`", "not used"),
    "CreatedVolume.create": (
        "`dags.persistence` `size`, `storageClass`, `accessMode` (ReadOnlyMany or ReadWriteMany)",
        "`dags.persistence` `size`, `storageClassName`, `accessMode`",
        "not used",
    ),
    "SecretVolume.secret": ("`airflow.extraVolumes` `secret`", "`volumes` `secret`", "not possible (warning)"),
    "ConfigMapVolume.configMap": (
        "`airflow.extraVolumes` `configMap`",
        "`volumes` `configMap`",
        "not possible (warning)",
    ),
    "Spec.variables": (
        "`airflow.variables` (+ `variablesTemplates`)",
        "`AIRFLOW_VAR_<KEY>` env",
        "SSM or Secrets Manager `<variablesPrefix>/<key>`",
    ),
    "Spec.connections": (
        "`airflow.connections` (+ `connectionsTemplates`); a secret part of `extra` refused; "
        "`{secret}`: `AIRFLOW_CONN_<ID>` in `extraEnv`",
        "`AIRFLOW_CONN_<ID>` env (JSON); a secret part refused; `{secret}`: read from the Secret",
        "SSM or Secrets Manager `<connectionsPrefix>/<id>` (JSON); `{secret}`: the secret's value",
    ),
    "Spec.pools": ("`airflow.pools`", "not possible (warning)", "not possible (warning)"),
    "Spec.acknowledge": ("not printed", "not printed", "not printed"),
    "Spec.environments": ("`rendered/ENV/eks/`", "`rendered/ENV/eks/`", "`rendered/ENV/mwaa/`"),
    "Spec.secrets": ("Kubernetes Secret references", "Kubernetes Secret references", "`env` read by `secrets push`"),
    "Secret.kubernetes": ("used", "used", "not used"),
    "Secret.env": ("not used", "not used", "read by `secrets push` (and `ssm push`)"),
    "EksTarget.jwtSecret": ("not used (Airflow 2 only)", "`jwtSecretName`, scheduler and API server env", "not used"),
    "EksTarget.pipInstallAtStart": (
        "not used: packages always install at start",
        "`_PIP_ADDITIONAL_REQUIREMENTS`",
        "not used",
    ),
    "ServiceAccount.name": (
        "`serviceAccount.name` (made by the chart with `roleArn`, else existing)",
        "every component's `serviceAccount.name` (made once with `roleArn`, else existing)",
        "not used",
    ),
}


def _executor_row(executor: str) -> tuple[str, str, str]:
    """Whether each target runs `executor`, from the targets' own tables."""
    from airflowspec.targets.eks import community_chart, official_chart

    community = "yes" if executor in community_chart.EXECUTORS else "no"
    if executor in official_chart.AIRFLOW_3_EXECUTORS:
        official = "yes"
    else:
        official = "Airflow 2 only" if executor in official_chart.EXECUTORS else "no"
    return community, official, "yes" if executor == "CeleryExecutor" else "no"


#: After the Spec's table: how `environments` merge, which the models cannot say.
ENVIRONMENTS = [
    "### Environments",
    "",
    "`environments: {NAME: {...}}` deploys one spec several times. Each environment is a partial spec laid",
    "over the rest of the file (the *base*); `--env NAME` chooses one for `validate`, `render`,",
    "`render --check`, `diff` and `secrets push`/`ssm push`. The merge rules, as Helm merges `-f` files:",
    "",
    "| the base has | the environment writes | the environment gets |",
    "|---|---|---|",
    "| a mapping | a mapping | both, key by key, the environment's value where both have a key (recursively) |",
    "| anything | a list or a value | the environment's: a list replaces the whole list |",
    "| anything | `null` | the key removed (its default, if it has one) |",
    "| nothing | anything | the environment's |",
    "",
    "`validate` without `--env` checks the base and every environment, each through the rules of the",
    "targets it declares, and names where each problem was found: `[base, dev]`, `[prod]`. A problem",
    "points at the line that supplied the value, in the base or in the environment. A name is a DNS",
    "label other than `base`, `eks` and `mwaa` (AS110). An environment cannot set `apiVersion` or",
    "`environments` (AS112); a key neither the base nor the schema knows is an error (AS101); a value",
    "equal to the base's (AS113) and a `null` for a key the base does not set (AS114) are warnings, as",
    "are two environments that deploy the same Helm release in one namespace or the same MWAA",
    "environment name (AS118). Commands that write or push refuse a spec with environments unless",
    "`--env` names one (AS116); an unknown name is AS115.",
    "Rendered files go to `rendered/ENV/TARGET/` (`rendered/NAME/ENV/TARGET/` beside",
    "`NAME.airflowspec.yaml`); `render --all` writes every environment, `render --check` checks each.",
    "",
]


def field_reference() -> str:
    document = schema()
    definitions: dict[str, Any] = document["definitions"]
    lines = [
        "# The airflowspec field reference",
        "",
        "Generated from the models by `python -m airflowspec.field_reference`; a test fails when it is stale.",
        "Targets: **community** (EKS, airflow-helm/charts 8.x), **official** (EKS, apache-airflow/airflow 1.x),",
        "**mwaa** (Amazon MWAA).",
        "",
    ]
    models = [(name, model) for name, model in sorted(definitions.items()) if not name.endswith(OVERLAY)]
    for name, model in [("Spec", document), *models]:
        lines += _model_section(name, model)
        if name == "Spec":
            lines += ENVIRONMENTS
    return "\n".join(lines).rstrip("\n") + "\n"


def _model_section(name: str, model: dict[str, Any]) -> list[str]:
    lines = (
        [f"## {name}", "", model.get("description", "").strip(), ""] if model.get("description") else [f"## {name}", ""]
    )
    if "enum" in model:
        lines += ["| value | community | official | mwaa |", "|---|---|---|---|"]
        lines += [f"| `{value}` | " + " | ".join(_executor_row(value)) + " |" for value in model["enum"]]
        return [*lines, ""]
    lines += ["| field | type | default | description | community | official | mwaa |", "|---|---|---|---|---|---|---|"]
    required = set(model.get("required", []))
    for field, spec in model.get("properties", {}).items():
        default = "required" if field in required else _code(spec.get("default"))
        becomes = BECOMES.get(f"{name}.{field}", _owner(name))
        cells = [f"`{field}`", _type(spec), default, _cell(spec.get("description", "")), *becomes]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _owner(model: str) -> tuple[str, str, str]:
    if model in ("EksTarget", "Image", "ServiceAccount", "Database", "Redis"):
        return ("used", "used", "not used")
    if model in (
        "MwaaTarget",
        "Network",
        "CreateSecurityGroup",
        "StackParameter",
        "StackImport",
        "Range",
        "Logging",
        "Ssm",
        "SecretsManager",
    ):
        return ("not used", "not used", "used")
    return ("", "", "")


def _type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return f"[{spec['$ref'].rsplit('/', 1)[-1]}](#{spec['$ref'].rsplit('/', 1)[-1].lower()})"
    if "enum" in spec:
        return " \\| ".join(f"`{value if isinstance(value, str) else json.dumps(value)}`" for value in spec["enum"])
    if set(spec.get("properties", {})) == {"secret"}:  # the secret reference, written out inline
        return "[SecretRef](#secretref)"
    if "anyOf" in spec:
        return " or ".join(_type(option) for option in spec["anyOf"] if option.get("type") != "null")
    if "oneOf" in spec:
        return " or ".join(_type(option) for option in spec["oneOf"])
    kind = spec.get("type", "any")
    if kind == "array":
        items = spec.get("items", {})
        return f"list of ({_type(items)})" if "oneOf" in items or "anyOf" in items else f"list of {_type(items)}"
    if kind == "object" and isinstance(spec.get("additionalProperties"), dict):
        return f"map of {_type(spec['additionalProperties'])}"
    return kind if isinstance(kind, str) else " or ".join(kind)


def _code(value: Any) -> str:
    return "—" if value is None else f"`{json.dumps(value, ensure_ascii=False)}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


if __name__ == "__main__":  # pragma: no cover - the way to regenerate docs/spec.md
    import sys

    sys.stdout.write(field_reference())
