"""What a spec is compared against: a directory written by `render -o`, `helm get values -o yaml`,
`aws mwaa get-environment`, or `aws ssm get-parameters-by-path --with-decryption`.

Keys the platform adds and the spec does not manage are left out of the comparison: MWAA's read-only
fields (Arn, Status, WebserverUrl, CreatedAt, LastUpdate, ServiceRoleArn, CeleryExecutorQueue, the VPC
endpoint services, each log's CloudWatchLogGroupArn, ...) and the S3 object versions and
WorkerReplacementStrategy that the template takes as parameters, and every property the stack fills
(a parameter, an import, a role or security group the template makes); SSM's Version, ARN, DataType and
LastModifiedDate, and parameters outside the spec's two prefixes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from pathlib import Path as FilePath
from typing import Any

from airflowspec.diagnostics import Diagnostic, error
from airflowspec.diff.compare import Path
from airflowspec.diff.impact import PROPERTIES
from airflowspec.document import YamlMap
from airflowspec.inputs import Folder, InputProblem, is_directory, read_file, read_folder
from airflowspec.loader import load_bytes
from airflowspec.spec import Spec
from airflowspec.targets import TARGETS, Artifact
from airflowspec.targets.mwaa.ssm_parameters import placeholder, ssm_parameters

#: Properties that are gone when the spec leaves them out (the others fall back to MWAA's defaults).
_REMOVABLE = ("KmsKey", "PluginsS3Path", "RequirementsS3Path", "StartupScriptS3Path", "Tags")
FromSecret = Callable[[Path], bool]


class ReadProblem(Exception):
    """An input that cannot be read or is not one of the known forms: one located diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _problem(file: str, message: str, code: str = "AS600", hint: str = "") -> ReadProblem:
    return ReadProblem(dataclasses.replace(error(code, message, hint=hint), file=file))


def _input_problem(problem: InputProblem, file: str) -> ReadProblem:
    return _problem(file, problem.message, problem.code, problem.hint)


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
    """What `--against` names: a directory written by `render -o`, or one file (`-` for standard input)."""
    file = str(path)
    try:
        if is_directory(path):
            return _rendered(path, target)
        data = read_file(path)
    except InputProblem as problem:
        raise _input_problem(problem, file) from None
    if data.startswith(b"USER-SUPPLIED VALUES:"):  # `helm get values` without `-o yaml`; kept as a comment
        data = b"#" + data
    document = read_document(data, file)
    if str(document.get("apiVersion", "")).startswith("airflowspec/"):
        raise _problem(file, "is a spec: to compare two specs, give it as NEW, without --against")
    if isinstance(document.get("Environment"), dict):
        _expect(target, "mwaa", file)
        return LiveInput("mwaa-environment", document["Environment"], ("template.yaml",))
    if isinstance(document.get("Parameters"), list):
        _expect(target, "mwaa", file)
        return LiveInput("ssm-parameters", document["Parameters"], ("ssm-parameters.json",))
    _expect(target, "eks", file)
    return LiveInput("helm-values", document, ("values.yaml",))


def _rendered(path: FilePath, target: str) -> LiveInput:
    names = TARGETS[target].files
    try:
        found = read_folder(Folder(path), names)
    except InputProblem as problem:
        raise _input_problem(problem, str(path / problem.name)) from None
    if not found:
        message = f"holds none of the files `render --target {target}` writes ({', '.join(names)})"
        raise _problem(str(path), message)
    data = {name: read_artifact(text, name, str(path / name)) for name, text in found.items()}
    return LiveInput("rendered", data, tuple(data))


def _mwaa_pair(environment: dict[str, Any], template: dict[str, Any]) -> tuple[Any, Any, Path, FromSecret]:
    properties = template["Resources"]["Environment"]["Properties"]
    unknown = {key for key, value in properties.items() if _resolved_at_deploy(value)}
    desired = {
        key: value for key, value in properties.items() if key not in unknown and key != "WorkerReplacementStrategy"
    }
    environment = dict(environment)
    if isinstance(environment.get("Tags"), dict):  # `aws:` tags are AWS's own; no template sets them
        environment["Tags"] = {k: v for k, v in environment["Tags"].items() if not str(k).startswith("aws:")}
    deployed = {key: environment[key] for key in desired if key in environment}
    gone = [key for key in _REMOVABLE if key not in desired and key not in unknown]
    deployed |= {key: environment[key] for key in gone if environment.get(key)}
    logging = deployed.get("LoggingConfiguration")
    if isinstance(logging, dict):
        deployed["LoggingConfiguration"] = {
            module: {k: v for k, v in settings.items() if k != "CloudWatchLogGroupArn"}
            for module, settings in logging.items()
            if isinstance(settings, dict)
        }
    return deployed, desired, PROPERTIES, _never


