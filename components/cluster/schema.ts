// CommandControlCluster's rule book: the one definition of its plain-data args (rules, messages,
// defaults, profile-dependent defaults). The component parses its args with it; the stack's
// `cloud-cnc:cluster` config section is this schema without the keys the composition supplies.
import { z } from "zod";
import { MAX_PUBLIC_SOURCE_ADDRESSES, publicCoverageExcess } from "../common/cidr";
import { ROLE_ARN_RE, eksClusterName, intIn, internalCidr, ipv4Cidr, logRetentionDays, roleArn, subnetId, tags, vpcId } from "../common/formats";
import { ProfileDefaults, addIssue, allRules, input, profileSchema, withDefaults } from "../common/schema";
import { ADDON_NAMES, KNOWN_KUBERNETES_VERSIONS, instanceArchitecture, kubernetesVersionProblem, principalKey } from "./plan";

// ---------------------------------------------------------------------------------------------
// Field formats of this component

/** The minors of the EKS support table (versions.cluster.kubernetes); which are deployable depends on the day. */
export { KNOWN_KUBERNETES_VERSIONS };
/** The minor a cluster gets when `kubernetesVersion` is not set: the newest in EKS standard support (release 2026-06-02, standard support until 2027-08-02). */
export const DEFAULT_KUBERNETES_VERSION = "1.36";

/** The most public addresses publicAccessCidrs may cover together without allowAnyCidr (common/cidr MAX_PUBLIC_SOURCE_ADDRESSES, a /16). */
export const MAX_PUBLIC_ACCESS_ADDRESSES = MAX_PUBLIC_SOURCE_ADDRESSES;

export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export const TAINT_EFFECTS = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const;
export const MIN_DISK_GIB = 20;
export const MAX_DISK_GIB = 16384;
/** Root volume of a node group that does not set `diskSizeGiB`. */
export const DEFAULT_DISK_GIB = 50;

const KUBERNETES_VERSION_RE = /^1\.\d{2}$/;
/** EKS add-on versions: v<major>.<minor>.<patch>-eksbuild.<n>, as `aws eks describe-addon-versions` lists them. */
export const ADDON_VERSION_RE = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
const INSTANCE_TYPE_RE = /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/;
const NODE_GROUP_NAME_RE = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;
const LABEL_KEY_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** The expected forms of this component's own fields and rules. */
export const CLUSTER_EXPECTED = {
    kubernetesVersion: "a Kubernetes minor version such as 1.36",
    addonName: `an EKS add-on this component installs (${ADDON_NAMES.join(", ")})`,
    addonVersion: "an EKS add-on version such as v1.20.4-eksbuild.2 (aws eks describe-addon-versions)",
    instanceType: "an EC2 instance type such as m7i.large",
    instanceTypes: "a list of at least 1 EC2 instance type",
    oneArchitecture: "instance types of one architecture (all Graviton or all x86_64)",
    nodeGroupName: "a node group name of 1-32 lowercase letters, digits and '-' (a Kubernetes name)",
    nodeGroups: "a list of at least 1 node group",
    labelKey: "a Kubernetes label key such as role or example.com/role",
    labelValue: "a Kubernetes label value of at most 63 letters, digits, '-', '_' and '.'",
    diskSizeGiB: `a whole number of GiB between ${MIN_DISK_GIB} and ${MAX_DISK_GIB}`,
    adminRoleArns: "a list of at least 1 IAM role ARN (the cluster administrators)",
    privateSubnetIds: "a list of at least 2 subnets in different availability zones (EKS requires two)",
    publicAccessCidrsRequired: "at least one CIDR block when endpointPublicAccess is true (EKS opens an endpoint without CIDR blocks to 0.0.0.0/0)",
    publicAccessCidrsUnused: "no CIDR blocks unless endpointPublicAccess is true",
    publicAccessTooWide: `CIDR blocks that together cover at most ${MAX_PUBLIC_ACCESS_ADDRESSES} public IPv4 addresses (a /16), or allowAnyCidr: true to open the public endpoint wider`,
} as const;

const atLeast = (n: number) => `a whole number of at least ${n}`;
const size = (min: number) => z.int(atLeast(min)).min(min, atLeast(min));
const labelKey = () => z.string(CLUSTER_EXPECTED.labelKey).refine((k) => k.length <= 316 && LABEL_KEY_RE.test(k), CLUSTER_EXPECTED.labelKey);
const labelValue = () => z.string(CLUSTER_EXPECTED.labelValue).regex(LABEL_VALUE_RE, CLUSTER_EXPECTED.labelValue);

