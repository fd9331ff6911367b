// Pure decisions of LoggingPipeline: names, domain sizing, security-group rules, IAM documents,
// and the bootstrap Lambda's packaging. No Pulumi resources here: tests call these functions
// directly. Rules, messages and defaults of the args live in schema.ts (the one rule book).
import type { AlarmMetric, MetricAlarmSpec } from "../common/alarms";
import { PolicyDocument, PolicyStatement, policyDocument } from "../common/iam";
import { NEVER_BUNDLED_PACKAGES, lambdaVpcStatement } from "../common/lambda";
import { iamRoleNamePrefix, physicalName } from "../common/naming";

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

/** The bootstrap function's size: it sends a few dozen small HTTPS requests per run. */
export const BOOTSTRAP_LAMBDA = { memoryMb: 256, timeoutSeconds: 120 } as const;

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

/** The sizing settings (schema.ts output: every default applied). */
export interface SizingInput {
    instanceType: string;
    instanceCount: number;
    zoneAwareness: { enabled: boolean; availabilityZoneCount: number };
    dedicatedMasters: { enabled: boolean; type?: string; count: number };
    ebs: { volumeSizeGiB: number; volumeType: string; iops?: number; throughput?: number };
}

/** The cluster shape of the domain from the settings. */
export function planDomainSizing(a: SizingInput): DomainSizing {
    const zoneAware = a.zoneAwareness.enabled;
    const azs = zoneAware ? a.zoneAwareness.availabilityZoneCount : 1;
    const masters = a.dedicatedMasters.enabled;
    return {
        instanceType: a.instanceType,
        instanceCount: a.instanceCount,
        zoneAwarenessEnabled: zoneAware,
        availabilityZoneCount: azs,
        dedicatedMasterEnabled: masters,
        ...(masters ? { dedicatedMasterType: a.dedicatedMasters.type, dedicatedMasterCount: a.dedicatedMasters.count } : {}),
        ebs: {
            volumeSizeGiB: a.ebs.volumeSizeGiB,
            volumeType: a.ebs.volumeType,
            ...(a.ebs.iops !== undefined ? { iops: a.ebs.iops } : {}),
            ...(a.ebs.throughput !== undefined ? { throughput: a.ebs.throughput } : {}),
        },
        subnetCount: azs,
        defaultReplicas: a.instanceCount > 1 ? 1 : 0,
    };
}

/** The subnets the domain's ENIs use: the first one per availability zone of the sizing. */
export function domainSubnetIds<T>(subnetIds: T[], sizing: Pick<DomainSizing, "subnetCount">): T[] {
    return subnetIds.slice(0, sizing.subnetCount);
}

/** OpenSearch Dashboards on the domain's endpoint. */
export function dashboardsUrl(endpoint: string): string {
    return `https://${endpoint}/_dashboards`;
}

/**
 * Physical names an operator recognizes in the AWS console, `<prefix>-<env>-<role>`: the
 * bootstrap function (and so its log group `/aws/lambda/<name>`), the IAM role name prefixes, the
 * security group name prefixes. The domain, its key alias and its log groups are named after the
 * domain (`<prefix>-<env>-logs` by default).
 */
