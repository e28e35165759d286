"""`airflow.config` against the options the spec's Airflow release reads (airflowspec/data/config_reference.py).

A section or option that release does not read is a warning (AS230): Airflow ignores it silently, so a typo
or an option in the wrong section would do nothing. The hint names the option meant: the same option in the
section that has it (`logging.delete_worker_pods` -> `kubernetes_executor.delete_worker_pods`), else the
closest name. Options of the providers the images ship count (`[celery]`, `[kubernetes_executor]`, `[aws]`,
`[fab]` ...), as do deprecated names the release still reads and the `_cmd`/`_secret` forms of sensitive
options; any option goes in a section Airflow passes whole to a library (`[sentry]`,
`[celery_broker_transport_options]` ...). A value Airflow parses as a boolean, an integer or a float that
would not parse is an error (AS231) at the value.

Other rules come first, and this check says nothing about their options: Airflow 3's moved and removed options
(AS218, AS219) and the options a declared target sets itself (AS306, AS411, AS412): their fix is another
name or removing the option.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterator
from types import ModuleType

from packaging.version import Version

from airflowspec.data.airflow3_config import MOVED_IN_AIRFLOW_3, REMOVED_IN_AIRFLOW_3
from airflowspec.diagnostics import Diagnostic, SpecPath, error, quote, warning
from airflowspec.spec import Spec
from airflowspec.spec.airflow import ConfigValue, option_text

Owned = Callable[[str, str], bool]

_SECRET_FORMS = frozenset({"_cmd", "_secret"})
_LONGEST_SUGGESTED = 100  # a longer name is no typo of an Airflow option
_BOOLEANS = frozenset({"t", "true", "1", "f", "false", "0"})  # AirflowConfigParser.getboolean
_TYPES = {
    "b": ("a boolean", "write `true` or `false`"),
    "i": ("an integer", "write a whole number"),
    "f": ("a number", "write a number such as `1.5`"),
}


#: Options read with gettimedelta, where an empty value means none (their default is empty).
_EMPTY_IS_NONE = frozenset({("core", "default_task_execution_timeout")})


def check_config(spec: Spec) -> Iterator[Diagnostic]:
    if not spec.airflow.config:
        return
    release = Version(spec.airflow.version)
    minor = f"{release.major}.{release.minor}"
    if minor not in _reference().MINORS:
        return  # not an Airflow 2 or 3 release: AS211/AS212 say so
    index = _reference().MINORS.index(minor)
    elsewhere = _reported_elsewhere(spec, release)
    for section, options in spec.airflow.config.items():
        ours = {option: value for option, value in options.items() if not elsewhere(section, option)}
        if ours and section not in _sections(index):
            yield _unknown_section(section, next(iter(ours)), minor, index)
        elif ours:
            for option, value in ours.items():
                yield from _option(section, option, value, minor, index)


def _option(section: str, option: str, value: ConfigValue, minor: str, index: int) -> Iterator[Diagnostic]:
    path: SpecPath = ("airflow", "config", section, option)
    letter = _letter(section, option, index)
    if letter == "-" and section not in _reference().OPEN_SECTIONS:
        message = f"Airflow {minor} reads no option {section}.{option}, so it has no effect"
        yield warning("AS230", message, path, _unknown_option_hint(section, option, index), on_key=True)
    text = option_text(value)
    if (section, option) in _EMPTY_IS_NONE and text == "":
        return
    if letter.lower() in _TYPES and not _parses(letter.lower(), text, minor):
        kind, hint = _TYPES[letter.lower()]
        yield error("AS231", f"Airflow {minor} parses {section}.{option} as {kind}, not {quote(text)}", path, hint)


def _letter(section: str, option: str, index: int) -> str:
    """The option's letter in the release (`-`: not read); a sensitive option's `_cmd`/`_secret` form is text."""
    column = _reference().OPTIONS.get(section, {}).get(option)
    if column:
        return str(column[index])
    base, _, form = option.rpartition("_")
    if f"_{form}" in _SECRET_FORMS and _letter(section, base, index).isupper():
        return "s"
    return "-"


def _unknown_option_hint(section: str, option: str, index: int) -> str:
    base, _, form = option.rpartition("_")
    if f"_{form}" in _SECRET_FORMS and _letter(section, base, index) != "-":
        return f"Airflow reads a `_{form}` form of sensitive options only; set `{section}.{base}` itself"
    if f"_{form}" in _SECRET_FORMS:
        suggestion = _option_suggestion(section, base, index)
        return _did_you_mean(f"{suggestion}_{form}" if suggestion else None)
    return _did_you_mean(_option_suggestion(section, option, index))


def _parses(letter: str, text: str, minor: str) -> bool:
    """As AirflowConfigParser's getboolean, getint and getfloat read the text; since 3.2 getint also
    takes a float that is a whole number (`32.0`)."""
    if letter == "b":
        return text.lower().strip().split("#")[0].strip() in _BOOLEANS
    try:
        (int if letter == "i" else float)(text)
    except ValueError:
        return letter == "i" and Version(minor) >= Version("3.2") and _whole(text)
    return True


def _whole(text: str) -> bool:
    try:
        return float(text).is_integer()
    except ValueError:
        return False


def sensitive_option(version: str, section: str, option: str) -> bool | None:
    """Whether the release marks the option sensitive (it reads its `_cmd`/`_secret` forms); None when
    the release or the option is not in the reference."""
    release = Version(version)
    minor = f"{release.major}.{release.minor}"
    if minor not in _reference().MINORS:
        return None
    letter = _letter(section, option, _reference().MINORS.index(minor))
    return None if letter == "-" else letter.isupper()


def _unknown_section(section: str, option: str, minor: str, index: int) -> Diagnostic:
    message = f"Airflow {minor} reads no section [{section}], so its options have no effect"
    suggestion = _closest(section, sorted(_sections(index))) or _section_of(option, index)
    return warning("AS230", message, ("airflow", "config", section), _did_you_mean(suggestion), on_key=True)


def _option_suggestion(section: str, option: str, index: int) -> str | None:
    """The same option in the section that has it, else the closest option of this section, else of any."""
    holders = [other for other in _current_sections(index) if option in _current_options(other, index)]
    if holders:
        return f"{holders[0]}.{option}"
    closest = _closest(option, _current_options(section, index))
    if closest:
        return f"{section}.{closest}"
    everything = [f"{other}.{name}" for other in _current_sections(index) for name in _current_options(other, index)]
    return _closest(f"{section}.{option}", everything, cutoff=0.8)


def _section_of(option: str, index: int) -> str | None:
    return next((section for section in _current_sections(index) if option in _current_options(section, index)), None)


def _closest(name: str, candidates: list[str], cutoff: float = 0.6) -> str | None:
    if len(name) > _LONGEST_SUGGESTED:
        return None
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=cutoff)
    return found[0] if found else None


def _did_you_mean(suggestion: str | None) -> str:
    if suggestion:
        return f"did you mean `{suggestion}`?"
    return "check the name; remove it unless a provider or plugin that airflowspec does not list reads it"


@functools.cache
def _sections(index: int) -> frozenset[str]:
    options = _reference().OPTIONS
    return frozenset(section for section, columns in options.items() if any(c[index] != "-" for c in columns.values()))


@functools.cache
def _current_options(section: str, index: int) -> list[str]:
    """The options of `section` the release reads under their own name (no deprecated names), sorted."""
    deprecated = _reference().DEPRECATED.get(section, {})
    columns = _reference().OPTIONS.get(section, {})
    return [
        name
        for name, column in columns.items()
        if column[index] != "-" and deprecated.get(name, "")[index : index + 1] != "d"
    ]


@functools.cache
def _current_sections(index: int) -> list[str]:
    return sorted(section for section in _sections(index) if _current_options(section, index))


def _reported_elsewhere(spec: Spec, release: Version) -> Owned:
    """Options whose rule comes first: Airflow 3's moved and removed ones, and those a declared target sets."""
    owners = _target_owners(spec)
    moved = release.major >= 3

    def reported(section: str, option: str) -> bool:
        if moved and ((section, option) in MOVED_IN_AIRFLOW_3 or (section, option) in REMOVED_IN_AIRFLOW_3):
            return True
        return any(owns(section, option) for owns in owners)

    return reported


def _target_owners(spec: Spec) -> list[Owned]:
    owners: list[Owned] = []
    if spec.targets.mwaa is not None:
        from airflowspec.data import mwaa

        owners.append(
            lambda section, option: (
                mwaa.mwaa_owns(section, option)
                or section in mwaa.AIRFLOWSPEC_OWNED_SECTIONS
                or (section, option) in mwaa.AIRFLOWSPEC_OWNED_OPTIONS
            )
        )
    if spec.targets.eks is not None:
        # The charts' tables live with their rules (targets.eks); imported here, once checks are loaded.
        from airflowspec.targets.eks import community_chart, official_chart

        chart = community_chart if spec.targets.eks.chart == "community" else official_chart
        owned = chart.CHART_OWNED_OPTIONS
        owners.append(lambda section, option: (section, _without_secret_form(option)) in owned)
    return owners


def _without_secret_form(option: str) -> str:
    return option.removesuffix("_cmd").removesuffix("_secret")


@functools.cache
def _reference() -> ModuleType:
    """The generated table (50 kB), imported at the first spec with `airflow.config`."""
    from airflowspec.data import config_reference

    return config_reference
