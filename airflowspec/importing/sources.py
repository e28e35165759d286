"""Read each source, recognise it by its content (or take the kind `--from` names), and import it into
one spec.

Sources are taken in an order that lets each use what the one before found: chart values; the MWAA
template (or `get-environment`), for the store and its prefixes; requirements.txt, checked against the
Airflow version, and its index options; airflowspec's startup.sh, for the indexes that need credentials;
then the store's entries and Airflow's exports. Chart values are then compared with
what the imported spec renders (`importing.residual`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from airflowspec.diff.live import ReadProblem, read_document
from airflowspec.importing import Imported
from airflowspec.importing.community import import_community
from airflowspec.importing.entries import connection, import_entries, variable
from airflowspec.importing.indexes import import_startup_script, index_option
from airflowspec.importing.mwaa import import_environment, import_template
from airflowspec.importing.official import import_official
from airflowspec.importing.residual import carry_the_rest
from airflowspec.importing.values_reader import parsed_json
from airflowspec.inputs import InputProblem, read_file
from airflowspec.sensitive import is_sensitive_name

_CONSTRAINT = re.compile(r'--constraints?[ =]"?[^"\s]*constraints-(?P<version>[0-9][^/]*)/constraints-[0-9.]+\.txt"?\Z')


@dataclasses.dataclass(frozen=True)
class Source:
    file: str
    kind: str  # one of KINDS
    data: Any


_ORDER = (
    "community-values", "official-values", "mwaa-template", "mwaa-environment", "requirements",
    "startup-script", "store-rendered", "store-live", "connections-export", "variables-export",
)  # fmt: skip
#: airflowspec's own header of a rendered values.yaml: the chart release, the Helm release, the namespace.
_CHART_LINE = re.compile(
    r"# (?P<chart>Community|Official) chart \((?:airflow-helm/charts|apache-airflow/airflow)\) (?P<version>[0-9.]+)\. "
    r"Install with:\Z"
)
_INSTALL_LINE = re.compile(r"#   helm upgrade --install (?P<release>[a-z0-9][-a-z0-9]*) \S+ --version \S+ \\\Z")
_NAMESPACE_LINE = re.compile(r"#     --namespace (?P<namespace>[a-z0-9][-a-z0-9]*) --values \S+\Z")
#: What `--from` may name, for a source its content does not make plain.
KINDS = _ORDER


def read_sources(paths: Sequence[Path], kind: str | None = None) -> list[Source]:
    """Each path, read within the limits of every input and recognised (or taken as `kind`); ReadProblem
    when one cannot be."""
    return sorted((_read(path, kind) for path in paths), key=lambda source: _ORDER.index(source.kind))


def import_sources(sources: Sequence[Source], chart_version: str | None = None) -> Imported:
    """One spec from `sources`; `chart_version`: the chart release of values that do not name theirs."""
    files = [source.file for source in sources]
    into = Imported(spec={"apiVersion": "airflowspec/v1"}, sources=files, chart_version=chart_version)
    for source in sources:
        _IMPORTERS[source.kind](source, into)
    return into


def _read(path: Path, kind: str | None) -> Source:
    file = str(path)
    try:
        data = read_file(path)
    except InputProblem as problem:
        raise ReadProblem(dataclasses.replace(_error(problem.code, problem.message, problem.hint), file=file)) from None
    if kind == "requirements" or (kind is None and (path.name.endswith(".txt") or _looks_like_requirements(data))):
        return Source(file, "requirements", _text(data, file))
    if kind == "startup-script" or (kind is None and (path.name.endswith(".sh") or data.startswith(b"#!"))):
        return Source(file, "startup-script", _text(data, file))
    if data.startswith(b"USER-SUPPLIED VALUES:"):  # `helm get values` without `-o yaml`
        data = b"#" + data
    document = read_document(data, file)
    if kind == "community-values" or (kind is None and isinstance(document.get("airflow"), dict)):
        return Source(file, "community-values", (document, _header(data)))
    official = ("airflowVersion", "images", "executor", "apiServer", "webserver", "dags", "data")
    if kind == "official-values" or (
        kind is None and "Resources" not in document and sum(k in document for k in official) >= 2
    ):
        return Source(file, "official-values", (document, _header(data)))
    if kind is not None:
        return Source(file, kind, _content(document, kind))
    if isinstance(document.get("SecretValues"), list):  # `aws secretsmanager batch-get-secret-value`
        return Source(file, "store-live", document["SecretValues"])
    if document and all(isinstance(value, dict) and "conn_type" in value for value in document.values()):
        return Source(file, "connections-export", document)
    if "variables" in path.name.lower() and not any(key in document for key in ("Resources", "Parameters")):
        return Source(file, "variables-export", document)
    if isinstance(document.get("Resources"), dict):
        return Source(file, "mwaa-template", document)
    if isinstance(document.get("Environment"), dict):
        return Source(file, "mwaa-environment", document["Environment"])
    if isinstance(document.get("Parameters"), list):
        return Source(file, "store-live", document["Parameters"])
    for key in ("parameters", "entries"):
        if isinstance(document.get(key), list) and "generatedBy" in document:
            return Source(file, "store-rendered", document[key])
    raise ReadProblem(
        dataclasses.replace(
            _error("AS600", "is none of the sources `import` reads", "see `airflowspec import --help`"), file=file
        )
    )


def _header(data: bytes) -> dict[str, str]:
    """What airflowspec's header of a rendered values.yaml says (nothing for other values files)."""
    found: dict[str, str] = {}
    for line in data[:2000].decode("utf-8", errors="replace").splitlines()[:8]:
        for pattern in (_CHART_LINE, _INSTALL_LINE, _NAMESPACE_LINE):
            match = pattern.match(line)
            if match:
                found |= match.groupdict()
    return found


