// Pure decisions of ProvisionerServer: formats and validation, names, the database settings, the
// kops state bucket's policy and lifecycle, the provisioner's IAM policies, the connection string.
// No Pulumi resources here: tests call these functions directly.
import type * as aws from "@pulumi/aws";
import { Problem } from "../common/errors";
import { denyInsecureTransport, PolicyDocument, policyDocument, PolicyStatement } from "../common/iam";
import { versions } from "../common/versions";
import { EXPECTED as COMMON_EXPECTED, ROLE_ARN_RE, SUBNET_ID_RE, VPC_ID_RE } from "../common/formats";
import type { ProvisionerServerArgs } from "./index";

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Prefix of every AWS resource name the provisioner creates and manages (`cloudIDPrefix` in mattermost-cloud). */
export const CLOUD_PREFIX = "cloud-";

/**
 * The IAM name pattern of a provisioner-managed resource: `cloud-` and a 26-character
 * installation ID (model.NewID; the API routes match `[A-Za-z0-9]{26}`), with IAM's `?` wildcard.
 * Tighter than `cloud-*`, which would also match other stacks' buckets such as the metrics bucket
 * `cloud-<env>-prometheus-metrics`.
 */
export const CLOUD_ID_PATTERN = `${CLOUD_PREFIX}${"?".repeat(26)}`;

/** Kubernetes names of the in-cluster objects. */
export const NAMES = {
    serviceAccount: "provisioner",
    deployment: "provisioner",
    supervisors: "provisioner-installations",
    service: "provisioner",
    ingress: "provisioner",
    secret: "provisioner",
    sshSecret: "provisioner-ssh",
} as const;

/** The database and its owner inside the RDS instance. */
export const DATABASE_NAME = "provisioner";
export const DATABASE_USER = "provisioner";
export const DATABASE_PORT = 5432;

/** Postgres majors this component knows the parameter group family of (both in RDS standard support). */
export const SUPPORTED_POSTGRES_MAJORS = ["16", "17"] as const;

/** Days the RDS log groups (postgresql, upgrade) keep their events. */
export const DB_LOG_RETENTION_DAYS = 90;
/** The RDS logs exported to CloudWatch Logs (their groups are created first, with retention). */
export const DB_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/** Performance Insights retention in days (7 is the free tier). */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
/** The RDS CA every new instance should use (RSA 2048, valid to 2061). */
export const RDS_CA = "rds-ca-rsa2048-g1";

/** Days a noncurrent version of a kops state object is kept. */
export const STATE_NONCURRENT_DAYS = 90;
/** Noncurrent versions kept regardless of age (the last few edits of each cluster spec). */
export const STATE_NONCURRENT_KEEP = 10;
/** Days after which an incomplete multipart upload is aborted. */
export const ABORT_INCOMPLETE_MULTIPART_DAYS = 7;

/** The defaults of every optional arg (dev-sized; the stack config picks prod sizes). */
export const DEFAULTS = {
    namespace: "provisioner",
    image: versions.provisioner.image,
    imageTag: versions.provisioner.imageTag,
    db: {
        engineVersion: versions.provisioner.postgresEngineVersion,
        instanceClass: "db.t4g.medium",
        allocatedStorageGiB: 20,
        maxAllocatedStorageGiB: 100,
        multiAz: false,
        backupRetentionDays: 7,
        readReplica: false,
        iamDatabaseAuthentication: false,
    },
    flags: { keepDatabaseData: true, keepFilestoreData: true, poll: 30, clusterResourceThreshold: 80, dev: false },
    supervisors: { enabled: false, replicas: 1 },
    replicas: 1,
    resources: { cpuRequest: "250m", memoryRequest: "512Mi", cpuLimit: "2", memoryLimit: "2Gi" },
    ingressGroupName: "cnc-internal",
} as const;

// ---------------------------------------------------------------------------------------------
// Formats (shared with stacks/config/provisioner.ts so config and args report the same way)
// ---------------------------------------------------------------------------------------------

