"""No check lets a trailing newline through (issue 10, defect 12).

Python's `$` also matches before a final newline, so our own patterns end in `\\Z`. The spec models'
`Field(pattern=...)` patterns are written with `$`, but pydantic-core runs them with Rust's regex,
where `$` is the end of the text: this is proved here for every pattern the spec's schema holds,
rather than assumed. The exact diagnostics for keys are in tests/cases/invalid/key-trailing-newline.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import SchemaValidator, ValidationError

from airflowspec.sensitive import URL_WITH_PASSWORD, is_sensitive_name
from airflowspec.spec import Spec


def _string_schemas(node: Any, config: Any = None) -> list[tuple[dict[str, Any], Any]]:
    """Each `str` schema with a pattern in the spec's core schema, with the config of the model around it."""
    found: list[tuple[dict[str, Any], Any]] = []
    if isinstance(node, dict):
        config = node.get("config", config)
        if node.get("type") == "str" and "pattern" in node:
            found.append((node, config))
        for value in node.values():
            found += _string_schemas(value, config)
    elif isinstance(node, list):
        for value in node:
            found += _string_schemas(value, config)
    return found


Spec.model_rebuild(force=True)  # the models build on first use (defer_build)
STRING_SCHEMAS = _string_schemas(Spec.__pydantic_core_schema__)
END_ANCHORED = [(schema, config) for schema, config in STRING_SCHEMAS if schema["pattern"].endswith("$")]


def test_the_spec_has_patterns_and_none_runs_on_pythons_re() -> None:
    assert len(END_ANCHORED) >= 15
    # Every pattern is anchored at the end: an absolute path too, since a path holds no control character.
    assert {schema["pattern"] for schema, _ in STRING_SCHEMAS} == {schema["pattern"] for schema, _ in END_ANCHORED}
    for schema, config in STRING_SCHEMAS:
        assert schema.get("regex_engine", "rust-regex") == "rust-regex"
        assert (config or {}).get("regex_engine", "rust-regex") == "rust-regex"


@pytest.mark.parametrize(("schema", "config"), END_ANCHORED, ids=lambda value: str(value and value.get("pattern")))
@given(data=st.data())
def test_every_end_anchored_pattern_refuses_a_trailing_newline(
    schema: dict[str, Any], config: Any, data: st.DataObject
) -> None:
    pattern = schema["pattern"]
    valid = data.draw(
        st.from_regex(pattern, fullmatch=True).filter(
            lambda text: (
                re.fullmatch(pattern.removesuffix("$") + r"\Z", text) is not None
                and len(text) < schema.get("max_length", 10**9)
            )
        )
    )
    validator = SchemaValidator(schema, config)
    assert validator.validate_python(valid) == valid
    with pytest.raises(ValidationError, match="should match pattern"):
        validator.validate_python(valid + "\n")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("secret name", {"secrets": {"pw\n": {"env": "PW"}}}),
        ("env name", {"secrets": {"pw": {"env": "PW\n"}}}),
        ("spec name", {"name": "demo\n"}),
        ("config option", {"airflow": {"version": "2.9.2", "config": {"core": {"parallelism\n": 1}}}}),
        ("airflow version", {"airflow": {"version": "2.9.2\n"}}),
    ],
)
def test_the_spec_model_refuses_a_trailing_newline(field: str, value: dict[str, Any]) -> None:
    document = {"apiVersion": "airflowspec/v1", "name": "demo", "airflow": {"version": "2.9.2"}, **value}
    with pytest.raises(ValidationError, match="should match pattern"):
        Spec.model_validate(document)


@pytest.mark.parametrize("name", ["secrets_backend\n", "kms_key\n", "KmsKey\n", "ssh_key\n", "api-key\r\n"])
def test_a_trailing_newline_never_unmasks_a_name(name: str) -> None:
    """`secrets_backend` is not secret, but `secrets_backend` plus a newline is no such option: mask it."""
    assert is_sensitive_name(name)


@pytest.mark.parametrize("name", ["key", "keys", "monkey", "ssh_keys", "secrets_backend", "kms_key", "KmsKey"])
def test_names_that_hold_no_secret(name: str) -> None:
    assert not is_sensitive_name(name)


OLD_URL_WITH_PASSWORD = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@", re.IGNORECASE)


@pytest.mark.parametrize("text", ["1a://u:p@h", "-x://u:p@h", "a1b.c+d-e://:p@h", "see: s3://u:p@h", "x://a:b:c@h"])
def test_the_linear_url_pattern_finds_what_the_old_one_found(text: str) -> None:
    assert bool(URL_WITH_PASSWORD.search(text)) == bool(OLD_URL_WITH_PASSWORD.search(text)) is True


@given(st.text(alphabet="aZ1+.-:/@ \t\u212a_x", max_size=16))
def test_the_linear_url_pattern_finds_all_the_old_one_did_and_only_schemes_without_a_letter_more(text: str) -> None:
    found, before = URL_WITH_PASSWORD.search(text), OLD_URL_WITH_PASSWORD.search(text)
    if before:
        assert found
    elif found:  # the one difference: scheme characters before `://`, none of them a letter
        scheme = re.search(r"[a-z0-9+.-]+\Z", text[: found.start()], re.IGNORECASE)
        assert scheme and not re.search("[a-z]", scheme.group(), re.IGNORECASE), text