def _chart_values(source: Source, into: Imported) -> None:
    values, header = source.data
    if "chart" in into.spec.get("targets", {}).get("eks", {}):
        into.not_carried(source.file, "(all)", "a second chart's values: one spec is one deployment on EKS")
        return
    values = _without_templates(values, source.file, into, ())
    if "release" in header:
        into.spec.setdefault("name", header["release"])
    (import_community if source.kind == "community-values" else import_official)(values, source.file, into)
    eks = into.at("targets", "eks")
    if "version" in header or into.chart_version:
        eks["chartVersion"] = header.get("version") or into.chart_version
    if "namespace" in header:
        eks["namespace"] = header["namespace"]
    into.spec.setdefault("name", header.get("release", "imported"))
    carry_the_rest(values, source.file, into)


def _without_templates(value: Any, file: str, into: Imported, path: tuple[str, ...]) -> Any:
    """The values less every string that holds a Helm template (`{{ ... }}`): the chart would evaluate
    it, which no spec field can ask for; each is reported by its path."""
    if isinstance(value, dict):
        kept = {key: _without_templates(item, file, into, (*path, str(key))) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item is not _TEMPLATE}
    if isinstance(value, list):
        items = [_without_templates(item, file, into, (*path, f"[{index}]")) for index, item in enumerate(value)]
        return [item for item in items if item is not _TEMPLATE]
    if isinstance(value, str) and "{{" in value.replace(_ESCAPED_BRACES, ""):
        into.not_carried(file, ".".join(path).replace(".[", "["), "a Helm template, which the chart evaluates")
        return _TEMPLATE
    return value


_TEMPLATE = object()
_ESCAPED_BRACES = '{{ "{{" }}'  # a literal `{{`, as airflowspec writes it where the chart runs `tpl`


def _content(document: dict[str, Any], kind: str) -> Any:
    """The part of a document of a kind `--from` names that the importer of that kind reads."""
    inner = {"mwaa-environment": "Environment", "store-live": "Parameters", "store-rendered": "parameters"}
    key = inner.get(kind)
    if kind == "store-live" and "SecretValues" in document:
        key = "SecretValues"
    if kind == "store-rendered" and "entries" in document:
        key = "entries"
    return document.get(key, []) if key else document


def _error(code: str, message: str, hint: str = "") -> Any:
    from airflowspec.diagnostics import error

    return error(code, message, hint=hint)


def _looks_like_requirements(data: bytes) -> bool:
    return data.lstrip().startswith((b"--constraint", b"-c "))


def _text(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReadProblem(dataclasses.replace(_error("AS002", "is not valid UTF-8"), file=file)) from None


def _template(source: Source, into: Imported) -> None:
    if not import_template(source.data, source.file, into):
        into.not_carried(source.file, "Resources", "holds no AWS::MWAA::Environment")


def _environment(source: Source, into: Imported) -> None:
    import_environment(source.data, source.file, into)


def _requirements(source: Source, into: Imported) -> None:
    """Each requirement a package; the constraints line checked against the Airflow version (airflowspec
    writes the one for the spec's version and MWAA's Python itself)."""
    packages = into.spec.setdefault("packages", [])
    version = into.spec.get("airflow", {}).get("version")
    for number, line in enumerate(source.data.splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        constraint = _CONSTRAINT.match(text)
        if constraint is not None:
            if version is None:
                into.at("airflow")["version"] = constraint["version"]
            elif constraint["version"] != version:
                message = f"constraints of Airflow {constraint['version']}, not of {version}, the environment's"
                into.not_carried(source.file, f"line {number}", message)
        elif index_option(text, f"line {number}", source.file, into):
            continue
        elif text.startswith("-"):
            into.not_carried(source.file, f"line {number}", "a pip option the spec does not carry")
        else:
            packages.append(text)
    if not packages:
        del into.spec["packages"]


def _startup_script(source: Source, into: Imported) -> None:
    import_startup_script(source.data, source.file, into)


def _store(source: Source, into: Imported) -> None:
    entries = source.data if isinstance(source.data, list) else []
    import_entries(entries, source.file, into, live=source.kind == "store-live")


def _connections_export(source: Source, into: Imported) -> None:
    """`airflow connections export --format json|yaml`: by id, Airflow's fields (`extra` as JSON text)."""
    for conn_id, fields in source.data.items():
        if not isinstance(fields, dict):
            into.not_carried(source.file, str(conn_id), "not a connection's fields")
            continue
        form = {key: value for key, value in fields.items() if value not in (None, "")}
        if isinstance(form.get("extra"), str):
            extra = parsed_json(form["extra"])
            if isinstance(extra, dict):
                form["extra"] = extra
            else:
                into.not_carried(source.file, f"{conn_id}.extra", "`extra` that is not a JSON object")
                del form["extra"]
        into.at("connections")[str(conn_id)] = connection(str(conn_id), form, source.file, into, live=True)


def _variables_export(source: Source, into: Imported) -> None:
    """`airflow variables export`: by key, each value (a secret-like key's becomes a secret)."""
    for key, value in source.data.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        into.at("variables")[str(key)] = variable(str(key), text, source.file, into, live=is_sensitive_name(str(key)))


_IMPORTERS = {
    "community-values": _chart_values,
    "official-values": _chart_values,
    "mwaa-template": _template,
    "mwaa-environment": _environment,
    "requirements": _requirements,
    "startup-script": _startup_script,
    "store-rendered": _store,
    "store-live": _store,
    "connections-export": _connections_export,
    "variables-export": _variables_export,
}
