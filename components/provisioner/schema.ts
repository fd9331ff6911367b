// ProvisionerServer's rule book: the one definition of its plain-data args (rules, messages,
// defaults, profile-dependent defaults). The component parses its args with it; the stack's
// `cloud-cnc:provisioner` config section is this schema without the keys the composition supplies.
import { z } from "zod";
import {
    awsRegion,
    format,
    certificateArn,
    cpuQuantity,
    dnsName,
    environmentName,
    hostedZoneId,
    httpsUrl,
    intIn,
    isBucketName,
    k8sName,
    namePrefix,
    oidcIssuerUrl,
    oidcProviderArn,
    replicas,
    roleArn,
    isKnownRegion,
    limitsBelowRequests,
    positive,
    ROLE_ARN_RE,
    securityGroupId,
    subnetId,
    tags,
    vpcId,
} from "../common/formats";
import { ProfileDefaults, addIssue, allRules, input, profileSchema, withDefaults } from "../common/schema";
import { versions } from "../common/versions";
import { RDS_CA_BUNDLE_REGIONS } from "./rds-ca-bundle";

// ---------------------------------------------------------------------------------------------
// Rules of this component

/** Prefix of every AWS resource name the provisioner creates and manages (`cloudIDPrefix` in mattermost-cloud). */
export const CLOUD_PREFIX = "cloud-";

/** Postgres majors this component knows the parameter group family of (both in RDS standard support). */
export const SUPPORTED_POSTGRES_MAJORS = ["16", "17"] as const;

const ENGINE_VERSION_RE = /^(\d{2})(\.\d+)?$/;

/** The major of a PostgreSQL engine version ("17.7" -> "17"), or undefined when malformed. */
export function postgresMajor(engineVersion: string): string | undefined {
    return ENGINE_VERSION_RE.exec(engineVersion)?.[1];
}

const DB_IDENTIFIER_RE = /^[a-z](?!.*--)[a-z0-9-]{0,61}[a-z0-9]$/;

/** True for an RDS identifier we allow for the provisioner's own database (never a cloud-* name the provisioner manages). */
export function isDbIdentifier(id: unknown): boolean {
    return typeof id === "string" && DB_IDENTIFIER_RE.test(id) && !id.startsWith(CLOUD_PREFIX);
}

/** The smallest storage autoscaling ceiling RDS accepts: 10% above the allocated storage. */
export function minMaxAllocatedStorage(allocatedGiB: number): number {
    return Math.ceil((allocatedGiB * 11) / 10);
}

const IMAGE_TAG_RE = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z][0-9A-Za-z.-]*)?$/;

/** True for a tag that is not `latest` and looks like a release. */
export function isPinnedTag(tag: unknown): boolean {
    return typeof tag === "string" && IMAGE_TAG_RE.test(tag);
}

/**
 * ARNs the provisioner is explicitly denied every action on, by kind: the C&C's own KMS keys, S3
 * buckets, SNS topics and SQS queues. Anything else (an alias, an object, another service) is
 * refused: a Deny on a kind it does not cover would protect nothing.
 */
export const PROTECTED_ARN_KINDS = {
    kms: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,100}$/,
    s3: /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    sns: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
    sqs: /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/,
} as const;
export type ProtectedArnKind = keyof typeof PROTECTED_ARN_KINDS;

/** The kind of a protectable ARN, or undefined. */
export function protectedArnKind(arn: unknown): ProtectedArnKind | undefined {
    if (typeof arn !== "string") return undefined;
    return (Object.keys(PROTECTED_ARN_KINDS) as ProtectedArnKind[]).find((k) => PROTECTED_ARN_KINDS[k].test(arn));
}

/** At most this many protected ARNs: every one is in the boundary policy, which IAM caps at 6,144 characters. */
export const MAX_PROTECTED_ARNS = 20;

/** The provisioner's kops state store: a bucket name starting with cloud- (the provisioner requires it). */
export function isStateBucketName(name: unknown): boolean {
    return typeof name === "string" && /^cloud-[a-z0-9-]{0,56}[a-z0-9]$/.test(name) && isBucketName(name);
}