/** One managed node group. */
const nodeGroupSchema = z
    .object({
        name: z.string(CLUSTER_EXPECTED.nodeGroupName).regex(NODE_GROUP_NAME_RE, CLUSTER_EXPECTED.nodeGroupName),
        instanceTypes: z.array(z.string(CLUSTER_EXPECTED.instanceType).regex(INSTANCE_TYPE_RE, CLUSTER_EXPECTED.instanceType)).min(1, CLUSTER_EXPECTED.instanceTypes),
        minSize: size(0),
        maxSize: size(1),
        desiredSize: size(0),
        diskSizeGiB: intIn(MIN_DISK_GIB, MAX_DISK_GIB, CLUSTER_EXPECTED.diskSizeGiB).default(DEFAULT_DISK_GIB),
        capacityType: z.enum(CAPACITY_TYPES).default("ON_DEMAND"),
        labels: z.record(labelKey(), labelValue()).default({}),
        taints: z.array(z.object({ key: labelKey(), value: labelValue().optional(), effect: z.enum(TAINT_EFFECTS) }).strict()).default([]),
    })
    .strict();

// ---------------------------------------------------------------------------------------------
// The args

/**
 * Every arg of CommandControlCluster: field rules, messages and plain defaults. (The order of the
 * keys is the order problems are reported in: the settings first, the network's Inputs last.)
 */
export const clusterArgsSchema = z
    .object({
        clusterName: eksClusterName().optional(),
        kubernetesVersion: z.string(CLUSTER_EXPECTED.kubernetesVersion).regex(KUBERNETES_VERSION_RE, CLUSTER_EXPECTED.kubernetesVersion).default(DEFAULT_KUBERNETES_VERSION),
        extendedSupport: z.boolean().default(false),
        addonVersions: z
            .record(
                z.string(CLUSTER_EXPECTED.addonName).refine((k) => (ADDON_NAMES as readonly string[]).includes(k), CLUSTER_EXPECTED.addonName),
                z.string(CLUSTER_EXPECTED.addonVersion).regex(ADDON_VERSION_RE, CLUSTER_EXPECTED.addonVersion),
            )
            .default({}),
        endpointPublicAccess: z.boolean().default(false),
        publicAccessCidrs: z.array(ipv4Cidr()).default([]),
        allowAnyCidr: z.boolean().default(false),
        privateAccessCidrs: z.array(internalCidr()).default([]),
        adminRoleArns: z.array(roleArn()).min(1, CLUSTER_EXPECTED.adminRoleArns),
        deployerRoleArns: z.array(roleArn()).default([]),
        nodeGroups: z.array(nodeGroupSchema).min(1, CLUSTER_EXPECTED.nodeGroups).optional(),
        logRetentionDays: logRetentionDays().optional(),
        vpcId: input(vpcId()),
        privateSubnetIds: input(z.array(input(subnetId())).min(2, CLUSTER_EXPECTED.privateSubnetIds)),
        publicSubnetIds: input(z.array(input(subnetId()))).optional(),
        profile: profileSchema,
        deletionProtection: z.boolean().optional(),
        tags: tags().default({}),
    })
    .strict();

export type ClusterArgsInput = z.input<typeof clusterArgsSchema>;

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isInt(v: unknown, min: number): v is number {
    return typeof v === "number" && Number.isInteger(v) && v >= min;
}

/** The plain role ARNs of a list field, with their indexes (other items are their own schema's problem). */
function roleArnsOf(v: unknown): Array<[string, number]> {
    return (Array.isArray(v) ? (v as unknown[]) : []).flatMap((arn, i): Array<[string, number]> => (typeof arn === "string" && ROLE_ARN_RE.test(arn) ? [[arn, i]] : []));
}

/**
 * Rules across fields (run by the component and by the config section on the keys it has), on
 * the day `today()` returns: whether a Kubernetes minor is still deployable depends on the date.
 * Written for any input: a field of the wrong type or form is left to its own schema.
 */
