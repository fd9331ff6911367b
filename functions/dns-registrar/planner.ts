// The registrar's pure core: Route 53 record sets (the ListResourceRecordSets shape) in, the
// target lists and rendered files out. No I/O, no clock, no AWS or Kubernetes imports: the Lambda,
// the CLI and the tests all call these functions.
import { DEFAULT_GRPC_PORT, DEFAULT_PROMETHEUS_PORT, DEFAULT_QUERY_HTTP_PORT, FileSdGroup, NAME_PATTERNS, parseFileSd, parseThanosEndpointConfig, renderFileSd, renderThanosEndpointConfig } from "./contract";

/** The fields of a Route 53 ResourceRecordSet the planner reads (a subset of the SDK's type). */
export interface RecordSet {
    Name?: string;
    Type?: string;
    SetIdentifier?: string;
    TTL?: number;
    ResourceRecords?: { Value?: string }[];
    AliasTarget?: { DNSName?: string; HostedZoneId?: string; EvaluateTargetHealth?: boolean };
}

/** One entry of a target file: the target and its labels (empty for Thanos endpoints). */
export interface TargetEntry {
    target: string;
    labels: Record<string, string>;
}

/** A name the planner did not turn into a target, and why. */
export interface SkippedName {
    /** The normalized name (lowercase, no trailing dot, escapes decoded). */
    name: string;
    type: string;
    /** Which file the name was considered for. */
    role: Role;
    reason: string;
}

export type Role = "thanos" | "prometheus" | "installations";

/** Everything that decides what the registrar writes. Zones are DNS names (with or without trailing dot). */
export interface PlanOptions {
    /** Zone whose `<pattern>.<zone>` records are Thanos Query endpoints; undefined: no Thanos endpoints. */
    thanosZone?: string;
    /** Zone whose records are federation targets; undefined: only the C&C's own Prometheus. */
    prometheusZone?: string;
    /** Zone whose records are Mattermost installations to probe; undefined: no probes. */
    installationsZone?: string;
    /** Relative name pattern for Thanos endpoints; `{id}` stands for the cluster ID. */
    thanosPattern: string;
    /** Relative name pattern for federation targets; `{id}` stands for the cluster ID. */
    prometheusPattern: string;
    /** Relative name pattern for installations; `{id}` stands for the installation name. */
    installationsPattern: string;
    /**
     * Relative name pattern, in the Thanos zone, of each workload cluster's leaf Thanos Query HTTP
     * name (upstream mattermost-cloud: `<clusterID>.thanos.<private domain>`, the leaf Query's
     * ingress); `{id}` stands for the cluster ID. Names the Thanos pattern matches are never HTTP names.
     */
    queryPattern: string;
    /** Port of each workload cluster's Thanos Query gRPC endpoint. */
    grpcPort: number;
    /** Port of each workload cluster's leaf Thanos Query HTTP `/metrics` (its ingress). */
    queryHttpPort: number;
    /** Port of each workload cluster's Prometheus (`/federate`). */
    prometheusPort: number;
    /** Record types that register a name (others are skipped with a reason). */
    recordTypes: string[];
    /** Cluster IDs, installation names or FQDNs never to register. */
    exclusions: string[];
    /** The C&C's own Prometheus as a federation target (`host:port`); empty: none. */
    selfPrometheusTarget: string;
    /**
     * The C&C's in-cluster StoreAPI endpoints (its Prometheus sidecars, Store Gateway, Ruler), kept
     * in the Thanos endpoint file next to the workload clusters: Thanos Query reads every endpoint
     * from that one file (`--endpoint.sd-config-file`) instead of the deprecated `--endpoint` flag.
     */
    thanosStaticEndpoints: string[];
    /** The clusterID label of the C&C's own Prometheus. */
    selfClusterId: string;
    /** URL scheme of installation probes. */
    probeScheme: string;
    /** URL path of installation probes. */
    probePath: string;
}

