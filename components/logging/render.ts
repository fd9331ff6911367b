// Rendered files and documents of LoggingPipeline, as typed objects built by pure functions:
//  - the Fluent Bit configuration (YAML format) and the official chart's values, reusable by any
//    cluster that ships to the same domain (the workload-cluster component passes awsRoleArn to
//    assume a role in the C&C account);
//  - the OpenSearch documents the bootstrap applies: ISM policy, index template, security roles
//    and role mappings, Dashboards index patterns.
import * as YAML from "yaml";
import type { AuditSettings, BootstrapDesiredState, IndexTemplate, IsmPolicy, RoleMapping, SecurityRole } from "../../functions/opensearch-bootstrap/contract";
import { versions } from "../common/versions";
import { IRSA_ROLE_ANNOTATION } from "../common/irsa";
import { FLUENT_BIT_RELEASE, FLUENT_BIT_SERVICE_ACCOUNT, INDEX_PATTERN, LOGGING_NAMESPACE, OPENSEARCH_NAMES, logstashPrefix } from "./plan";
import { LOGGING_DEFAULTS } from "./schema";

// ---------------------------------------------------------------------------------------------
// Fluent Bit
// ---------------------------------------------------------------------------------------------

/** One plugin section (input, filter or output): `name` plus its properties. */
export interface FluentBitPlugin {
    name: string;
    [property: string]: string | number;
}

/** Fluent Bit's YAML configuration (fluent-bit.yaml). */
export interface FluentBitConfig {
    service: Record<string, string | number>;
    pipeline: { inputs: FluentBitPlugin[]; filters: FluentBitPlugin[]; outputs: FluentBitPlugin[] };
}

/** What a cluster's Fluent Bit needs to ship to the central domain. */
export interface FluentBitConfigOptions {
    /** Domain endpoint host, without scheme (vpc-<name>-<id>.<region>.es.amazonaws.com). */
    endpoint: string;
    /** Region of the domain (SigV4 signing region). */
    region: string;
    /** The shipping cluster's id: indices `logs-<clusterId>-YYYY.MM.DD`, field `cluster_id`. */
    clusterId: string;
    /** Role to assume before signing (a workload cluster shipping cross-account); unset: the pod's own IRSA role. */
    awsRoleArn?: string;
    /** External ID for awsRoleArn, if its trust policy requires one. */
    awsExternalId?: string;
    /** Regional STS endpoint for the assume-role call (private clusters with an STS VPC endpoint). */
    awsStsEndpoint?: string;
    /** Namespace Fluent Bit runs in; its own container logs are not collected. Default "logging". */
    namespace?: string;
    /** Container name of the Fluent Bit pods (the chart's name). Default "fluent-bit". */
    containerName?: string;
    /** Host directory (a hostPath) holding buffered chunks and tail offsets. Default /var/fluent-bit/state. */
    stateDir?: string;
    /** Disk the output may use for chunks waiting on OpenSearch. Default "5G". */
    storageTotalLimitSize?: string;
    /** Retries of one chunk before it is dropped. Default 100 (about 12 hours of outage, see README). */
    retryLimit?: number;
    /** Log level of Fluent Bit itself. Default "info". */
    logLevel?: string;
    /** HTTP server port (health and metrics; the chart's probes use it). Default 2020. */
    httpPort?: number;
}

export const FLUENT_BIT_DEFAULTS = {
    namespace: LOGGING_NAMESPACE,
    containerName: "fluent-bit",
    stateDir: "/var/fluent-bit/state",
    storageTotalLimitSize: "5G",
    retryLimit: 100,
    logLevel: "info",
    httpPort: 2020,
    /** Retry backoff: full jitter between base and min(cap, base * 2^n) seconds. */
    schedulerBase: 5,
    schedulerCap: 900,
} as const;

/** The tag every container record carries (tail input on /var/log/containers). */
export const CONTAINER_TAG = "kube.*";

/**
 * The parsers file of the official image: fluent/fluent-bit's dockerfiles/Dockerfile (v5.0.9)
 * copies conf/parsers.conf (json, logfmt, docker, cri, nginx, apache, envoy, ...) to
 * /fluent-bit/etc/. The chart mounts its ConfigMap at /fluent-bit/etc/conf, so the file stays
 * visible. Fluent Bit picks a parsers file's format by its extension (.conf: classic), so the YAML
 * config loads it with `service.parsers_file`. The image ships no YAML parsers file.
 */
