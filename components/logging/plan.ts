// Pure decisions of LoggingPipeline: names, defaults, validation, domain sizing, security-group
// rules, IAM documents, and the bootstrap Lambda's packaging. No Pulumi resources here: tests call
// these functions directly.
import { Problem } from "../common/errors";
import { PolicyDocument, PolicyStatement, policyDocument } from "../common/iam";
import { versions } from "../common/versions";
import { cidrOf } from "../common/cidr";
import { EXPECTED as COMMON_EXPECTED, LOG_RETENTION_DAYS as CLOUDWATCH_RETENTION_DAYS, ROLE_ARN_RE, isLogRetentionDays } from "../common/formats";
import { NEVER_BUNDLED_PACKAGES, lambdaVpcStatement } from "../common/lambda";
import { argsFieldName as fieldName } from "../common/schema";

/** A problem located by a path, so config validation can reuse it with zod paths. */
export interface LocatedProblem {
    path: (string | number)[];
    expected: string;
    found: unknown;
}

/** True for a canonical IPv4 CIDR (octets 0-255, prefix 0-32, no host bits set). */
export function isIpv4Cidr(value: string): boolean {
    return cidrOf(value) !== undefined;
}
export { LAMBDA_RUNTIME, LAMBDA_VPC_ACTIONS, lambdaTrustPolicy } from "../common/lambda";

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Kubernetes namespace of Fluent Bit in the C&C cluster. */
export const LOGGING_NAMESPACE = "logging";
/** Fluent Bit's service account (the IRSA subject) and Helm release name. */
export const FLUENT_BIT_SERVICE_ACCOUNT = "fluent-bit";
export const FLUENT_BIT_RELEASE = "fluent-bit";

/** Every cluster's indices are `<INDEX_BASE>-<clusterId>-YYYY.MM.DD`; one pattern covers them all. */
export const INDEX_BASE = "logs";
export const INDEX_PATTERN = `${INDEX_BASE}-*`;

/** Names of the objects the bootstrap owns on the domain. */
export const OPENSEARCH_NAMES = {
    ismPolicy: "cloud-cnc-logs-retention",
    indexTemplate: "cloud-cnc-logs",
    writerRole: "cloud-cnc-log-writer",
    readerRole: "cloud-cnc-log-reader",
    indexPatternId: "cloud-cnc-logs",
} as const;

/** The strictest HTTPS policy the provider offers: TLS 1.2+ with forward secrecy only. */
export const TLS_SECURITY_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";

/** OpenSearch log types published to CloudWatch Logs and their log group suffixes. */
export const DOMAIN_LOG_TYPES = [
    { logType: "AUDIT_LOGS", suffix: "audit" },
    { logType: "ES_APPLICATION_LOGS", suffix: "application" },
    { logType: "SEARCH_SLOW_LOGS", suffix: "search-slow" },
    { logType: "INDEX_SLOW_LOGS", suffix: "index-slow" },
] as const;

export { LAMBDA_ARCHITECTURE } from "../common/lambda";

/** HTTP verbs (IAM actions) an ingest or bootstrap client uses; no DELETE/PATCH. */
export const ES_HTTP_DATA_ACTIONS = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"];
/** Human readers search (GET/POST) and never write. */
export const ES_HTTP_READ_ACTIONS = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost"];

export const DEFAULTS = {
    engineVersion: versions.logging.engineVersion,
    /** Days an index lives before ISM deletes it (the original system deleted indices older than 30 days). */
    retentionDays: 30,
    rolloverSize: "50gb",
    rolloverAge: "1d",
    /** CloudWatch retention of the domain's audit, error and slow logs and the bootstrap's logs. */
    logRetentionDays: 30,
    /** Hour (UTC) of the automated snapshot setting. */
    automatedSnapshotStartHour: 3,
    availabilityZoneCount: 3,
    volumeType: "gp3",
    indexShards: 1,
    lambdaMemoryMb: 256,
    lambdaTimeoutSeconds: 120,
} as const;

