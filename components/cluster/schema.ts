// CommandControlCluster's rule book: the one definition of its plain-data args (rules, messages,
// defaults, profile-dependent defaults). The component parses its args with it; the stack's
// `cloud-cnc:cluster` config section is this schema without the keys the composition supplies.
import { z } from "zod";
import { cidrOf } from "../common/cidr";
import { ROLE_ARN_RE, eksClusterName, intIn, ipv4Cidr, logRetentionDays, roleArn, subnetId, tags, vpcId } from "../common/formats";
import { ProfileDefaults, addIssue, allRules, input, profileSchema, withDefaults } from "../common/schema";
import { versions } from "../common/versions";
import { instanceArchitecture } from "./plan";

// ---------------------------------------------------------------------------------------------
// Field formats of this component

/** Kubernetes minors with a pinned add-on set in versions.ts: the supported window. */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = Object.keys(versions.cluster.addons).sort();
/** The minor a cluster gets when `kubernetesVersion` is not set. */
export const DEFAULT_KUBERNETES_VERSION = "1.34";

export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export const TAINT_EFFECTS = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const;
export const MIN_DISK_GIB = 20;
export const MAX_DISK_GIB = 16384;
/** Root volume of a node group that does not set `diskSizeGiB`. */
export const DEFAULT_DISK_GIB = 50;

const KUBERNETES_VERSION_RE = /^1\.\d{2}$/;
const INSTANCE_TYPE_RE = /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/;
const NODE_GROUP_NAME_RE = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;
const LABEL_KEY_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** The expected forms of this component's own fields and rules. */
export const CLUSTER_EXPECTED = {
    kubernetesVersion: "a Kubernetes minor version such as 1.34",
    supportedKubernetesVersion: `a Kubernetes version with pinned add-ons (${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})`,
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
    publicAccessCidrsRequired: "at least one CIDR block when endpointPublicAccess is true (the public endpoint is never open to all)",
    publicAccessCidrsUnused: "no CIDR blocks unless endpointPublicAccess is true",
    publicAccessNotOpen: "a CIDR block narrower than /0 (public access must be restricted)",
    reservedTagKey: "a tag key not starting with aws: (reserved)",
} as const;

const atLeast = (n: number) => `a whole number of at least ${n}`;
const size = (min: number) => z.int(atLeast(min)).min(min, atLeast(min));
const labelKey = () => z.string(CLUSTER_EXPECTED.labelKey).refine((k) => k.length <= 316 && LABEL_KEY_RE.test(k), CLUSTER_EXPECTED.labelKey);
const labelValue = () => z.string(CLUSTER_EXPECTED.labelValue).regex(LABEL_VALUE_RE, CLUSTER_EXPECTED.labelValue);

/** AWS tags whose keys do not use the prefix AWS reserves for itself. */
const clusterTags = () =>
    tags().superRefine((t, ctx) => {
        for (const key of Object.keys(t)) if (key.toLowerCase().startsWith("aws:")) addIssue(ctx, [key], CLUSTER_EXPECTED.reservedTagKey, key);
    });

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
        endpointPublicAccess: z.boolean().default(false),
        publicAccessCidrs: z.array(ipv4Cidr()).default([]),
        privateAccessCidrs: z.array(ipv4Cidr()).default([]),
        adminRoleArns: z.array(roleArn()).min(1, CLUSTER_EXPECTED.adminRoleArns),
        nodeGroups: z.array(nodeGroupSchema).min(1, CLUSTER_EXPECTED.nodeGroups).optional(),
        logRetentionDays: logRetentionDays().optional(),
        vpcId: input(vpcId()),
        privateSubnetIds: input(z.array(input(subnetId())).min(2, CLUSTER_EXPECTED.privateSubnetIds)),
        publicSubnetIds: input(z.array(input(subnetId()))).optional(),
        profile: profileSchema,
        deletionProtection: z.boolean().optional(),
        tags: clusterTags().default({}),
    })
    .strict();

export type ClusterArgsInput = z.input<typeof clusterArgsSchema>;

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isInt(v: unknown, min: number): v is number {
    return typeof v === "number" && Number.isInteger(v) && v >= min;
}

/**
 * Rules across fields (run by the component and by the config section on the keys it has).
 * Written for any input: a field of the wrong type or form is left to its own schema.
 */
export function clusterRules(a: unknown, ctx: z.RefinementCtx): void {
    if (!isRecord(a)) return;

    const version = a.kubernetesVersion;
    if (typeof version === "string" && KUBERNETES_VERSION_RE.test(version) && !SUPPORTED_KUBERNETES_VERSIONS.includes(version)) {
        addIssue(ctx, ["kubernetesVersion"], CLUSTER_EXPECTED.supportedKubernetesVersion, version);
    }

    const publicCidrs = Array.isArray(a.publicAccessCidrs) ? (a.publicAccessCidrs as unknown[]) : [];
    // (found: undefined shows what the input had there, not the default [].)
    if (a.endpointPublicAccess === true && publicCidrs.length === 0) addIssue(ctx, ["publicAccessCidrs"], CLUSTER_EXPECTED.publicAccessCidrsRequired, undefined);
    if (a.endpointPublicAccess !== true && publicCidrs.length > 0) addIssue(ctx, ["publicAccessCidrs"], CLUSTER_EXPECTED.publicAccessCidrsUnused, a.publicAccessCidrs);
    publicCidrs.forEach((c, i) => {
        if (cidrOf(c)?.prefix === 0) addIssue(ctx, ["publicAccessCidrs", i], CLUSTER_EXPECTED.publicAccessNotOpen, c);
    });

    const seenRoles = new Map<string, number>();
    (Array.isArray(a.adminRoleArns) ? (a.adminRoleArns as unknown[]) : []).forEach((arn, i) => {
        if (typeof arn !== "string" || !ROLE_ARN_RE.test(arn)) return;
        if (seenRoles.has(arn)) addIssue(ctx, ["adminRoleArns", i], `a role not already listed (same as adminRoleArns[${seenRoles.get(arn)}])`, arn);
        else seenRoles.set(arn, i);
    });

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
}


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

/** The args parsed into settings: every default applied (plain, then the profile's). */
export const clusterSchema = clusterArgsSchema.superRefine(...allRules(clusterRules)).transform(
    (a) =>
        withDefaults(a, CLUSTER_PROFILE_DEFAULTS[a.profile]) as typeof a & {
            nodeGroups: NodeGroupSettings[];
            logRetentionDays: number;
            deletionProtection: boolean;
        },
);

/** CommandControlCluster's settings: the args after every default. */
export type ClusterSettings = z.output<typeof clusterSchema>;
