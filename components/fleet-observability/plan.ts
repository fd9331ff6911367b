// FleetObservability's names: what an operator finds in the monitoring namespace, the labels and
// annotations Grafana's dashboard sidecar selects on, and the preview's warnings about its args.

export const names = {
    /** The rules the C&C Prometheus evaluates (a PrometheusRule the operator loads). */
    prometheusRule: "fleet-observability",
    /** Helm release of the blackbox exporter (installation probes). */
    blackboxRelease: "blackbox-exporter",
    /** Helm release of the json exporter that turns the provisioner's API into gauges. */
    provisionerExporterRelease: "provisioner-exporter",
} as const;

// Grafana's dashboard sidecar selects ConfigMaps by GRAFANA_DASHBOARD_LABEL and files each under
// the folder its GRAFANA_FOLDER_ANNOTATION names (ThanosFederation configures the sidecar).
import { isReservedExampleHost } from "../common/formats";
export { GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION, DATASOURCE_UIDS } from "../thanos-federation/plan";

/** The ConfigMap of one dashboard: `dashboard-<uid>`. */
export function dashboardConfigMapName(uid: string): string {
    return `dashboard-${uid}`.slice(0, 253);
}


/**
 * Warnings about the runbook URL: a reserved example domain (the stack files' placeholder
 * `https://git.example.com/your-org/...`) deploys, but every alert's runbook link leads nowhere.
 */
export function runbookUrlWarnings(runbookBaseUrl: string): string[] {
    const host = new URL(runbookBaseUrl).hostname.toLowerCase();
    if (!isReservedExampleHost(host)) return [];
    return [
        `runbookBaseUrl ${runbookBaseUrl} is on a reserved example domain (${host}, RFC 2606), a placeholder: every alert's runbook link leads nowhere. ` +
            "Set it to the RUNBOOK.md of your copy of this repository (cloud-cnc:observability.runbookBaseUrl)",
    ];
}
