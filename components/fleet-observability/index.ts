import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { parseArgs } from "../common/schema";
import { versions } from "../common/versions";
import type { ThanosFederationArgs } from "../thanos-federation";
import { k8sResources } from "../thanos-federation/render";
import { FleetDashboard, fleetDashboards } from "./dashboards";
import { EXPORTERS, blackboxExporterAddress, blackboxExporterValues, jsonExporterAddress, jsonExporterValues } from "./exporters";
import { DATASOURCE_UIDS, GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION, dashboardConfigMapName, names, runbookUrlWarnings } from "./plan";
import { ALERT_NAMES, REPLACED_DEFAULT_ALERTS, RuleOptions, prometheusRuleGroups, rulerRuleGroups } from "./rules";
import { SCRAPE_CONFIGMAPS, fleetScrapeConfigs } from "./scrape";
import { FleetObservabilitySettings, fleetObservabilityArgsSchema, fleetObservabilitySchema } from "./schema";

/** CPU and memory requests/limits of one container (Kubernetes quantities). */
export interface FleetObservabilityResourcesArgs {
    /** CPU request, e.g. 50m. */
    cpuRequest?: string;
    /** Memory request, e.g. 64Mi. */
    memoryRequest?: string;
    /** CPU limit, e.g. 500m. */
    cpuLimit?: string;
    /** Memory limit, e.g. 256Mi. */
    memoryLimit?: string;
}

/** Alert thresholds (rules.ts ruleThresholdsSchema); every key defaults to the value. */
export interface FleetObservabilityAlertsArgs {
    /** Cluster CPU use (1 - idle, averaged over nodes) above which FleetClusterCPUHigh fires, as a ratio. Default 0.9. */
    clusterCpuRatio?: number;
    /** How long the CPU must stay above it (Prometheus duration). Default 10m. */
    clusterCpuFor?: string;
    /** Cluster memory use (1 - available / total) above which FleetClusterMemoryHigh fires, as a ratio. Default 0.8. */
    clusterMemoryRatio?: number;
    /** How long the memory must stay above it. Default 10m. */
    clusterMemoryFor?: string;
    /** Mattermost container CPU or memory as a share of its limit. Default 0.8. */
    mattermostLimitRatio?: number;
    /** How long. Default 15m. */
    mattermostLimitFor?: string;
    /** Mean Mattermost API latency, in seconds. Default 0.5. */
    apiLatencySeconds?: number;
    /** How long. Default 10m. */
    apiLatencyFor?: string;
    /** Share of Mattermost HTTP requests that are errors. Default 0.05. */
    apiErrorRatio?: number;
    /** How long. Default 10m. */
    apiErrorFor?: string;
    /** Hours without a sidecar upload before ThanosSidecarNotUploading. Default 3. */
    sidecarUploadMaxAgeHours?: number;
    /** How long a registered leaf Query may fail its scrape before FleetClusterDown. Default 5m. */
    clusterDownFor?: string;
    /** How long a registered cluster may send no series before FleetClusterRegisteredNotReporting. Default 15m. */
    registeredNotReportingFor?: string;
    /** How long a stable provisioned cluster may be unregistered. Default 30m. */
    provisionedNotRegisteredFor?: string;
    /** How long an installation's ping may fail before InstallationPingFailing. Default 5m. */
    probeFailingFor?: string;
}

/** The blackbox exporter that probes every installation's /api/v4/system/ping. */
export interface FleetObservabilityBlackboxArgs {
    /** Replicas. Default 2 under the production profile, else 1. */
    replicas?: number;
    /** Resources of the exporter container. */
    resources?: FleetObservabilityResourcesArgs;
}

/** The json exporter that turns the provisioner's API into cluster and installation state gauges. */
export interface FleetObservabilityJsonExporterArgs {
    /** Resources of the exporter container. */
    resources?: FleetObservabilityResourcesArgs;
}

/** Args of FleetObservability (rules, messages and defaults: components/fleet-observability/schema.ts). */
export interface FleetObservabilityArgs {
    /** Sizing profile, "production" or "development": production probes from 2 blackbox exporter replicas (development 1). */
    profile: string;
    /** AWS region of the stack (the CloudWatch panels read it). */
    region: string;
    /** The C&C's own clusterID (ThanosFederation's clusterId). */
    clusterId: string;
    /** Namespace of the monitoring stack (kube-prometheus-stack, Thanos). Default monitoring. */
    namespace?: string;
    /** https URL of the project's RUNBOOK.md; every alert links to its section there. */
    runbookBaseUrl: string;
    /** The provisioner's API inside the cluster (ProvisionerServer.internalUrl). */
    provisionerApiUrl: pulumi.Input<string>;
    /** The OpenSearch domain of the logging pipeline (LoggingPipeline.domainName), for the health dashboard. */
    openSearchDomainName?: pulumi.Input<string>;
    /** RDS instance identifiers the database dashboard shows (the provisioner's own database). */
    rdsInstanceIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** The registrar's Lambda function name (DnsRegistrar.functionName), for the health dashboard. */
    registrarFunctionName?: pulumi.Input<string>;
    /** The registrar's dead-letter queue name, for the health dashboard. */
    registrarDlqName?: pulumi.Input<string>;
    /** Alert thresholds. */
    alerts?: FleetObservabilityAlertsArgs;
    /** The blackbox exporter. */
    blackbox?: FleetObservabilityBlackboxArgs;
    /** The provisioner's json exporter. */
    jsonExporter?: FleetObservabilityJsonExporterArgs;
}

