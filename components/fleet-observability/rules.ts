// FleetObservability's alert rules, typed: which alerts exist, their expressions, severities,
// annotations and runbook links, and where each group is evaluated. Pure functions of plain
// options; the component renders them as a PrometheusRule (C&C Prometheus) and as the Thanos
// Ruler's rules file. RUNBOOK.md at the repository root has one section per alert, whose anchor
// is the alert name in lower case (the runbook_url fragment).
//
// Where rules run (issue 14: "rules evaluated fleet-wide go to the Thanos Ruler; local ones go to
// Prometheus"):
// | group                  | evaluated by                       | why |
// |------------------------|------------------------------------|-----|
// | fleet-drift-local      | C&C Prometheus (PrometheusRule)    | its inputs (leaf Query `up` from the registrar's file_sd, the provisioner inventory from json_exporter) are scraped by the C&C Prometheus; it keeps working when Query or the Ruler is broken, and Prometheus keeps an alert's own clusterID (it only adds missing external labels) |
// | cnc-monitoring         | C&C Prometheus                     | Thanos Compactor/Store/Query/Ruler, Prometheus and Alertmanager run in the C&C and are scraped by its Prometheus; they must not depend on Query or the Ruler being healthy |
// | installation-probes    | C&C Prometheus                     | the blackbox exporter is scraped by the C&C Prometheus only |
// | fleet-drift            | Thanos Ruler, partial_response warn | compares the registered set (C&C Prometheus) with what reports through Thanos Query: needs every cluster's data; `warn`, because it must fire exactly when a cluster is missing |
// | fleet-monitoring       | Thanos Ruler, warn                 | sidecar uploads and Fluent Bit run in every cluster: only Query sees them all |
// | fleet-workload         | Thanos Ruler, warn                 | the original's per-cluster workload alerts over every cluster; `warn`, so one unreachable cluster does not silence the others (it is covered by FleetClusterDown / FleetClusterRegisteredNotReporting) |
//
// The Ruler's alerts keep each cluster's clusterID only because its external label is
// `rule_cluster`, not `clusterID` (components/thanos-federation/plan.ts RULER_CLUSTER_LABEL).
//
// Series used and who produces them (nothing here is invented; absent series make an alert silent,
// never fire, except the two `absent()` alerts that exist to catch exactly that):
// - `up{job="fleet-leaf-query", registered_cluster}`: the C&C Prometheus scraping each registered
//   leaf Thanos Query (registrar-written file_sd);
// - `provisioner_cluster_info{provisioned_cluster, state}`: json_exporter over the provisioner API;
// - `probe_success{job="installation-probes", installation, instance}`: blackbox exporter;
// - kube-state-metrics, node-exporter and cAdvisor (kube-prometheus-stack in every cluster);
// - Thanos v0.42.4 metrics: thanos_compact_halted, thanos_objstore_bucket_* (objstore wrapped with
//   the `thanos_` prefix, cmd/thanos/{sidecar,store}.go), grpc_client_* of Query,
//   thanos_rule_evaluation_with_warnings_total{strategy} (cmd/thanos/rule.go),
//   thanos_alert_{sender,queue}_alerts_dropped_total (pkg/alert/alert.go);
// - Prometheus: prometheus_rule_evaluation_failures_total{rule_group}; Alertmanager v0.35:
//   alertmanager_notifications_{failed_,}total{integration};
// - Fluent Bit v5.0.9 (src/flb_output.c): fluentbit_output_{errors,retries_failed}_total{name};
// - Mattermost server (server/enterprise/metrics/metrics.go): mattermost_http_{requests,errors}_total,
//   mattermost_api_time (histogram, seconds); const label installationId on Cloud; the app
//   container is `mattermost` (mattermost-operator MattermostAppContainerName).
//
// Not here, on purpose: the DNS registrar's metrics live in CloudWatch (EMF namespace
// CloudCnc/DnsRegistrar, AWS/Lambda, AWS/SQS) and no Prometheus series shows a registrar run, so
// its errors/throttles/DLQ alarms stay CloudWatch alarms on the alarm topic (RUNBOOK.md
// "CloudWatch alarms"); OpenSearch health is in CloudWatch (AWS/ES) as well.
import { z } from "zod";
import { duration } from "../common/formats";
import { PROVISIONER_METRICS, SCRAPE_JOBS, LEAF_QUERY_CLUSTER_LABEL } from "./scrape";
import { LEAF_UP, asClusterId, fleetSets, promString } from "./sets";

