// What the mattermost-cloud image at the pinned release offers, transcribed from upstream so the
// rendered pods can be checked against it: the `cloud server` and `cloud schema migrate` flags
// (name -> pflag type), the environment the programs in the image read, and the image's layout.
//
// Source: github.com/mattermost/mattermost-cloud at tag v0.93.1 (annotated 2026-02-04, commit
// 832f8898), read from a git snapshot on 2026-12-04:
//   cmd/cloud/server_flag.go  every `cloud server` flag (83: command.Flags().<Type>Var(..., "<name>", ...))
//   cmd/cloud/main.go         root persistent flags (-y, --context) and populateEnv (viper prefix "cp")
//   cmd/cloud/schema_flag.go  `cloud schema` persistent flag --database
//   cmd/cloud/server.go       executeServerCmd: utilities-git-path/-url must be set; a DNS provider
//                             (Route 53 or CLOUDFLARE_API_TOKEN) must exist; checkRequirements
//   build/Dockerfile, build/bin/entrypoint, Makefile (tool versions)
// A bump of the image tag must re-transcribe this file: the test compares FLAGS_RELEASE with the pin.

/** The release these facts were transcribed from. */
export const FLAGS_RELEASE = "v0.93.1";

/** pflag value types used by cmd/cloud (the parser each uses: strconv / time.ParseDuration / CSV). */
export type FlagType = "Bool" | "Int" | "Int32" | "Int64" | "String" | "StringSlice" | "Duration";

/** `cloud server` local flags at v0.93.1, in server_flag.go's order. */
export const SERVER_FLAGS: Readonly<Record<string, FlagType>> = {
    // supervisorOptions
    "disable-all-supervisors": "Bool",
    "cluster-supervisor": "Bool",
    "group-supervisor": "Bool",
    "installation-supervisor": "Bool",
    "installation-deletion-supervisor": "Bool",
    "cluster-installation-supervisor": "Bool",
    "backup-supervisor": "Bool",
    "import-supervisor": "Bool",
    "installation-db-restoration-supervisor": "Bool",
    "installation-db-migration-supervisor": "Bool",
    "installation-deletion-pending-time": "Duration",
    "installation-deletion-max-updating": "Int64",
    "disable-dns-updates": "Bool",
    awat: "String",
    // schedulingOptions
    "balanced-installation-scheduling": "Bool",
    "prefer-stable-cluster-installation-scheduling": "Bool",
    "always-schedule-external-clusters": "Bool",
    "cluster-resource-threshold-scale-value": "Int",
    "cluster-resource-threshold": "Int",
    "cluster-resource-threshold-cpu-override": "Int",
    "cluster-resource-threshold-memory-override": "Int",
    "cluster-resource-threshold-pod-count-override": "Int",
    // provisioningParams
    "state-store": "String",
    "allow-list-cidr-range": "StringSlice",
    "slo-installation-groups": "StringSlice",
    "slo-enterprise-groups": "StringSlice",
    "vpn-list-cidr": "StringSlice",
    "use-existing-aws-resources": "Bool",
    "deploy-mysql-operator": "Bool",
    "deploy-minio-operator": "Bool",
    "mattermost-operator-helm-dir": "String",
    "ndots-value": "String",
    "backup-job-ttl-seconds": "Int32",
    "backup-restore-tool-image": "String",
    "etcd-quota-backend-bytes": "Int",
    "etcd-listen-metrics-urls": "String",
    "probe-liveness-failure-threshold": "Int32",
    "probe-liveness-success-threshold": "Int32",
    "probe-liveness-initial-delay-seconds": "Int32",
    "probe-liveness-period-seconds": "Int32",
    "probe-liveness-timeout-seconds": "Int32",
    "probe-readiness-failure-threshold": "Int32",
    "probe-readiness-success-threshold": "Int32",
    "probe-readiness-initial-delay-seconds": "Int32",
    "probe-readiness-period-seconds": "Int32",
    "probe-readiness-timeout-seconds": "Int32",
    // installationOptions
    "keep-database-data": "Bool",
    "keep-filestore-data": "Bool",
    "require-annotated-installations": "Bool",
    "gitlab-oauth": "String",
    "argocd-server-api": "String",
    "argocd-api-token": "String",
    "force-cr-upgrade": "Bool",
    "utilities-git-url": "String",
    "utilities-git-path": "String",
    "enable-s3-versioning": "Bool",
    "internal-ip-ranges": "StringSlice",
    // dbUtilizationSettings
    "max-installations-perseus": "Int",
    "max-installations-rds-postgres-pgbouncer": "Int",
    "max-installations-rds-postgres": "Int",
    "max-installations-rds-mysql": "Int",
    "disable-db-init-check": "Bool",
    // serverAuthFlags
    issuer: "String",
    audience: "String",
    "token-endpoint": "String",
    "restricted-client-ids": "StringSlice",
    "restricted-client-allowed-endpoints": "StringSlice",
    "jwks-url": "String",
    // serverFlags
    listen: "String",
    "metrics-port": "Int",
    debug: "Bool",
    dev: "Bool",
    "machine-readable-logs": "Bool",
    "enable-log-stacktrace": "Bool",
    "enable-log-files-per-cluster": "Bool",
    "log-files-per-cluster-path": "String",
    "grafana-url": "String",
    "grafana-tokens": "StringSlice",
    database: "String",
    "default-max-schemas-per-logical-database": "Int64",
    "installation-enable-route53": "Bool",
    poll: "Int",
    "slow-poll": "Int",
};

