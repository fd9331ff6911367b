// ThanosFederation's rule book: the one definition of its plain-data args (rules, messages,
// defaults, profile-dependent defaults). The component parses its args with it; the stack's
// `cloud-cnc:monitoring` config section is this schema without the keys the composition supplies.
import * as YAML from "yaml";
import { z } from "zod";
import { Problem } from "../common/errors";
import {
    containerResources,
    awsRegion,
    bucketName,
    duration,
    environmentName,
    intIn,
    isBucketName,
    k8sName,
    namePrefix,
    oidcProviderArn,
    parseDuration,
    format,
    httpsUrl,
    idpGroup,
    matches,
    quantity,
    replicas,
    tags,
} from "../common/formats";
import { ProfileDefaults, addIssue, allRules, input, profileSchema, withDefaults } from "../common/schema";

/** The two federation modes of the original system. */
export const FEDERATION_MODES = ["thanos", "prometheus-federation"] as const;

/** The default `match[]` selectors of the original federate job. */
export const DEFAULT_FEDERATION_MATCH = ['{job="prometheus"}', '{__name__=~"job:.*"}'];

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
// Field formats of this component

const CLUSTER_ID_RE = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const SELECTOR_RE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?(\{.*\})?$/;
const SELECTOR_EXPECTED = 'a series selector such as {job="prometheus"} or {__name__=~"job:.*"}';
const PROMETHEUS_RETENTION_EXPECTED = "a duration of at least 2h such as 7d (the sidecar uploads 2h blocks; Prometheus keeps them this long locally)";

/** CPU and memory requests and limits of one container (Kubernetes quantities). */
export interface Resources {
    cpuRequest: string;
    memoryRequest: string;
    cpuLimit: string;
    memoryLimit: string;
}

const resourcesSchema = containerResources;

/** A Prometheus alert name (the chart's `defaultRules.disabled` keys). */
const ALERT_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The Ruler's own rule file (render.ts ruleGroups) in its rules ConfigMap. */
export const BUILTIN_RULE_FILE = "fleet-federation.yaml";
const RULE_FILE_NAME_RE = /^[a-z0-9]([a-z0-9-]{0,60}[a-z0-9])?\.yaml$/;
const RULE_FILE_EXPECTED = `a rule file name such as fleet-alerts.yaml (lowercase letters, digits and '-', ending .yaml; not ${BUILTIN_RULE_FILE})`;

/** YAML whose top level holds a `groups` list (what --rule-file loads). */
function isRuleFileYaml(text: string): boolean {
    try {
        const doc = YAML.parse(text) as { groups?: unknown } | null;
        return doc !== null && typeof doc === "object" && Array.isArray(doc.groups);
    } catch {
        return false;
    }
}

const storageSize = (d: string) => quantity(d).default(d);
const PROMETHEUS_RESOURCES = { cpuRequest: "500m", memoryRequest: "2Gi", cpuLimit: "2", memoryLimit: "4Gi" };

// ---------------------------------------------------------------------------------------------
// The args

/** Every arg of ThanosFederation: field rules, messages and plain defaults. */
/** Grafana: its volume, CloudWatch region and optional sign-in. */
export const grafanaSchemaShape = () => ({
    storageSize: storageSize("10Gi"),
    cloudWatchRegion: awsRegion().optional(),
});

