"""Facts about Amazon MWAA: its Airflow versions, environment classes and the options it owns.

Source: reference/mwaa.md (the MWAA API model in botocore 1.44.8, the CloudFormation registry
schema, and the aws/amazon-mwaa-docker-images repository, 2026).
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class MwaaVersion:
    python: str
    creatable: bool


#: Airflow versions MWAA has run, with the Python it runs them on. `creatable`: MWAA still creates
#: environments with it (EOL versions are kept to say so). 2.11.2, 3.2.1 and 3.3.1 ship in MWAA's
#: images and are reported deployed; the API's documented list lags behind them.
MWAA_VERSIONS = {
    "1.10.12": MwaaVersion("3.7", False),
    "2.0.2": MwaaVersion("3.7", False),
    "2.2.2": MwaaVersion("3.7", False),
    "2.4.3": MwaaVersion("3.10", False),
    "2.5.1": MwaaVersion("3.10", False),
    "2.6.3": MwaaVersion("3.10", False),
    "2.7.2": MwaaVersion("3.11", True),
    "2.8.1": MwaaVersion("3.11", True),
    "2.9.2": MwaaVersion("3.11", True),
    "2.10.1": MwaaVersion("3.11", True),
    "2.10.3": MwaaVersion("3.11", True),
    "2.11.0": MwaaVersion("3.12", True),
    "2.11.2": MwaaVersion("3.12", True),
    "3.0.6": MwaaVersion("3.12", True),
    "3.2.1": MwaaVersion("3.12", True),
    "3.3.1": MwaaVersion("3.12", True),
}

ENVIRONMENT_CLASSES = ("mw1.micro", "mw1.small", "mw1.medium", "mw1.large", "mw1.xlarge", "mw1.2xlarge")
#: mw1.micro runs one combined scheduler and one web server; every larger class takes 2-5 of each.
SINGLE_COMPONENT_CLASS = "mw1.micro"
MAX_COMPONENTS = 5  # schedulers, and web servers, on every class above mw1.micro

CONSTRAINTS_URL = "https://raw.githubusercontent.com/apache/airflow/constraints-{version}/constraints-{python}.txt"

SECRETS_BACKEND = "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend"
SECRETS_MANAGER_BACKEND = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"
#: MWAA's own default for `secrets.backend_kwargs`: aws_default stays the execution role, no SSM call.
AWS_DEFAULT_LOOKUP_PATTERN = "^(?!aws_default$).*$"

#: Options MWAA's images set themselves, whatever AirflowConfigurationOptions says; with the value
#: MWAA forces where it is a plain constant (setting exactly that is harmless).
MWAA_OWNED_OPTIONS: dict[tuple[str, str], str | None] = {
    ("core", "executor"): "CeleryExecutor",
    ("core", "fernet_key"): None,
    ("core", "load_examples"): "False",
    ("core", "auth_manager"): None,
    ("core", "execution_api_server_url"): None,
    ("celery", "broker_url"): None,
    ("celery", "result_backend"): None,
    ("celery", "celery_config_options"): None,
    ("celery", "worker_enable_remote_control"): "False",
    ("celery_broker_transport_options", "visibility_timeout"): "43200",
    ("operators", "default_queue"): None,
    ("database", "sql_alchemy_conn"): None,
    ("core", "sql_alchemy_conn"): None,
    ("logging", "logging_config_class"): None,
    ("logging", "colored_console_log"): None,
    ("scheduler", "standalone_dag_processor"): "True",
    ("webserver", "config_file"): None,
    ("webserver", "secret_key"): None,
    ("webserver", "cookie_secure"): None,
    ("fab", "config_file"): None,
    ("api", "secret_key"): None,
    ("api_auth", "jwt_secret"): None,
    ("api_auth", "jwt_algorithm"): None,
    ("execution_api", "jwt_expiration_time"): None,
    # Protected environment variables: MWAA restores its own value.
    ("webserver", "base_url"): None,
    ("api", "base_url"): None,
    ("core", "database_access_isolation"): None,
}
#: With MWAA's CloudWatch metrics on, every `metrics.*` StatsD setting is MWAA's; these three only
#: filter what its sidecar publishes.
METRICS_FILTERS = frozenset({"statsd_on", "metrics_allow_list", "metrics_block_list"})

#: Not MWAA's but airflowspec's when the spec has connections or variables: it points the secrets
#: backend at SSM (without them it sets no backend, and these are the user's). On Airflow 3 the
#: `workers` settings would replace that backend in tasks.
AIRFLOWSPEC_OWNED_SECTIONS = frozenset({"secrets"})
AIRFLOWSPEC_OWNED_OPTIONS = frozenset({("workers", "secrets_backend"), ("workers", "secrets_backend_kwargs")})

#: Tags of the environment (MWAA API): at most 50; keys 1-128 and values 1-256 characters.
MAX_TAGS = 50
DEFAULT_WORKER_QUOTA = 25


def mwaa_owns(section: str, option: str) -> bool:
    return (section, option) in MWAA_OWNED_OPTIONS or (section == "metrics" and option not in METRICS_FILTERS)


#: Patterns of the CloudFormation registry schema and the MWAA API model, unanchored: the rules anchor
#: them with \Z (`$` would also match before a trailing newline), and a template parameter's
#: AllowedPattern must match the whole value anyway.
ENVIRONMENT_NAME = r"[A-Za-z][A-Za-z0-9_-]*"
BUCKET_ARN = r"arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b)(-[a-z]+)?:s3:::[a-z0-9.\-]+"
ROLE_ARN = r"arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9_+=,.@/-]+"
_KEY_ID = r"[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}"
_KMS_ARN_PREFIX = r"arn:aws(-[a-z]+)?:kms:[a-z]{2}-[a-z]+-[0-9]:[0-9]+:"
KMS_KEY = rf"((({_KMS_ARN_PREFIX})?key/)?{_KEY_ID}|({_KMS_ARN_PREFIX})?alias/[A-Za-z0-9/_-]+)"
KMS_KEY_ARN = rf"{_KMS_ARN_PREFIX}key/{_KEY_ID}"
#: A key id alone, or `key/` and the id: the key's ARN is built in the stack's own account and Region.
KMS_KEY_ID = rf"(key/)?{_KEY_ID}"

#: SSM Parameter Store limits (SSM API model).
SSM_STANDARD_VALUE_BYTES = 4096
SSM_ADVANCED_VALUE_BYTES = 8192
SSM_MAX_LEVELS = 15
SSM_NAME_PATTERN = r"[a-zA-Z0-9_.\-/]+\Z"

#: Secrets Manager limits (its API model, botocore 1.43): a name of 1-512 ASCII letters, digits and
#: /_+=.@-; a SecretString of 1-65536 (its quota page says bytes, the stricter reading).
SECRETS_MANAGER_MAX_NAME = 512
SECRETS_MANAGER_MAX_VALUE_BYTES = 65536
SECRETS_MANAGER_NAME_PATTERN = r"[A-Za-z0-9/_+=.@-]+\Z"