/** Persistent flags of the root command (main.go), accepted by every subcommand. */
export const ROOT_PERSISTENT_FLAGS: Readonly<Record<string, FlagType>> = { y: "Bool", context: "String" };

/** `cloud schema migrate`: the `schema` command's persistent --database (schema_flag.go). */
export const SCHEMA_MIGRATE_FLAGS: Readonly<Record<string, FlagType>> = { database: "String" };

/**
 * Flags `cloud server` cannot start without at v0.93.1 (executeServerCmd): utilities-git-path and
 * utilities-git-url ("must be set"), and the database (sqlStore fails on an empty DSN).
 */
export const SERVER_REQUIRED_FLAGS = ["utilities-git-url", "utilities-git-path", "database"] as const;

/**
 * `populateEnv` (main.go): viper with prefix "cp", '-' replaced by '_', AutomaticEnv: an
 * environment variable CP_<FLAG_NAME> sets any flag not given on the command line.
 */
export const ENV_PREFIX = "CP_";

/**
 * Environment variables the programs in the image read, and which program reads each (the pod
 * may set only these; anything else is a typo or dead configuration).
 */
export const KNOWN_ENV: Readonly<Record<string, string>> = {
    HOME: "os.UserHomeDir (cloud: ~/.ssh check), helm, kubectl, terraform, aws-cli",
    TMPDIR: "os.MkdirTemp (kops and terraform work directories)",
    HELM_CACHE_HOME: "helm",
    HELM_CONFIG_HOME: "helm",
    HELM_DATA_HOME: "helm",
    CHECKPOINT_DISABLE: "terraform (no version check calls)",
    TF_IN_AUTOMATION: "terraform",
    AWS_REGION: "AWS SDK for Go v2 (awsTools.NewAWSConfig), kops, aws-cli",
    AWS_DEFAULT_REGION: "aws-cli, kops (older SDK)",
    AWS_STS_REGIONAL_ENDPOINTS: "aws-cli, kops (older SDK)",
    GITLAB_OAUTH_TOKEN: "cloud server when --gitlab-oauth is empty (model.GitlabOAuthTokenKey)",
    // Read by nobody in the image: the kubelet expands $(DATABASE) in the container's args.
    DATABASE: "the kubelet ($(DATABASE) in args)",
};