// ---------------------------------------------------------------------------------------------
// Formats (shared with stacks/config/logging.ts so config and args report the same way)
// ---------------------------------------------------------------------------------------------

export const FORMATS = {
    domainName: { re: /^[a-z][a-z0-9-]{2,27}$/, expected: "a domain name of 3-28 lowercase letters, digits or '-' starting with a letter" },
    engineVersion: { re: /^OpenSearch_\d+\.\d+$/, expected: "an OpenSearch engine version such as OpenSearch_3.5" },
    instanceType: { re: /^[a-z][a-z0-9]*\.(small|medium|large|\d*xlarge)\.search$/, expected: "an OpenSearch instance type such as r7g.large.search" },
    clusterId: { re: /^[a-z0-9][a-z0-9._-]{0,62}$/, expected: "a cluster id of 1-63 lowercase letters, digits, '.', '_' or '-' (it becomes part of index names)" },
    size: { re: /^\d+(b|kb|mb|gb|tb|pb)$/, expected: "a size such as 50gb" },
    age: { re: /^\d+(d|h|m|s)$/, expected: "an age such as 1d or 12h" },
    fluentBitSize: { re: /^\d+[KMG]$/, expected: "a Fluent Bit size such as 5G or 500M" },
    roleArn: { re: ROLE_ARN_RE, expected: COMMON_EXPECTED.roleArn },
    cidr: { expected: "an IPv4 CIDR block such as 203.0.113.0/24" },
    securityGroupId: { re: /^sg-[0-9a-z]+$/, expected: "a security group ID such as sg-0123456789abcdef0" },
    subnetId: { re: /^subnet-[0-9a-z]+$/, expected: "a subnet ID such as subnet-0123456789abcdef0" },
    vpcId: { re: /^vpc-[0-9a-z]+$/, expected: "a VPC ID such as vpc-0123456789abcdef0" },
    k8sName: { re: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, expected: "a Kubernetes name (lowercase letters, digits, '-')" },
} as const;

export const EXPECTED = {
    azCount: "2 or 3 availability zones",
    instanceCount: "a whole number of data nodes from 1 to 80",
    multipleOfAzs: (azs: number) => `a multiple of the availability zone count (${azs}) with zone awareness`,
    masterCount: "3 or 5 dedicated master nodes",
    masterType: "the dedicated master instance type (required when dedicated masters are enabled), such as m7g.large.search",
    volumeSize: "a whole number of GiB from 10 to 16384",
    volumeType: 'gp3 (the volume type this component provisions)',
    iops: "a whole number of IOPS of at least 3000 (gp3 baseline)",
    throughput: "a whole number of MiB/s of at least 125 (gp3 baseline)",
    retentionDays: "a whole number of days of at least 1",
    logRetentionDays: `a CloudWatch Logs retention (one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")})`,
    snapshotHour: "an hour of the day from 0 to 23 (UTC)",
    shards: "a whole number of primary shards from 1 to 32",
    replicas: "a whole number of replicas from 0 to 5",
    sources: "at least one security group or CIDR block allowed to reach the domain (where Fluent Bit runs)",
    subnets: (n: number) => `at least ${n} private subnet${n === 1 ? "" : "s"} (one per availability zone the domain uses)`,
    retryLimit: "a whole number of retries from 1 to 1000",
} as const;

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** The settings validation looks at; Inputs that are still Outputs are skipped (unknown). */
export interface LoggingSettings {
    domainName?: unknown;
    engineVersion?: unknown;
    vpcId?: unknown;
    subnetIds?: unknown;
    allowedSecurityGroupIds?: unknown;
    allowedCidrs?: unknown;
    instanceType?: unknown;
    instanceCount?: unknown;
    dedicatedMasters?: { enabled?: unknown; type?: unknown; count?: unknown };
    zoneAwareness?: { enabled?: unknown; availabilityZoneCount?: unknown };
    ebs?: { volumeSizeGiB?: unknown; volumeType?: unknown; iops?: unknown; throughput?: unknown };
    retentionDays?: unknown;
    rolloverSize?: unknown;
    rolloverAge?: unknown;
    indexShards?: unknown;
    indexReplicas?: unknown;
    logRetentionDays?: unknown;
    automatedSnapshotStartHour?: unknown;
    clusterId?: unknown;
    humanReadOnlyRoleArns?: unknown;
    additionalWriterRoleArns?: unknown;
    oidcProviderArn?: unknown;
    oidcProviderUrl?: unknown;
    fluentBit?: { namespace?: unknown; storageTotalLimitSize?: unknown; retryLimit?: unknown };
    tags?: unknown;
}

