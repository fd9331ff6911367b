// The C&C Prometheus' scrape jobs of FleetObservability, as prometheus-operator `ScrapeConfig`
// objects (monitoring.coreos.com/v1alpha1, the CRD of prometheus-operator v0.93.1 that
// kube-prometheus-stack 88.5.3 ships: charts/crds/crds/crd-scrapeconfigs.yaml). Pure functions
// returning plain objects; the component creates them as `kubernetes.apiextensions.CustomResource`.
//
//   fleet-leaf-query     every registered cluster's leaf Thanos Query /metrics (the registrar's
//                        thanos-query-targets file): `up{job="fleet-leaf-query", registered_cluster}`
//                        is the "registered" set of the drift alerts, 0 for a cluster that does not answer;
//   installation-probes  blackbox http_2xx of every installation (the registrar's probes.json);
//   provisioner-state    json_exporter reading the provisioner's REST API:
//                        provisioner_cluster_info{provisioned_cluster, state} and
//                        provisioner_installation_info{installation, state, cluster}.
//
// The file_sd files are the registrar's ConfigMaps mounted into the Prometheus pod by
// `prometheus.prometheusSpec.configMaps` (the CRD mounts each at /etc/prometheus/configmaps/<name>).
import { LEAF_QUERY_TARGETS, PROBE_TARGETS, REGISTRATION_NAMESPACE } from "../../functions/dns-registrar/contract";
import { REGISTERED_CLUSTER_LABEL } from "../../functions/dns-registrar/planner";
import { NAMES as PROVISIONER_NAMES } from "../provisioner/plan";
import { API_PORT } from "../provisioner/render";

/** Where prometheus-operator mounts `prometheusSpec.configMaps` in the prometheus container. */
export const PROMETHEUS_CONFIGMAPS_DIR = "/etc/prometheus/configmaps";

/** The path of `key` of the ConfigMap `configMap` mounted through `prometheusSpec.configMaps`. */
export function mountedConfigMapFile(configMap: string, key: string): string {
    return `${PROMETHEUS_CONFIGMAPS_DIR}/${configMap}/${key}`;
}

/** The ConfigMaps the C&C Prometheus must mount (`prometheusSpec.configMaps`) for these jobs. */
export const SCRAPE_CONFIGMAPS: readonly string[] = [LEAF_QUERY_TARGETS.configMap, PROBE_TARGETS.configMap];

/** The `job` label (ScrapeConfig `jobName`) of each job; also the ScrapeConfig object's name. */
export const SCRAPE_JOBS = {
    leafQuery: "fleet-leaf-query",
    installationProbes: "installation-probes",
    provisionerState: "provisioner-state",
} as const;

/** The blackbox module that probes installations (exporters.ts defines it). */
export const PROBE_MODULE = "http_2xx";

/** The json_exporter modules reading the provisioner API (exporters.ts defines them). */
export const PROVISIONER_MODULES = {
    clusters: "provisioner_clusters",
    installations: "provisioner_installations",
} as const;

/** Metric names the json_exporter modules produce (name `<metric>_<value key>`, value key `info`). */
export const PROVISIONER_METRICS = {
    clusterInfo: "provisioner_cluster_info",
    installationInfo: "provisioner_installation_info",
} as const;

/** Label names of those metrics. */
export const PROVISIONER_LABELS = {
    /** The provisioner's Cluster.ID: the fleet's clusterID (not named clusterID: Thanos overrides that with external labels). */
    provisionedCluster: "provisioned_cluster",
    installation: "installation",
    state: "state",
    /** The installation's first cluster (ClusterIDs[0]); "" when it has none. */
    cluster: "cluster",
} as const;

/** A prometheus-operator RelabelConfig (monitoring.coreos.com/v1), camelCase as the CRD spells it. */
export interface RelabelConfig {
    sourceLabels?: string[];
    separator?: string;
    targetLabel?: string;
    regex?: string;
    modulus?: number;
    replacement?: string;
    action?: "replace" | "keep" | "drop" | "hashmod" | "labelmap" | "labeldrop" | "labelkeep" | "lowercase" | "uppercase" | "keepequal" | "dropequal";
}

