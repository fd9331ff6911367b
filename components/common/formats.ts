// Value formats shared by every component schema and config section, defined once each: AWS ids,
// regions, ARNs, CIDRs, DNS names, durations, Kubernetes names and quantities, CloudWatch
// retention values, bucket names, tags. Each is a zod schema whose message is the expected form
// ("an AWS region the provider knows, such as eu-west-1"); problemsFrom adds the field and the value found.
import { Region } from "@pulumi/aws/types/enums";
import { z } from "zod";
import { addIssue } from "./schema";
import { INTERNAL_IPV4_BLOCKS, isInternalCidr, parseCidr } from "./cidr";

/** Builds a string format from a test and its expected form (the message for a missing or mistyped value too). */
export function format(expected: string, test: (value: string) => boolean) {
    return z.string(expected).refine(test, expected);
}

export function matches(re: RegExp) {
    return (value: string) => re.test(value);
}

/** A whole number from min to max, with one message for every way of missing it. */
export function intIn(min: number, max: number, expected: string) {
    return z.int(expected).min(min, expected).max(max, expected);
}

// ---------------------------------------------------------------------------------------------
// Names of this project

/** Environment names and name prefixes: part of every physical name. */
export const NAME_RE = /^[a-z][a-z0-9-]{0,14}[a-z0-9]$/;
export const EXPECTED_ENVIRONMENT = "a lowercase name of 2-16 letters, digits and '-' such as dev or prod";
export const EXPECTED_PREFIX = "a lowercase name prefix of 2-16 letters, digits and '-' such as cloud";
export const environmentName = () => format(EXPECTED_ENVIRONMENT, matches(NAME_RE));
export const namePrefix = () => format(EXPECTED_PREFIX, matches(NAME_RE));

// ---------------------------------------------------------------------------------------------
// AWS identifiers

