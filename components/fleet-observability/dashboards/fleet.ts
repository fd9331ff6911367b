// Fleet / Account (uid cnc-fleet): the operators' first view. Clusters registered (the C&C
// Prometheus's `fleet-leaf-query` probes of every leaf Query the registrar found in Route 53),
// reporting (series reaching Thanos), up/down and the drift between provisioned, registered and
// reporting; installations and clusters per provisioner state (json_exporter gauges
// `provisioner_cluster_info` / `provisioner_installation_info`); failed and CrashLoopBackOff pods
// fleet-wide; top consumers; installations per cluster against its size.
import { fleetSets, REGISTERED_UP } from "../sets";
import { DashboardOptions, FOLDERS, FleetDashboard, GridLayout, newDashboard, prometheusDatasourceVariable, promPanel, toFleetDashboard } from "./common";

export const FLEET_UID = "cnc-fleet";

export function fleetDashboard(o: DashboardOptions): FleetDashboard {
    const sets = fleetSets(o.cncClusterId);
    const d = newDashboard(FLEET_UID, "Fleet / Account", "Clusters registered, reporting and provisioned; installations by state; failing pods and top consumers across the fleet.").withVariable(
        prometheusDatasourceVariable(o),
    );
    const g = new GridLayout(d);

    g.row("Clusters");
    g.add(promPanel("stat", "Clusters registered", [{ expr: `count(${REGISTERED_UP}) or vector(0)` }], { description: "Leaf Thanos Query endpoints the registrar found in Route 53 and the C&C Prometheus probes (job fleet-leaf-query)." }), 4, 4);
    g.add(promPanel("stat", "Clusters reporting", [{ expr: `count(${sets.reporting}) or vector(0)` }], { description: "Clusters whose series reach Thanos Query now (the C&C excluded)." }), 4, 4);
    g.add(promPanel("stat", "Registered clusters up", [{ expr: `count(${REGISTERED_UP} == 1) or vector(0)` }], { thresholds: [] }), 4, 4);
    g.add(promPanel("stat", "Registered clusters down", [{ expr: `count(${REGISTERED_UP} == 0) or vector(0)` }], { thresholds: [{ value: 1, color: "red" }] }), 4, 4);
    g.add(promPanel("stat", "Clusters provisioned (stable)", [{ expr: `count(provisioner_cluster_info{state="stable"}) or vector(0)` }]), 4, 4);
    g.add(promPanel("stat", "Clusters provisioned (all states)", [{ expr: `count(provisioner_cluster_info) or vector(0)` }]), 4, 4);
    g.add(promPanel("table", "Registered clusters: up (1) or down (0)", [{ expr: `${REGISTERED_UP}` }]), 8, 8);
    g.add(promPanel("table", "Clusters per provisioner state", [{ expr: "count by (state) (provisioner_cluster_info)" }]), 8, 8);
    g.add(promPanel("timeseries", "Registered / reporting clusters", [
        { expr: `count(${REGISTERED_UP})`, legend: "registered" },
        { expr: `count(${sets.reporting})`, legend: "reporting" },
        { expr: `count(provisioner_cluster_info{state="stable"})`, legend: "provisioned stable" },
    ]), 8, 8);

    g.row("Drift: provisioned vs registered vs reporting");
    g.add(promPanel("table", "Registered but not reporting", [{ expr: `${sets.registered} unless on (clusterID) ${sets.reporting}` }], { description: "In Route 53, but none of its series reach Thanos Query." }), 8, 8);
    g.add(promPanel("table", "Provisioned (stable) but not registered", [{ expr: `${sets.provisionedStable} unless on (clusterID) ${sets.registered}` }], { description: "Stable in the provisioner, but no Thanos record in Route 53." }), 8, 8);
    g.add(promPanel("table", "Reporting but not registered", [{ expr: `${sets.reporting} unless on (clusterID) ${sets.registered}` }], { description: "Series reach Thanos Query, but the registrar does not know the cluster." }), 8, 8);

    g.row("Installations");
    g.add(promPanel("table", "Installations per state", [{ expr: "count by (state) (provisioner_installation_info)" }]), 8, 8);
    g.add(promPanel("stat", "Installations stable", [{ expr: `count(provisioner_installation_info{state="stable"}) or vector(0)` }]), 4, 4);
    g.add(promPanel("stat", "Installations failed", [{ expr: `count(provisioner_installation_info{state=~".*-failed"}) or vector(0)` }], { thresholds: [{ value: 1, color: "red" }] }), 4, 4);
    g.add(promPanel("stat", "Installations deletion-failed", [{ expr: `count(provisioner_installation_info{state="deletion-failed"}) or vector(0)` }], { thresholds: [{ value: 1, color: "red" }] }), 4, 4);
    g.add(promPanel("stat", "Installations in progress", [{ expr: `count(provisioner_installation_info{state=~".*-(requested|in-progress)"}) or vector(0)` }]), 4, 4);
    g.add(promPanel("table", "Failed installations", [{ expr: `max by (installation, cluster, state) (provisioner_installation_info{state=~".*-failed"})` }]), 16, 8);

    g.row("Pods fleet-wide");
    g.add(promPanel("timeseries", "CrashLoopBackOff containers per cluster", [{ expr: `sum by (clusterID) (kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"})`, legend: "{{clusterID}}" }]), 12, 8);
    g.add(promPanel("timeseries", "Failed pods per cluster", [{ expr: `sum by (clusterID) (kube_pod_status_phase{phase="Failed"})`, legend: "{{clusterID}}" }]), 12, 8);
    g.add(promPanel("table", "CrashLoopBackOff containers", [{ expr: `max by (clusterID, namespace, pod, container) (kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}) == 1` }]), 12, 8);
    g.add(promPanel("table", "Failed pods", [{ expr: `max by (clusterID, namespace, pod) (kube_pod_status_phase{phase="Failed"}) == 1` }]), 12, 8);

    g.row("Capacity and top consumers");
    g.add(promPanel("timeseries", "CPU used per cluster", [{ expr: `1 - avg by (clusterID) (rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))`, legend: "{{clusterID}}" }], { unit: "percentunit", min: 0, max: 1 }), 12, 8);
    g.add(promPanel("timeseries", "Memory used per cluster", [{ expr: "1 - sum by (clusterID) (node_memory_MemAvailable_bytes) / sum by (clusterID) (node_memory_MemTotal_bytes)", legend: "{{clusterID}}" }], { unit: "percentunit", min: 0, max: 1 }), 12, 8);
    g.add(promPanel("timeseries", "Network received per cluster", [{ expr: `sum by (clusterID) (rate(node_network_receive_bytes_total{device!~"lo|veth.*|eni.*"}[$__rate_interval]))`, legend: "{{clusterID}}" }], { unit: "Bps" }), 12, 8);
    g.add(promPanel("timeseries", "Filesystem used per cluster", [{ expr: `1 - sum by (clusterID) (node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"}) / sum by (clusterID) (node_filesystem_size_bytes{fstype!~"tmpfs|overlay"})`, legend: "{{clusterID}}" }], { unit: "percentunit", min: 0, max: 1 }), 12, 8);
    g.add(promPanel("table", "Top 10 namespaces by CPU", [{ expr: `topk(10, sum by (clusterID, namespace) (rate(container_cpu_usage_seconds_total{container!=""}[5m])))` }], { unit: "short" }), 12, 8);
    g.add(promPanel("table", "Top 10 namespaces by memory", [{ expr: `topk(10, sum by (clusterID, namespace) (container_memory_working_set_bytes{container!=""}))` }], { unit: "bytes" }), 12, 8);

    g.row("Installations per cluster against size");
    g.add(promPanel("table", "Installations per cluster", [
        { expr: `label_replace(count by (cluster) (provisioner_installation_info{state!="deleted"}), "clusterID", "$1", "cluster", "(.+)")` },
    ]), 8, 8);
    g.add(promPanel("table", "Nodes and allocatable CPU per cluster", [
        { expr: "count by (clusterID) (kube_node_info)" },
        { expr: `sum by (clusterID) (kube_node_status_allocatable{resource="cpu"})` },
    ]), 8, 8);
    g.add(promPanel("table", "Installations per node", [
        { expr: `label_replace(count by (cluster) (provisioner_installation_info{state!="deleted"}), "clusterID", "$1", "cluster", "(.+)") / on (clusterID) count by (clusterID) (kube_node_info)` },
    ]), 8, 8);

    return toFleetDashboard(FOLDERS.fleet, d);
}