export type Severity = "critical" | "warning" | "info";
export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

/** One alerting rule, as Prometheus and the Thanos Ruler read it. */
export interface Alert {
    alert: AlertName;
    expr: string;
    for?: string;
    labels: { severity: Severity };
    annotations: {
        summary: string;
        /** Names the cluster (`{{ $labels.clusterID }}`) for every per-cluster alert. */
        description: string;
        /** `<runbookBaseUrl>#<alert name in lower case>`: a section of RUNBOOK.md. */
        runbook_url: string;
    };
}

/** A rule group of the C&C Prometheus (the `spec.groups[]` of a PrometheusRule). */
export interface PrometheusAlertGroup {
    name: string;
    rules: Alert[];
}

/** A rule group of the Thanos Ruler (a Prometheus group plus Thanos' partial-response strategy). */
export interface RulerAlertGroup extends PrometheusAlertGroup {
    /** `warn`: evaluate on the clusters that answer; `abort` would fail every rule of the group when one cluster is unreachable. */
    partial_response_strategy: "warn" | "abort";
}

/** What an alert is about: a workload cluster (its description names clusterID), an installation, or the C&C's own stack. */
export type AlertScope = "cluster" | "installation" | "cnc";

/** Where a group is evaluated, and why (also in RUNBOOK.md). */
export interface GroupPlacement {
    group: string;
    evaluatedBy: "prometheus" | "ruler";
    why: string;
}

export const ruleThresholdsSchema = z
    .object({
        /** Cluster CPU use (1 - idle, averaged over nodes) above which FleetClusterCPUHigh fires. Issue: 90%. */
        clusterCpuRatio: z.number().gt(0).lt(1).default(0.9),
        /** How long the CPU must stay above it. Issue: 10 minutes. */
        clusterCpuFor: duration().default("10m"),
        /** Cluster memory use (1 - available / total) above which FleetClusterMemoryHigh fires. Issue: 80%. */
        clusterMemoryRatio: z.number().gt(0).lt(1).default(0.8),
        clusterMemoryFor: duration().default("10m"),
        /** Mattermost container CPU or memory as a share of its limit. Issue: 80%. */
        mattermostLimitRatio: z.number().gt(0).lt(1).default(0.8),
        mattermostLimitFor: duration().default("15m"),
        /** Mean Mattermost API latency, in seconds. Issue: 500 ms. */
        apiLatencySeconds: z.number().positive().default(0.5),
        apiLatencyFor: duration().default("10m"),
        /** Share of Mattermost HTTP requests that are errors. */
        apiErrorRatio: z.number().gt(0).lt(1).default(0.05),
        apiErrorFor: duration().default("10m"),
        /** Hours without a sidecar upload before ThanosSidecarNotUploading. Issue: 3h. */
        sidecarUploadMaxAgeHours: z.number().positive().default(3),
        /** How long a registered leaf Query may fail its scrape before FleetClusterDown. */
        clusterDownFor: duration().default("5m"),
        /** How long a registered cluster may send no series before FleetClusterRegisteredNotReporting. */
        registeredNotReportingFor: duration().default("15m"),
        /** How long a stable provisioned cluster may be unregistered (the registrar runs every 5 minutes). */
        provisionedNotRegisteredFor: duration().default("30m"),
        /** How long an installation's ping may fail before InstallationPingFailing. */
        probeFailingFor: duration().default("5m"),
    })
    .strict();

export type RuleThresholds = z.infer<typeof ruleThresholdsSchema>;

