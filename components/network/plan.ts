// Pure decisions for CommandControlNetwork: the subnet layout, the NAT strategy, the VPC endpoint
// list, hosted zones and their associations, Resolver endpoints and rules, Transit Gateway routes
// and the flow-log role's policies (the args, their defaults and rules are in schema.ts; CIDR
// maths in components/common/cidr.ts). No Pulumi resources are created here; tests call every
// function without mocks.
import { Cidr, blockSize, cidrOf, cidrSlug, cidrsOverlap, formatCidr, isInternalCidr } from "../common/cidr";
import { Problem } from "../common/errors";
import { PolicyDocument, policyDocument } from "../common/iam";
import { iamRoleNamePrefix, physicalName } from "../common/naming";
import type { NetworkSettings } from "./schema";

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
export const NAT_STRATEGIES = { single: "Single", perAz: "OnePerAz" } as const;

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

/** A zone as the settings carry it. */
type ZoneSettings = { name: string; existingZoneId?: string };

export function planZones(monitoring: ZoneSettings, internal: ZoneSettings): ZonePlan[] {
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
export function planZoneAssociations(associations: NetworkSettings["zoneAssociations"] | undefined): AssociationPlan[] {
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

export function planResolver(resolver: Partial<NetworkSettings["resolver"]> | undefined): ResolverPlan {
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
    /** Physical names an operator recognizes in the console (Name tags, name prefixes). */
    names: NetworkNames;
}

/** The physical names of the network's resources: `<prefix>-<env>-<role>`. */
export interface NetworkNames {
    vpc: string;
    defaultSecurityGroup: string;
    endpointsSecurityGroup: string;
    endpoint: (role: string) => string;
    resolverInbound: string;
    resolverOutbound: string;
    forwardRule: (role: string) => string;
    transitGatewayAttachment: string;
    flowLog: string;
    /** Log group name prefix (AWS appends a unique suffix). */
    flowLogGroupPrefix: string;
    /** IAM role name prefix of the flow-log role. */
    flowLogRolePrefix: string;
}

export function networkNames(prefix: string, environment: string): NetworkNames {
    const n = (role: string) => physicalName(prefix, environment, role);
    return {
        vpc: n("vpc"),
        defaultSecurityGroup: n("default-deny"),
        endpointsSecurityGroup: n("vpc-endpoints"),
        endpoint: (role) => n(`vpce-${role}`),
        resolverInbound: n("resolver-inbound"),
        resolverOutbound: n("resolver-outbound"),
        forwardRule: (role) => n(`resolver-${role}`),
        transitGatewayAttachment: n("tgw"),
        flowLog: n("vpc-flow-logs"),
        flowLogGroupPrefix: `/aws/vpc-flow-logs/${n("vpc")}-`,
        flowLogRolePrefix: iamRoleNamePrefix(prefix, environment, "vpc-flow-logs"),
    };
}

/** Every decision, from the parsed settings (schema.ts). */
export function planNetwork(args: NetworkSettings): NetworkPlan {
    const vpc = cidrOf(args.vpcCidr)!;
    const azCount = args.availabilityZoneCount;
    const masks = defaultSubnetMasks(vpc.prefix);
    const privateSubnetMask = args.privateSubnetMask ?? masks.private;
    const publicSubnetMask = args.publicSubnetMask ?? masks.public;
    const tgw = args.transitGateway;
    return {
        vpcCidr: args.vpcCidr,
        azCount,
        azNames: args.availabilityZoneNames ?? [],
        natStrategy: NAT_STRATEGIES[args.natGateways],
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
        flowLogRetentionDays: args.flowLogRetentionDays,
        names: networkNames(args.prefix, args.environment),
    };
}

// ---------------------------------------------------------------------------------------------
// Helpers of the rules (schema.ts)
// ---------------------------------------------------------------------------------------------

/** Without the trailing dot. */
export function normalizeDnsName(text: string): string {
    return text.replace(/\.$/, "");
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
 * problem; entries that are not canonical private CIDR blocks are skipped (their format check
 * reports them).
 * `fieldOf(i)` names the entry.
 */
export function cidrOverlapProblems(vpcCidr: unknown, cidrs: unknown[], fieldOf: (i: number) => string): Problem[] {
    const problems: Problem[] = [];
    const vpc = cidrOf(vpcCidr);
    const seen: Array<{ text: string; cidr: Cidr }> = [];
    cidrs.forEach((text, i) => {
        const c = cidrOf(text);
        if (!c || !isInternalCidr(text)) return;
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