const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
const isOutputLike = (v: unknown): boolean => v !== null && typeof v === "object" && typeof (v as { apply?: unknown }).apply === "function";
const plainString = (v: unknown): v is string => typeof v === "string";

/** The availability-zone count the domain spreads over (1 without zone awareness). */
export function azCountOf(s: Pick<LoggingSettings, "zoneAwareness">): number {
    if (s.zoneAwareness?.enabled !== true) return 1;
    return typeof s.zoneAwareness.availabilityZoneCount === "number" ? s.zoneAwareness.availabilityZoneCount : DEFAULTS.availabilityZoneCount;
}

/**
 * Format and cross-field checks. The component runs them all; the config section's superRefine
 * reports the `crossField` ones (zod reports the formats with the same wording).
 */
export function loggingSettingProblems(s: LoggingSettings, only: "all" | "crossField" = "all"): LocatedProblem[] {
    const out: LocatedProblem[] = [];
    const all = only === "all";
    const add = (p: (string | number)[], expected: string, found: unknown) => out.push({ path: p, expected, found });
    const format = (p: (string | number)[], f: { re: RegExp; expected: string }, v: unknown, optional = false) => {
        if (v === undefined && optional) return;
        if (isOutputLike(v)) return;
        if (!plainString(v) || !f.re.test(v)) add(p, f.expected, v);
    };
    const list = (p: string, v: unknown, check: (x: unknown, i: number) => void) => {
        if (v === undefined) return;
        if (isOutputLike(v)) return;
        if (!Array.isArray(v)) {
            add([p], "a list", v);
            return;
        }
        v.forEach(check);
    };

    if (all) {
        format(["domainName"], FORMATS.domainName, s.domainName);
        format(["engineVersion"], FORMATS.engineVersion, s.engineVersion, true);
        format(["vpcId"], FORMATS.vpcId, s.vpcId);
        format(["instanceType"], FORMATS.instanceType, s.instanceType);
        if (!isInt(s.instanceCount, 1, 80)) add(["instanceCount"], EXPECTED.instanceCount, s.instanceCount);
        format(["clusterId"], FORMATS.clusterId, s.clusterId);
        if (s.retentionDays !== undefined && !isInt(s.retentionDays, 1)) add(["retentionDays"], EXPECTED.retentionDays, s.retentionDays);
        format(["rolloverSize"], FORMATS.size, s.rolloverSize, true);
        format(["rolloverAge"], FORMATS.age, s.rolloverAge, true);
        if (s.indexShards !== undefined && !isInt(s.indexShards, 1, 32)) add(["indexShards"], EXPECTED.shards, s.indexShards);
        if (s.indexReplicas !== undefined && !isInt(s.indexReplicas, 0, 5)) add(["indexReplicas"], EXPECTED.replicas, s.indexReplicas);
        if (s.logRetentionDays !== undefined && !isLogRetentionDays(s.logRetentionDays)) add(["logRetentionDays"], EXPECTED.logRetentionDays, s.logRetentionDays);
        if (s.automatedSnapshotStartHour !== undefined && !isInt(s.automatedSnapshotStartHour, 0, 23)) add(["automatedSnapshotStartHour"], EXPECTED.snapshotHour, s.automatedSnapshotStartHour);
        if (s.oidcProviderArn === undefined || s.oidcProviderArn === "") add(["oidcProviderArn"], "the cluster's IAM OIDC provider ARN (for Fluent Bit's IRSA role)", s.oidcProviderArn);
        if (s.oidcProviderUrl === undefined || s.oidcProviderUrl === "") add(["oidcProviderUrl"], "the cluster's OIDC issuer URL (for Fluent Bit's IRSA role)", s.oidcProviderUrl);
        list("humanReadOnlyRoleArns", s.humanReadOnlyRoleArns, (a, i) => format(["humanReadOnlyRoleArns", i], FORMATS.roleArn, a));
        list("additionalWriterRoleArns", s.additionalWriterRoleArns, (a, i) => format(["additionalWriterRoleArns", i], FORMATS.roleArn, a));
        list("allowedCidrs", s.allowedCidrs, (c, i) => {
            if (!plainString(c) || !isIpv4Cidr(c)) add(["allowedCidrs", i], FORMATS.cidr.expected, c);
            else if (c.endsWith("/0")) add(["allowedCidrs", i], "a CIDR block narrower than /0 (the domain is never open to all)", c);
        });
        list("allowedSecurityGroupIds", s.allowedSecurityGroupIds, (g, i) => format(["allowedSecurityGroupIds", i], FORMATS.securityGroupId, g));
        const ebs = s.ebs ?? {};
        if (!isInt(ebs.volumeSizeGiB, 10, 16384)) add(["ebs", "volumeSizeGiB"], EXPECTED.volumeSize, ebs.volumeSizeGiB);
        if (ebs.volumeType !== undefined && ebs.volumeType !== "gp3") add(["ebs", "volumeType"], EXPECTED.volumeType, ebs.volumeType);
        if (ebs.iops !== undefined && !isInt(ebs.iops, 3000)) add(["ebs", "iops"], EXPECTED.iops, ebs.iops);
        if (ebs.throughput !== undefined && !isInt(ebs.throughput, 125)) add(["ebs", "throughput"], EXPECTED.throughput, ebs.throughput);
        const fb = s.fluentBit ?? {};
        format(["fluentBit", "namespace"], FORMATS.k8sName, fb.namespace, true);
        format(["fluentBit", "storageTotalLimitSize"], FORMATS.fluentBitSize, fb.storageTotalLimitSize, true);
        if (fb.retryLimit !== undefined && !isInt(fb.retryLimit, 1, 1000)) add(["fluentBit", "retryLimit"], EXPECTED.retryLimit, fb.retryLimit);
        if (s.tags !== undefined && (s.tags === null || typeof s.tags !== "object" || Array.isArray(s.tags) || Object.values(s.tags).some((v) => typeof v !== "string"))) {
            add(["tags"], "a map of string tag values", s.tags);
        }
        if (s.dedicatedMasters?.enabled === true) {
            format(["dedicatedMasters", "type"], { re: FORMATS.instanceType.re, expected: EXPECTED.masterType }, s.dedicatedMasters.type);
            if (![3, 5].includes((s.dedicatedMasters.count ?? 3) as number)) add(["dedicatedMasters", "count"], EXPECTED.masterCount, s.dedicatedMasters.count);
        }
    }

    // Cross-field rules (also enforced on the stack config).
    const zoneAware = s.zoneAwareness?.enabled === true;
    const azs = azCountOf(s);
    if (zoneAware && ![2, 3].includes(azs)) add(["zoneAwareness", "availabilityZoneCount"], EXPECTED.azCount, s.zoneAwareness?.availabilityZoneCount);
    else if (zoneAware && isInt(s.instanceCount, 1) && (s.instanceCount as number) % azs !== 0) add(["instanceCount"], EXPECTED.multipleOfAzs(azs), s.instanceCount);

    if (all) {
        const sgs = Array.isArray(s.allowedSecurityGroupIds) ? s.allowedSecurityGroupIds : [];
        const cidrs = Array.isArray(s.allowedCidrs) ? s.allowedCidrs : [];
        if (!isOutputLike(s.allowedSecurityGroupIds) && sgs.length === 0 && cidrs.length === 0) add(["allowedSecurityGroupIds"], EXPECTED.sources, s.allowedSecurityGroupIds);
        if (Array.isArray(s.subnetIds)) {
            // (An invalid AZ count is reported once, above, not again as a subnet shortage.)
            if ([1, 2, 3].includes(azs) && s.subnetIds.length < azs) add(["subnetIds"], EXPECTED.subnets(azs), s.subnetIds);
            s.subnetIds.forEach((id, i) => format(["subnetIds", i], FORMATS.subnetId, id));
        } else if (s.subnetIds === undefined) add(["subnetIds"], EXPECTED.subnets(azs), s.subnetIds);
    }
    return out;
}

