"""What both charts' values importers share: where the spec is built, secrets by their Kubernetes Secret,
volumes and their mounts, and reading untrusted values defensively (a wrong shape is skipped, for
`importing.residual` to carry or report)."""

from __future__ import annotations

import json
from typing import Any

from airflowspec.importing import Imported


class ValuesReader:
    def __init__(self, source: str, into: Imported) -> None:
        self.source, self.into = source, into
        self.eks = into.at("targets", "eks")

    def secret(self, name: str, key: str, label: str) -> dict[str, str]:
        """A reference to the secret in Kubernetes Secret `name`, key `key`: declared under `secrets:`."""
        secrets = self.into.at("secrets")
        for existing, where in secrets.items():
            if where.get("kubernetes") == {"name": name, "key": key}:
                return {"secret": existing}
        secrets[label] = {"kubernetes": {"name": name, "key": key}}
        return {"secret": label}

    def volumes(self, volumes: Any, mounts: Any) -> None:
        by_name = {m.get("name"): m for m in mounts if isinstance(m, dict)} if isinstance(mounts, list) else {}
        for volume in volumes if isinstance(volumes, list) else ():
            mount = by_name.get(volume.get("name")) if isinstance(volume, dict) else None
            if mount is None:
                continue
            spec: dict[str, Any] = {}
            if isinstance(volume.get("persistentVolumeClaim"), dict):
                spec["claim"] = volume["persistentVolumeClaim"].get("claimName")
            elif isinstance(volume.get("secret"), dict):
                spec["secret"] = files(volume["secret"], "secretName")
            elif isinstance(volume.get("configMap"), dict):
                spec["configMap"] = files(volume["configMap"], "name")
            else:
                continue
            spec["mountPath"] = mount.get("mountPath")
            spec |= {key: mount[key] for key in ("subPath", "readOnly") if key in mount}
            self.into.at("volumes")[str(volume["name"])] = spec


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def files(source: dict[str, Any], name_key: str) -> dict[str, Any]:
    found: dict[str, Any] = {"name": source.get(name_key)}
    if isinstance(source.get("items"), list):
        found["items"] = [{"key": i.get("key"), "path": i.get("path")} for i in source["items"] if isinstance(i, dict)]
    return found


def parsed_json(text: str) -> Any:
    """The JSON value `text` holds; None when it holds none."""
    try:
        return json.loads(text)
    except ValueError:
        return None


def json_or_text(value: Any, separators: tuple[str, str] = (", ", ": ")) -> Any:
    """A variable held as JSON text, as the mapping or list the spec writes it as, when the compiler would
    write that data back as the same text (with `separators`: the charts' `json.dumps` default, the
    stores' compact form); anything else as it is."""
    if not isinstance(value, str) or not value.startswith(("{", "[")):
        return value
    parsed = parsed_json(value)
    same = json.dumps(parsed, ensure_ascii=False, separators=separators) == value
    return parsed if same and isinstance(parsed, (dict, list)) else value