export const ruleOptionsSchema = z
    .object({
        /** The C&C's clusterID (the external label of its Prometheus): excluded from "reporting but unknown". */
        cncClusterId: z.string().regex(/^[A-Za-z0-9._-]{1,63}$/, "1-63 of [A-Za-z0-9._-]"),
        /** URL of RUNBOOK.md, without a fragment, e.g. https://github.com/<org>/cloud-cnc/blob/main/RUNBOOK.md. */
        runbookBaseUrl: z.string().url().refine((u) => !u.includes("#"), "no #fragment: the alert adds its own"),
        /** Thresholds; every key defaults to the value. */
        thresholds: ruleThresholdsSchema.prefault({}),
    })
    .strict();

/** Options of the rule functions (plain data). `thresholds` may be partial or absent. */
export type RuleOptions = z.input<typeof ruleOptionsSchema>;

/** Every alert FleetObservability defines, in RUNBOOK.md order. */
export const ALERT_NAMES = [
    // Fleet: drift between provisioned, registered and reporting
    "FleetClusterDown",
    "FleetClusterRegisteredNotReporting",
    "FleetClusterProvisionedNotRegistered",
    "FleetClusterReportingUnknown",
    "FleetProvisionerInventoryMissing",
    // Fleet: monitoring pipeline
    "ThanosSidecarNotUploading",
    "ThanosCompactHalted",
    "ThanosCompactNotRunning",
    "ThanosBucketOperationsFailing",
    "ThanosQueryStoreCallsFailing",
    "ThanosRulerPartialResponses",
    "ThanosRulerAlertsDropped",
    "PrometheusRuleEvaluationFailures",
    "AlertmanagerNotificationsFailing",
    "FluentBitOutputRecordsLost",
    "FluentBitOutputErrors",
    "InstallationPingFailing",
    // The original's workload alerts, per cluster
    "FleetPodCrashLooping",
    "FleetPodFailed",
    "FleetNodeNotReady",
    "FleetNodeTainted",
    "FleetClusterCPUHigh",
    "FleetClusterMemoryHigh",
    "MattermostCPUNearLimit",
    "MattermostMemoryNearLimit",
    "MattermostAPIErrorRateHigh",
    "MattermostAPILatencyHigh",
] as const;

export type AlertName = (typeof ALERT_NAMES)[number];

/** What each alert is about (cluster-scoped alerts name `{{ $labels.clusterID }}` in their description). */
export const ALERT_SCOPE: Readonly<Record<AlertName, AlertScope>> = {
    FleetClusterDown: "cluster",
    FleetClusterRegisteredNotReporting: "cluster",
    FleetClusterProvisionedNotRegistered: "cluster",
    FleetClusterReportingUnknown: "cluster",
    FleetProvisionerInventoryMissing: "cnc",
    ThanosSidecarNotUploading: "cluster",
    ThanosCompactHalted: "cnc",
    ThanosCompactNotRunning: "cnc",
    ThanosBucketOperationsFailing: "cnc",
    ThanosQueryStoreCallsFailing: "cnc",
    ThanosRulerPartialResponses: "cnc",
    ThanosRulerAlertsDropped: "cnc",
    PrometheusRuleEvaluationFailures: "cnc",
    AlertmanagerNotificationsFailing: "cnc",
    FluentBitOutputRecordsLost: "cluster",
    FluentBitOutputErrors: "cluster",
    InstallationPingFailing: "installation",
    FleetPodCrashLooping: "cluster",
    FleetPodFailed: "cluster",
    FleetNodeNotReady: "cluster",
    FleetNodeTainted: "cluster",
    FleetClusterCPUHigh: "cluster",
    FleetClusterMemoryHigh: "cluster",
    MattermostCPUNearLimit: "cluster",
    MattermostMemoryNearLimit: "cluster",
    MattermostAPIErrorRateHigh: "cluster",
    MattermostAPILatencyHigh: "cluster",
};

