"""Literal secrets are warnings; secret references nested in data are errors."""

from __future__ import annotations

from helpers import diagnose

BASE = 'apiVersion: airflowspec/v1\nname: demo\nairflow:\n  version: "2.8.4"\n'


def test_literal_numbers_and_nested_values_at_secret_like_keys_warn() -> None:
    found = diagnose(
        BASE + "  config:\n    smtp: {smtp_password: 123456}\n"
        "variables:\n  api_key: 98765\n  nested: {auth: {token: abc}}\n"
    )
    assert found == [(6, 27, "AS210"), (8, 12, "AS210"), (9, 26, "AS210")]


def test_urls_that_carry_a_password_warn() -> None:
    found = diagnose(
        BASE + 'dags:\n  from: {git: {repo: "https://x-access-token:ghp_abc@github.com/o/r.git"}}\n'
        'connections:\n  c: {type: http, host: "https://u:p@h"}\n'
        'packages: ["pkg @ https://u:p@pypi.internal/pkg.whl"]\n'
    )
    assert found == [(6, 22, "AS215"), (8, 25, "AS215"), (9, 12, "AS215")]


def test_plain_ssh_user_in_a_url_is_not_a_password() -> None:
    assert diagnose(BASE + 'dags:\n  from: {git: {repo: "ssh://git@example.com/o/r.git"}}\n') == []


def test_a_nested_secret_reference_is_an_error_not_data() -> None:
    found = diagnose(
        BASE + "secrets:\n  s: {env: S}\nvariables:\n  v: {ref: {secret: s}}\n"
        "connections:\n  c: {type: http, extra: {auth: {token: {secret: s}}}}\n"
    )
    assert found == [(6, 3, "AS202"), (8, 12, "AS214"), (10, 41, "AS214")]


def test_a_password_without_a_user_name_warns() -> None:
    found = diagnose(BASE + 'variables:\n  cache: "redis://:s3cr3t@redis.internal:6379/0"\n')
    assert found == [(6, 10, "AS215")]


def test_the_name_of_a_header_is_no_secret() -> None:
    """issue 11, item 18: `token_header` names the header that carries the token."""
    connection = 'connections:\n  c: {type: http, extra: {token_header: "X-$KEY", token: abc, secret_name: creds}}\n'
    assert diagnose(BASE + connection) == [(6, 58, "AS210")]


def test_settings_named_like_masked_words_are_no_literal_secret() -> None:
    """Airflow masks `proxy`, `dsn`, `bearer` … to be safe; they name plain settings as often (issue 11
    review): no AS210 for booleans, empty values, numbers at names that do not end in a secret's word, or
    text at mask-only names; a sensitive option by Airflow's own reference still warns."""
    found = diagnose(
        BASE + "  config:\n"
        "    webserver: {enable_proxy_fix: true, proxy_fix_x_for: 1}\n"
        "    sentry: {dsn: ''}\n"
        '    database: {sql_alchemy_conn: "postgresql://u@h/db"}\n'
        "variables: {proxy_host: proxy.internal, bearer_token_ttl: 3600, access_key_rotation_days: 90,"
        " connection_string_format: odbc, api_token: abc}\n"
    )
    assert found == [(8, 34, "AS210"), (9, 138, "AS210")]