export const FORMATS = {
    namespace: { re: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, expected: "a Kubernetes namespace name of 1-63 lowercase letters, digits and '-'" },
    image: {
        re: /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/,
        expected: "an image repository without tag or digest, such as mattermost/mattermost-cloud",
    },
    imageTag: { re: /^v?\d+\.\d+\.\d+(-[0-9A-Za-z][0-9A-Za-z.-]*)?$/, expected: "a pinned release tag such as v0.92.0 (never latest)" },
    gitUrl: { re: /^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/\S*)?$/, expected: "an https URL of the Git host with the utility values, such as https://gitlab.example.com" },
    stateBucket: {
        re: /^cloud-[a-z0-9-]{0,56}[a-z0-9]$/,
        expected: 'an S3 bucket name starting with "cloud-" (the provisioner requires it for its kops state store) of at most 63 lowercase letters, digits and \'-\', such as cloud-dev-kops-state',
    },
    roleArn: { re: ROLE_ARN_RE, expected: COMMON_EXPECTED.roleArn },
    vpcId: { re: VPC_ID_RE, expected: COMMON_EXPECTED.vpcId },
    subnetId: { re: SUBNET_ID_RE, expected: COMMON_EXPECTED.subnetId },
    securityGroupId: { re: /^sg-[0-9a-f]{8,17}$/, expected: "a security group ID such as sg-0123456789abcdef0" },
    zoneId: { re: /^Z[A-Z0-9]{1,31}$/, expected: "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ" },
    dbIdentifier: {
        re: /^[a-z](?!.*--)[a-z0-9-]{0,61}[a-z0-9]$/,
        expected: "an RDS identifier of 2-63 lowercase letters, digits and '-' starting with a letter, not starting with \"cloud-\" (the provisioner may delete cloud-* databases)",
    },
    engineVersion: { re: /^(\d{2})(\.\d+)?$/, expected: `a PostgreSQL version whose major is one of ${SUPPORTED_POSTGRES_MAJORS.join(", ")}, such as 17` },
    instanceClass: { re: /^db\.[a-z0-9]+\.[a-z0-9]+$/, expected: "an RDS instance class such as db.t4g.medium" },
    cpu: { re: /^(\d+m|\d+(\.\d+)?)$/, expected: "a CPU quantity such as 250m or 2" },
    memory: { re: /^\d+(Ki|Mi|Gi|Ti)$/, expected: "a memory quantity such as 512Mi or 2Gi" },
    domain: { re: /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/, expected: "a lowercase DNS domain such as apps.cnc.internal" },
    ingressGroup: { re: /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/, expected: "an IngressGroup name of 1-63 lowercase letters, digits, '-' and '.'" },
    certificateArn: { re: /^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, expected: "an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d" },
    sshPublicKey: {
        re: /^ssh-(ed25519|rsa) [A-Za-z0-9+/]+={0,3}( \S.*)?$/,
        expected: "an OpenSSH public key starting with ssh-ed25519 or ssh-rsa (cloud server refuses to start without one in ~/.ssh)",
    },
} as const;

export const LIMITS = {
    storageGiB: { min: 20, max: 65536 },
    backupRetentionDays: { min: 1, max: 35 },
    poll: { min: 1, max: 3600 },
    clusterResourceThreshold: { min: 1, max: 100 },
    replicas: { min: 1, max: 10 },
} as const;

/** The smallest storage autoscaling ceiling RDS accepts: 10% above the allocated storage. */
export function minMaxAllocatedStorage(allocatedGiB: number): number {
    return Math.ceil((allocatedGiB * 11) / 10);
}

/** True for an RDS identifier we allow for the provisioner's own database. */
export function isDbIdentifier(id: string): boolean {
    return FORMATS.dbIdentifier.re.test(id) && !id.startsWith(CLOUD_PREFIX);
}

/** The major of a PostgreSQL engine version ("17.7" -> "17"), or undefined when malformed. */
export function postgresMajor(engineVersion: string): string | undefined {
    return FORMATS.engineVersion.re.exec(engineVersion)?.[1];
}

/** The RDS parameter group family of a PostgreSQL engine version. */
export function parameterGroupFamily(engineVersion: string): string {
    return `postgres${postgresMajor(engineVersion)}`;
}

/** True for a tag that is not `latest` and looks like a release. */
export function isPinnedTag(tag: string): boolean {
    return FORMATS.imageTag.re.test(tag);
}

// ---------------------------------------------------------------------------------------------
// Settings with defaults, and validation
// ---------------------------------------------------------------------------------------------

/** The plain (non-Output) settings after defaults. */
export interface ProvisionerSettings {
    namespace: string;
    image: string;
    imageTag: string;
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
    replicas: number;
    resources: { cpuRequest: string; memoryRequest: string; cpuLimit: string; memoryLimit: string };
    ingressGroupName: string;
    certificateArn?: string;
    deletionProtection: boolean;
    tags: Record<string, string>;
}

/** Applies the defaults; `name` is the component's name (the default database identifier derives from it). */
export function settingsWithDefaults(name: string, args: ProvisionerServerArgs): ProvisionerSettings {
    const db = args.db ?? {};
    const flags = args.flags ?? {};
    const sup = args.supervisors ?? {};
    const res = args.resources ?? {};
    const allocated = db.allocatedStorageGiB ?? DEFAULTS.db.allocatedStorageGiB;
    return {
        namespace: args.namespace ?? DEFAULTS.namespace,
        image: args.image ?? DEFAULTS.image,
        imageTag: args.imageTag ?? DEFAULTS.imageTag,
        db: {
            identifier: db.identifier ?? `${name}-provisioner`,
            engineVersion: db.engineVersion ?? DEFAULTS.db.engineVersion,
            instanceClass: db.instanceClass ?? DEFAULTS.db.instanceClass,
            allocatedStorageGiB: allocated,
            maxAllocatedStorageGiB: db.maxAllocatedStorageGiB ?? Math.max(DEFAULTS.db.maxAllocatedStorageGiB, minMaxAllocatedStorage(allocated)),
            multiAz: db.multiAz ?? DEFAULTS.db.multiAz,
            backupRetentionDays: db.backupRetentionDays ?? DEFAULTS.db.backupRetentionDays,
            readReplica: db.readReplica ?? DEFAULTS.db.readReplica,
            iamDatabaseAuthentication: db.iamDatabaseAuthentication ?? DEFAULTS.db.iamDatabaseAuthentication,
        },
        flags: {
            keepDatabaseData: flags.keepDatabaseData ?? DEFAULTS.flags.keepDatabaseData,
            keepFilestoreData: flags.keepFilestoreData ?? DEFAULTS.flags.keepFilestoreData,
            poll: flags.poll ?? DEFAULTS.flags.poll,
            clusterResourceThreshold: flags.clusterResourceThreshold ?? DEFAULTS.flags.clusterResourceThreshold,
            dev: flags.dev ?? DEFAULTS.flags.dev,
        },
        supervisors: { enabled: sup.enabled ?? DEFAULTS.supervisors.enabled, replicas: sup.replicas ?? DEFAULTS.supervisors.replicas },
        replicas: args.replicas ?? DEFAULTS.replicas,
        resources: {
            cpuRequest: res.cpuRequest ?? DEFAULTS.resources.cpuRequest,
            memoryRequest: res.memoryRequest ?? DEFAULTS.resources.memoryRequest,
            cpuLimit: res.cpuLimit ?? DEFAULTS.resources.cpuLimit,
            memoryLimit: res.memoryLimit ?? DEFAULTS.resources.memoryLimit,
        },
        ingressGroupName: args.ingressGroupName ?? DEFAULTS.ingressGroupName,
        ...(args.certificateArn !== undefined ? { certificateArn: args.certificateArn } : {}),
        deletionProtection: args.deletionProtection ?? false,
        tags: { ...(args.tags ?? {}) },
    };
}

