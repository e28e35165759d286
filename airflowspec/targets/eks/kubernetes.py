"""What both charts share because it is Kubernetes: paths as Go cleans them, which volumes go into
the pods beside the DAG mount, and names that must be environment-variable tokens."""

from __future__ import annotations

import posixpath
import re

from airflowspec.spec import Spec, Volume


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


def dag_sub_path(spec: Spec, volume: Volume) -> str:
    """Where dags.path is inside the volume's claim: its subPath plus the path below its mount."""
    inside = posixpath.relpath(clean_path(spec.dags.path), clean_path(volume.mount_path))
    return posixpath.normpath(posixpath.join(volume.sub_path or "", inside))


def token(name: str) -> str:
    """An environment-variable token for a name: `warehouse-password` -> `WAREHOUSE_PASSWORD`."""
    text = re.sub(r"[^A-Za-z0-9_]", "_", name).upper()
    return f"_{text}" if text[0].isdigit() else text
