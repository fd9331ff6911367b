// Pure, deterministic renderers of ThanosFederation: the Thanos objstore config, the flags of
// every Thanos component, the federation Prometheus configs, the Ruler's rule groups, the
// kube-prometheus-stack values and the Kubernetes manifests of our own workloads. Files are
// typed objects serialized by the yaml library (sorted keys), never string templates.
import { createHash } from "crypto";
import * as YAML from "yaml";
import { irsaServiceAccountAnnotations } from "../common/irsa";
import { versions } from "../common/versions";
import {
    CLUSTER_ID_LABEL,
    CNC_CLUSTER_ID,
    DATASOURCE_UIDS,
    GRAFANA_DASHBOARD_LABEL,
    GRAFANA_FOLDER_ANNOTATION,
    GRPC_PORT,
    HTTP_PORT,
    KPS_RELEASE,
    PROMETHEUS_REPLICA_LABEL,
    QUERY_HTTP_PORT,
    RULER_CLUSTER_LABEL,
    RULER_REPLICA_LABEL,
    dnsSrvEndpoint,
    federationGroupName,
    names,
    serviceHost,
} from "./plan";
import { FederationSettings, Resources } from "./schema";
import { FEDERATION_TARGETS, THANOS_ENDPOINTS } from "../../functions/dns-registrar/contract";

/** Stable YAML: sorted keys, no line folding. */
export function toYaml(doc: unknown): string {
    return YAML.stringify(doc, { sortMapEntries: true, lineWidth: 0 });
}

export function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Thanos object storage config (S3 through IRSA: no keys)

/** Thanos' S3 objstore config (https://thanos.io/tip/thanos/storage.md/#s3). */
export interface ObjstoreConfig {
    type: "S3";
    config: {
        bucket: string;
        endpoint: string;
        region: string;
        sse_config: { type: "SSE-KMS"; kms_key_id: string };
    };
}

export function objstoreConfig(bucket: string, region: string, kmsKeyArn: string): ObjstoreConfig {
    return {
        type: "S3",
        config: {
            bucket,
            // The regional endpoint of the configured region (the original hard-coded us-east-1).
            endpoint: `s3.${region}.amazonaws.com`,
            region,
            sse_config: { type: "SSE-KMS", kms_key_id: kmsKeyArn },
        },
    };
}

/** The objstore YAML every bucket user mounts. Credentials come from IRSA (web identity), never from the file. */
export function renderObjstoreConfig(bucket: string, region: string, kmsKeyArn: string): string {
    return toYaml(objstoreConfig(bucket, region, kmsKeyArn));
}

// ---------------------------------------------------------------------------------------------
// Thanos flags

export const PATHS = {
    objstore: `/etc/thanos/objstore/${names.objstoreKey}`,
    endpointsDir: "/etc/thanos/endpoints",
    endpointsFile: `/etc/thanos/endpoints/${THANOS_ENDPOINTS.key}`,
    rulesDir: "/etc/thanos/rules",
    storeData: "/var/thanos/store",
    compactData: "/var/thanos/compact",
    rulerData: "/var/thanos/rule",
    promConfigDir: "/etc/prometheus/config",
    promConfigFile: "/etc/prometheus/config/prometheus.yml",
    promTargetsDir: "/etc/prometheus/targets",
    promTargetsFile: `/etc/prometheus/targets/${FEDERATION_TARGETS.key}`,
    promData: "/prometheus",
} as const;

/**
 * How often Query re-reads the endpoint SD file. Thanos v0.42.4 polls the file (a checksum of a
 * few hundred bytes, pkg/extkingpin/path_content_reloader.go; no inotify), so a short interval
 * costs nothing; at 30s the poll was 95% of the registration latency on loopback (BENCHMARKS.md).
 * kubelet's ConfigMap refresh (about a minute) and the registrar's schedule come before it.
 */
export const ENDPOINT_SD_RELOAD_INTERVAL = "5s";

const COMMON_FLAGS = ["--log.level=info", "--log.format=logfmt"];

/** The in-cluster StoreAPI endpoints of the C&C (never workload clusters: those come from the SD file). */
export function inClusterStoreEndpoints(federationMode: string): string[] {
    const endpoints = [
        dnsSrvEndpoint(names.kpsThanosDiscovery, "grpc"), // the C&C Prometheus sidecar(s)
        dnsSrvEndpoint(names.store, "grpc"),
        dnsSrvEndpoint(names.ruler, "grpc"),
    ];
    if (federationMode === "prometheus-federation") endpoints.push(dnsSrvEndpoint(names.federation, "grpc"));
    return endpoints;
}

/** `thanos query` flags: SD file for workload clusters (reloaded, no restart), partial response, dedup. */
export function queryArgs(s: FederationSettings): string[] {
    return [
        "query",
        ...COMMON_FLAGS,
        `--http-address=0.0.0.0:${QUERY_HTTP_PORT}`,
        `--grpc-address=0.0.0.0:${GRPC_PORT}`,
        `--query.replica-label=${PROMETHEUS_REPLICA_LABEL}`,
        `--query.replica-label=${RULER_REPLICA_LABEL}`,
        "--query.partial-response",
        "--query.auto-downsampling",
        `--store.response-timeout=${s.thanos.query.responseTimeout}`,
        // Every endpoint, the C&C's own (static entries, seeded here and kept by the registrar)
        // and the workload clusters', comes from this one file: no deprecated --endpoint flag.
        `--endpoint.sd-config-file=${PATHS.endpointsFile}`,
        `--endpoint.sd-config-reload-interval=${ENDPOINT_SD_RELOAD_INTERVAL}`,
    ];
}

/**
 * In-memory cache config (Thanos cache config format, `type: IN-MEMORY`) as one line of JSON
 * (valid YAML), so the flag stays a single argument line.
 */
export function inMemoryCacheConfig(sizeMb: number): string {
    return JSON.stringify({ type: "IN-MEMORY", config: { max_size: `${sizeMb}MB` } });
}

export function storeArgs(s: FederationSettings): string[] {
    return [
        "store",
        ...COMMON_FLAGS,
        `--data-dir=${PATHS.storeData}`,
        `--objstore.config-file=${PATHS.objstore}`,
        `--http-address=0.0.0.0:${HTTP_PORT}`,
        `--grpc-address=0.0.0.0:${GRPC_PORT}`,
        `--index-cache.config=${inMemoryCacheConfig(s.thanos.store.indexCacheSizeMb)}`,
    ];
}

/**
 * `thanos compact` flags. Downsampling stays on (no --downsampling.disable): Thanos creates 5m
 * data for blocks spanning 40h and 1h data for blocks spanning 10 days, as the original did.
 */
export function compactorArgs(s: FederationSettings): string[] {
    return [
        "compact",
        ...COMMON_FLAGS,
        "--wait",
        `--data-dir=${PATHS.compactData}`,
        `--objstore.config-file=${PATHS.objstore}`,
        `--http-address=0.0.0.0:${HTTP_PORT}`,
        `--retention.resolution-raw=${s.thanos.compactor.retentionRaw}`,
        `--retention.resolution-5m=${s.thanos.compactor.retention5m}`,
        `--retention.resolution-1h=${s.thanos.compactor.retention1h}`,
        "--delete-delay=48h",
        "--compact.concurrency=1",
    ];
}