/**
 * The fleet's fleet-wide rule file for the Thanos Ruler (ThanosFederation `thanos.ruler.ruleFiles`):
 * pure, so the composition renders it before ThanosFederation exists and the Ruler restarts when
 * it changes.
 */
export function fleetRulerRuleFiles(args: FleetObservabilityRuleArgs): Record<string, string> {
    const settings = parseArgs("FleetObservability (Ruler rules)", fleetObservabilityArgsSchema.partial({ provisionerApiUrl: true }), args);
    return { [RULER_RULE_FILE]: YAML.stringify(rulerRuleGroups(ruleOptions(settings as FleetObservabilitySettings)), { lineWidth: 0 }) };
}

/** FleetObservability's args without the provisioner's URL (what its rule files depend on). */
export type FleetObservabilityRuleArgs = Omit<FleetObservabilityArgs, "provisionerApiUrl"> & { provisionerApiUrl?: pulumi.Input<string> };

/**
 * ThanosFederation's args with what FleetObservability needs from it, added to what they already say:
 * the registrar's ConfigMaps mounted into the C&C Prometheus (its scrape jobs read them), the
 * fleet-wide rule file for the Ruler, the kube-prometheus-stack default alerts its rules replace
 * disabled, and the Ruler's own Compactor/bucket alerts off (its cnc-monitoring group covers them):
 * each condition notifies once. Pure; throws the component's error for invalid args.
 */
export function withFleetObservability(federation: ThanosFederationArgs, observability: FleetObservabilityRuleArgs): ThanosFederationArgs {
    const union = (a: readonly string[] | undefined, b: readonly string[]) => [...new Set([...(a ?? []), ...b])];
    return {
        ...federation,
        prometheus: {
            ...federation.prometheus,
            configMaps: union(federation.prometheus?.configMaps, SCRAPE_CONFIGMAPS),
            disabledDefaultAlerts: union(federation.prometheus?.disabledDefaultAlerts, Object.keys(REPLACED_DEFAULT_ALERTS)),
        },
        thanos: {
            ...federation.thanos,
            ruler: { ...federation.thanos?.ruler, metaAlerts: false, ruleFiles: { ...federation.thanos?.ruler?.ruleFiles, ...fleetRulerRuleFiles(observability) } },
        },
    };
}

/** Where the Ruler file goes in ThanosFederation's rules ConfigMap. */
export const RULER_RULE_FILE = "fleet-observability.yaml";

function ruleOptions(s: FleetObservabilitySettings): RuleOptions {
    return { cncClusterId: s.clusterId, runbookBaseUrl: s.runbookBaseUrl, thresholds: s.alerts };
}

/**
 * The operators' cockpit: Grafana dashboards (ConfigMaps for Grafana's sidecar, in folders), the
 * alert rules the C&C Prometheus evaluates (a PrometheusRule; the fleet-wide ones go to the Thanos
 * Ruler through fleetRulerRuleFiles), the scrape jobs that compare provisioned, registered and
 * reporting clusters, the blackbox exporter probing every installation, and a json exporter of the
 * provisioner's API. Needs kube-prometheus-stack's CRDs (compose it after ThanosFederation).
 */
export class FleetObservability extends pulumi.ComponentResource {
    /** UIDs of the dashboards provisioned. */
    public readonly dashboardUids: pulumi.Output<string[]>;
    /** Names of every alert (the C&C Prometheus's and the Ruler's). */
    public readonly alertNames: pulumi.Output<string[]>;
    /** The scrape jobs added to the C&C Prometheus. */
    public readonly scrapeJobs: pulumi.Output<string[]>;
    /** The PrometheusRule the C&C Prometheus loads. */
    public readonly prometheusRuleName: pulumi.Output<string>;