def _resolved_at_deploy(value: Any) -> bool:
    """Whether a property holds a function (`Ref` to a parameter, `Fn::ImportValue`, `Fn::GetAtt` of a
    made role or group...): CloudFormation gives it its value, which the template does not hold."""
    if isinstance(value, dict):
        functions = len(value) == 1 and all(key == "Ref" or key.startswith("Fn::") for key in value)
        return functions or any(_resolved_at_deploy(item) for item in value.values())
    if isinstance(value, list):
        return any(_resolved_at_deploy(item) for item in value)
    return False


def _ssm_pair(spec: Spec, listed: list[Any], environ: Mapping[str, str]) -> tuple[Any, Any, Path, FromSecret]:
    mwaa = spec.targets.mwaa
    assert mwaa is not None  # the mwaa rules report a missing block before rendering
    prefixes = tuple(prefix.rstrip("/") + "/" for prefix in (mwaa.ssm.connections_prefix, mwaa.ssm.variables_prefix))

    def reveal(ref: Any) -> str:
        """The secret's value where its env source is set; its placeholder, which never matches, if not."""
        variable = spec.secrets[ref.secret].env
        return (environ.get(variable) if variable else None) or placeholder(ref)

    in_ssm = mwaa.secrets_backend == "ssm"  # a spec that chose Secrets Manager wants nothing in SSM
    resolved = {"parameters": [p.as_json() for p in ssm_parameters(spec, mwaa, reveal)] if in_ssm else []}
    shown = {"parameters": [p.as_json() for p in ssm_parameters(spec, mwaa)] if in_ssm else []}
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

    if mwaa is not None and mwaa.secrets_backend == "ssm":
        ssm_parameters(spec, mwaa, record)
    sources = ((name, spec.secrets[name].env or "") for name in used)
    return [(name, variable) for name, variable in sources if not environ.get(variable)]


def _never(path: Path) -> bool:
    return False


def _expect(target: str, wanted: str, file: str) -> None:
    if target != wanted:
        raise _problem(file, f"holds {wanted} output, but the target is {target}")


def read_document(data: bytes, file: str) -> YamlMap:
    """A YAML or JSON mapping from a file airflowspec did not write, within the loader's limits."""
    loaded = load_bytes(data, file, noun="file")
    if loaded.document is None:
        raise ReadProblem(loaded.diagnostics[0])
    return loaded.document


#: Rendered files compared line by line: requirements.txt, startup.sh.
TEXT_FILES = (".txt", ".sh")


def parse_artifact(text: str, artifact: str) -> Any:
    """A file as airflowspec renders it, as data (requirements.txt and startup.sh as their text); a store's file
    (ssm-parameters.json, secretsmanager-secrets.json) without its note."""
    if artifact.endswith(TEXT_FILES):
        return text
    if artifact.endswith(".json"):
        return _parameters_only(json.loads(text))
    return read_document(text.encode("utf-8"), artifact)


def read_artifact(data: bytes, artifact: str, file: str) -> Any:
    """A rendered file someone may have edited: parsed within the loader's limits, or a ReadProblem."""
    if not artifact.endswith(TEXT_FILES):
        document = read_document(data, file)
        return _parameters_only(document) if artifact.endswith(".json") else document
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _problem(file, f"byte 0x{data[exc.start]:02x} is not valid UTF-8", "AS002") from None


def _parameters_only(data: Any) -> Any:
    """The list of a store's file (`parameters` for SSM, `entries` for Secrets Manager), without its note."""
    if isinstance(data, dict) and (found := [key for key in ("parameters", "entries") if key in data]):
        return {key: data[key] for key in found}
    return data
