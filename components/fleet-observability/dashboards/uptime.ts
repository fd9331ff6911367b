// Uptime (uid cnc-uptime): blackbox probes of every installation's /api/v4/system/ping, scraped
// by the C&C Prometheus from the registrar's probes.json (labels `installation`, and `instance` =
// the probed URL). Uptime over the range, current failures, non-200 codes, probe duration and
// certificate expiry. `installation` is multi-valued (All by default).
import { DashboardOptions, FOLDERS, FleetDashboard, GridLayout, VARS, newDashboard, prometheusDatasourceVariable, promPanel, queryVariable, toFleetDashboard } from "./common";

export const UPTIME_UID = "cnc-uptime";

export function uptimeDashboard(o: DashboardOptions): FleetDashboard {
    const inst = `installation=~"$${VARS.installation}"`;
    const d = newDashboard(UPTIME_UID, "Uptime", "Blackbox probes of every installation's ping endpoint: uptime, failures, status codes, duration, certificates.")
        .withVariable(prometheusDatasourceVariable(o))
        .withVariable(queryVariable(VARS.installation, "Installation", "label_values(probe_success, installation)", { multi: true, includeAll: true }));
    const g = new GridLayout(d);

    g.row("Now");
    g.add(promPanel("stat", "Installations probed", [{ expr: `count(probe_success{${inst}}) or vector(0)` }]), 6, 4);
    g.add(promPanel("stat", "Probes failing", [{ expr: `count(probe_success{${inst}} == 0) or vector(0)` }], { thresholds: [{ value: 1, color: "red" }] }), 6, 4);
    g.add(promPanel("stat", "Fleet uptime over the range", [{ expr: `avg(avg_over_time(probe_success{${inst}}[$__range]))` }], { unit: "percentunit", min: 0, max: 1 }), 6, 4);
    g.add(promPanel("stat", "Non-200 responses now", [{ expr: `count(probe_http_status_code{${inst}} != 200) or vector(0)` }], { thresholds: [{ value: 1, color: "orange" }] }), 6, 4);

    g.row("Per installation");
    g.add(promPanel("table", "Uptime per installation over the range", [{ expr: `sort(avg by (installation, instance) (avg_over_time(probe_success{${inst}}[$__range])))` }], { unit: "percentunit" }), 12, 10);
    g.add(promPanel("table", "Non-200 status codes", [{ expr: `max by (installation, instance) (probe_http_status_code{${inst}}) != 200` }]), 12, 10);
    g.add(promPanel("timeseries", "Probe success", [{ expr: `probe_success{${inst}}`, legend: "{{installation}}" }], { min: 0, max: 1 }), 12, 8);
    g.add(promPanel("timeseries", "Probe duration", [{ expr: `probe_duration_seconds{${inst}}`, legend: "{{installation}}" }], { unit: "s" }), 12, 8);
    g.add(promPanel("timeseries", "HTTP phases (95th percentile over installations)", [
        { expr: `quantile by (phase) (0.95, probe_http_duration_seconds{${inst}})`, legend: "{{phase}}" },
    ], { unit: "s" }), 12, 8);
    g.add(promPanel("table", "Certificates expiring within 21 days", [{ expr: `(min by (installation, instance) (probe_ssl_earliest_cert_expiry{${inst}}) - time()) / 86400 < 21` }], { unit: "d" }), 12, 8);

    return toFleetDashboard(FOLDERS.fleet, d);
}
