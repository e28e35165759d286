"""Validate a loaded document against the spec models; turn pydantic's errors into AS1xx diagnostics."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from airflowspec.diagnostics import Diagnostic, SpecPath, error, format_path
from airflowspec.document import Position, YamlMap
from airflowspec.sensitive import is_sensitive_name
from airflowspec.sourcemap import position_of
from airflowspec.spec import API_VERSION, DIAGNOSTIC_CODE, Spec
from airflowspec.spec.base import UNION_TAGS
from airflowspec.spec.stack import EXPORT_NAME, PARAMETER_NAME
from airflowspec.spec.targets import IMAGE_REPOSITORY, IMAGE_TAG
from airflowspec.spec_keys import accepts_secret_ref, allowed_keys

_EXPECTED_BY_TYPE = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
    "tuple_type": "a list",
    "enum": "one of",
    "literal_error": "one of",
}

_PATTERN_MEANING = {
    r"^[0-9]+\.[0-9]+\.[0-9]+$": "a release number like 2.8.4",
    r"^/[^\x00-\x1f\x7f]*$": "an absolute path of printable characters",
    IMAGE_REPOSITORY: "an image repository like registry.example.com/airflow",
    DIAGNOSTIC_CODE: "a code like AS315",
    IMAGE_TAG: "an image tag: letters, digits, '_', '.' and '-', at most 128",
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$": "a DNS label: lowercase letters, digits and '-'",
    r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$": "a Kubernetes name: lowercase letters, digits, '-' and '.'",
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$": "a name of letters, digits, '_', '.' and '-'",
    r"^[A-Za-z][A-Za-z0-9_-]*$": "a name that starts with a letter, then letters, digits, '_' and '-'",
    r"^[A-Za-z_][A-Za-z0-9_]*$": "an environment variable name",
    r"^[a-z][a-z0-9_]*$": "lowercase letters, digits and '_', as in airflow.cfg",
    r"^[-._a-zA-Z0-9]+$": "a Secret data key: letters, digits, '-', '_' and '.'",
    r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9_+=,.@/-]+$": (
        "an IAM role ARN like arn:aws:iam::123456789012:role/NAME"
    ),
    r"^subnet-([a-f0-9]{8}|[a-f0-9]{17})$": "a subnet id: subnet- and 8 or 17 lowercase hex digits",
    r"^sg-([a-f0-9]{8}|[a-f0-9]{17})$": "a security group id: sg- and 8 or 17 lowercase hex digits",
    r"^vpc-([a-f0-9]{8}|[a-f0-9]{17})$": "a VPC id: vpc- and 8 or 17 lowercase hex digits",
    PARAMETER_NAME: "a template parameter name: a letter, then letters and digits",
    EXPORT_NAME: "an export name: letters, digits, ':' and '-'",
}


def parse_spec(
    document: YamlMap, numbers: Mapping[Position, str] | None = None
) -> tuple[Spec | None, list[Diagnostic]]:
    """The validated spec, or the schema diagnostics that prevent it. `numbers`: the loader's record
    of numbers written otherwise than they read back (`2.10`), to say so where text was expected."""
    version_problem = _check_api_version(document)
    if version_problem:
        return None, [version_problem]
    try:
        return Spec.model_validate(document), []
    except ValidationError as exc:
        found = [_diagnostic(problem) for problem in exc.errors(include_url=False)]
        found = [_with_written_number(d, document, numbers or {}) for d in found]
        return None, _indentation(found, document)


def _indentation(found: list[Diagnostic], document: YamlMap) -> list[Diagnostic]:
    """A key at the wrong depth (dedented out of the mapping above it, or indented into a block it does
    not belong to) says so, once for a run of such keys, instead of one puzzling error per key."""
    result: list[Diagnostic] = []
    runs: dict[tuple[SpecPath, str], int] = {}  # (parent, where the keys belong) -> index in result
    extra: dict[int, int] = {}
    for diagnostic in found:
        placed = _belongs(diagnostic, document) if diagnostic.code in ("AS101", "AS103") else None
        if placed is None:
            result.append(diagnostic)
            continue
        where, hint = placed
        run = (diagnostic.path[:-1], where)
        if run in runs:
            extra[runs[run]] = extra.get(runs[run], 0) + 1
            continue
        runs[run] = len(result)
        result.append(dataclasses.replace(diagnostic, hint=hint, on_key=True))
    for index, count in extra.items():
        keys = "key" if count == 1 else "keys"
        result[index] = dataclasses.replace(
            result[index], hint=f"{result[index].hint} (so do the {count} {keys} after it)"
        )
    return result


def _belongs(diagnostic: Diagnostic, document: YamlMap) -> tuple[str, str] | None:
    """(where the key belongs, the hint) for a key that is known one level off, or None."""
    path = diagnostic.path
    if not path or not isinstance(path[-1], str):
        return None
    key, parent = path[-1], path[:-1]
    if key in allowed_keys(parent):
        return None
    mapping = _node_at(document, parent) or {}
    siblings = list(mapping)
    before = siblings[: siblings.index(key)] if key in siblings else []
    for above in reversed(before):  # the block it was meant for: a mapping above that takes this key
        if isinstance(mapping[above], dict) and key in allowed_keys((*parent, above)):
            where = _name((*parent, above))
            return where, f"indentation: `{key}` is a key of `{where}` above it; indent it under that"
    for depth in range(len(parent) - 1, -1, -1):
        if key in allowed_keys(parent[:depth]):
            where = f"`{_name(parent[:depth])}`" if depth else "the top level"
            return where, f"indentation: `{key}` is a key of {where}; move it out of `{_name(parent)}`"
    return None


def _node_at(document: YamlMap, path: SpecPath) -> dict[str, Any] | None:
    node: Any = document
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node if isinstance(node, dict) else None


def _with_written_number(diagnostic: Diagnostic, document: YamlMap, numbers: Mapping[Position, str]) -> Diagnostic:
    """A number where text belongs: the hint quotes it as written (`2.10` is read as 2.1)."""
    if diagnostic.code != "AS103" or not diagnostic.message.endswith("must be a string, not a number"):
        return diagnostic
    written = numbers.get(position_of(document, diagnostic.path))
    value = _value_at(document, diagnostic.path)
    text = written or str(value)
    read = f"`{written}` is read as the number {value!r}; " if written else ""
    if diagnostic.path == ("airflow", "version"):
        return dataclasses.replace(diagnostic, hint=f"{read}quote it, with all three numbers: {_release_like(text)}")
    return dataclasses.replace(diagnostic, hint=f'{read}quote it: "{text}"')


def _release_like(text: str) -> str:
    """`"2.8.4"` for `2.8`: the newest release of that minor, or a generic example."""
    from packaging.version import Version

    from airflowspec.data.airflow_releases import AIRFLOW_RELEASES

    releases = sorted((r for r in AIRFLOW_RELEASES if r.startswith(f"{text}.")), key=Version)
    return f'"{releases[-1]}"' if releases else f'"{text}.x", e.g. "2.9.3"'


def _value_at(document: YamlMap, path: SpecPath) -> Any:
    node: Any = document
    for part in path:
        node = node[part]
    return node


def _check_api_version(document: YamlMap) -> Diagnostic | None:
    value = document.get("apiVersion")
    if "apiVersion" not in document:
        return error("AS100", "missing `apiVersion`", hint=f"add `apiVersion: {API_VERSION}` at the top")
    if value != API_VERSION:
        shown = f"'{value}'" if isinstance(value, str) else "this value"
        return error(
            "AS100", f"unsupported apiVersion {shown}", ("apiVersion",), hint=f"this airflowspec reads `{API_VERSION}`"
        )
    return None


def _diagnostic(problem: Any) -> Diagnostic:
    loc = problem["loc"]
    on_key = bool(loc) and loc[-1] == "[key]"  # a mapping key failed its own constraint
    path: SpecPath = tuple(part for part in loc if part not in UNION_TAGS and part != "[key]")
    kind = problem["type"]
    if kind == "extra_forbidden":
        return _unknown_key(path)
    if kind == "missing":
        where = f" in `{_name(path[:-1])}`" if path[:-1] else ""
        return error("AS102", f"missing required key `{path[-1]}`{where}", path[:-1], on_key=bool(path[:-1]))
    if kind in _EXPECTED_BY_TYPE and "expected" not in problem.get("ctx", {}):
        return error(
            "AS103", f"`{_name(path)}` must be {_EXPECTED_BY_TYPE[kind]}, not {type_name(problem['input'])}", path
        )
    subject = f"key {_shown(path[-1], ())} in `{_name(path[:-1])}`" if on_key else f"`{_name(path)}`"
    value = "" if on_key else _shown(problem["input"], path) + " "
    return error("AS104", f"{subject} {_constraint(problem, value)}", path, on_key=on_key)


def did_you_mean(key: str, known: Sequence[str]) -> str | None:
    """The known key closest to a mistyped one, as a hint; None when none is close."""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def _unknown_key(path: SpecPath) -> Diagnostic:
    key = str(path[-1])
    known = allowed_keys(path[:-1])
    hint = did_you_mean(key, known) or (f"expected one of: {', '.join(known)}" if known else "")
    if key in known and key == "secret" and accepts_secret_ref(path[:-1]):
        # `{secret: NAME}` beside a connection's fields
        hint = f"`{key}` stands alone: write `{{{key}: NAME}}` with no other key"
    elif key in known:  # a key of another of the union's forms
        hint = f"`{key}` belongs to another form of `{_name(path[:-1])}`; give one form's keys only"
    where = f" in `{_name(path[:-1])}`" if path[:-1] else ""
    return error("AS101", f"unknown key `{key}`{where}", path, hint, on_key=True)


def _constraint(problem: Any, value: str) -> str:
    """What is wrong, after the subject; `value` is the offending value as shown, or empty."""
    ctx = problem.get("ctx", {})
    kind = problem["type"]
    if kind == "string_pattern_mismatch":
        return f"{value}must be {_PATTERN_MEANING.get(ctx['pattern'], 'of the form ' + ctx['pattern'])}"
    if kind in ("enum", "literal_error"):
        expected = ctx["expected"].replace(chr(39), "").replace("True", "true").replace("False", "false")
        return f"{value}is not one of: {expected}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = "at least" if kind == "greater_than_equal" else "at most"
        return f"must be {bound} {ctx.get('ge', ctx.get('le'))}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']} characters"
    return str(problem["msg"]).removeprefix("Value error, ")


def _shown(value: Any, path: SpecPath) -> str:
    """The offending value, unless it might be a secret or is too long to read in one line."""
    if isinstance(value, bool):
        return "`true`" if value else "`false`"  # as YAML writes it
    if isinstance(value, (str, int, float)) and not _may_be_secret(path):
        text = str(value)
        if len(text) <= 60 and text.isprintable():
            return f"'{text}'"
    return "the value"


def _may_be_secret(path: SpecPath) -> bool:
    """Variable values, connection fields other than id and type, and anything with a secret-like name."""
    if path and path[0] == "variables":
        return True
    if path and path[0] == "connections" and len(path) > 2 and path[2] not in ("type", "port", "description"):
        return True
    return bool(path) and is_sensitive_name(str(path[-1]))


def _name(path: SpecPath) -> str:
    return format_path(path) or "the spec"


def type_name(value: Any) -> str:
    """A YAML value's kind as messages name it: `a string`, `a mapping`, `empty`."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