/**
 * kube-prometheus-stack 88.5.3 default alerts these rules replace, keyed by the kps alert and valued
 * by ours: the stack disables them (ThanosFederation `prometheus.disabledDefaultAlerts`, the chart's
 * `defaultRules.disabled`) so one condition notifies once. The kps ones cover the C&C only; ours
 * cover it fleet-wide with clusterID and a runbook. Each name is a `defaultRules.disabled.<Name>`
 * switch in that chart (templates/prometheus/rules-1.14: prometheus.yaml, alertmanager.rules.yaml,
 * kubernetes-apps.yaml, kubernetes-system-kubelet.yaml), read 2026-12-05.
 */
export const REPLACED_DEFAULT_ALERTS: Readonly<Record<string, AlertName>> = {
    PrometheusRuleFailures: "PrometheusRuleEvaluationFailures",
    AlertmanagerFailedToSendAlerts: "AlertmanagerNotificationsFailing",
    AlertmanagerClusterFailedToSendAlerts: "AlertmanagerNotificationsFailing",
    KubePodCrashLooping: "FleetPodCrashLooping",
    KubeNodeNotReady: "FleetNodeNotReady",
};

/** Mattermost's application container (mattermost-operator `MattermostAppContainerName`). */
export const MATTERMOST_CONTAINER = "mattermost";

/** The anchor of an alert's RUNBOOK.md section: GitHub's anchor of a `## <AlertName>` heading. */
export function runbookAnchor(name: AlertName): string {
    return name.toLowerCase();
}

/** A PromQL string literal (double-quoted, escaped). */
const str = promString;

/** Renames `registered_cluster` to `clusterID` (the join label of the drift alerts). */
/** `inner` (over the leaf Query targets) with its registered_cluster copied to clusterID. */
function registered(inner: string): string {
    return asClusterId(inner, LEAF_QUERY_CLUSTER_LABEL);
}

function pct(ratio: number): string {
    return `${Math.round(ratio * 1000) / 10}%`;
}

interface Definition {
    alert: AlertName;
    expr: string;
    for?: string;
    severity: Severity;
    summary: string;
    description: string;
}

function build(o: z.output<typeof ruleOptionsSchema>, d: Definition): Alert {
    return {
        alert: d.alert,
        expr: d.expr,
        ...(d.for ? { for: d.for } : {}),
        labels: { severity: d.severity },
        annotations: { summary: d.summary, description: d.description, runbook_url: `${o.runbookBaseUrl}#${runbookAnchor(d.alert)}` },
    };
}

function parse(o: RuleOptions): z.output<typeof ruleOptionsSchema> {
    return ruleOptionsSchema.parse(o);
}

// ---------------------------------------------------------------------------------------------
// The groups

function fleetDriftLocal(o: z.output<typeof ruleOptionsSchema>): Definition[] {
    const t = o.thresholds;
    const sets = fleetSets(o.cncClusterId);
    return [
        {
            alert: "FleetClusterDown",
            expr: `${registered(LEAF_UP)} == 0`,
            for: t.clusterDownFor,
            severity: "critical",
            summary: "A registered cluster's Thanos Query does not answer",
            description:
                "Cluster {{ $labels.clusterID }} is registered (Route 53 record, registrar target {{ $labels.instance }}) but the C&C Prometheus cannot scrape its leaf Thanos Query: its metrics are not in the fleet view and its alerts are silenced by inhibition.",
        },
        {
            alert: "FleetClusterProvisionedNotRegistered",
            expr: `${sets.provisionedStable} unless on (clusterID) ${sets.registered}`,
            for: t.provisionedNotRegisteredFor,
            severity: "warning",
            summary: "A stable provisioned cluster is not registered",
            description:
                "The provisioner reports cluster {{ $labels.clusterID }} as stable, but the DNS registrar has no leaf Query target for it: it has no Route 53 record in the Thanos zone, so the C&C neither monitors nor federates it.",
        },
        {
            alert: "FleetProvisionerInventoryMissing",
            expr: `absent(${PROVISIONER_METRICS.clusterInfo}) and on () (count(${LEAF_UP}) > 0)`,
            for: "15m",
            severity: "warning",
            summary: "The provisioner's cluster inventory is missing while clusters are registered",
            description:
                "Clusters are registered but no provisioner_cluster_info series exists: json_exporter cannot read the provisioner API, so FleetClusterProvisionedNotRegistered cannot fire.",
        },
    ];
}