function isInt(v: unknown): v is number {
    return typeof v === "number" && Number.isInteger(v);
}

/**
 * Every problem with the args, at once. Inputs that are still Outputs are not looked at (they
 * resolve later); plain values are.
 */
export function validateProvisionerArgs(args: ProvisionerServerArgs, s: ProvisionerSettings): Problem[] {
    const out: Problem[] = [];
    const add = (field: string, expected: string, found: unknown) => out.push({ field, expected, found });
    const format = (field: string, f: { re: RegExp; expected: string }, v: unknown) => {
        if (typeof v !== "string" || !f.re.test(v)) add(field, f.expected, v);
    };
    const intIn = (field: string, v: unknown, lim: { min: number; max: number }, unit = "") => {
        if (!isInt(v) || v < lim.min || v > lim.max) add(field, `a whole number${unit} between ${lim.min} and ${lim.max}`, v);
    };

    format("namespace", FORMATS.namespace, s.namespace);
    format("image", FORMATS.image, s.image);
    if (typeof s.imageTag !== "string" || !isPinnedTag(s.imageTag)) add("imageTag", FORMATS.imageTag.expected, s.imageTag);
    format("utilitiesGitUrl", FORMATS.gitUrl, args.utilitiesGitUrl);
    if (args.utilitiesGitToken === undefined || args.utilitiesGitToken === null || args.utilitiesGitToken === "") {
        add("utilitiesGitToken", "a secret Input with the Git token (config.requireSecret)", args.utilitiesGitToken === "" ? "an empty string" : args.utilitiesGitToken);
    }
    format("sshPublicKey", FORMATS.sshPublicKey, args.sshPublicKey);
    format("stateBucketName", FORMATS.stateBucket, args.stateBucketName);

    const admins = Array.isArray(args.adminRoleArns) ? args.adminRoleArns : undefined;
    if (!admins) add("adminRoleArns", "a list of IAM role ARNs (may be empty)", args.adminRoleArns);
    const seen = new Map<string, number>();
    (admins ?? []).forEach((arn, i) => {
        if (typeof arn !== "string" || !FORMATS.roleArn.re.test(arn)) add(`adminRoleArns[${i}]`, FORMATS.roleArn.expected, arn);
        else if (seen.has(arn)) add(`adminRoleArns[${i}]`, `a role not already listed (same as adminRoleArns[${seen.get(arn)}])`, arn);
        else seen.set(arn, i);
    });

    if (typeof args.vpcId === "string") format("vpcId", FORMATS.vpcId, args.vpcId);
    else if (args.vpcId === undefined) add("vpcId", FORMATS.vpcId.expected, undefined);
    if (Array.isArray(args.subnetIds)) {
        if (args.subnetIds.length < 2) add("subnetIds", "at least 2 private subnets in different AZs (an RDS subnet group needs two)", args.subnetIds);
        args.subnetIds.forEach((id, i) => typeof id === "string" && format(`subnetIds[${i}]`, FORMATS.subnetId, id));
    } else if (args.subnetIds === undefined) add("subnetIds", "at least 2 private subnets in different AZs (an RDS subnet group needs two)", undefined);
    if (Array.isArray(args.allowedSecurityGroupIds)) {
        if (args.allowedSecurityGroupIds.length === 0) add("allowedSecurityGroupIds", "at least 1 security group (the cluster's) allowed to reach Postgres on 5432", args.allowedSecurityGroupIds);
        args.allowedSecurityGroupIds.forEach((id, i) => typeof id === "string" && format(`allowedSecurityGroupIds[${i}]`, FORMATS.securityGroupId, id));
    } else if (args.allowedSecurityGroupIds === undefined) add("allowedSecurityGroupIds", "at least 1 security group (the cluster's) allowed to reach Postgres on 5432", undefined);
    if (Array.isArray(args.route53ZoneIds)) {
        if (args.route53ZoneIds.length === 0) add("route53ZoneIds", "at least 1 Route 53 hosted zone ID the provisioner manages records in", args.route53ZoneIds);
        args.route53ZoneIds.forEach((id, i) => typeof id === "string" && format(`route53ZoneIds[${i}]`, FORMATS.zoneId, id));
    } else if (args.route53ZoneIds === undefined) add("route53ZoneIds", "at least 1 Route 53 hosted zone ID the provisioner manages records in", undefined);
    if (args.oidcProviderArn === undefined) add("oidcProviderArn", "the cluster's IAM OIDC provider ARN", undefined);
    if (args.oidcProviderUrl === undefined) add("oidcProviderUrl", "the cluster's OIDC issuer URL", undefined);
    if (typeof args.internalDomain === "string") format("internalDomain", FORMATS.domain, args.internalDomain);
    else if (args.internalDomain === undefined) add("internalDomain", FORMATS.domain.expected, undefined);

    // Database.
    if (typeof s.db.identifier !== "string" || !isDbIdentifier(s.db.identifier)) add("db.identifier", FORMATS.dbIdentifier.expected, s.db.identifier);
    const major = typeof s.db.engineVersion === "string" ? postgresMajor(s.db.engineVersion) : undefined;
    if (!major || !(SUPPORTED_POSTGRES_MAJORS as readonly string[]).includes(major)) add("db.engineVersion", FORMATS.engineVersion.expected, s.db.engineVersion);
    format("db.instanceClass", FORMATS.instanceClass, s.db.instanceClass);
    const storageOk = isInt(s.db.allocatedStorageGiB) && s.db.allocatedStorageGiB >= LIMITS.storageGiB.min && s.db.allocatedStorageGiB <= LIMITS.storageGiB.max;
    if (!storageOk) intIn("db.allocatedStorageGiB", s.db.allocatedStorageGiB, LIMITS.storageGiB, " of GiB");
    if (!isInt(s.db.maxAllocatedStorageGiB) || s.db.maxAllocatedStorageGiB > LIMITS.storageGiB.max) intIn("db.maxAllocatedStorageGiB", s.db.maxAllocatedStorageGiB, LIMITS.storageGiB, " of GiB");
    else if (storageOk && s.db.maxAllocatedStorageGiB < minMaxAllocatedStorage(s.db.allocatedStorageGiB)) {
        add("db.maxAllocatedStorageGiB", `at least ${minMaxAllocatedStorage(s.db.allocatedStorageGiB)} (RDS storage autoscaling needs 10% above allocatedStorageGiB ${s.db.allocatedStorageGiB})`, s.db.maxAllocatedStorageGiB);
    }
    intIn("db.backupRetentionDays", s.db.backupRetentionDays, LIMITS.backupRetentionDays, " of days");

    // Server flags and workloads.
    intIn("flags.poll", s.flags.poll, LIMITS.poll, " of seconds");
    intIn("flags.clusterResourceThreshold", s.flags.clusterResourceThreshold, LIMITS.clusterResourceThreshold, " (percent)");
    intIn("replicas", s.replicas, LIMITS.replicas);
    intIn("supervisors.replicas", s.supervisors.replicas, LIMITS.replicas);
    for (const k of ["cpuRequest", "cpuLimit"] as const) format(`resources.${k}`, FORMATS.cpu, s.resources[k]);
    for (const k of ["memoryRequest", "memoryLimit"] as const) format(`resources.${k}`, FORMATS.memory, s.resources[k]);
    format("ingressGroupName", FORMATS.ingressGroup, s.ingressGroupName);
    if (s.certificateArn !== undefined) format("certificateArn", FORMATS.certificateArn, s.certificateArn);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------------

/** Parameters of the DB parameter group: TLS only, and the logs an operator needs. */
export function dbParameters(): { name: string; value: string }[] {
    return [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
        { name: "log_lock_waits", value: "1" },
        { name: "log_min_duration_statement", value: "1000" },
        { name: "log_statement", value: "ddl" },
    ];
}

/** CloudWatch log group of an RDS log export. */
export function dbLogGroupName(identifier: string, log: string): string {
    return `/aws/rds/instance/${identifier}/${log}`;
}

/**
 * The primary instance's plain settings (everything except the IDs of its KMS key, subnet group,
 * security group, parameter group and its password, which the class wires in).
 */
export function primaryDbSettings(s: ProvisionerSettings) {
    const protect = s.deletionProtection;
    return {
        identifier: s.db.identifier,
        engine: "postgres",
        engineVersion: s.db.engineVersion,
        // No paid RDS Extended Support by surprise: a major past standard support must be upgraded.
        engineLifecycleSupport: "open-source-rds-extended-support-disabled",
        instanceClass: s.db.instanceClass,
        allocatedStorage: s.db.allocatedStorageGiB,
        maxAllocatedStorage: s.db.maxAllocatedStorageGiB,
        storageType: "gp3",
        storageEncrypted: true,
        dbName: DATABASE_NAME,
        username: DATABASE_USER,
        port: DATABASE_PORT,
        publiclyAccessible: false,
        multiAz: s.db.multiAz,
        backupRetentionPeriod: s.db.backupRetentionDays,
        backupWindow: "02:00-03:00",
        maintenanceWindow: "sun:03:30-sun:04:30",
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        // Dev applies changes at once; prod waits for the maintenance window.
        applyImmediately: !protect,
        copyTagsToSnapshot: true,
        deletionProtection: protect,
        skipFinalSnapshot: !protect,
        ...(protect ? { finalSnapshotIdentifier: `${s.db.identifier}-final` } : {}),
        deleteAutomatedBackups: !protect,
        performanceInsightsEnabled: true,
        performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
        enabledCloudwatchLogsExports: [...DB_LOG_EXPORTS],
        iamDatabaseAuthenticationEnabled: s.db.iamDatabaseAuthentication,
        caCertIdentifier: RDS_CA,
    } satisfies Partial<aws.rds.InstanceArgs>;
}

/** The read replica's plain settings (same region: it inherits the source's subnet group). */
export function replicaDbSettings(s: ProvisionerSettings) {
    return {
        identifier: `${s.db.identifier}-replica`,
        instanceClass: s.db.instanceClass,
        maxAllocatedStorage: s.db.maxAllocatedStorageGiB,
        storageType: "gp3",
        storageEncrypted: true,
        publiclyAccessible: false,
        multiAz: false,
        autoMinorVersionUpgrade: true,
        applyImmediately: !s.deletionProtection,
        copyTagsToSnapshot: true,
        deletionProtection: s.deletionProtection,
        // RDS takes no final snapshot of a read replica.
        skipFinalSnapshot: true,
        backupRetentionPeriod: 0,
        performanceInsightsEnabled: true,
        performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
        caCertIdentifier: RDS_CA,
    } satisfies Partial<aws.rds.InstanceArgs>;
}

/**
 * The connection string the provisioner's `--database` flag takes (lib/pq URL form, TLS required:
 * the parameter group rejects plain connections anyway).
 */
export function databaseUrl(host: string, password: string, port: number = DATABASE_PORT): string {
    return `postgres://${DATABASE_USER}:${encodeURIComponent(password)}@${host}:${port}/${DATABASE_NAME}?sslmode=require`;
}

// ---------------------------------------------------------------------------------------------
// kops state bucket
// ---------------------------------------------------------------------------------------------

export function bucketArn(partition: string, bucket: string): string {
    return `arn:${partition}:s3:::${bucket}`;
}

/**
 * Object-level actions nobody but the provisioner and the admin roles may use on the state
 * bucket. A Deny: wildcards here widen the protection, never the access.
 */
export const STATE_OBJECT_ACTIONS = ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject", "s3:ListBucket*", "s3:ReplicateObject"] as const;

/**
 * The state bucket's policy: TLS only, and a deny-with-exceptions on object access. The
 * exception is on `aws:PrincipalArn` (the role ARN behind any assumed-role session) with
 * `ArnNotEquals`: a negated operator with several values denies only when the principal matches
 * none of them. Bucket-level management (the deployer's Pulumi role) is not object access and
 * stays governed by IAM.
 */
export function stateBucketPolicy(arn: string, provisionerRoleArn: string, adminRoleArns: string[]): PolicyDocument {
    return policyDocument([
        denyInsecureTransport([arn, `${arn}/*`]),
        {
            Sid: "DenyObjectAccessExceptProvisionerAndAdmins",
            Effect: "Deny",
            Principal: "*",
            Action: [...STATE_OBJECT_ACTIONS],
            Resource: [arn, `${arn}/*`],
            Condition: { ArnNotEquals: { "aws:PrincipalArn": [provisionerRoleArn, ...adminRoleArns] } },
        },
    ]);
}

/** Lifecycle rules of the (versioned) state bucket. */
export function stateBucketLifecycleRules() {
    return [
        {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: { prefix: "" },
            noncurrentVersionExpiration: { noncurrentDays: STATE_NONCURRENT_DAYS, newerNoncurrentVersions: STATE_NONCURRENT_KEEP },
            expiration: { expiredObjectDeleteMarker: true },
        },
        {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: { prefix: "" },
            abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_DAYS },
        },
    ];
}