export const FLUENT_BIT_IMAGE_PARSERS_FILE = "/fluent-bit/etc/parsers.conf";

/**
 * Parsers a pod may name in its `fluentbit.io/parser` annotation (README, "Fluent Bit"): each is
 * defined in the image's parsers.conf (tests check it). The kubernetes filter applies the
 * annotated parser to the `log` field inside its Merge_Log step. JSON logs need no annotation:
 * Merge_Log unpacks them with the built-in JSON decoder.
 */
export const FLUENT_BIT_ANNOTATION_PARSERS = ["json", "logfmt", "nginx", "k8s-nginx-ingress", "apache2", "envoy"] as const;

/**
 * The Fluent Bit configuration for one cluster. Pure: the same options give the same object.
 *
 * - the image's parsers file loaded (`service.parsers_file`): the parsers pods name in
 *   `fluentbit.io/parser` annotations (json, logfmt, nginx, ...) exist;
 * - tail on /var/log/containers with the built-in docker and cri multiline parsers (container
 *   runtime framing), Fluent Bit's own containers excluded (their errors during an outage would
 *   otherwise feed back into the pipeline), offsets in a SQLite DB on the host;
 * - multiline filter with the built-in go and java parsers (stack traces), then the kubernetes
 *   filter (namespace, pod, labels; JSON logs merged under `log_processed`; pods can suggest a
 *   parser with `fluentbit.io/parser` and opt out with `fluentbit.io/exclude: "true"`), then
 *   `cluster_id`;
 * - opensearch output signed with SigV4 (AWS_Auth), TLS verified, daily `logs-<clusterId>-*`
 *   indices, deterministic IDs (Generate_ID) so retries do not duplicate;
 * - filesystem buffering end to end: an OpenSearch outage fills the host disk up to
 *   storage.total_limit_size instead of losing logs; chunks survive pod restarts.
 */
export function buildFluentBitConfig(o: FluentBitConfigOptions): FluentBitConfig {
    const d = FLUENT_BIT_DEFAULTS;
    const namespace = o.namespace ?? d.namespace;
    const container = o.containerName ?? d.containerName;
    const stateDir = (o.stateDir ?? d.stateDir).replace(/\/+$/, "");
    const output: FluentBitPlugin = {
        name: "opensearch",
        match: CONTAINER_TAG,
        host: o.endpoint,
        port: 443,
        tls: "on",
        "tls.verify": "on",
        aws_auth: "on",
        aws_region: o.region,
        ...(o.awsRoleArn ? { aws_role_arn: o.awsRoleArn } : {}),
        ...(o.awsExternalId ? { aws_external_id: o.awsExternalId } : {}),
        ...(o.awsStsEndpoint ? { aws_sts_endpoint: o.awsStsEndpoint } : {}),
        suppress_type_name: "on",
        logstash_format: "on",
        logstash_prefix: logstashPrefix(o.clusterId),
        logstash_dateformat: "%Y.%m.%d",
        time_key: "@timestamp",
        generate_id: "on",
        replace_dots: "on",
        trace_error: "on",
        buffer_size: "5MB",
        compress: "gzip",
        workers: 2,
        retry_limit: o.retryLimit ?? d.retryLimit,
        "storage.total_limit_size": o.storageTotalLimitSize ?? d.storageTotalLimitSize,
    };
    return {
        service: {
            flush: 1,
            log_level: o.logLevel ?? d.logLevel,
            http_server: "on",
            http_listen: "0.0.0.0",
            http_port: o.httpPort ?? d.httpPort,
            health_check: "on",
            parsers_file: FLUENT_BIT_IMAGE_PARSERS_FILE,
            "storage.path": `${stateDir}/flb-storage/`,
            "storage.sync": "normal",
            "storage.checksum": "off",
            "storage.backlog.mem_limit": "50M",
            "storage.max_chunks_up": 128,
            "storage.metrics": "on",
            "scheduler.base": d.schedulerBase,
            "scheduler.cap": d.schedulerCap,
        },
        pipeline: {
            inputs: [
                {
                    name: "tail",
                    tag: CONTAINER_TAG,
                    path: "/var/log/containers/*.log",
                    exclude_path: `/var/log/containers/*_${namespace}_${container}-*.log`,
                    "multiline.parser": "docker, cri",
                    db: `${stateDir}/flb_kube.db`,
                    "db.locking": "true",
                    refresh_interval: 10,
                    skip_long_lines: "on",
                    mem_buf_limit: "50MB",
                    "storage.type": "filesystem",
                },
            ],
            filters: [
                {
                    name: "multiline",
                    match: CONTAINER_TAG,
                    "multiline.key_content": "log",
                    "multiline.parser": "go, java",
                    buffer: "on",
                    flush_ms: 2000,
                    emitter_name: "multiline_emitter",
                    "emitter_storage.type": "filesystem",
                    emitter_mem_buf_limit: "50M",
                },
                {
                    name: "kubernetes",
                    match: CONTAINER_TAG,
                    kube_tag_prefix: "kube.var.log.containers.",
                    merge_log: "on",
                    merge_log_key: "log_processed",
                    keep_log: "off",
                    labels: "on",
                    annotations: "off",
                    "k8s-logging.parser": "on",
                    "k8s-logging.exclude": "on",
                    buffer_size: "0",
                },
                { name: "record_modifier", match: CONTAINER_TAG, record: `cluster_id ${o.clusterId}` },
            ],
            outputs: [output],
        },
    };
}

