"""Which Helm values `targets.eks.values` may not set, per chart, and what to write instead.

OWNED: the keys the compiler writes (every path of a render lies at or below one of them:
tests/targets/test_eks_values.py renders specs that use every field on every release and checks it),
each with the spec field that sets it. A key is owned whole when the compiler writes it whole (a list, or a
mapping like `config`), otherwise key by key, so that a neighbour stays free: `dags.gitSync.resources`
may be set, `dags.gitSync.repo` may not.

SECRET_VALUES: keys that hold a secret's value, which airflowspec never writes into a file, each with where
the chart takes a Kubernetes Secret instead.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Values key (dotted) -> the spec fields that set it, as a message names them (NO_USERS: none).
Owned = Mapping[str, str]

_GIT = "`dags.from.git`"
_VOLUME = "`dags.from.volume`"
#: The users the charts would create, each with a password in values.yaml.
NO_USERS = ""

COMMUNITY_OWNED: Owned = {
    "airflow.legacyCommands": "`airflow.version`",
    "airflow.image.repository": "`targets.eks.image`",
    "airflow.image.tag": "`airflow.version` or `targets.eks.image`",
    "airflow.executor": "`airflow.executor`",
    "airflow.fernetKey": "`targets.eks.fernetKey`",
    "airflow.webserverSecretKey": "`targets.eks.webserverSecretKey`",
    "airflow.extraEnv": "`connections`, `targets.eks.fernetKey`, `targets.eks.webserverSecretKey` and `packageIndex`",
    "airflow.config": "`airflow.config`",
    "airflow.users": NO_USERS,
    "airflow.connections": "`connections`",
    "airflow.connectionsTemplates": "`connections`",
    "airflow.variables": "`variables`",
    "airflow.variablesTemplates": "`variables`",
    "airflow.pools": "`pools`",
    "airflow.extraVolumes": "`volumes`",
    "airflow.extraVolumeMounts": "`volumes`",
    "airflow.extraPipPackages": "`packages`",
    "airflow.kubernetesPodTemplate.extraPipPackages": "`packages`",
    "dags.path": "`dags.path`",
    **{f"dags.persistence.{key}": _VOLUME for key in ("enabled", "existingClaim", "subPath", "accessMode")},
    **{
        f"dags.gitSync.{key}": _GIT
        for key in (
            "enabled",
            "repo",
            "branch",
            "revision",
            "repoSubPath",
            "syncWait",
            "sshSecret",
            "sshSecretKey",
            "httpSecret",
            "httpSecretUsernameKey",
            "httpSecretPasswordKey",
            "sshKnownHosts",
        )
    },
    "externalDatabase": "`targets.eks.database`",
    "postgresql.enabled": "`targets.eks.database`",
    "externalRedis": "`targets.eks.redis`",
    "redis.enabled": "`targets.eks.redis` and `airflow.executor`",
    "workers.enabled": "`airflow.executor`",
    "flower.enabled": "`airflow.executor`",
    "triggerer.enabled": "`airflow.version`",
    "scheduler.logCleanup.enabled": "`volumes`",
    "workers.logCleanup.enabled": "`volumes`",
    **{f"serviceAccount.{key}": "`targets.eks.serviceAccount`" for key in ("create", "name", "annotations")},
    **{
        f"airflow.default{key}": "`targets.eks.components.defaults`"
        for key in ("NodeSelector", "Tolerations", "SecurityContext")
    },
    "airflow.usersTemplates": "`targets.eks.auth.admin`",
    "web.webserverConfig": "`targets.eks.auth.webserverConfig`",
    **{f"dags.persistence.{key}": "`volumes` (`create`)" for key in ("size", "storageClass")},
    "ingress.enabled": "`targets.eks.components.webserver.ingress`",
    "ingress.web": "`targets.eks.components.webserver.ingress`",
    "logs.persistence": "`targets.eks.logs.persistence`",
    "scheduler.logCleanup.retentionMinutes": "`targets.eks.logs.cleanup`",
    "workers.logCleanup.retentionMinutes": "`targets.eks.logs.cleanup`",
    "workers.logCleanup.resources": "`targets.eks.components.workers.autoscaling`",
    "pgbouncer.enabled": "`targets.eks.components.pgbouncer`",
    "pgbouncer.resources": "`targets.eks.components.pgbouncer`",
    **{f"redis.master.{key}": "`targets.eks.components.redis`" for key in ("nodeSelector", "tolerations")},
    **{
        f"{pod}.{key}": f"`targets.eks.components.{name}`"
        for pod, name, keys in (
            ("scheduler", "scheduler", ("replicas", "resources", "podDisruptionBudget")),
            ("web", "webserver", ("replicas", "resources", "podDisruptionBudget")),
            ("workers", "workers", ("replicas", "resources", "podDisruptionBudget", "safeToEvict", "autoscaling")),
            ("triggerer", "triggerer", ("replicas", "resources")),
        )
        for key in keys
    },
    "workers.podAnnotations": "`targets.eks.components.workers` (`annotations`, `safeToEvict`)",
}

#: What the compiler writes for a component's own settings (`targets.eks.components.<name>`).
_POD_FIELDS = (
    "replicas",
    "resources",
    "nodeSelector",
    "tolerations",
    "podAnnotations",
    "podDisruptionBudget",
    "safeToEvict",
)
_ACCOUNTS = ("scheduler", "apiServer", "webserver", "triggerer", "dagProcessor", "workers")
OFFICIAL_OWNED: Owned = {
    "airflowVersion": "`airflow.version`",
    "images.airflow.repository": "`targets.eks.image`",
    "images.airflow.tag": "`airflow.version` or `targets.eks.image`",
    "executor": "`airflow.executor`",
    "createUserJob.enabled": NO_USERS,
    "createUserJob.defaultUser": NO_USERS,
    "webserver.defaultUser": NO_USERS,
    "fernetKey": "`targets.eks.fernetKey`",
    "fernetKeySecretName": "`targets.eks.fernetKey`",
    "enableBuiltInSecretEnvVars.AIRFLOW__CORE__FERNET_KEY": "`targets.eks.fernetKey`",
    "webserverSecretKey": "`targets.eks.webserverSecretKey`",
    "webserverSecretKeySecretName": "`targets.eks.webserverSecretKey`",
    "enableBuiltInSecretEnvVars.AIRFLOW__WEBSERVER__SECRET_KEY": "`targets.eks.webserverSecretKey`",
    "apiSecretKey": "`targets.eks.webserverSecretKey`",
    "apiSecretKeySecretName": "`targets.eks.webserverSecretKey`",
    "enableBuiltInSecretEnvVars.AIRFLOW__API__SECRET_KEY": "`targets.eks.webserverSecretKey`",
    "jwtSecret": "`targets.eks.jwtSecret`",
    "jwtSecretName": "`targets.eks.jwtSecret`",
    "enableBuiltInSecretEnvVars.AIRFLOW__API_AUTH__JWT_SECRET": "`targets.eks.jwtSecret`",
    "scheduler.env": "`targets.eks.jwtSecret`",
    "apiServer.env": "`targets.eks.jwtSecret`",
    "env": "`variables` and `connections`",
    "secret": "`variables` and `connections`",
    "extraEnv": "`packageIndex` and `extraPackageIndexes`",
    "config": "`airflow.config`",
    "volumes": "`volumes`",
    "volumeMounts": "`volumes`",
    "dags.mountPath": "`dags.path`",
    **{f"dags.persistence.{key}": _VOLUME for key in ("enabled", "existingClaim", "subPath", "accessMode")},
    **{
        f"dags.gitSync.{key}": _GIT
        for key in (
            "enabled",
            "repo",
            "ref",
            "branch",
            "rev",
            "subPath",
            "period",
            "sshKeySecret",
            "sshKey",
            "credentialsSecret",
            "env",
            "knownHosts",
        )
    },
    "data.metadataSecretName": "`targets.eks.database`",
    "data.metadataConnection": "`targets.eks.database`",
    "postgresql.enabled": "`targets.eks.database`",
    "data.brokerUrlSecretName": "`targets.eks.redis`",
    "data.brokerUrl": "`targets.eks.redis`",
    "redis.enabled": "`targets.eks.redis`",
    **{
        f"{component}.serviceAccount.{key}": "`targets.eks.serviceAccount`"
        for component in (*_ACCOUNTS, "workers.celery", "workers.kubernetes")
        for key in ("create", "name", "annotations")
    },
    **{key: "`targets.eks.components.defaults`" for key in ("affinity", "nodeSelector", "tolerations", "labels")},
    "airflowPodAnnotations": "`targets.eks.components.defaults`",
    "securityContexts.pod": "`targets.eks.components.defaults`",
    **{f"{job}.useHelmHooks": "`targets.eks.useHelmHooks`" for job in ("createUserJob", "migrateDatabaseJob")},
    **{f"createUserJob.{key}": "`targets.eks.auth.admin`" for key in ("args", "env")},
    "webserver.webserverConfig": "`targets.eks.auth.webserverConfig`",
    "apiServer.apiServerConfig": "`targets.eks.auth.webserverConfig`",
    **{f"dags.persistence.{key}": "`volumes` (`create`)" for key in ("size", "storageClassName")},
    **{f"dags.gitSync.{key}": _GIT for key in ("depth", "maxFailures")},
    **{f"ingress.{key}": "`targets.eks.components.webserver.ingress`" for key in ("web", "apiServer")},
    "ingress.flower": "`targets.eks.components.flower.ingress`",
    "logs.persistence": "`targets.eks.logs.persistence`",
    "postgresql.primary": "`targets.eks.components.postgresql`",
    **{
        f"{pod}.{key}": f"`targets.eks.components.{name}`"
        for pod, name, keys in (
            (
                "scheduler",
                "scheduler",
                ("replicas", "resources", "nodeSelector", "podAnnotations", "podDisruptionBudget", "safeToEvict"),
            ),
            ("apiServer", "webserver", ("replicas", "resources", "podDisruptionBudget", "service")),
            ("webserver", "webserver", ("resources", "service")),
            ("triggerer", "triggerer", ("replicas", "podDisruptionBudget", "persistence")),
            ("dagProcessor", "dagProcessor", ("enabled", "replicas", "resources", "labels", "safeToEvict")),
            ("flower", "flower", ("enabled", "service")),
            ("statsd", "statsd", ("enabled", "podAnnotations", "securityContexts")),
            (
                "pgbouncer",
                "pgbouncer",
                ("replicas", "resources", "podAnnotations", "podDisruptionBudget", "enabled", "securityContexts"),
            ),
            ("redis", "redis", ("persistence", "resources", "safeToEvict")),
            # before 1.21.0 every worker setting is the deprecated `workers.*`'s
            ("workers", "workers", (*_POD_FIELDS, "keda", "persistence")),
            ("workers.celery", "workers", (*_POD_FIELDS, "keda", "persistence")),
            ("workers.kubernetes", "workers", ("nodeSelector", "podAnnotations", "safeToEvict")),
        )
        for key in keys
    },
    **{
        f"{pod}.logGroomerSidecar.{key}": "`targets.eks.logs.cleanup`"
        for pod in ("scheduler", "triggerer", "dagProcessor", "workers", "workers.celery")
        for key in ("enabled", "retentionDays")
    },
}

#: Values key (dotted) -> where the chart takes a Kubernetes Secret instead.
COMMUNITY_SECRET_VALUES: Mapping[str, str] = {
    "postgresql.postgresqlPassword": "`postgresql.existingSecret`, or `targets.eks.database` for your own database",
    "redis.password": "`redis.existingSecret`, or `targets.eks.redis` for a Redis of your own",
}
OFFICIAL_SECRET_VALUES: Mapping[str, str] = {
    "extraSecrets": "a Secret made beside the release, read through `extraEnvFrom` or mounted through `volumes`",
    "redis.password": "`redis.passwordSecretName`, or `targets.eks.redis` for a Redis of your own",
    "data.resultBackendConnection": "`data.resultBackendSecretName`",
    "elasticsearch.connection": "`elasticsearch.secretName`",
    "opensearch.connection": "`opensearch.secretName`",
    "registry.connection": "`registry.secretName`",
    "postgresql.auth.postgresPassword": "`postgresql.auth.existingSecret`, or `targets.eks.database`",
    "postgresql.auth.password": "`postgresql.auth.existingSecret`, or `targets.eks.database`",
    "kerberos.keytabBase64Content": "a Secret mounted through `volumes`",
}

OWNED = {"community": COMMUNITY_OWNED, "official": OFFICIAL_OWNED}
SECRET_VALUES = {"community": COMMUNITY_SECRET_VALUES, "official": OFFICIAL_SECRET_VALUES}