function cncMonitoring(): Definition[] {
    return [
        {
            alert: "ThanosCompactHalted",
            expr: `max by (job) (thanos_compact_halted{job=~".*thanos-compact.*"}) == 1`,
            for: "5m",
            severity: "critical",
            summary: "Thanos Compactor halted",
            description: "The compactor {{ $labels.job }} halted on an error: compaction, downsampling and retention have stopped and the bucket grows.",
        },
        {
            alert: "ThanosCompactNotRunning",
            expr:
                `absent(up{job=~".*thanos-compact.*"} == 1)` +
                ` or (time() - max(max_over_time(thanos_objstore_bucket_last_successful_upload_time{job=~".*thanos-compact.*"}[24h])) > 24 * 3600)`,
            for: "15m",
            severity: "warning",
            summary: "Thanos Compactor is not running or has not uploaded for 24h",
            description: "No Thanos Compactor is up, or none has uploaded a compacted block for 24 hours: downsampling and retention are not happening.",
        },
        {
            alert: "ThanosBucketOperationsFailing",
            expr:
                "sum by (job, operation) (rate(thanos_objstore_bucket_operation_failures_total[5m]))" +
                " / sum by (job, operation) (rate(thanos_objstore_bucket_operations_total[5m])) > 0.05",
            for: "15m",
            severity: "warning",
            summary: "Thanos metrics bucket operations are failing",
            description: "{{ $labels.job }} fails {{ $value | humanizePercentage }} of its {{ $labels.operation }} operations on the metrics bucket.",
        },
        {
            alert: "ThanosQueryStoreCallsFailing",
            expr:
                `sum by (job) (rate(grpc_client_handled_total{grpc_code!="OK", job=~".*thanos-query.*"}[5m]))` +
                ` / sum by (job) (rate(grpc_client_started_total{job=~".*thanos-query.*"}[5m])) > 0.05`,
            for: "15m",
            severity: "warning",
            summary: "Thanos Query's calls to its stores fail: fleet answers are partial",
            description: "{{ $value | humanizePercentage }} of the StoreAPI calls of {{ $labels.job }} fail: queries and fleet rules answer without some clusters (partial responses).",
        },
        {
            alert: "ThanosRulerPartialResponses",
            expr: `sum by (job) (rate(thanos_rule_evaluation_with_warnings_total{strategy="warn"}[5m])) > 0`,
            for: "30m",
            severity: "info",
            summary: "The Thanos Ruler evaluates fleet rules on partial data",
            description: "{{ $labels.job }} has evaluated rules on partial responses for 30 minutes: some cluster does not answer Thanos Query (see FleetClusterDown).",
        },
        {
            alert: "ThanosRulerAlertsDropped",
            expr:
                "sum by (job) (rate(thanos_alert_sender_alerts_dropped_total[5m])) > 0" +
                " or sum by (job) (rate(thanos_alert_queue_alerts_dropped_total[5m])) > 0",
            for: "5m",
            severity: "critical",
            summary: "The Thanos Ruler drops alerts",
            description: "{{ $labels.job }} drops alerts instead of delivering them to Alertmanager: fleet-wide alerts are lost.",
        },
        {
            alert: "PrometheusRuleEvaluationFailures",
            expr: "sum by (job, rule_group) (increase(prometheus_rule_evaluation_failures_total[5m])) > 0",
            for: "15m",
            severity: "critical",
            summary: "Rule evaluations fail",
            description: "{{ $labels.job }} fails to evaluate rules of group {{ $labels.rule_group }}: its alerts cannot fire.",
        },
        {
            alert: "AlertmanagerNotificationsFailing",
            expr:
                "sum by (job, integration) (rate(alertmanager_notifications_failed_total[5m]))" +
                " / sum by (job, integration) (rate(alertmanager_notifications_total[5m])) > 0.01",
            for: "10m",
            severity: "critical",
            summary: "Alertmanager fails to send notifications",
            description: "{{ $labels.job }} fails {{ $value | humanizePercentage }} of its {{ $labels.integration }} notifications.",
        },
    ];
}

