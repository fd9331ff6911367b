// Pure decisions for CommandControlNetwork: CIDR maths and the subnet layout, the NAT strategy,
// the VPC endpoint list, hosted zones and their associations, Resolver endpoints and rules,
// Transit Gateway routes, the flow-log role's policies, and validation of the args.
// No Pulumi resources are created here; tests call every function without mocks.
import { Problem } from "../common/errors";
import { PolicyDocument, policyDocument } from "../common/iam";
import type { CommandControlNetworkArgs, NetworkZoneArgs } from "./index";
import { LOG_RETENTION_DAYS, isLogRetentionDays } from "../common/formats";

// IPv4 and CIDR maths live in components/common/cidr.ts.
import { Cidr, blockSize, cidrOf, cidrSlug, cidrsOverlap, formatCidr, isIpv4, parseCidr } from "../common/cidr";
export { Cidr, blockSize, cidrOf, cidrRange, cidrsOverlap, cidrSlug, formatCidr, formatIpv4, isIpv4, parseCidr, parseIpv4 } from "../common/cidr";

// ---------------------------------------------------------------------------------------------
// Subnet layout
// ---------------------------------------------------------------------------------------------

/** VPC prefix lengths we accept: /16 (the AWS maximum size) to /24 (room for two small tiers). */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 24;
/** AWS's smallest subnet is /28; an ALB needs a /27 (at least 8 free addresses) in each public subnet. */
export const MAX_PRIVATE_SUBNET_PREFIX = 28;
export const MAX_PUBLIC_SUBNET_PREFIX = 27;
export const MAX_AZ_COUNT = 6;
export const DEFAULT_AZ_COUNT = 3;

/**
 * Default subnet sizes for a VPC prefix: each private subnet is 1/8 of the VPC (a /19 in a /16:
 * 8,192 addresses for nodes and VPC-CNI pod IPs), each public subnet 1/256 of it (a /24 in a /16)
 * but never smaller than a /27 (the ALB minimum). With 3 AZs a /16 keeps more than half unallocated
 * for later tiers.
 */
export function defaultSubnetMasks(vpcPrefix: number): { private: number; public: number } {
    return { private: Math.min(vpcPrefix + 3, MAX_PUBLIC_SUBNET_PREFIX), public: Math.min(vpcPrefix + 8, MAX_PUBLIC_SUBNET_PREFIX) };
}

export interface SubnetLayout {
    /** Private subnet CIDRs, one per AZ, in AZ order. */
    private: string[];
    /** Public subnet CIDRs, one per AZ, in AZ order. */
    public: string[];
    /** Addresses the subnets take together. */
    requiredAddresses: number;
    /** Addresses in the VPC CIDR. */
    vpcAddresses: number;
    /** Whether the subnets fit in the VPC (when false, the lists are empty). */
    fits: boolean;
}

/**
 * Allocates one private and one public subnet per AZ from the start of the VPC CIDR. Blocks are
 * allocated largest first (private first when the sizes are equal), so every block is aligned
 * without gaps and the layout fits exactly when the sizes add up to at most the VPC's size.
 * The rest of the VPC stays unallocated for later tiers.
 */
export function planSubnets(vpcCidr: string, azCount: number, privateMask: number, publicMask: number): SubnetLayout {
    const vpc = cidrOf(vpcCidr);
    if (!vpc) throw new Error(`planSubnets: ${JSON.stringify(vpcCidr)} is not a canonical IPv4 CIDR block`);
    const vpcAddresses = blockSize(vpc.prefix);
    const requiredAddresses = azCount * (blockSize(privateMask) + blockSize(publicMask));
    const fits = privateMask >= vpc.prefix && publicMask >= vpc.prefix && requiredAddresses <= vpcAddresses;
    if (!fits) return { private: [], public: [], requiredAddresses, vpcAddresses, fits };
    const tiers: Array<{ tier: "private" | "public"; mask: number }> = [
        { tier: "private" as const, mask: privateMask },
        { tier: "public" as const, mask: publicMask },
    ].sort((a, b) => a.mask - b.mask); // stable: private stays first on a tie
    const out: { private: string[]; public: string[] } = { private: [], public: [] };
    let cursor = vpc.base;
    for (const { tier, mask } of tiers) {
        for (let i = 0; i < azCount; i++) {
            out[tier].push(formatCidr({ base: cursor, prefix: mask }));
            cursor += blockSize(mask);
        }
    }
    return { ...out, requiredAddresses, vpcAddresses, fits };
}

