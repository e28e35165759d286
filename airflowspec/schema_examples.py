"""An example for each field the models give none, keyed `Model.field` as the schema names them.
Fields with a default take it as their example."""

from __future__ import annotations

from typing import Any

SECRET = {"secret": "warehouse-password"}

EXAMPLES: dict[str, Any] = {
    "Spec.apiVersion": "airflowspec/v1",
    "Spec.airflow": {"version": "2.9.2", "executor": "CeleryExecutor"},
    "Spec.dags": {"path": "/opt/efs/dags", "from": {"volume": "airflow-efs-dag"}},
    "Spec.volumes": {"airflow-efs-dag": {"claim": "efs-storage-claim", "mountPath": "/opt/efs"}},
    "Spec.connections": {
        "warehouse": {"type": "postgres", "host": "warehouse.internal", "password": SECRET},
        "reporting": {"secret": "reporting-connection"},
    },
    "Spec.pools": {"etl": {"slots": 8, "description": "ETL jobs"}},
    "Spec.secrets": {"warehouse-password": {"kubernetes": {"name": "airflow-warehouse", "key": "password"}}},
    "Spec.targets": {"eks": {"chart": "community", "namespace": "airflow"}},
    "Connection.description": "Analytics warehouse",
    "Connection.host": "warehouse.internal",
    "Connection.port": 5432,
    "Connection.schema": "analytics",
    "Connection.login": "etl",
    "DagSource.git": {"repo": "git@github.com:example/dags.git", "ref": "main", "subPath": "dags"},
    "Dags.from": {"volume": "airflow-efs-dag"},
    "Database.host": "airflow.cluster-abc123.eu-west-1.rds.amazonaws.com",
    "Database.port": 5432,
    "Database.user": "airflow",
    "Database.password": {"secret": "airflow-db-password"},
    "Database.url": {"secret": "airflow-db-url"},
    "EksTarget.chartVersion": "8.9.0",
    "EksTarget.releaseName": "data-platform",
    "EksTarget.image": {"repository": "registry.example.com/airflow", "tag": "2.9.2-python3.11"},
    "EksTarget.serviceAccount": {"roleArn": "arn:aws:iam::123456789012:role/airflow"},
    "EksTarget.fernetKey": {"secret": "fernet-key"},
    "EksTarget.webserverSecretKey": {"secret": "webserver-secret-key"},
    "EksTarget.jwtSecret": {"secret": "jwt-secret"},
    "EksTarget.database": {"host": "airflow-db.internal", "user": "airflow", "password": {"secret": "db-password"}},
    "EksTarget.redis": {"host": "redis.internal", "password": {"secret": "redis-password"}},
    "GitCredentials.username": {"secret": "git-user"},
    "GitCredentials.password": {"secret": "git-token"},
    "GitSource.revision": "v1.4.0",
    "GitSource.credentials": {"sshKey": {"secret": "git-ssh-key"}},
    "GitSource.knownHosts": "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    "GitSource.syncInterval": 60,
    "Logging.dagProcessing": "WARNING",
    "Logging.scheduler": "INFO",
    "Logging.task": "INFO",
    "Logging.webserver": "ERROR",
    "Logging.worker": "INFO",
    "MwaaTarget.requirementsS3ObjectVersion": "3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
    "MwaaTarget.pluginsS3Path": "plugins.zip",
    "MwaaTarget.pluginsS3ObjectVersion": "Vd2k8aZ0plugins42",
    "MwaaTarget.startupScriptS3Path": "startup.sh",
    "MwaaTarget.startupScriptS3ObjectVersion": "b7Zq9startup3",
    "MwaaTarget.network": {"subnetIds": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"], "securityGroupIds": ["sg-0123abcd"]},
    "MwaaTarget.workers": {"min": 1, "max": 10},
    "MwaaTarget.schedulers": 2,
    "MwaaTarget.webservers": {"min": 2, "max": 4},
    "MwaaTarget.logging": {"task": "INFO", "scheduler": "WARNING"},
    "MwaaTarget.kmsKey": "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "MwaaTarget.tags": {"team": "data-platform", "environment": "production"},
    "MwaaTarget.workerReplacementStrategy": "GRACEFUL",
    "MwaaTarget.ssm": {"connectionsPrefix": "/airflow/connections", "variablesPrefix": "/airflow/variables"},
    "MwaaTarget.properties": {},
    "MwaaTarget.secretsManager": {"connectionsPrefix": "airflow/connections", "variablesPrefix": "airflow/variables"},
    "Pool.description": "ETL jobs",
    "Pool.includeDeferred": True,
    "Redis.host": "redis.internal",
    "Redis.password": {"secret": "redis-password"},
    "Redis.url": {"secret": "broker-url"},
    "Secret.kubernetes": {"name": "airflow-warehouse", "key": "password"},
    "ServiceAccount.name": "airflow",
    "Targets.eks": {"chart": "community", "namespace": "airflow"},
    "Targets.mwaa": {
        "sourceBucketArn": "arn:aws:s3:::airflow-data-platform",
        "executionRoleArn": "arn:aws:iam::123456789012:role/mwaa-data-platform",
        "network": {"subnetIds": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"], "securityGroupIds": ["sg-0123abcd"]},
    },
    "ClaimVolume.subPath": "airflow",
}

#: Closed sets that the models keep as plain strings, so that a target rule reports them.
ENUMS: dict[str, list[str]] = {
    "MwaaTarget.environmentClass": ["mw1.micro", "mw1.small", "mw1.medium", "mw1.large", "mw1.xlarge", "mw1.2xlarge"],
}