export const AZ_NAME_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}[a-z]$/;
export const ACCOUNT_ID_RE = /^\d{12}$/;
/** EC2 resource ids: the old 8-hex form or the current 17-hex form. */
const ec2Id = (prefix: string) => new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`);
export const VPC_ID_RE = ec2Id("vpc");
export const SUBNET_ID_RE = ec2Id("subnet");
export const SECURITY_GROUP_ID_RE = ec2Id("sg");
export const TGW_ID_RE = ec2Id("tgw");
/** Route 53 hosted zone ids: `Z` followed by uppercase letters and digits. */
export const ZONE_ID_RE = /^Z[A-Z0-9]{4,31}$/;
/** A partition segment of an ARN: aws, aws-cn, aws-us-gov, ... */
const PARTITION = "aws(-[a-z]+)*";
export const ROLE_ARN_RE = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role/([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}$`);
export const SNS_TOPIC_ARN_RE = new RegExp(`^arn:${PARTITION}:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$`);
export const ACM_CERTIFICATE_ARN_RE = new RegExp(`^arn:${PARTITION}:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]{36}$`);
export const OIDC_PROVIDER_ARN_RE = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:oidc-provider/\\S+$`);
export const EKS_CLUSTER_NAME_RE = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export const EXPECTED = {
    region: "an AWS region the provider knows, such as eu-west-1",
    availabilityZone: "an availability zone name such as eu-west-1a",
    accountId: "a 12-digit AWS account ID",
    vpcId: "a VPC ID such as vpc-0123456789abcdef0",
    subnetId: "a subnet ID such as subnet-0123456789abcdef0",
    securityGroupId: "a security group ID such as sg-0123456789abcdef0",
    transitGatewayId: "a Transit Gateway ID such as tgw-0123456789abcdef0",
    zoneId: "a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ",
    roleArn: "an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin",
    snsTopicArn: "an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:alerts",
    certificateArn: "an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d",
    oidcProviderArn: "an IAM OIDC provider ARN such as arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
    eksClusterName: "an EKS cluster name of 1-100 letters, digits, '-' and '_' starting with a letter or digit",
    cidr: "an IPv4 CIDR block such as 10.0.0.0/16",
    internalCidr: `a private IPv4 CIDR block inside ${INTERNAL_IPV4_BLOCKS.join(", ")} (RFC 1918, RFC 6598) such as 10.0.0.0/16`,
    ipv4: "an IPv4 address such as 10.0.0.2",
    dnsName: "a lowercase DNS name of at least two labels such as monitoring.cnc.internal",
    bucketName: "an S3 bucket name of 3-63 lowercase letters, digits or '-' (no dots; not starting with xn-- or sthree-, not ending with -s3alias or --ol-s3)",
    duration: "a duration such as 30s, 12h, 30d or 1y",
    k8sName: "a Kubernetes name (lowercase letters, digits, '-')",
    quantity: "a Kubernetes quantity such as 10Gi",
    cpu: "a CPU quantity above zero such as 500m or 2",
    memory: "a memory quantity above zero such as 512Mi or 4Gi",
    port: "a port number from 1 to 65535",
    httpsUrl: "an https URL such as https://example.com",
    tagKey: "a tag key of 1-128 letters, digits, spaces and _.:/=+-@",
    tagValue: "a tag value of at most 256 characters",
} as const;

/** Every region the pinned AWS provider knows (@pulumi/aws `Region`): a well-formed name outside it (eu-west-9) does not exist. */
export const KNOWN_REGIONS: ReadonlySet<string> = new Set(Object.values(Region));

/** Whether `name` is a region the AWS provider knows. */
export function isKnownRegion(name: unknown): boolean {
    return typeof name === "string" && KNOWN_REGIONS.has(name);
}

export const awsRegion = () => format(EXPECTED.region, isKnownRegion);
export const availabilityZone = () => format(EXPECTED.availabilityZone, matches(AZ_NAME_RE));
export const accountId = () => format(EXPECTED.accountId, matches(ACCOUNT_ID_RE));
export const vpcId = () => format(EXPECTED.vpcId, matches(VPC_ID_RE));
export const subnetId = () => format(EXPECTED.subnetId, matches(SUBNET_ID_RE));
export const securityGroupId = () => format(EXPECTED.securityGroupId, matches(SECURITY_GROUP_ID_RE));
export const transitGatewayId = () => format(EXPECTED.transitGatewayId, matches(TGW_ID_RE));
export const hostedZoneId = () => format(EXPECTED.zoneId, matches(ZONE_ID_RE));
export const roleArn = () => format(EXPECTED.roleArn, matches(ROLE_ARN_RE));
export const snsTopicArn = () => format(EXPECTED.snsTopicArn, matches(SNS_TOPIC_ARN_RE));
export const certificateArn = () => format(EXPECTED.certificateArn, matches(ACM_CERTIFICATE_ARN_RE));
export const oidcProviderArn = () => format(EXPECTED.oidcProviderArn, matches(OIDC_PROVIDER_ARN_RE));
export const eksClusterName = () => format(EXPECTED.eksClusterName, matches(EKS_CLUSTER_NAME_RE));

// ---------------------------------------------------------------------------------------------
// Network

/** A canonical IPv4 CIDR block (an address with host bits set names the network address it should be) that passes `inRange`. */
function cidrBlock(inRange?: (value: string) => boolean, expected: string = EXPECTED.cidr) {
    return z.string(EXPECTED.cidr).superRefine((value, ctx) => {
        const parsed = parseCidr(value);
        if (!parsed) ctx.addIssue({ code: "custom", message: EXPECTED.cidr, input: value });
        else if (parsed.hostBitsSet) ctx.addIssue({ code: "custom", message: `the network address of the block (${parsed.hostBitsSet})`, input: value });
        else if (inRange && !inRange(value)) ctx.addIssue({ code: "custom", message: expected, input: value });
    });
}

/** Any canonical IPv4 CIDR block: for lists of public sources, which also pass publicCoverageExcess. */
export const ipv4Cidr = () => cidrBlock();

/**
 * A canonical IPv4 CIDR block inside the private ranges (INTERNAL_IPV4_BLOCKS): for lists that are
 * meant to be internal (the VPC, private-endpoint and resolver sources, workload networks, the
 * logging domain's sources). 0.0.0.0/0, 0.0.0.0/1 and 8.8.0.0/18 are all refused.
 */
export const internalCidr = (expected: string = EXPECTED.internalCidr) => cidrBlock(isInternalCidr, expected);

const DNS_LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
const DNS_NAME_RE = new RegExp(`^(${DNS_LABEL}\\.)+${DNS_LABEL}\\.?$`);

/** A lowercase DNS name of at least two labels (a trailing dot is allowed), at most 253 characters. */
export function isDnsName(text: unknown): boolean {
    return typeof text === "string" && text.replace(/\.$/, "").length <= 253 && DNS_NAME_RE.test(text);
}
export const dnsName = (expected: string = EXPECTED.dnsName) => format(expected, isDnsName);

export const port = () => intIn(1, 65535, EXPECTED.port);

export const httpsUrl = (expected: string = EXPECTED.httpsUrl) => format(expected, matches(/^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/\S*)?$/));

// ---------------------------------------------------------------------------------------------
// S3 and CloudWatch

/**
 * S3 general-purpose bucket naming rules, without dots (they break TLS for virtual-hosted-style
 * requests): 3-63 lowercase letters, digits and '-', alphanumeric at both ends, and none of the
 * reserved prefixes and suffixes (xn--, sthree-, amzn-s3-demo-, -s3alias, --ol-s3, --x-s3).
 */
export function isBucketName(name: unknown): boolean {
    return (
        typeof name === "string" &&
        /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name) &&
        !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) &&
        !/(-s3alias|--ol-s3|--x-s3)$/.test(name)
    );
}
export const bucketName = (expected: string = EXPECTED.bucketName) => format(expected, isBucketName);

/** The retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
export const EXPECTED_LOG_RETENTION = `one of CloudWatch Logs' retention periods in days: ${LOG_RETENTION_DAYS.join(", ")}`;

