// The `cloud-cnc:provisioner` config section and its mapping to ProvisionerServer's args.
// Secrets are not part of it: the Git token (`provisionerGitToken`, required) and the optional SSH
// private key (`provisionerSshPrivateKey`) are read by the composition with requireSecret/getSecret.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ProvisionerServerArgs } from "../../components/provisioner";
import { FORMATS, isDbIdentifier, LIMITS, minMaxAllocatedStorage, postgresMajor, SUPPORTED_POSTGRES_MAJORS } from "../../components/provisioner/plan";
import { versions } from "../../components/common/versions";
import { CommonSettings } from "./common";

/** Secret config keys of this section, read by the composition (never plain config). */
export const PROVISIONER_SECRET_KEYS = {
    provisionerGitToken: "the Git token of utilitiesGitUrl (required)",
    provisionerSshPrivateKey: "the SSH private key matching provisioner.sshPublicKey (optional)",
} as const;

const between = (lim: { min: number; max: number }, unit = "") => `a whole number${unit} between ${lim.min} and ${lim.max}`;
const intBetween = (lim: { min: number; max: number }, unit = "") => z.int(between(lim, unit)).min(lim.min, between(lim, unit)).max(lim.max, between(lim, unit));
const fmt = (f: { re: RegExp; expected: string }) => z.string(f.expected).regex(f.re, f.expected);

const TAG_EXPECTED = FORMATS.imageTag.expected;

const dbSchema = z
    .object({
        /** RDS identifier; default provisioner-<environment> (never cloud-*: the provisioner manages those). */
        identifier: z.string().refine(isDbIdentifier, FORMATS.dbIdentifier.expected).optional(),
        /** PostgreSQL major (or major.minor). */
        engineVersion: z
            .string()
            .refine((v) => (SUPPORTED_POSTGRES_MAJORS as readonly string[]).includes(postgresMajor(v) ?? ""), FORMATS.engineVersion.expected)
            .default(versions.provisioner.postgresEngineVersion),
        instanceClass: fmt(FORMATS.instanceClass).optional(),
        allocatedStorageGiB: intBetween(LIMITS.storageGiB, " of GiB").optional(),
        maxAllocatedStorageGiB: intBetween(LIMITS.storageGiB, " of GiB").optional(),
        multiAz: z.boolean().optional(),
        backupRetentionDays: intBetween(LIMITS.backupRetentionDays, " of days").optional(),
        readReplica: z.boolean().default(false),
        iamDatabaseAuthentication: z.boolean().default(false),
    })
    .strict();

const flagsSchema = z
    .object({
        keepDatabaseData: z.boolean().optional(),
        keepFilestoreData: z.boolean().optional(),
        poll: intBetween(LIMITS.poll, " of seconds").default(30),
        clusterResourceThreshold: intBetween(LIMITS.clusterResourceThreshold, " (percent)").default(80),
        dev: z.boolean().optional(),
    })
    .strict();

const resourcesSchema = z
    .object({
        cpuRequest: fmt(FORMATS.cpu),
        memoryRequest: fmt(FORMATS.memory),
        cpuLimit: fmt(FORMATS.cpu),
        memoryLimit: fmt(FORMATS.memory),
    })
    .strict();