/** The subset of the ScrapeConfig spec these jobs use (field names and formats as the v0.93.1 CRD). */
export interface ScrapeConfigSpec {
    /** The `job` label (the operator names the Prometheus job `scrapeConfig/<ns>/<name>` and relabels job to this). */
    jobName: string;
    metricsPath?: string;
    params?: Record<string, string[]>;
    scheme?: "http" | "https";
    scrapeInterval?: string;
    scrapeTimeout?: string;
    honorLabels?: boolean;
    fileSDConfigs?: { files: string[]; refreshInterval?: string }[];
    staticConfigs?: { targets: string[]; labels?: Record<string, string> }[];
    relabelings?: RelabelConfig[];
    metricRelabelings?: RelabelConfig[];
}

/** A ScrapeConfig object, ready for `kubernetes.apiextensions.CustomResource`. */
export interface ScrapeConfigObject {
    apiVersion: "monitoring.coreos.com/v1alpha1";
    kind: "ScrapeConfig";
    metadata: { name: string; namespace: string; labels: Record<string, string> };
    spec: ScrapeConfigSpec;
}

/** Options of the leaf Query job. */
export interface LeafQueryScrapeOptions {
    /** The file_sd file (default: the registrar's thanos-query-targets mounted by prometheusSpec.configMaps). */
    targetsFile?: string;
    /** Scrape interval (default 60s). */
    scrapeInterval?: string;
    /** Scrape timeout (default 10s: an answering Query serves /metrics in milliseconds). */
    scrapeTimeout?: string;
}

/**
 * The metrics kept from a leaf Query's /metrics. `up` (and the other scrape_* series) is synthetic:
 * metric relabeling never drops it. thanos_build_info names each leaf's Thanos version.
 */
export const LEAF_QUERY_KEPT_METRICS: readonly string[] = ["thanos_build_info"];

/** `fleet-leaf-query`: every registered cluster's leaf Thanos Query HTTP /metrics. */
export function leafQueryScrapeSpec(o: LeafQueryScrapeOptions = {}): ScrapeConfigSpec {
    return {
        jobName: SCRAPE_JOBS.leafQuery,
        metricsPath: "/metrics",
        scheme: "http",
        scrapeInterval: o.scrapeInterval ?? "60s",
        scrapeTimeout: o.scrapeTimeout ?? "10s",
        fileSDConfigs: [{ files: [o.targetsFile ?? mountedConfigMapFile(LEAF_QUERY_TARGETS.configMap, LEAF_QUERY_TARGETS.key)] }],
        // The registrar's label (registered_cluster) stays as it is; nothing else is added.
        metricRelabelings: [{ sourceLabels: ["__name__"], regex: LEAF_QUERY_KEPT_METRICS.join("|"), action: "keep" }],
    };
}

/** Options of the installation probe job. */
export interface ProbeScrapeOptions {
    /** `host:port` of the blackbox exporter's Service (exporters.ts: `blackboxExporterAddress()`). */
    exporterAddress: string;
    /** The file_sd file (default: the registrar's blackbox-probe-targets mounted by prometheusSpec.configMaps). */
    targetsFile?: string;
    /** Scrape interval (default 60s). */
    scrapeInterval?: string;
    /** Scrape timeout (default 15s: above the module's 10s probe timeout). */
    scrapeTimeout?: string;
}

/**
 * `installation-probes`: the blackbox exporter's /probe for every installation URL of the
 * registrar's probes.json (label `installation`). The URL becomes `__param_target` and `instance`;
 * the scrape goes to the exporter.
 */
export function installationProbeScrapeSpec(o: ProbeScrapeOptions): ScrapeConfigSpec {
    return {
        jobName: SCRAPE_JOBS.installationProbes,
        metricsPath: "/probe",
        params: { module: [PROBE_MODULE] },
        scheme: "http",
        scrapeInterval: o.scrapeInterval ?? "60s",
        scrapeTimeout: o.scrapeTimeout ?? "15s",
        fileSDConfigs: [{ files: [o.targetsFile ?? mountedConfigMapFile(PROBE_TARGETS.configMap, PROBE_TARGETS.key)] }],
        relabelings: [
            { sourceLabels: ["__address__"], targetLabel: "__param_target", action: "replace" },
            { sourceLabels: ["__param_target"], targetLabel: "instance", action: "replace" },
            { targetLabel: "__address__", replacement: o.exporterAddress, action: "replace" },
        ],
    };
}