export function clusterRulesAt(today: () => Date): (a: unknown, ctx: z.RefinementCtx) => void {
    return (a, ctx) => {
        if (!isRecord(a)) return;

        const version = a.kubernetesVersion;
        if (typeof version === "string" && KUBERNETES_VERSION_RE.test(version)) {
            const problem = kubernetesVersionProblem(version, a.extendedSupport === true, today());
            if (problem) addIssue(ctx, ["kubernetesVersion"], problem, version);
            // kube-proxy must run the control plane's minor: a pin left behind by an upgrade is refused.
            const kubeProxy = isRecord(a.addonVersions) ? a.addonVersions["kube-proxy"] : undefined;
            if (typeof kubeProxy === "string" && ADDON_VERSION_RE.test(kubeProxy) && !kubeProxy.startsWith(`v${version}.`)) {
                addIssue(ctx, ["addonVersions", "kube-proxy"], `a kube-proxy version of Kubernetes ${version} (v${version}.<patch>-eksbuild.<n>): kube-proxy must match the control plane`, kubeProxy);
            }
        }

        const publicCidrs = Array.isArray(a.publicAccessCidrs) ? (a.publicAccessCidrs as unknown[]) : [];
        // (found: undefined shows what the input had there, not the default [].)
        if (a.endpointPublicAccess === true && publicCidrs.length === 0) addIssue(ctx, ["publicAccessCidrs"], CLUSTER_EXPECTED.publicAccessCidrsRequired, undefined);
        if (a.endpointPublicAccess !== true && publicCidrs.length > 0) addIssue(ctx, ["publicAccessCidrs"], CLUSTER_EXPECTED.publicAccessCidrsUnused, a.publicAccessCidrs);
        // On address ranges, not strings: 0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0.
        const what = publicCoverageExcess(publicCidrs, MAX_PUBLIC_ACCESS_ADDRESSES);
        if (a.endpointPublicAccess === true && a.allowAnyCidr !== true && what !== undefined) {
            addIssue(ctx, ["publicAccessCidrs"], `${CLUSTER_EXPECTED.publicAccessTooWide} (these cover ${what})`, a.publicAccessCidrs);
        }

        // One access entry per principal: a role once in adminRoleArns and deployerRoleArns together.
        const seenRoles = new Map<string, string>();
        for (const field of ["adminRoleArns", "deployerRoleArns"] as const) {
            for (const [arn, i] of roleArnsOf(a[field])) {
                const key = principalKey(arn);
                const seen = seenRoles.get(key);
                if (seen === undefined) seenRoles.set(key, `${field}[${i}]`);
                else if (seen.startsWith(field)) addIssue(ctx, [field, i], `a role not already listed (same as ${seen})`, arn);
                else addIssue(ctx, [field, i], `a role not in adminRoleArns (same as ${seen}): EKS refuses two access entries for one principal`, arn);
            }
        }

        const seenGroups = new Map<string, number>();
        (Array.isArray(a.nodeGroups) ? (a.nodeGroups as unknown[]) : []).forEach((g, i) => {
            if (!isRecord(g)) return;
            const at = (...rest: (string | number)[]) => ["nodeGroups", i, ...rest];
            if (typeof g.name === "string" && NODE_GROUP_NAME_RE.test(g.name)) {
                if (seenGroups.has(g.name)) addIssue(ctx, at("name"), `a node group name not already used (same as nodeGroups[${seenGroups.get(g.name)}].name)`, g.name);
                else seenGroups.set(g.name, i);
            }
            const types = (Array.isArray(g.instanceTypes) ? (g.instanceTypes as unknown[]) : []).filter((t): t is string => typeof t === "string" && INSTANCE_TYPE_RE.test(t));
            if (new Set(types.map(instanceArchitecture)).size > 1) addIssue(ctx, at("instanceTypes"), CLUSTER_EXPECTED.oneArchitecture, g.instanceTypes);
            const { minSize, maxSize, desiredSize } = g;
            if (isInt(minSize, 0) && isInt(maxSize, 1) && isInt(desiredSize, 0)) {
                if (minSize > maxSize) addIssue(ctx, at("minSize"), `a number no larger than maxSize (${maxSize})`, minSize);
                else if (desiredSize < minSize || desiredSize > maxSize) addIssue(ctx, at("desiredSize"), `a number between minSize (${minSize}) and maxSize (${maxSize})`, desiredSize);
            }
        });
    };
}

/** The rules on the day of the deployment (the real date). */
export const clusterRules = clusterRulesAt(() => new Date());

/** A node group with every default applied. */
export type NodeGroupSettings = z.output<typeof nodeGroupSchema>;

/**
 * Defaults that depend on the sizing profile: the node groups when none are given (three or
 * more larger nodes in production, two small ones in development), the control-plane log
 * retention, and deletion protection in production.
 */
export const CLUSTER_PROFILE_DEFAULTS = {
    production: {
        nodeGroups: [{ name: "system", instanceTypes: ["m7i.xlarge", "m6i.xlarge"], minSize: 3, maxSize: 9, desiredSize: 3, diskSizeGiB: 100, capacityType: "ON_DEMAND", labels: {}, taints: [] }],
        logRetentionDays: 365,
        deletionProtection: true,
    },
    development: {
        nodeGroups: [{ name: "system", instanceTypes: ["t3.large", "m7i.large"], minSize: 2, maxSize: 4, desiredSize: 2, diskSizeGiB: 50, capacityType: "ON_DEMAND", labels: {}, taints: [] }],
        logRetentionDays: 14,
        deletionProtection: false,
    },
} satisfies ProfileDefaults<z.output<typeof clusterArgsSchema>>;

/** The args parsed into settings on the day `today()` returns: every default applied (plain, then the profile's). */
export function clusterSchemaAt(today: () => Date) {
    return clusterArgsSchema.superRefine(...allRules(clusterRulesAt(today))).transform(
        (a) =>
            withDefaults(a, CLUSTER_PROFILE_DEFAULTS[a.profile]) as typeof a & {
                nodeGroups: NodeGroupSettings[];
                logRetentionDays: number;
                deletionProtection: boolean;
            },
    );
}

/** The args parsed into settings on the day of the deployment (the real date). */
export const clusterSchema = clusterSchemaAt(() => new Date());

/** CommandControlCluster's settings: the args after every default. */
export type ClusterSettings = z.output<typeof clusterSchema>;
