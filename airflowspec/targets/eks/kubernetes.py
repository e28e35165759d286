"""What both charts share because it is Kubernetes: paths as Go cleans them, which volumes go into
the pods beside the DAG mount, and names that must be environment-variable tokens."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from airflowspec.spec import ClaimVolume, ConfigMapVolume, CreatedVolume, KubernetesSecret, SecretRef, Spec, Volume

#: A Helm release name both charts can use: their Service names must start with a letter.
RELEASE_NAME = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?\Z")


def clean_path(path: str) -> str:
    """Go's path.Clean, which the charts use: unlike posixpath.normpath, `//x` becomes `/x`."""
    return posixpath.normpath(re.sub("/+", "/", path))


def mounted_volumes(spec: Spec) -> dict[str, Volume]:
    """Volumes to mount besides the DAG folder: all but a DAG volume mounted exactly at dags.path,
    which the chart's DAG persistence mounts already."""
    source = spec.dags.from_
    dag_volume = source.volume if source else None
    return {
        name: volume
        for name, volume in spec.volumes.items()
        if not (name == dag_volume and clean_path(volume.mount_path) == clean_path(spec.dags.path))
    }


def dag_persistence(spec: Spec, volume: Volume, storage_class_key: str) -> dict[str, Any]:
    """Both charts' `dags.persistence` for DAGs on a volume: its claim (an existing one, or one the chart
    makes, whose StorageClass each chart names with its own `storage_class_key`), with dags.path's place in it."""
    inside = posixpath.relpath(clean_path(spec.dags.path), clean_path(volume.mount_path))
    sub_path = posixpath.normpath(posixpath.join(volume.sub_path or "", inside))
    persistence: dict[str, Any] = {"enabled": True}
    if isinstance(volume, CreatedVolume):
        persistence["size"] = volume.create.size
        if volume.create.storage_class:
            persistence[storage_class_key] = volume.create.storage_class
    elif isinstance(volume, ClaimVolume):
        persistence["existingClaim"] = volume.claim
    if sub_path != ".":
        persistence["subPath"] = sub_path
    if isinstance(volume, CreatedVolume):
        persistence["accessMode"] = volume.create.access_mode
    else:
        persistence["accessMode"] = "ReadOnlyMany" if volume.read_only else "ReadWriteMany"
    return persistence


def token(name: str) -> str:
    """An environment-variable token for a name: `warehouse-password` -> `WAREHOUSE_PASSWORD`."""
    text = re.sub(r"[^A-Za-z0-9_]", "_", name).upper()
    return f"_{text}" if text[0].isdigit() else text


def pod_volumes(spec: Spec) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Kubernetes `volumes` and `volumeMounts` for the spec's volumes (those `mounted_volumes` keeps)."""
    mounted = mounted_volumes(spec)
    volumes = [{"name": name, **_volume_source(volume)} for name, volume in mounted.items()]
    mounts = []
    for name, volume in mounted.items():
        mount: dict[str, Any] = {"name": name, "mountPath": volume.mount_path}
        if volume.sub_path:
            mount["subPath"] = volume.sub_path
        if not isinstance(volume, CreatedVolume) and volume.read_only:
            mount["readOnly"] = True
        mounts.append(mount)
    return volumes, mounts


def _volume_source(volume: Volume) -> dict[str, Any]:
    """The Kubernetes volume source of a volume the pods mount (a claim the chart makes is the DAG
    volume, which the chart mounts itself; the rules refuse it anywhere else)."""
    if isinstance(volume, ClaimVolume):
        return {"persistentVolumeClaim": {"claimName": volume.claim}}
    if isinstance(volume, ConfigMapVolume):
        source: dict[str, Any] = {"name": volume.config_map.name}
        files, kind = volume.config_map, "configMap"
    else:
        assert not isinstance(volume, CreatedVolume)  # AS232/AS233
        source, files, kind = {"secretName": volume.secret.name}, volume.secret, "secret"
    if files.items:
        source["items"] = [{"key": item.key, "path": item.path} for item in files.items]
    return {kind: source}


def kubernetes_source(spec: Spec, ref: SecretRef) -> KubernetesSecret:
    """The Kubernetes Secret and key a referenced secret lives in."""
    source = spec.secrets[ref.secret].kubernetes
    assert source is not None  # each chart's rules report AS308 before anything compiles
    return source