/** Whether a number is a retention value CloudWatch Logs accepts. */
export function isLogRetentionDays(days: unknown): days is (typeof LOG_RETENTION_DAYS)[number] {
    return typeof days === "number" && (LOG_RETENTION_DAYS as readonly number[]).includes(days);
}
export const logRetentionDays = () => z.number(EXPECTED_LOG_RETENTION).refine(isLogRetentionDays, EXPECTED_LOG_RETENTION);

// ---------------------------------------------------------------------------------------------
// Prometheus durations (model.Duration: 1y2w3d4h5m6s7ms; "0" = zero)

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3, 1];

/** Milliseconds of a Prometheus duration, or undefined when the string is not one. */
export function parseDuration(value: unknown): number | undefined {
    if (typeof value !== "string" || value === "") return undefined;
    if (value === "0") return 0;
    const m = DURATION_RE.exec(value);
    if (!m) return undefined;
    let total = 0;
    UNIT_MS.forEach((unit, i) => {
        if (m[i + 1] !== undefined) total += Number(m[i + 1]) * unit;
    });
    return total;
}

/** A Prometheus duration, optionally with a floor in milliseconds (and then its own message). */
export const duration = (expected: string = EXPECTED.duration, minMs = 0) =>
    format(expected, (v) => {
        const ms = parseDuration(v);
        return ms !== undefined && ms >= minMs;
    });

// ---------------------------------------------------------------------------------------------
// Kubernetes

/** A Kubernetes (RFC 1123 label) name: lowercase letters, digits and '-', alphanumeric at both ends. */
export const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const QUANTITY_RE = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
export const CPU_RE = /^(\d+(\.\d+)?|\d+m)$/;

const QUANTITY_SUFFIX: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/**
 * The value of a Kubernetes quantity in base units (cores, bytes), or undefined when it is not one
 * of the forms these schemas accept (QUANTITY_RE, CPU_RE). @kubernetes/client-node has
 * quantityToScalar, but its 2.x is an ES module that Node 20 cannot require synchronously, and a
 * schema check must be synchronous; comparing two quantities needs only this much.
 */
export function quantityValue(text: unknown): number | undefined {
    if (typeof text !== "string") return undefined;
    const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(text);
    return m ? Number(m[1]) * QUANTITY_SUFFIX[m[2] ?? ""] : undefined;
}

/** A quantity matching `re` whose value is above zero. */
export const positive = (re: RegExp) => (v: string) => re.test(v) && quantityValue(v)! > 0;

/** A Kubernetes name of at most `max` characters (63 for labels and most objects). */
export const k8sName = (expected: string = EXPECTED.k8sName, max = 63) => format(expected, (v) => v.length <= max && K8S_NAME.test(v));
/** A quantity above zero (a volume of "0" is refused: a PVC of zero bytes never binds). */
export const quantity = (example: string) => format(`a Kubernetes quantity above zero such as ${example}`, positive(QUANTITY_RE));
export const cpuQuantity = () => format(EXPECTED.cpu, positive(CPU_RE));
export const memoryQuantity = () => format(EXPECTED.memory, positive(QUANTITY_RE));

/** Requests and limits of one container, any of them unset. */
export interface ContainerResources {
    cpuRequest?: string;
    cpuLimit?: string;
    memoryRequest?: string;
    memoryLimit?: string;
}

