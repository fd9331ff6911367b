// Installation (uid cnc-installation): one Mattermost installation. Variables chain:
// `installation` (the provisioner's installations, json_exporter's provisioner_installation_info)
// -> `clusterID` (the cluster the provisioner placed it on, that gauge's `cluster` label) ->
// `namespace` (the installation's namespace on that cluster; Mattermost Cloud names it after the
// installation ID). Shows state/version/DNS/owner, Mattermost CPU and memory against limits,
// Mattermost server metrics when the installation exports them (an Enterprise feature: the panels
// stay empty otherwise), and its blackbox probe uptime.
import { DashboardOptions, FOLDERS, FleetDashboard, GridLayout, VARS, newDashboard, prometheusDatasourceVariable, promPanel, queryVariable, toFleetDashboard } from "./common";

export const INSTALLATION_UID = "cnc-installation";

export function installationDashboard(o: DashboardOptions): FleetDashboard {
    const inst = `installation="$${VARS.installation}"`;
    const ns = `clusterID="$${VARS.clusterID}", namespace="$${VARS.namespace}"`;
    const mm = `${ns}, container="mattermost"`;
    const d = newDashboard(INSTALLATION_UID, "Installation", "One Mattermost installation: provisioner state, resources against limits, server metrics when exported, probe uptime.")
        .withVariable(prometheusDatasourceVariable(o))
        .withVariable(queryVariable(VARS.installation, "Installation", "label_values(provisioner_installation_info, installation)"))
        .withVariable(queryVariable(VARS.clusterID, "Cluster", `label_values(provisioner_installation_info{${inst}}, cluster)`))
        .withVariable(queryVariable(VARS.namespace, "Namespace", `label_values(kube_namespace_status_phase{clusterID="$${VARS.clusterID}"}, namespace)`));
    const g = new GridLayout(d);

    g.row("Provisioner");
    g.add(promPanel("table", "Installation $installation (provisioner)", [{ expr: `provisioner_installation_info{${inst}}` }], { description: "Every label json_exporter maps from GET /api/installations: state, cluster, and version/DNS/owner where mapped." }), 16, 5);
    g.add(promPanel("stat", "Probe uptime over the range", [{ expr: `avg_over_time(probe_success{${inst}}[$__range])` }], { unit: "percentunit", min: 0, max: 1, thresholds: [{ value: 0.99, color: "green" }] }), 4, 5);
    g.add(promPanel("stat", "Probe now", [{ expr: `probe_success{${inst}}` }], { thresholds: [{ value: 1, color: "green" }] }), 4, 5);

    g.row("Resources in $namespace on $clusterID");
    g.add(promPanel("timeseries", "Mattermost CPU against limit", [
        { expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${mm}}[$__rate_interval]))`, legend: "{{pod}} used" },
        { expr: `sum by (pod) (kube_pod_container_resource_limits{${mm}, resource="cpu"})`, legend: "{{pod}} limit" },
    ], { unit: "short" }), 12, 8);
    g.add(promPanel("timeseries", "Mattermost memory against limit", [
        { expr: `sum by (pod) (container_memory_working_set_bytes{${mm}})`, legend: "{{pod}} used" },
        { expr: `sum by (pod) (kube_pod_container_resource_limits{${mm}, resource="memory"})`, legend: "{{pod}} limit" },
    ], { unit: "bytes" }), 12, 8);
    g.add(promPanel("timeseries", "CPU per container", [{ expr: `sum by (pod, container) (rate(container_cpu_usage_seconds_total{${ns}, container!=""}[$__rate_interval]))`, legend: "{{pod}}/{{container}}" }], { unit: "short" }), 12, 8);
    g.add(promPanel("table", "Pods not running", [{ expr: `sum by (pod, phase) (kube_pod_status_phase{${ns}, phase!~"Running|Succeeded"}) > 0` }]), 12, 8);

    g.row("Mattermost server metrics (when exported)");
    g.add(promPanel("timeseries", "HTTP requests", [{ expr: `sum(rate(mattermost_http_requests_total{${ns}}[$__rate_interval]))`, legend: "requests/s" }], { unit: "reqps" }), 8, 8);
    g.add(promPanel("timeseries", "HTTP errors", [{ expr: `sum(rate(mattermost_http_errors_total{${ns}}[$__rate_interval]))`, legend: "errors/s" }], { unit: "reqps" }), 8, 8);
    g.add(promPanel("timeseries", "API latency", [
        { expr: `sum(rate(mattermost_api_time_sum{${ns}}[$__rate_interval])) / sum(rate(mattermost_api_time_count{${ns}}[$__rate_interval]))`, legend: "mean" },
        { expr: `histogram_quantile(0.99, sum by (le) (rate(mattermost_api_time_bucket{${ns}}[$__rate_interval])))`, legend: "p99" },
    ], { unit: "s" }), 8, 8);
    g.add(promPanel("timeseries", "Mattermost process CPU", [{ expr: `sum by (pod) (rate(mattermost_process_cpu_seconds_total{${ns}}[$__rate_interval]))`, legend: "{{pod}}" }], { unit: "short" }), 12, 8);
    g.add(promPanel("timeseries", "Mattermost process memory", [{ expr: `sum by (pod) (mattermost_process_resident_memory_bytes{${ns}})`, legend: "{{pod}}" }], { unit: "bytes" }), 12, 8);

    g.row("Probe");
    g.add(promPanel("timeseries", "Probe success and HTTP status", [
        { expr: `probe_success{${inst}}`, legend: "success" },
        { expr: `probe_http_status_code{${inst}}`, legend: "status code" },
    ]), 12, 8);
    g.add(promPanel("timeseries", "Probe duration", [{ expr: `probe_duration_seconds{${inst}}`, legend: "{{instance}}" }], { unit: "s" }), 12, 8);

    return toFleetDashboard(FOLDERS.fleet, d);
}
