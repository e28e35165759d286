"""What a change costs on the platform, from deterministic rules: one note per change that has one.

Sources: reference/mwaa.md §5 (which MWAA changes replace or update the environment) and the charts'
templates (which values roll which pods, and what the sync Deployments re-apply).
"""

from __future__ import annotations

from typing import Any

from packaging.version import InvalidVersion, Version

from airflowspec.diff.compare import MISSING, Path
from airflowspec.package_indexes import PIP_EXTRA_INDEX_URL, PIP_INDEX_URL

PROPERTIES: Path = ("Resources", "Environment", "Properties")

MWAA_REPLACE = (
    "replaces the MWAA environment: a new one with an empty metadata database (run history lost) and a new URL"
)
MWAA_UPDATE = "updates the MWAA environment in place: 10-30 minutes while schedulers, web servers and workers restart"
MWAA_WORKERS = {
    "FORCED": "; workers are replaced FORCED: running tasks stop",
    "GRACEFUL": "; workers are replaced GRACEFUL: running tasks may finish (up to 12 hours)",
}
MWAA_REQUIREMENTS = (
    "takes effect only with a new S3 object version: upload it, then deploy with its version as "
    "RequirementsS3ObjectVersion (an environment update of 10-30 minutes, rolled back if pip fails)"
)
MWAA_STARTUP = (
    "takes effect only with a new S3 object version: upload it, then deploy with its version as "
    "StartupScriptS3ObjectVersion (an environment update)"
)
MWAA_STARTUP_RETIRED = (
    "the spec renders no startup script now: the template drops StartupScriptS3Path (an environment update), "
    "and MWAA stops running it; the file can then be deleted from the bucket"
)
MWAA_SSM = "rewrites an SSM parameter at `ssm push`; no environment update: Airflow reads it at next use"
MWAA_SSM_REMOVED = (
    "`ssm push --prune` deletes it (only if it carries this environment's airflowspec:environment tag); "
    "no environment update"
)
MWAA_SECRETS_MANAGER = (
    "rewrites a secret in Secrets Manager at `secrets push`; no environment update: Airflow reads it at next use"
)
MWAA_SECRETS_MANAGER_REMOVED = (
    "`secrets push --prune` deletes it (only if it carries this environment's airflowspec:environment tag; "
    "Secrets Manager keeps it restorable for 30 days); no environment update"
)
MWAA_STORE_LEFT = (
    "Airflow stops reading it: the spec keeps connections and variables in the other store now; no push "
    "deletes it here, so delete it once the environment reads the new store"
)
#: A store's rendered file: what a change of an entry does, and what a removal does.
_STORES = {
    "ssm-parameters.json": (MWAA_SSM, MWAA_SSM_REMOVED),
    "secretsmanager-secrets.json": (MWAA_SECRETS_MANAGER, MWAA_SECRETS_MANAGER_REMOVED),
}
MWAA_NO_EFFECT = "no effect on the environment"
MWAA_NEW_MAJOR = (
    "MWAA moves between Airflow 2 and 3 in place only at 2.11: create a new environment and migrate "
    "(or go through 2.11)"
)

EKS_SYNC = (
    "the chart's sync Deployment re-applies it within a minute; no pod restarts "
    "(one removed from the spec stays in Airflow)"
)
EKS_PIP = (
    "every pod that runs pip restarts and installs the new set at start: scheduler, web server, workers, triggerer, "
    "flower and the chart's sync and migration pods (KubernetesExecutor task pods at their next start); "
    "a set that does not install keeps them from starting"
)
EKS_OFFICIAL_PIP = (
    "every Airflow container restarts and pip-installs the new set at start (_PIP_ADDITIONAL_REQUIREMENTS): "
    "scheduler, API server or web server, DAG processor, triggerer, workers and task pods; "
    "a set that does not install keeps them from starting"
)
EKS_COMMUNITY_PODS = "restarts the scheduler, webserver, worker and triggerer pods"
EKS_OFFICIAL_PODS = "restarts the scheduler, API server or webserver, DAG processor, triggerer and worker pods"
EKS_MIGRATION = "; the chart runs the database migration job first"

