// The registrar's settings come from environment variables the DnsRegistrar component sets
// (components/dns-registrar/plan.ts builds them from ENV below), never from captured values.
import { FEDERATION_TARGETS, LEAF_QUERY_TARGETS, PROBE_TARGETS, REGISTRATION_NAMESPACE, THANOS_ENDPOINTS, THANOS_ENDPOINT_ADDRESS } from "./contract";
import { DEFAULT_PLAN_OPTIONS, FILE_KINDS, FileKind, PlanOptions, patternProblems } from "./planner";

/** The environment variable names: the contract between the component and the handler. */
export const ENV = {
    clusterName: "REGISTRAR_CLUSTER_NAME",
    namespace: "REGISTRAR_NAMESPACE",
    thanosZoneId: "REGISTRAR_THANOS_ZONE_ID",
    thanosZoneName: "REGISTRAR_THANOS_ZONE_NAME",
    prometheusZoneId: "REGISTRAR_PROMETHEUS_ZONE_ID",
    prometheusZoneName: "REGISTRAR_PROMETHEUS_ZONE_NAME",
    installationsZoneId: "REGISTRAR_INSTALLATIONS_ZONE_ID",
    installationsZoneName: "REGISTRAR_INSTALLATIONS_ZONE_NAME",
    thanosPattern: "REGISTRAR_THANOS_PATTERN",
    prometheusPattern: "REGISTRAR_PROMETHEUS_PATTERN",
    installationsPattern: "REGISTRAR_INSTALLATIONS_PATTERN",
    queryPattern: "REGISTRAR_QUERY_PATTERN",
    grpcPort: "REGISTRAR_GRPC_PORT",
    queryHttpPort: "REGISTRAR_QUERY_HTTP_PORT",
    prometheusPort: "REGISTRAR_PROMETHEUS_PORT",
    exclusions: "REGISTRAR_EXCLUSIONS",
    selfPrometheusTarget: "REGISTRAR_SELF_PROMETHEUS_TARGET",
    thanosStaticEndpoints: "REGISTRAR_THANOS_STATIC_ENDPOINTS",
    selfClusterId: "REGISTRAR_SELF_CLUSTER_ID",
    thanosConfigMap: "REGISTRAR_THANOS_CONFIGMAP",
    prometheusConfigMap: "REGISTRAR_PROMETHEUS_CONFIGMAP",
    probesConfigMap: "REGISTRAR_PROBES_CONFIGMAP",
    queriesConfigMap: "REGISTRAR_QUERIES_CONFIGMAP",
    shrinkFloorPercent: "REGISTRAR_SHRINK_FLOOR_PERCENT",
    shrinkMaxRemovals: "REGISTRAR_SHRINK_MAX_REMOVALS",
    shrinkAlwaysAllowed: "REGISTRAR_SHRINK_ALWAYS_ALLOWED",
    emptyConfirmSeconds: "REGISTRAR_EMPTY_CONFIRM_SECONDS",
    kubeTimeoutMs: "REGISTRAR_KUBE_TIMEOUT_MS",
    /** Override of the API server URL from DescribeCluster (tests; a proxy in an emergency). */
    kubeServer: "REGISTRAR_KUBE_SERVER",
    /** Override of the base64 PEM CA from DescribeCluster (goes with REGISTRAR_KUBE_SERVER). */
    kubeCaData: "REGISTRAR_KUBE_CA_DATA",
    /** Override of the STS endpoint the token is presigned for (default https://sts.<region>.amazonaws.com). */
    stsEndpoint: "REGISTRAR_STS_ENDPOINT",
} as const;

export const DEFAULT_SHRINK_FLOOR_PERCENT = 50;
/** An absolute cap: even 50% of a fleet of 1,000 is too many clusters to drop on one listing. */
export const DEFAULT_SHRINK_MAX_REMOVALS = 20;
/** The small-fleet exception: one cluster may always be decommissioned. */
export const DEFAULT_SHRINK_ALWAYS_ALLOWED = 1;
/** Three schedule periods (rate(5 minutes)): an empty listing must persist this long to empty a file. */
export const DEFAULT_EMPTY_CONFIRM_SECONDS = 900;
export const DEFAULT_KUBE_TIMEOUT_MS = 10_000;

export interface Zone {
    /** Hosted zone ID without the `/hostedzone/` prefix. */
    id: string;
    /** Zone DNS name, normalized (lowercase, no trailing dot). */
    name: string;
}