/** Grafana's own sign-in (generic OAuth) against the IdP the ALB signs users in with; groups map to roles. */
export const grafanaSsoSchema = z
    .object({
        rootUrl: format("Grafana's public URL: https://<host>/ (with the trailing slash), such as https://grafana.apps.cnc.internal/", matches(/^https:\/\/[a-z0-9.-]+(:\d+)?\/$/)),
        issuer: httpsUrl(),
        authorizationEndpoint: httpsUrl(),
        tokenEndpoint: httpsUrl(),
        userInfoEndpoint: httpsUrl(),
        clientId: format("the OIDC client id registered at the IdP (1-255 printable characters)", matches(/^[\x21-\x7e]{1,255}$/)),
        scopes: format("space-separated OIDC scopes including openid, such as openid email profile groups", (v) => /^[\x21-\x7e]+( [\x21-\x7e]+)*$/.test(v) && v.split(" ").includes("openid")).default("openid email profile groups"),
        // A JMESPath of unquoted identifiers (letters, digits, '_'; dots for nested claims): '-' or ':' would need quoting.
        groupsAttributePath: format("a claim name, or a dotted path to a nested claim, of letters, digits and '_' such as groups or resource_access.grafana.roles", matches(/^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}$/)).default("groups"),
        adminGroups: z.array(idpGroup(), "a list of group names").min(1, "a list of at least one group (Grafana Admin)"),
        editorGroups: z.array(idpGroup(), "a list of group names").default([]),
        viewerGroups: z.array(idpGroup(), "a list of group names").default([]),
    })
    .strict();

export const grafanaSchema = z.object({ ...grafanaSchemaShape(), sso: grafanaSsoSchema.optional() }).strict();

export const GRAFANA_SSO_NEEDS_SECRET = "a pulumi secret with the OIDC client secret of grafana.sso.clientId (required with grafana.sso)";