export function loggingPhysicalNames(prefix: string, environment: string) {
    return {
        bootstrapFunction: physicalName(prefix, environment, "opensearch-bootstrap"),
        bootstrapRolePrefix: iamRoleNamePrefix(prefix, environment, "opensearch-bootstrap"),
        fluentBitRolePrefix: iamRoleNamePrefix(prefix, environment, "fluent-bit"),
        domainSecurityGroupPrefix: `${physicalName(prefix, environment, "opensearch", 200)}-`,
        bootstrapSecurityGroupPrefix: `${physicalName(prefix, environment, "opensearch-bootstrap", 200)}-`,
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
    /**
     * SAML sign-in to Dashboards is on. A browser session carries no SigV4 signature, so the
     * resource policy must let any principal through to the domain's paths (AWS's documented
     * setup for SAML); what protects the domain then is the VPC (its security group admits 443
     * from the allowed security groups and CIDRs only) and fine-grained access control, which
     * refuses every request without a mapped role.
     */
    samlBrowserSessions?: boolean;
}

/**
 * The domain's resource policy: each principal named exactly (no "*" unless SAML sign-in is on,
 * see samlBrowserSessions), data-plane verbs on the domain's paths only. Fine-grained access
 * control then decides per index (role mappings).
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
    if (p.samlBrowserSessions === true) {
        statements.push({ Sid: "SamlBrowserSessions", Effect: "Allow", Principal: { AWS: "*" }, Action: [...ES_HTTP_DATA_ACTIONS], Resource: resource });
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

// ---------------------------------------------------------------------------------------------
// Alarms
// ---------------------------------------------------------------------------------------------

/** An AWS/ES metric of the domain (dimensions DomainName and ClientId = the account id). */
const esMetric = (metricName: string, statistic: "Maximum" | "Minimum"): AlarmMetric => ({ namespace: "AWS/ES", metricName, statistic, dimension: "domain" });

/**
 * The domain's alarms, as AWS recommends them ("Recommended CloudWatch alarms for Amazon
 * OpenSearch Service", docs.aws.amazon.com/opensearch-service/latest/developerguide/cloudwatch-alarms.html,
 * read 2026-12-05): statistic, threshold, period and consecutive periods as on that page.
 * FreeStorageSpace (MiB, per node, Minimum = the emptiest node) alarms at 25% of one data node's
 * volume, the page's advice instead of its fixed 20 GiB. `Nodes` below the data and master nodes
 * for a day. Missing data: `notBreaching` for the metrics AWS publishes only when something
 * happened (AutomatedSnapshotFailure, KMSKeyError, KMSKeyInaccessible, ClusterIndexWritesBlocked),
 * `missing` for the state metrics (a domain that stops publishing is not treated as healthy or broken).
 */
export function openSearchAlarmSpecs(s: Pick<DomainSizing, "instanceCount" | "dedicatedMasterEnabled" | "dedicatedMasterCount" | "ebs">): MetricAlarmSpec[] {
    const once = (period: number) => ({ period, evaluationPeriods: 1 });
    const atLeastOne = { threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold" } as const;
    const nodes = s.instanceCount + (s.dedicatedMasterEnabled ? (s.dedicatedMasterCount ?? 0) : 0);
    const freeStorageMiB = Math.floor(s.ebs.volumeSizeGiB * 1024 * 0.25);
    return [
        { role: "cluster-red", metric: esMetric("ClusterStatus.red", "Maximum"), ...once(60), ...atLeastOne, treatMissingData: "missing", description: "OpenSearch: at least one primary shard and its replicas are unallocated (cluster red): logs of those indices are not searchable and may not be written." },
        { role: "cluster-yellow", metric: esMetric("ClusterStatus.yellow", "Maximum"), period: 60, evaluationPeriods: 5, ...atLeastOne, treatMissingData: "missing", description: "OpenSearch: at least one replica shard is unallocated (cluster yellow) for 5 minutes: one more node loss can lose data." },
        {
            role: "free-storage",
            metric: esMetric("FreeStorageSpace", "Minimum"),
            ...once(60),
            threshold: freeStorageMiB,
            comparisonOperator: "LessThanOrEqualToThreshold",
            treatMissingData: "missing",
            description: `OpenSearch: a data node has ${freeStorageMiB} MiB (25% of its ${s.ebs.volumeSizeGiB} GiB volume) or less free: writes stop at the flood-stage watermark.`,
        },
        { role: "writes-blocked", metric: esMetric("ClusterIndexWritesBlocked", "Maximum"), ...once(300), ...atLeastOne, treatMissingData: "notBreaching", description: "OpenSearch: the cluster blocks index writes (ClusterBlockException): Fluent Bit retries and buffers, then drops logs." },
        { role: "nodes", metric: esMetric("Nodes", "Minimum"), ...once(86400), threshold: nodes, comparisonOperator: "LessThanThreshold", treatMissingData: "missing", description: `OpenSearch: fewer than ${nodes} nodes for a day: a node failed and was not replaced.` },
        { role: "snapshot-failed", metric: esMetric("AutomatedSnapshotFailure", "Maximum"), ...once(60), ...atLeastOne, treatMissingData: "notBreaching", description: "OpenSearch: an automated snapshot failed (often a red cluster)." },
        { role: "cpu-high", metric: esMetric("CPUUtilization", "Maximum"), period: 900, evaluationPeriods: 3, threshold: 80, comparisonOperator: "GreaterThanOrEqualToThreshold", treatMissingData: "missing", description: "OpenSearch: a node's CPU at 80% or more for 45 minutes: scale the instance type or count." },
        { role: "jvm-pressure", metric: esMetric("JVMMemoryPressure", "Maximum"), period: 60, evaluationPeriods: 3, threshold: 95, comparisonOperator: "GreaterThanOrEqualToThreshold", treatMissingData: "missing", description: "OpenSearch: JVM memory pressure at 95% or more for 3 minutes: out-of-memory errors and blocked writes are near." },
        { role: "kms-key-error", metric: esMetric("KMSKeyError", "Maximum"), ...once(60), ...atLeastOne, treatMissingData: "notBreaching", description: "OpenSearch: the domain's KMS key is disabled: the domain cannot encrypt or decrypt." },
        { role: "kms-key-inaccessible", metric: esMetric("KMSKeyInaccessible", "Maximum"), ...once(60), ...atLeastOne, treatMissingData: "notBreaching", description: "OpenSearch: the domain's KMS key was deleted or its grants revoked: the domain cannot read its data." },
    ];
}
