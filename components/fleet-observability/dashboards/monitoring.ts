// Monitoring health (uid cnc-monitoring): is the monitoring itself working?
// - Thanos Query/Store/Compactor/Ruler (the C&C's own workloads, jobs thanos-query, thanos-store,
//   thanos-compactor, thanos-ruler) and the sidecars of every cluster (uploads per clusterID);
//   metric names from Thanos v0.42.4 (examples/alerts/alerts.yaml, pkg/shipper, pkg/query).
// - Prometheus and Alertmanager (kube-prometheus-stack on the C&C).
// - Fluent Bit 5.0.9 on every cluster (/api/v2/metrics/prometheus: output retries/errors, buffer).
// - The DnsRegistrar through CloudWatch: AWS/Lambda Invocations/Errors/Throttles, its DLQ depth
//   (AWS/SQS ApproximateNumberOfMessagesVisible), and its own EMF metrics (CloudCnc/DnsRegistrar).
// - OpenSearch through CloudWatch (AWS/ES): cluster status, free storage, JVM memory pressure.
import { CloudWatchMetric, DashboardOptions, FOLDERS, FleetDashboard, GridLayout, VARS, cloudwatchDatasourceVariable, cloudwatchPanel, newDashboard, prometheusDatasourceVariable, promPanel, queryVariable, toFleetDashboard } from "./common";

export const MONITORING_UID = "cnc-monitoring";

/** Job selectors of the Thanos components (the Service names the ServiceMonitors scrape; the sidecar jobs differ between the C&C and leaves). */
export const THANOS_JOBS = {
    query: `job=~".*thanos-query.*"`,
    store: `job=~".*thanos-store.*"`,
    compactor: `job=~".*thanos-compact.*"`,
    ruler: `job=~".*thanos-rule.*"`,
} as const;

/** The registrar's EMF namespace and its Powertools `service` dimension (functions/dns-registrar/telemetry.ts). */
export const REGISTRAR_METRICS = { namespace: "CloudCnc/DnsRegistrar", service: "dns-registrar" } as const;

