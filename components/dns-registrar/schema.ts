// DnsRegistrar's rule book: the one definition of its plain-data args (rules, messages, defaults,
// profile-dependent defaults). The component parses its args with it; the stack's
// `cloud-cnc:registrar` config section is this schema without the keys the composition supplies.
// (The Lambda handler still validates its own environment at cold start: functions/dns-registrar/settings.ts.)
import { z } from "zod";
import { FEDERATION_TARGETS, LEAF_QUERY_TARGETS, PROBE_TARGETS, REGISTRATION_NAMESPACE, THANOS_ENDPOINTS, THANOS_ENDPOINT_ADDRESS } from "../../functions/dns-registrar/contract";
import { DEFAULT_PLAN_OPTIONS, patternProblems } from "../../functions/dns-registrar/planner";
import { DEFAULT_EMPTY_CONFIRM_SECONDS, DEFAULT_SHRINK_ALWAYS_ALLOWED, DEFAULT_SHRINK_FLOOR_PERCENT, DEFAULT_SHRINK_MAX_REMOVALS, normalizeZoneId } from "../../functions/dns-registrar/settings";
import {
    EXPECTED,
    ZONE_ID_RE,
    awsRegion,
    dnsName,
    eksClusterName,
    environmentName,
    intIn,
    k8sName,
    logRetentionDays,
    namePrefix,
    port,
    securityGroupId,
    snsTopicArn,
    subnetId,
    tags,
    vpcId,
} from "../common/formats";
import { ProfileDefaults, addIssue, allRules, input, profileSchema, withDefaults } from "../common/schema";
import { scheduleExpressionProblem } from "../common/schedule";
import { runsInVpc } from "./plan";

// ---------------------------------------------------------------------------------------------
// Field formats of this component

/** A hosted zone ID as Route 53 prints it in either form: `Z…` or `/hostedzone/Z…`. */
export const ZONE_ID_EXPECTED = `${EXPECTED.zoneId} (a /hostedzone/ prefix is allowed)`;
const zoneId = () => z.string(ZONE_ID_EXPECTED).refine((v) => ZONE_ID_RE.test(normalizeZoneId(v)), ZONE_ID_EXPECTED);

const PATTERN_EXAMPLE = 'such as "{id}-grpc"';
/** A relative record-name pattern with one `{id}` (the planner's own rule: patternProblems). */
const namePattern = (fallback: string) =>
    z
        .string(`a relative name pattern ${PATTERN_EXAMPLE}`)
        .superRefine((value, ctx) => {
            const issues = patternProblems(value);
            if (issues.length > 0) ctx.addIssue({ code: "custom", message: `a relative name pattern with ${issues.join(" and ")}, ${PATTERN_EXAMPLE}`, input: value });
        })
        .default(fallback);

const DNS_LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
const EXCLUSION_RE = new RegExp(`^(?=.{1,253}\\.?$)${DNS_LABEL}(\\.${DNS_LABEL})*\\.?$`);
/** An exclusion: a cluster ID or installation name (one label) or an FQDN, in any case. */
const EXCLUSION_EXPECTED = "a cluster ID or DNS name";
const exclusion = () => z.string(EXCLUSION_EXPECTED).refine((v) => EXCLUSION_RE.test(v.toLowerCase()), EXCLUSION_EXPECTED);

const SELF_TARGET_EXPECTED = 'host:port such as "prometheus-operated.monitoring.svc:9090", or "" for none';
const SELF_TARGET_RE = /^[a-z0-9.-]+:[0-9]{1,5}$/;
const SELF_CLUSTER_ID_EXPECTED = "a label value such as command-control";
const THANOS_STATIC_EXPECTED = "a Thanos endpoint address such as dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local or host:10901";
const SELF_CLUSTER_ID_RE = /^[A-Za-z0-9._-]{1,63}$/;

/** EventBridge schedule expressions: rate(<n> <unit>) or a six-field cron(...). */
const SCHEDULE_EXPECTED = 'an EventBridge schedule such as "rate(5 minutes)" or "cron(0/5 * * * ? *)"';

const GROUP_EXPECTED = "a Kubernetes group name not starting with system:";
const kubernetesGroup = () => z.string(GROUP_EXPECTED).refine((g) => /^[A-Za-z0-9:._-]{1,255}$/.test(g) && !g.startsWith("system:"), GROUP_EXPECTED);

/** ConfigMap names may be up to 253 characters (DNS subdomain names). */
const configMapName = () => k8sName(EXPECTED.k8sName, 253);