const KEY_ORDER = ["service", "pipeline", "inputs", "filters", "outputs", "name", "match", "tag"];

function keyRank(key: string): number {
    const i = KEY_ORDER.indexOf(key);
    return i === -1 ? KEY_ORDER.length : i;
}

/** fluent-bit.yaml text: service before pipeline, inputs/filters/outputs in flow order, `name`/`match`/`tag` first, other keys sorted: stable previews. */
export function serializeFluentBitConfig(config: FluentBitConfig): string {
    return YAML.stringify(config, {
        sortMapEntries: (a, b) => {
            const ka = String((a.key as { value?: unknown })?.value ?? a.key);
            const kb = String((b.key as { value?: unknown })?.value ?? b.key);
            return keyRank(ka) - keyRank(kb) || (ka < kb ? -1 : ka > kb ? 1 : 0);
        },
        lineWidth: 0,
    });
}

/** buildFluentBitConfig + serializeFluentBitConfig. */
export function renderFluentBitConfig(o: FluentBitConfigOptions): string {
    return serializeFluentBitConfig(buildFluentBitConfig(o));
}

/** The file the chart mounts at /fluent-bit/etc/conf/ (config.extraFiles key). */
export const FLUENT_BIT_CONFIG_FILE = "fluent-bit.yaml";

export interface FluentBitChartValuesOptions {
    /** fluent-bit.yaml text (renderFluentBitConfig). */
    configYaml: string;
    /** IRSA role of the service account. */
    roleArn: string;
    /** Host directory for buffers and offsets (same as the config's stateDir). Default /var/fluent-bit/state. */
    stateDir?: string;
    /** HTTP port (same as the config's httpPort). Default 2020. */
    httpPort?: number;
}

/**
 * Values for the official chart (fluent/helm-charts fluent-bit 0.57.x). The chart builds
 * `fluent-bit.conf` from config.service/inputs/filters/outputs (classic format) and adds every
 * config.extraFiles entry to the same ConfigMap, mounted at /fluent-bit/etc/conf. We ship the
 * YAML format as an extra file and point `--config` at it; the classic sections are emptied so
 * the unused fluent-bit.conf has no pipeline. The chart passes files through `tpl`, so the
 * config must not contain `{{` (renderFluentBitConfig never does; tests check it).
 */
export function fluentBitChartValues(o: FluentBitChartValuesOptions): Record<string, unknown> {
    const stateDir = (o.stateDir ?? FLUENT_BIT_DEFAULTS.stateDir).replace(/\/+$/, "");
    return {
        kind: "DaemonSet",
        image: { repository: versions.logging.fluentBitImage.repository, tag: versions.logging.fluentBitImage.tag, pullPolicy: "IfNotPresent" },
        serviceAccount: { create: true, name: FLUENT_BIT_SERVICE_ACCOUNT, annotations: { [IRSA_ROLE_ANNOTATION]: o.roleArn } },
        rbac: { create: true },
        metricsPort: o.httpPort ?? FLUENT_BIT_DEFAULTS.httpPort,
        command: ["/fluent-bit/bin/fluent-bit"],
        args: ["--workdir=/fluent-bit/etc", `--config=/fluent-bit/etc/conf/${FLUENT_BIT_CONFIG_FILE}`],
        config: { service: "", inputs: "", filters: "", outputs: "", customParsers: "", extraFiles: { [FLUENT_BIT_CONFIG_FILE]: o.configYaml } },
        hotReload: { enabled: false },
        // Buffers and tail offsets live on the host: they survive pod restarts and upgrades.
        extraVolumes: [{ name: "fluent-bit-state", hostPath: { path: stateDir, type: "DirectoryOrCreate" } }],
        extraVolumeMounts: [{ name: "fluent-bit-state", mountPath: stateDir }],
        // Every node, tainted or not; evicted last.
        tolerations: [{ operator: "Exists" }],
        priorityClassName: "system-node-critical",
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "512Mi" } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } },
    };
}