export const thanosFederationArgsSchema = z
    .object({
        clusterId: z
            .string()
            .regex(CLUSTER_ID_RE, "a cluster id of 1-63 letters, digits, '.', '_' or '-' (starting and ending with a letter or digit)"),
        environment: environmentName(),
        prefix: namePrefix(),
        profile: profileSchema,
        bucketName: bucketName().optional(),
        bucketRegion: awsRegion(),
        oidcProviderArn: input(oidcProviderArn()),
        oidcProviderUrl: input(z.string().min(1, "the cluster's OIDC issuer URL such as https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE")),
        storageClassName: k8sName("a Kubernetes StorageClass name such as gp3").optional(),
        createNamespace: z.boolean().default(true),
        prometheus: z
            .object({
                retention: duration(PROMETHEUS_RETENTION_EXPECTED, 2 * HOUR).default("7d"),
                storageSize: storageSize("100Gi"),
                replicas: replicas(10).optional(),
                resources: resourcesSchema(PROMETHEUS_RESOURCES),
                configMaps: z
                    .array(k8sName("a ConfigMap name (lowercase letters, digits, '-')"))
                    .refine((list) => new Set(list).size === list.length, "a list of distinct ConfigMap names")
                    .default([]),
                disabledDefaultAlerts: z
                    .array(z.string().regex(ALERT_NAME_RE, "an alert name such as KubePodCrashLooping (letters, digits, '_')"))
                    .refine((list) => new Set(list).size === list.length, "a list of distinct alert names")
                    .default([]),
            })
            .strict()
            .prefault({}),
        alertmanager: z
            .object({ replicas: replicas(5).optional(), storageSize: storageSize("5Gi") })
            .strict()
            .prefault({}),
        alertWebhookUrl: input(z.string().min(1, "the Mattermost incoming webhook URL")).optional(),
        deadMansSwitchUrl: input(z.string().min(1, "the heartbeat URL of a dead man's switch service")).optional(),
        grafana: grafanaSchema.prefault({}),
        grafanaOidcClientSecret: input(z.string().min(1, "the OIDC client secret of grafana.sso.clientId (a pulumi secret)")).optional(),
        thanos: z
            .object({
                query: z
                    .object({
                        replicas: replicas(10).optional(),
                        responseTimeout: duration("a positive duration such as 30s", 1).default("30s"),
                        resources: resourcesSchema({ cpuRequest: "250m", memoryRequest: "512Mi", cpuLimit: "1", memoryLimit: "2Gi" }),
                    })
                    .strict()
                    .prefault({}),
                store: z
                    .object({
                        indexCacheSizeMb: intIn(64, 65536, "a whole number of megabytes from 64 to 65536").default(512),
                        storageSize: storageSize("20Gi"),
                        resources: resourcesSchema({ cpuRequest: "250m", memoryRequest: "1Gi", cpuLimit: "1", memoryLimit: "3Gi" }),
                    })
                    .strict()
                    .prefault({}),
                compactor: z
                    .object({
                        // The retention rule itself (per resolution and across them) is one
                        // superRefine below, with the messages that explain downsampling.
                        retentionRaw: z.string().default("30d"),
                        retention5m: z.string().default("90d"),
                        retention1h: z.string().default("1y"),
                        storageSize: storageSize("100Gi"),
                        resources: resourcesSchema({ cpuRequest: "250m", memoryRequest: "1Gi", cpuLimit: "1", memoryLimit: "4Gi" }),
                    })
                    .strict()
                    .prefault({}),
                ruler: z
                    .object({
                        replicas: replicas(5).optional(),
                        storageSize: storageSize("10Gi"),
                        evaluationInterval: duration("a duration of at least 10s such as 1m", 10e3).default("1m"),
                        ruleConfigMaps: z.array(k8sName("a ConfigMap name (lowercase letters, digits, '-')")).default([]),
                        metaAlerts: z.boolean().default(true),
                        ruleFiles: z
                            .record(
                                z.string().refine((f) => RULE_FILE_NAME_RE.test(f) && f !== BUILTIN_RULE_FILE, RULE_FILE_EXPECTED),
                                z.string("a rule file's YAML text").refine(isRuleFileYaml, "a Prometheus rule file: YAML with a groups list"),
                            )
                            .default({}),
                        resources: resourcesSchema({ cpuRequest: "100m", memoryRequest: "256Mi", cpuLimit: "500m", memoryLimit: "1Gi" }),
                    })
                    .strict()
                    .prefault({}),
                queryFrontend: z
                    .object({
                        enabled: z.boolean().default(false),
                        replicas: replicas(10).optional(),
                        cacheSizeMb: intIn(16, 65536, "a whole number of megabytes from 16 to 65536").default(256),
                        resources: resourcesSchema({ cpuRequest: "100m", memoryRequest: "256Mi", cpuLimit: "500m", memoryLimit: "1Gi" }),
                    })
                    .strict()
                    .prefault({}),
            })
            .strict()
            .prefault({}),
        federation: z
            .object({
                mode: z.enum(FEDERATION_MODES).default("thanos"),
                match: z
                    .array(z.string().refine((m) => m.trim() !== "" && SELECTOR_RE.test(m), SELECTOR_EXPECTED))
                    .min(1, 'a list of at least one series selector such as {job="prometheus"}')
                    .default([...DEFAULT_FEDERATION_MATCH]),
                groups: intIn(0, 64, "a whole number of group federators from 0 (flat) to 64").default(0),
                resources: resourcesSchema(PROMETHEUS_RESOURCES),
            })
            .strict()
            .prefault({}),
        deletionProtection: z.boolean().optional(),
        tags: tags().default({}),
    })
    .strict();

export type ThanosFederationArgsInput = z.input<typeof thanosFederationArgsSchema>;

export const DEAD_MANS_SWITCH_NEEDS_WEBHOOK =
    "the Mattermost webhook URL as well: the dead man's switch (deadMansSwitchUrl) is one route of the Alertmanager configuration that the webhook enables";

