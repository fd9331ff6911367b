// The FleetObservability dashboards, built with @grafana/grafana-foundation-sdk (pinned 0.0.21)
// and returned as plain Grafana v1 JSON for the dashboard sidecar's ConfigMaps (one per
// dashboard, in the folder named by `folder`). README.md ("Dashboards") describes each.
import { DashboardOptions, FleetDashboard } from "./common";
import { clusterDashboard } from "./cluster";
import { databaseDashboard } from "./database";
import { fleetDashboard } from "./fleet";
import { installationDashboard } from "./installation";
import { monitoringDashboard } from "./monitoring";
import { quotasDashboard } from "./quotas";
import { uptimeDashboard } from "./uptime";

export type { DashboardOptions, FleetDashboard } from "./common";
export { FOLDERS, VARS, LEAF_QUERY_JOB } from "./common";
export { fleetSets } from "../sets";

/** Every dashboard, in a stable order (Fleet folder first, then Monitoring, then AWS). */
export function fleetDashboards(o: DashboardOptions): FleetDashboard[] {
    return [fleetDashboard(o), clusterDashboard(o), installationDashboard(o), uptimeDashboard(o), monitoringDashboard(o), databaseDashboard(o), quotasDashboard(o)];
}
