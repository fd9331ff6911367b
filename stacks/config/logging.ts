// The `cloud-cnc:logging` config section and its mapping to LoggingPipeline's args.
import { z } from "zod";
import type { LoggingPipelineArgs } from "../../components/logging";
import { isLogRetentionDays } from "../../components/common/formats";
import { DEFAULTS, EXPECTED, FORMATS, isIpv4Cidr, loggingSettingProblems } from "../../components/logging/plan";
import { CommonSettings } from "./common";

const int = (expected: string, min: number, max = Number.MAX_SAFE_INTEGER) => z.int(expected).min(min, expected).max(max, expected);
const re = (f: { re: RegExp; expected: string }) => z.string().regex(f.re, f.expected);

const sizingSchema = z
    .object({
        /** Data node instance type. */
        instanceType: re(FORMATS.instanceType),
        /** Data nodes; a multiple of the AZ count with zone awareness. */
        instanceCount: int(EXPECTED.instanceCount, 1, 80),
        zoneAwareness: z
            .object({ enabled: z.boolean(), availabilityZoneCount: int(EXPECTED.azCount, 2, 3).optional() })
            .strict()
            .default({ enabled: false }),
        dedicatedMasters: z
            .object({
                enabled: z.boolean(),
                type: z.string().regex(FORMATS.instanceType.re, EXPECTED.masterType).optional(),
                count: z.int(EXPECTED.masterCount).refine((n) => n === 3 || n === 5, EXPECTED.masterCount).optional(),
            })
            .strict()
            .default({ enabled: false }),
        ebs: z
            .object({
                volumeSizeGiB: int(EXPECTED.volumeSize, 10, 16384),
                volumeType: z.literal("gp3", EXPECTED.volumeType).default("gp3"),
                iops: int(EXPECTED.iops, 3000).optional(),
                throughput: int(EXPECTED.throughput, 125).optional(),
            })
            .strict(),
    })
    .strict();

export type LoggingSizingConfig = z.infer<typeof sizingSchema>;

export const loggingConfigSchema = z
    .object({
        /** Domain name. Default `<prefix>-<environment>-logs`. */
        domainName: re(FORMATS.domainName).optional(),
        /** Engine version. Default: the pinned one (components/common/versions.ts). */
        engineVersion: re(FORMATS.engineVersion).optional(),
        /** The C&C cluster's id in index names. Default `<prefix>-<environment>-cnc` (the cluster's name). */
        clusterId: re(FORMATS.clusterId).optional(),
        /** Domain shape as one decision; default by environment (defaultSizing). */
        sizing: sizingSchema.optional(),
        /** Days before an index is deleted. Default 30 in prod, 7 elsewhere. */
        retentionDays: int(EXPECTED.retentionDays, 1).optional(),
        rolloverSize: re(FORMATS.size).default(DEFAULTS.rolloverSize),
        rolloverAge: re(FORMATS.age).default(DEFAULTS.rolloverAge),
        indexShards: int(EXPECTED.shards, 1, 32).optional(),
        indexReplicas: int(EXPECTED.replicas, 0, 5).optional(),
        /** CloudWatch retention of the domain's and the bootstrap's logs. Default 90 in prod, 7 elsewhere. */
        logRetentionDays: z
            .number()
            .refine(isLogRetentionDays, EXPECTED.logRetentionDays)
            .optional(),
        automatedSnapshotStartHour: int(EXPECTED.snapshotHour, 0, 23).default(DEFAULTS.automatedSnapshotStartHour),
        /** IAM roles of humans with read-only access. */
        humanReadOnlyRoleArns: z.array(re(FORMATS.roleArn)).default([]),
        /** More roles that may write logs (e.g. the cross-account role workload clusters assume). */
        additionalWriterRoleArns: z.array(re(FORMATS.roleArn)).default([]),
        /** Workload VPC CIDRs allowed to reach the domain on 443. */
        allowedCidrs: z
            .array(
                z
                    .string()
                    .refine(isIpv4Cidr, FORMATS.cidr.expected)
                    .refine((c) => !c.endsWith("/0"), "a CIDR block narrower than /0 (the domain is never open to all)"),
            )
            .default([]),
        fluentBit: z
            .object({ storageTotalLimitSize: re(FORMATS.fluentBitSize).optional(), retryLimit: int(EXPECTED.retryLimit, 1, 1000).optional() })
            .strict()
            .optional(),
        /** Create the account's OpenSearch service-linked role (once per account). */
        createServiceLinkedRole: z.boolean().default(false),
    })
    .strict()
    .superRefine((cfg, ctx) => {
        // The component's cross-field rules (one implementation, same messages).
        if (!cfg.sizing) return;
        for (const p of loggingSettingProblems(cfg.sizing, "crossField")) {
            ctx.addIssue({ code: "custom", path: ["sizing", ...p.path], message: p.expected, input: p.found });
        }
    })
    .prefault({});

