// Helm values of the two exporters FleetObservability deploys in the C&C cluster. Pure functions
// returning plain objects; the component passes them to `kubernetes.helm.v3.Release`. Chart
// versions and image tags are NOT pinned here: they come in as options from
// components/common/versions.ts.
//
//   prometheus-community/prometheus-blackbox-exporter 11.17.2 (app v0.28.0): the `http_2xx`
//     module probing every installation's /api/v4/system/ping (values.yaml at tag
//     prometheus-blackbox-exporter-11.17.2: config.modules, securityContext, image, resources,
//     fullnameOverride, service.port 9115);
//   prometheus-community/prometheus-json-exporter 0.19.2 (app v0.7.0): two modules reading the
//     provisioner's REST API into state gauges (values.yaml at tag prometheus-json-exporter-0.19.2:
//     configuration.structuredConfig, image, securityContext, podSecurityContext, resources,
//     fullnameOverride, service.port 7979, serviceMonitor.enabled).
import { REGISTRATION_NAMESPACE } from "../../functions/dns-registrar/contract";
import { PROBE_MODULE, PROVISIONER_LABELS, PROVISIONER_METRICS, PROVISIONER_MODULES } from "./scrape";

/** A container image as both charts take it (`image.registry` is the blackbox chart's; json-exporter's repository carries its registry). */
export interface ExporterImage {
    /** e.g. quay.io/prometheus/blackbox-exporter */
    repository: string;
    /** A pinned tag, never latest, e.g. v0.28.0. */
    tag: string;
}

/** Container resources (Kubernetes quantities). */
export interface Resources {
    requests: { cpu: string; memory: string };
    limits: { memory: string };
}

/** Fixed Service names (fullnameOverride) and ports. */
export const EXPORTERS = {
    blackbox: { fullname: "blackbox-exporter", port: 9115 },
    json: { fullname: "json-exporter", port: 7979 },
} as const;

/** `host:port` of the blackbox exporter's Service (what the probe job scrapes). */
export function blackboxExporterAddress(namespace: string = REGISTRATION_NAMESPACE): string {
    return `${EXPORTERS.blackbox.fullname}.${namespace}.svc:${EXPORTERS.blackbox.port}`;
}

/** `host:port` of the json_exporter's Service (what the provisioner-state job scrapes). */
export function jsonExporterAddress(namespace: string = REGISTRATION_NAMESPACE): string {
    return `${EXPORTERS.json.fullname}.${namespace}.svc:${EXPORTERS.json.port}`;
}

/** Pod-level hardening both exporters get (no root, RuntimeDefault seccomp). */
function podSecurityContext(uid: number) {
    return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: "RuntimeDefault" } };
}