function installationProbes(o: z.output<typeof ruleOptionsSchema>): Definition[] {
    return [
        {
            alert: "InstallationPingFailing",
            expr: `max by (installation, instance) (probe_success{job=${str(SCRAPE_JOBS.installationProbes)}}) == 0`,
            for: o.thresholds.probeFailingFor,
            severity: "critical",
            summary: "An installation does not answer its ping",
            description: "Installation {{ $labels.installation }} fails its blackbox probe of {{ $labels.instance }} (GET /api/v4/system/ping, HTTP 2xx with status OK).",
        },
    ];
}

function fleetDrift(o: z.output<typeof ruleOptionsSchema>): Definition[] {
    const t = o.thresholds;
    const sets = fleetSets(o.cncClusterId);
    return [
        {
            alert: "FleetClusterRegisteredNotReporting",
            expr: `${sets.registered} unless on (clusterID) ${sets.reporting}`,
            for: t.registeredNotReportingFor,
            severity: "warning",
            summary: "A registered cluster sends no metrics",
            description: "Cluster {{ $labels.clusterID }} is registered (the registrar scrapes its leaf Query) but no series with clusterID={{ $labels.clusterID }} reaches Thanos Query.",
        },
        {
            alert: "FleetClusterReportingUnknown",
            expr: `${sets.reporting} unless on (clusterID) ${sets.registered}`,
            for: "30m",
            severity: "warning",
            summary: "Metrics arrive from a cluster that is not registered",
            description: "Thanos Query returns fresh series of cluster {{ $labels.clusterID }}, which the DNS registrar has not registered: a static endpoint, a stale record or a wrong external label.",
        },
    ];
}

function fleetMonitoring(o: z.output<typeof ruleOptionsSchema>): Definition[] {
    const hours = o.thresholds.sidecarUploadMaxAgeHours;
    return [
        {
            alert: "ThanosSidecarNotUploading",
            // The sidecars' uploads (not the compactor's, the Ruler's or a receiver's); the gauge appears at the first upload.
            expr: `(time() - max by (clusterID) (thanos_objstore_bucket_last_successful_upload_time{job!~".*(compact|rule|receive|store).*"})) / 3600 > ${hours}`,
            for: "15m",
            severity: "warning",
            summary: `A cluster's Thanos sidecar has not uploaded for more than ${hours}h`,
            description: `No Thanos sidecar of cluster {{ $labels.clusterID }} has uploaded a block for {{ $value | humanize }} hours (threshold ${hours}h): its history beyond Prometheus retention is at risk.`,
        },
        {
            alert: "FluentBitOutputRecordsLost",
            expr: "sum by (clusterID, name) (increase(fluentbit_output_retries_failed_total[10m])) > 0",
            for: "5m",
            severity: "warning",
            summary: "Fluent Bit drops log records after exhausting retries",
            description: "Fluent Bit output {{ $labels.name }} in cluster {{ $labels.clusterID }} gave up on chunks after all retries: those logs never reach OpenSearch.",
        },
        {
            alert: "FluentBitOutputErrors",
            expr: "sum by (clusterID, name) (rate(fluentbit_output_errors_total[5m])) > 0",
            for: "15m",
            severity: "warning",
            summary: "Fluent Bit output is failing",
            description: "Fluent Bit output {{ $labels.name }} in cluster {{ $labels.clusterID }} has failed to deliver for 15 minutes (it retries; buffers grow).",
        },
    ];
}

