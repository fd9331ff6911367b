// Pure decisions of ThanosFederation: names, defaults, validation, retention rules and IAM
// documents. No Pulumi resources here; tests call these functions directly.
import { Problem } from "../common/errors";
import { PolicyDocument, denyInsecureTransport, policyDocument } from "../common/iam";
import { DEFAULT_GRPC_PORT, FEDERATION_TARGETS, PROBE_TARGETS, REGISTRATION_NAMESPACE, THANOS_ENDPOINTS } from "../../functions/dns-registrar/contract";
import { K8S_NAME } from "../common/validation";

/** The two federation modes of the original system. */
export const FEDERATION_MODES = ["thanos", "prometheus-federation"] as const;

/** The default `match[]` selectors of the original federate job. */
export const DEFAULT_FEDERATION_MATCH = ['{job="prometheus"}', '{__name__=~"job:.*"}'];

/** The clusterID label value the C&C's own Prometheus carries in the federation mode. */
export const CNC_CLUSTER_ID = "C&C";

/** External label naming the Prometheus replica; Thanos Query deduplicates along it. */
export const PROMETHEUS_REPLICA_LABEL = "prometheus_replica";
/** External label naming the Thanos Ruler replica; dropped from alerts, deduplicated by Query. */
export const RULER_REPLICA_LABEL = "rule_replica";
/** External label every Prometheus/Ruler of the fleet carries. */
export const CLUSTER_ID_LABEL = "clusterID";

/** The Kubernetes cluster DNS domain used for in-cluster service names. */
export const CLUSTER_DOMAIN = "cluster.local";

/** Helm release name (and fullnameOverride) of kube-prometheus-stack: keeps chart names short and fixed. */
export const KPS_RELEASE = "kps";

export const HTTP_PORT = 10902;
export const GRPC_PORT = DEFAULT_GRPC_PORT;
/** Thanos Query, Query Frontend and the federation Prometheus serve HTTP on the Prometheus port. */
export const QUERY_HTTP_PORT = 9090;

/** Fixed in-cluster names. The registrar's ConfigMaps come from its contract. */
export const names = {
    namespace: REGISTRATION_NAMESPACE,
    endpointsConfigMap: THANOS_ENDPOINTS.configMap,
    federationTargetsConfigMap: FEDERATION_TARGETS.configMap,
    probeTargetsConfigMap: PROBE_TARGETS.configMap,
    objstoreSecret: "thanos-objstore",
    objstoreKey: "objstore.yml",
    grafanaAdminSecret: "grafana-admin",
    rulesConfigMap: "thanos-ruler-rules",
    query: "thanos-query",
    queryGrpc: "thanos-query-grpc",
    queryFrontend: "thanos-query-frontend",
    store: "thanos-store",
    compactor: "thanos-compactor",
    ruler: "thanos-ruler",
    federation: "prometheus-federation",
    /** kube-prometheus-stack objects (release `kps`, fullnameOverride `kps`). */
    kpsPrometheus: `${KPS_RELEASE}-prometheus`,
    kpsPrometheusServiceAccount: `${KPS_RELEASE}-prometheus`,
    kpsAlertmanager: `${KPS_RELEASE}-alertmanager`,
    kpsGrafana: `${KPS_RELEASE}-grafana`,
    kpsThanosDiscovery: `${KPS_RELEASE}-thanos-discovery`,
} as const;

export function federationGroupName(index: number): string {
    return `${names.federation}-group-${index}`;
}

/** `<svc>.<ns>.svc` */
export function serviceHost(service: string, namespace: string = names.namespace): string {
    return `${service}.${namespace}.svc`;
}