// ---------------------------------------------------------------------------------------------
// The provisioner's IAM permissions (IRSA)
// ---------------------------------------------------------------------------------------------

/** What the policies are built from (all resolved). */
export interface ProvisionerPolicyContext {
    partition: string;
    region: string;
    accountId: string;
    zoneIds: string[];
    stateBucket: string;
    stateKeyArn: string;
    /** This stack's database key: never usable or re-aliasable by the provisioner. */
    dbKeyArn: string;
}

/**
 * The provisioner's permissions, in four documents (each a customer-managed policy: IAM allows
 * 6,144 characters per managed policy and 10,240 for all inline policies of a role together,
 * which this set exceeds). Every statement has a Sid and says why; no action has a wildcard;
 * Resource "*" appears only for actions AWS does not scope to a resource.
 */
/** The provisioner's customer-managed policies, one per concern (the set is over IAM's inline budget). */
export const PROVISIONER_POLICY_GROUPS = ["dns", "kops", "installations", "storage"] as const;

export function provisionerPolicies(c: ProvisionerPolicyContext): Record<(typeof PROVISIONER_POLICY_GROUPS)[number], PolicyDocument> {
    const { partition: p, region: r, accountId: a } = c;
    const iam = (kind: string, pattern: string) => `arn:${p}:iam::${a}:${kind}/${pattern}`;
    const ec2 = (type: string) => `arn:${p}:ec2:${r}:${a}:${type}/*`;
    const elb = (type: string) => `arn:${p}:elasticloadbalancing:${r}:${a}:${type}/*`;
    const rds = (type: string, name: string) => `arn:${p}:rds:${r}:${a}:${type}:${name}`;
    const kopsRoles = [iam("role", "masters.*"), iam("role", "nodes.*")];
    const kopsProfiles = [iam("instance-profile", "masters.*"), iam("instance-profile", "nodes.*")];
    const cloudPolicyArn = iam("policy", CLOUD_ID_PATTERN);
    const state = bucketArn(p, c.stateBucket);
    const ownKeys = { "ForAnyValue:StringLike": { "kms:ResourceAliases": `alias/${CLOUD_ID_PATTERN}*` } };

    const dns: PolicyStatement[] = [
        {
            // Installations' CNAMEs (and the tags the AWS client reads to find its zones) live in these zones only.
            Sid: "Route53OwnZones",
            Effect: "Allow",
            Action: ["route53:ChangeResourceRecordSets", "route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource", "route53:ListTagsForResources"],
            Resource: c.zoneIds.map((id) => `arn:${p}:route53:::hostedzone/${id}`),
        },
        {
            // Listing zones has no resource; the AWS client lists them at start-up to find its own by the MattermostCloudDNS tag.
            Sid: "Route53ListZones",
            Effect: "Allow",
            Action: ["route53:ListHostedZones", "route53:ListHostedZonesByName"],
            Resource: "*",
        },
        {
            // Waiting for record changes to reach INSYNC.
            Sid: "Route53ChangeStatus",
            Effect: "Allow",
            Action: ["route53:GetChange"],
            Resource: `arn:${p}:route53:::change/*`,
        },
        {
            // The account ID for ARNs it builds; STS has no resource for this call.
            Sid: "StsCallerIdentity",
            Effect: "Allow",
            Action: ["sts:GetCallerIdentity"],
            Resource: "*",
        },
        {
            // The environment name comes from the account alias (mattermost-cloud-<env>); no resource-level support.
            Sid: "IamAccountAlias",
            Effect: "Allow",
            Action: ["iam:ListAccountAliases"],
            Resource: "*",
        },
        {
            // Installation TLS certificates are found by tag; listing certificates has no resource.
            Sid: "AcmListCertificates",
            Effect: "Allow",
            Action: ["acm:ListCertificates"],
            Resource: "*",
        },
        {
            // ...and their tags are read per certificate in this account and region.
            Sid: "AcmCertificateTags",
            Effect: "Allow",
            Action: ["acm:ListTagsForCertificate"],
            Resource: `arn:${p}:acm:${r}:${a}:certificate/*`,
        },
        {
            // Installation resources (databases, buckets) are found by tag; the tagging API has no resource-level permissions.
            Sid: "TaggingLookup",
            Effect: "Allow",
            Action: ["tag:GetResources"],
            Resource: "*",
        },
    ];

    const kops: PolicyStatement[] = [
        {
            // kops (terraform target) creates and deletes the control-plane and node roles, their inline policies and instance profiles.
            Sid: "IamKopsRolesAndProfiles",
            Effect: "Allow",
            Action: [
                "iam:AddRoleToInstanceProfile",
                "iam:CreateInstanceProfile",
                "iam:CreateRole",
                "iam:DeleteInstanceProfile",
                "iam:DeleteRole",
                "iam:DeleteRolePolicy",
                "iam:GetInstanceProfile",
                "iam:GetRole",
                "iam:GetRolePolicy",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
                "iam:ListRolePolicies",
                "iam:PutRolePolicy",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:TagInstanceProfile",
                "iam:TagRole",
                "iam:UntagRole",
            ],
            Resource: [...kopsRoles, ...kopsProfiles],
        },
        {
            // AttachPolicyToRole adds pre-created policies to kops roles: only cloud-<id> managed policies, never AdministratorAccess.
            Sid: "IamKopsRolesCloudPoliciesOnly",
            Effect: "Allow",
            Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
            Resource: kopsRoles,
            Condition: { ArnLike: { "iam:PolicyARN": cloudPolicyArn } },
        },
        {
            // Launch templates hand the kops roles to EC2 instances, and to nothing else.
            Sid: "IamPassKopsRolesToEc2",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: kopsRoles,
            Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
        },
        {
            // EC2 Describe calls do not support resource-level permissions: read-only, account-wide.
            Sid: "Ec2Describe",
            Effect: "Allow",
            Action: [
                "ec2:DescribeAccountAttributes",
                "ec2:DescribeAddresses",
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceStatus",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeInstances",
                "ec2:DescribeInternetGateways",
                "ec2:DescribeKeyPairs",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:DescribeLaunchTemplates",
                "ec2:DescribeNatGateways",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeRegions",
                "ec2:DescribeRouteTables",
                "ec2:DescribeSecurityGroupRules",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSnapshots",
                "ec2:DescribeSubnets",
                "ec2:DescribeTags",
                "ec2:DescribeVolumeStatus",
                "ec2:DescribeVolumes",
                "ec2:DescribeVpcAttribute",
                "ec2:DescribeVpcs",
            ],
            Resource: "*",
        },
        {
            // kops cluster resources: instances, etcd volumes, security groups, key pair, launch templates, and
            // the VPC/subnet claim tags. EC2 ARNs carry IDs, not names: scoped to this account and region.
            Sid: "Ec2KopsResources",
            Effect: "Allow",
            Action: [
                "ec2:AttachVolume",
                "ec2:AuthorizeSecurityGroupEgress",
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:CreateLaunchTemplate",
                "ec2:CreateLaunchTemplateVersion",
                "ec2:CreateNetworkInterface",
                "ec2:CreateSecurityGroup",
                "ec2:CreateTags",
                "ec2:CreateVolume",
                "ec2:DeleteKeyPair",
                "ec2:DeleteLaunchTemplate",
                "ec2:DeleteNetworkInterface",
                "ec2:DeleteSecurityGroup",
                "ec2:DeleteTags",
                "ec2:DeleteVolume",
                "ec2:DetachVolume",
                "ec2:ImportKeyPair",
                "ec2:ModifyLaunchTemplate",
                "ec2:ModifyVolume",
                "ec2:RevokeSecurityGroupEgress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:RunInstances",
                "ec2:StartInstances",
                "ec2:StopInstances",
                "ec2:TerminateInstances",
            ],
            Resource: [
                ec2("instance"),
                ec2("volume"),
                ec2("security-group"),
                ec2("security-group-rule"),
                ec2("key-pair"),
                ec2("launch-template"),
                ec2("network-interface"),
                ec2("subnet"),
                ec2("vpc"),
                // AMIs and their snapshots belong to their publisher's account.
                `arn:${p}:ec2:${r}::image/*`,
                `arn:${p}:ec2:${r}::snapshot/*`,
            ],
        },
        {
            // ELB Describe calls do not support resource-level permissions.
            Sid: "ElbDescribe",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeLoadBalancerAttributes",
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeTags",
                "elasticloadbalancing:DescribeTargetGroupAttributes",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetHealth",
            ],
            Resource: "*",
        },
        {
            // The kops API load balancer (NLB, or classic on older clusters); kops names it api-<cluster>, not cloud-*.
            Sid: "ElbKopsApiLoadBalancer",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:ApplySecurityGroupsToLoadBalancer",
                "elasticloadbalancing:AttachLoadBalancerToSubnets",
                "elasticloadbalancing:ConfigureHealthCheck",
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:CreateLoadBalancer",
                "elasticloadbalancing:CreateLoadBalancerListeners",
                "elasticloadbalancing:CreateTargetGroup",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:DeregisterTargets",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:RegisterTargets",
                "elasticloadbalancing:RemoveTags",
                "elasticloadbalancing:SetSecurityGroups",
            ],
            Resource: [elb("loadbalancer"), elb("targetgroup"), elb("listener")],
        },
        {
            // Auto Scaling Describe calls do not support resource-level permissions.
            Sid: "AutoscalingDescribe",
            Effect: "Allow",
            Action: ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags"],
            Resource: "*",
        },
        {
            // kops instance groups: <ig>.masters.<cluster> (control plane) and nodes-<zone>.<cluster>.
            Sid: "AutoscalingKopsGroups",
            Effect: "Allow",
            Action: [
                "autoscaling:AttachLoadBalancerTargetGroups",
                "autoscaling:AttachLoadBalancers",
                "autoscaling:CreateAutoScalingGroup",
                "autoscaling:CreateOrUpdateTags",
                "autoscaling:DeleteAutoScalingGroup",
                "autoscaling:DeleteTags",
                "autoscaling:DetachLoadBalancerTargetGroups",
                "autoscaling:DetachLoadBalancers",
                "autoscaling:DisableMetricsCollection",
                "autoscaling:EnableMetricsCollection",
                "autoscaling:ResumeProcesses",
                "autoscaling:SetDesiredCapacity",
                "autoscaling:SuspendProcesses",
                "autoscaling:TerminateInstanceInAutoScalingGroup",
                "autoscaling:UpdateAutoScalingGroup",
            ],
            Resource: [
                `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:*:autoScalingGroupName/*.masters.*`,
                `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:*:autoScalingGroupName/nodes-*`,
            ],
        },
    ];

    const installations: PolicyStatement[] = [
        {
            // Installation databases are cloud-<id> clusters and instances; creating one also authorizes on its
            // subnet group (mattermost-*) and the default parameter groups.
            Sid: "RdsInstallationDatabases",
            Effect: "Allow",
            Action: [
                "rds:AddTagsToResource",
                "rds:CreateDBCluster",
                "rds:CreateDBClusterSnapshot",
                "rds:CreateDBInstance",
                "rds:DeleteDBCluster",
                "rds:DeleteDBInstance",
                "rds:ModifyDBCluster",
                "rds:ModifyDBInstance",
                "rds:RemoveTagsFromResource",
            ],
            Resource: [
                rds("cluster", `${CLOUD_ID_PATTERN}*`),
                rds("db", `${CLOUD_ID_PATTERN}*`),
                rds("cluster-snapshot", `${CLOUD_ID_PATTERN}*`),
                rds("subgrp", "mattermost-*"),
                rds("cluster-pg", "default.*"),
                rds("pg", "default.*"),
                // CreateDBCluster is also authorized against the (default) option group it uses.
                rds("og", "default:*"),
            ],
        },
        {
            // Lookups by tag describe every cluster of the region: read-only, this account and region.
            Sid: "RdsDescribe",
            Effect: "Allow",
            Action: ["rds:DescribeDBClusterSnapshots", "rds:DescribeDBClusters", "rds:DescribeDBInstances", "rds:DescribeDBSubnetGroups", "rds:ListTagsForResource"],
            Resource: [rds("cluster", "*"), rds("db", "*"), rds("subgrp", "*"), rds("cluster-snapshot", "*")],
        },
        {
            // Installation filestores are cloud-<id> buckets (exactly: see CLOUD_ID_PATTERN).
            Sid: "S3InstallationBuckets",
            Effect: "Allow",
            Action: [
                "s3:CreateBucket",
                "s3:DeleteBucket",
                "s3:GetBucketLocation",
                "s3:GetBucketPublicAccessBlock",
                "s3:GetBucketTagging",
                "s3:GetBucketVersioning",
                "s3:GetEncryptionConfiguration",
                "s3:ListBucket",
                "s3:ListBucketVersions",
                "s3:PutBucketPublicAccessBlock",
                "s3:PutBucketTagging",
                "s3:PutBucketVersioning",
                "s3:PutEncryptionConfiguration",
            ],
            Resource: `arn:${p}:s3:::${CLOUD_ID_PATTERN}`,
        },
        {
            // ...and their objects (emptied before a bucket is deleted).
            Sid: "S3InstallationObjects",
            Effect: "Allow",
            Action: ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            Resource: `arn:${p}:s3:::${CLOUD_ID_PATTERN}/*`,
        },
        {
            // Listing buckets has no resource.
            Sid: "S3ListAllBuckets",
            Effect: "Allow",
            Action: ["s3:ListAllMyBuckets"],
            Resource: "*",
        },
        {
            // Per-installation IAM users (cloud-<id>) and their access keys for the filestore.
            Sid: "IamInstallationUsers",
            Effect: "Allow",
            Action: ["iam:CreateAccessKey", "iam:CreateUser", "iam:DeleteAccessKey", "iam:DeleteUser", "iam:GetUser", "iam:ListAccessKeys", "iam:ListAttachedUserPolicies", "iam:TagUser"],
            Resource: iam("user", CLOUD_ID_PATTERN),
        },
        {
            // Those users get their cloud-<id> policies only.
            Sid: "IamInstallationUsersCloudPoliciesOnly",
            Effect: "Allow",
            Action: ["iam:AttachUserPolicy", "iam:DetachUserPolicy"],
            Resource: iam("user", CLOUD_ID_PATTERN),
            Condition: { ArnLike: { "iam:PolicyARN": cloudPolicyArn } },
        },
        {
            // The per-installation S3 policies (cloud-<id>).
            Sid: "IamInstallationPolicies",
            Effect: "Allow",
            Action: ["iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"],
            Resource: cloudPolicyArn,
        },
        {
            // Installation credentials are stored as cloud-<id>-iam and cloud-<id>-rds secrets.
            Sid: "SecretsManagerInstallationSecrets",
            Effect: "Allow",
            Action: [
                "secretsmanager:CreateSecret",
                "secretsmanager:DeleteSecret",
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
                "secretsmanager:PutSecretValue",
                "secretsmanager:TagResource",
                "secretsmanager:UpdateSecret",
            ],
            Resource: `arn:${p}:secretsmanager:${r}:${a}:secret:${CLOUD_ID_PATTERN}-*`,
        },
    ];

    const storage: PolicyStatement[] = [
        {
            // kops reads the state store's region and lists cluster specs.
            Sid: "S3StateBucket",
            Effect: "Allow",
            Action: ["s3:GetBucketLocation", "s3:GetEncryptionConfiguration", "s3:ListBucket", "s3:ListBucketVersions"],
            Resource: state,
        },
        {
            // kops and terraform state objects.
            Sid: "S3StateObjects",
            Effect: "Allow",
            Action: ["s3:DeleteObject", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            Resource: `${state}/*`,
        },
        {
            // Whatever the grants above match, the state bucket's configuration belongs to Pulumi, not to the provisioner.
            Sid: "DenyStateBucketReconfiguration",
            Effect: "Deny",
            Action: [
                "s3:DeleteBucket",
                "s3:DeleteBucketPolicy",
                "s3:PutBucketAcl",
                "s3:PutBucketOwnershipControls",
                "s3:PutBucketPolicy",
                "s3:PutBucketPublicAccessBlock",
                "s3:PutBucketTagging",
                "s3:PutBucketVersioning",
                "s3:PutEncryptionConfiguration",
                "s3:PutLifecycleConfiguration",
            ],
            Resource: state,
        },
        {
            // SSE-KMS on the state bucket: data keys to write, decrypt to read.
            Sid: "KmsStateBucketKey",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: c.stateKeyArn,
        },
        {
            // Per-installation database keys; a key has no ARN before it exists.
            Sid: "KmsCreateKeys",
            Effect: "Allow",
            Action: ["kms:CreateKey"],
            Resource: "*",
        },
        {
            // Aliases alias/cloud-<id>-rds; alias calls authorize on the alias and on the target key.
            Sid: "KmsCloudAliases",
            Effect: "Allow",
            Action: ["kms:CreateAlias", "kms:DeleteAlias"],
            Resource: [`arn:${p}:kms:${r}:${a}:alias/${CLOUD_ID_PATTERN}*`, `arn:${p}:kms:${r}:${a}:key/*`],
        },
        {
            // Use and retire only keys that carry an alias/cloud-<id>... alias (never this stack's own keys).
            Sid: "KmsUseCloudKeys",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:DescribeKey", "kms:DisableKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:ScheduleKeyDeletion", "kms:TagResource"],
            Resource: `arn:${p}:kms:${r}:${a}:key/*`,
            Condition: ownKeys,
        },
        {
            // The alias-based grants above could reach any key given such an alias: this stack's own keys are off limits.
            Sid: "DenyOwnKeys",
            Effect: "Deny",
            Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:UpdateAlias"],
            Resource: [c.stateKeyArn, c.dbKeyArn],
        },
        {
            // RDS creates grants on those keys when it encrypts an installation database.
            Sid: "KmsGrantsForRds",
            Effect: "Allow",
            Action: ["kms:CreateGrant"],
            Resource: `arn:${p}:kms:${r}:${a}:key/*`,
            Condition: { ...ownKeys, Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    ];

    return {
        dns: policyDocument(dns),
        kops: policyDocument(kops),
        installations: policyDocument(installations),
        storage: policyDocument(storage),
    };
}

/** IAM's size limit of a customer-managed policy (characters, whitespace not counted). */
export const MANAGED_POLICY_MAX_CHARS = 6144;
