"""Rules for volumes and DAG sources that differ by chart: a claim the chart makes (only ever the DAG
volume, at `dags.path`), git-sync into a persistent volume, and the git-sync settings a chart version has.

Both charts make one claim of their own for DAGs (`dags.persistence` without `existingClaim`) and mount
it at `dags.path` themselves; any other volume they mount is one that already exists. The official chart
runs git-sync beside `dags.persistence` (in the scheduler or DAG processor, which write the repository
into the claim that every other pod mounts read-only); the community chart refuses the two together.
"""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import Version

from airflowspec.diagnostics import Diagnostic, SpecPath, error, warning
from airflowspec.spec import CreatedVolume, EksTarget, Spec
from airflowspec.targets.eks.kubernetes import clean_path

GIT = ("dags", "from", "git")
#: The community chart reads `dags.persistence.accessMode` to decide how pods mount the DAG claim, and
#: says pods fail to start with anything but these (values.yaml; 8.9.0's validate-values.tpl refuses
#: others, 8.3.0's does not yet).
COMMUNITY_DAG_ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany")
#: `dags.gitSync.maxFailures` came in community chart 8.3.0, but reached git-sync under a name it ignores
#: (GIT_SYNC_MAX_FAILURES) until 8.5.3 renamed it GIT_SYNC_MAX_SYNC_FAILURES (#462).
COMMUNITY_MAX_FAILURES_SINCE = "8.3.0"
COMMUNITY_MAX_FAILURES_WORKS_SINCE = "8.5.3"


def check_community(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    yield from _created_claims(spec, "community")
    for name, volume in spec.volumes.items():
        mode = volume.create.access_mode if isinstance(volume, CreatedVolume) else None
        if mode is not None and mode not in COMMUNITY_DAG_ACCESS_MODES:
            yield error(
                "AS234",
                f"the community chart mounts its DAG claim ReadOnlyMany or ReadWriteMany only, not {mode}",
                ("volumes", name, "create", "accessMode"),
                "use ReadWriteMany (EFS, for instance)",
            )
    source = spec.dags.from_
    if source is not None and source.git is not None and source.volume is not None:
        yield error(
            "AS235",
            "the community chart cannot git-sync into a volume: it refuses dags.gitSync beside dags.persistence",
            ("dags", "from", "volume"),
            "drop `volume` to git-sync into each pod, or use `targets.eks.chart: official`",
        )
    yield from _community_max_failures(spec, eks)
    yield from _community_made_claim_release(spec, eks)


def _community_made_claim_release(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    """Before 8.0.4 the worker StatefulSet calls the chart's volume helper without `.Release`, which the
    name of the claim the chart makes needs: `helm template` fails (fixed in 8.0.4)."""
    version = eks.effective_chart_version()
    if Version(version) >= Version("8.0.4"):
        return
    for name, volume in spec.volumes.items():
        if isinstance(volume, CreatedVolume):
            yield error(
                "AS239",
                f"community chart {version} cannot name the DAG claim it makes: its worker template fails",
                ("volumes", name, "create"),
                "set `targets.eks.chartVersion` to 8.0.4 or later, or use `claim:` with a claim made outside the chart",
                on_key=True,
            )


def check_official(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    yield from _created_claims(spec, "official")
    for name, volume in spec.volumes.items():
        if isinstance(volume, CreatedVolume) and volume.create.access_mode == "ReadWriteOnce":
            yield warning(
                "AS238",
                "a ReadWriteOnce claim mounts on one node only: Airflow pods scheduled on other nodes will not start",
                ("volumes", name, "create", "accessMode"),
                "use ReadWriteMany (EFS, for instance)",
            )
    source = spec.dags.from_
    if source is None or source.git is None or source.volume not in spec.volumes:
        return
    volume = spec.volumes[source.volume]
    # git-sync mounts the claim's root at /git; Airflow containers mount dags.persistence.subPath of it.
    where: SpecPath
    if volume.sub_path:
        where, hint = ("volumes", source.volume, "subPath"), "remove `subPath`"
    elif clean_path(volume.mount_path) != clean_path(spec.dags.path) and not isinstance(volume, CreatedVolume):
        where, hint = ("dags", "path"), f"set dags.path to {volume.mount_path}, where volume '{source.volume}' mounts"
    else:
        return
    yield error(
        "AS236",
        "the official chart's git-sync writes into the root of the DAG volume, so Airflow must mount that root at "
        "dags.path",
        where,
        hint,
    )


def _created_claims(spec: Spec, chart: str) -> Iterator[Diagnostic]:
    source = spec.dags.from_
    dag_volume = source.volume if source is not None else None
    for name, volume in spec.volumes.items():
        if not isinstance(volume, CreatedVolume):
            continue
        if name != dag_volume:
            yield error(
                "AS232",
                f"the {chart} chart makes a claim only for the DAG folder; volume '{name}' is not the DAG volume",
                ("volumes", name, "create"),
                "use `claim:` with a claim made outside the chart, or name the volume in `dags.from.volume`",
                on_key=True,
            )
        elif clean_path(volume.mount_path) != clean_path(spec.dags.path) and _is_under(
            spec.dags.path, volume.mount_path
        ):  # when dags.path is not inside the volume at all, AS204 says so
            yield error(
                "AS233",
                f"the {chart} chart mounts the claim it makes at dags.path ({spec.dags.path}), not at "
                f"{volume.mount_path}",
                ("volumes", name, "mountPath"),
                f"mount it at {spec.dags.path}, with `subPath` for a folder of the claim",
            )


def _community_max_failures(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    source = spec.dags.from_
    if source is None or source.git is None or source.git.max_failures is None:
        return
    version = eks.effective_chart_version()
    if Version(version) >= Version(COMMUNITY_MAX_FAILURES_WORKS_SINCE):
        return
    if Version(version) < Version(COMMUNITY_MAX_FAILURES_SINCE):
        message = f"community chart {version} has no git-sync maxFailures"
    else:
        message = (
            f"community chart {version} passes maxFailures to git-sync as GIT_SYNC_MAX_FAILURES, "
            "a name git-sync ignores"
        )
    yield error(
        "AS237",
        message,
        (*GIT, "maxFailures"),
        f"set `targets.eks.chartVersion` to {COMMUNITY_MAX_FAILURES_WORKS_SINCE} or later, or leave maxFailures out",
    )


def _is_under(path: str, root: str) -> bool:
    path, root = clean_path(path), clean_path(root)
    return path == root or path.startswith(root.rstrip("/") + "/")