export function rulerArgs(s: FederationSettings): string[] {
    return [
        "rule",
        ...COMMON_FLAGS,
        `--data-dir=${PATHS.rulerData}`,
        `--objstore.config-file=${PATHS.objstore}`,
        `--http-address=0.0.0.0:${HTTP_PORT}`,
        `--grpc-address=0.0.0.0:${GRPC_PORT}`,
        `--rule-file=${PATHS.rulesDir}/*/*.yaml`,
        `--eval-interval=${s.thanos.ruler.evaluationInterval}`,
        "--tsdb.block-duration=2h",
        "--tsdb.retention=24h",
        `--query=${serviceHost(names.query)}:${QUERY_HTTP_PORT}`,
        // Every Alertmanager replica (the operator's governing service), not one behind a ClusterIP.
        `--alertmanagers.url=dnssrv+http://_http-web._tcp.alertmanager-operated.${names.namespace}.svc.cluster.local`,
        `--alert.query-url=http://${serviceHost(names.query)}:${QUERY_HTTP_PORT}`,
        `--alert.label-drop=${RULER_REPLICA_LABEL}`,
        // Not clusterID: the Ruler overwrites alert and recorded-series labels with its external
        // labels, which would replace every fleet cluster's clusterID with the C&C's (plan.ts).
        `--label=${RULER_CLUSTER_LABEL}="${s.clusterId}"`,
        `--label=${RULER_REPLICA_LABEL}="$(POD_NAME)"`,
    ];
}

export function queryFrontendArgs(s: FederationSettings): string[] {
    return [
        "query-frontend",
        ...COMMON_FLAGS,
        `--http-address=0.0.0.0:${QUERY_HTTP_PORT}`,
        `--query-frontend.downstream-url=http://${serviceHost(names.query)}:${QUERY_HTTP_PORT}`,
        "--query-frontend.compress-responses",
        "--query-range.split-interval=24h",
        "--query-range.max-retries-per-request=3",
        `--query-range.response-cache-config=${inMemoryCacheConfig(s.thanos.queryFrontend.cacheSizeMb)}`,
    ];
}

// ---------------------------------------------------------------------------------------------
// Federation Prometheus configs (prometheus-federation mode)

export interface RelabelConfig {
    source_labels?: string[];
    separator?: string;
    regex?: string;
    modulus?: number;
    target_label?: string;
    replacement?: string;
    action?: "replace" | "keep" | "drop" | "hashmod" | "labelmap" | "labeldrop" | "labelkeep";
}

export interface ScrapeConfig {
    job_name: string;
    honor_labels?: boolean;
    metrics_path?: string;
    scrape_interval?: string;
    scrape_timeout?: string;
    params?: Record<string, string[]>;
    file_sd_configs?: { files: string[]; refresh_interval?: string }[];
    static_configs?: { targets: string[]; labels?: Record<string, string> }[];
    relabel_configs?: RelabelConfig[];
    metric_relabel_configs?: RelabelConfig[];
}

export interface PrometheusConfig {
    global: { scrape_interval: string; scrape_timeout: string; evaluation_interval: string; external_labels?: Record<string, string> };
    scrape_configs: ScrapeConfig[];
}

export const FEDERATION_SCRAPE_INTERVAL = "15s";
export const FEDERATION_SCRAPE_TIMEOUT = "12s";

export interface FederationConfigOptions {
    /** `match[]` selectors of the federate job. */
    match: string[];
    /** Path of the file_sd targets file the registrar writes (mounted ConfigMap). */
    targetsFile: string;
    /** host:port of the C&C's own Prometheus. */
    cncTarget: string;
    /** host:port of each group federator (hierarchical mode); empty for the flat mode. */
    groupTargets: string[];
}

function federateJob(jobName: string, match: string[]): ScrapeConfig {
    return {
        job_name: jobName,
        honor_labels: true,
        metrics_path: "/federate",
        scrape_interval: FEDERATION_SCRAPE_INTERVAL,
        scrape_timeout: FEDERATION_SCRAPE_TIMEOUT,
        params: { "match[]": [...match] },
    };
}

/** The job that federates the C&C's own Prometheus and labels its series clusterID "C&C". */
function cncJob(o: FederationConfigOptions): ScrapeConfig {
    return {
        ...federateJob("federate-cnc", o.match),
        static_configs: [{ targets: [o.cncTarget], labels: { [CLUSTER_ID_LABEL]: CNC_CLUSTER_ID } }],
        // honor_labels keeps the scraped clusterID (the C&C's external label = its cluster id);
        // the original system labels the C&C "C&C", so it is set after the scrape.
        metric_relabel_configs: [{ target_label: CLUSTER_ID_LABEL, replacement: CNC_CLUSTER_ID, action: "replace" }],
    };
}

/** The federate job reading the registrar's file_sd targets (each target group carries clusterID). */
function fileSdFederateJob(o: { match: string[]; targetsFile: string }): ScrapeConfig {
    return {
        ...federateJob("federate", o.match),
        file_sd_configs: [{ files: [o.targetsFile], refresh_interval: "30s" }],
    };
}

/**
 * The central federation Prometheus. Flat (no groups): `federate` scrapes every registered
 * cluster's /federate from the file_sd file. Hierarchical: `federate-groups` scrapes the group
 * federators, which each scrape a hashmod shard of the registered clusters.
 */
export function centralFederationConfig(o: FederationConfigOptions): PrometheusConfig {
    const jobs: ScrapeConfig[] =
        o.groupTargets.length === 0
            ? [fileSdFederateJob(o)]
            : [
                  {
                      // Everything the groups federated carries the clusterID of its cluster.
                      ...federateJob("federate-groups", [`{${CLUSTER_ID_LABEL}=~".+"}`]),
                      static_configs: [{ targets: [...o.groupTargets] }],
                  },
              ];
    return {
        global: {
            scrape_interval: FEDERATION_SCRAPE_INTERVAL,
            scrape_timeout: "10s",
            evaluation_interval: FEDERATION_SCRAPE_INTERVAL,
            // Identifies this server to its Thanos sidecar (must not collide with clusterID).
            external_labels: { federator: "central" },
        },
        scrape_configs: [...jobs, cncJob(o)],
    };
}

/** Group federator `index` of `groups`: the federate job keeps only its hashmod shard of the targets. */
export function groupFederationConfig(o: { match: string[]; targetsFile: string; groups: number; index: number }): PrometheusConfig {
    const job = fileSdFederateJob(o);
    job.relabel_configs = [
        { source_labels: ["__address__"], modulus: o.groups, target_label: "__tmp_federation_shard", action: "hashmod" },
        { source_labels: ["__tmp_federation_shard"], regex: String(o.index), action: "keep" },
    ];
    return {
        global: { scrape_interval: FEDERATION_SCRAPE_INTERVAL, scrape_timeout: "10s", evaluation_interval: FEDERATION_SCRAPE_INTERVAL },
        scrape_configs: [job],
    };
}

