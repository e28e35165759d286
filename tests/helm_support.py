"""`helm template` with the real charts, and what the kubelet and the charts' sync pods then make of it.

Opt-in, since CI cannot fetch the charts: set AIRFLOWSPEC_HELM to a helm binary and AIRFLOWSPEC_CHARTS
to a folder with one chart folder per flavour and version:
- `community-8.9.0/`, `community-8.3.0/`: `charts/airflow` of airflow-helm/charts at tag
  `airflow-<version>`, with empty stand-in subcharts `postgresql` 8.6.4 and `redis` 10.5.7 in `charts/`;
- `official-1.21.0/`: `chart/` of apache/airflow at the 1.21.0 release commit, with an empty
  stand-in subchart `postgresql` 13.2.24.
Tests marked `requires_helm` skip without them.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

HELM = os.environ.get("AIRFLOWSPEC_HELM", "")
CHARTS = Path(os.environ.get("AIRFLOWSPEC_CHARTS", "/nonexistent"))

requires_helm = pytest.mark.skipif(
    not (HELM and CHARTS.is_dir()), reason="set AIRFLOWSPEC_HELM and AIRFLOWSPEC_CHARTS to run helm template"
)


def helm_template(values: str, chart: str, release: str, folder: Path, namespace: str = "airflow") -> list[Any]:
    """The manifests the chart folder `chart` (e.g. `community-8.9.0`) renders from `values`."""
    if not (CHARTS / chart).is_dir():
        pytest.skip(f"no {chart} under {CHARTS}")
    file = folder / "values.yaml"
    file.write_text(values, encoding="utf-8")
    command = [HELM, "template", release, str(CHARTS / chart), "--namespace", namespace, "--values", str(file)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return [doc for doc in YAML(typ="safe").load_all(result.stdout) if doc]


def pod_specs(manifests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every pod the manifests run, the KubernetesExecutor pod template included."""
    pods = [doc["spec"]["template"]["spec"] for doc in manifests if "template" in (doc.get("spec") or {})]
    for doc in manifests:
        for key, text in (doc.get("data") or {}).items() if doc["kind"] == "ConfigMap" else ():
            if key.startswith("pod_template") and key.endswith(".yaml"):
                pods.append(YAML(typ="safe").load(text)["spec"])
    return pods


def airflow_containers(manifests: list[dict[str, Any]], image: str) -> list[dict[str, Any]]:
    """Containers that run Airflow itself from the `image` repository (log groomers only share it)."""
    containers = [c for pod in pod_specs(manifests) for c in pod.get("containers") or []]
    return [
        container
        for container in containers
        if str(container.get("image", "")).startswith(f"{image}:")
        and not container["name"].endswith(("log-groomer", "log-cleanup"))
    ]


def sync_wrappers(manifests: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """Evaluate `VAR__<KIND>_WRAPPERS = {...}` of the community chart's sync script, wrappers as dicts."""
    for doc in manifests:
        if doc["kind"] != "Secret":
            continue
        for value in (doc.get("data") or {}).values():
            script = base64.b64decode(value).decode("utf-8")
            found = re.search(rf"^VAR__{kind}_WRAPPERS = (\{{.*?^\}})$", script, re.MULTILINE | re.DOTALL)
            if found:
                wrapper = f"{kind.title()}Wrapper"
                return eval(found.group(1), {"__builtins__": {}, wrapper: dict, "False": False, "True": True})  # type: ignore[no-any-return]
    return {}


def kubernetes_env(container: dict[str, Any], secrets: dict[tuple[str, str], str]) -> dict[str, str]:
    """The container's environment as the kubelet builds it: secrets read, `$(NAME)` expanded, `$$` -> `$`."""
    env: dict[str, str] = {}
    names = [item["name"] for item in container.get("env") or []]
    assert len(names) == len(set(names)), (container["name"], sorted(n for n in names if names.count(n) > 1))
    for item in container.get("env") or []:
        source = (item.get("valueFrom") or {}).get("secretKeyRef")
        if source is not None:
            env[item["name"]] = secrets.get((source["name"], source["key"]), "<not from the spec>")
        elif "value" in item:
            env[item["name"]] = expand(str(item["value"]), env)
    return env


def expand(text: str, env: dict[str, str]) -> str:
    """Kubernetes' third_party/forked/golang/expansion.Expand."""
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "$" and index + 1 < len(text) and text[index + 1] == "$":
            out.append("$")
            index += 2
        elif char == "$" and index + 1 < len(text) and text[index + 1] == "(" and ")" in text[index:]:
            end = text.index(")", index)
            name = text[index + 2 : end]
            out.append(env.get(name, f"$({name})"))
            index = end + 1
        else:
            out.append(char)
            index += 1
    return "".join(out)


#: Annotations that hash what a pod reads (they change with any byte of a config), not what it runs.
_CHECKSUM = re.compile(r"checksum/|^helm\.sh/")


def objects_summary(manifests: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """What a deployment runs, by (kind, name): each pod's containers (image, command, args, env,
    mounts, resources), volumes, replicas, node placement, service account and annotations, and each
    Secret's and ConfigMap's keys. Two values files that install the same thing give the same summary."""
    summary: dict[tuple[str, str], dict[str, Any]] = {}
    for doc in manifests:
        kind, metadata = doc["kind"], doc.get("metadata") or {}
        spec = doc.get("spec") or {}
        found: dict[str, Any] = {"annotations": _annotations(metadata)}
        if kind in ("Secret", "ConfigMap"):
            found["keys"] = sorted({**(doc.get("data") or {}), **(doc.get("stringData") or {})})
        if kind == "ServiceAccount":
            found["annotations"] = _annotations(metadata)
        template = spec.get("template") if isinstance(spec.get("template"), dict) else None
        if template is not None:
            pod = template.get("spec") or {}
            found |= {
                "replicas": spec.get("replicas"),
                "pod annotations": _annotations(template.get("metadata") or {}),
                "containers": {c["name"]: _container(c) for c in pod.get("containers") or []},
                "init containers": {c["name"]: _container(c) for c in pod.get("initContainers") or []},
                "volumes": sorted((v["name"], repr(sorted(v.items()))) for v in pod.get("volumes") or []),
                "placement": {key: pod.get(key) for key in ("nodeSelector", "affinity", "tolerations")},
                "service account": pod.get("serviceAccountName"),
            }
        summary[(kind, str(metadata.get("name")))] = found
    return summary


def _annotations(metadata: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in (metadata.get("annotations") or {}).items() if not _CHECKSUM.search(k)}


def _container(container: dict[str, Any]) -> dict[str, Any]:
    env = {e["name"]: e.get("value", repr(e.get("valueFrom"))) for e in container.get("env") or []}
    mounts = sorted((m["mountPath"], m["name"], m.get("subPath", "")) for m in container.get("volumeMounts") or [])
    return {
        "image": container.get("image"),
        "command": container.get("command"),
        "args": container.get("args"),
        "env": env,
        "mounts": mounts,
        "resources": container.get("resources"),
    }
