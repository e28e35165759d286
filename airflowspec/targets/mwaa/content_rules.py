"""MWAA's rules for what the environment holds: config options, volumes, pools, DAG sources, and
connections and variables as SSM parameters (Secrets Manager's are `secrets_manager_rules`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from airflowspec.data import mwaa as facts
from airflowspec.diagnostics import Diagnostic, SpecPath, error, quote, warning
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.spec.airflow import option_text
from airflowspec.targets.mwaa.rules import MWAA
from airflowspec.targets.mwaa.secret_stores import SecretStore, chosen_store, pushed_secrets
from airflowspec.targets.mwaa.secrets_backend import uses_secrets_backend
from airflowspec.targets.mwaa.ssm_parameters import parameter_problems, ssm_parameters

# One way to match each character: `[a-z]+([a-z0-9._]*[a-z0-9_]+)?` took cubic time to refuse a long name.
_OPTION_KEY = re.compile(r"[a-z](?:[a-z0-9._]*[a-z0-9_])?\Z")
_PRINTABLE_ASCII = re.compile(r"[ -~]+\Z")
_SSM_RESERVED = re.compile(r"/?(aws|ssm)", re.IGNORECASE)


def check_contents(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    for rule in (_config, _unsupported, _secret_sources, _prefixes, _parameters):
        yield from rule(spec, mwaa)


def _config(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    store = chosen_store(mwaa) if uses_secrets_backend(spec) else None
    for section, options in spec.airflow.config.items():
        for option, value in options.items():
            path = ("airflow", "config", section, option)
            yield from _option(section, option, option_text(value), path, store)


def _option(section: str, option: str, text: str, path: SpecPath, store: SecretStore | None) -> Iterator[Diagnostic]:
    key = f"{section}.{option}"
    if section in facts.AIRFLOWSPEC_OWNED_SECTIONS or (section, option) in facts.AIRFLOWSPEC_OWNED_OPTIONS:
        if store:  # without connections or variables airflowspec sets no backend: these options are the user's
            yield _set_by_airflowspec(section, option, path, store)
    elif facts.mwaa_owns(section, option):
        yield _set_by_mwaa(key, text, facts.MWAA_OWNED_OPTIONS.get((section, option)), path)
    if len(key) > 64 or not _OPTION_KEY.match(key):
        yield error(
            "AS413",
            f"MWAA takes option names of at most 64 characters like `core.parallelism`, not {quote(key)}",
            path,
            on_key=True,
        )
    if not _PRINTABLE_ASCII.match(text) or len(text) > 65536:
        yield error("AS413", f"MWAA takes an option value of 1 to 65536 printable ASCII characters; {key} is not", path)


def _set_by_airflowspec(section: str, option: str, path: SpecPath, store: SecretStore) -> Diagnostic:
    key, instead = f"{section}.{option}", f"set `targets.mwaa.{store.key}` instead"
    if (section, option) in facts.AIRFLOWSPEC_OWNED_OPTIONS:
        message = f"on Airflow 3, {key} replaces in tasks the {store.title} backend that airflowspec sets"
        return error("AS411", message, path, instead, on_key=True)
    message = f"airflowspec sets {key} itself, to read connections and variables from {store.title}"
    return error("AS411", message, path, instead, on_key=True)


def _set_by_mwaa(key: str, text: str, forced: str | None, path: SpecPath) -> Diagnostic:
    if forced is not None and text.lower() == forced.lower():
        message = f"MWAA sets {key} to {forced} itself; this option has no effect"
        return warning("AS412", message, path, "remove it", on_key=True)
    return error("AS412", f"MWAA sets {key} itself and ignores this value", path, "remove it", on_key=True)


def _unsupported(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    source = spec.dags.from_
    dag_volume = source.volume if source else None
    for name in spec.volumes:
        if name != dag_volume:
            yield warning(
                "AS414",
                f"MWAA mounts no volumes; '{name}' is left out",
                ("volumes", name),
                "read the data from S3, or ship small files with the DAGs",
                on_key=True,
            )
    for name in spec.pools:
        yield warning(
            "AS415",
            f"MWAA cannot declare pool '{name}' (CloudFormation has no pools); it is left out",
            ("pools", name),
            "create it once with `airflow pools set` through the MWAA CLI endpoint, or from a DAG",
            on_key=True,
        )
    if source is not None and source.git is not None:
        yield warning(
            "AS416",
            f"MWAA reads DAGs from the bucket's `{mwaa.dag_s3_path}` folder, not from git",
            ("dags", "from", "git"),
            "copy the repository's DAG folder there from CI",
            on_key=True,
        )


def _secret_sources(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    command = "ssm push" if mwaa.secrets_backend == "ssm" else "secrets push"
    for name in pushed_secrets(spec):
        secret = spec.secrets.get(name)
        if secret is not None and secret.env is None:
            yield error(
                "AS417",
                f"secret '{name}' has no `env` source, which `airflowspec {command}` reads for MWAA",
                ("secrets", name),
                "add `env: VARIABLE_NAME`",
                on_key=True,
            )


def _prefixes(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    if mwaa.secrets_backend != "ssm":  # Secrets Manager's: secrets_manager_rules
        return
    prefixes = {"connectionsPrefix": mwaa.ssm.connections_prefix, "variablesPrefix": mwaa.ssm.variables_prefix}
    for key, prefix in prefixes.items():
        path = (*MWAA, "ssm", key)
        if not prefix.startswith("/") or not re.match(facts.SSM_NAME_PATTERN, prefix) or "//" in prefix:
            yield error("AS418", f"SSM prefix '{prefix}' must be a path like /airflow/connections", path)
        elif not prefix.strip("/"):
            yield error("AS418", "the SSM prefix cannot be the root: `--prune` would reach every parameter", path)
        elif _SSM_RESERVED.match(prefix):
            yield error("AS418", f"SSM names cannot start with aws or ssm: '{prefix}'", path)
    connections, variables = (prefix.rstrip("/") + "/" for prefix in prefixes.values())
    nested = connections.startswith(variables) or variables.startswith(connections)
    if nested and "/" not in (connections, variables):  # the root is reported above
        yield error(
            "AS418",
            "connections and variables need separate SSM prefixes, neither inside the other",
            (*MWAA, "ssm", "variablesPrefix"),
        )


def _parameters(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    if mwaa.secrets_backend != "ssm":
        return
    for parameter in ssm_parameters(spec, mwaa):
        yield from parameter_problems(parameter)