export const PROVISIONER_EXPECTED = {
    namespace: "a Kubernetes namespace name of 1-63 lowercase letters, digits and '-'",
    image: "an image repository without tag or digest, such as mattermost/mattermost-cloud",
    imageTag: "a pinned release tag such as v0.93.1 (never latest)",
    gitUrl: "an https URL of the Git host with the utility values, such as https://gitlab.example.com",
    gitPath: "a repository path on that Git host starting with '/', such as /cloud/gitops.git",
    gitToken: "a secret Input with the Git token (config.requireSecret)",
    sshPublicKey: "an OpenSSH public key starting with ssh-ed25519 or ssh-rsa (cloud server refuses to start without one in ~/.ssh)",
    sshPrivateKey: "a secret Input with the OpenSSH private key (config.getSecret)",
    stateBucket:
        'an S3 bucket name starting with "cloud-" (the provisioner requires it for its kops state store) of at most 63 lowercase letters, digits and \'-\', such as cloud-dev-kops-state',
    adminRoleArns: "a list of at least 1 IAM role ARN (break-glass access to the kops state)",
    subnetIds: "at least 2 private subnets in different AZs (an RDS subnet group needs two)",
    allowedSecurityGroupIds: "at least 1 security group (the cluster's) allowed to reach Postgres on 5432",
    route53ZoneIds: "a list of at least 1 Route 53 hosted zone ID (the zones the provisioner writes installation records to)",
    internalDomain: "a lowercase DNS domain such as apps.cnc.internal",
    ingressGroup: "an IngressGroup name of 1-63 lowercase letters, digits, '-' and '.'",
    dbIdentifier: "an RDS identifier of 2-63 lowercase letters, digits and '-' starting with a letter, not starting with \"cloud-\" (the provisioner may delete cloud-* databases)",
    engineVersion: `a PostgreSQL version whose major is one of ${SUPPORTED_POSTGRES_MAJORS.join(", ")}, such as 17`,
    instanceClass: "an RDS instance class such as db.t4g.medium",
    storageGiB: "a whole number of GiB between 20 and 65536",
    backupRetentionDays: "a whole number of days between 1 and 35",
    poll: "a whole number of seconds between 1 and 3600",
    clusterResourceThreshold: "a whole number (percent) between 1 and 100",
    protectedArn: "the ARN of a KMS key, S3 bucket, SNS topic or SQS queue, such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    protectedArns: `a list of at most ${MAX_PROTECTED_ARNS} ARNs of the C&C's own keys, buckets, topics and queues`,
    /** Binary units only (512Mi, 2Gi): a decimal "4G" is a common slip for 4Gi. */
    memory: "a memory quantity such as 512Mi or 2Gi",
} as const;

/** A string field of this component: its own message for a missing or mistyped value too. */
const text = format;

const MEMORY_RE = /^\d+(Ki|Mi|Gi|Ti)$/;
/** '/'-separated segments of letters, digits, '.', '_' and '-'; no "." or ".." segment. */
const GIT_PATH_RE = /^(\/(?!\.\.?(\/|$))[A-Za-z0-9._-]+)+$/;
const memory = () => text(PROVISIONER_EXPECTED.memory, positive(MEMORY_RE));

/** Role ARNs listed twice are reported at the second place (the first one's index named). */
function noDuplicateRoles(arns: unknown[], ctx: z.RefinementCtx): void {
    const seen = new Map<string, number>();
    arns.forEach((arn, i) => {
        if (typeof arn !== "string" || !ROLE_ARN_RE.test(arn)) return;
        if (seen.has(arn)) addIssue(ctx, [i], `a role not already listed (same as adminRoleArns[${seen.get(arn)}])`, arn);
        else seen.set(arn, i);
    });
}

// ---------------------------------------------------------------------------------------------
// The args