/** The component's validation as Problems (field names like `ebs.volumeSizeGiB`). */
export function validateLoggingArgs(s: LoggingSettings): Problem[] {
    return loggingSettingProblems(s, "all").map((p) => ({ field: fieldName(p.path), expected: p.expected, found: p.found }));
}

// ---------------------------------------------------------------------------------------------
// Names and sizing
// ---------------------------------------------------------------------------------------------

/** Logstash_Prefix of a cluster: its daily indices are `<prefix>-YYYY.MM.DD`. */
export function logstashPrefix(clusterId: string): string {
    return `${INDEX_BASE}-${clusterId}`;
}

/** `arn:<partition>:es:<region>:<account>:domain/<name>` (computable before the domain exists). */
export function domainArn(partition: string, region: string, accountId: string, domainName: string): string {
    return `arn:${partition}:es:${region}:${accountId}:domain/${domainName}`;
}

/** The resource every data-plane statement names: the domain's paths, `<domain ARN>/*`. */
export function domainPathsArn(domainArnValue: string): string {
    return `${domainArnValue}/*`;
}

/** CloudWatch log group of one OpenSearch log type. */
export function domainLogGroupName(domainName: string, suffix: string): string {
    return `/aws/opensearch/${domainName}/${suffix}`;
}

export interface DomainSizing {
    instanceType: string;
    instanceCount: number;
    zoneAwarenessEnabled: boolean;
    availabilityZoneCount: number;
    dedicatedMasterEnabled: boolean;
    dedicatedMasterType?: string;
    dedicatedMasterCount?: number;
    ebs: { volumeSizeGiB: number; volumeType: string; iops?: number; throughput?: number };
    /** Private subnets the domain's ENIs use: one per AZ (first N of subnetIds). */
    subnetCount: number;
    /** Replicas per index: 0 on a single data node (a replica could never be allocated), else 1. */
    defaultReplicas: number;
}

