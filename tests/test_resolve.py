"""`packages resolve`: pip itself resolves the packages for the target's Python and platform, against a
package index the tests build (tiny wheels in a folder), never the internet."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import without_notices
from typer.testing import CliRunner

from airflowspec.cli import app

SPEC = """\
apiVersion: airflowspec/v1
name: shop
airflow: {version: "2.10.3"}
packages:
  - alpha==1.0
  - PACKAGE
targets:
  mwaa:
    sourceBucketArn: "arn:aws:s3:::shop"
    executionRoleArn: "arn:aws:iam::123456789012:role/shop"
    network: {subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b], securityGroupIds: [sg-0123abcd]}
"""


def _wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> None:
    """A pure-Python wheel with its metadata and RECORD, as pip reads one."""
    dist = f"{name}-{version}"
    files = {
        f"{name}/__init__.py": "",
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        + "".join(f"Requires-Dist: {requirement}\n" for requirement in requires),
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    files[f"{dist}.dist-info/RECORD"] = "\n".join([*record, f"{dist}.dist-info/RECORD,,"]) + "\n"
    with zipfile.ZipFile(folder / f"{dist}-py3-none-any.whl", "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)


@pytest.fixture
def index(tmp_path: Path) -> Path:
    """alpha needs gamma 1.0, beta needs gamma 2.0: they cannot be installed together."""
    folder = tmp_path / "index"
    folder.mkdir()
    _wheel(folder, "alpha", "1.0", ("gamma==1.0",))
    _wheel(folder, "beta", "1.0", ("gamma==2.0",))
    _wheel(folder, "gamma", "1.0")
    _wheel(folder, "gamma", "2.0")
    return folder


def _resolve(tmp_path: Path, package: str, index: Path, *args: str) -> tuple[int, str, str, Path]:
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text(SPEC.replace("PACKAGE", package), encoding="utf-8")
    command = ["packages", "resolve", str(spec), "--no-index", "--find-links", str(index), *args]
    result = CliRunner().invoke(app, command)
    return result.exit_code, result.stdout, result.stderr, spec


def test_packages_that_resolve_print_and_lock_the_set(tmp_path: Path, index: Path) -> None:
    lock = tmp_path / "requirements.lock"
    code, out, err, _ = _resolve(tmp_path, "gamma", index, "--lock", str(lock))
    assert (code, out) == (0, "alpha==1.0\ngamma==1.0\n"), err
    assert lock.read_text() == out
    (tmp_path / "elsewhere").write_text("mine\n")
    lock.unlink()
    lock.symlink_to(tmp_path / "elsewhere")  # a link planted where the lock goes: refused, nothing written
    code, _, err, _ = _resolve(tmp_path, "gamma", index, "--lock", str(lock))
    assert code == 2 and "error AS603" in err
    assert (tmp_path / "elsewhere").read_text() == "mine\n"


def test_a_conflict_is_located_at_each_package_pip_names(tmp_path: Path, index: Path) -> None:
    code, out, err, spec = _resolve(tmp_path, "beta==1.0", index)
    assert (code, out) == (1, "")
    cause = "alpha 1.0 depends on gamma==1.0; beta 1.0 depends on gamma==2.0"
    hint = "loosen one of them, or pin the versions the constraints allow"
    assert err.splitlines() == [
        f"{spec}:5:5: error AS457 pip cannot resolve 'alpha==1.0': {cause}; {hint}",
        f"{spec}:6:5: error AS457 pip cannot resolve 'beta==1.0': {cause}; {hint}",
    ]


def test_airflow_s_constraints_take_part_in_the_resolution(tmp_path: Path, index: Path) -> None:
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("gamma==2.0\n")
    code, _, err, spec = _resolve(tmp_path, "gamma", index, "--constraints", str(constraints))
    assert code == 1
    assert f"{spec}:5:5: error AS457 pip cannot resolve 'alpha==1.0': " in err
    assert "The user requested (constraint) gamma==2.0" in err


def test_a_package_the_index_does_not_have_is_located(tmp_path: Path, index: Path) -> None:
    code, _, err, spec = _resolve(tmp_path, "delta>=1", index)
    assert code == 1
    assert err.startswith(f"{spec}:6:5: error AS457 pip cannot resolve 'delta>=1': ")


# A private index as a team runs one: https, a user name and a token, served on loopback by the test.
TOKEN = "canary-token-Rz4"
PRIVATE_SPEC = """\
apiVersion: airflowspec/v1
name: shop
airflow: {version: "2.10.3"}
packages: [PACKAGES]
packageIndex:
  url: URL
  username: deploy
  password: {secret: index-token}
secrets:
  index-token: {env: INDEX_TOKEN}