// ---------------------------------------------------------------------------------------------
// OpenSearch documents (applied by the bootstrap Lambda)
// ---------------------------------------------------------------------------------------------

/** ISM action retry (stated explicitly: it is what OpenSearch stores anyway). */
const RETRY = { count: 3, backoff: "exponential" as const, delay: "1m" };

export interface IsmPolicyOptions {
    retentionDays: number;
    rolloverSize: string;
    rolloverAge: string;
    indexPattern?: string;
}

/**
 * hot -> delete. The hot state rolls over by size/age; a daily `logs-<cluster>-YYYY.MM.DD` index
 * has no rollover alias (Fluent Bit writes the dated index itself), so the index template sets
 * `rollover_skip` and the action completes as skipped instead of failing the index (a failed
 * rollover would block the delete transition forever). Deletion is by index age: `retentionDays`.
 */
export function renderIsmPolicy(o: IsmPolicyOptions): IsmPolicy {
    const pattern = o.indexPattern ?? INDEX_PATTERN;
    return {
        description: `cloud-cnc logs: hot, deleted ${o.retentionDays} days after index creation`,
        default_state: "hot",
        states: [
            {
                name: "hot",
                actions: [{ retry: { ...RETRY }, rollover: { min_size: o.rolloverSize, min_index_age: o.rolloverAge } }],
                transitions: [{ state_name: "delete", conditions: { min_index_age: `${o.retentionDays}d` } }],
            },
            { name: "delete", actions: [{ retry: { ...RETRY }, delete: {} }], transitions: [] },
        ],
        ism_template: [{ index_patterns: [pattern], priority: 100 }],
    };
}

export interface IndexTemplateOptions {
    shards: number;
    replicas: number;
    indexPattern?: string;
}

const keyword = { type: "keyword" };

/**
 * Settings and mappings of every log index. Kubernetes metadata is keyword (exact filters such as
 * `kubernetes.namespace_name: payments`); labels are keywords through a dynamic template; slow-log
 * thresholds make the SEARCH/INDEX slow logs published to CloudWatch useful.
 */
export function renderIndexTemplate(o: IndexTemplateOptions): IndexTemplate {
    return {
        index_patterns: [o.indexPattern ?? INDEX_PATTERN],
        priority: 100,
        composed_of: [],
        template: {
            settings: {
                "index.number_of_shards": o.shards,
                "index.number_of_replicas": o.replicas,
                "index.refresh_interval": "10s",
                "index.mapping.total_fields.limit": 2000,
                "index.plugins.index_state_management.rollover_skip": true,
                "index.search.slowlog.threshold.query.warn": "10s",
                "index.search.slowlog.threshold.query.info": "5s",
                "index.search.slowlog.threshold.fetch.warn": "1s",
                "index.indexing.slowlog.threshold.index.warn": "10s",
                "index.indexing.slowlog.threshold.index.info": "5s",
            },
            mappings: {
                dynamic_templates: [{ kubernetes_labels: { path_match: "kubernetes.labels.*", mapping: { type: "keyword" } } }],
                properties: {
                    "@timestamp": { type: "date" },
                    log: { type: "text" },
                    stream: keyword,
                    cluster_id: keyword,
                    kubernetes: {
                        properties: {
                            namespace_name: keyword,
                            pod_name: keyword,
                            pod_id: keyword,
                            container_name: keyword,
                            container_image: keyword,
                            container_hash: keyword,
                            docker_id: keyword,
                            host: keyword,
                        },
                    },
                },
            },
        },
        _meta: { managed_by: "cloud-cnc LoggingPipeline bootstrap" },
    };
}

/**
 * The writer role may create the log indices and bulk-index into them, nothing else (no reads,
 * no deletes, no other index). The reader role searches log indices and reads the shared
 * (global) Dashboards tenant where the index patterns live.
 */
