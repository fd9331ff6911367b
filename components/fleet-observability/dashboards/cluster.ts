// Cluster (uid cnc-cluster): one workload cluster, chosen by `clusterID` (every panel filters on
// it), with the `interval` rate window. Kubernetes version, nodes and AZs, CPU/memory/filesystem,
// node conditions and taints, per-namespace use. Sources: kube-state-metrics, node-exporter and
// cAdvisor of the leaf kube-prometheus-stack, through Thanos Query.
import { DashboardOptions, FOLDERS, FleetDashboard, GridLayout, VARS, intervalVariable, newDashboard, prometheusDatasourceVariable, promPanel, queryVariable, toFleetDashboard } from "./common";

export const CLUSTER_UID = "cnc-cluster";

export function clusterDashboard(o: DashboardOptions): FleetDashboard {
    const c = `clusterID="$${VARS.clusterID}"`;
    const w = `$${VARS.interval}`;
    const d = newDashboard(CLUSTER_UID, "Cluster", "One workload cluster: Kubernetes version, nodes and zones, CPU/memory/filesystem, node health and per-namespace use.")
        .withVariable(prometheusDatasourceVariable(o))
        .withVariable(queryVariable(VARS.clusterID, "Cluster", "label_values(kube_node_info, clusterID)"))
        .withVariable(intervalVariable());
    const g = new GridLayout(d);

    g.row("Overview of $clusterID");
    g.add(promPanel("table", "Kubernetes version ($clusterID)", [{ expr: `count by (kubelet_version) (kube_node_info{${c}})` }]), 6, 5);
    g.add(promPanel("stat", "Nodes ($clusterID)", [{ expr: `count(kube_node_info{${c}})` }]), 3, 5);
    g.add(promPanel("stat", "Nodes not Ready ($clusterID)", [{ expr: `count(kube_node_status_condition{${c}, condition="Ready", status="true"} == 0) or vector(0)` }], { thresholds: [{ value: 1, color: "red" }] }), 3, 5);
    g.add(
        promPanel("table", "Nodes per availability zone ($clusterID)", [
            { expr: `count by (zone) (label_replace(kube_node_info{${c}}, "zone", "$1", "provider_id", "aws:///([^/]+)/.*"))` },
        ], { description: "The zone comes from each node's EC2 provider ID (aws:///<zone>/<instance>)." }),
        6,
        5,
    );
    g.add(promPanel("stat", "Pods running ($clusterID)", [{ expr: `sum(kube_pod_status_phase{${c}, phase="Running"})` }]), 3, 5);
    g.add(promPanel("stat", "CrashLoopBackOff ($clusterID)", [{ expr: `sum(kube_pod_container_status_waiting_reason{${c}, reason="CrashLoopBackOff"}) or vector(0)` }], { thresholds: [{ value: 1, color: "red" }] }), 3, 5);

    g.row("Resources");
    g.add(promPanel("gauge", "CPU used ($clusterID)", [{ expr: `1 - avg(rate(node_cpu_seconds_total{${c}, mode="idle"}[${w}]))` }], { unit: "percentunit", min: 0, max: 1, thresholds: [{ value: 0.8, color: "orange" }, { value: 0.9, color: "red" }] }), 6, 6);
    g.add(promPanel("gauge", "Memory used ($clusterID)", [{ expr: `1 - sum(node_memory_MemAvailable_bytes{${c}}) / sum(node_memory_MemTotal_bytes{${c}})` }], { unit: "percentunit", min: 0, max: 1, thresholds: [{ value: 0.8, color: "red" }] }), 6, 6);
    g.add(promPanel("gauge", "CPU requested of allocatable ($clusterID)", [{ expr: `sum(kube_pod_container_resource_requests{${c}, resource="cpu"}) / sum(kube_node_status_allocatable{${c}, resource="cpu"})` }], { unit: "percentunit", min: 0, max: 1 }), 6, 6);
    g.add(promPanel("gauge", "Memory requested of allocatable ($clusterID)", [{ expr: `sum(kube_pod_container_resource_requests{${c}, resource="memory"}) / sum(kube_node_status_allocatable{${c}, resource="memory"})` }], { unit: "percentunit", min: 0, max: 1 }), 6, 6);
    g.add(promPanel("timeseries", "CPU used per node ($clusterID)", [{ expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{${c}, mode="idle"}[${w}]))`, legend: "{{instance}}" }], { unit: "percentunit", min: 0, max: 1 }), 12, 8);
    g.add(promPanel("timeseries", "Memory used per node ($clusterID)", [{ expr: `1 - node_memory_MemAvailable_bytes{${c}} / node_memory_MemTotal_bytes{${c}}`, legend: "{{instance}}" }], { unit: "percentunit", min: 0, max: 1 }), 12, 8);
    g.add(promPanel("timeseries", "Filesystem used per node ($clusterID)", [{ expr: `1 - node_filesystem_avail_bytes{${c}, fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{${c}, fstype!~"tmpfs|overlay"}`, legend: "{{instance}} {{mountpoint}}" }], { unit: "percentunit", min: 0, max: 1 }), 12, 8);
    g.add(promPanel("timeseries", "Network per node ($clusterID)", [
        { expr: `sum by (instance) (rate(node_network_receive_bytes_total{${c}, device!~"lo|veth.*|eni.*"}[${w}]))`, legend: "{{instance}} in" },
        { expr: `-sum by (instance) (rate(node_network_transmit_bytes_total{${c}, device!~"lo|veth.*|eni.*"}[${w}]))`, legend: "{{instance}} out" },
    ], { unit: "Bps" }), 12, 8);

    g.row("Node health");
    g.add(promPanel("table", "Node conditions not OK ($clusterID)", [
        { expr: `kube_node_status_condition{${c}, condition="Ready", status="true"} == 0 or kube_node_status_condition{${c}, condition=~"MemoryPressure|DiskPressure|PIDPressure", status="true"} == 1` },
    ]), 12, 7);
    g.add(promPanel("table", "Node taints ($clusterID)", [{ expr: `kube_node_spec_taint{${c}}` }]), 12, 7);

    g.row("Namespaces");
    g.add(promPanel("timeseries", "CPU per namespace ($clusterID)", [{ expr: `sum by (namespace) (rate(container_cpu_usage_seconds_total{${c}, container!=""}[${w}]))`, legend: "{{namespace}}" }], { unit: "short" }), 12, 8);
    g.add(promPanel("timeseries", "Memory per namespace ($clusterID)", [{ expr: `sum by (namespace) (container_memory_working_set_bytes{${c}, container!=""})`, legend: "{{namespace}}" }], { unit: "bytes" }), 12, 8);
    g.add(promPanel("table", "Pods per namespace and phase ($clusterID)", [{ expr: `sum by (namespace, phase) (kube_pod_status_phase{${c}}) > 0` }]), 12, 8);
    g.add(promPanel("table", "Container restarts in the last hour ($clusterID)", [{ expr: `topk(20, increase(kube_pod_container_status_restarts_total{${c}}[1h]) > 0)` }]), 12, 8);

    return toFleetDashboard(FOLDERS.fleet, d);
}