/** Options of the provisioner state job. */
export interface ProvisionerScrapeOptions {
    /** `host:port` of the json_exporter's Service (exporters.ts: `jsonExporterAddress()`). */
    exporterAddress: string;
    /** Base URL of the provisioner API in the cluster (default `http://provisioner.provisioner.svc:8075`). */
    provisionerUrl?: string;
    /** Scrape interval (default 60s). */
    scrapeInterval?: string;
    /** Scrape timeout (default 30s: a fleet's lists are read in one request each). */
    scrapeTimeout?: string;
}

/** The provisioner API URL in the cluster (components/provisioner: Service `provisioner`, port `api` 8075). */
export function provisionerApiUrl(namespace = "provisioner"): string {
    return `http://${PROVISIONER_NAMES.service}.${namespace}.svc:${API_PORT}`;
}

/**
 * The two API reads (mattermost-cloud v0.93.1 internal/api: GET /api/clusters and GET
 * /api/installations; `per_page=-1` is model.AllPerPage, every item; deleted ones are excluded by default).
 */
export function provisionerApiTargets(baseUrl: string): { url: string; module: string }[] {
    const base = baseUrl.replace(/\/+$/, "");
    return [
        { url: `${base}/api/clusters?per_page=-1`, module: PROVISIONER_MODULES.clusters },
        { url: `${base}/api/installations?per_page=-1`, module: PROVISIONER_MODULES.installations },
    ];
}

/**
 * `provisioner-state`: the json_exporter's /probe, once per API read; the module of each read is
 * a `__param_module` target label (Prometheus sends `__param_*` labels as URL parameters), the URL
 * becomes `__param_target` and `instance`.
 */
export function provisionerStateScrapeSpec(o: ProvisionerScrapeOptions): ScrapeConfigSpec {
    return {
        jobName: SCRAPE_JOBS.provisionerState,
        metricsPath: "/probe",
        scheme: "http",
        scrapeInterval: o.scrapeInterval ?? "60s",
        scrapeTimeout: o.scrapeTimeout ?? "30s",
        staticConfigs: provisionerApiTargets(o.provisionerUrl ?? provisionerApiUrl()).map((t) => ({ targets: [t.url], labels: { __param_module: t.module } })),
        relabelings: [
            { sourceLabels: ["__address__"], targetLabel: "__param_target", action: "replace" },
            { sourceLabels: ["__param_target"], targetLabel: "instance", action: "replace" },
            { targetLabel: "__address__", replacement: o.exporterAddress, action: "replace" },
        ],
        // Only the state gauges; the exporter's own process metrics come from its /metrics if wanted.
        metricRelabelings: [{ sourceLabels: ["__name__"], regex: Object.values(PROVISIONER_METRICS).join("|"), action: "keep" }],
    };
}

/** Options of all three objects. */
export interface FleetScrapeConfigOptions {
    /** Namespace of the objects (the Prometheus' namespace; default "monitoring"). */
    namespace?: string;
    /** Labels of every object (e.g. the kps release label if the Prometheus selects on it). */
    labels?: Record<string, string>;
    leafQuery?: LeafQueryScrapeOptions;
    probes: ProbeScrapeOptions;
    provisioner: ProvisionerScrapeOptions;
}

/** The three ScrapeConfig objects, named after their jobs. */
export function fleetScrapeConfigs(o: FleetScrapeConfigOptions): ScrapeConfigObject[] {
    const object = (spec: ScrapeConfigSpec): ScrapeConfigObject => ({
        apiVersion: "monitoring.coreos.com/v1alpha1",
        kind: "ScrapeConfig",
        metadata: { name: spec.jobName, namespace: o.namespace ?? REGISTRATION_NAMESPACE, labels: { "app.kubernetes.io/part-of": "cloud-cnc", ...(o.labels ?? {}) } },
        spec,
    });
    return [object(leafQueryScrapeSpec(o.leafQuery)), object(installationProbeScrapeSpec(o.probes)), object(provisionerStateScrapeSpec(o.provisioner))];
}

/** The label naming a registered cluster on `up{job="fleet-leaf-query"}` (the registrar's). */
export const LEAF_QUERY_CLUSTER_LABEL = REGISTERED_CLUSTER_LABEL;