function fleetWorkload(o: z.output<typeof ruleOptionsSchema>): Definition[] {
    const t = o.thresholds;
    const mm = str(MATTERMOST_CONTAINER);
    const byPod = "clusterID, namespace, pod";
    const byInstallation = "clusterID, namespace, installationId";
    return [
        {
            alert: "FleetPodCrashLooping",
            expr: `max by (clusterID, namespace, pod, container) (kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}) >= 1`,
            for: "15m",
            severity: "warning",
            summary: "A container is in CrashLoopBackOff",
            description: "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} in cluster {{ $labels.clusterID }} has been in CrashLoopBackOff for 15 minutes.",
        },
        {
            alert: "FleetPodFailed",
            expr: `max by (${byPod}) (kube_pod_status_phase{phase="Failed"}) > 0`,
            for: "15m",
            severity: "warning",
            summary: "A pod has failed",
            description: "Pod {{ $labels.namespace }}/{{ $labels.pod }} in cluster {{ $labels.clusterID }} has been in phase Failed for 15 minutes.",
        },
        {
            alert: "FleetNodeNotReady",
            expr: `max by (clusterID, node) (kube_node_status_condition{condition="Ready", status="true"}) == 0`,
            for: "15m",
            severity: "warning",
            summary: "A node is not Ready",
            description: "Node {{ $labels.node }} of cluster {{ $labels.clusterID }} has not been Ready for 15 minutes.",
        },
        {
            alert: "FleetNodeTainted",
            // The taints Kubernetes itself sets for a node condition or a cordon (node.kubernetes.io/*), not intentional dedication taints.
            expr: String.raw`max by (clusterID, node, key, effect) (kube_node_spec_taint{key=~"node\\.kubernetes\\.io/.+", effect=~"NoSchedule|NoExecute"}) > 0`,
            for: "30m",
            severity: "warning",
            summary: "A node has carried a condition taint for 30 minutes",
            description: "Node {{ $labels.node }} of cluster {{ $labels.clusterID }} is tainted {{ $labels.key }}:{{ $labels.effect }}: nothing new is scheduled there.",
        },
        {
            alert: "FleetClusterCPUHigh",
            expr: `1 - avg by (clusterID) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > ${t.clusterCpuRatio}`,
            for: t.clusterCpuFor,
            severity: "warning",
            summary: `Cluster CPU above ${pct(t.clusterCpuRatio)}`,
            description: `Cluster {{ $labels.clusterID }} uses {{ $value | humanizePercentage }} of its nodes' CPU (threshold ${pct(t.clusterCpuRatio)} for ${t.clusterCpuFor}).`,
        },
        {
            alert: "FleetClusterMemoryHigh",
            expr: `1 - sum by (clusterID) (node_memory_MemAvailable_bytes) / sum by (clusterID) (node_memory_MemTotal_bytes) > ${t.clusterMemoryRatio}`,
            for: t.clusterMemoryFor,
            severity: "warning",
            summary: `Cluster memory above ${pct(t.clusterMemoryRatio)}`,
            description: `Cluster {{ $labels.clusterID }} uses {{ $value | humanizePercentage }} of its nodes' memory (threshold ${pct(t.clusterMemoryRatio)}).`,
        },
        {
            alert: "MattermostCPUNearLimit",
            expr:
                `sum by (${byPod}) (rate(container_cpu_usage_seconds_total{container=${mm}}[5m]))` +
                ` / sum by (${byPod}) (kube_pod_container_resource_limits{resource="cpu", container=${mm}}) > ${t.mattermostLimitRatio}`,
            for: t.mattermostLimitFor,
            severity: "warning",
            summary: `Mattermost CPU above ${pct(t.mattermostLimitRatio)} of its limit`,
            description: `Mattermost pod {{ $labels.namespace }}/{{ $labels.pod }} in cluster {{ $labels.clusterID }} uses {{ $value | humanizePercentage }} of its CPU limit: it is being throttled.`,
        },
        {
            alert: "MattermostMemoryNearLimit",
            expr:
                `sum by (${byPod}) (container_memory_working_set_bytes{container=${mm}})` +
                ` / sum by (${byPod}) (kube_pod_container_resource_limits{resource="memory", container=${mm}}) > ${t.mattermostLimitRatio}`,
            for: t.mattermostLimitFor,
            severity: "warning",
            summary: `Mattermost memory above ${pct(t.mattermostLimitRatio)} of its limit`,
            description: `Mattermost pod {{ $labels.namespace }}/{{ $labels.pod }} in cluster {{ $labels.clusterID }} uses {{ $value | humanizePercentage }} of its memory limit: it will be OOM-killed at the limit.`,
        },
        {
            alert: "MattermostAPIErrorRateHigh",
            expr:
                `sum by (${byInstallation}) (rate(mattermost_http_errors_total[5m]))` +
                ` / sum by (${byInstallation}) (rate(mattermost_http_requests_total[5m])) > ${t.apiErrorRatio}`,
            for: t.apiErrorFor,
            severity: "warning",
            summary: `Mattermost API errors above ${pct(t.apiErrorRatio)} of requests`,
            description: `{{ $value | humanizePercentage }} of the HTTP requests of Mattermost in {{ $labels.namespace }} (cluster {{ $labels.clusterID }}) fail (threshold ${pct(t.apiErrorRatio)}).`,
        },
        {
            alert: "MattermostAPILatencyHigh",
            expr:
                `sum by (${byInstallation}) (rate(mattermost_api_time_sum[5m]))` +
                ` / sum by (${byInstallation}) (rate(mattermost_api_time_count[5m])) > ${t.apiLatencySeconds}`,
            for: t.apiLatencyFor,
            severity: "warning",
            summary: `Mattermost mean API latency above ${t.apiLatencySeconds * 1000} ms`,
            description: `Mattermost in {{ $labels.namespace }} (cluster {{ $labels.clusterID }}) answers API calls in {{ $value | humanizeDuration }} on average (threshold ${t.apiLatencySeconds * 1000} ms).`,
        },
    ];
}