/** Every arg of ProvisionerServer: field rules, messages and plain defaults. */
export const provisionerArgsSchema = z
    .object({
        environment: environmentName(),
        prefix: namePrefix(),
        profile: profileSchema,
        region: awsRegion(),
        namespace: k8sName(PROVISIONER_EXPECTED.namespace).default("provisioner"),
        image: text(PROVISIONER_EXPECTED.image, (v) => /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(v)).default(versions.provisioner.image),
        imageTag: text(PROVISIONER_EXPECTED.imageTag, isPinnedTag).default(versions.provisioner.imageTag),
        utilitiesGitUrl: httpsUrl(PROVISIONER_EXPECTED.gitUrl),
        utilitiesGitPath: text(PROVISIONER_EXPECTED.gitPath, (v) => GIT_PATH_RE.test(v)),
        // Only an empty plain token is checked (and shown); a secret Output passes unchecked.
        utilitiesGitToken: input(z.string(PROVISIONER_EXPECTED.gitToken).min(1, PROVISIONER_EXPECTED.gitToken)),
        sshPublicKey: text(PROVISIONER_EXPECTED.sshPublicKey, (v) => /^ssh-(ed25519|rsa) [A-Za-z0-9+/]+={0,3}( \S.*)?$/.test(v)),
        sshPrivateKey: input(z.string(PROVISIONER_EXPECTED.sshPrivateKey)).optional(),
        stateBucketName: text(PROVISIONER_EXPECTED.stateBucket, isStateBucketName).optional(),
        adminRoleArns: z.array(roleArn(), PROVISIONER_EXPECTED.adminRoleArns).min(1, PROVISIONER_EXPECTED.adminRoleArns).superRefine(noDuplicateRoles),
        vpcId: input(vpcId()),
        subnetIds: input(z.array(input(subnetId()), PROVISIONER_EXPECTED.subnetIds).min(2, PROVISIONER_EXPECTED.subnetIds)),
        allowedSecurityGroupIds: z.array(input(securityGroupId()), PROVISIONER_EXPECTED.allowedSecurityGroupIds).min(1, PROVISIONER_EXPECTED.allowedSecurityGroupIds),
        route53ZoneIds: input(
            z
                .array(input(hostedZoneId()), PROVISIONER_EXPECTED.route53ZoneIds)
                .min(1, PROVISIONER_EXPECTED.route53ZoneIds)
                .superRefine((ids, ctx) => {
                    const seen = new Map<unknown, number>();
                    ids.forEach((id, i) => {
                        if (typeof id !== "string") return;
                        if (seen.has(id)) addIssue(ctx, [i], `a hosted zone not already listed (same as route53ZoneIds[${seen.get(id)}])`, id);
                        else seen.set(id, i);
                    });
                }),
        ),
        internalDomain: input(dnsName(PROVISIONER_EXPECTED.internalDomain)),
        ingressGroupName: text(PROVISIONER_EXPECTED.ingressGroup, (v) => /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/.test(v)).default("cnc-internal"),
        certificateArn: certificateArn().optional(),
        ownIngress: z.boolean("true or false").default(true),
        oidcProviderArn: input(oidcProviderArn()),
        oidcProviderUrl: input(oidcIssuerUrl()),
        replicas: replicas(10).optional(),
        resources: z
            .object({
                cpuRequest: cpuQuantity().optional(),
                memoryRequest: memory().optional(),
                cpuLimit: cpuQuantity().optional(),
                memoryLimit: memory().optional(),
            })
            .strict()
            .prefault({}),
        db: z
            .object({
                identifier: text(PROVISIONER_EXPECTED.dbIdentifier, isDbIdentifier).optional(),
                engineVersion: text(PROVISIONER_EXPECTED.engineVersion, (v) => (SUPPORTED_POSTGRES_MAJORS as readonly string[]).includes(postgresMajor(v) ?? "")).default(
                    versions.provisioner.postgresEngineVersion,
                ),
                instanceClass: text(PROVISIONER_EXPECTED.instanceClass, (v) => /^db\.[a-z0-9]+\.[a-z0-9]+$/.test(v)).optional(),
                allocatedStorageGiB: intIn(20, 65536, PROVISIONER_EXPECTED.storageGiB).optional(),
                maxAllocatedStorageGiB: intIn(20, 65536, PROVISIONER_EXPECTED.storageGiB).optional(),
                multiAz: z.boolean().optional(),
                backupRetentionDays: intIn(1, 35, PROVISIONER_EXPECTED.backupRetentionDays).optional(),
                readReplica: z.boolean().default(false),
                iamDatabaseAuthentication: z.boolean().default(false),
            })
            .strict()
            .prefault({}),
        flags: z
            .object({
                keepDatabaseData: z.boolean().optional(),
                keepFilestoreData: z.boolean().optional(),
                poll: intIn(1, 3600, PROVISIONER_EXPECTED.poll).default(30),
                clusterResourceThreshold: intIn(1, 100, PROVISIONER_EXPECTED.clusterResourceThreshold).default(80),
                dev: z.boolean().optional(),
            })
            .strict()
            .prefault({}),
        supervisors: z
            .object({
                enabled: z.boolean().optional(),
                replicas: replicas(10).optional(),
            })
            .strict()
            .prefault({}),
        deletionProtection: z.boolean().optional(),
        protectedResourceArns: input(
            z.array(input(text(PROVISIONER_EXPECTED.protectedArn, (v) => protectedArnKind(v) !== undefined)), PROVISIONER_EXPECTED.protectedArns).max(MAX_PROTECTED_ARNS, PROVISIONER_EXPECTED.protectedArns),
        ).optional(),
        requirePermissionsBoundaryOnCreatedPrincipals: z.boolean().default(false),
        tags: tags().default({}),
    })
    .strict();