// ---------------------------------------------------------------------------------------------
// The args

/** Every arg of DnsRegistrar: field rules, messages and plain defaults. */
export const dnsRegistrarArgsSchema = z
    .object({
        environment: environmentName(),
        prefix: namePrefix(),
        profile: profileSchema,
        region: awsRegion(),
        clusterName: input(eksClusterName()),
        thanosZoneId: input(zoneId()),
        thanosZoneName: input(dnsName()),
        prometheusZoneId: input(zoneId()),
        prometheusZoneName: input(dnsName()),
        installationsZoneId: input(zoneId()).optional(),
        installationsZoneName: input(dnsName()).optional(),
        grpcPort: port().default(DEFAULT_PLAN_OPTIONS.grpcPort),
        prometheusPort: port().default(DEFAULT_PLAN_OPTIONS.prometheusPort),
        queryHttpPort: port().default(DEFAULT_PLAN_OPTIONS.queryHttpPort),
        thanosNamePattern: namePattern(DEFAULT_PLAN_OPTIONS.thanosPattern),
        prometheusNamePattern: namePattern(DEFAULT_PLAN_OPTIONS.prometheusPattern),
        installationsNamePattern: namePattern(DEFAULT_PLAN_OPTIONS.installationsPattern),
        queryNamePattern: namePattern(DEFAULT_PLAN_OPTIONS.queryPattern),
        exclusions: z.array(exclusion(), "a list of cluster IDs or DNS names").default([]),
        selfPrometheusTarget: z
            .string(SELF_TARGET_EXPECTED)
            .refine((v) => v === "" || SELF_TARGET_RE.test(v), SELF_TARGET_EXPECTED)
            .default(DEFAULT_PLAN_OPTIONS.selfPrometheusTarget),
        selfClusterId: z.string(SELF_CLUSTER_ID_EXPECTED).regex(SELF_CLUSTER_ID_RE, SELF_CLUSTER_ID_EXPECTED).default(DEFAULT_PLAN_OPTIONS.selfClusterId),
        thanosStaticEndpoints: z.array(z.string(THANOS_STATIC_EXPECTED).regex(THANOS_ENDPOINT_ADDRESS, THANOS_STATIC_EXPECTED), THANOS_STATIC_EXPECTED).default([]),
        namespace: k8sName().default(REGISTRATION_NAMESPACE),
        thanosEndpointsConfigMap: configMapName().default(THANOS_ENDPOINTS.configMap),
        federationTargetsConfigMap: configMapName().default(FEDERATION_TARGETS.configMap),
        probeTargetsConfigMap: configMapName().default(PROBE_TARGETS.configMap),
        leafQueryTargetsConfigMap: configMapName().default(LEAF_QUERY_TARGETS.configMap),
        allowConfigMapCreate: z.boolean().default(false),
        shrinkFloorPercent: intIn(0, 100, "an integer percentage from 0 to 100").default(DEFAULT_SHRINK_FLOOR_PERCENT),
        shrinkMaxRemovals: intIn(0, 100_000, "a whole number of targets from 0 to 100000").default(DEFAULT_SHRINK_MAX_REMOVALS),
        shrinkAlwaysAllowed: intIn(0, 100_000, "a whole number of targets from 0 to 100000").default(DEFAULT_SHRINK_ALWAYS_ALLOWED),
        emptyConfirmSeconds: intIn(0, 86_400, "a whole number of seconds from 0 to 86400").default(DEFAULT_EMPTY_CONFIRM_SECONDS),
        scheduleExpression: z
            .string(SCHEDULE_EXPECTED)
            .superRefine((v, ctx) => {
                const problem = scheduleExpressionProblem(v);
                if (problem) addIssue(ctx, [], `${SCHEDULE_EXPECTED} (${problem})`, v);
            })
            .default("rate(5 minutes)"),
        memorySize: intIn(128, 10240, "an integer number of MB from 128 to 10240").default(512),
        timeout: intIn(1, 900, "an integer number of seconds from 1 to 900").default(60),
        maximumRetryAttempts: intIn(0, 2, "0, 1 or 2").default(2),
        maximumEventAgeSeconds: intIn(60, 21600, "an integer number of seconds from 60 to 21600").default(3600),
        logRetentionDays: logRetentionDays().optional(),
        alarmTopicArn: input(snsTopicArn()).optional(),
        vpcId: input(vpcId()).optional(),
        subnetIds: input(z.array(input(subnetId()), "a list of subnet IDs (empty: not in a VPC)")).optional(),
        clusterSecurityGroupId: input(securityGroupId()).optional(),
        kubernetesGroup: kubernetesGroup().default("cloud-cnc:dns-registrar"),
        tags: tags().default({}),
    })
    .strict();