/** Where each group runs, and why (the table at the top of this file). */
export const GROUP_PLACEMENT: readonly GroupPlacement[] = [
    { group: "fleet-drift-local", evaluatedBy: "prometheus", why: "inputs scraped by the C&C Prometheus (leaf Query up, provisioner inventory); works when Query or the Ruler is broken; keeps the alert's own clusterID" },
    { group: "cnc-monitoring", evaluatedBy: "prometheus", why: "the C&C's Thanos components, Prometheus and Alertmanager are scraped by the C&C Prometheus; must not depend on Query or the Ruler" },
    { group: "installation-probes", evaluatedBy: "prometheus", why: "the blackbox exporter is scraped by the C&C Prometheus only" },
    { group: "fleet-drift", evaluatedBy: "ruler", why: "compares the registered set with what reaches Thanos Query; partial_response warn so it fires when a cluster is missing" },
    { group: "fleet-monitoring", evaluatedBy: "ruler", why: "sidecars and Fluent Bit run in every cluster; only Query sees them all" },
    { group: "fleet-workload", evaluatedBy: "ruler", why: "the original's per-cluster workload alerts over every cluster; warn, so one unreachable cluster does not silence the others" },
];

/** The C&C Prometheus's groups: the `spec` of the PrometheusRule (kube-prometheus-stack selects every PrometheusRule). */
export function prometheusRuleGroups(options: RuleOptions): { groups: PrometheusAlertGroup[] } {
    const o = parse(options);
    const group = (name: string, defs: Definition[]): PrometheusAlertGroup => ({ name, rules: defs.map((d) => build(o, d)) });
    return {
        groups: [group("fleet-drift-local", fleetDriftLocal(o)), group("cnc-monitoring", cncMonitoring()), group("installation-probes", installationProbes(o))],
    };
}

/** The Thanos Ruler's rules file (mounted from a ConfigMap listed in `thanos.ruler.ruleConfigMaps`). */
export function rulerRuleGroups(options: RuleOptions): { groups: RulerAlertGroup[] } {
    const o = parse(options);
    const group = (name: string, defs: Definition[]): RulerAlertGroup => ({ name, partial_response_strategy: "warn", rules: defs.map((d) => build(o, d)) });
    return {
        groups: [group("fleet-drift", fleetDrift(o)), group("fleet-monitoring", fleetMonitoring(o)), group("fleet-workload", fleetWorkload(o))],
    };
}