export function renderPrometheusConfig(config: PrometheusConfig): string {
    return toYaml(config);
}

/** In-cluster addresses of the group federators. */
export function groupTargets(groups: number): string[] {
    return Array.from({ length: groups }, (_, i) => `${serviceHost(federationGroupName(i))}:${QUERY_HTTP_PORT}`);
}

/** The C&C Prometheus service (kube-prometheus-stack). */
export function cncPrometheusTarget(): string {
    return `${serviceHost(names.kpsPrometheus)}:9090`;
}

// ---------------------------------------------------------------------------------------------
// Ruler rule groups

export interface Rule {
    record?: string;
    alert?: string;
    expr: string;
    for?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}

export interface RuleGroup {
    name: string;
    interval?: string;
    /** Thanos Ruler extension: on a partial response (a cluster unreachable), `abort` fails the evaluation; `warn` evaluates on the clusters that answered. */
    partial_response_strategy?: "abort" | "warn";
    rules: Rule[];
}

export interface RuleFile {
    groups: RuleGroup[];
}

/**
 * The Ruler's built-in groups (fleet meta-monitoring). partial_response_strategy `warn`: with
 * `abort`, one unreachable workload cluster makes every rule of the group fail to evaluate, so
 * the per-cluster count would vanish and nothing would fire exactly when the fleet is degraded;
 * with `warn` the rules evaluate on the clusters that answer (and the Ruler counts the warning in
 * thanos_rule_evaluation_with_warnings_total{strategy="warn"}).
 */
export function ruleGroups(options: { metaAlerts: boolean } = { metaAlerts: true }): RuleFile {
    const metaAlerts: Rule[] = [
        {
            alert: "ThanosCompactHalted",
            expr: "max by (job) (thanos_compact_halted) == 1",
            for: "5m",
            labels: { severity: "critical" },
            annotations: {
                summary: "Thanos Compactor halted",
                description: "The compactor {{ $labels.job }} halted on an error: compaction, downsampling and retention have stopped.",
            },
        },
        {
            alert: "ThanosBucketOperationsFailing",
            expr: "sum by (job, operation) (rate(thanos_objstore_bucket_operation_failures_total[5m])) > 0",
            for: "15m",
            labels: { severity: "warning" },
            annotations: {
                summary: "Thanos object storage operations are failing",
                description: "{{ $labels.job }} fails {{ $labels.operation }} operations on the metrics bucket.",
            },
        },
    ];
    return {
        groups: [
            {
                name: "fleet-federation",
                partial_response_strategy: "warn",
                rules: [{ record: "clusterID:up:count", expr: `count by (${CLUSTER_ID_LABEL}) (up)` }, ...(options.metaAlerts ? metaAlerts : [])],
            },
        ],
    };
}

export function renderRuleFile(file: RuleFile): string {
    return toYaml(file);
}

// ---------------------------------------------------------------------------------------------
// kube-prometheus-stack values

export function k8sResources(r: Resources): { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } } {
    return { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } };
}

function volumeClaimSpec(size: string, storageClassName: string | undefined): Record<string, unknown> {
    return {
        ...(storageClassName ? { storageClassName } : {}),
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: size } },
    };
}

export const SMALL: Resources = { cpuRequest: "50m", memoryRequest: "64Mi", cpuLimit: "250m", memoryLimit: "256Mi" };

/** The Secret holding the alert webhook URL, mounted into Alertmanager (spec.secrets). */
export const ALERT_WEBHOOK_SECRET = { name: "alertmanager-webhook", key: "url" } as const;

/** Where the Alertmanager operator mounts that Secret's key. */
export const ALERT_WEBHOOK_FILE = `/etc/alertmanager/secrets/${ALERT_WEBHOOK_SECRET.name}/${ALERT_WEBHOOK_SECRET.key}`;

/** The Secret holding the dead man's switch heartbeat URL (optional), mounted into Alertmanager (spec.secrets). */
export const DEAD_MANS_SWITCH_SECRET = { name: "alertmanager-deadmansswitch", key: "url" } as const;

/** Where the Alertmanager operator mounts that Secret's key. */
export const DEAD_MANS_SWITCH_FILE = `/etc/alertmanager/secrets/${DEAD_MANS_SWITCH_SECRET.name}/${DEAD_MANS_SWITCH_SECRET.key}`;

/** The alert that says a registered cluster stopped answering: it mutes every other alert of that cluster. */
export const CLUSTER_DOWN_ALERT = "FleetClusterDown";

/** The always-firing alerts of kube-prometheus-stack's general.rules: never paged. */
export const SILENT_ALERTS = ["Watchdog", "InfoInhibitor"] as const;

/** The receivers of the rendered configuration. */
export const RECEIVERS = {
    /** Drops what reaches it (Watchdog, InfoInhibitor, info and none). */
    none: "null",
    /** Pages the Mattermost channel quickly and repeats hourly. */
    critical: "mattermost-critical",
    /** Grouped into the Mattermost channel, repeated twice a day; also every alert without a known severity. */
    warning: "mattermost-warning",
    /** The heartbeat service of the dead man's switch (only with `deadMansSwitch`). */
    deadMansSwitch: "deadmansswitch",
} as const;

/** Grouping and repetition of a route (Alertmanager durations). */
export interface RouteTiming {
    group_wait?: string;
    group_interval?: string;
    repeat_interval?: string;
}

/** A child route: matchers, receiver and its own timing. */
export interface AlertmanagerRoute extends RouteTiming {
    receiver: string;
    matchers: string[];
}

export interface SlackConfig {
    api_url_file: string;
    send_resolved: boolean;
    title: string;
    text: string;
}

export interface WebhookConfig {
    url_file: string;
    send_resolved: boolean;
}

/** The parts of an Alertmanager configuration this package writes. */
export interface AlertmanagerConfig {
    route: Required<RouteTiming> & { receiver: string; group_by: string[]; routes: AlertmanagerRoute[] };
    receivers: Array<{ name: string; slack_configs?: SlackConfig[]; webhook_configs?: WebhookConfig[] }>;
    inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[]; equal: string[] }>;
}

/** Options of the rendered Alertmanager configuration. */
export interface AlertmanagerConfigOptions {
    /** Route the Watchdog to a heartbeat webhook whose URL Alertmanager reads from DEAD_MANS_SWITCH_FILE (the DEAD_MANS_SWITCH_SECRET Secret). */
    deadMansSwitch?: boolean;
}

/** Timings per severity (the root carries the warning ones: an alert without a known severity is treated as a warning). */
export const ROUTE_TIMING = {
    critical: { group_wait: "10s", group_interval: "5m", repeat_interval: "1h" },
    warning: { group_wait: "30s", group_interval: "15m", repeat_interval: "12h" },
    // A heartbeat every minute: the heartbeat service alarms when pings stop for its grace period.
    deadMansSwitch: { group_wait: "0s", group_interval: "1m", repeat_interval: "1m" },
} as const satisfies Record<string, Required<RouteTiming>>;