/** build/Dockerfile and build/bin/entrypoint at v0.93.1. */
export const IMAGE = {
    /** ENV USER_UID=10001, USER ${USER_UID}. */
    uid: 10001,
    /** EXPOSE 8075, EXPOSE 8076 (--listen :8075 and --metrics-port 8076 defaults). */
    exposedPorts: [8075, 8076],
    /**
     * ENTRYPOINT /usr/local/bin/entrypoint: `exec ${CLOUD} $@` (CLOUD=/mattermost-cloud/cloud); a pod
     * `command` would bypass it, and the unquoted $@ splits any argument holding whitespace.
     */
    entrypoint: "/usr/local/bin/entrypoint",
    /** The binary, its helm-charts/ and manifests/ (WORKDIR). */
    appDir: "/mattermost-cloud",
    /**
     * checkRequirements needs these on PATH; the Dockerfile copies them to /usr/local/bin (versions
     * from the Makefile's TERRAFORM_VERSION, KOPS_VERSION, HELM_VERSION, KUBECTL_VERSION).
     */
    toolDir: "/usr/local/bin",
    tools: { terraform: "1.5.7", kops: "v1.28.4", helm: "v3.13.3", kubectl: "v1.28.9" },
    /** Variables the image's ENV defines and the entrypoint relies on. */
    env: ["CLOUD", "USER_UID", "USER_NAME"],
} as const;

// ---------------------------------------------------------------------------------------------
// A small pflag-style parser: what cobra would make of an argument list.

const INT_RANGES: Partial<Record<FlagType, [bigint, bigint]>> = {
    Int: [-(2n ** 63n), 2n ** 63n - 1n],
    Int64: [-(2n ** 63n), 2n ** 63n - 1n],
    Int32: [-(2n ** 31n), 2n ** 31n - 1n],
};
const BOOL_VALUES = ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"];
const DURATION_RE = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$|^0$/;

/** Why `value` is not a valid value of a flag of `type` (strconv.ParseBool/ParseInt, time.ParseDuration), or undefined. */
export function valueProblem(type: FlagType, value: string): string | undefined {
    switch (type) {
        case "Bool":
            return BOOL_VALUES.includes(value) ? undefined : `not a Bool: ${JSON.stringify(value)}`;
        case "Int":
        case "Int32":
        case "Int64": {
            if (!/^[-+]?\d+$/.test(value)) return `not an ${type}: ${JSON.stringify(value)}`;
            const [lo, hi] = INT_RANGES[type]!;
            const n = BigInt(value);
            return n < lo || n > hi ? `out of ${type} range: ${value}` : undefined;
        }
        case "Duration":
            return DURATION_RE.test(value) ? undefined : `not a Duration: ${JSON.stringify(value)}`;
        case "String":
        case "StringSlice":
            return undefined;
    }
}

export interface ParsedArgs {
    /** Positional arguments (the subcommand path). */
    positional: string[];
    /** Flag name -> value, in order (a repeated flag appears twice). */
    flags: [string, string][];
    problems: string[];
}

/**
 * Parses an argument list as pflag does for the given flag table: `--name=value`, `--name value`
 * (not for Bool, whose bare form means true), `-y`. Unknown flags, missing values, values of the
 * wrong type and repeated scalar flags are problems.
 */
export function parseFlags(args: readonly string[], table: Readonly<Record<string, FlagType>>): ParsedArgs {
    const out: ParsedArgs = { positional: [], flags: [], problems: [] };
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        const m = /^--?([^=]+)(=(.*))?$/s.exec(arg);
        if (!m) {
            out.positional.push(arg);
            continue;
        }
        const name = m[1];
        const type = table[name];
        if (type === undefined) {
            out.problems.push(`unknown flag --${name}`);
            continue;
        }
        let value = m[3];
        if (value === undefined) {
            if (type === "Bool") value = "true";
            else if (i + 1 < args.length) value = args[++i];
            else {
                out.problems.push(`--${name} needs a value`);
                continue;
            }
        }
        const problem = valueProblem(type, value);
        if (problem) out.problems.push(`--${name}: ${problem}`);
        if (type !== "StringSlice" && out.flags.some(([n]) => n === name)) out.problems.push(`--${name} given twice`);
        out.flags.push([name, value]);
    }
    return out;
}