/**
 * Limits below requests (the API server refuses such a pod: "must be greater than or equal to
 * request"), reported at the limit. Unset or malformed values are skipped (their own checks
 * report them).
 */
export function limitsBelowRequests(r: ContainerResources): Array<{ field: "cpuLimit" | "memoryLimit"; expected: string; found: string }> {
    const out: Array<{ field: "cpuLimit" | "memoryLimit"; expected: string; found: string }> = [];
    for (const [what, request, limit] of [["cpu", "cpuRequest", "cpuLimit"], ["memory", "memoryRequest", "memoryLimit"]] as const) {
        const req = quantityValue(r[request]);
        const lim = quantityValue(r[limit]);
        if (req !== undefined && lim !== undefined && lim < req) out.push({ field: limit, expected: `a ${what} limit no lower than ${request} (${r[request]})`, found: r[limit]! });
    }
    return out;
}
/** CPU and memory of one container, each field defaulted from `d`; a limit below its request is refused. */
export function containerResources(d: ContainerResources & { cpuRequest: string; memoryRequest: string; cpuLimit: string; memoryLimit: string }) {
    return z
        .object({
            cpuRequest: cpuQuantity().default(d.cpuRequest),
            memoryRequest: memoryQuantity().default(d.memoryRequest),
            cpuLimit: cpuQuantity().default(d.cpuLimit),
            memoryLimit: memoryQuantity().default(d.memoryLimit),
        })
        .strict()
        .superRefine((r, ctx) => {
            for (const p of limitsBelowRequests(r)) addIssue(ctx, [p.field], p.expected, p.found);
        })
        .prefault({});
}
export const replicas = (max: number) => intIn(1, max, `a whole number of replicas from 1 to ${max}`);

// ---------------------------------------------------------------------------------------------
// Tags

export const TAG_KEY_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
export const EXPECTED_UNRESERVED_TAG_KEY = "a tag key not starting with aws: (AWS reserves the prefix and refuses such tags)";

/** AWS resource tags: keys of 1-128 characters, none with the reserved `aws:` prefix (any case), values of at most 256. */
export const tags = () =>
    z.record(format(EXPECTED.tagKey, matches(TAG_KEY_RE)), z.string(EXPECTED.tagValue).max(256, EXPECTED.tagValue)).superRefine((t, ctx) => {
        for (const key of Object.keys(t)) {
            if (key.toLowerCase().startsWith("aws:")) addIssue(ctx, [key], EXPECTED_UNRESERVED_TAG_KEY, key);
        }
    });

// ---- added for ProvisionerServer
/** The cluster's OIDC issuer URL (IRSA): every component with an IRSA role takes one (ThanosFederation spells the same rule inline). */
export const EXPECTED_OIDC_ISSUER_URL = "the cluster's OIDC issuer URL such as https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";
export const oidcIssuerUrl = () => format(EXPECTED_OIDC_ISSUER_URL, (v) => v.length > 0);

/** Domains reserved for examples and tests (RFC 2606, RFC 6761): a host there is a placeholder. */
const RESERVED_DOMAIN_RE = /(^|\.)(example\.(com|org|net)|example|test|invalid|localhost)$/;

/** Whether a host name (or zone name) lies in a domain reserved for examples: a placeholder. */
export function isReservedExampleHost(host: string): boolean {
    return RESERVED_DOMAIN_RE.test(host.toLowerCase().replace(/\.$/, ""));
}

/**
 * An IdP group name as it appears in the `groups` claim. No spaces, quotes, commas, braces or
 * backslashes: the name goes as is into Grafana's JMESPath role mapping ('...'), its
 * allowed_groups (split on spaces and commas; grafana.com generic-oauth docs: "comma- or
 * space-separated"), the grafana chart's ini (every string passes through Helm `tpl`), and the
 * OpenSearch security plugin's role mappings.
 */
export const EXPECTED_IDP_GROUP =
    "an IdP group name (or id) of 1-256 letters, digits and . _ @ : / + = - (no spaces, quotes, commas, braces or backslashes: Grafana splits allowed_groups on spaces and commas, its chart templates {{ }}, and the name goes into a JMESPath literal and the OpenSearch role mapping as is)";
export const idpGroup = () => format(EXPECTED_IDP_GROUP, matches(/^[A-Za-z0-9][A-Za-z0-9._@:/+=-]{0,255}$/));