export const provisionerConfigSchema = z
    .object({
        /** Kubernetes namespace. */
        namespace: fmt(FORMATS.namespace).default("provisioner"),
        /** Image repository (without tag). */
        image: fmt(FORMATS.image).default(versions.provisioner.image),
        /** Image tag: a pinned release, never latest. Default: the tag pinned in components/common/versions.ts. */
        imageTag: z
            .string(TAG_EXPECTED)
            .regex(FORMATS.imageTag.re, TAG_EXPECTED) // a pinned release tag; "latest" never matches
            .default(versions.provisioner.imageTag),
        /** `--utilities-git-url`. */
        utilitiesGitUrl: z.string(`a value (required; ${FORMATS.gitUrl.expected})`).regex(FORMATS.gitUrl.re, FORMATS.gitUrl.expected),
        /** Public key kops installs on nodes (cloud server requires one in ~/.ssh). */
        sshPublicKey: z.string(`a value (required; ${FORMATS.sshPublicKey.expected})`).regex(FORMATS.sshPublicKey.re, FORMATS.sshPublicKey.expected),
        /** kops state bucket; default cloud-<environment>-kops-state (cloud-<prefix>-<environment>-kops-state for another prefix). */
        stateBucketName: fmt(FORMATS.stateBucket).optional(),
        /** Roles that may read/write the state bucket's objects besides the provisioner. */
        adminRoleArns: z.array(fmt(FORMATS.roleArn)).min(1, "a list of at least 1 IAM role ARN (break-glass access to the kops state)"),
        /** Hosted zones the provisioner writes installation records to. */
        route53ZoneIds: z.array(fmt(FORMATS.zoneId)).min(1, "a list of at least 1 Route 53 hosted zone ID"),
        /** IngressGroup shared with the other private UIs. */
        ingressGroupName: fmt(FORMATS.ingressGroup).default("cnc-internal"),
        /** ACM certificate of the HTTPS listener (HTTP 80 without it). */
        certificateArn: fmt(FORMATS.certificateArn).optional(),
        /** Replicas of the API/cluster-supervisor Deployment; default 1 in dev, 2 in prod. */
        replicas: intBetween(LIMITS.replicas).optional(),
        /** Container resources; default by environment. */
        resources: resourcesSchema.optional(),
        db: dbSchema.prefault({}),
        flags: flagsSchema.prefault({}),
        supervisors: z
            .object({
                /** Default: on in prod, off elsewhere. */
                enabled: z.boolean().optional(),
                /** Default 3 in prod (as the original ran), 1 elsewhere. */
                replicas: intBetween(LIMITS.replicas).optional(),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .superRefine((cfg, ctx) => {
        const { allocatedStorageGiB: allocated, maxAllocatedStorageGiB: max } = cfg.db;
        if (allocated !== undefined && max !== undefined && max < minMaxAllocatedStorage(allocated)) {
            ctx.addIssue({
                code: "custom",
                path: ["db", "maxAllocatedStorageGiB"],
                message: `at least ${minMaxAllocatedStorage(allocated)} (RDS storage autoscaling needs 10% above allocatedStorageGiB ${allocated})`,
                input: max,
            });
        }
    });

export type ProvisionerConfig = z.infer<typeof provisionerConfigSchema>;

/** The default kops state bucket name: starts with cloud-, as the provisioner requires. */
export function defaultStateBucketName(common: Pick<CommonSettings, "environment" | "prefix">): string {
    return common.prefix === "cloud" ? `cloud-${common.environment}-kops-state` : `cloud-${common.prefix}-${common.environment}-kops-state`;
}

/** Sizes and behaviour per environment: prod is highly available and keeps data; dev is small and disposable. */
export function environmentDefaults(environment: string) {
    const prod = environment === "prod";
    return {
        db: {
            instanceClass: prod ? "db.m7g.large" : "db.t4g.small",
            allocatedStorageGiB: prod ? 100 : 20,
            maxAllocatedStorageGiB: prod ? 500 : 100,
            multiAz: prod,
            backupRetentionDays: prod ? 30 : 7,
        },
        flags: { keepDatabaseData: prod, keepFilestoreData: prod, dev: environment === "dev" },
        supervisors: { enabled: prod, replicas: prod ? 3 : 1 },
        replicas: prod ? 2 : 1,
        resources: prod
            ? { cpuRequest: "500m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "4Gi" }
            : { cpuRequest: "250m", memoryRequest: "512Mi", cpuLimit: "1", memoryLimit: "2Gi" },
    };
}

/** What the composition adds: secrets (read with requireSecret/getSecret) and the network/cluster outputs. */
export type ProvisionerArgsFromConfig = Omit<
    ProvisionerServerArgs,
    "utilitiesGitToken" | "sshPrivateKey" | "vpcId" | "subnetIds" | "allowedSecurityGroupIds" | "internalDomain" | "oidcProviderArn" | "oidcProviderUrl"
>;

/** Maps the parsed section to ProvisionerServer's args (pure). Tags come through the provider's defaultTags. */
export function provisionerArgs(cfg: ProvisionerConfig, common: CommonSettings): ProvisionerArgsFromConfig {
    const d = environmentDefaults(common.environment);
    return {
        namespace: cfg.namespace,
        image: cfg.image,
        imageTag: cfg.imageTag,
        utilitiesGitUrl: cfg.utilitiesGitUrl,
        sshPublicKey: cfg.sshPublicKey,
        stateBucketName: cfg.stateBucketName ?? defaultStateBucketName(common),
        adminRoleArns: [...cfg.adminRoleArns],
        route53ZoneIds: [...cfg.route53ZoneIds],
        db: {
            identifier: cfg.db.identifier ?? `provisioner-${common.environment}`,
            engineVersion: cfg.db.engineVersion,
            instanceClass: cfg.db.instanceClass ?? d.db.instanceClass,
            allocatedStorageGiB: cfg.db.allocatedStorageGiB ?? d.db.allocatedStorageGiB,
            maxAllocatedStorageGiB: cfg.db.maxAllocatedStorageGiB ?? Math.max(d.db.maxAllocatedStorageGiB, minMaxAllocatedStorage(cfg.db.allocatedStorageGiB ?? d.db.allocatedStorageGiB)),
            multiAz: cfg.db.multiAz ?? d.db.multiAz,
            backupRetentionDays: cfg.db.backupRetentionDays ?? d.db.backupRetentionDays,
            readReplica: cfg.db.readReplica,
            iamDatabaseAuthentication: cfg.db.iamDatabaseAuthentication,
        },
        flags: {
            keepDatabaseData: cfg.flags.keepDatabaseData ?? d.flags.keepDatabaseData,
            keepFilestoreData: cfg.flags.keepFilestoreData ?? d.flags.keepFilestoreData,
            poll: cfg.flags.poll,
            clusterResourceThreshold: cfg.flags.clusterResourceThreshold,
            dev: cfg.flags.dev ?? d.flags.dev,
        },
        supervisors: { enabled: cfg.supervisors.enabled ?? d.supervisors.enabled, replicas: cfg.supervisors.replicas ?? d.supervisors.replicas },
        replicas: cfg.replicas ?? d.replicas,
        resources: { ...(cfg.resources ?? d.resources) },
        ingressGroupName: cfg.ingressGroupName,
        ...(cfg.certificateArn ? { certificateArn: cfg.certificateArn } : {}),
        deletionProtection: common.deletionProtection,
    };
}

/** Reads this section's secrets (the composition calls it with `new pulumi.Config("cloud-cnc")`). */
export function provisionerSecrets(config: pulumi.Config): { utilitiesGitToken: pulumi.Output<string>; sshPrivateKey?: pulumi.Output<string> } {
    const sshPrivateKey = config.getSecret("provisionerSshPrivateKey");
    return { utilitiesGitToken: config.requireSecret("provisionerGitToken"), ...(sshPrivateKey ? { sshPrivateKey } : {}) };
}