export interface SizingInput {
    instanceType: string;
    instanceCount: number;
    zoneAwareness?: { enabled: boolean; availabilityZoneCount?: number };
    dedicatedMasters?: { enabled: boolean; type?: string; count?: number };
    ebs: { volumeSizeGiB: number; volumeType?: string; iops?: number; throughput?: number };
}

/** The cluster shape of the domain from (validated) args. */
export function planDomainSizing(a: SizingInput): DomainSizing {
    const zoneAware = a.zoneAwareness?.enabled === true;
    const azs = zoneAware ? (a.zoneAwareness?.availabilityZoneCount ?? DEFAULTS.availabilityZoneCount) : 1;
    const masters = a.dedicatedMasters?.enabled === true;
    return {
        instanceType: a.instanceType,
        instanceCount: a.instanceCount,
        zoneAwarenessEnabled: zoneAware,
        availabilityZoneCount: azs,
        dedicatedMasterEnabled: masters,
        ...(masters ? { dedicatedMasterType: a.dedicatedMasters!.type, dedicatedMasterCount: a.dedicatedMasters!.count ?? 3 } : {}),
        ebs: {
            volumeSizeGiB: a.ebs.volumeSizeGiB,
            volumeType: a.ebs.volumeType ?? DEFAULTS.volumeType,
            ...(a.ebs.iops !== undefined ? { iops: a.ebs.iops } : {}),
            ...(a.ebs.throughput !== undefined ? { throughput: a.ebs.throughput } : {}),
        },
        subnetCount: azs,
        defaultReplicas: a.instanceCount > 1 ? 1 : 0,
    };
}