export const DEFAULT_PLAN_OPTIONS: Readonly<PlanOptions> = {
    thanosPattern: NAME_PATTERNS.thanos,
    prometheusPattern: NAME_PATTERNS.prometheus,
    installationsPattern: NAME_PATTERNS.installations,
    queryPattern: NAME_PATTERNS.query,
    grpcPort: DEFAULT_GRPC_PORT,
    queryHttpPort: DEFAULT_QUERY_HTTP_PORT,
    prometheusPort: DEFAULT_PROMETHEUS_PORT,
    recordTypes: ["A", "AAAA", "CNAME"],
    exclusions: [],
    selfPrometheusTarget: "prometheus-operated.monitoring.svc:9090",
    thanosStaticEndpoints: [],
    selfClusterId: "command-control",
    probeScheme: "https",
    probePath: "/api/v4/system/ping",
};

/** Per file: the entries derived from the zone, and the static ones (the C&C's own endpoints). */
export interface FilePlan {
    zoneEntries: TargetEntry[];
    staticEntries: TargetEntry[];
}

export interface Plan {
    thanos: FilePlan;
    prometheus: FilePlan;
    probes: FilePlan;
    /** The leaf Thanos Query HTTP targets (file_sd, label `registered_cluster`) from the Thanos zone. */
    queries: FilePlan;
    skipped: SkippedName[];
    /** Record sets looked at (all roles, before de-duplication). */
    recordsSeen: number;
}

/** The rendered files, keyed by file. */
export interface PlanFiles {
    thanos: string;
    prometheus: string;
    probes: string;
    queries: string;
}

export type FileKind = keyof PlanFiles;
export const FILE_KINDS: readonly FileKind[] = ["thanos", "prometheus", "probes", "queries"];

/**
 * The role (zone) a file is derived from. The Thanos zone gives two files: the gRPC endpoints
 * (`<id>-grpc`) for the central Query and the leaf Query HTTP targets (`<id>`) for the C&C
 * Prometheus, from one listing.
 */
export const FILE_ROLE: Readonly<Record<FileKind, Role>> = { thanos: "thanos", prometheus: "prometheus", probes: "installations", queries: "thanos" };

/** The zone roles, each once (one listing and one set of skipped names per role). */
export const ROLES: readonly Role[] = [...new Set(FILE_KINDS.map((k) => FILE_ROLE[k]))];

/**
 * The label naming a registered cluster in the leaf Query HTTP targets. Not `clusterID`: Thanos
 * stores overwrite series labels with their external labels (labelpb.ExtendSortedLabels), so a
 * `clusterID` target label on a series the C&C Prometheus scrapes reads back through Query as the
 * C&C's own clusterID.
 */
export const REGISTERED_CLUSTER_LABEL = "registered_cluster";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const ID_RE = new RegExp(`^${LABEL}$`);

/**
 * A DNS name as the planner compares it: Route 53's `\ooo` octal escapes decoded (`\052` is `*`),
 * lowercase, no trailing dot.
 */
export function normalizeName(raw: string): string {
    return raw
        .replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
        .toLowerCase()
        .replace(/\.+$/, "");
}

/** Problems with a relative name pattern, or [] when it is usable. */
export function patternProblems(pattern: string): string[] {
    const problems: string[] = [];
    const count = pattern.split("{id}").length - 1;
    if (count !== 1) problems.push("exactly one {id} placeholder");
    const literal = pattern.replace("{id}", "x");
    if (!/^[a-z0-9.-]+$/.test(literal) || literal.startsWith(".") || literal.endsWith(".") || literal.includes("..")) {
        problems.push("lowercase DNS label characters and dots around {id}");
    }
    return problems;
}

/** Compiles a relative name pattern to a regular expression whose group 1 is the ID. */
export function compilePattern(pattern: string): RegExp {
    const problems = patternProblems(pattern);
    if (problems.length > 0) throw new Error(`invalid name pattern ${JSON.stringify(pattern)}: expected ${problems.join(" and ")}`);
    const [before, after] = pattern.split("{id}");
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`^${esc(before)}(${LABEL})${esc(after)}$`);
}

interface Match {
    fqdn: string;
    id: string;
}

/**
 * The names of one role: the records of `zone` whose relative name matches `pattern`,
 * de-duplicated, sorted by FQDN; every other name is reported in `skipped` with a reason.
 */