function mattermost(name: string, severity: string): { name: string; slack_configs: SlackConfig[] } {
    return {
        name,
        slack_configs: [
            {
                api_url_file: ALERT_WEBHOOK_FILE,
                send_resolved: true,
                title: `[{{ .Status | toUpper }}${severity}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.clusterID }})`,
                text: "{{ range .Alerts }}{{ .Annotations.summary }}{{ if .Annotations.description }}: {{ .Annotations.description }}{{ end }}{{ if .Annotations.runbook_url }} ({{ .Annotations.runbook_url }}){{ end }}\n{{ end }}",
            },
        ],
    };
}

/**
 * Alertmanager routing to a Mattermost incoming webhook (Mattermost accepts Slack-format
 * payloads). The URL is never in the config: it is read from the mounted Secret file
 * (`api_url_file`), so the chart values carry no secret. Alerts are grouped per cluster and
 * alert. By severity: critical pages quickly and repeats every hour; warning is grouped for 15
 * minutes and repeats every 12 hours; info, none, Watchdog and InfoInhibitor go nowhere (or the
 * Watchdog to the dead man's switch heartbeat, when enabled). Inhibition: a critical alert mutes
 * the warning of the same alert and cluster; FleetClusterDown mutes every other alert of its
 * cluster.
 */
export function renderAlertmanagerConfig(o: AlertmanagerConfigOptions = {}): AlertmanagerConfig {
    const routes: AlertmanagerRoute[] = [
        // First, so the Watchdog reaches the heartbeat before the null route below catches it.
        ...(o.deadMansSwitch ? [{ receiver: RECEIVERS.deadMansSwitch, matchers: ['alertname="Watchdog"'], ...ROUTE_TIMING.deadMansSwitch }] : []),
        { receiver: RECEIVERS.none, matchers: [`alertname=~"${SILENT_ALERTS.join("|")}"`] },
        { receiver: RECEIVERS.none, matchers: ['severity=~"info|none"'] },
        { receiver: RECEIVERS.critical, matchers: ['severity="critical"'], ...ROUTE_TIMING.critical },
        { receiver: RECEIVERS.warning, matchers: ['severity="warning"'], ...ROUTE_TIMING.warning },
    ];
    return {
        route: {
            receiver: RECEIVERS.warning,
            group_by: [CLUSTER_ID_LABEL, "alertname"],
            ...ROUTE_TIMING.warning,
            routes,
        },
        receivers: [
            { name: RECEIVERS.none },
            mattermost(RECEIVERS.critical, " CRITICAL"),
            mattermost(RECEIVERS.warning, ""),
            // A resolved Watchdog means Prometheus stopped sending it: that must not count as a ping.
            ...(o.deadMansSwitch ? [{ name: RECEIVERS.deadMansSwitch, webhook_configs: [{ url_file: DEAD_MANS_SWITCH_FILE, send_resolved: false }] }] : []),
        ],
        inhibit_rules: [
            { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: [CLUSTER_ID_LABEL, "alertname"] },
            // The source must carry a clusterID: with the label missing on both sides, `equal` holds and it would mute every alert without one.
            {
                source_matchers: [`alertname="${CLUSTER_DOWN_ALERT}"`, `${CLUSTER_ID_LABEL}=~".+"`],
                target_matchers: [`alertname!="${CLUSTER_DOWN_ALERT}"`],
                equal: [CLUSTER_ID_LABEL],
            },
        ],
    };
}

export interface KpsValuesInput {
    settings: FederationSettings;
    /** Route alerts to the webhook in the ALERT_WEBHOOK_SECRET Secret. */
    alertWebhook?: boolean;
    /** With alertWebhook: route the Watchdog to the heartbeat URL in the DEAD_MANS_SWITCH_SECRET Secret. */
    deadMansSwitch?: boolean;
    /** IRSA role of the Prometheus service account (the sidecar uploads). */
    prometheusRoleArn: string;
    /** IRSA role of Grafana's service account (the CloudWatch datasource reads CloudWatch with it). */
    grafanaRoleArn: string;
    /** Grafana's default datasource URL (Thanos Query or the Query Frontend). */
    queryUrl: string;
}

/** Values for kube-prometheus-stack (release `kps` in `monitoring`). */
/** `registry/repository:tag` as the chart's image values (`{ registry, repository, tag }`). */
export function imageValues(image: string): { registry: string; repository: string; tag: string } {
    const [path, tag] = image.split(":");
    const [registry, ...repository] = path.split("/");
    return { registry, repository: repository.join("/"), tag };
}

/** kube-prometheus-stack on EKS: release names, CRDs, and no scrapes of the control plane EKS runs (nothing to reach from the cluster). */
export const KPS_ON_EKS = {
    fullnameOverride: KPS_RELEASE,
    crds: { enabled: true },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
} as const;

/**
 * The Prometheus CR's ThanosSpec (kube-prometheus-stack prometheusSpec.thanos): the pinned Thanos
 * image shipping every 2h block to the bucket of the `thanos-objstore` Secret. The C&C's
 * Prometheus and every workload cluster's (WorkloadClusterMonitoring) run the same sidecar.
 */
export function thanosSidecarSpec(): Record<string, unknown> {
    return {
        image: versions.thanosFederation.thanosImage,
        version: versions.thanosFederation.thanosImage.split(":")[1],
        // min/max block duration 2h: the blocks the sidecar ships.
        blockSize: "2h",
        objectStorageConfig: { existingSecret: { name: names.objstoreSecret, key: names.objstoreKey } },
        resources: k8sResources({ cpuRequest: "100m", memoryRequest: "128Mi", cpuLimit: "500m", memoryLimit: "512Mi" }),
    };
}