export function monitoringDashboard(o: DashboardOptions): FleetDashboard {
    const fleet = `clusterID=~"$${VARS.clusterID}"`;
    const d = newDashboard(MONITORING_UID, "Monitoring health", "Thanos, Prometheus, Alertmanager, Fluent Bit, the DNS registrar and OpenSearch: the health of the monitoring itself.")
        .withVariable(prometheusDatasourceVariable(o))
        .withVariable(cloudwatchDatasourceVariable(o))
        .withVariable(queryVariable(VARS.clusterID, "Cluster", "label_values(up, clusterID)", { multi: true, includeAll: true }));
    const g = new GridLayout(d);

    g.row("Thanos");
    g.add(promPanel("stat", "Compactor halted", [{ expr: `max(thanos_compact_halted{${THANOS_JOBS.compactor}}) or vector(0)` }], { thresholds: [{ value: 1, color: "red" }] }), 4, 4);
    g.add(promPanel("stat", "Compactor last upload (hours ago)", [{ expr: `(time() - max(thanos_objstore_bucket_last_successful_upload_time{${THANOS_JOBS.compactor}})) / 3600` }], { unit: "h", thresholds: [{ value: 24, color: "red" }] }), 4, 4);
    g.add(promPanel("stat", "Compactor instances up", [{ expr: `sum(up{${THANOS_JOBS.compactor}}) or vector(0)` }]), 4, 4);
    g.add(promPanel("stat", "Stores connected to Query", [{ expr: `sum(thanos_store_nodes_grpc_connections{${THANOS_JOBS.query}}) or vector(0)` }], { description: "gRPC store endpoints (leaf Queries, Store Gateway, Ruler, C&C sidecar) the central Query holds; a drop means partial answers." }), 4, 4);
    g.add(promPanel("stat", "Ruler evaluations with warnings (1h)", [{ expr: `sum(increase(thanos_rule_evaluation_with_warnings_total{${THANOS_JOBS.ruler}}[1h])) or vector(0)` }], { description: "Successful evaluations that carried warnings, the Ruler's sign of partial responses.", thresholds: [{ value: 1, color: "orange" }] }), 4, 4);
    g.add(promPanel("stat", "Ruler alerts dropped (1h)", [{ expr: `sum(increase(thanos_alert_sender_alerts_dropped_total{${THANOS_JOBS.ruler}}[1h])) + sum(increase(thanos_alert_queue_alerts_dropped_total{${THANOS_JOBS.ruler}}[1h])) or vector(0)` }], { thresholds: [{ value: 1, color: "red" }] }), 4, 4);
    g.add(promPanel("timeseries", "Bucket operation failures (%)", [
        { expr: `100 * sum by (job) (rate(thanos_objstore_bucket_operation_failures_total[$__rate_interval])) / sum by (job) (rate(thanos_objstore_bucket_operations_total[$__rate_interval]))`, legend: "{{job}}" },
    ], { unit: "percent" }), 12, 8);
    g.add(promPanel("timeseries", "Query store fan-out gRPC errors (%)", [
        { expr: `100 * sum by (job) (rate(grpc_client_handled_total{grpc_code!="OK", ${THANOS_JOBS.query}}[$__rate_interval])) / sum by (job) (rate(grpc_client_started_total{${THANOS_JOBS.query}}[$__rate_interval]))`, legend: "{{job}}" },
    ], { unit: "percent" }), 12, 8);
    g.add(promPanel("timeseries", "Stores connected to Query by type", [{ expr: `sum by (store_type) (thanos_store_nodes_grpc_connections{${THANOS_JOBS.query}})`, legend: "{{store_type}}" }]), 12, 8);
    g.add(promPanel("timeseries", "Ruler evaluation failures (%)", [
        { expr: `100 * sum by (job) (rate(prometheus_rule_evaluation_failures_total{${THANOS_JOBS.ruler}}[$__rate_interval])) / sum by (job) (rate(prometheus_rule_evaluations_total{${THANOS_JOBS.ruler}}[$__rate_interval]))`, legend: "{{job}}" },
    ], { unit: "percent" }), 12, 8);
    g.add(promPanel("table", "Sidecar last upload per cluster (hours ago)", [
        { expr: `(time() - max by (clusterID) (thanos_objstore_bucket_last_successful_upload_time{${fleet}, job!~".*(compact|rule).*"})) / 3600` },
    ], { unit: "h", description: "Last block each cluster's sidecar shipped to the bucket; more than 3 h means it stopped uploading.", thresholds: [{ value: 3, color: "red" }] }), 12, 8);
    g.add(promPanel("table", "Sidecars not seeing their Prometheus", [{ expr: `thanos_sidecar_prometheus_up{${fleet}} == 0` }]), 12, 8);

    g.row("Prometheus and Alertmanager");
    g.add(promPanel("timeseries", "Rule evaluation failures", [{ expr: `sum by (clusterID, rule_group) (rate(prometheus_rule_evaluation_failures_total{${fleet}}[$__rate_interval])) > 0`, legend: "{{clusterID}} {{rule_group}}" }]), 12, 8);
    g.add(promPanel("table", "Targets down per job", [{ expr: `count by (clusterID, job) (up{${fleet}} == 0)` }]), 12, 8);
    g.add(promPanel("timeseries", "Head series", [{ expr: `sum by (clusterID) (prometheus_tsdb_head_series{${fleet}})`, legend: "{{clusterID}}" }]), 8, 8);
    g.add(promPanel("timeseries", "Notifications dropped or failed", [
        { expr: `sum by (clusterID) (rate(prometheus_notifications_dropped_total{${fleet}}[$__rate_interval]))`, legend: "{{clusterID}} dropped" },
        { expr: `sum by (clusterID) (rate(prometheus_notifications_errors_total{${fleet}}[$__rate_interval]))`, legend: "{{clusterID}} errors" },
    ]), 8, 8);
    g.add(promPanel("timeseries", "Alertmanager notifications failed", [{ expr: `sum by (integration, reason) (rate(alertmanager_notifications_failed_total[$__rate_interval]))`, legend: "{{integration}} {{reason}}" }]), 8, 8);
    g.add(promPanel("table", "Config reloads failing", [
        { expr: `prometheus_config_last_reload_successful{${fleet}} == 0` },
        { expr: `alertmanager_config_last_reload_successful == 0` },
        { expr: `prometheus_sd_file_read_errors_total{${fleet}} > 0` },
    ]), 24, 6);

    g.row("Fluent Bit");
    g.add(promPanel("timeseries", "Output retries", [{ expr: `sum by (clusterID, name) (rate(fluentbit_output_retries_total{${fleet}}[$__rate_interval]))`, legend: "{{clusterID}} {{name}}" }]), 8, 8);
    g.add(promPanel("timeseries", "Output errors and failed retries (records lost)", [
        { expr: `sum by (clusterID, name) (rate(fluentbit_output_errors_total{${fleet}}[$__rate_interval]))`, legend: "{{clusterID}} {{name}} errors" },
        { expr: `sum by (clusterID, name) (rate(fluentbit_output_retries_failed_total{${fleet}}[$__rate_interval]))`, legend: "{{clusterID}} {{name}} retries failed" },
    ]), 8, 8);
    g.add(promPanel("timeseries", "Buffer", [
        { expr: `sum by (clusterID) (fluentbit_input_storage_memory_bytes{${fleet}})`, legend: "{{clusterID}} memory bytes" },
        { expr: `sum by (clusterID) (fluentbit_storage_fs_chunks{${fleet}})`, legend: "{{clusterID}} filesystem chunks" },
        { expr: `max by (clusterID) (fluentbit_input_storage_overlimit{${fleet}})`, legend: "{{clusterID}} over limit" },
    ]), 8, 8);

    g.row("DNS registrar (CloudWatch)");
    const fn = o.registrarFunctionName ?? "*";
    const lambda = (metricName: string): CloudWatchMetric => ({ namespace: "AWS/Lambda", metricName, statistic: "Sum", dimensions: { FunctionName: fn }, matchExact: fn !== "*", label: metricName });
    const own = (metricName: string): CloudWatchMetric => ({ namespace: REGISTRAR_METRICS.namespace, metricName, statistic: "Sum", dimensions: { service: REGISTRAR_METRICS.service }, matchExact: false, label: metricName });
    const dlq = o.registrarDlqName ?? "*";
    g.add(cloudwatchPanel("timeseries", "Invocations, errors, throttles", [lambda("Invocations"), lambda("Errors"), lambda("Throttles")], o.region), 8, 8);
    g.add(cloudwatchPanel("timeseries", "Dead-letter queue depth", [
        { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", statistic: "Maximum", dimensions: { QueueName: dlq }, matchExact: dlq !== "*", label: "messages" },
    ], o.region, { thresholds: [{ value: 1, color: "red" }] }), 8, 8);
    g.add(cloudwatchPanel("timeseries", "Targets written and errors (registrar metrics)", [own("TargetsWritten"), own("FilesWritten"), own("Errors"), own("ListingFailures")], o.region), 8, 8);

    if (o.openSearchDomainName) {
        g.row("OpenSearch (CloudWatch)");
        const dims: Record<string, string> = o.awsAccountId ? { DomainName: o.openSearchDomainName, ClientId: o.awsAccountId } : { DomainName: o.openSearchDomainName };
        const es = (metricName: string, statistic: string): CloudWatchMetric => ({ namespace: "AWS/ES", metricName, statistic, dimensions: dims, matchExact: o.awsAccountId !== undefined, label: metricName });
        g.add(cloudwatchPanel("timeseries", "Cluster status", [es("ClusterStatus.red", "Maximum"), es("ClusterStatus.yellow", "Maximum"), es("ClusterStatus.green", "Maximum")], o.region, { min: 0, max: 1 }), 8, 8);
        g.add(cloudwatchPanel("timeseries", "Free storage space (minimum node)", [es("FreeStorageSpace", "Minimum")], o.region, { unit: "decmbytes" }), 8, 8);
        g.add(cloudwatchPanel("timeseries", "JVM memory pressure", [es("JVMMemoryPressure", "Maximum")], o.region, { unit: "percent", min: 0, max: 100, thresholds: [{ value: 80, color: "red" }] }), 8, 8);
    }

    return toFleetDashboard(FOLDERS.monitoring, d);
}