export function renderRoles(indexPattern: string = INDEX_PATTERN): { name: string; body: SecurityRole }[] {
    return [
        {
            name: OPENSEARCH_NAMES.writerRole,
            body: {
                description: "Fluent Bit: create and write log indices only",
                cluster_permissions: ["indices:data/write/bulk"],
                index_permissions: [
                    {
                        index_patterns: [indexPattern],
                        fls: [],
                        masked_fields: [],
                        allowed_actions: ["indices:admin/create", "indices:admin/mapping/put", "indices:data/write/bulk*", "indices:data/write/index"],
                    },
                ],
                tenant_permissions: [],
            },
        },
        {
            name: OPENSEARCH_NAMES.readerRole,
            body: {
                description: "Humans: read-only access to log indices and the global Dashboards tenant",
                cluster_permissions: ["cluster_composite_ops_ro"],
                index_permissions: [{ index_patterns: [indexPattern], fls: [], masked_fields: [], allowed_actions: ["read", "indices:admin/mappings/get"] }],
                tenant_permissions: [{ tenant_patterns: ["global_tenant"], allowed_actions: ["kibana_all_read"] }],
            },
        },
    ];
}

/** Backend roles of each role: writers (Fluent Bit and extra writers: IAM role ARNs) and humans (IAM role ARNs and SAML groups). */
export function renderRoleMappings(writerRoleArns: string[], readerRoleArns: string[]): { role: string; body: RoleMapping }[] {
    const mapping = (description: string, arns: string[]): RoleMapping => ({ description, backend_roles: [...new Set(arns)].sort(), hosts: [], users: [] });
    return [
        { role: OPENSEARCH_NAMES.writerRole, body: mapping("Fluent Bit IRSA role(s)", writerRoleArns) },
        { role: OPENSEARCH_NAMES.readerRole, body: mapping("Human read-only IAM roles and SAML groups", readerRoleArns) },
    ];
}

export interface DesiredStateOptions {
    retentionDays?: number;
    rolloverSize?: string;
    rolloverAge?: string;
    shards?: number;
    replicas: number;
    writerRoleArns: string[];
    readerRoleArns: string[];
}

/**
 * Security-plugin audit logging: on for the REST layer (logins, privilege failures, security
 * changes), without the high-volume AUTHENTICATED and GRANTED_PRIVILEGES categories, request
 * bodies or credentials headers. OpenSearch Service ships these to the AUDIT_LOGS log group.
 */
export function renderAuditSettings(): AuditSettings {
    return {
        enabled: true,
        audit: {
            enable_rest: true,
            enable_transport: false,
            disabled_rest_categories: ["AUTHENTICATED", "GRANTED_PRIVILEGES"],
            log_request_body: false,
            exclude_sensitive_headers: true,
        },
    };
}

/** Everything the bootstrap applies, from resolved values. */
export function renderDesiredState(o: DesiredStateOptions): BootstrapDesiredState {
    return {
        ismPolicy: {
            id: OPENSEARCH_NAMES.ismPolicy,
            policy: renderIsmPolicy({
                retentionDays: o.retentionDays ?? LOGGING_DEFAULTS.retentionDays,
                rolloverSize: o.rolloverSize ?? LOGGING_DEFAULTS.rolloverSize,
                rolloverAge: o.rolloverAge ?? LOGGING_DEFAULTS.rolloverAge,
            }),
        },
        indexTemplate: { name: OPENSEARCH_NAMES.indexTemplate, body: renderIndexTemplate({ shards: o.shards ?? LOGGING_DEFAULTS.indexShards, replicas: o.replicas }) },
        roles: renderRoles(),
        roleMappings: renderRoleMappings(o.writerRoleArns, o.readerRoleArns),
        indexPatterns: [{ id: OPENSEARCH_NAMES.indexPatternId, title: INDEX_PATTERN, timeFieldName: "@timestamp" }],
        defaultIndexPatternId: OPENSEARCH_NAMES.indexPatternId,
        audit: renderAuditSettings(),
    };
}

/** The Fluent Bit Helm release's args (the pinned chart), for LoggingPipeline and the workload clusters alike. */
export function fluentBitReleaseArgs<V>(namespace: string, values: V) {
    const chart = versions.logging.fluentBit;
    return {
        name: FLUENT_BIT_RELEASE,
        namespace,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repo },
        values,
        createNamespace: false,
        atomic: true,
        cleanupOnFail: true,
        timeout: 600,
        maxHistory: 10,
    };
}