export function kubePrometheusStackValues(i: KpsValuesInput): Record<string, unknown> {
    const s = i.settings;
    // The heartbeat is a route of the webhook's configuration (the schema refuses one without the other).
    const deadMansSwitch = i.alertWebhook === true && i.deadMansSwitch === true;
    return {
        ...KPS_ON_EKS,
        defaultRules: {
            create: true,
            rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false },
            // Each default alert's template is wrapped in `if not (.Values.defaultRules.disabled.<Name> | default false)` (88.5.3).
            disabled: Object.fromEntries(s.prometheus.disabledDefaultAlerts.map((a) => [a, true])),
        },
        kubeStateMetrics: { enabled: true },
        nodeExporter: { enabled: true },
        "kube-state-metrics": { resources: k8sResources({ cpuRequest: "50m", memoryRequest: "128Mi", cpuLimit: "500m", memoryLimit: "512Mi" }) },
        "prometheus-node-exporter": { resources: k8sResources(SMALL) },
        prometheusOperator: { resources: k8sResources({ cpuRequest: "100m", memoryRequest: "128Mi", cpuLimit: "500m", memoryLimit: "512Mi" }) },
        prometheus: {
            serviceAccount: { create: true, name: names.kpsPrometheusServiceAccount, annotations: irsaServiceAccountAnnotations(i.prometheusRoleArn) },
            // Headless service on the sidecars' gRPC port: Thanos Query discovers every replica by SRV.
            thanosService: { enabled: true },
            thanosServiceMonitor: { enabled: true },
            podDisruptionBudget: { enabled: s.prometheus.replicas > 1, minAvailable: 1 },
            prometheusSpec: {
                // The version the tests run (versions.ts `binaries`), not the chart's default.
                image: imageValues(versions.thanosFederation.prometheusImage),
                replicas: s.prometheus.replicas,
                retention: s.prometheus.retention,
                externalLabels: { [CLUSTER_ID_LABEL]: s.clusterId },
                replicaExternalLabelName: PROMETHEUS_REPLICA_LABEL,
                // The sidecar uploads every 2h block: Prometheus must not compact them locally.
                disableCompaction: true,
                walCompression: true,
                resources: k8sResources(s.prometheus.resources),
                storageSpec: { volumeClaimTemplate: { spec: volumeClaimSpec(s.prometheus.storageSize, s.storageClassName) } },
                podAntiAffinity: "soft",
                thanos: thanosSidecarSpec(),
                // Select every ServiceMonitor/PodMonitor/PrometheusRule/Probe/ScrapeConfig, not only this release's.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
                probeSelectorNilUsesHelmValues: false,
                scrapeConfigSelectorNilUsesHelmValues: false,
                // Mounted (as directories: kubelet refreshes them) at /etc/prometheus/configmaps/<name>/,
                // e.g. the registrar's file_sd targets that ScrapeConfigs read.
                configMaps: [...s.prometheus.configMaps],
            },
        },
        alertmanager: {
            enabled: true,
            podDisruptionBudget: { enabled: s.alertmanager.replicas > 1, minAvailable: 1 },
            ...(i.alertWebhook ? { config: renderAlertmanagerConfig({ deadMansSwitch: deadMansSwitch }) } : {}),
            alertmanagerSpec: {
                image: imageValues(versions.thanosFederation.alertmanagerImage),
                ...(i.alertWebhook ? { secrets: [ALERT_WEBHOOK_SECRET.name, ...(deadMansSwitch ? [DEAD_MANS_SWITCH_SECRET.name] : [])] } : {}),
                replicas: s.alertmanager.replicas,
                resources: k8sResources(SMALL),
                storage: { volumeClaimTemplate: { spec: volumeClaimSpec(s.alertmanager.storageSize, s.storageClassName) } },
                podAntiAffinity: "soft",
            },
        },
        grafana: {
            enabled: true,
            admin: { existingSecret: names.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
            persistence: {
                enabled: true,
                type: "pvc",
                ...(s.storageClassName ? { storageClassName: s.storageClassName } : {}),
                accessModes: ["ReadWriteOnce"],
                size: s.grafana.storageSize,
            },
            // A ReadWriteOnce volume cannot follow a surge pod to another node.
            deploymentStrategy: { type: "Recreate" },
            resources: k8sResources({ cpuRequest: "100m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "1Gi" }),
            // The chart's service account, named here because Grafana's IRSA trust names it.
            serviceAccount: { create: true, name: names.kpsGrafanaServiceAccount, annotations: irsaServiceAccountAnnotations(i.grafanaRoleArn) },
            sidecar: {
                dashboards: {
                    enabled: true,
                    label: GRAFANA_DASHBOARD_LABEL.key,
                    labelValue: GRAFANA_DASHBOARD_LABEL.value,
                    searchNamespace: "ALL",
                    // A ConfigMap annotated grafana_folder: <name> lands in that folder (one per subdirectory);
                    // the chart's own dashboards carry no annotation and stay in the General folder.
                    folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
                    provider: { foldersFromFilesStructure: true },
                },
                datasources: { enabled: true, defaultDatasourceEnabled: true, isDefaultDatasource: false },
            },
            ...(s.grafana.sso ? grafanaSsoValues(s.grafana.sso) : {}),
            additionalDataSources: [
                {
                    name: "Thanos",
                    uid: DATASOURCE_UIDS.thanos,
                    type: "prometheus",
                    access: "proxy",
                    url: i.queryUrl,
                    isDefault: true,
                    editable: false,
                    jsonData: { prometheusType: "Thanos", timeInterval: "30s" },
                },
                {
                    // The AWS SDK's default chain: the web identity token the EKS pod identity
                    // webhook projects for the IRSA-annotated service account. No keys.
                    name: "CloudWatch",
                    uid: DATASOURCE_UIDS.cloudwatch,
                    type: "cloudwatch",
                    access: "proxy",
                    isDefault: false,
                    editable: false,
                    jsonData: { authType: "default", defaultRegion: s.grafana.cloudWatchRegion },
                },
            ],
        },
    };
}

/** The Secret Grafana's OIDC client secret is read from (envValueFrom), never grafana.ini. */
export const GRAFANA_OIDC_SECRET = { name: "grafana-oidc", key: "clientSecret", env: "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET" } as const;

/** A JMESPath raw string literal: the groups are refused with quotes or backslashes (idpGroup), so none needs escaping. */
function jmesLiteral(text: string): string {
    if (/['\\]/.test(text)) throw new Error(`a group name with a quote or backslash cannot be mapped: ${JSON.stringify(text)}`);
    return `'${text}'`;
}

/**
 * Grafana's role for a user's groups, as the JMESPath expression generic OAuth evaluates on the
 * userinfo/ID token claims: Admin over Editor over Viewer; no match yields null, which
 * role_attribute_strict turns into a refused login.
 */
export function grafanaRoleAttributePath(sso: Pick<GrafanaSso, "groupsAttributePath" | "adminGroups" | "editorGroups" | "viewerGroups">): string {
    const claim = sso.groupsAttributePath;
    // to_array(claim || `[]`): a missing claim is no group (not an evaluation error), and a claim
    // that is one string is one group (contains() on a string would match substrings).
    const groups = `to_array(${claim} || \`[]\`)`;
    const tier = (list: readonly string[], role: string) => list.map((g) => `contains(${groups}, ${jmesLiteral(g)}) && '${role}'`);
    return [...tier(sso.adminGroups, "Admin"), ...tier(sso.editorGroups, "Editor"), ...tier(sso.viewerGroups, "Viewer")].join(" || ");
}

type GrafanaSso = NonNullable<FederationSettings["grafana"]["sso"]>;

/**
 * Grafana's own generic OAuth sign-in against the IdP the ALB uses (keys: grafana.com/docs/grafana/
 * latest/setup-grafana/configure-access/configure-authentication/generic-oauth/, Grafana 13.2 =
 * grafana chart 12.11.1 of kube-prometheus-stack 88.5.3). The client secret comes from the
 * grafana-oidc Secret through `envValueFrom` (grafana chart values.yaml `envValueFrom`); the
 * chart's assertNoLeakedSecrets accepts only a `$__env{...}` reference in grafana.ini.
 * auto_login stays off: the login page keeps the break-glass admin form, and "Sign in with SSO"
 * is one click once the ALB has signed the user in.
 */
export function grafanaSsoValues(sso: GrafanaSso): Record<string, unknown> {
    const groups = [...sso.adminGroups, ...sso.editorGroups, ...sso.viewerGroups];
    return {
        "grafana.ini": {
            server: { root_url: sso.rootUrl },
            auth: { disable_login_form: false },
            "auth.generic_oauth": {
                enabled: true,
                name: "SSO",
                client_id: sso.clientId,
                client_secret: `$__env{${GRAFANA_OIDC_SECRET.env}}`,
                scopes: sso.scopes,
                auth_url: sso.authorizationEndpoint,
                token_url: sso.tokenEndpoint,
                api_url: sso.userInfoEndpoint,
                use_pkce: true,
                auto_login: false,
                allow_sign_up: true,
                email_attribute_path: "email",
                login_attribute_path: "preferred_username",
                groups_attribute_path: sso.groupsAttributePath,
                // Comma-separated: group names may contain spaces, never commas (idpGroup).
                allowed_groups: groups.join(","),
                role_attribute_path: grafanaRoleAttributePath(sso),
                role_attribute_strict: true,
                allow_assign_grafana_admin: false,
                skip_org_role_sync: false,
            },
        },
        envValueFrom: { [GRAFANA_OIDC_SECRET.env]: { secretKeyRef: { name: GRAFANA_OIDC_SECRET.name, key: GRAFANA_OIDC_SECRET.key } } },
    };
}

// ---------------------------------------------------------------------------------------------
// Kubernetes manifests of our own workloads (plain objects the class hands to @pulumi/kubernetes)

export const THANOS_UID = 1001; // the official image's user since v0.30
export const PROMETHEUS_UID = 65534; // nobody, the prometheus image's user

export interface ContainerPort {
    name: string;
    containerPort: number;
    protocol: "TCP";
}

export interface Container {
    name: string;
    image: string;
    imagePullPolicy: "IfNotPresent";
    args: string[];
    env?: { name: string; valueFrom?: { fieldRef: { fieldPath: string } }; value?: string }[];
    ports: ContainerPort[];
    resources: ReturnType<typeof k8sResources>;
    readinessProbe: Probe;
    livenessProbe: Probe;
    securityContext: ContainerSecurityContext;
    volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface Probe {
    httpGet: { path: string; port: string };
    initialDelaySeconds: number;
    periodSeconds: number;
    timeoutSeconds: number;
    failureThreshold: number;
}

export interface ContainerSecurityContext {
    allowPrivilegeEscalation: false;
    readOnlyRootFilesystem: true;
    runAsNonRoot: true;
    capabilities: { drop: ["ALL"] };
    seccompProfile: { type: "RuntimeDefault" };
}

export interface Volume {
    name: string;
    configMap?: { name: string; optional?: boolean };
    secret?: { secretName: string };
    emptyDir?: Record<string, never>;
}

export interface PodSpec {
    serviceAccountName: string;
    automountServiceAccountToken: boolean;
    securityContext: { runAsNonRoot: true; runAsUser: number; runAsGroup: number; fsGroup: number; seccompProfile: { type: "RuntimeDefault" } };
    terminationGracePeriodSeconds: number;
    affinity?: Record<string, unknown>;
    containers: Container[];
    volumes: Volume[];
}

export interface WorkloadManifest {
    kind: "Deployment" | "StatefulSet";
    name: string;
    labels: Record<string, string>;
    selector: Record<string, string>;
    replicas: number;
    /** Pod template annotations (checksums of our own configs only; never the registrar's SD ConfigMaps). */
    podAnnotations: Record<string, string>;
    pod: PodSpec;
    /** StatefulSet only: the data volume claim. */
    volumeClaim?: { name: string; size: string; storageClassName?: string };
    /** StatefulSet only: its governing (headless) service. */
    serviceName?: string;
}

export function containerSecurityContext(): ContainerSecurityContext {
    return {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

function probes(port: string, slowStart = false): { readinessProbe: Probe; livenessProbe: Probe } {
    return {
        readinessProbe: { httpGet: { path: "/-/ready", port }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: slowStart ? 60 : 6 },
        livenessProbe: { httpGet: { path: "/-/healthy", port }, initialDelaySeconds: 30, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: slowStart ? 10 : 4 },
    };
}

export function selectorLabels(name: string): Record<string, string> {
    return { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name };
}

export function workloadLabels(name: string, component: string, version: string): Record<string, string> {
    return {
        ...selectorLabels(name),
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": "thanos-federation",
        "app.kubernetes.io/managed-by": "pulumi",
        "app.kubernetes.io/version": version,
    };
}

/** Spread replicas over nodes and zones (preferred, so a small cluster still schedules them). */
export function antiAffinity(name: string): Record<string, unknown> {
    const term = (topologyKey: string, weight: number) => ({
        weight,
        podAffinityTerm: { topologyKey, labelSelector: { matchLabels: selectorLabels(name) } },
    });
    return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [term("kubernetes.io/hostname", 100), term("topology.kubernetes.io/zone", 50)] } };
}

function podSecurity(uid: number): PodSpec["securityContext"] {
    return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: "RuntimeDefault" } };
}

const thanosVersion = () => versions.thanosFederation.thanosImage.split(":")[1];
const prometheusVersion = () => versions.thanosFederation.prometheusImage.split(":")[1];

export function thanosContainer(name: string, args: string[], res: Resources, httpPort: number, withGrpc: boolean, mounts: Container["volumeMounts"], slowStart = false): Container {
    const ports: ContainerPort[] = [{ name: "http", containerPort: httpPort, protocol: "TCP" }];
    if (withGrpc) ports.push({ name: "grpc", containerPort: GRPC_PORT, protocol: "TCP" });
    return {
        name,
        image: versions.thanosFederation.thanosImage,
        imagePullPolicy: "IfNotPresent",
        args,
        ports,
        resources: k8sResources(res),
        ...probes("http", slowStart),
        securityContext: containerSecurityContext(),
        volumeMounts: mounts,
    };
}

const objstoreVolume: Volume = { name: "objstore", secret: { secretName: names.objstoreSecret } };
const objstoreMount = { name: "objstore", mountPath: "/etc/thanos/objstore", readOnly: true };

export function thanosWorkload(o: {
    kind: "Deployment" | "StatefulSet";
    name: string;
    component: string;
    replicas: number;
    container: Container;
    volumes: Volume[];
    serviceAccountName: string;
    podAnnotations?: Record<string, string>;
    volumeClaim?: WorkloadManifest["volumeClaim"];
    serviceName?: string;
}): WorkloadManifest {
    return {
        kind: o.kind,
        name: o.name,
        labels: workloadLabels(o.name, o.component, thanosVersion()),
        selector: selectorLabels(o.name),
        replicas: o.replicas,
        podAnnotations: o.podAnnotations ?? {},
        pod: {
            serviceAccountName: o.serviceAccountName,
            // No pod of ours calls the Kubernetes API. The IRSA web identity token of the bucket
            // users (store, compactor, ruler) is not this token: the EKS pod identity webhook adds
            // its own projected volume (aws-iam-token, audience sts.amazonaws.com) whatever this
            // field says (amazon-eks-pod-identity-webhook pkg/handler/handler.go, getPodSpecPatch).
            automountServiceAccountToken: false,
            securityContext: podSecurity(THANOS_UID),
            terminationGracePeriodSeconds: 120,
            ...(o.replicas > 1 ? { affinity: antiAffinity(o.name) } : {}),
            containers: [o.container],
            volumes: o.volumes,
        },
        ...(o.volumeClaim ? { volumeClaim: o.volumeClaim } : {}),
        ...(o.serviceName ? { serviceName: o.serviceName } : {}),
    };
}

/** Thanos Query: mounts the registrar's endpoints ConfigMap as a directory (kubelet refreshes it; no subPath, no checksum). */
export function queryWorkload(s: FederationSettings): WorkloadManifest {
    return thanosWorkload({
        kind: "Deployment",
        name: names.query,
        component: "query",
        replicas: s.thanos.query.replicas,
        serviceAccountName: names.query,
        container: thanosContainer("thanos-query", queryArgs(s), s.thanos.query.resources, QUERY_HTTP_PORT, true, [{ name: "endpoints", mountPath: PATHS.endpointsDir, readOnly: true }]),
        volumes: [{ name: "endpoints", configMap: { name: names.endpointsConfigMap } }],
    });
}

export function queryFrontendWorkload(s: FederationSettings): WorkloadManifest {
    return thanosWorkload({
        kind: "Deployment",
        name: names.queryFrontend,
        component: "query-frontend",
        replicas: s.thanos.queryFrontend.replicas,
        serviceAccountName: names.queryFrontend,
        container: thanosContainer("thanos-query-frontend", queryFrontendArgs(s), s.thanos.queryFrontend.resources, QUERY_HTTP_PORT, false, []),
        volumes: [],
    });
}

/**
 * A singleton StatefulSet that reads the bucket (IRSA token mounted) with a data volume: the
 * Store Gateway and the Compactor differ only in these fields.
 */
function bucketStatefulSet(
    s: FederationSettings,
    o: { name: string; component: string; container: string; args: string[]; resources: Resources; withGrpc: boolean; dataPath: string; storageSize: string },
): WorkloadManifest {
    const w = thanosWorkload({
        kind: "StatefulSet",
        name: o.name,
        component: o.component,
        replicas: 1,
        serviceAccountName: o.name,
        container: thanosContainer(o.container, o.args, o.resources, HTTP_PORT, o.withGrpc, [objstoreMount, { name: "data", mountPath: o.dataPath }], true),
        volumes: [objstoreVolume],
        volumeClaim: { name: "data", size: o.storageSize, storageClassName: s.storageClassName },
        serviceName: o.name,
    });
    return w;
}

export function storeWorkload(s: FederationSettings): WorkloadManifest {
    return bucketStatefulSet(s, {
        name: names.store,
        component: "store-gateway",
        container: "thanos-store",
        args: storeArgs(s),
        resources: s.thanos.store.resources,
        withGrpc: true,
        dataPath: PATHS.storeData,
        storageSize: s.thanos.store.storageSize,
    });
}

/** The compactor is a singleton (not concurrency safe against one bucket). */
export function compactorWorkload(s: FederationSettings): WorkloadManifest {
    return bucketStatefulSet(s, {
        name: names.compactor,
        component: "compactor",
        container: "thanos-compactor",
        args: compactorArgs(s),
        resources: s.thanos.compactor.resources,
        withGrpc: false,
        dataPath: PATHS.compactData,
        storageSize: s.thanos.compactor.storageSize,
    });
}

export function rulerWorkload(s: FederationSettings, rulesChecksum: string): WorkloadManifest {
    const ruleVolumes: Volume[] = [
        { name: "rules-builtin", configMap: { name: names.rulesConfigMap } },
        ...s.thanos.ruler.ruleConfigMaps.map((cm) => ({ name: `rules-${cm}`.slice(0, 63), configMap: { name: cm, optional: true } })),
    ];
    const mounts = [
        objstoreMount,
        { name: "data", mountPath: PATHS.rulerData },
        { name: "rules-builtin", mountPath: `${PATHS.rulesDir}/builtin`, readOnly: true },
        ...s.thanos.ruler.ruleConfigMaps.map((cm) => ({ name: `rules-${cm}`.slice(0, 63), mountPath: `${PATHS.rulesDir}/${cm}`, readOnly: true })),
    ];
    const container = thanosContainer("thanos-ruler", rulerArgs(s), s.thanos.ruler.resources, HTTP_PORT, true, mounts);
    container.env = [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }];
    const w = thanosWorkload({
        kind: "StatefulSet",
        name: names.ruler,
        component: "ruler",
        replicas: s.thanos.ruler.replicas,
        serviceAccountName: names.ruler,
        container,
        volumes: [objstoreVolume, ...ruleVolumes],
        // Our own rules file: roll the Ruler when it changes.
        podAnnotations: { "checksum/rules": rulesChecksum },
        volumeClaim: { name: "data", size: s.thanos.ruler.storageSize, storageClassName: s.storageClassName },
        serviceName: names.ruler,
    });
    return w;
}

/** A federation Prometheus (central with a Thanos sidecar for Query, or a group federator). */
export function federationWorkload(s: FederationSettings, o: { name: string; configMap: string; configChecksum: string; sidecar: boolean }): WorkloadManifest {
    const prometheus: Container = {
        name: "prometheus",
        image: versions.thanosFederation.prometheusImage,
        imagePullPolicy: "IfNotPresent",
        args: [
            `--config.file=${PATHS.promConfigFile}`,
            `--storage.tsdb.path=${PATHS.promData}`,
            `--storage.tsdb.retention.time=${s.prometheus.retention}`,
            `--web.listen-address=0.0.0.0:${QUERY_HTTP_PORT}`,
        ],
        ports: [{ name: "http", containerPort: QUERY_HTTP_PORT, protocol: "TCP" }],
        resources: k8sResources(s.federation.resources),
        ...probes("http", true),
        securityContext: containerSecurityContext(),
        volumeMounts: [
            { name: "config", mountPath: PATHS.promConfigDir, readOnly: true },
            // The registrar's file_sd ConfigMap, mounted as a directory: Prometheus re-reads it, no restart.
            { name: "targets", mountPath: PATHS.promTargetsDir, readOnly: true },
            { name: "data", mountPath: PATHS.promData },
        ],
    };
    const containers: Container[] = [prometheus];
    if (o.sidecar) {
        containers.push({
            name: "thanos-sidecar",
            image: versions.thanosFederation.thanosImage,
            imagePullPolicy: "IfNotPresent",
            // StoreAPI only (no objstore): Thanos Query sees the federated series of the fleet.
            args: [
                "sidecar",
                ...COMMON_FLAGS,
                `--prometheus.url=http://localhost:${QUERY_HTTP_PORT}`,
                `--tsdb.path=${PATHS.promData}`,
                `--http-address=0.0.0.0:${HTTP_PORT}`,
                `--grpc-address=0.0.0.0:${GRPC_PORT}`,
            ],
            ports: [
                { name: "sidecar-http", containerPort: HTTP_PORT, protocol: "TCP" },
                { name: "grpc", containerPort: GRPC_PORT, protocol: "TCP" },
            ],
            resources: k8sResources({ cpuRequest: "50m", memoryRequest: "128Mi", cpuLimit: "500m", memoryLimit: "512Mi" }),
            ...probes("sidecar-http"),
            securityContext: containerSecurityContext(),
            volumeMounts: [{ name: "data", mountPath: PATHS.promData, readOnly: true }],
        });
    }
    return {
        kind: "StatefulSet",
        name: o.name,
        labels: workloadLabels(o.name, "federation-prometheus", prometheusVersion()),
        selector: selectorLabels(o.name),
        replicas: 1,
        podAnnotations: { "checksum/config": o.configChecksum },
        pod: {
            serviceAccountName: names.federation,
            automountServiceAccountToken: false,
            securityContext: podSecurity(PROMETHEUS_UID),
            terminationGracePeriodSeconds: 300,
            containers,
            volumes: [
                { name: "config", configMap: { name: o.configMap } },
                { name: "targets", configMap: { name: names.federationTargetsConfigMap } },
            ],
        },
        volumeClaim: { name: "data", size: s.prometheus.storageSize, storageClassName: s.storageClassName },
        serviceName: o.name,
    };
}

/** Kubernetes object spec of a workload (`spec` of a Deployment or StatefulSet). */
export function workloadSpec(w: WorkloadManifest): Record<string, unknown> {
    const template = {
        metadata: { labels: w.labels, annotations: w.podAnnotations },
        spec: w.pod,
    };
    if (w.kind === "Deployment") {
        return { replicas: w.replicas, selector: { matchLabels: w.selector }, template, strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } };
    }
    return {
        replicas: w.replicas,
        serviceName: w.serviceName,
        podManagementPolicy: "Parallel",
        selector: { matchLabels: w.selector },
        template,
        volumeClaimTemplates: w.volumeClaim
            ? [{ metadata: { name: w.volumeClaim.name }, spec: volumeClaimSpec(w.volumeClaim.size, w.volumeClaim.storageClassName) }]
            : [],
    };
}

export interface ServiceManifest {
    name: string;
    labels: Record<string, string>;
    spec: { type: "ClusterIP"; clusterIP?: "None"; selector: Record<string, string>; ports: { name: string; port: number; targetPort: string; protocol: "TCP" }[] };
}

export function service(name: string, selector: Record<string, string>, labels: Record<string, string>, ports: { name: string; port: number }[], headless: boolean): ServiceManifest {
    return {
        name,
        labels,
        spec: {
            type: "ClusterIP",
            ...(headless ? { clusterIP: "None" as const } : {}),
            selector,
            ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: "TCP" as const })),
        },
    };
}