// ---------------------------------------------------------------------------------------------
// NAT, tags
// ---------------------------------------------------------------------------------------------

/** The values `natGateways` accepts, and the awsx strategy each maps to. */
export const NAT_STRATEGIES: Record<string, "Single" | "OnePerAz"> = { single: "Single", perAz: "OnePerAz" };

/** Subnet tags the AWS Load Balancer Controller uses to discover subnets for internal / internet-facing LBs. */
export const PRIVATE_SUBNET_TAGS = { "kubernetes.io/role/internal-elb": "1" } as const;
export const PUBLIC_SUBNET_TAGS = { "kubernetes.io/role/elb": "1" } as const;

// ---------------------------------------------------------------------------------------------
// VPC endpoints
// ---------------------------------------------------------------------------------------------

export interface EndpointSpec {
    /** The switch in `endpoints`. */
    key: "s3" | "sts" | "ecrApi" | "ecrDkr" | "logs" | "ec2" | "elasticLoadBalancing";
    /** The service suffix in `com.amazonaws.<region>.<service>`. */
    service: string;
    type: "Gateway" | "Interface";
    /** Logical-name fragment: the child is `${name}-vpce-<role>`. */
    role: string;
}

/** Every endpoint the component knows, in creation order. */
export const ENDPOINTS: readonly EndpointSpec[] = [
    { key: "s3", service: "s3", type: "Gateway", role: "s3" },
    { key: "sts", service: "sts", type: "Interface", role: "sts" },
    { key: "ecrApi", service: "ecr.api", type: "Interface", role: "ecr-api" },
    { key: "ecrDkr", service: "ecr.dkr", type: "Interface", role: "ecr-dkr" },
    { key: "logs", service: "logs", type: "Interface", role: "logs" },
    { key: "ec2", service: "ec2", type: "Interface", role: "ec2" },
    { key: "elasticLoadBalancing", service: "elasticloadbalancing", type: "Interface", role: "elb" },
];

/** The endpoints switched on (every switch defaults to on). */
export function planEndpoints(switches: Partial<Record<EndpointSpec["key"], boolean>> | undefined): EndpointSpec[] {
    return ENDPOINTS.filter((e) => switches?.[e.key] ?? true);
}

export function endpointServiceName(region: string, service: string): string {
    return `com.amazonaws.${region}.${service}`;
}

/** A security-group rule as data (maps onto aws.ec2.SecurityGroup ingress/egress entries). */
export interface SgRule {
    description: string;
    protocol: "tcp" | "udp";
    fromPort: number;
    toPort: number;
    cidrBlocks: string[];
}

