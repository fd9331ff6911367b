// The `cloud-cnc:cluster` config section and its mapping to CommandControlCluster's args.
import { z } from "zod";
import type { ClusterNodeGroupArgs, CommandControlClusterArgs } from "../../components/cluster";
import { isLogRetentionDays } from "../../components/common/formats";
import { CAPACITY_TYPES, CLOUDWATCH_RETENTION_DAYS, FORMATS, isIpv4Cidr, MAX_DISK_GIB, MIN_DISK_GIB, settingProblems, TAINT_EFFECTS } from "../../components/cluster/plan";
import { CommonSettings } from "./common";

const DISK = `a whole number of GiB between ${MIN_DISK_GIB} and ${MAX_DISK_GIB}`;
const RETENTION = `a CloudWatch Logs retention (one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")})`;
const atLeast = (n: number) => `a whole number of at least ${n}`;

const cidr = () => z.string().refine(isIpv4Cidr, FORMATS.cidr.expected);
const labelKey = () => z.string().regex(FORMATS.labelKey.re, FORMATS.labelKey.expected);
const labelValue = () => z.string().regex(FORMATS.labelValue.re, FORMATS.labelValue.expected);

const nodeGroupSchema = z
    .object({
        /** Node group name (a Kubernetes name, at most 32 characters), unique in the cluster. */
        name: z.string().regex(FORMATS.nodeGroupName.re, FORMATS.nodeGroupName.expected),
        /** EC2 instance types, all of one architecture. */
        instanceTypes: z.array(z.string().regex(FORMATS.instanceType.re, FORMATS.instanceType.expected)).min(1, "a list of at least 1 EC2 instance type"),
        minSize: z.int(atLeast(0)).min(0, atLeast(0)),
        maxSize: z.int(atLeast(1)).min(1, atLeast(1)),
        desiredSize: z.int(atLeast(0)).min(0, atLeast(0)),
        /** Root volume size (encrypted gp3). */
        diskSizeGiB: z.int(DISK).min(MIN_DISK_GIB, DISK).max(MAX_DISK_GIB, DISK).default(50),
        capacityType: z.enum(CAPACITY_TYPES).default("ON_DEMAND"),
        labels: z.record(labelKey(), labelValue()).default({}),
        taints: z
            .array(z.object({ key: labelKey(), value: labelValue().optional(), effect: z.enum(TAINT_EFFECTS) }).strict())
            .default([]),
    })
    .strict();

export type ClusterNodeGroupConfig = z.infer<typeof nodeGroupSchema>;

export const clusterConfigSchema = z
    .object({
        /** Kubernetes minor version; one with pinned add-ons in components/common/versions.ts. */
        kubernetesVersion: z.string().regex(FORMATS.kubernetesVersion.re, FORMATS.kubernetesVersion.expected).default("1.34"),
        /** Public API endpoint (off by default); needs publicAccessCidrs. */
        endpointPublicAccess: z.boolean().default(false),
        /** CIDR blocks allowed on the public endpoint (never 0.0.0.0/0). */
        publicAccessCidrs: z.array(cidr()).default([]),
        /** CIDR blocks (VPN, TGW, CI) allowed on the private endpoint, port 443. */
        privateAccessCidrs: z.array(cidr()).default([]),
        /** IAM roles that get cluster-admin through access entries. */
        adminRoleArns: z.array(z.string().regex(FORMATS.roleArn.re, FORMATS.roleArn.expected)).min(1, "a list of at least 1 IAM role ARN (the cluster administrators)"),
        /** Managed node groups; default by environment (see defaultNodeGroups). */
        nodeGroups: z.array(nodeGroupSchema).min(1, "a list of at least 1 node group").optional(),
        /** Retention of the control-plane logs in days. */
        logRetentionDays: z
            .number()
            .refine(isLogRetentionDays, RETENTION)
            .default(90),
    })
    .strict()
    .superRefine((cfg, ctx) => {
        // The cross-field rules are the component's own (one implementation, same messages).
        const problems = settingProblems(
            {
                clusterName: "x",
                kubernetesVersion: cfg.kubernetesVersion,
                endpointPublicAccess: cfg.endpointPublicAccess,
                publicAccessCidrs: cfg.publicAccessCidrs,
                privateAccessCidrs: cfg.privateAccessCidrs,
                adminRoleArns: cfg.adminRoleArns,
                nodeGroups: cfg.nodeGroups ?? [],
                logRetentionDays: cfg.logRetentionDays,
            },
            "crossField",
        );
        for (const p of problems) ctx.addIssue({ code: "custom", path: p.path, message: p.expected, input: p.found });
    });

export type ClusterConfig = z.infer<typeof clusterConfigSchema>;

/** Node groups when the config lists none: small and cheap in dev, three or more larger nodes in prod. */
export function defaultNodeGroups(environment: string): ClusterNodeGroupConfig[] {
    if (environment === "prod") {
        return [{ name: "system", instanceTypes: ["m7i.xlarge", "m6i.xlarge"], minSize: 3, maxSize: 9, desiredSize: 3, diskSizeGiB: 100, capacityType: "ON_DEMAND", labels: {}, taints: [] }];
    }
    return [{ name: "system", instanceTypes: ["t3.large", "m7i.large"], minSize: 2, maxSize: 4, desiredSize: 2, diskSizeGiB: 50, capacityType: "ON_DEMAND", labels: {}, taints: [] }];
}

/** The args this section provides; the network's vpcId and subnets come from CommandControlNetwork. */
export type ClusterArgsFromConfig = Omit<CommandControlClusterArgs, "vpcId" | "privateSubnetIds" | "publicSubnetIds">;

/** Maps the parsed section to CommandControlCluster's args (pure). Tags come through the provider's defaultTags. */
export function clusterArgs(cfg: ClusterConfig, common: CommonSettings): ClusterArgsFromConfig {
    const groups: ClusterNodeGroupArgs[] = (cfg.nodeGroups ?? defaultNodeGroups(common.environment)).map((g) => ({
        name: g.name,
        instanceTypes: [...g.instanceTypes],
        minSize: g.minSize,
        maxSize: g.maxSize,
        desiredSize: g.desiredSize,
        diskSizeGiB: g.diskSizeGiB,
        capacityType: g.capacityType,
        ...(Object.keys(g.labels).length > 0 ? { labels: { ...g.labels } } : {}),
        ...(g.taints.length > 0 ? { taints: g.taints.map((t) => ({ ...t })) } : {}),
    }));
    return {
        clusterName: `${common.prefix}-${common.environment}-cnc`,
        kubernetesVersion: cfg.kubernetesVersion,
        endpointPublicAccess: cfg.endpointPublicAccess,
        publicAccessCidrs: [...cfg.publicAccessCidrs],
        privateAccessCidrs: [...cfg.privateAccessCidrs],
        adminRoleArns: [...cfg.adminRoleArns],
        nodeGroups: groups,
        logRetentionDays: cfg.logRetentionDays,
        deletionProtection: common.deletionProtection,
    };
}