/** A ServiceMonitor so the C&C Prometheus scrapes a Thanos/federation component's /metrics. */
export function serviceMonitor(name: string, selector: Record<string, string>, ports: string[]): Record<string, unknown> {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name, namespace: names.namespace, labels: { ...selector, release: KPS_RELEASE } },
        spec: {
            selector: { matchLabels: selector },
            namespaceSelector: { matchNames: [names.namespace] },
            endpoints: ports.map((port) => ({ port, path: "/metrics", interval: "30s" })),
        },
    };
}

/** Every image a set of workloads runs (for pinning checks). */
export function imagesOf(workloads: WorkloadManifest[]): string[] {
    return workloads.flatMap((w) => w.pod.containers.map((c) => c.image));
}

// ---------------------------------------------------------------------------------------------
// What the component deploys, decided here: federation servers, Services and their monitored
// ports, PodDisruptionBudgets.

/** One Prometheus server of the federation mode: its name, rendered config and whether it carries a Thanos sidecar. */
export interface FederationServer {
    name: string;
    config: string;
    sidecar: boolean;
}

/** The federation mode's servers: the group federators (if any), then the central one (with a sidecar for Query). */
export function federationServers(s: FederationSettings): FederationServer[] {
    const { match, groups } = s.federation;
    const servers: FederationServer[] = [];
    for (let index = 0; index < groups; index++) {
        servers.push({ name: federationGroupName(index), config: renderPrometheusConfig(groupFederationConfig({ match, targetsFile: PATHS.promTargetsFile, groups, index })), sidecar: false });
    }
    servers.push({
        name: names.federation,
        config: renderPrometheusConfig(centralFederationConfig({ match, targetsFile: PATHS.promTargetsFile, cncTarget: cncPrometheusTarget(), groupTargets: groupTargets(groups) })),
        sidecar: true,
    });
    return servers;
}