/** Interface endpoints accept HTTPS from inside the VPC only. */
export function endpointIngress(vpcCidr: string): SgRule[] {
    return [{ description: "HTTPS to AWS APIs from inside the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [vpcCidr] }];
}

// ---------------------------------------------------------------------------------------------
// Hosted zones and associations
// ---------------------------------------------------------------------------------------------

export const ZONE_KEYS = ["monitoring", "internal"] as const;
export type ZoneKey = (typeof ZONE_KEYS)[number];

export interface ZonePlan {
    key: ZoneKey;
    name: string;
    /** True: create a private zone with our VPC; false: associate our VPC with `existingZoneId`. */
    create: boolean;
    existingZoneId: string;
    /** Logical-name fragment: `${name}-<role>`. */
    role: string;
}

export function planZones(monitoring: NetworkZoneArgs, internal: NetworkZoneArgs): ZonePlan[] {
    return ([["monitoring", monitoring], ["internal", internal]] as const).map(([key, z]) => ({
        key,
        name: normalizeDnsName(z.name),
        create: !z.existingZoneId,
        existingZoneId: z.existingZoneId ?? "",
        role: `${key}-zone`,
    }));
}

export interface AssociationPlan {
    zoneKey: ZoneKey;
    vpcId: string;
    vpcRegion?: string;
    /** `association`: same account (aws.route53.ZoneAssociation); `authorization`: the VPC's account completes it. */
    kind: "association" | "authorization";
    accountId?: string;
    /** Logical-name fragment: `${name}-<role>`; keyed by zone and VPC so list order does not matter. */
    role: string;
}

/** One association (or cross-account authorization) per listed VPC and zone. */
export function planZoneAssociations(associations: CommandControlNetworkArgs["zoneAssociations"]): AssociationPlan[] {
    const out: AssociationPlan[] = [];
    for (const a of associations ?? []) {
        const zones = (a.zones ?? ZONE_KEYS) as readonly ZoneKey[];
        for (const zoneKey of zones) {
            const kind = a.accountId ? "authorization" : "association";
            out.push({
                zoneKey,
                vpcId: a.vpcId,
                ...(a.vpcRegion ? { vpcRegion: a.vpcRegion } : {}),
                kind,
                ...(a.accountId ? { accountId: a.accountId } : {}),
                role: `${zoneKey}-zone-${kind === "association" ? "assoc" : "auth"}-${a.vpcId}`,
            });
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Route 53 Resolver
// ---------------------------------------------------------------------------------------------

export interface ForwardRulePlan {
    domain: string;
    targetIps: Array<{ ip: string; port: number }>;
    /** Logical-name fragment: `${name}-<role>` (rule) and `${name}-<role>-assoc` (association). */
    role: string;
}

export interface ResolverPlan {
    inbound: boolean;
    outbound: boolean;
    /** Inbound endpoint: DNS from the allowed CIDRs only. */
    inboundIngress: SgRule[];
    /** Outbound endpoint: DNS to the forwarding targets only. */
    outboundEgress: SgRule[];
    rules: ForwardRulePlan[];
}

function dnsRules(direction: "from" | "to", cidrs: string[]): SgRule[] {
    if (cidrs.length === 0) return [];
    return (["udp", "tcp"] as const).map((protocol) => ({
        description: `DNS (${protocol}) ${direction} ${direction === "from" ? "allowed networks" : "forwarding targets"}`,
        protocol,
        fromPort: 53,
        toPort: 53,
        cidrBlocks: cidrs,
    }));
}

export function planResolver(resolver: CommandControlNetworkArgs["resolver"]): ResolverPlan {
    const inbound = resolver?.inbound ?? false;
    const outbound = resolver?.outbound ?? false;
    const rules = outbound
        ? (resolver?.forwardRules ?? []).map((r) => {
              const domain = normalizeDnsName(r.domain);
              return { domain, targetIps: r.targetIps.map((ip) => ({ ip, port: 53 })), role: `fwd-${domain.replace(/\./g, "-")}` };
          })
        : [];
    const targets = [...new Set(rules.flatMap((r) => r.targetIps.map((t) => `${t.ip}/32`)))];
    return {
        inbound,
        outbound,
        inboundIngress: inbound ? dnsRules("from", resolver?.allowedCidrs ?? []) : [],
        outboundEgress: outbound ? dnsRules("to", targets) : [],
        rules,
    };
}

// ---------------------------------------------------------------------------------------------
// Transit Gateway
// ---------------------------------------------------------------------------------------------

export interface TgwRoutePlan {
    azIndex: number;
    destinationCidr: string;
    /** Logical-name fragment, keyed by AZ and CIDR so adding a CIDR does not rename the others. */
    role: string;
}

/** One route per private route table (one per AZ) and workload CIDR. */
export function planTransitGatewayRoutes(azCount: number, routeCidrs: string[]): TgwRoutePlan[] {
    const out: TgwRoutePlan[] = [];
    for (let azIndex = 0; azIndex < azCount; azIndex++) {
        for (const destinationCidr of routeCidrs) {
            out.push({ azIndex, destinationCidr, role: `tgw-az${azIndex + 1}-${cidrSlug(destinationCidr)}` });
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Flow logs
// ---------------------------------------------------------------------------------------------

/** CloudWatch Logs' allowed retention values (days); 0 (never expire) is deliberately not offered. */
export { LOG_RETENTION_DAYS } from "../common/formats";
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = 30;

/** Only the VPC Flow Logs service, acting for this account's flow logs, may assume the role. */
export function flowLogTrustPolicy(accountId: string, partition: string, region: string): PolicyDocument {
    return policyDocument([
        {
            Sid: "VpcFlowLogsDelivery",
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
                StringEquals: { "aws:SourceAccount": accountId },
                ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*` },
            },
        },
    ]);
}

/** Write access to the one flow-log group and its streams; nothing else. */
export function flowLogWritePolicy(logGroupArn: string): PolicyDocument {
    const group = logGroupArn.replace(/:\*$/, "");
    return policyDocument([
        {
            Sid: "WriteFlowLogsToOwnGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            Resource: [group, `${group}:log-stream:*`],
        },
    ]);
}

// ---------------------------------------------------------------------------------------------
// The whole plan
// ---------------------------------------------------------------------------------------------

export interface NetworkPlan {
    vpcCidr: string;
    azCount: number;
    /** Explicit AZ names, or empty: awsx takes the region's first `azCount` zones. */
    azNames: string[];
    natStrategy: "Single" | "OnePerAz";
    subnets: SubnetLayout;
    privateSubnetMask: number;
    publicSubnetMask: number;
    privateSubnetTags: Record<string, string>;
    publicSubnetTags: Record<string, string>;
    endpoints: EndpointSpec[];
    endpointIngress: SgRule[];
    zones: ZonePlan[];
    associations: AssociationPlan[];
    resolver: ResolverPlan;
    transitGateway: { enabled: boolean; transitGatewayId: string; routes: TgwRoutePlan[] };
    flowLogRetentionDays: number;
}

export function azCountOf(args: Pick<CommandControlNetworkArgs, "availabilityZoneCount" | "availabilityZoneNames">): number {
    return args.availabilityZoneNames?.length ?? args.availabilityZoneCount ?? DEFAULT_AZ_COUNT;
}

/** Every decision, from validated args (call validateNetworkArgs first). */
export function planNetwork(args: CommandControlNetworkArgs): NetworkPlan {
    const vpc = cidrOf(args.vpcCidr)!;
    const azCount = azCountOf(args);
    const masks = defaultSubnetMasks(vpc.prefix);
    const privateSubnetMask = args.privateSubnetMask ?? masks.private;
    const publicSubnetMask = args.publicSubnetMask ?? masks.public;
    const tgw = args.transitGateway;
    return {
        vpcCidr: args.vpcCidr,
        azCount,
        azNames: args.availabilityZoneNames ?? [],
        natStrategy: NAT_STRATEGIES[args.natGateways ?? "perAz"],
        subnets: planSubnets(args.vpcCidr, azCount, privateSubnetMask, publicSubnetMask),
        privateSubnetMask,
        publicSubnetMask,
        privateSubnetTags: { ...(args.privateSubnetTags ?? {}), ...PRIVATE_SUBNET_TAGS },
        publicSubnetTags: { ...PUBLIC_SUBNET_TAGS },
        endpoints: planEndpoints(args.endpoints),
        endpointIngress: endpointIngress(args.vpcCidr),
        zones: planZones(args.monitoringZone, args.internalZone),
        associations: planZoneAssociations(args.zoneAssociations),
        resolver: planResolver(args.resolver),
        transitGateway: {
            enabled: tgw !== undefined,
            transitGatewayId: tgw?.transitGatewayId ?? "",
            routes: tgw ? planTransitGatewayRoutes(azCount, tgw.routeCidrs) : [],
        },
        flowLogRetentionDays: args.flowLogRetentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS,
    };
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const DNS_LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
const DNS_NAME_RE = new RegExp(`^(${DNS_LABEL}\\.)+${DNS_LABEL}\\.?$`);
/** Route 53 hosted zone IDs: `Z` followed by uppercase letters and digits (e.g. Z0123456789ABCDEFGHIJ). */
export const ZONE_ID_RE = /^Z[A-Z0-9]{4,31}$/;
export const VPC_ID_RE = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const TGW_ID_RE = /^tgw-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const ACCOUNT_ID_RE = /^\d{12}$/;
export const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
export const AZ_NAME_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}[a-z]$/;
/** AWS accepts up to 6 target IPs per forwarding rule. */
export const MAX_TARGET_IPS = 6;

/** A lowercase DNS name of at least two labels (a trailing dot is allowed), at most 253 characters. */
export function isDnsName(text: unknown): boolean {
    return typeof text === "string" && text.replace(/\.$/, "").length <= 253 && DNS_NAME_RE.test(text);
}

/** Without the trailing dot. */
export function normalizeDnsName(text: string): string {
    return text.replace(/\.$/, "");
}

export const EXPECT = {
    cidr: "an IPv4 CIDR block such as 10.0.0.0/16",
    vpcPrefix: `a CIDR block from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}`,
    ipv4: "an IPv4 address such as 10.0.0.2",
    dnsName: "a lowercase DNS name of at least two labels such as monitoring.cnc.internal",
    zoneId: "a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ",
    vpcId: "a VPC ID such as vpc-0123456789abcdef0",
    tgwId: "a Transit Gateway ID such as tgw-0123456789abcdef0",
    accountId: "a 12-digit AWS account ID",
    region: "an AWS region such as eu-west-1",
    azName: "an availability zone name such as eu-west-1a",
    retention: `one of CloudWatch Logs' retention periods in days: ${LOG_RETENTION_DAYS.join(", ")}`,
    natGateways: `one of ${Object.keys(NAT_STRATEGIES).map((s) => JSON.stringify(s)).join(", ")}`,
    zoneKeys: `a list of zone keys from ${ZONE_KEYS.map((s) => JSON.stringify(s)).join(", ")}, each at most once`,
} as const;

/** Problems with a CIDR's form: undefined when `text` is a canonical IPv4 CIDR block. */
export function cidrProblem(field: string, text: unknown): Problem | undefined {
    const parsed = parseCidr(text);
    if (!parsed) return { field, expected: EXPECT.cidr, found: text };
    if (parsed.hostBitsSet) return { field, expected: `the network address of the block (${parsed.hostBitsSet})`, found: text };
    return undefined;
}

/** The message for a subnet layout that does not fit; shared with the config schema. */
export function capacityExpectation(azCount: number, privateMask: number, publicMask: number, vpcPrefix: number): string {
    const required = azCount * (blockSize(privateMask) + blockSize(publicMask));
    return (
        `a VPC CIDR large enough for ${azCount} private /${privateMask} and ${azCount} public /${publicMask} subnets ` +
        `(${required} addresses; a /${vpcPrefix} has ${blockSize(vpcPrefix)}): use a larger block, fewer AZs or smaller subnets`
    );
}

/**
 * When one private and one public subnet per AZ (with the given or default masks) do not fit in
 * the VPC CIDR: the expected form for the message; undefined when they fit. Inputs must be valid.
 */
export function subnetCapacityShortfall(vpcCidr: string, azCount: number, privateMask?: number, publicMask?: number): string | undefined {
    const vpc = cidrOf(vpcCidr)!;
    const masks = defaultSubnetMasks(vpc.prefix);
    const p = privateMask ?? masks.private;
    const q = publicMask ?? masks.public;
    return planSubnets(vpcCidr, azCount, p, q).fits ? undefined : capacityExpectation(azCount, p, q, vpc.prefix);
}

/**
 * Overlaps among workload CIDRs: an entry overlapping the VPC CIDR or an earlier entry is a
 * problem; entries that are not canonical CIDR blocks are skipped (reported elsewhere).
 * `fieldOf(i)` names the entry.
 */
export function cidrOverlapProblems(vpcCidr: unknown, cidrs: unknown[], fieldOf: (i: number) => string): Problem[] {
    const problems: Problem[] = [];
    const vpc = cidrOf(vpcCidr);
    const seen: Array<{ text: string; cidr: Cidr }> = [];
    cidrs.forEach((text, i) => {
        const c = cidrOf(text);
        if (!c) return;
        if (vpc && cidrsOverlap(vpc, c)) {
            problems.push({ field: fieldOf(i), expected: `a CIDR block that does not overlap the VPC CIDR ${vpcCidr}`, found: text });
            return;
        }
        const other = seen.find((s) => cidrsOverlap(s.cidr, c));
        if (other) {
            problems.push({ field: fieldOf(i), expected: `a CIDR block that does not overlap another listed block (${other.text})`, found: text });
            return;
        }
        seen.push({ text: text as string, cidr: c });
    });
    return problems;
}

/** Form and overlap problems of a list of workload CIDRs, in list order. */
export function workloadCidrProblems(vpcCidr: unknown, cidrs: unknown[], fieldOf: (i: number) => string): Problem[] {
    const form = cidrs.map((c, i) => cidrProblem(fieldOf(i), c)).filter((p): p is Problem => p !== undefined);
    const order = (p: Problem) => cidrs.findIndex((_, i) => fieldOf(i) === p.field);
    return [...form, ...cidrOverlapProblems(vpcCidr, cidrs, fieldOf)].sort((a, b) => order(a) - order(b));
}

function isInt(v: unknown): v is number {
    return typeof v === "number" && Number.isInteger(v);
}

/** Every problem with the args, each naming the field, the expected form and the value found. */
export function validateNetworkArgs(args: CommandControlNetworkArgs): Problem[] {
    const problems: Problem[] = [];
    const push = (field: string, expected: string, found: unknown) => problems.push({ field, expected, found });

    // VPC CIDR
    const cidrForm = cidrProblem("vpcCidr", args.vpcCidr);
    let vpc = cidrOf(args.vpcCidr);
    if (cidrForm) problems.push(cidrForm);
    else if (vpc!.prefix < MIN_VPC_PREFIX || vpc!.prefix > MAX_VPC_PREFIX) {
        push("vpcCidr", EXPECT.vpcPrefix, args.vpcCidr);
        vpc = undefined;
    }

    // Availability zones
    let azCountOk = true;
    if (args.availabilityZoneCount !== undefined && (!isInt(args.availabilityZoneCount) || args.availabilityZoneCount < 1 || args.availabilityZoneCount > MAX_AZ_COUNT)) {
        push("availabilityZoneCount", `a whole number of availability zones from 1 to ${MAX_AZ_COUNT}`, args.availabilityZoneCount);
        azCountOk = false;
    }
    if (args.availabilityZoneNames !== undefined) {
        const names = args.availabilityZoneNames;
        if (!Array.isArray(names) || names.length < 1 || names.length > MAX_AZ_COUNT) {
            push("availabilityZoneNames", `a list of 1 to ${MAX_AZ_COUNT} availability zone names`, names);
            azCountOk = false;
        } else {
            names.forEach((n, i) => {
                if (typeof n !== "string" || !AZ_NAME_RE.test(n)) push(`availabilityZoneNames[${i}]`, EXPECT.azName, n);
                else if (names.indexOf(n) !== i) push(`availabilityZoneNames[${i}]`, "an availability zone not listed before", n);
            });
            if (args.availabilityZoneCount !== undefined && azCountOk && args.availabilityZoneCount !== names.length) {
                push("availabilityZoneCount", `the number of availabilityZoneNames (${names.length}) or nothing`, args.availabilityZoneCount);
                azCountOk = false;
            }
        }
    }
    const azCount = azCountOf(args);

    // NAT
    if (args.natGateways !== undefined && !(args.natGateways in NAT_STRATEGIES)) push("natGateways", EXPECT.natGateways, args.natGateways);

    // Subnet masks and capacity
    let masksOk = true;
    for (const [field, value, max] of [
        ["privateSubnetMask", args.privateSubnetMask, MAX_PRIVATE_SUBNET_PREFIX],
        ["publicSubnetMask", args.publicSubnetMask, MAX_PUBLIC_SUBNET_PREFIX],
    ] as const) {
        if (value === undefined) continue;
        const min = vpc ? vpc.prefix + 1 : MIN_VPC_PREFIX + 1;
        if (!isInt(value) || value < min || value > max) {
            const why = field === "publicSubnetMask" ? "; load balancers need at least a /27" : "";
            push(field, `a prefix length from ${min} to ${max}${vpc ? ` (smaller than the VPC /${vpc.prefix})` : ""}${why}`, value);
            masksOk = false;
        }
    }
    if (vpc && masksOk && azCountOk) {
        const short = subnetCapacityShortfall(args.vpcCidr, azCount, args.privateSubnetMask, args.publicSubnetMask);
        if (short) push("vpcCidr", short, args.vpcCidr);
    }

    // Private subnet tags
    for (const [k, v] of Object.entries(args.privateSubnetTags ?? {})) {
        if (k in PRIVATE_SUBNET_TAGS) push(`privateSubnetTags.${k}`, "no value here: the component sets this load-balancer discovery tag itself", v);
        else if (typeof v !== "string") push(`privateSubnetTags.${k}`, "a string tag value", v);
    }

    // Flow logs
    if (args.flowLogRetentionDays !== undefined && !isLogRetentionDays(args.flowLogRetentionDays)) {
        push("flowLogRetentionDays", EXPECT.retention, args.flowLogRetentionDays);
    }

    // Zones
    const zoneNames: Partial<Record<ZoneKey, string>> = {};
    for (const key of ZONE_KEYS) {
        const field = `${key}Zone`;
        const zone = key === "monitoring" ? args.monitoringZone : args.internalZone;
        if (zone === undefined || zone === null || typeof zone !== "object") {
            push(field, "a zone ({ name, existingZoneId? })", zone);
            continue;
        }
        if (!isDnsName(zone.name)) push(`${field}.name`, EXPECT.dnsName, zone.name);
        else zoneNames[key] = normalizeDnsName(zone.name);
        if (zone.existingZoneId !== undefined && !ZONE_ID_RE.test(String(zone.existingZoneId))) push(`${field}.existingZoneId`, EXPECT.zoneId, zone.existingZoneId);
    }
    if (zoneNames.monitoring && zoneNames.monitoring === zoneNames.internal) {
        push("internalZone.name", `a name different from monitoringZone.name (${zoneNames.monitoring})`, args.internalZone.name);
    }

    // Zone associations
    const pairs = new Set<string>();
    (args.zoneAssociations ?? []).forEach((a, i) => {
        const at = `zoneAssociations[${i}]`;
        if (!VPC_ID_RE.test(String(a.vpcId))) push(`${at}.vpcId`, EXPECT.vpcId, a.vpcId);
        if (a.vpcRegion !== undefined && !REGION_RE.test(String(a.vpcRegion))) push(`${at}.vpcRegion`, EXPECT.region, a.vpcRegion);
        if (a.accountId !== undefined && !ACCOUNT_ID_RE.test(String(a.accountId))) push(`${at}.accountId`, EXPECT.accountId, a.accountId);
        const zones = a.zones ?? [...ZONE_KEYS];
        const zonesOk = Array.isArray(zones) && zones.length > 0 && zones.every((z, j) => (ZONE_KEYS as readonly string[]).includes(z) && zones.indexOf(z) === j);
        if (!zonesOk) {
            push(`${at}.zones`, EXPECT.zoneKeys, a.zones);
            return;
        }
        for (const z of zones) {
            const key = `${z}/${a.vpcId}`;
            if (pairs.has(key)) push(`${at}.vpcId`, `a VPC not already associated with the ${z} zone by an earlier entry`, a.vpcId);
            pairs.add(key);
        }
    });

    // Resolver
    const r = args.resolver;
    if (r) {
        if ((r.inbound || r.outbound) && azCountOk && azCount < 2) {
            push("resolver", "at least 2 availability zones for Resolver endpoints (AWS needs two IP addresses in different subnets)", { inbound: r.inbound ?? false, outbound: r.outbound ?? false, availabilityZones: azCount });
        }
        (r.allowedCidrs ?? []).forEach((c, i) => {
            const p = cidrProblem(`resolver.allowedCidrs[${i}]`, c);
            if (p) problems.push(p);
        });
        if (r.inbound && (r.allowedCidrs ?? []).length === 0) push("resolver.allowedCidrs", "at least one source CIDR when resolver.inbound is on", r.allowedCidrs);
        const rules = r.forwardRules ?? [];
        if (rules.length > 0 && !r.outbound) push("resolver.outbound", "true when resolver.forwardRules are listed (rules forward through the outbound endpoint)", r.outbound);
        const domains = new Set<string>();
        rules.forEach((rule, i) => {
            const at = `resolver.forwardRules[${i}]`;
            if (!isDnsName(rule.domain)) push(`${at}.domain`, EXPECT.dnsName, rule.domain);
            else {
                const d = normalizeDnsName(rule.domain);
                if (d === zoneNames.monitoring || d === zoneNames.internal) push(`${at}.domain`, "a domain other than this network's own private zones", rule.domain);
                else if (domains.has(d)) push(`${at}.domain`, "a domain not forwarded by an earlier rule", rule.domain);
                domains.add(d);
            }
            if (!Array.isArray(rule.targetIps) || rule.targetIps.length < 1 || rule.targetIps.length > MAX_TARGET_IPS) {
                push(`${at}.targetIps`, `a list of 1 to ${MAX_TARGET_IPS} IPv4 addresses`, rule.targetIps);
            } else {
                rule.targetIps.forEach((ip, j) => {
                    if (!isIpv4(ip)) push(`${at}.targetIps[${j}]`, EXPECT.ipv4, ip);
                });
            }
        });
    }

    // Transit Gateway
    const t = args.transitGateway;
    if (t) {
        if (!TGW_ID_RE.test(String(t.transitGatewayId))) push("transitGateway.transitGatewayId", EXPECT.tgwId, t.transitGatewayId);
        if (!Array.isArray(t.routeCidrs)) push("transitGateway.routeCidrs", "a list of workload CIDR blocks", t.routeCidrs);
        else problems.push(...workloadCidrProblems(vpc ? args.vpcCidr : undefined, t.routeCidrs, (i) => `transitGateway.routeCidrs[${i}]`));
    }
    return problems;
}