/** Container-level hardening: read-only root, no privilege escalation, no capabilities. */
function containerSecurityContext(uid: number) {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/**
 * The blackbox module for installations: GET, any 2xx (an empty `valid_status_codes` is 2xx in
 * blackbox_exporter v0.28.0 config/config.go), IPv4 first, redirects followed, TLS verified
 * (`tls_config.insecure_skip_verify: false`, inline prometheus/common HTTPClientConfig keys), and
 * Mattermost's `{"status":"OK"}` in the body of /api/v4/system/ping.
 */
export function probeModule(timeoutSeconds = 10): Record<string, unknown> {
    return {
        prober: "http",
        timeout: `${timeoutSeconds}s`,
        http: {
            method: "GET",
            valid_status_codes: [],
            valid_http_versions: ["HTTP/1.1", "HTTP/2.0"],
            preferred_ip_protocol: "ip4",
            follow_redirects: true,
            fail_if_body_not_matches_regexp: ['"status" *: *"OK"'],
            tls_config: { insecure_skip_verify: false },
        },
    };
}

/** Options of the blackbox exporter chart values. */
export interface BlackboxValuesOptions {
    image: ExporterImage;
    /** Default: requests 10m / 32Mi, memory limit 64Mi. */
    resources?: Resources;
    /** Probe timeout in seconds (the probe job's scrapeTimeout must be larger). Default 10. */
    probeTimeoutSeconds?: number;
    /** Replicas (default 1; the probes tolerate a restart). */
    replicas?: number;
}

/** Values of prometheus-blackbox-exporter 11.17.2. */
export function blackboxExporterValues(o: BlackboxValuesOptions): Record<string, unknown> {
    const [registry, ...rest] = o.image.repository.split("/");
    return {
        fullnameOverride: EXPORTERS.blackbox.fullname,
        kind: "Deployment",
        replicas: o.replicas ?? 1,
        image: { registry, repository: rest.join("/"), tag: o.image.tag, pullPolicy: "IfNotPresent" },
        automountServiceAccountToken: false,
        podSecurityContext: podSecurityContext(1000),
        securityContext: containerSecurityContext(1000),
        resources: o.resources ?? { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
        config: { modules: { [PROBE_MODULE]: probeModule(o.probeTimeoutSeconds ?? 10) } },
        service: { type: "ClusterIP", port: EXPORTERS.blackbox.port },
        // Scraped through the ScrapeConfig `installation-probes` (file_sd), not the chart's static ServiceMonitors.
        serviceMonitor: { enabled: false, selfMonitor: { enabled: false } },
        configReloader: { enabled: false },
    };
}

/**
 * The json_exporter config: one module per provisioner API read. Object scrapes over the top-level
 * array (`{[*]}`), one gauge per item with value 1 (json_exporter v0.7.0 names an object metric
 * `<name>_<value key>`: `provisioner_cluster` + `info`). Field names are mattermost-cloud's Go
 * names (model.Cluster / InstallationDTO have no json tags): ID, State, ClusterIDs.
 * Run for real in tests/integration/fleet-exporters.test.ts (json_exporter v0.7.0). ClusterIDs is
 * `omitempty`: for an installation on no cluster the label is "" (Prometheus drops it) and
 * json_exporter logs "Failed to extract label value ... is not found" at error level on every
 * scrape of that installation (v0.7.0's JSONPath has no missing-key option): expected noise.
 */
export function provisionerExporterConfig(): { modules: Record<string, unknown> } {
    const info = (name: string, labels: Record<string, string>) => ({
        name: name.replace(/_info$/, ""),
        type: "object",
        valuetype: "gauge",
        help: `${name}: one series per item of the provisioner API, value 1`,
        path: "{[*]}",
        labels,
        values: { info: "1" },
    });
    return {
        modules: {
            [PROVISIONER_MODULES.clusters]: {
                metrics: [info(PROVISIONER_METRICS.clusterInfo, { [PROVISIONER_LABELS.provisionedCluster]: "{.ID}", [PROVISIONER_LABELS.state]: "{.State}" })],
                valid_status_codes: [200],
            },
            [PROVISIONER_MODULES.installations]: {
                metrics: [
                    info(PROVISIONER_METRICS.installationInfo, {
                        [PROVISIONER_LABELS.installation]: "{.ID}",
                        [PROVISIONER_LABELS.state]: "{.State}",
                        [PROVISIONER_LABELS.cluster]: "{.ClusterIDs[0]}",
                    }),
                ],
                valid_status_codes: [200],
            },
        },
    };
}

/** Options of the json_exporter chart values. */
export interface JsonExporterValuesOptions {
    image: ExporterImage;
    /** Default: requests 10m / 32Mi, memory limit 128Mi. */
    resources?: Resources;
}

/** Values of prometheus-json-exporter 0.19.2. */
export function jsonExporterValues(o: JsonExporterValuesOptions): Record<string, unknown> {
    return {
        fullnameOverride: EXPORTERS.json.fullname,
        replicaCount: 1,
        image: { repository: o.image.repository, tag: o.image.tag, pullPolicy: "IfNotPresent" },
        podSecurityContext: podSecurityContext(65534),
        securityContext: containerSecurityContext(65534),
        resources: o.resources ?? { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
        service: { type: "ClusterIP", port: EXPORTERS.json.port },
        // Scraped through the ScrapeConfig `provisioner-state`, not the chart's per-target ServiceMonitors.
        serviceMonitor: { enabled: false },
        // 0.19.2 has no automount switch (values.yaml serviceAccount: create/annotations/name;
        // templates/deployment.yaml sets only serviceAccountName): the component creates this
        // account with automountServiceAccountToken false, so the pod gets no API token.
        serviceAccount: { create: false, name: EXPORTERS.json.fullname },
        // structuredConfig takes precedence over configuration.config (templates/configmap.yaml).
        configuration: { structuredConfig: provisionerExporterConfig() },
    };
}