targets:
  mwaa:
    sourceBucketArn: "arn:aws:s3:::shop"
    executionRoleArn: "arn:aws:iam::123456789012:role/shop"
    network: {subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b], securityGroupIds: [sg-0123abcd]}
"""


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost; pip is told to trust the host (PIP_TRUSTED_HOST)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert, key_file = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert, key_file


@pytest.fixture
def private_index(index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    """The wheels of `index` behind https and basic auth (deploy / TOKEN); yields its URL and each
    Authorization header it was sent."""
    import http.server
    import ssl
    import threading

    expected = "Basic " + base64.b64encode(f"deploy:{TOKEN}".encode()).decode()
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="index"')
                self.end_headers()
                return
            parts = [part for part in self.path.split("/") if part]
            if parts[:1] == ["files"] and len(parts) == 2 and (index / parts[1]).is_file():
                body, kind = (index / parts[1]).read_bytes(), "application/octet-stream"
            elif parts[:1] == ["simple"] and len(parts) == 2:
                wheels = sorted(path.name for path in index.glob(f"{parts[1]}-*.whl"))
                body = "".join(f'<a href="/files/{name}">{name}</a>\n' for name in wheels).encode()
                kind = "text/html"
            else:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    cert, key = _certificate(tmp_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("PIP_TRUSTED_HOST", "localhost")  # pip skips verifying its self-signed certificate
    try:
        yield f"https://localhost:{server.server_address[1]}/simple/", seen
    finally:
        server.shutdown()
        server.server_close()


def _private_spec(tmp_path: Path, url: str, packages: str, name: str = "airflowspec.yaml") -> Path:
    spec = tmp_path / name
    spec.write_text(PRIVATE_SPEC.replace("URL", url).replace("PACKAGES", packages), encoding="utf-8")
    return spec


def test_resolve_goes_through_the_spec_s_private_index_with_its_credentials(
    tmp_path: Path, private_index: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, seen = private_index
    spec = _private_spec(tmp_path, url, "alpha==1.0, gamma")
    monkeypatch.setenv("INDEX_TOKEN", TOKEN)
    result = CliRunner().invoke(app, ["packages", "resolve", str(spec)])
    assert (result.exit_code, result.stdout) == (0, "alpha==1.0\ngamma==1.0\n"), result.stderr
    assert seen and set(seen) == {"Basic " + base64.b64encode(f"deploy:{TOKEN}".encode()).decode()}
    assert TOKEN not in result.stdout + result.stderr


def test_a_wrong_or_missing_credential_is_said_and_never_shown(
    tmp_path: Path, private_index: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = private_index
    spec = _private_spec(tmp_path, url, "alpha==1.0")
    result = CliRunner().invoke(app, ["packages", "resolve", str(spec)])
    assert result.exit_code == 2
    assert without_notices(result.stderr) == (
        f"{spec}:8:13: error AS459 cannot read secret 'index-token' of the index: INDEX_TOKEN is not set; "
        "set it, or resolve elsewhere with --index-url or --no-index\n"
    )
    wrong = "wrong-canary-Hq2"
    monkeypatch.setenv("INDEX_TOKEN", wrong)
    result = CliRunner().invoke(app, ["packages", "resolve", str(spec)])
    assert result.exit_code == 1
    assert "error AS457 pip cannot resolve 'alpha==1.0'" in result.stderr
    assert wrong not in result.stdout + result.stderr


def test_diff_says_whether_the_new_package_set_was_resolved(
    tmp_path: Path, private_index: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = private_index
    old = _private_spec(tmp_path, url, "alpha==1.0", "old.yaml")
    new = _private_spec(tmp_path, url, "alpha==1.0, gamma==1.0")
    runner = CliRunner()

    def note() -> str:
        result = runner.invoke(app, ["diff", str(old), str(new), "-t", "mwaa"])
        assert result.exit_code == 1, result.stderr
        return result.stdout.splitlines()[2]  # the note of the first change

    command = f"airflowspec packages resolve {new} --target mwaa"
    assert note().endswith(f"; this set was never resolved: run `{command}` first")
    monkeypatch.setenv("INDEX_TOKEN", TOKEN)
    assert runner.invoke(app, ["packages", "resolve", str(new), "-t", "mwaa"]).exit_code == 0
    assert note().endswith("; `packages resolve` resolved this set")
    new.write_text(new.read_text(encoding="utf-8").replace("gamma==1.0", "beta==1.0"), encoding="utf-8")
    assert runner.invoke(app, ["packages", "resolve", str(new), "-t", "mwaa"]).exit_code == 1
    assert note().endswith("; `packages resolve` could not resolve this set: it will not install")