export type LoggingConfig = z.infer<typeof loggingConfigSchema>;

/** The domain shape when the config has no `sizing`: one small node in dev, a 3-AZ cluster in prod. */
export function defaultSizing(environment: string): LoggingSizingConfig {
    if (environment === "prod") {
        return {
            instanceType: "r7g.large.search",
            instanceCount: 3,
            zoneAwareness: { enabled: true, availabilityZoneCount: 3 },
            dedicatedMasters: { enabled: true, type: "m7g.large.search", count: 3 },
            ebs: { volumeSizeGiB: 200, volumeType: "gp3" },
        };
    }
    return {
        instanceType: "m7g.medium.search",
        instanceCount: 1,
        zoneAwareness: { enabled: false },
        dedicatedMasters: { enabled: false },
        ebs: { volumeSizeGiB: 20, volumeType: "gp3" },
    };
}

/**
 * The args this section provides. The composition supplies the network (vpcId, subnetIds), the
 * cluster's security group (allowedSecurityGroupIds) and its OIDC provider.
 */
export type LoggingArgsFromConfig = Omit<LoggingPipelineArgs, "vpcId" | "subnetIds" | "allowedSecurityGroupIds" | "oidcProviderArn" | "oidcProviderUrl">;

/** Maps the parsed section to LoggingPipeline's args (pure). Tags come through the provider's defaultTags. */
export function loggingArgs(cfg: LoggingConfig, common: CommonSettings): LoggingArgsFromConfig {
    const prod = common.environment === "prod";
    const s = cfg.sizing ?? defaultSizing(common.environment);
    return {
        domainName: cfg.domainName ?? `${common.prefix}-${common.environment}-logs`,
        ...(cfg.engineVersion ? { engineVersion: cfg.engineVersion } : {}),
        clusterId: cfg.clusterId ?? `${common.prefix}-${common.environment}-cnc`,
        instanceType: s.instanceType,
        instanceCount: s.instanceCount,
        zoneAwareness: { ...s.zoneAwareness },
        dedicatedMasters: { ...s.dedicatedMasters },
        ebs: { ...s.ebs },
        retentionDays: cfg.retentionDays ?? DEFAULTS.retentionDays, // 30 days, as the original system
        rolloverSize: cfg.rolloverSize,
        rolloverAge: cfg.rolloverAge,
        ...(cfg.indexShards !== undefined ? { indexShards: cfg.indexShards } : {}),
        ...(cfg.indexReplicas !== undefined ? { indexReplicas: cfg.indexReplicas } : {}),
        logRetentionDays: cfg.logRetentionDays ?? (prod ? 90 : 7),
        automatedSnapshotStartHour: cfg.automatedSnapshotStartHour,
        humanReadOnlyRoleArns: [...cfg.humanReadOnlyRoleArns],
        additionalWriterRoleArns: [...cfg.additionalWriterRoleArns],
        allowedCidrs: [...cfg.allowedCidrs],
        ...(cfg.fluentBit ? { fluentBit: { ...cfg.fluentBit } } : {}),
        createServiceLinkedRole: cfg.createServiceLinkedRole,
        deletionProtection: common.deletionProtection,
    };
}