export interface RegistrarSettings {
    region: string;
    clusterName: string;
    namespace: string;
    zones: { thanos: Zone; prometheus: Zone; installations?: Zone };
    configMaps: Record<FileKind, string>;
    plan: PlanOptions;
    shrinkFloorPercent: number;
    shrinkMaxRemovals: number;
    shrinkAlwaysAllowed: number;
    emptyConfirmSeconds: number;
    kubeTimeoutMs: number;
    kubeServer?: string;
    kubeCaData?: string;
    stsEndpoint: string;
}

/** The ConfigMap data key of each file (fixed by contract.ts). */
export const FILE_KEYS: Readonly<Record<FileKind, string>> = {
    thanos: THANOS_ENDPOINTS.key,
    prometheus: FEDERATION_TARGETS.key,
    probes: PROBE_TARGETS.key,
    queries: LEAF_QUERY_TARGETS.key,
};

export const DEFAULT_CONFIGMAPS: Readonly<Record<FileKind, string>> = {
    thanos: THANOS_ENDPOINTS.configMap,
    prometheus: FEDERATION_TARGETS.configMap,
    probes: PROBE_TARGETS.configMap,
    queries: LEAF_QUERY_TARGETS.configMap,
};

/** A hosted zone ID as the APIs and CloudTrail spell it: `Z...` without `/hostedzone/`. */
export function normalizeZoneId(id: string): string {
    return id.trim().replace(/^\/?hostedzone\//, "");
}

const ZONE_ID = /^[A-Z0-9]{1,32}$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Invalid settings (a plain Error with a name: see kube.ts on why no class). */
export interface SettingsError extends Error {
    name: "SettingsError";
    problems: string[];
}

export function settingsError(problems: string[]): SettingsError {
    return Object.assign(new Error(`dns-registrar settings: ${problems.join("; ")}`), { name: "SettingsError" as const, problems });
}

/** Reads and validates the settings; throws a SettingsError naming every bad variable. */
export function settingsFromEnv(env: Record<string, string | undefined>): RegistrarSettings {
    const problems: string[] = [];
    const str = (name: string, fallback?: string): string => {
        const v = env[name];
        if (v === undefined || v === "") {
            if (fallback !== undefined) return fallback;
            problems.push(`${name}: expected a value, found nothing`);
            return "";
        }
        return v;
    };
    const int = (name: string, fallback: number, min: number, max: number): number => {
        const raw = env[name];
        if (raw === undefined || raw === "") return fallback;
        const n = Number(raw);
        if (!Number.isInteger(n) || n < min || n > max) {
            problems.push(`${name}: expected an integer from ${min} to ${max}, found ${JSON.stringify(raw)}`);
            return fallback;
        }
        return n;
    };
    const zone = (idVar: string, nameVar: string, optional: boolean): Zone | undefined => {
        const rawId = env[idVar] ?? "";
        const rawName = env[nameVar] ?? "";
        if (optional && rawId === "" && rawName === "") return undefined;
        const id = normalizeZoneId(str(idVar));
        const name = str(nameVar).toLowerCase().replace(/\.+$/, "");
        if (id !== "" && !ZONE_ID.test(id)) problems.push(`${idVar}: expected a hosted zone ID such as Z0123456789ABCDEFGHIJ, found ${JSON.stringify(rawId)}`);
        if (name !== "" && !DNS_NAME.test(name)) problems.push(`${nameVar}: expected a DNS name such as thanos.fleet.internal, found ${JSON.stringify(rawName)}`);
        return { id, name };
    };
    const pattern = (name: string, fallback: string): string => {
        const p = str(name, fallback);
        const issues = patternProblems(p);
        if (issues.length > 0) problems.push(`${name}: expected ${issues.join(" and ")}, found ${JSON.stringify(p)}`);
        return p;
    };
    const k8sName = (name: string, fallback: string): string => {
        const v = str(name, fallback);
        if (!K8S_NAME.test(v) || v.length > 253) problems.push(`${name}: expected a Kubernetes name, found ${JSON.stringify(v)}`);
        return v;
    };

    const region = str("AWS_REGION", env.AWS_DEFAULT_REGION);
    const clusterName = str(ENV.clusterName);
    const namespace = k8sName(ENV.namespace, REGISTRATION_NAMESPACE);
    const thanos = zone(ENV.thanosZoneId, ENV.thanosZoneName, false)!;
    const prometheus = zone(ENV.prometheusZoneId, ENV.prometheusZoneName, false)!;
    const installations = zone(ENV.installationsZoneId, ENV.installationsZoneName, true);
    const configMaps: Record<FileKind, string> = {
        thanos: k8sName(ENV.thanosConfigMap, DEFAULT_CONFIGMAPS.thanos),
        prometheus: k8sName(ENV.prometheusConfigMap, DEFAULT_CONFIGMAPS.prometheus),
        probes: k8sName(ENV.probesConfigMap, DEFAULT_CONFIGMAPS.probes),
        queries: k8sName(ENV.queriesConfigMap, DEFAULT_CONFIGMAPS.queries),
    };
    if (new Set(Object.values(configMaps)).size !== FILE_KINDS.length) {
        problems.push(`${ENV.thanosConfigMap}, ${ENV.prometheusConfigMap}, ${ENV.probesConfigMap}, ${ENV.queriesConfigMap}: expected ${FILE_KINDS.length} different names, found ${JSON.stringify(Object.values(configMaps))}`);
    }
    const exclusions = (env[ENV.exclusions] ?? "")
        .split(",")
        .map((s) => s.trim().toLowerCase().replace(/\.+$/, ""))
        .filter((s) => s !== "");
    const selfTarget = env[ENV.selfPrometheusTarget] ?? DEFAULT_PLAN_OPTIONS.selfPrometheusTarget;
    if (selfTarget !== "" && !/^[a-z0-9.-]+:[0-9]{1,5}$/.test(selfTarget)) problems.push(`${ENV.selfPrometheusTarget}: expected host:port or nothing, found ${JSON.stringify(selfTarget)}`);

    const thanosStatic = (env[ENV.thanosStaticEndpoints] ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
    for (const e of thanosStatic) {
        if (!THANOS_ENDPOINT_ADDRESS.test(e)) problems.push(`${ENV.thanosStaticEndpoints}: expected comma-separated Thanos endpoint addresses (host:port, dns+host:port or dnssrv+name), found ${JSON.stringify(e)}`);
    }

    const thanosPattern = pattern(ENV.thanosPattern, DEFAULT_PLAN_OPTIONS.thanosPattern);
    const queryPattern = pattern(ENV.queryPattern, DEFAULT_PLAN_OPTIONS.queryPattern);
    if (queryPattern === thanosPattern) problems.push(`${ENV.queryPattern}: expected a pattern other than ${ENV.thanosPattern}'s (the gRPC names), found ${JSON.stringify(queryPattern)}`);
    const plan: PlanOptions = {
        ...DEFAULT_PLAN_OPTIONS,
        thanosZone: thanos.name,
        prometheusZone: prometheus.name,
        installationsZone: installations?.name,
        thanosPattern,
        queryPattern,
        prometheusPattern: pattern(ENV.prometheusPattern, DEFAULT_PLAN_OPTIONS.prometheusPattern),
        installationsPattern: pattern(ENV.installationsPattern, DEFAULT_PLAN_OPTIONS.installationsPattern),
        grpcPort: int(ENV.grpcPort, DEFAULT_PLAN_OPTIONS.grpcPort, 1, 65535),
        queryHttpPort: int(ENV.queryHttpPort, DEFAULT_PLAN_OPTIONS.queryHttpPort, 1, 65535),
        prometheusPort: int(ENV.prometheusPort, DEFAULT_PLAN_OPTIONS.prometheusPort, 1, 65535),
        exclusions,
        selfPrometheusTarget: selfTarget,
        thanosStaticEndpoints: thanosStatic,
        selfClusterId: str(ENV.selfClusterId, DEFAULT_PLAN_OPTIONS.selfClusterId),
    };
    const settings: RegistrarSettings = {
        region,
        clusterName,
        namespace,
        zones: { thanos, prometheus, ...(installations ? { installations } : {}) },
        configMaps,
        plan,
        shrinkFloorPercent: int(ENV.shrinkFloorPercent, DEFAULT_SHRINK_FLOOR_PERCENT, 0, 100),
        shrinkMaxRemovals: int(ENV.shrinkMaxRemovals, DEFAULT_SHRINK_MAX_REMOVALS, 0, 100_000),
        shrinkAlwaysAllowed: int(ENV.shrinkAlwaysAllowed, DEFAULT_SHRINK_ALWAYS_ALLOWED, 0, 100_000),
        emptyConfirmSeconds: int(ENV.emptyConfirmSeconds, DEFAULT_EMPTY_CONFIRM_SECONDS, 0, 86_400),
        kubeTimeoutMs: int(ENV.kubeTimeoutMs, DEFAULT_KUBE_TIMEOUT_MS, 100, 300_000),
        stsEndpoint: (env[ENV.stsEndpoint] || `https://sts.${region}.amazonaws.com`).replace(/\/+$/, ""),
        ...(env[ENV.kubeServer] ? { kubeServer: env[ENV.kubeServer] } : {}),
        ...(env[ENV.kubeCaData] ? { kubeCaData: env[ENV.kubeCaData] } : {}),
    };
    if (problems.length > 0) throw settingsError(problems);
    return settings;
}