/** `dnssrv+_<port>._tcp.<svc>.<ns>.svc.cluster.local`: one address per ready pod of a headless service. */
export function dnsSrvEndpoint(service: string, portName: string, namespace: string = names.namespace): string {
    return `dnssrv+_${portName}._tcp.${service}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

// ---------------------------------------------------------------------------------------------
// Durations (Prometheus/Thanos model.Duration syntax: 1y2w3d4h5m6s7ms; "0" or "0d" = zero)

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3, 1];

/** Milliseconds of a Prometheus duration, or undefined when the string is not one. */
export function parseDuration(value: string): number | undefined {
    if (typeof value !== "string") return undefined;
    if (value === "0") return 0;
    const m = DURATION.exec(value);
    if (!m || value === "") return undefined;
    let total = 0;
    UNIT_MS.forEach((unit, i) => {
        if (m[i + 1] !== undefined) total += Number(m[i + 1]) * unit;
    });
    return total;
}

const HOUR = 3600e3;
const DAY = 24 * HOUR;

/**
 * Thanos' downsampling thresholds (pkg/compact/downsample: ResLevel1DownsampleRange = 40h,
 * ResLevel2DownsampleRange = 10d): a raw block is downsampled to 5m once it spans 40h, a 5m
 * block to 1h once it spans 10 days. The compactor reaches those spans by merging blocks into
 * its 2-day and 14-day compaction levels, and only merges a level once a newer block exists.
 */
export const DOWNSAMPLING = {
    fiveMinuteAfter: 40 * HOUR,
    oneHourAfter: 10 * DAY,
    /** The raw compaction level whose blocks span >= 40h. */
    rawWindow: 2 * DAY,
    /** The 5m compaction level whose blocks span >= 10d. */
    fiveMinuteWindow: 14 * DAY,
    /** Slack for the consistency delay (30m), upload and compaction runs. */
    margin: 1 * DAY,
} as const;

/** Smallest non-zero raw retention we accept: the 2-day level plus a day (3d). */
export const MIN_RAW_RETENTION_MS = DOWNSAMPLING.rawWindow + DOWNSAMPLING.margin;
/** Smallest non-zero 5m retention we accept: the 14-day level plus a day (15d). */
export const MIN_5M_RETENTION_MS = DOWNSAMPLING.fiveMinuteWindow + DOWNSAMPLING.margin;

export const RETENTION_RAW_EXPECTED =
    "a duration of 0d (keep forever) or at least 3d: Thanos downsamples raw blocks to 5m only once they span 40h, which happens when the compactor merges them into 2-day blocks; a shorter raw retention deletes raw data before it is downsampled";
export const RETENTION_5M_EXPECTED =
    "a duration of 0d (keep forever) or at least 15d: Thanos downsamples 5m blocks to 1h only once they span 10 days, which happens when the compactor merges them into 14-day blocks; a shorter 5m retention deletes 5m data before it is downsampled";
export const RETENTION_1H_EXPECTED = "a duration of 0d (keep forever) or at least as long as the 5m retention: the 1h resolution is the one that serves the longest ranges";

/**
 * Validates compactor retentions so that no resolution is deleted before the next one has been
 * produced from it. Zero means "keep forever" (Thanos' own convention).
 */
export function retentionProblems(retention: { raw: string; fiveMinutes: string; oneHour: string }, fieldPrefix = "thanos.compactor."): Problem[] {
    const problems: Problem[] = [];
    const raw = parseDuration(retention.raw);
    const five = parseDuration(retention.fiveMinutes);
    const hour = parseDuration(retention.oneHour);
    if (raw === undefined || (raw !== 0 && raw < MIN_RAW_RETENTION_MS)) {
        problems.push({ field: `${fieldPrefix}retentionRaw`, expected: RETENTION_RAW_EXPECTED, found: retention.raw });
    }
    if (five === undefined || (five !== 0 && five < MIN_5M_RETENTION_MS)) {
        problems.push({ field: `${fieldPrefix}retention5m`, expected: RETENTION_5M_EXPECTED, found: retention.fiveMinutes });
    }
    if (hour === undefined || (hour !== 0 && five !== undefined && (five === 0 || hour < five))) {
        problems.push({ field: `${fieldPrefix}retention1h`, expected: RETENTION_1H_EXPECTED, found: retention.oneHour });
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------
// Settings with defaults

/** CPU/memory requests and limits of one container. */
export interface Resources {
    cpuRequest: string;
    memoryRequest: string;
    cpuLimit: string;
    memoryLimit: string;
}

/** Partial resources as args give them. */
export interface ResourcesInput {
    cpuRequest?: string;
    memoryRequest?: string;
    cpuLimit?: string;
    memoryLimit?: string;
}

/** Every setting of ThanosFederation after defaults (plain data). */
export interface FederationSettings {
    clusterId: string;
    environment: string;
    production: boolean;
    bucketName: string;
    bucketRegion: string;
    storageClassName?: string;
    createNamespace: boolean;
    prometheus: { retention: string; storageSize: string; replicas: number; resources: Resources };
    alertmanager: { replicas: number; storageSize: string };
    grafana: { storageSize: string };
    query: { replicas: number; responseTimeout: string; resources: Resources };
    store: { indexCacheSizeMb: number; storageSize: string; resources: Resources };
    compactor: { retentionRaw: string; retention5m: string; retention1h: string; storageSize: string; resources: Resources };
    ruler: { replicas: number; storageSize: string; evaluationInterval: string; ruleConfigMaps: string[]; resources: Resources };
    queryFrontend: { enabled: boolean; replicas: number; cacheSizeMb: number; resources: Resources };
    federation: { mode: string; match: string[]; groups: number; resources: Resources };
    deletionProtection: boolean;
    tags: Record<string, string>;
}

/** The args ThanosFederation accepts, as plain data (mirrors ThanosFederationArgs minus Inputs). */
export interface SettingsInput {
    clusterId: string;
    environment: string;
    prefix: string;
    bucketName?: string;
    bucketRegion: string;
    storageClassName?: string;
    createNamespace?: boolean;
    prometheus?: { retention?: string; storageSize?: string; replicas?: number; resources?: ResourcesInput };
    alertmanager?: { replicas?: number; storageSize?: string };
    grafana?: { storageSize?: string };
    thanos?: {
        query?: { replicas?: number; responseTimeout?: string; resources?: ResourcesInput };
        store?: { indexCacheSizeMb?: number; storageSize?: string; resources?: ResourcesInput };
        compactor?: { retentionRaw?: string; retention5m?: string; retention1h?: string; storageSize?: string; resources?: ResourcesInput };
        ruler?: { replicas?: number; storageSize?: string; evaluationInterval?: string; ruleConfigMaps?: string[]; resources?: ResourcesInput };
        queryFrontend?: { enabled?: boolean; replicas?: number; cacheSizeMb?: number; resources?: ResourcesInput };
    };
    federationMode?: string;
    federationMatch?: string[];
    federationGroups?: number;
    federationResources?: ResourcesInput;
    deletionProtection?: boolean;
    tags?: Record<string, string>;
}

function resources(defaults: Resources, given?: ResourcesInput): Resources {
    return {
        cpuRequest: given?.cpuRequest ?? defaults.cpuRequest,
        memoryRequest: given?.memoryRequest ?? defaults.memoryRequest,
        cpuLimit: given?.cpuLimit ?? defaults.cpuLimit,
        memoryLimit: given?.memoryLimit ?? defaults.memoryLimit,
    };
}

/** Default bucket name: `<prefix>-<env>-prometheus-metrics`. */
export function defaultBucketName(prefix: string, environment: string): string {
    return `${prefix}-${environment}-prometheus-metrics`;
}

/** Applies defaults; production (`environment === "prod"`) gets HA replica counts. */
export function settingsWithDefaults(a: SettingsInput): FederationSettings {
    const production = a.environment === "prod";
    const ha = production ? 2 : 1;
    return {
        clusterId: a.clusterId,
        environment: a.environment,
        production,
        bucketName: a.bucketName ?? defaultBucketName(a.prefix, a.environment),
        bucketRegion: a.bucketRegion,
        storageClassName: a.storageClassName,
        createNamespace: a.createNamespace ?? true,
        prometheus: {
            retention: a.prometheus?.retention ?? "7d",
            storageSize: a.prometheus?.storageSize ?? "100Gi",
            replicas: a.prometheus?.replicas ?? ha,
            resources: resources({ cpuRequest: "500m", memoryRequest: "2Gi", cpuLimit: "2", memoryLimit: "4Gi" }, a.prometheus?.resources),
        },
        alertmanager: { replicas: a.alertmanager?.replicas ?? (production ? 3 : 1), storageSize: a.alertmanager?.storageSize ?? "5Gi" },
        grafana: { storageSize: a.grafana?.storageSize ?? "10Gi" },
        query: {
            replicas: a.thanos?.query?.replicas ?? ha,
            responseTimeout: a.thanos?.query?.responseTimeout ?? "30s",
            resources: resources({ cpuRequest: "250m", memoryRequest: "512Mi", cpuLimit: "1", memoryLimit: "2Gi" }, a.thanos?.query?.resources),
        },
        store: {
            indexCacheSizeMb: a.thanos?.store?.indexCacheSizeMb ?? 512,
            storageSize: a.thanos?.store?.storageSize ?? "20Gi",
            resources: resources({ cpuRequest: "250m", memoryRequest: "1Gi", cpuLimit: "1", memoryLimit: "3Gi" }, a.thanos?.store?.resources),
        },
        compactor: {
            retentionRaw: a.thanos?.compactor?.retentionRaw ?? "30d",
            retention5m: a.thanos?.compactor?.retention5m ?? "90d",
            retention1h: a.thanos?.compactor?.retention1h ?? "1y",
            storageSize: a.thanos?.compactor?.storageSize ?? "100Gi",
            resources: resources({ cpuRequest: "250m", memoryRequest: "1Gi", cpuLimit: "1", memoryLimit: "4Gi" }, a.thanos?.compactor?.resources),
        },
        ruler: {
            replicas: a.thanos?.ruler?.replicas ?? ha,
            storageSize: a.thanos?.ruler?.storageSize ?? "10Gi",
            evaluationInterval: a.thanos?.ruler?.evaluationInterval ?? "1m",
            ruleConfigMaps: a.thanos?.ruler?.ruleConfigMaps ?? [],
            resources: resources({ cpuRequest: "100m", memoryRequest: "256Mi", cpuLimit: "500m", memoryLimit: "1Gi" }, a.thanos?.ruler?.resources),
        },
        queryFrontend: {
            enabled: a.thanos?.queryFrontend?.enabled ?? false,
            replicas: a.thanos?.queryFrontend?.replicas ?? ha,
            cacheSizeMb: a.thanos?.queryFrontend?.cacheSizeMb ?? 256,
            resources: resources({ cpuRequest: "100m", memoryRequest: "256Mi", cpuLimit: "500m", memoryLimit: "1Gi" }, a.thanos?.queryFrontend?.resources),
        },
        federation: {
            mode: a.federationMode ?? "thanos",
            match: a.federationMatch ?? [...DEFAULT_FEDERATION_MATCH],
            groups: a.federationGroups ?? 0,
            resources: resources({ cpuRequest: "500m", memoryRequest: "2Gi", cpuLimit: "2", memoryLimit: "4Gi" }, a.federationResources),
        },
        deletionProtection: a.deletionProtection ?? false,
        tags: a.tags ?? {},
    };
}

// ---------------------------------------------------------------------------------------------
// Validation

const SLUG = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CLUSTER_ID = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const CPU = /^(\d+(\.\d+)?|\d+m)$/;
const SELECTOR = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?(\{.*\})?$/;

/** S3 bucket naming rules (no dots: they break TLS for virtual-hosted-style requests). */
export function isValidBucketName(name: string): boolean {
    return typeof name === "string" && name.length >= 3 && name.length <= 63 && /^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(name) && !name.startsWith("xn--") && !name.endsWith("-s3alias");
}

function integerIn(value: unknown, min: number, max: number): boolean {
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

function checkResources(field: string, r: Resources, problems: Problem[]): void {
    for (const key of ["cpuRequest", "cpuLimit"] as const) {
        if (!CPU.test(r[key])) problems.push({ field: `${field}.${key}`, expected: "a CPU quantity such as 500m or 2", found: r[key] });
    }
    for (const key of ["memoryRequest", "memoryLimit"] as const) {
        if (!QUANTITY.test(r[key])) problems.push({ field: `${field}.${key}`, expected: "a memory quantity such as 512Mi or 4Gi", found: r[key] });
    }
}

/** Every problem with the settings; empty when they are valid. `field`s name the args fields. */
export function validateSettings(input: SettingsInput, s: FederationSettings): Problem[] {
    const problems: Problem[] = [];
    const push = (field: string, expected: string, found: unknown) => problems.push({ field, expected, found });

    if (typeof s.clusterId !== "string" || !CLUSTER_ID.test(s.clusterId)) {
        push("clusterId", "a cluster id of 1-63 letters, digits, '.', '_' or '-' (starting and ending with a letter or digit)", s.clusterId);
    }
    if (typeof s.environment !== "string" || !SLUG.test(s.environment)) push("environment", "a lowercase name such as dev or prod", s.environment);
    if (input.bucketName === undefined && (typeof input.prefix !== "string" || !SLUG.test(input.prefix))) {
        push("prefix", "a lowercase name prefix such as cloud", input.prefix);
    }
    if (!isValidBucketName(s.bucketName)) {
        push(input.bucketName === undefined ? "prefix" : "bucketName", "an S3 bucket name of 3-63 lowercase letters, digits or '-' (no dots)", s.bucketName);
    }
    if (typeof s.bucketRegion !== "string" || !REGION.test(s.bucketRegion)) push("bucketRegion", "an AWS region such as eu-west-1", s.bucketRegion);
    if (s.storageClassName !== undefined && !K8S_NAME.test(s.storageClassName)) push("storageClassName", "a Kubernetes StorageClass name such as gp3", s.storageClassName);

    const prom = parseDuration(s.prometheus.retention);
    if (prom === undefined || prom < 2 * HOUR) {
        push("prometheus.retention", "a duration of at least 2h such as 7d (the sidecar uploads 2h blocks; Prometheus keeps them this long locally)", s.prometheus.retention);
    }
    const sizes: [string, string][] = [
        ["prometheus.storageSize", s.prometheus.storageSize],
        ["alertmanager.storageSize", s.alertmanager.storageSize],
        ["grafana.storageSize", s.grafana.storageSize],
        ["thanos.store.storageSize", s.store.storageSize],
        ["thanos.compactor.storageSize", s.compactor.storageSize],
        ["thanos.ruler.storageSize", s.ruler.storageSize],
    ];
    for (const [field, value] of sizes) if (typeof value !== "string" || !QUANTITY.test(value)) push(field, "a storage size such as 50Gi", value);

    const replicas: [string, number, number][] = [
        ["prometheus.replicas", s.prometheus.replicas, 10],
        ["alertmanager.replicas", s.alertmanager.replicas, 5],
        ["thanos.query.replicas", s.query.replicas, 10],
        ["thanos.ruler.replicas", s.ruler.replicas, 5],
        ["thanos.queryFrontend.replicas", s.queryFrontend.replicas, 10],
    ];
    for (const [field, value, max] of replicas) if (!integerIn(value, 1, max)) push(field, `a whole number of replicas from 1 to ${max}`, value);

    const timeout = parseDuration(s.query.responseTimeout);
    if (timeout === undefined || timeout <= 0) push("thanos.query.responseTimeout", "a positive duration such as 30s", s.query.responseTimeout);
    const evalInterval = parseDuration(s.ruler.evaluationInterval);
    if (evalInterval === undefined || evalInterval < 10e3) push("thanos.ruler.evaluationInterval", "a duration of at least 10s such as 1m", s.ruler.evaluationInterval);
    if (!integerIn(s.store.indexCacheSizeMb, 64, 65536)) push("thanos.store.indexCacheSizeMb", "a whole number of megabytes from 64 to 65536", s.store.indexCacheSizeMb);
    if (!integerIn(s.queryFrontend.cacheSizeMb, 16, 65536)) push("thanos.queryFrontend.cacheSizeMb", "a whole number of megabytes from 16 to 65536", s.queryFrontend.cacheSizeMb);
    s.ruler.ruleConfigMaps.forEach((n, i) => {
        if (typeof n !== "string" || !K8S_NAME.test(n) || n.length > 63) push(`thanos.ruler.ruleConfigMaps[${i}]`, "a ConfigMap name (lowercase letters, digits, '-')", n);
    });

    problems.push(...retentionProblems({ raw: s.compactor.retentionRaw, fiveMinutes: s.compactor.retention5m, oneHour: s.compactor.retention1h }));

    if (!(FEDERATION_MODES as readonly string[]).includes(s.federation.mode)) {
        push("federationMode", `one of ${FEDERATION_MODES.map((m) => JSON.stringify(m)).join(", ")}`, s.federation.mode);
    }
    if (!Array.isArray(s.federation.match) || s.federation.match.length === 0) {
        push("federationMatch", "a list of at least one series selector such as {job=\"prometheus\"}", s.federation.match);
    } else {
        s.federation.match.forEach((m, i) => {
            if (typeof m !== "string" || m.trim() === "" || !SELECTOR.test(m)) push(`federationMatch[${i}]`, 'a series selector such as {job="prometheus"} or {__name__=~"job:.*"}', m);
        });
    }
    if (!integerIn(s.federation.groups, 0, 64)) push("federationGroups", "a whole number of group federators from 0 (flat) to 64", s.federation.groups);

    checkResources("prometheus.resources", s.prometheus.resources, problems);
    checkResources("thanos.query.resources", s.query.resources, problems);
    checkResources("thanos.store.resources", s.store.resources, problems);
    checkResources("thanos.compactor.resources", s.compactor.resources, problems);
    checkResources("thanos.ruler.resources", s.ruler.resources, problems);
    checkResources("thanos.queryFrontend.resources", s.queryFrontend.resources, problems);
    checkResources("federationResources", s.federation.resources, problems);
    for (const [k, v] of Object.entries(s.tags)) if (typeof v !== "string") push(`tags.${k}`, "a string tag value", v);
    return problems;
}

// ---------------------------------------------------------------------------------------------
// Identity: exactly the service accounts that touch the bucket, each with exactly its actions

/** One IRSA identity: a service account and the bucket/key actions it needs. */
export interface BucketIdentity {
    /** Role key (child name suffix). */
    role: string;
    serviceAccount: string;
    /** Object-level actions on `<bucket>/*`. */
    objectActions: string[];
    /** Bucket-level actions on the bucket. */
    bucketActions: string[];
    /** Actions on the metrics KMS key. */
    kmsActions: string[];
}

