"""What a spec is compared against: a directory written by `render -o`, `helm get values -o yaml`,
`aws mwaa get-environment`, or `aws ssm get-parameters-by-path --with-decryption`.

Keys the platform adds and the spec does not manage are left out of the comparison: MWAA's read-only
fields (Arn, Status, WebserverUrl, CreatedAt, LastUpdate, ServiceRoleArn, CeleryExecutorQueue, the VPC
endpoint services, each log's CloudWatchLogGroupArn, ...) and the S3 object versions and
WorkerReplacementStrategy that the template takes as parameters; SSM's Version, ARN, DataType and
LastModifiedDate, and parameters outside the spec's two prefixes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from pathlib import Path as FilePath
from typing import Any

from ruamel.yaml import YAML

from airflowspec.diff.compare import Path
from airflowspec.diff.impact import PROPERTIES
from airflowspec.spec import Spec
from airflowspec.targets import TARGETS, Artifact
from airflowspec.targets.mwaa.ssm_parameters import placeholder, ssm_parameters

#: Properties that are gone when the spec leaves them out (the others fall back to MWAA's defaults).
_REMOVABLE = ("KmsKey", "PluginsS3Path", "StartupScriptS3Path", "Tags")
FromSecret = Callable[[Path], bool]


class ReadProblem(Exception):
    """The input to compare against cannot be read or is not one of the known forms."""


@dataclasses.dataclass(frozen=True)
class LiveInput:
    kind: str  # "rendered", "helm-values", "mwaa-environment", "ssm-parameters"
    data: Any
    artifacts: tuple[str, ...]

    @property
    def is_live(self) -> bool:
        return self.kind != "rendered"

    def pair(self, spec: Spec, artifact: Artifact, environ: Mapping[str, str]) -> tuple[Any, Any, Path, FromSecret]:
        """(deployed, desired, path prefix, where the desired side holds a resolved secret)."""
        if self.kind == "rendered":
            return self.data[artifact.path], parse_artifact(artifact.text, artifact.path), (), _never
        if self.kind == "helm-values":
            return self.data, parse_artifact(artifact.text, artifact.path), (), _never
        if self.kind == "mwaa-environment":
            return _mwaa_pair(self.data, parse_artifact(artifact.text, artifact.path))
        return _ssm_pair(spec, self.data, environ)


def read_live(path: FilePath, target: str) -> LiveInput:
    if path.is_dir():
        rendered = TARGETS[target].files
        files = {name: path / name for name in rendered if (path / name).is_file()}
        if not files:
            raise ReadProblem(f"holds none of the files `render --target {target}` writes ({', '.join(rendered)})")
        data = {name: _read_rendered(file) for name, file in files.items()}
        return LiveInput("rendered", data, tuple(data))
    text = _read_text(path)
    document = _parse(text, path)
    if isinstance(document, dict) and str(document.get("apiVersion", "")).startswith("airflowspec/"):
        raise ReadProblem("is a spec: to compare two specs, give it as NEW, without --against")
    if isinstance(document, dict) and isinstance(document.get("Environment"), dict):
        _expect(target, "mwaa", path)
        return LiveInput("mwaa-environment", document["Environment"], ("template.yaml",))
    if isinstance(document, dict) and isinstance(document.get("Parameters"), list):
        _expect(target, "mwaa", path)
        return LiveInput("ssm-parameters", document["Parameters"], ("ssm-parameters.json",))
    if isinstance(document, dict):
        _expect(target, "eks", path)
        return LiveInput("helm-values", document, ("values.yaml",))
    raise ReadProblem("is not rendered output, Helm values, `aws mwaa get-environment` or `aws ssm` JSON")


def _mwaa_pair(environment: dict[str, Any], template: dict[str, Any]) -> tuple[Any, Any, Path, FromSecret]:
    desired = {
        key: value
        for key, value in template["Resources"]["Environment"]["Properties"].items()
        if not (isinstance(value, dict) and "Ref" in value) and key != "WorkerReplacementStrategy"
    }
    environment = dict(environment)
    if isinstance(environment.get("Tags"), dict):  # `aws:` tags are AWS's own; no template sets them
        environment["Tags"] = {k: v for k, v in environment["Tags"].items() if not str(k).startswith("aws:")}
    deployed = {key: environment[key] for key in desired if key in environment}
    deployed |= {key: environment[key] for key in _REMOVABLE if key not in desired and environment.get(key)}
    logging = deployed.get("LoggingConfiguration")
    if isinstance(logging, dict):
        deployed["LoggingConfiguration"] = {
            module: {k: v for k, v in settings.items() if k != "CloudWatchLogGroupArn"}
            for module, settings in logging.items()
            if isinstance(settings, dict)
        }
    return deployed, desired, PROPERTIES, _never


def _ssm_pair(spec: Spec, listed: list[Any], environ: Mapping[str, str]) -> tuple[Any, Any, Path, FromSecret]:
    mwaa = spec.targets.mwaa
    assert mwaa is not None  # the mwaa rules report a missing block before rendering
    prefixes = tuple(prefix.rstrip("/") + "/" for prefix in (mwaa.ssm.connections_prefix, mwaa.ssm.variables_prefix))

    def reveal(ref: Any) -> str:
        """The secret's value where its env source is set; its placeholder, which never matches, if not."""
        variable = spec.secrets[ref.secret].env
        return (environ.get(variable) if variable else None) or placeholder(ref)

    resolved = {"parameters": [p.as_json() for p in ssm_parameters(spec, mwaa, reveal)]}
    shown = {"parameters": [p.as_json() for p in ssm_parameters(spec, mwaa)]}
    deployed = {
        "parameters": [
            {"name": item["Name"], "type": item.get("Type"), "value": item.get("Value")}
            for item in listed
            if isinstance(item, dict) and str(item.get("Name", "")).startswith(prefixes)
        ]
    }

    secure = {
        item["name"]
        for item in [*shown["parameters"], *deployed["parameters"]]
        if item["type"] == "SecureString" or "<secret:" in str(item["value"])
    }

    def from_secret(path: Path) -> bool:
        """Never shown: any part of a SecureString's value, or of a value built from a secret (decrypted
        content, a resolved secret). Paths look like ("parameters", ("name", NAME), "value", ...)."""
        named = path[1] if len(path) > 1 and isinstance(path[1], tuple) else None
        return named is not None and path[2:] != ("type",) and named[1] in secure

    return deployed, resolved, (), from_secret


