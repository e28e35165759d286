"""What CloudFormation would not read as plain data in the template: function names as map keys
(AS424) and dynamic references (AS425), wherever a spec string reaches template.yaml.

CloudFormation reads a one-key map keyed `Ref`, `Condition` or `Fn::…` as a function call, so
`tags: {Ref: AWS::NoValue}` would drop the tags; and it resolves `{{resolve:ssm:…}}`,
`{{resolve:ssm-secure:…}}` and `{{resolve:secretsmanager:…}}` in any string of the template, so a
config value holding one would put a parameter or a secret into the environment's properties, which
`aws mwaa get-environment` shows in clear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from airflowspec.diagnostics import Diagnostic, SpecPath, error, quote
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.spec.airflow import option_text
from airflowspec.targets.mwaa.rules import MWAA

#: CloudFormation's function keys (cfn-lint's FUNCTIONS_ALL: `Ref`, `Condition` and every `Fn::`).
_FUNCTION_KEYS = frozenset({"Ref", "Condition"})
_FUNCTION_PREFIX = "Fn::"
#: `{{resolve:` in any case, with or without spaces (which CloudFormation refuses rather than ignores).
_DYNAMIC_REFERENCE = re.compile(r"\{\{\s*resolve\s*:", re.IGNORECASE)


def check_template_strings(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    for path, text, is_key in _template_strings(spec, mwaa):
        if is_key and (text in _FUNCTION_KEYS or text.startswith(_FUNCTION_PREFIX)):
            yield error(
                "AS424",
                f"{quote(text)} is a CloudFormation function name: as a key it turns this map into a function call",
                path,
                "rename the key; CloudFormation reads a map keyed `Ref`, `Condition` or `Fn::…` as a function",
                on_key=True,
            )
        if _DYNAMIC_REFERENCE.search(text):
            yield error(
                "AS425",
                f"this {'key' if is_key else 'value'} holds a CloudFormation dynamic reference (`{{{{resolve:…}}}}`): "
                "what it names would be written into the environment's properties, in clear",
                path,
                "write the value itself; keep secrets under `secrets:`, which reach MWAA through SSM",
                on_key=is_key,
            )


def _template_strings(spec: Spec, mwaa: MwaaTarget) -> Iterator[tuple[SpecPath, str, bool]]:
    """Every spec string that template.yaml holds: (path, text, whether it is a mapping key)."""
    yield ("name",), spec.name, False
    for section, options in spec.airflow.config.items():
        yield ("airflow", "config", section), section, True
        for option, value in options.items():
            yield ("airflow", "config", section, option), option, True
            yield ("airflow", "config", section, option), option_text(value), False
    yield from _strings(mwaa, MWAA)


def _strings(node: object, path: SpecPath) -> Iterator[tuple[SpecPath, str, bool]]:
    if isinstance(node, str):
        yield path, node, False
    elif isinstance(node, BaseModel):
        for name, field in type(node).model_fields.items():
            yield from _strings(getattr(node, name), (*path, field.alias or name))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield (*path, key), str(key), True
            yield from _strings(value, (*path, key))
    elif isinstance(node, (list, tuple)):
        for index, value in enumerate(node):
            yield from _strings(value, (*path, index))
