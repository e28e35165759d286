"""What one Airflow or provider distribution says about its configuration: read from the wheel or sdist
as data (YAML and Python syntax trees), never imported or run.

Only `build_config_reference` uses this, to regenerate `config_reference`; `validate` never imports it.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import os
import tarfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename
from packaging.version import InvalidVersion, Version
from ruamel.yaml import YAML

from airflowspec.inputs import read_file

Key = tuple[str, str]  # (section, option)

#: The configuration parser's methods that read an option, by what they make of its text.
READERS = {
    "get": "string",
    "get_mandatory_value": "string",
    "get_mandatory_list_value": "string",
    "getboolean": "boolean",
    "getenum": "string",
    "getenumlist": "string",
    "getfloat": "float",
    "getimport": "string",
    "getint": "integer",
    "getjson": "string",
    "getlist": "string",
    "gettimedelta": "integer",  # int(text) seconds
}
_CONFIG_YML = "airflow/config_templates/config.yml"
#: Where AirflowConfigParser keeps its class-level tables (2.x and 3.0-3.1; 3.2 on).
_PARSERS = ("airflow/configuration.py", "airflow/_shared/configuration/parser.py")


@dataclasses.dataclass(frozen=True)
class Option:
    type: str  # config.yml's `type`: string, boolean, integer or float
    sensitive: bool


@dataclasses.dataclass(frozen=True)
class Distribution:
    """One release: its declared options, the names it still reads for them, and how its code reads them."""

    name: str
    version: str
    options: dict[Key, Option]
    #: old (section, option) -> the one it stands for; old section -> new section.
    deprecated_options: dict[Key, Key]
    deprecated_sections: dict[str, str]
    #: Options listed as sensitive in the parser itself (2.0-2.6 had no `sensitive:` in config.yml).
    sensitive: frozenset[Key]
    #: (section, option) -> the kinds ("boolean", "string" ...) of every read with literal names.
    reads: dict[Key, frozenset[str]]

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


def read_distribution(path: Path) -> Distribution:
    name, version = _name_and_version(path)
    files = dict(_python_and_config_files(path))
    declared = _load_yaml(files[_CONFIG_YML]) if _CONFIG_YML in files else _provider_config(files)
    tables = _parser_tables(files)
    return Distribution(
        name=name,
        version=version,
        options=_declared(declared),
        deprecated_options=_deprecated_options(tables),
        deprecated_sections={old: new for new, (old, *_) in tables.get("deprecated_sections", {}).items()},
        sensitive=frozenset(tables.get("sensitive_config_values", ())),
        reads=_reads(files),
    )


def find_archives(folder: Path, requirements: Iterable[str]) -> dict[str, Path]:
    """`name==version` -> its wheel in `folder`, else its sdist."""
    found: dict[tuple[str, str], Path] = {}
    for entry in sorted(os.scandir(folder), key=lambda item: not item.name.endswith(".whl")):
        key = _archive_key(entry.name)
        if key and key not in found and entry.is_file(follow_symlinks=False):
            found[key] = Path(entry.path)
    archives, missing = {}, []
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        path = found.get((canonicalize_name(name), str(Version(version))))
        if path is None:
            missing.append(requirement)
        else:
            archives[requirement] = path
    if missing:
        raise FileNotFoundError(f"{folder} lacks {', '.join(missing)}")
    return archives


def _archive_key(filename: str) -> tuple[str, str] | None:
    try:
        if filename.endswith(".whl"):
            name, version, *_ = parse_wheel_filename(filename)
        elif filename.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(filename)
        else:
            return None
    except (ValueError, InvalidVersion):
        return None
    return str(canonicalize_name(name)), str(version)


def _name_and_version(path: Path) -> tuple[str, str]:
    if path.name.endswith(".whl"):
        name, version, *_ = parse_wheel_filename(path.name)
    else:
        name, version = parse_sdist_filename(path.name)
    return str(name), str(version)


def _python_and_config_files(path: Path) -> Iterator[tuple[str, bytes]]:
    """(path from the package root, e.g. `airflow/configuration.py`, bytes) for each .py and config.yml."""
    data = io.BytesIO(read_file(path))
    if path.name.endswith(".whl"):
        with zipfile.ZipFile(data) as wheel:
            for info in wheel.infolist():
                if _wanted(info.filename):
                    yield info.filename, wheel.read(info)
        return
    with tarfile.open(fileobj=data, mode="r:*") as sdist:
        for member in sdist.getmembers():
            inner = _inside_sdist(member.name)
            if member.isfile() and inner and _wanted(inner):
                extracted = sdist.extractfile(member)
                if extracted is not None:
                    yield inner, extracted.read()


def _inside_sdist(name: str) -> str | None:
    """`apache_airflow-2.9.3/airflow/x.py` or `…/src/airflow/x.py` -> `airflow/x.py`; other files None."""
    parts = name.split("/")
    for prefix in (1, 2):
        if len(parts) > prefix and parts[prefix] == "airflow" and parts[1:prefix] in ([], ["src"]):
            return "/".join(parts[prefix:])
    return None


def _wanted(name: str) -> bool:
    if name == _CONFIG_YML:
        return True
    skipped = ("/tests/", "/example_dags/", "/migrations/")
    return name.startswith("airflow/") and name.endswith(".py") and not any(part in name for part in skipped)


def _load_yaml(data: bytes) -> Any:
    return YAML(typ="safe", pure=True).load(data)


def _provider_config(files: dict[str, bytes]) -> dict[str, Any]:
    """The `config` of the dict literal `get_provider_info()` returns (generated from provider.yaml)."""
    for name, data in files.items():
        if name.endswith("/get_provider_info.py"):
            for node in ast.walk(ast.parse(data)):
                if isinstance(node, ast.FunctionDef) and node.name == "get_provider_info":
                    returned = next(item for item in node.body if isinstance(item, ast.Return))
                    info = ast.literal_eval(returned.value) if returned.value is not None else {}
                    return dict(info.get("config") or {})
    return {}


def _declared(document: Any) -> dict[Key, Option]:
    """config.yml (a list of sections before 2.6, a mapping since) or a provider's `config:` mapping."""
    if isinstance(document, list):
        sections = {item["name"]: {option["name"]: option for option in item.get("options") or ()} for item in document}
    else:
        sections = {name: dict(body.get("options") or {}) for name, body in (document or {}).items()}
    return {
        (section, option): Option(str(facts.get("type") or "string"), bool(facts.get("sensitive")))
        for section, options in sections.items()
        for option, facts in options.items()
    }