def unset_secrets(spec: Spec, environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """(secret, env variable) for each secret in the SSM parameters whose source is unset or empty."""
    mwaa = spec.targets.mwaa
    used: dict[str, None] = {}

    def record(ref: Any) -> str:
        used[ref.secret] = None
        return placeholder(ref)

    if mwaa is not None:
        ssm_parameters(spec, mwaa, record)
    sources = ((name, spec.secrets[name].env or "") for name in used)
    return [(name, variable) for name, variable in sources if not environ.get(variable)]


def _never(path: Path) -> bool:
    return False


def _expect(target: str, wanted: str, path: FilePath) -> None:
    if target != wanted:
        raise ReadProblem(f"holds {wanted} output, but the target is {target}")


def _read_text(path: FilePath) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReadProblem("no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReadProblem(f"cannot read it: {exc}") from None


def _parse(text: str, path: FilePath) -> Any:
    # `helm get values` without `-o yaml` starts with a title line.
    text = text.removeprefix("USER-SUPPLIED VALUES:\n")
    try:
        document = _acyclic(YAML(typ="safe").load(text))
    except (ValueError, MemoryError) as exc:
        raise ReadProblem(f"cannot be compared: {_first_line(exc)}") from None
    except Exception as exc:  # ruamel's parser and constructor errors
        raise ReadProblem(f"is not YAML or JSON: {_first_line(exc)}") from None
    return document


def parse_artifact(text: str, artifact: str) -> Any:
    """A rendered file as data (requirements.txt as its text); ssm-parameters.json without its note."""
    if artifact.endswith(".txt"):
        return text
    if artifact.endswith(".json"):
        data = json.loads(text)
        return {"parameters": data["parameters"]} if isinstance(data, dict) and "parameters" in data else data
    return YAML(typ="safe").load(text)


def _read_rendered(file: FilePath) -> Any:
    return read_artifact(_read_text(file), file.name)


def read_artifact(text: str, artifact: str) -> Any:
    """A rendered file someone may have edited: parsed, or a ReadProblem that says why not."""
    try:
        data = _acyclic(parse_artifact(text, artifact))
    except Exception as exc:  # ruamel's, json's and recursion errors alike
        raise ReadProblem(f"{artifact} cannot be parsed: {_first_line(exc)}") from None
    return data


def _acyclic(data: Any) -> Any:
    """`data`, or ValueError when it holds itself (`a: &a [*a]`), which no comparison could walk."""
    json.dumps(data, default=str)
    return data


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]
