"""Compile what to compare and compare it: two specs, or a spec against what is deployed."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping
from pathlib import Path as FilePath
from typing import Any

from airflowspec import api, resolutions
from airflowspec.diagnostics import Diagnostic, Severity, has_errors, shell_word, warning
from airflowspec.diff.changes import Change, Context, Location, changes
from airflowspec.diff.chart_values import defaults_of, installed, unknown_defaults
from airflowspec.diff.compare import Difference, Path, compare, compare_lines
from airflowspec.diff.live import TEXT_FILES, LiveInput, ReadProblem, parse_artifact, read_live, unset_secrets
from airflowspec.diff.origin import position, spec_path
from airflowspec.resolve import PLATFORM
from airflowspec.spec import EksTarget, Spec
from airflowspec.targets import TARGETS, Artifact
from airflowspec.targets.mwaa.secret_stores import chosen_store


@dataclasses.dataclass(frozen=True)
class DiffOutcome:
    validations: tuple[api.Validation, ...]
    changes: tuple[Change, ...] = ()
    #: About the comparison: an input that could not be read (an error: exit 2), what makes it less than exact.
    notes: tuple[Diagnostic, ...] = ()

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The specs' own, then the comparison's: of the old spec (what is deployed) only its errors,
        which stop the comparison, since its warnings are about what is there, not about the change;
        each once (`diff spec spec` validates one file twice)."""
        *olds, new = self.validations
        found = [d for old in olds for d in old.diagnostics if d.severity is Severity.ERROR]
        return (*dict.fromkeys([*found, *new.diagnostics]), *self.notes)

    @property
    def failed(self) -> bool:
        return has_errors(self.notes) or any(not validation.ok for validation in self.validations)


#: (old, new): the environment of each spec to compare; None for the base.
Environments = tuple["str | None", "str | None"]


def diff_specs(
    old: FilePath, new: FilePath, target: str, show_secrets: bool = False, envs: Environments = (None, None)
) -> DiffOutcome:
    with api.gc_paused():
        return _diff_specs(old, new, target, show_secrets, envs)


def _diff_specs(old: FilePath, new: FilePath, target: str, show_secrets: bool, envs: Environments) -> DiffOutcome:
    (old_validation, old_artifacts), (new_validation, new_artifacts) = (
        api.render(path, target, env) for path, env in zip((old, new), envs, strict=True)
    )
    validations = (old_validation, new_validation)
    if any(v.environments and v.env is None for v in validations):  # the base is no deployment: the caller says so
        return DiffOutcome(validations)
    if not (old_artifacts and new_artifacts) or new_validation.spec is None:
        return DiffOutcome(validations)
    found: list[Change] = []
    old_texts = {artifact.path: artifact.text for artifact in old_artifacts}
    new_texts = {artifact.path: artifact.text for artifact in new_artifacts}
    for path in [name for name in TARGETS[target].files if name in old_texts or name in new_texts]:
        judged = located(artifact_context(target, new_validation.spec, path, show_secrets), new_validation)
        judged = dataclasses.replace(judged, retired=path not in new_texts)
        old, new = (_parsed(texts.get(path), path) for texts in (old_texts, new_texts))
        found += changes(judged, differences(old, new))
    return DiffOutcome(validations, tuple(found))


def _parsed(text: str | None, artifact: str) -> Any:
    """A rendered file as data; one a spec does not render (startup.sh) as empty."""
    if text is None:
        return "" if artifact.endswith(TEXT_FILES) else {}
    return parse_artifact(text, artifact)


def diff_against(
    spec_path: FilePath,
    against: FilePath,
    target: str,
    environ: Mapping[str, str],
    show_secrets: bool = False,
    env: str | None = None,
) -> DiffOutcome:
    validation, artifacts = api.render(spec_path, target, env)
    if not artifacts or validation.spec is None or (validation.environments and env is None):
        return DiffOutcome((validation,))
    try:
        live = read_live(against, target)
    except ReadProblem as problem:
        return DiffOutcome((validation,), notes=(problem.diagnostic,))
    found = _against(validation, artifacts, live, environ, show_secrets, target)
    notes = [*_unset_secrets(validation.spec, live, environ), *_absent(artifacts, live, target)]
    if _with_chart_defaults(live, target) and defaults_of(validation.spec) is None:
        message = f"airflowspec holds no defaults of {unknown_defaults(validation.spec)}"
        notes.append(warning("AS605", message, hint="a value equal to the chart's default shows as a change"))
    return DiffOutcome((validation,), tuple(found), tuple(dataclasses.replace(n, file=str(against)) for n in notes))