def _parser_tables(files: dict[str, bytes]) -> dict[str, Any]:
    """The literal class attributes of AirflowConfigParser: deprecated names and sensitive options."""
    wanted = {"deprecated_options", "many_to_one_deprecated_options", "deprecated_sections", "sensitive_config_values"}
    tables: dict[str, Any] = {}
    for name in _PARSERS:
        for node in ast.walk(ast.parse(files.get(name, b""))):
            named, value = _assigned(node)
            if named in wanted and value is not None:
                try:
                    tables[named] = ast.literal_eval(value)
                except ValueError:  # computed (a property since 2.7): config.yml's `sensitive:` says instead
                    continue
    return tables


def _assigned(node: ast.AST) -> tuple[str, ast.expr | None]:
    """`name = value` or `name: type = value` -> (name, value); anything else -> ("", None)."""
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id, node.value
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id, node.value
    return "", None


def _deprecated_options(tables: dict[str, Any]) -> dict[Key, Key]:
    old_to_new = {(old[0], old[1]): new for new, old in tables.get("deprecated_options", {}).items()}
    for new, olds in tables.get("many_to_one_deprecated_options", {}).items():
        old_to_new.update({(old[0], old[1]): new for old in olds})
    return old_to_new


def _reads(files: dict[str, bytes]) -> dict[Key, frozenset[str]]:
    """How the code reads each option it names literally: `conf.getint("core", "parallelism")` -> integer."""
    found: dict[Key, set[str]] = {}
    for name, data in files.items():
        if name.endswith(".py"):
            try:
                tree = ast.parse(data)
            except SyntaxError:  # a file for another Python version; its reads are the same kind
                continue
            for key, kind in _literal_reads(tree):
                found.setdefault(key, set()).add(kind)
    return {key: frozenset(kinds) for key, kinds in found.items()}


def _literal_reads(tree: ast.AST) -> Iterator[tuple[Key, str]]:
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        kind = READERS.get(node.func.attr)
        names = [arg.value for arg in node.args[:2] if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        if kind and len(names) == 2:
            yield (names[0].lower(), names[1].lower()), kind
