"""The public pipeline: load -> validate -> compile. No printing, no exit codes."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from airflowspec import environments
from airflowspec.checks import run_checks
from airflowspec.checks.numbers import check_written_numbers
from airflowspec.checks.pins import check_pins
from airflowspec.diagnostics import Diagnostic, Severity, has_errors, sort_key, warning
from airflowspec.document import YamlMap
from airflowspec.inputs import MAX_BYTES
from airflowspec.loader import Loaded, load_file
from airflowspec.schema_errors import parse_spec
from airflowspec.sourcemap import locate
from airflowspec.spec import Spec
from airflowspec.targets import TARGETS, Artifact


@dataclasses.dataclass(frozen=True)
class Validation:
    """What `validate` found in one file: of one environment, or of the base and every environment."""

    file: str
    spec: Spec | None
    diagnostics: tuple[Diagnostic, ...]
    #: The command line named what is not there: a file that cannot be read, an environment not declared.
    io_error: bool = False
    #: The spec as checked (an environment's: merged), with the position of every value.
    document: YamlMap | None = dataclasses.field(default=None, repr=False, compare=False)
    #: The environment `spec` is; None for the base.
    env: str | None = None
    #: The environments the spec declares, in file order.
    environments: tuple[str, ...] = ()
    #: What could not be checked and how to check it (e.g. no constraints at hand): said once, no failure.
    notices: tuple[str, ...] = ()
    #: Of `validate` without `env`: the base's validation, then each environment's.
    variants: tuple[Validation, ...] = dataclasses.field(default=(), repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.spec is not None and not has_errors(self.diagnostics)

    def locate(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Place diagnostics found after validation (e.g. while pushing) in this file, less the warnings
        the spec acknowledges."""
        found = locate(_unacknowledged(list(diagnostics), self.spec), self.document, self.file)
        return sorted(_labelled(found, self.env, self.environments), key=sort_key)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cycle collector off while a spec is built: its passes grow with the heap and made a 10x spec
    cost 11x; the objects built here hold no cycles worth collecting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate(
    path: Path, targets: Sequence[str] | None = None, env: str | None = None, constraints: Path | None = None
) -> Validation:
    """Load and check a spec. `targets`: which target rules to apply; default, those the spec (or the
    environment) declares. `env`: check that environment only; None: the base and every environment,
    each diagnostic once, naming where it was found. `constraints`: Airflow's constraints file to check
    packages against; default, the cached one."""
    with gc_paused():
        return _validate(path, targets, env, every=env is None, constraints=constraints)


def _validate(
    path: Path,
    targets: Sequence[str] | None,
    env: str | None,
    every: bool = False,
    constraints: Path | None = None,
) -> Validation:
    file = str(path)
    loaded = load_file(path, file)
    if loaded.document is None:
        return Validation(file, None, loaded.diagnostics, loaded.io_error)
    parts = environments.within_budget(environments.split(loaded.document), loaded.weight, MAX_BYTES)
    names = parts.names
    located = [(_entry(d), d) for d in locate(parts.problems, loaded.document, file)]
    if env is not None and env not in parts.overlays:
        unknown = [] if env in parts.written else locate([environments.unknown(env, names)], None, file)
        found = [*unknown, *sorted(_grouped(located, bool(parts.written)), key=sort_key)]
        return Validation(file, None, tuple(found), bool(unknown), environments=names)
    chosen = [env] if env is not None else [None, *names] if every else [None]
    validations = [_variant(loaded, parts, name, targets, constraints) for name in chosen]
    for validation in validations:
        located += [(validation.env or environments.BASE, d) for d in validation.diagnostics]
    for validation, problem in _shared_deployments(validations[1:]):
        unacknowledged = _unacknowledged([problem], validation.spec)
        located += [(validation.env, d) for d in locate(unacknowledged, loaded.document, file)]
    grouped = _grouped(located, bool(parts.written))
    return dataclasses.replace(
        validations[0],
        diagnostics=tuple(sorted(grouped, key=sort_key)),
        environments=names,
        variants=tuple(dataclasses.replace(v, environments=names) for v in validations),
        notices=tuple(dict.fromkeys(notice for v in validations for notice in v.notices)),
    )


