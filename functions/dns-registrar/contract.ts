// The contract between the DnsRegistrar (writer) and its consumers (Thanos Query, the federation
// Prometheus, the blackbox exporter): which ConfigMaps, which keys, which file formats.
// Plain TypeScript: imported by the Lambda handler and by the Pulumi components alike.
import * as YAML from "yaml";

/** Namespace of the registrar's ConfigMaps. */
export const REGISTRATION_NAMESPACE = "monitoring";

/** ConfigMap + key holding the Thanos Query endpoint config (`--endpoint.sd-config-file`). */
export const THANOS_ENDPOINTS = { configMap: "thanos-query-endpoints", key: "endpoints.yaml" } as const;

/** ConfigMap + key holding Prometheus file_sd targets for the federation mode. */
export const FEDERATION_TARGETS = { configMap: "prometheus-federation-targets", key: "targets.json" } as const;

/** ConfigMap + key holding blackbox probe targets (Mattermost installations). */
export const PROBE_TARGETS = { configMap: "blackbox-probe-targets", key: "probes.json" } as const;

/**
 * ConfigMap + key holding Prometheus file_sd targets for the C&C Prometheus: each registered
 * workload cluster's leaf Thanos Query HTTP endpoint (its `/metrics`), label `registered_cluster`
 * (never `clusterID`: Thanos overrides it with external labels). `up{job="fleet-leaf-query"}` then
 * names every registered cluster, 0 when its Query does not answer (the drift alerts).
 */
export const LEAF_QUERY_TARGETS = { configMap: "thanos-query-targets", key: "targets.json" } as const;

/**
 * Default port of a workload cluster's leaf Thanos Query HTTP: upstream mattermost-cloud exposes it
 * through the internal nginx ingress (`query.ingress.hostname=<ID>.thanos.<private domain>`, no TLS).
 */
export const DEFAULT_QUERY_HTTP_PORT = 80;

/** Default gRPC port of a workload cluster's leaf Thanos Query behind its NLB. */
export const DEFAULT_GRPC_PORT = 10901;

/** Default port of a workload cluster's Prometheus `/federate` (federation mode). */
export const DEFAULT_PROMETHEUS_PORT = 9090;

/**
 * The relative record names a workload cluster registers under, `{id}` standing for its cluster
 * ID (upstream mattermost-cloud: `<clusterID>-grpc.<thanos zone>` for the leaf Query's gRPC,
 * `<clusterID>.<thanos zone>` for its HTTP, `<clusterID>.<prometheus zone>` for `/federate`).
 * The registrar's planner defaults to these; WorkloadClusterMonitoring writes exactly these.
 */
export const NAME_PATTERNS = { thanos: "{id}-grpc", query: "{id}", prometheus: "{id}", installations: "{id}" } as const;

/** The fully qualified name `pattern` gives cluster `id` in `zone` (no trailing dot). */
export function registrationName(pattern: string, id: string, zone: string): string {
    if (pattern.split("{id}").length !== 2) throw new Error(`invalid name pattern ${JSON.stringify(pattern)}: expected exactly one {id}`);
    return `${pattern.replace("{id}", id)}.${zone.replace(/\.+$/, "").toLowerCase()}`;
}

/**
 * An address Thanos Query accepts in its endpoint config: `host:port`, `dns+host:port` (A/AAAA
 * lookup) or `dnssrv+<SRV name>` (SRV lookup: the port comes from the record). (Thanos v0.42
 * refuses `strict: true` on dns+/dnssrv+ entries; none of ours are strict.)
 */
export const THANOS_ENDPOINT_ADDRESS = /^(dnssrv\+_[a-z0-9-]+\._tcp\.[a-z0-9.-]+|(dns\+)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?:[0-9]{1,5})$/;

/** One entry of Thanos' endpoint config (cmd/thanos/endpointset.go `endpointSettings`). */
export interface ThanosEndpoint {
    address: string;
    strict?: boolean;
    group?: boolean;
}

/** A Prometheus file_sd target group. */
export interface FileSdGroup {
    targets: string[];
    labels: Record<string, string>;
}

/**
 * Renders the file Thanos Query reads with `--endpoint.sd-config-file`:
 * `endpoints: [{address: "<host:port>"}]`, sorted, de-duplicated, stable key order.
 */
