"""Package indexes, from requirements.txt's option lines and from the startup.sh airflowspec renders.

A URL never keeps a credential: its user information is everything before the last `@` after `//` (a
password may hold `/`), and a URL that is not then one the spec takes (AS223: a query, say) is reported
without being quoted. A user name stays when it is plain text beside a password; a password, or a user
name alone (a token, as pip takes it), becomes a secret with an `env` source whose value is not kept. A
credential startup.sh reads at start becomes the secret it reads
(`/airflowspec/<name>/package-index/<secret>`), or nothing for a CodeArtifact token; one a chart reads
from a Kubernetes Secret, that Secret.
"""

from __future__ import annotations

import re
from typing import Any

from airflowspec.emit import says_generated
from airflowspec.importing import Imported
from airflowspec.importing.entries import declared_secret, secret_name
from airflowspec.package_indexes import (
    PIP_EXTRA_INDEX_URL,
    PIP_INDEX_URL,
    USERNAME,
    code_artifact,
    index_url_problem,
)

#: `--index-url URL`, `--extra-index-url=URL`, `-i URL` in a requirements file.
_OPTION = re.compile(r"(?P<option>--index-url|--extra-index-url|-i)(?:[ =]+)(?P<url>\S+)\Z")
#: What airflowspec's startup.sh exports, and each credential it reads.
_EXPORT = re.compile(rf'export (?P<name>{PIP_INDEX_URL}|{PIP_EXTRA_INDEX_URL})="(?P<urls>[^"]*)"\Z')
_READ = re.compile(r'(?P<variable>AIRFLOWSPEC_[A-Z0-9_]+)="\$\((?P<command>[^)]*)\)"')
_ENTRY = re.compile(
    r"(?:--name|--secret-id) /?airflowspec/[^/\s]+/package-index/(?P<secret>[A-Za-z0-9][A-Za-z0-9_.-]*)"
)
_VARIABLE = re.compile(r"\$\{(?P<variable>AIRFLOWSPEC_[A-Z0-9_]+)\}\Z")


def index_option(text: str, where: str, source: str, into: Imported) -> bool:
    """An index option line of requirements.txt, into the spec; False for any other line. pip takes the
    last `--index-url`, so a later one replaces an earlier one."""
    match = _OPTION.match(text)
    if match is None:
        return False
    extra = match["option"] == "--extra-index-url"
    split = _split(match["url"], where, source, into)
    if split is not None:
        url, user, password = split
        stem = ("extra-package-index", str(len(_indexes(into, True)) + 1)) if extra else ("package-index",)
        index: dict[str, Any] = {"url": url}
        if password is not None and user and USERNAME.fullmatch(user):
            index["username"] = user
        elif user:  # a user name alone is a token to pip, which hides it as it does a password
            index["username"] = declared_secret(secret_name(*stem, "username"), where, source, into)
        if password is not None:
            index["password"] = declared_secret(secret_name(*stem, "password"), where, source, into)
        _add(index, extra, into, replace=not extra)
    return True


def import_startup_script(text: str, source: str, into: Imported) -> None:
    """airflowspec's startup.sh: its exports, each credential the secret it reads. Another startup
    script is reported, not read: bash is not a format."""
    lines = text.splitlines()
    if not says_generated(text.encode("utf-8")):
        into.not_carried(source, "(all)", "a startup script of your own: name it in `targets.mwaa.startupScriptS3Path`")
        return
    mwaa = into.spec.get("targets", {}).get("mwaa", {})
    for field in ("startupScriptS3Path", "startupScriptS3ObjectVersion"):  # the script the spec renders
        mwaa.pop(field, None)
    reads = {m["variable"]: m["command"] for line in lines if (m := _READ.match(line))}
    for number, line in enumerate(lines, start=1):
        export = _EXPORT.match(line)
        if export is None:
            continue
        for url in export["urls"].split():
            index = _from_startup(url, reads, f"line {number}", source, into)
            if index is not None:
                _add(index, export["name"] == PIP_EXTRA_INDEX_URL, into)