export function matchRole(
    role: Role,
    records: readonly RecordSet[],
    zone: string,
    pattern: string,
    options: Pick<PlanOptions, "recordTypes" | "exclusions">,
    skipped: SkippedName[],
    claimed?: (relative: string) => boolean,
): Match[] {
    const zoneName = normalizeName(zone);
    const re = compilePattern(pattern);
    const types = new Set(options.recordTypes.map((t) => t.toUpperCase()));
    const excluded = new Set(options.exclusions.map(normalizeName));
    const found = new Map<string, Match>();
    const seenSkips = new Set<string>();
    const skip = (name: string, type: string, reason: string) => {
        const key = `${name}\u0000${type}\u0000${reason}`;
        if (seenSkips.has(key)) return;
        seenSkips.add(key);
        skipped.push({ name, type, role, reason });
    };
    for (const record of records) {
        const name = normalizeName(record.Name ?? "");
        const type = (record.Type ?? "").toUpperCase();
        if (name === "") {
            skip(name, type, "record set without a name");
            continue;
        }
        if (name !== zoneName && !name.endsWith("." + zoneName)) {
            skip(name, type, `not in zone ${zoneName}`);
            continue;
        }
        if (!types.has(type)) {
            skip(name, type, `record type ${type || "(none)"} is not one of ${[...types].join(", ")}`);
            continue;
        }
        if (name === zoneName) {
            skip(name, type, "zone apex");
            continue;
        }
        const relative = name.slice(0, name.length - zoneName.length - 1);
        if (relative.split(".").includes("*")) {
            skip(name, type, "wildcard name");
            continue;
        }
        if (claimed?.(relative)) {
            // Same zone as the Thanos role and matches its pattern: a Thanos endpoint, not a Prometheus.
            continue;
        }
        const m = re.exec(relative);
        if (!m) {
            skip(name, type, `does not match ${pattern}.${zoneName}${relative.includes("_") ? " (underscore names are never cluster names)" : ""}`);
            continue;
        }
        const id = m[1];
        if (!ID_RE.test(id)) {
            skip(name, type, `${JSON.stringify(id)} is not a DNS label`);
            continue;
        }
        if (excluded.has(id) || excluded.has(name)) {
            skip(name, type, "excluded");
            continue;
        }
        found.set(name, { fqdn: name, id });
    }
    return [...found.values()].sort((a, b) => cmp(a.fqdn, b.fqdn));
}

