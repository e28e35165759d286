"""Which names hold a secret (airflowspec.sensitive): Airflow's list, and not the names of what a secret is
about. The one predicate warns (AS210), masks `diff` output and picks SecureString parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from airflowspec.cli import app
from airflowspec.diff.masking import REDACTED, hides, redact
from airflowspec.sensitive import SENSITIVE_WORDS, is_sensitive_name

SENSITIVE = [
    # the secret itself
    *("password", "passwd", "token", "secret", "api_key", "apiKey", "api-key", "aws_secret_access_key"),
    *("private_key", "privateKey", "ssh_key", "client_secret", "refresh_token", "fernet_key", "secret_key"),
    *("keyfile_dict", "private_key_passphrase", "token_header_value", "proxy_password", "https_proxy"),
    # a metadata word that ends one of Airflow's words is that word
    *("auth_header", "authHeader", "x-auth-header", "webhook_url"),
    # not metadata: an id can be a credential (Vault AppRole), a URL can be the secret (webhooks)
    *("secret_id", "aws_access_key_id", "token_url", "api_keys", "tokens", "password_value"),
    # a name with anything after it is no such name: the safe side
    *("token_header\n", "secret_name ", "ssh_key\n"),
]
NOT_SENSITIVE = [
    # the name of what a secret is about, or where it is
    *("token_header", "tokenHeader", "token-header", "token_headers", "secret_name", "secretName"),
    *("password_field", "private_key_file", "key_path", "token_path", "secret_arn", "ssh_key_name"),
    *("key_type", "token_type", "secret_dir", "password_files", "fernetKeySecretName"),
    # no sensitive word at all, or a name for where secrets are kept
    *("key", "keys", "monkey", "host", "login", "secrets_backend", "kms_key", "KmsKey"),
]


@pytest.mark.parametrize("name", SENSITIVE)
def test_names_of_secrets(name: str) -> None:
    assert is_sensitive_name(name)


@pytest.mark.parametrize("name", NOT_SENSITIVE)
def test_names_of_what_secrets_are_about(name: str) -> None:
    assert not is_sensitive_name(name)


def test_every_name_airflows_secrets_masker_hides_stays_sensitive() -> None:
    masker = pytest.importorskip("airflow._shared.secrets_masker.secrets_masker")
    fields = masker.DEFAULT_SENSITIVE_FIELDS
    assert len(fields) >= 12
    for name in fields:
        assert is_sensitive_name(name), name
        assert is_sensitive_name(name.upper()), name
        assert is_sensitive_name(f"my_{name}"), name
    assert set(fields) <= set(SENSITIVE_WORDS) | {"proxy_password"}  # that one holds `proxy` and `password`


def test_diff_masks_a_secret_and_shows_the_name_of_its_header() -> None:
    path = ("airflow", "connections", "api", "extra")
    assert not hides((*path, "token_header"), ("X-Old", "X-New"))
    for name in ("token", "secret_id", "auth_header", "private_key", "aws_secret_access_key"):
        assert hides((*path, name), ("old-value", "new-value")), name
    extra = {"token_header": "X-Api-Key", "token": "abc123", "secret_name": "api-credentials"}
    assert redact(extra) == {"token_header": "X-Api-Key", "token": REDACTED, "secret_name": "api-credentials"}


ANCHOR = "  retention_days: 30\n"


def test_diff_of_two_specs_shows_the_header_change_and_masks_the_secret(tmp_path: Path) -> None:
    text = (EXAMPLES / "seed" / "airflowspec.yaml").read_text(encoding="utf-8")
    paths = []
    for name, header, secret_id in (("old.yaml", "X-Old", "canary-1"), ("new.yaml", "X-New", "canary-2")):
        path = tmp_path / name
        path.write_text(text.replace(ANCHOR, f"{ANCHOR}  token_header: {header}\n  secret_id: {secret_id}\n"))
        paths.append(str(path))
    result = CliRunner().invoke(app, ["diff", *paths, "-t", "eks"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert '  ~ airflow.variables[key=token_header].value: "X-Old" -> "X-New"' in lines
    assert "  ~ airflow.variables[key=secret_id].value: (sensitive value changed)" in lines
    assert "canary" not in result.stdout