def _variant(
    loaded: Loaded,
    parts: environments.Split,
    env: str | None,
    targets: Sequence[str] | None,
    constraints: Path | None,
) -> Validation:
    """One environment's merged spec (the base's for None) through every rule of its targets."""
    document = parts.base if env is None else environments.merge(parts.base, parts.overlays[env])
    spec, problems = parse_spec(document, loaded.numbers)
    notices: list[str] = []
    if spec is not None:
        problems += run_checks(spec)
        problems += check_written_numbers(spec, document, loaded.numbers)
        checked = targets if targets is not None else declared_targets(spec)
        for name in checked:
            problems += TARGETS[name].check(spec)
        pins = check_pins(spec, checked, constraints)
        problems += pins.diagnostics
        notices = pins.notices
    located = locate(_unacknowledged(problems, spec), document, loaded.file)
    if env is not None:  # what the overlay writes in vain, where it writes it
        path = (environments.KEY, env)
        no_ops = environments.no_ops(parts.base, parts.overlays[env], path)
        located += locate(_unacknowledged(no_ops, spec), loaded.document, loaded.file)
    return Validation(loaded.file, spec, tuple(located), document=document, env=env, notices=tuple(notices))


def _shared_deployments(validations: Sequence[Validation]) -> Iterator[tuple[Validation, Diagnostic]]:
    """Environments that deploy what an earlier one deploys: the same Helm release in the same namespace,
    or the same MWAA environment name. Where they meet (one cluster; one AWS account and region) the later
    deploy replaces the earlier, and `secrets push` takes the other's parameters as its own."""
    seen: dict[tuple[str, ...], str] = {}
    for validation in validations:
        spec, env = validation.spec, str(validation.env)
        for key, what, rename, place in _deployments(spec) if spec is not None else ():
            other = seen.setdefault(key, env)
            if other != env:
                message = (
                    f"environment `{env}` deploys {what}, as `{other}` does: in one {place}, one replaces the other"
                )
                hint = f"give it its own {rename}, or acknowledge AS118 if {env} and {other} never share one"
                yield validation, warning("AS118", message, (environments.KEY, env), hint, on_key=True)


def _deployments(spec: Spec) -> Iterator[tuple[tuple[str, ...], str, str, str]]:
    """(what identifies it, what it is, what tells it apart, where two would meet) of each deployment."""
    eks, mwaa = spec.targets.eks, spec.targets.mwaa
    if eks is not None:
        release = eks.release_name or spec.name
        what = f"Helm release `{release}` in namespace `{eks.namespace}`"
        yield ("eks", eks.namespace, release), what, "`targets.eks.namespace` or `releaseName`", "cluster"
    if mwaa is not None and (mwaa.name is None or isinstance(mwaa.name, str)):  # a parameter differs each deploy
        name = mwaa.name or spec.name
        yield ("mwaa", name), f"MWAA environment `{name}`", "`name`", "AWS account and region"


def _entry(diagnostic: Diagnostic) -> str | None:
    """The environment whose entry of `environments:` a diagnostic is about; None for the block itself,
    and for an entry whose name is no environment's (AS110 quotes it, shortened)."""
    path = diagnostic.path
    entry = str(path[1]) if len(path) > 1 and path[0] == environments.KEY else ""
    return entry if environments.NAME.match(entry) and entry not in environments.RESERVED else None


def _grouped(found: list[tuple[str | None, Diagnostic]], labelled: bool) -> list[Diagnostic]:
    """Each diagnostic once; `labelled` (the spec has environments), naming those it was found in."""
    where: dict[Diagnostic, list[str]] = {}
    for env, diagnostic in found:
        where.setdefault(diagnostic, []).extend([env] if env else [])
    if not labelled:
        return list(where)
    return [dataclasses.replace(d, environments=tuple(dict.fromkeys(envs))) for d, envs in where.items()]


def _labelled(found: list[Diagnostic], env: str | None, names: tuple[str, ...]) -> list[Diagnostic]:
    return [dataclasses.replace(d, environments=(env or environments.BASE,)) for d in found] if names else found


def _unacknowledged(problems: list[Diagnostic], spec: Spec | None) -> list[Diagnostic]:
    """The spec's `acknowledge:` leaves out the warnings it names; never an error."""
    acknowledged = frozenset(code.upper() for code in spec.acknowledge) if spec is not None else frozenset()
    return [d for d in problems if d.severity is Severity.ERROR or d.code not in acknowledged]


def declared_targets(spec: Spec) -> list[str]:
    return [name for name in TARGETS if getattr(spec.targets, name) is not None]


def render(path: Path, target: str, env: str | None = None) -> tuple[Validation, list[Artifact]]:
    """Validate an environment (None: the base) for `target`, then compile when there are no errors."""
    with gc_paused():
        validation = _validate(path, [target], env)
        if not validation.ok or validation.spec is None:
            return validation, []
        source = path.name if env is None else f"{path.name}, environment {env}"
        return validation, TARGETS[target].compile(validation.spec, source)