/** Rules across fields (run by the component and, on the keys it has, by the config section). */
export function thanosFederationRules(
    a: {
        thanos?: { compactor?: { retentionRaw?: string; retention5m?: string; retention1h?: string } };
        alertWebhookUrl?: unknown;
        deadMansSwitchUrl?: unknown;
        grafana?: { storageSize?: unknown; sso?: { adminGroups?: unknown; editorGroups?: unknown; viewerGroups?: unknown } };
        grafanaOidcClientSecret?: unknown;
    },
    ctx: z.RefinementCtx,
): void {
    const sso = a.grafana?.sso;
    if (sso !== undefined && a.grafanaOidcClientSecret === undefined) addIssue(ctx, ["grafanaOidcClientSecret"], GRAFANA_SSO_NEEDS_SECRET, undefined);
    if (sso === undefined && a.grafanaOidcClientSecret !== undefined) addIssue(ctx, ["grafanaOidcClientSecret"], "nothing without grafana.sso (it is the secret of Grafana's sign-in)", "a secret value (not shown)");
    if (sso && typeof sso === "object") {
        // One role per group: a group in two lists would get the higher role silently.
        const seen = new Map<string, string>();
        for (const list of ["adminGroups", "editorGroups", "viewerGroups"] as const) {
            const groups = sso[list];
            if (!Array.isArray(groups)) continue;
            groups.forEach((g, i) => {
                if (typeof g !== "string") return;
                if (seen.has(g)) addIssue(ctx, ["grafana", "sso", list, i], `a group not already in ${seen.get(g)} (one role per group)`, g);
                else seen.set(g, list);
            });
        }
    }
    if (a.deadMansSwitchUrl !== undefined && a.alertWebhookUrl === undefined) addIssue(ctx, ["alertWebhookUrl"], DEAD_MANS_SWITCH_NEEDS_WEBHOOK, undefined);
    const c = a.thanos?.compactor;
    if (!c || c.retentionRaw === undefined || c.retention5m === undefined || c.retention1h === undefined) return;
    for (const p of retentionProblems({ raw: c.retentionRaw, fiveMinutes: c.retention5m, oneHour: c.retention1h }, "")) {
        addIssue(ctx, ["thanos", "compactor", p.field], p.expected, p.found);
    }
}

/** Default bucket name: `<prefix>-<env>-prometheus-metrics`. */
export function defaultBucketName(prefix: string, environment: string): string {
    return `${prefix}-${environment}-prometheus-metrics`;
}

/** Defaults that depend on the sizing profile: HA pairs (and PDBs) and deletion protection in production. */
export const THANOS_FEDERATION_PROFILE_DEFAULTS = {
    production: {
        prometheus: { replicas: 2 },
        alertmanager: { replicas: 3 },
        thanos: { query: { replicas: 2 }, ruler: { replicas: 2 }, queryFrontend: { replicas: 2 } },
        deletionProtection: true,
    },
    development: {
        prometheus: { replicas: 1 },
        alertmanager: { replicas: 1 },
        thanos: { query: { replicas: 1 }, ruler: { replicas: 1 }, queryFrontend: { replicas: 1 } },
        deletionProtection: false,
    },
} satisfies ProfileDefaults<z.output<typeof thanosFederationArgsSchema>>;

/** The args parsed into settings: every default applied, the bucket name resolved. */
export const thanosFederationSchema = thanosFederationArgsSchema.superRefine(...allRules(thanosFederationRules)).transform((a, ctx) => {
    const s = withDefaults(a, THANOS_FEDERATION_PROFILE_DEFAULTS[a.profile]) as typeof a & {
        prometheus: { replicas: number };
        alertmanager: { replicas: number };
        thanos: { query: { replicas: number }; ruler: { replicas: number }; queryFrontend: { replicas: number } };
        deletionProtection: boolean;
    };
    const bucket = s.bucketName ?? defaultBucketName(s.prefix, s.environment);
    // The default name is derived from prefix and environment: report it where it came from.
    if (!isBucketName(bucket)) addIssue(ctx, ["prefix"], `a prefix that makes a valid default bucket name (${bucket} is not one), or set bucketName`, s.prefix);
    // CloudWatch defaults to the stack's region, which is the bucket's unless bucketRegion is overridden.
    return { ...s, bucketName: bucket, grafana: { ...s.grafana, cloudWatchRegion: s.grafana.cloudWatchRegion ?? s.bucketRegion } };
});

/** ThanosFederation's settings: the args after every default. */
export type FederationSettings = z.output<typeof thanosFederationSchema>;