/** A Service of a workload and the ports the C&C Prometheus scrapes on it (ServiceMonitor). */
export interface ServicePlan {
    name: string;
    ports: { name: string; port: number }[];
    headless: boolean;
    monitorPorts: string[];
}

const httpPort = (port: number) => ({ name: "http", port });
const grpcPort = { name: "grpc", port: GRPC_PORT };

/** The Services of each workload kind. StatefulSets get a headless Service (their governing service). */
export function servicePlans(kind: "query" | "queryFrontend" | "store" | "compactor" | "ruler" | "federation", workloadName: string, sidecar = false): ServicePlan[] {
    switch (kind) {
        case "query":
            return [
                { name: names.query, ports: [httpPort(QUERY_HTTP_PORT), grpcPort], headless: false, monitorPorts: ["http"] },
                { name: names.queryGrpc, ports: [grpcPort], headless: false, monitorPorts: [] },
            ];
        case "queryFrontend":
            return [{ name: names.queryFrontend, ports: [httpPort(QUERY_HTTP_PORT)], headless: false, monitorPorts: ["http"] }];
        case "store":
            return [{ name: names.store, ports: [httpPort(HTTP_PORT), grpcPort], headless: true, monitorPorts: ["http"] }];
        case "compactor":
            return [{ name: names.compactor, ports: [httpPort(HTTP_PORT)], headless: true, monitorPorts: ["http"] }];
        case "ruler":
            return [{ name: names.ruler, ports: [httpPort(HTTP_PORT), grpcPort], headless: true, monitorPorts: ["http"] }];
        case "federation":
            // The central federator's Thanos sidecar is scraped on its own port too.
            return sidecar
                ? [{ name: workloadName, ports: [httpPort(QUERY_HTTP_PORT), grpcPort, { name: "sidecar-http", port: HTTP_PORT }], headless: true, monitorPorts: ["http", "sidecar-http"] }]
                : [{ name: workloadName, ports: [httpPort(QUERY_HTTP_PORT)], headless: true, monitorPorts: ["http"] }];
    }
}

/** A PodDisruptionBudget keeping one pod available, for every workload that runs more than one replica. */
export function podDisruptionBudget(w: WorkloadManifest): { minAvailable: number; selector: { matchLabels: Record<string, string> } } | undefined {
    return w.replicas > 1 ? { minAvailable: 1, selector: { matchLabels: w.selector } } : undefined;
}