export type DnsRegistrarArgsInput = z.input<typeof dnsRegistrarArgsSchema>;

/** The zone pairs: an ID and a name, set together. */
const ZONE_PAIRS = [
    ["thanosZoneId", "thanosZoneName"],
    ["prometheusZoneId", "prometheusZoneName"],
    ["installationsZoneId", "installationsZoneName"],
] as const;

/** The ConfigMaps of the four files. */
const CONFIG_MAP_FIELDS = ["thanosEndpointsConfigMap", "federationTargetsConfigMap", "probeTargetsConfigMap", "leafQueryTargetsConfigMap"] as const;

/** The fields the rules read (any of them may be missing or of the wrong type). */
type RuleView = Partial<Record<(typeof ZONE_PAIRS)[number][number] | (typeof CONFIG_MAP_FIELDS)[number] | "thanosNamePattern" | "queryNamePattern" | "subnetIds" | "vpcId" | "clusterSecurityGroupId", unknown>>;

const isSet = (v: unknown) => v !== undefined && v !== "";

/**
 * Rules across fields (run by the component and, on the keys it has, by the config section):
 * each zone's ID and name set together; a different ConfigMap per file; different gRPC and leaf
 * Query HTTP name patterns; in a VPC (subnetIds not
 * empty), the VPC and the cluster security group.
 */
export function dnsRegistrarRules(a: RuleView, ctx: z.RefinementCtx): void {
    for (const [id, name] of ZONE_PAIRS) {
        if (isSet(a[id]) && !isSet(a[name])) addIssue(ctx, [name], `to be set together with ${id}`, a[name]);
        if (isSet(a[name]) && !isSet(a[id])) addIssue(ctx, [id], `to be set together with ${name}`, a[id]);
    }
    const configMaps = CONFIG_MAP_FIELDS.map((field) => [field, a[field]] as const);
    configMaps.forEach(([field, value], i) => {
        const earlier = configMaps.slice(0, i).find(([, other]) => typeof value === "string" && other === value);
        if (earlier) addIssue(ctx, [field], `a ConfigMap name other than ${earlier[0]}'s (each of the four files has its own ConfigMap)`, value);
    });
    // Both patterns read the Thanos zone: the same pattern would leave the leaf Query file empty.
    const thanosPattern = a.thanosNamePattern ?? DEFAULT_PLAN_OPTIONS.thanosPattern;
    const queryPattern = a.queryNamePattern ?? DEFAULT_PLAN_OPTIONS.queryPattern;
    if (typeof queryPattern === "string" && queryPattern === thanosPattern) {
        addIssue(ctx, ["queryNamePattern"], "a pattern other than thanosNamePattern's (the leaf Query HTTP names are not the gRPC names)", a.queryNamePattern);
    }
    if (runsInVpc(a.subnetIds)) {
        if (!isSet(a.vpcId)) addIssue(ctx, ["vpcId"], "the VPC of subnetIds (required when subnetIds is not empty)", a.vpcId);
        if (!isSet(a.clusterSecurityGroupId)) addIssue(ctx, ["clusterSecurityGroupId"], "the cluster security group (required when subnetIds is not empty)", a.clusterSecurityGroupId);
    }
}

/**
 * Defaults that depend on the sizing profile: production keeps the function's logs 90 days (room
 * to investigate a registration incident after the fact), development the former default of 30.
 */
export const REGISTRAR_PROFILE_DEFAULTS = {
    production: { logRetentionDays: 90 },
    development: { logRetentionDays: 30 },
} satisfies ProfileDefaults<z.output<typeof dnsRegistrarArgsSchema>>;

/** The args parsed into settings: every default applied, and whether the function runs in a VPC. */
export const dnsRegistrarSchema = dnsRegistrarArgsSchema.superRefine(...allRules(dnsRegistrarRules)).transform((a) => {
    const s = withDefaults(a, REGISTRAR_PROFILE_DEFAULTS[a.profile]) as typeof a & { logRetentionDays: number };
    return { ...s, inVpc: runsInVpc(s.subnetIds) };
});

/** DnsRegistrar's settings: the args after every default. */
export type RegistrarSettings = z.output<typeof dnsRegistrarSchema>;