export type ProvisionerArgsInput = z.input<typeof provisionerArgsSchema>;

/** Defaults that depend on the sizing profile: production is highly available and keeps data; development is small and disposable. */
export const PROVISIONER_PROFILE_DEFAULTS = {
    production: {
        db: { instanceClass: "db.m7g.large", allocatedStorageGiB: 100, maxAllocatedStorageGiB: 500, multiAz: true, backupRetentionDays: 30 },
        flags: { keepDatabaseData: true, keepFilestoreData: true, dev: false },
        supervisors: { enabled: true, replicas: 3 },
        replicas: 2,
        resources: { cpuRequest: "500m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "4Gi" },
        deletionProtection: true,
    },
    development: {
        db: { instanceClass: "db.t4g.small", allocatedStorageGiB: 20, maxAllocatedStorageGiB: 100, multiAz: false, backupRetentionDays: 7 },
        flags: { keepDatabaseData: false, keepFilestoreData: false, dev: true },
        supervisors: { enabled: false, replicas: 1 },
        replicas: 1,
        resources: { cpuRequest: "250m", memoryRequest: "512Mi", cpuLimit: "1", memoryLimit: "2Gi" },
        deletionProtection: false,
    },
} satisfies ProfileDefaults<z.output<typeof provisionerArgsSchema>>;

const isStorage = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 20 && v <= 65536;

/**
 * Rules across fields (run by the component and, on the keys it has, by the config section):
 * the storage autoscaling ceiling must be 10% above the allocated storage (the profile's
 * allocated storage when only the ceiling is set and the profile is known); prefix and
 * environment, part of the RDS names (parameter group, default identifier), must not hold '--',
 * which RDS refuses; the region must be one whose RDS root CA is in the bundle the database
 * connection verifies against (rds-ca-bundle.ts); a limit must not be below its request, the
 * profile's request when only the limit is set (Kubernetes refuses such a pod).
 */
export function provisionerRules(
    a: {
        prefix?: unknown;
        environment?: unknown;
        profile?: unknown;
        region?: unknown;
        ownIngress?: unknown;
        certificateArn?: unknown;
        db?: { allocatedStorageGiB?: unknown; maxAllocatedStorageGiB?: unknown };
        resources?: { cpuRequest?: unknown; memoryRequest?: unknown; cpuLimit?: unknown; memoryLimit?: unknown };
    },
    ctx: z.RefinementCtx,
): void {
    if (typeof a.region === "string" && isKnownRegion(a.region) && !(RDS_CA_BUNDLE_REGIONS as readonly string[]).includes(a.region)) {
        addIssue(ctx, ["region"], "a region whose RDS root CA is in the bundle the provisioner verifies its database with (components/provisioner/rds-ca-bundle.ts; replace it with a newer global-bundle.pem for a newer region)", a.region);
    }
    for (const field of ["prefix", "environment"] as const) {
        const value = a[field];
        if (typeof value === "string" && value.includes("--")) addIssue(ctx, [field], `${field === "prefix" ? "a prefix" : "an environment name"} without '--' (RDS refuses it in the database's names)`, value);
    }
    if (a.ownIngress === false && a.certificateArn !== undefined) {
        addIssue(ctx, ["certificateArn"], "nothing (the certificate of the provisioner's own Ingress; ownIngress is false: AppIngress serves provisioner.<domain> with its own certificate)", a.certificateArn);
    }
    const profile = typeof a.profile === "string" && a.profile in PROVISIONER_PROFILE_DEFAULTS ? (a.profile as keyof typeof PROVISIONER_PROFILE_DEFAULTS) : undefined;
    const given = a.resources && typeof a.resources === "object" ? a.resources : {};
    const resources = { ...(profile ? PROVISIONER_PROFILE_DEFAULTS[profile].resources : {}), ...given };
    const strings = Object.fromEntries(Object.entries(resources).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    for (const p of limitsBelowRequests(strings)) {
        // Reported at the limit the user set, or at the request when only the request was set.
        const field = p.field in given ? p.field : p.field === "cpuLimit" ? "cpuRequest" : "memoryRequest";
        if (field in given) addIssue(ctx, ["resources", field], field === p.field ? p.expected : `a request no higher than ${p.field} (${strings[p.field]})`, strings[field]);
    }
    const allocated = a.db?.allocatedStorageGiB ?? (profile ? PROVISIONER_PROFILE_DEFAULTS[profile].db.allocatedStorageGiB : undefined);
    const max = a.db?.maxAllocatedStorageGiB;
    if (isStorage(allocated) && isStorage(max) && max < minMaxAllocatedStorage(allocated)) {
        addIssue(ctx, ["db", "maxAllocatedStorageGiB"], `at least ${minMaxAllocatedStorage(allocated)} (RDS storage autoscaling needs 10% above allocatedStorageGiB ${allocated})`, max);
    }
}

/** The default kops state bucket: `cloud-<env>-kops-state` (`cloud-<prefix>-<env>-kops-state` for another prefix): it must start with cloud-. */
export function defaultStateBucketName(prefix: string, environment: string): string {
    return prefix === "cloud" ? `cloud-${environment}-kops-state` : `cloud-${prefix}-${environment}-kops-state`;
}

/**
 * The default RDS identifier: `provisioner-<env>` (`provisioner-<prefix>-<env>` for another
 * prefix). Never `<prefix>-<env>-...`: with the default prefix that would start with cloud-, the
 * names the provisioner manages and may delete.
 */
export function defaultDbIdentifier(prefix: string, environment: string): string {
    return prefix === "cloud" ? `provisioner-${environment}` : `provisioner-${prefix}-${environment}`;
}

/** ProvisionerServer's settings: the args after every default (plain and profile), names resolved. */
export interface ProvisionerSettings extends Omit<z.output<typeof provisionerArgsSchema>, "stateBucketName" | "replicas" | "resources" | "db" | "flags" | "supervisors" | "deletionProtection"> {
    stateBucketName: string;
    replicas: number;
    resources: { cpuRequest: string; memoryRequest: string; cpuLimit: string; memoryLimit: string };
    db: {
        identifier: string;
        engineVersion: string;
        instanceClass: string;
        allocatedStorageGiB: number;
        maxAllocatedStorageGiB: number;
        multiAz: boolean;
        backupRetentionDays: number;
        readReplica: boolean;
        iamDatabaseAuthentication: boolean;
    };
    flags: { keepDatabaseData: boolean; keepFilestoreData: boolean; poll: number; clusterResourceThreshold: number; dev: boolean };
    supervisors: { enabled: boolean; replicas: number };
    deletionProtection: boolean;
}

/** The args parsed into settings: every default applied, the bucket and database names resolved. */
export const provisionerSchema = provisionerArgsSchema.superRefine(...allRules(provisionerRules)).transform((a): ProvisionerSettings => {
    const s = withDefaults(a, PROVISIONER_PROFILE_DEFAULTS[a.profile]) as ProvisionerSettings;
    // An unset ceiling is the profile's, lifted to what the allocated storage needs.
    const maxAllocatedStorageGiB = a.db.maxAllocatedStorageGiB ?? Math.max(s.db.maxAllocatedStorageGiB, minMaxAllocatedStorage(s.db.allocatedStorageGiB));
    // Always valid: provisionerRules keeps '--' out of prefix and environment, and both are short.
    const identifier = s.db.identifier ?? defaultDbIdentifier(s.prefix, s.environment);
    return { ...s, stateBucketName: s.stateBucketName ?? defaultStateBucketName(s.prefix, s.environment), db: { ...s.db, identifier, maxAllocatedStorageGiB } };
});
