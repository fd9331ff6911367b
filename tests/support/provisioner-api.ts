// The provisioner's list endpoints as mattermost-cloud v0.93.1 answers them, for the exporter
// tests: GET /api/clusters and GET /api/installations (internal/api/cluster.go handleGetClusters,
// internal/api/installation.go handleGetInstallations) write `[]*model.ClusterDTO` /
// `[]*model.InstallationDTO` with encoding/json's Encoder (internal/api/common.go outputJSON:
// compact, one trailing newline, Content-Type application/json, 200; an empty list is `[]`).
// model.Cluster and model.Installation have no json tags on ID/State/Name (Go field names are the
// keys); the DTOs embed them (*Cluster / *Installation: fields flattened) and add Annotations
// (omitempty), and for installations DNS, DNSRecords and ClusterIDs (`json:"ClusterIDs,omitempty"`:
// absent for an installation on no cluster). Key order below is the structs' field order.
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";

export interface FixtureCluster {
    id: string;
    state: string;
}

export interface FixtureInstallation {
    id: string;
    name: string;
    state: string;
    /** The cluster it runs on; undefined: on none (ClusterIDs omitted). */
    clusterId?: string;
}

/** One model.ClusterDTO as v0.93.1 encodes it (model/cluster.go Cluster, model/cluster_dto.go). */
export function clusterDto(c: FixtureCluster): Record<string, unknown> {
    return {
        ID: c.id,
        Name: `cluster-${c.id.slice(0, 6)}`,
        State: c.state,
        Provider: "aws",
        ProviderMetadataAWS: { Zones: ["us-east-1a", "us-east-1b"] },
        Provisioner: "eks",
        Networking: "amazon-vpc-routed-eni",
        UtilityMetadata: { DesiredVersions: {}, ActualVersions: {}, ManagedByArgocd: false, ArgocdClusterRegister: {} },
        PgBouncerConfig: null,
        AllowInstallations: true,
        CreateAt: 1767225600000,
        DeleteAt: 0,
        APISecurityLock: false,
        SchedulingLockAcquiredBy: null,
        SchedulingLockAcquiredAt: 0,
        LockAcquiredBy: null,
        LockAcquiredAt: 0,
        Annotations: [{ ID: "a".repeat(26), Name: "multi-tenant" }],
    };
}

/** One model.InstallationDTO as v0.93.1 encodes it (model/installation.go Installation, model/installation_dto.go). */
export function installationDto(i: FixtureInstallation): Record<string, unknown> {
    const dns = `${i.name}.cloud.example.com`;
    return {
        ID: i.id,
        OwnerID: "owner",
        GroupID: null,
        State: i.state,
        Size: "1000users",
        Version: "10.5.0",
        Image: "mattermost/mattermost-enterprise-edition",
        Name: i.name,
        Database: "perseus",
        Filestore: "bifrost",
        License: "",
        AllowedIPRanges: null,
        Volumes: null,
        MattermostEnv: null,
        PriorityEnv: null,
        Affinity: "multitenant",
        CRVersion: "installation.mattermost.com/v1beta1",
        CreateAt: 1767225600000,
        DeleteAt: 0,
        APISecurityLock: false,
        DeletionLocked: false,
        LockAcquiredBy: null,
        LockAcquiredAt: 0,
        DNS: dns,
        DNSRecords: [{ ID: "d".repeat(26), DomainName: dns, InstallationID: i.id, IsPrimary: true, CreateAt: 1767225600000, DeleteAt: 0 }],
        ...(i.clusterId ? { ClusterIDs: [i.clusterId] } : {}),
    };
}

/** encoding/json's Encoder output for a value: compact JSON and a newline. */
export function goJson(v: unknown): string {
    return `${JSON.stringify(v)}\n`;
}

export interface ProvisionerApiStub {
    url: string;
    /** Request paths with query strings, in order. */
    requests: string[];
    close(): Promise<void>;
}

/** A loopback HTTP server answering /api/clusters and /api/installations with the fixtures (404 otherwise). */
export async function startProvisionerApi(clusters: FixtureCluster[], installations: FixtureInstallation[]): Promise<ProvisionerApiStub> {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
        requests.push(req.url ?? "");
        const p = new URL(req.url ?? "/", "http://x").pathname;
        const body = p === "/api/clusters" ? goJson(clusters.map(clusterDto)) : p === "/api/installations" ? goJson(installations.map(installationDto)) : undefined;
        if (req.method !== "GET" || body === undefined) {
            res.writeHead(404).end();
            return;
        }
        res.writeHead(200, { "Content-Type": "application/json" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

export interface PingServer {
    url: string;
    close(): Promise<void>;
}

/** A loopback HTTPS server answering GET /api/v4/system/ping with `status` and `body`. */
export async function startPingServer(tls: { key: string; cert: string }, status: number, body: string): Promise<PingServer> {
    const server = https.createServer(tls, (req, res) => {
        if (new URL(req.url ?? "/", "https://x").pathname !== "/api/v4/system/ping") {
            res.writeHead(404).end();
            return;
        }
        res.writeHead(status, { "Content-Type": "application/json" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4/system/ping`,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

/** One sample of the Prometheus text exposition format. */
export interface ExpositionSample {
    name: string;
    labels: Record<string, string>;
    value: number;
}

/** The samples of a text exposition (comments skipped; label values unescaped). Throws on a line it cannot read. */
export function parseExposition(text: string): ExpositionSample[] {
    const out: ExpositionSample[] = [];
    for (const line of text.split("\n")) {
        if (!line.trim() || line.startsWith("#")) continue;
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
        if (!m) throw new Error(`not an exposition line: ${line}`);
        const labels: Record<string, string> = {};
        const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/gy;
        const body = m[2] ?? "";
        let l: RegExpExecArray | null;
        let consumed = 0;
        while ((l = re.exec(body)) !== null) {
            labels[l[1]] = l[2].replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));
            consumed = re.lastIndex;
        }
        if (consumed !== body.length) throw new Error(`unreadable labels in: ${line}`);
        out.push({ name: m[1], labels, value: Number(m[3]) });
    }
    return out;
}

/**
 * The default `config` of prometheus-blackbox-exporter 11.17.2 (values.yaml at tag
 * prometheus-blackbox-exporter-11.17.2, lines 174-182). Helm coalesces the release's values over
 * the chart's: maps merge key by key (the release wins), lists and scalars are replaced.
 */
export const BLACKBOX_CHART_DEFAULT_CONFIG = {
    modules: {
        http_2xx: { prober: "http", timeout: "5s", http: { valid_http_versions: ["HTTP/1.1", "HTTP/2.0"], follow_redirects: true, preferred_ip_protocol: "ip4" } },
    },
};

/** Helm's value coalescing for plain data (chartutil.CoalesceTables): `over` wins, maps merge, anything else is replaced; null deletes. */
export function helmCoalesce(chart: unknown, over: unknown): unknown {
    const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
    if (!isMap(chart) || !isMap(over)) return over === undefined ? chart : over;
    const out: Record<string, unknown> = { ...chart };
    for (const [k, v] of Object.entries(over)) {
        if (v === null) delete out[k];
        else out[k] = k in chart ? helmCoalesce(chart[k], v) : v;
    }
    return out;
}