def _unset_secrets(spec: Spec, live: LiveInput, environ: Mapping[str, str]) -> list[Diagnostic]:
    unset = unset_secrets(spec, environ) if live.kind == "ssm-parameters" else []
    return [
        warning(
            "AS601",
            f"secret `{name}` cannot be compared: "
            + (f"`{variable}` is not set" if variable else "it has no `env` source"),
            hint=("set it" if variable else "give it one")
            + " to compare the parameters that hold it (they show as changed)",
        )
        for name, variable in unset
    ]


def _absent(artifacts: list[Artifact], live: LiveInput, target: str) -> list[Diagnostic]:
    """A rendered file the folder lacks is not compared; one the spec renders only at times is, as empty."""
    names = [artifact.path for artifact in artifacts if live.kind == "rendered" and artifact.path not in live.artifacts]
    return [warning("AS602", f"holds no {n}; it is not compared") for n in names if n not in TARGETS[target].optional]


def _against(
    validation: api.Validation,
    artifacts: list[Artifact],
    live: LiveInput,
    environ: Mapping[str, str],
    show: bool,
    target: str,
) -> Iterator[Change]:
    spec = validation.spec
    assert spec is not None
    optional = TARGETS[target].optional if live.kind == "rendered" else ()
    rendered = {artifact.path for artifact in artifacts}
    retired = [Artifact(name, "") for name in optional if name in live.artifacts and name not in rendered]
    for artifact in [*artifacts, *retired]:
        if artifact.path in optional:  # a script: any line of it may hold what someone wrote there by hand
            old = live.data.get(artifact.path, "")
            yield from changes(
                _script_context(target, spec, artifact.path, validation, artifact in retired),
                differences(old, artifact.text),
            )
            continue
        if artifact.path not in live.artifacts:
            continue
        deployed, desired, prefix, from_secret = live.pair(spec, artifact, environ)
        if _with_chart_defaults(live, target) and (defaults := defaults_of(spec)) is not None:
            deployed, desired = installed(deployed, defaults), installed(desired, defaults)
        judged = dataclasses.replace(
            located(artifact_context(target, spec, artifact.path, show), validation),
            old_is_live=live.is_live,
            from_secret=from_secret,
        )
        yield from changes(judged, differences(deployed, desired, prefix))


def _script_context(target: str, spec: Spec, artifact: str, validation: api.Validation, retired: bool) -> Context:
    """A rendered script read from a folder: every changed line masked, as a hand edit may hold a secret;
    `retired` when the spec renders it no more."""
    context = located(artifact_context(target, spec, artifact), validation)
    return dataclasses.replace(context, old_is_live=True, from_secret=lambda path: True, retired=retired)


def _with_chart_defaults(live: LiveInput, target: str) -> bool:
    """Values given to Helm: `helm get values`, or a render's values.yaml (compared as installed)."""
    return target == "eks" and live.kind in ("helm-values", "rendered")


def differences(old: Any, new: Any, prefix: Path = ()) -> Iterator[Difference]:
    """Parsed artifacts: data by path, requirements.txt (a text) by line."""
    if isinstance(old, str) and isinstance(new, str):
        return compare_lines(old, new)
    return compare(old, new, prefix)


def located(context: Context, validation: api.Validation) -> Context:
    """`context`, its changes placed where the validated spec sets each value, and a change of its
    packages told whether `packages resolve` resolved the new set."""
    spec = validation.spec
    assert spec is not None

    def origin(path: Path) -> Location:
        where = position(validation.document, spec_path(spec, context.artifact, path))
        return (validation.file, *where) if where else (validation.file, 0, 0)

    resolved = functools.cache(lambda: _resolved(validation, context.target))  # read once, and only if asked
    return dataclasses.replace(context, origin=origin, packages=resolved)


def _resolved(validation: api.Validation, target: str) -> str:
    spec = validation.spec
    assert spec is not None
    command = ["airflowspec", "packages", "resolve", shell_word(validation.file), "--target", target]
    command += ["--env", validation.env] if validation.env else []
    return resolutions.summary(spec, target, PLATFORM, command)


def artifact_context(target: str, spec: Spec, artifact: str, show_secrets: bool = False) -> Context:
    """What the changes to one of `spec`'s rendered files are judged by."""
    eks = spec.targets.eks or EksTarget()
    mwaa = spec.targets.mwaa
    strategy = mwaa.worker_replacement_strategy if mwaa else None
    store = chosen_store(mwaa).artifact if mwaa else "ssm-parameters.json"
    return Context(target, eks.chart, artifact, strategy, store, show_secrets)