#: The notes that stop, restart or replace something: a reviewer should look at these first.
DISRUPTIVE = (
    *(MWAA_REPLACE, MWAA_UPDATE, "a new object version", MWAA_NEW_MAJOR, MWAA_REQUIREMENTS),
    *(EKS_PIP, EKS_OFFICIAL_PIP, EKS_COMMUNITY_PODS, EKS_OFFICIAL_PODS, MWAA_STARTUP),
)
#: The notes of a change to the set of packages: `diff` adds whether `packages resolve` resolved the new set.
PACKAGE_NOTES = (EKS_PIP, EKS_OFFICIAL_PIP, MWAA_REQUIREMENTS)

_REPLACING = {"Name", "KmsKey", "EndpointManagement"}
_COMMUNITY_SYNCED = {"connections", "variables", "pools", "connectionsTemplates", "variablesTemplates"}
_PIP_KEYS = {"extraPipPackages", "_PIP_ADDITIONAL_REQUIREMENTS"}
#: The variables that tell pip what and where from: an env list's items, as a path names them.
_PIP_VARIABLES = {("name", name) for name in ("_PIP_ADDITIONAL_REQUIREMENTS", PIP_INDEX_URL, PIP_EXTRA_INDEX_URL)}


def impact(
    target: str,
    chart: str,
    artifact: str,
    path: Path,
    strategy: str | None,
    values: tuple[Any, Any] = (None, None),
    store: str = "ssm-parameters.json",
) -> str:
    """The note for a change of `values` (old, new; MISSING where none) at `path` of `artifact`.

    `strategy` is MWAA's WorkerReplacementStrategy in the new spec; `store`, the file of the store it chose.
    """
    removed = values[1] is MISSING
    if target == "mwaa" and artifact in _STORES and removed and len(path) == 2:
        return _STORES[artifact][1] if artifact == store else MWAA_STORE_LEFT
    if target == "mwaa" and path == (*PROPERTIES, "AirflowVersion") and _major_from_before_2_11(*values):
        return MWAA_NEW_MAJOR
    if target == "mwaa":
        return _mwaa(artifact, path, strategy)
    return _community(path) if chart == "community" else _official(path)


def _mwaa(artifact: str, path: Path, strategy: str | None) -> str:
    if artifact == "requirements.txt":
        return MWAA_REQUIREMENTS
    if artifact == "startup.sh":
        return MWAA_STARTUP
    if artifact in _STORES:
        return _STORES[artifact][0]
    update = MWAA_UPDATE + MWAA_WORKERS[strategy or "FORCED"]
    if path[:1] == ("Parameters",):
        return f"a new object version {update[0].lower()}{update[1:]}" if "Default" in path else MWAA_NO_EFFECT
    if path[:3] != PROPERTIES or len(path) < 4:
        return MWAA_NO_EFFECT
    prop = path[3]
    if prop in _REPLACING or path[3:5] == ("NetworkConfiguration", "SubnetIds"):
        return MWAA_REPLACE
    return update


def disruptive(note: str) -> bool:
    return note.startswith(DISRUPTIVE)


def _major_from_before_2_11(old: Any, new: Any) -> bool:
    """Between Airflow 2 before 2.11 and 3, either way: MWAA moves between 2 and 3 only at 2.11."""
    releases = sorted((_release(old), _release(new)))
    return (2, 0) <= releases[0] < (2, 11) and releases[1] >= (3,)


def _release(version: Any) -> tuple[int, ...]:
    try:
        return Version(str(version)).release
    except InvalidVersion:
        return ()


def _community(path: Path) -> str:
    if path[:1] == ("airflow",) and len(path) > 1 and path[1] in _COMMUNITY_SYNCED:
        return EKS_SYNC
    if any(part in _PIP_KEYS or part in _PIP_VARIABLES for part in path):
        return EKS_PIP
    return EKS_COMMUNITY_PODS


def _official(path: Path) -> str:
    if path[:1] == ("extraEnv",) or any(part in _PIP_KEYS or part in _PIP_VARIABLES for part in path):
        return EKS_OFFICIAL_PIP  # `extraEnv` holds only the package indexes' variables
    if path[:1] in (("airflowVersion",), ("images",)):
        return EKS_OFFICIAL_PODS + EKS_MIGRATION
    return EKS_OFFICIAL_PODS
