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

/** Default gRPC port of a workload cluster's leaf Thanos Query behind its NLB. */
export const DEFAULT_GRPC_PORT = 10901;

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

/** Renders file_sd JSON: groups sorted by their first target, targets sorted, labels key-sorted. */
export function renderFileSd(groups: FileSdGroup[]): string {
    const normalized = groups
        .map((g) => ({
            targets: [...new Set(g.targets)].sort(),
            labels: Object.fromEntries(Object.entries(g.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        }))
        .sort((a, b) => (a.targets[0] ?? "").localeCompare(b.targets[0] ?? "") || JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
    return JSON.stringify(normalized, null, 2) + "\n";
}