/**
 * The four service accounts that read or write the metrics bucket:
 * - Prometheus' Thanos sidecar uploads 2h blocks (write, no delete);
 * - the Store Gateway only reads;
 * - the Compactor reads, writes compacted/downsampled blocks and deletes (retention, deletion marks);
 * - the Ruler uploads the blocks of its own TSDB (write, no delete).
 * Writers may abort their own failed multipart uploads. KMS: writers encrypt (GenerateDataKey)
 * and read (Decrypt, also needed to complete multipart uploads); the reader only decrypts.
 */
export function bucketIdentities(): BucketIdentity[] {
    const write = ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"];
    return [
        { role: "prometheus", serviceAccount: names.kpsPrometheusServiceAccount, objectActions: write, bucketActions: ["s3:ListBucket"], kmsActions: ["kms:Decrypt", "kms:GenerateDataKey"] },
        { role: "store", serviceAccount: names.store, objectActions: ["s3:GetObject"], bucketActions: ["s3:ListBucket"], kmsActions: ["kms:Decrypt"] },
        {
            role: "compactor",
            serviceAccount: names.compactor,
            objectActions: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
            bucketActions: ["s3:ListBucket"],
            kmsActions: ["kms:Decrypt", "kms:GenerateDataKey"],
        },
        { role: "ruler", serviceAccount: names.ruler, objectActions: write, bucketActions: ["s3:ListBucket"], kmsActions: ["kms:Decrypt", "kms:GenerateDataKey"] },
    ];
}

/** The inline policy of one identity on exactly this bucket and key. */
export function bucketAccessPolicy(identity: BucketIdentity, bucketArn: string, kmsKeyArn: string): PolicyDocument {
    return policyDocument([
        { Sid: "ListMetricsBucket", Effect: "Allow", Action: identity.bucketActions, Resource: bucketArn },
        { Sid: "MetricsObjects", Effect: "Allow", Action: identity.objectActions, Resource: `${bucketArn}/*` },
        { Sid: "MetricsKey", Effect: "Allow", Action: identity.kmsActions, Resource: kmsKeyArn },
    ]);
}

/** The bucket policy: refuse every request not sent over TLS. */
export function metricsBucketPolicy(bucketArn: string): PolicyDocument {
    return policyDocument([denyInsecureTransport([bucketArn, `${bucketArn}/*`])]);
}

/** Days after which incomplete multipart uploads (failed block uploads) are aborted. */
export const ABORT_INCOMPLETE_MULTIPART_DAYS = 7;