function cmp(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Records per role (the listing of each role's zone; the CLI passes one dump for all). */
export interface RoleRecords {
    thanos: readonly RecordSet[];
    prometheus: readonly RecordSet[];
    installations: readonly RecordSet[];
}

/** Plans the four files from the records of each role's zone. Deterministic: sorted, de-duplicated. */
export function planTargets(records: RoleRecords, options: PlanOptions): Plan {
    const skipped: SkippedName[] = [];
    // A zone watched for several roles is one listing (the same array): count its records once.
    const listings = new Set<readonly RecordSet[]>();
    if (options.thanosZone !== undefined) listings.add(records.thanos);
    if (options.prometheusZone !== undefined) listings.add(records.prometheus);
    if (options.installationsZone !== undefined) listings.add(records.installations);
    const recordsSeen = [...listings].reduce((n, l) => n + l.length, 0);

    let thanosZoneEntries: TargetEntry[] = [];
    let queryZoneEntries: TargetEntry[] = [];
    if (options.thanosZone !== undefined) {
        // One listing, two patterns: a name the Thanos (gRPC) pattern matches is an endpoint only;
        // a name only the query pattern matches is a leaf Query HTTP name, not skipped by the Thanos role.
        const thanosRe = compilePattern(options.thanosPattern);
        const queryRe = compilePattern(options.queryPattern);
        thanosZoneEntries = matchRole("thanos", records.thanos, options.thanosZone, options.thanosPattern, options, skipped, (relative) => !thanosRe.test(relative) && queryRe.test(relative)).map(
            (m) => ({ target: `${m.fqdn}:${options.grpcPort}`, labels: {} }),
        );
        const querySkipped: SkippedName[] = [];
        queryZoneEntries = matchRole("thanos", records.thanos, options.thanosZone, options.queryPattern, options, querySkipped, (relative) => thanosRe.test(relative)).map((m) => ({
            target: `${m.fqdn}:${options.queryHttpPort}`,
            labels: { [REGISTERED_CLUSTER_LABEL]: m.id },
        }));
        // A name both patterns refuse is reported once (by the Thanos pattern, above); what only the
        // query pattern refused (an excluded ID, an ID that is not a DNS label) is reported too.
        const seen = new Set(skipped.filter((s) => s.role === "thanos").map((s) => `${s.name}\u0000${s.type}`));
        skipped.push(...querySkipped.filter((s) => !seen.has(`${s.name}\u0000${s.type}`)).map((s) => ({ ...s, reason: `leaf Query HTTP name: ${s.reason}` })));
    }

    let prometheusZoneEntries: TargetEntry[] = [];
    if (options.prometheusZone !== undefined) {
        const sameZone = options.thanosZone !== undefined && normalizeName(options.thanosZone) === normalizeName(options.prometheusZone);
        const thanosRe = sameZone ? compilePattern(options.thanosPattern) : undefined;
        prometheusZoneEntries = matchRole(
            "prometheus",
            records.prometheus,
            options.prometheusZone,
            options.prometheusPattern,
            options,
            skipped,
            thanosRe ? (relative) => thanosRe.test(relative) : undefined,
        ).map((m) => ({ target: `${m.fqdn}:${options.prometheusPort}`, labels: { clusterID: m.id } }));
    }
    const staticPrometheus: TargetEntry[] = options.selfPrometheusTarget
        ? [{ target: options.selfPrometheusTarget, labels: { clusterID: options.selfClusterId } }]
        : [];

    let probeEntries: TargetEntry[] = [];
    if (options.installationsZone !== undefined) {
        probeEntries = matchRole("installations", records.installations, options.installationsZone, options.installationsPattern, options, skipped).map((m) => ({
            target: `${options.probeScheme}://${m.fqdn}${options.probePath}`,
            labels: { installation: m.id },
        }));
    }

    return {
        thanos: { zoneEntries: thanosZoneEntries, staticEntries: options.thanosStaticEndpoints.map((target) => ({ target, labels: {} })) },
        prometheus: { zoneEntries: prometheusZoneEntries, staticEntries: staticPrometheus },
        probes: { zoneEntries: probeEntries, staticEntries: [] },
        queries: { zoneEntries: queryZoneEntries, staticEntries: [] },
        skipped: skipped.sort((a, b) => cmp(a.role, b.role) || cmp(a.name, b.name) || cmp(a.type, b.type) || cmp(a.reason, b.reason)),
        recordsSeen,
    };
}

/** All entries of a file plan (zone-derived and static), merged by target. */
export function fileEntries(file: FilePlan): TargetEntry[] {
    return mergeEntries(file.staticEntries, file.zoneEntries);
}

/** Entries merged by target (later lists win on labels), sorted by target. */
export function mergeEntries(...lists: TargetEntry[][]): TargetEntry[] {
    const byTarget = new Map<string, TargetEntry>();
    for (const list of lists) for (const e of list) byTarget.set(e.target, { target: e.target, labels: { ...e.labels } });
    return [...byTarget.values()].sort((a, b) => cmp(a.target, b.target));
}

/** Renders one file from its entries, in the format its consumer reads (contract.ts). */
export function renderFile(kind: FileKind, entries: TargetEntry[]): string {
    if (kind === "thanos") return renderThanosEndpointConfig(entries.map((e) => e.target));
    return renderFileSd(entries.map((e) => ({ targets: [e.target], labels: e.labels })));
}

/** Parses one file back into entries, or undefined when the text is not a valid file of its kind. */
export function parseFile(kind: FileKind, text: string): TargetEntry[] | undefined {
    if (kind === "thanos") {
        const addresses = parseThanosEndpointConfig(text);
        return addresses === undefined ? undefined : mergeEntries(addresses.map((target) => ({ target, labels: {} })));
    }
    const groups = parseFileSd(text);
    if (groups === undefined) return undefined;
    return mergeEntries(groups.flatMap((g) => g.targets.map((target) => ({ target, labels: g.labels }))));
}

/** The four rendered files of a plan. */
export function renderPlan(plan: Plan): PlanFiles {
    return {
        thanos: renderFile("thanos", fileEntries(plan.thanos)),
        prometheus: renderFile("prometheus", fileEntries(plan.prometheus)),
        probes: renderFile("probes", fileEntries(plan.probes)),
        queries: renderFile("queries", fileEntries(plan.queries)),
    };
}

/** The file_sd groups of a file plan (what the CLI prints). */
export function fileSdGroups(file: FilePlan): FileSdGroup[] {
    return JSON.parse(renderFile("prometheus", fileEntries(file))) as FileSdGroup[];
}