def _from_startup(url: str, reads: dict[str, str], where: str, source: str, into: Imported) -> dict[str, Any] | None:
    split = _split(url, where, source, into)
    if split is None:
        return None
    index: dict[str, Any] = {"url": split[0]}
    for field, value in zip(("username", "password"), split[1:], strict=True):
        variable = _VARIABLE.match(value or "")
        if variable is None:
            if value and field == "username" and USERNAME.fullmatch(value):
                index[field] = value
            elif value:
                into.not_carried(source, where, f"a {field} written into the script: keep it in a secret")
            continue
        command = reads.get(variable["variable"], "")
        entry = _ENTRY.search(command)
        if entry is not None:
            index[field] = declared_secret(entry["secret"], where, source, into)
        elif "codeartifact get-authorization-token" not in command:
            into.not_carried(source, where, f"a {field} the script reads in a way airflowspec does not write")
            return None
    return _without_code_artifact_user(index)


def _split(url: str, where: str, source: str, into: Imported) -> tuple[str, str | None, str | None] | None:
    """(the URL without user information, the user, the password); None, reported without the URL, when
    what is left is not a URL the spec takes."""
    scheme, slashes, rest = url.partition("//")
    userinfo, at, host = rest.rpartition("@")
    clean = f"{scheme}{slashes}{host if at else rest}"
    if not slashes or index_url_problem(clean) is not None:
        into.not_carried(source, where, "an index URL the spec cannot take (https, no query): not shown")
        return None
    if not at:
        return clean, None, None
    user, colon, password = userinfo.partition(":")
    return clean, user or None, password if colon else None


def _without_code_artifact_user(index: dict[str, Any]) -> dict[str, Any]:
    """A CodeArtifact index's user is always `aws`, the spec's default."""
    if index.get("username") == "aws" and code_artifact(index["url"]) is not None:
        del index["username"]
    return index


def _indexes(into: Imported, extra: bool) -> list[Any]:
    if extra:
        found: list[Any] = into.spec.setdefault("extraPackageIndexes", [])
        return found
    return [into.spec["packageIndex"]] if "packageIndex" in into.spec else []


def _add(index: dict[str, Any], extra: bool, into: Imported, replace: bool = False) -> None:
    if not extra:
        into.spec["packageIndex"] = index if replace else into.spec.get("packageIndex", index)
    elif index["url"] not in [known.get("url") for known in _indexes(into, True)]:
        _indexes(into, True).append(index)


#: A credential of a chart's pip environment, as airflowspec writes it: `$(AIRFLOWSPEC_PIP_..._PASSWORD)`.
_K8S_VARIABLE = re.compile(r"\$\((?P<variable>AIRFLOWSPEC_PIP_[A-Z0-9_]+)\)\Z")
PIP_URLS = (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL)


def import_pip_environment(urls: dict[str, str], secrets: dict[str, Any], source: str, into: Imported) -> None:
    """A chart's `PIP_INDEX_URL` / `PIP_EXTRA_INDEX_URL` (by name), whose credentials are `$(VARIABLE)`s
    read from Kubernetes Secrets (`secrets`: variable -> the spec's reference to it)."""
    for name in PIP_URLS:
        for url in urls.get(name, "").split():
            split = _split(url, name, source, into)
            if split is None:
                continue
            index: dict[str, Any] = {"url": split[0]}
            for field, value in zip(("username", "password"), split[1:], strict=True):
                variable = _K8S_VARIABLE.match(value or "")
                if variable is not None and variable["variable"] in secrets:
                    index[field] = secrets[variable["variable"]]
                elif value and field == "username" and USERNAME.fullmatch(value):
                    index[field] = value
                elif value:
                    into.not_carried(source, name, f"a {field} written into the values: keep it in a Secret")
            _add(_without_code_artifact_user(index), name == PIP_EXTRA_INDEX_URL, into)