export interface ClusterConfigPlan {
    instanceType: string;
    instanceCount: number;
    zoneAwarenessEnabled: boolean;
    zoneAwarenessConfig?: { availabilityZoneCount: number };
    dedicatedMasterEnabled: boolean;
    dedicatedMasterType?: string;
    dedicatedMasterCount?: number;
}

/** The domain's clusterConfig input. */
export function clusterConfig(s: DomainSizing): ClusterConfigPlan {
    return {
        instanceType: s.instanceType,
        instanceCount: s.instanceCount,
        zoneAwarenessEnabled: s.zoneAwarenessEnabled,
        ...(s.zoneAwarenessEnabled ? { zoneAwarenessConfig: { availabilityZoneCount: s.availabilityZoneCount } } : {}),
        dedicatedMasterEnabled: s.dedicatedMasterEnabled,
        ...(s.dedicatedMasterEnabled ? { dedicatedMasterType: s.dedicatedMasterType, dedicatedMasterCount: s.dedicatedMasterCount } : {}),
    };
}

export interface EbsOptionsPlan {
    ebsEnabled: boolean;
    volumeSize: number;
    volumeType: string;
    iops?: number;
    throughput?: number;
}

/** The domain's ebsOptions input. */
export function ebsOptions(s: DomainSizing): EbsOptionsPlan {
    return { ebsEnabled: true, volumeSize: s.ebs.volumeSizeGiB, volumeType: s.ebs.volumeType, ...(s.ebs.iops !== undefined ? { iops: s.ebs.iops } : {}), ...(s.ebs.throughput !== undefined ? { throughput: s.ebs.throughput } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Network
// ---------------------------------------------------------------------------------------------

export interface IngressRulePlan<S> {
    /** Logical-name suffix. */
    role: string;
    description: string;
    /** Exactly one of these. */
    sourceSecurityGroupId?: S;
    cidr?: string;
}

/** HTTPS (443) into the domain from each allowed security group and CIDR block; nothing else. */
export function domainIngressRules<S>(allowedSecurityGroupIds: S[], allowedCidrs: string[]): IngressRulePlan<S>[] {
    return [
        ...allowedSecurityGroupIds.map((g, i) => ({ role: `https-from-sg-${i}`, description: "HTTPS to OpenSearch from an allowed security group (Fluent Bit nodes)", sourceSecurityGroupId: g })),
        ...allowedCidrs.map((c, i) => ({ role: `https-from-cidr-${i}`, description: `HTTPS to OpenSearch from ${c}`, cidr: c })),
    ];
}

// ---------------------------------------------------------------------------------------------
// IAM
// ---------------------------------------------------------------------------------------------

/** Fluent Bit's IRSA policy: the data-plane verbs on exactly this domain's paths (`/*`). */
export function fluentBitPolicy(domainArnValue: string): PolicyDocument {
    return policyDocument([{ Sid: "ShipLogsToDomain", Effect: "Allow", Action: [...ES_HTTP_DATA_ACTIONS], Resource: domainPathsArn(domainArnValue) }]);
}


/** The bootstrap function's only policy. */
export function bootstrapPolicy(domainArnValue: string, logGroupArn: string): PolicyDocument {
    return policyDocument([
        { Sid: "ConfigureDomain", Effect: "Allow", Action: [...ES_HTTP_DATA_ACTIONS], Resource: domainPathsArn(domainArnValue) },
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn.replace(/:\*$/, "")}:*` },
        lambdaVpcStatement(),
    ]);
}

export interface AccessPolicyPrincipals {
    /** Roles that ship logs: Fluent Bit's IRSA role and any additional writer roles. */
    writers: string[];
    /** The bootstrap role (the fine-grained access control master). */
    bootstrap: string;
    /** Roles of humans with read-only access. */
    readers: string[];
}

/**
 * The domain's resource policy: each principal named exactly (no "*"), data-plane verbs on the
 * domain's paths only. Fine-grained access control then decides per index (role mappings).
 */
export function domainAccessPolicy(domainArnValue: string, p: AccessPolicyPrincipals): PolicyDocument {
    const resource = domainPathsArn(domainArnValue);
    const statements: PolicyStatement[] = [
        { Sid: "LogWriters", Effect: "Allow", Principal: { AWS: [...new Set(p.writers)].sort() }, Action: [...ES_HTTP_DATA_ACTIONS], Resource: resource },
        { Sid: "Bootstrap", Effect: "Allow", Principal: { AWS: p.bootstrap }, Action: [...ES_HTTP_DATA_ACTIONS], Resource: resource },
    ];
    if (p.readers.length > 0) {
        statements.push({ Sid: "HumanReaders", Effect: "Allow", Principal: { AWS: [...new Set(p.readers)].sort() }, Action: [...ES_HTTP_READ_ACTIONS], Resource: resource });
    }
    return policyDocument(statements);
}

/**
 * The CloudWatch Logs resource policy that lets OpenSearch Service write the domain's log groups,
 * only for this account and this domain (confused-deputy guard).
 */
export function logPublishingPolicy(logGroupArns: string[], accountId: string, domainArnValue: string): PolicyDocument {
    return policyDocument([
        {
            Sid: "OpenSearchPublishLogs",
            Effect: "Allow",
            Principal: { Service: "es.amazonaws.com" },
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: logGroupArns.map((a) => `${a.replace(/:\*$/, "")}:*`),
            Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": domainArnValue } },
        },
    ]);
}

/** True if any statement names the "*" principal (in any form). */
export function hasWildcardPrincipal(doc: PolicyDocument): boolean {
    return doc.Statement.some((s) => {
        if (s.Principal === "*") return true;
        if (s.Principal && typeof s.Principal === "object") return Object.values(s.Principal).some((v) => (Array.isArray(v) ? v.includes("*") : v === "*"));
        return false;
    });
}

// ---------------------------------------------------------------------------------------------
// Bootstrap Lambda packaging
// ---------------------------------------------------------------------------------------------

/** Packages the handler loads at run time (bundled). */
export const BOOTSTRAP_HANDLER_PACKAGES = ["@aws-crypto/sha256-js", "@smithy/protocol-http", "@smithy/signature-v4"];

/**
 * Never bundled: the registrar's list (Pulumi, AWS SDK clients, types, tooling) plus the
 * registrar-only runtime packages this handler does not use. Exact names: computeCodePaths
 * excludes a listed package even where another package depends on it.
 */
export const BOOTSTRAP_EXCLUDED_PACKAGES = [...NEVER_BUNDLED_PACKAGES, "@kubernetes/client-node", "@aws-lambda-powertools/logger", "@aws-lambda-powertools/metrics", "yaml"];

/** The bootstrap CallbackFunction's codePathOptions (fresh arrays: CallbackFunction appends to them). */
export function bootstrapCodePathOptions(): { extraIncludePackages: string[]; extraExcludePackages: string[] } {
    return { extraIncludePackages: [...BOOTSTRAP_HANDLER_PACKAGES], extraExcludePackages: [...BOOTSTRAP_EXCLUDED_PACKAGES] };
}