    constructor(name: string, args: FleetObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-cnc:index:FleetObservability", name, {}, opts);
        const s = parseArgs(`FleetObservability ${name}`, fleetObservabilitySchema, args);
        const parent = { parent: this };
        for (const warning of runbookUrlWarnings(s.runbookBaseUrl)) void pulumi.log.warn(`${name}: ${warning}`, this);
        const meta = (n: string, extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) => ({
            name: n,
            namespace: s.namespace,
            labels: { "app.kubernetes.io/part-of": "cloud-cnc", "app.kubernetes.io/component": "fleet-observability", ...(extra.labels ?? {}) },
            ...(extra.annotations ? { annotations: extra.annotations } : {}),
        });

        // Dashboards: the set is fixed by the code; AWS names that are Outputs fill in their JSON.
        const dashboardInputs = pulumi.all([args.openSearchDomainName ?? "", args.rdsInstanceIds ?? [], args.registrarFunctionName ?? "", args.registrarDlqName ?? ""]);
        const build = (v: [string, string[], string, string]): FleetDashboard[] =>
            fleetDashboards({ thanosDatasourceUid: DATASOURCE_UIDS.thanos, cloudWatchDatasourceUid: DATASOURCE_UIDS.cloudwatch, cncClusterId: s.clusterId, region: s.region, openSearchDomainName: v[0] || undefined, rdsInstanceIds: v[1], registrarFunctionName: v[2] || undefined, registrarDlqName: v[3] || undefined });
        const catalogue = build(["", [], "", ""]);
        for (const d of catalogue) {
            new k8s.core.v1.ConfigMap(
                `${name}-dashboard-${d.uid}`,
                {
                    metadata: meta(dashboardConfigMapName(d.uid), { labels: { [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value }, annotations: { [GRAFANA_FOLDER_ANNOTATION]: d.folder } }),
                    data: { [`${d.uid}.json`]: dashboardInputs.apply((v) => JSON.stringify(build(v).find((x) => x.uid === d.uid)!.json)) },
                },
                parent,
            );
        }

        // Rules the C&C Prometheus evaluates (local data: keeps firing when Query or the fleet is down).
        const rule = new k8s.apiextensions.CustomResource(
            `${name}-rules`,
            { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: meta(names.prometheusRule), spec: prometheusRuleGroups(ruleOptions(s)) },
            parent,
        );

        // Scrape jobs: registered leaf Queries (drift), installation probes, the provisioner's state.
        // The set of jobs is fixed; the provisioner's URL (an Output of ProvisionerServer) fills in its targets.
        const scrapeConfigsFor = (provisionerUrl: string) =>
            fleetScrapeConfigs({
                namespace: s.namespace,
                probes: { exporterAddress: blackboxExporterAddress(s.namespace) },
                provisioner: { exporterAddress: jsonExporterAddress(s.namespace), provisionerUrl },
            });
        const scrapeConfigs = scrapeConfigsFor("http://placeholder.invalid");
        const provisionerUrl = pulumi.output(args.provisionerApiUrl);
        for (const sc of scrapeConfigs) {
            new k8s.apiextensions.CustomResource(
                `${name}-scrape-${sc.metadata.name}`,
                { apiVersion: sc.apiVersion, kind: sc.kind, metadata: sc.metadata, spec: provisionerUrl.apply((url) => scrapeConfigsFor(url).find((x) => x.metadata.name === sc.metadata.name)!.spec) },
                parent,
            );
        }

        const release = (role: string, releaseName: string, chart: { repo: string; chart: string; version: string }, values: Record<string, unknown>, dependsOn: pulumi.Resource[] = []) =>
            new k8s.helm.v3.Release(
                `${name}-${role}`,
                {
                    name: releaseName,
                    namespace: s.namespace,
                    chart: chart.chart,
                    version: chart.version,
                    repositoryOpts: { repo: chart.repo },
                    values,
                    createNamespace: false,
                    atomic: true,
                    cleanupOnFail: true,
                    timeout: 600,
                    maxHistory: 10,
                },
                { ...parent, dependsOn },
            );
        const pins = versions.fleetObservability;
        // The json exporter reads an HTTP API and needs no Kubernetes API token (its chart cannot turn the mount off).
        const jsonExporterAccount = new k8s.core.v1.ServiceAccount(
            `${name}-provisioner-exporter`,
            { metadata: { name: EXPORTERS.json.fullname, namespace: s.namespace }, automountServiceAccountToken: false },
            parent,
        );
        release("blackbox", names.blackboxRelease, pins.blackboxChart, blackboxExporterValues({ image: pins.blackboxExporterImage, replicas: s.blackbox.replicas, resources: k8sResources(s.blackbox.resources) }));
        release("provisioner-exporter", names.provisionerExporterRelease, pins.jsonExporterChart, jsonExporterValues({ image: pins.jsonExporterImage, resources: k8sResources(s.jsonExporter.resources) }), [jsonExporterAccount]);

        this.dashboardUids = pulumi.output(catalogue.map((d) => d.uid));
        this.alertNames = pulumi.output([...ALERT_NAMES]);
        this.scrapeJobs = pulumi.output(scrapeConfigs.map((sc) => sc.spec.jobName));
        this.prometheusRuleName = rule.metadata.name;
        this.registerOutputs({ dashboardUids: this.dashboardUids, alertNames: this.alertNames, scrapeJobs: this.scrapeJobs, prometheusRuleName: this.prometheusRuleName });
    }
}