export function renderThanosEndpointConfig(addresses: string[]): string {
    const unique = [...new Set(addresses)].sort();
    const doc = { endpoints: unique.map((address): ThanosEndpoint => ({ address })) };
    return YAML.stringify(doc, { sortMapEntries: true, lineWidth: 0 });
}

/**
 * Code-unit (byte for ASCII) order: the same on every machine. localeCompare follows the
 * process's locale, so a file rendered under LANG=C and under da_DK.UTF-8 would differ ("aa"
 * sorts after "z" in Danish) and every consumer would reload for nothing.
 */
export function byteOrder(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Renders file_sd JSON: groups sorted by their first target, targets sorted, labels key-sorted. */
export function renderFileSd(groups: FileSdGroup[]): string {
    const normalized = groups
        .map((g) => ({
            targets: [...new Set(g.targets)].sort(),
            labels: Object.fromEntries(Object.entries(g.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        }))
        .sort((a, b) => byteOrder(a.targets[0] ?? "", b.targets[0] ?? "") || byteOrder(JSON.stringify(a.labels), JSON.stringify(b.labels)));
    return JSON.stringify(normalized, null, 2) + "\n";
}

/**
 * Annotation the registrar sets on one of its ConfigMaps when a complete listing of the watched
 * zone produced no targets for it while the ConfigMap still lists some: the time (ISO 8601) the
 * empty zone was first seen. The registrar empties the file only when a later run still sees the
 * zone empty (two consecutive observations); any non-empty run removes the annotation.
 */
export const EMPTY_SINCE_ANNOTATION = "registrar.cloud-cnc.io/empty-since";

/**
 * Annotation an operator sets (value "true") on one of the registrar's ConfigMaps to lift the
 * shrink rule and the empty-zone confirmation for one run: the next run writes what the zone
 * listing says, whatever it removes, and deletes the annotation. E.g.
 * `kubectl -n monitoring annotate configmap thanos-query-endpoints registrar.cloud-cnc.io/allow-removals-once=true`.
 */
export const ALLOW_REMOVALS_ONCE = "registrar.cloud-cnc.io/allow-removals-once";

/** Labels the registrar puts on a ConfigMap it has to create (the seeded ones keep their own). */
export const REGISTRAR_LABELS: Readonly<Record<string, string>> = {
    "app.kubernetes.io/managed-by": "cloud-cnc-dns-registrar",
    "app.kubernetes.io/part-of": "cloud-cnc",
};

/**
 * The addresses in a Thanos endpoint config (the inverse of renderThanosEndpointConfig), or
 * undefined when the text is not such a file. An empty or blank text is an empty list.
 */
export function parseThanosEndpointConfig(text: string): string[] | undefined {
    if (text.trim() === "") return [];
    let doc: unknown;
    try {
        doc = YAML.parse(text);
    } catch {
        return undefined;
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return undefined;
    const endpoints = (doc as { endpoints?: unknown }).endpoints;
    if (endpoints === undefined || endpoints === null) return [];
    if (!Array.isArray(endpoints)) return undefined;
    const out: string[] = [];
    for (const e of endpoints) {
        if (e === null || typeof e !== "object" || typeof (e as ThanosEndpoint).address !== "string") return undefined;
        out.push((e as ThanosEndpoint).address);
    }
    return out;
}

/**
 * The groups of a file_sd JSON file (the inverse of renderFileSd), or undefined when the text is
 * not such a file. An empty or blank text is an empty list.
 */
export function parseFileSd(text: string): FileSdGroup[] | undefined {
    if (text.trim() === "") return [];
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch {
        return undefined;
    }
    if (!Array.isArray(doc)) return undefined;
    const out: FileSdGroup[] = [];
    for (const g of doc) {
        if (g === null || typeof g !== "object") return undefined;
        const { targets, labels } = g as { targets?: unknown; labels?: unknown };
        if (!Array.isArray(targets) || !targets.every((t) => typeof t === "string")) return undefined;
        if (labels !== undefined && (labels === null || typeof labels !== "object" || Array.isArray(labels))) return undefined;
        const labelMap: Record<string, string> = {};
        for (const [k, v] of Object.entries((labels ?? {}) as Record<string, unknown>)) {
            if (typeof v !== "string") return undefined;
            labelMap[k] = v;
        }
        out.push({ targets: targets as string[], labels: labelMap });
    }
    return out;
}
