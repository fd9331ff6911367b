// The `cloud-cnc:network` config section and its mapping to CommandControlNetwork's args.
import { z } from "zod";
import type { CommandControlNetworkArgs } from "../../components/network";
import {
    ACCOUNT_ID_RE,
    AZ_NAME_RE,
    DEFAULT_AZ_COUNT,
    DEFAULT_FLOW_LOG_RETENTION_DAYS,
    EXPECT,
    MAX_AZ_COUNT,
    MAX_PRIVATE_SUBNET_PREFIX,
    MAX_PUBLIC_SUBNET_PREFIX,
    MAX_TARGET_IPS,
    MAX_VPC_PREFIX,
    MIN_VPC_PREFIX,
    REGION_RE,
    TGW_ID_RE,
    VPC_ID_RE,
    ZONE_ID_RE,
    ZONE_KEYS,
    cidrOf,
    cidrOverlapProblems,
    cidrProblem,
    isDnsName,
    isIpv4,
    normalizeDnsName,
    subnetCapacityShortfall,
} from "../../components/network/plan";
import { isLogRetentionDays } from "../../components/common/formats";
import { CommonSettings } from "./common";

/** An IPv4 CIDR block (canonical: the address is the block's network address). */
const cidr = () =>
    z.string().superRefine((value, ctx) => {
        const p = cidrProblem("", value);
        if (p) ctx.addIssue({ code: "custom", message: p.expected });
    });

const dnsName = () => z.string().refine(isDnsName, EXPECT.dnsName);

const zoneSchema = (defaultName: string) =>
    z
        .object({
            /** DNS name of the private hosted zone. */
            name: dnsName().default(defaultName),
            /** Use this existing private hosted zone (Z...) instead of creating one. */
            existingZoneId: z.string().regex(ZONE_ID_RE, EXPECT.zoneId).optional(),
        })
        .strict()
        .prefault({});

const PRIVATE_MASK = `a prefix length from ${MIN_VPC_PREFIX + 1} to ${MAX_PRIVATE_SUBNET_PREFIX}`;
const PUBLIC_MASK = `a prefix length from ${MIN_VPC_PREFIX + 1} to ${MAX_PUBLIC_SUBNET_PREFIX} (load balancers need at least a /27)`;
const AZ_COUNT = `a whole number of availability zones from 1 to ${MAX_AZ_COUNT}`;

const flag = (on: boolean) => z.boolean().default(on);

export const networkConfigSchema = z
    .object({
        /** IPv4 CIDR block of the VPC, /16 to /24. Required: address plans are per environment. */
        cidr: cidr().refine((v) => {
            const c = cidrOf(v);
            return !c || (c.prefix >= MIN_VPC_PREFIX && c.prefix <= MAX_VPC_PREFIX);
        }, EXPECT.vpcPrefix),
        /** Number of availability zones (the region's first N). Default 3; dev uses 2. */
        availabilityZones: z.int(AZ_COUNT).min(1, AZ_COUNT).max(MAX_AZ_COUNT, AZ_COUNT).optional(),
        /** Explicit availability zone names instead of the first N. */
        availabilityZoneNames: z.array(z.string().regex(AZ_NAME_RE, EXPECT.azName)).min(1).max(MAX_AZ_COUNT).optional(),
        /** NAT gateways: one per AZ (prod) or a single one (dev). */
        natGateways: z.enum(["perAz", "single"]).default("perAz"),
        /** Prefix length of each private subnet; default VPC prefix + 3. */
        privateSubnetMask: z.int(PRIVATE_MASK).min(MIN_VPC_PREFIX + 1, PRIVATE_MASK).max(MAX_PRIVATE_SUBNET_PREFIX, PRIVATE_MASK).optional(),
        /** Prefix length of each public subnet; default VPC prefix + 8, at most 27. */
        publicSubnetMask: z.int(PUBLIC_MASK).min(MIN_VPC_PREFIX + 1, PUBLIC_MASK).max(MAX_PUBLIC_SUBNET_PREFIX, PUBLIC_MASK).optional(),
        /** Extra tags on the private subnets (e.g. karpenter.sh/discovery). */
        privateSubnetTags: z.record(z.string(), z.string()).default({}),
        /** VPC endpoints, each on by default. */
        endpoints: z
            .object({
                s3: flag(true),
                sts: flag(true),
                ecrApi: flag(true),
                ecrDkr: flag(true),
                logs: flag(true),
                ec2: flag(true),
                elasticLoadBalancing: flag(true),
            })
            .strict()
            .prefault({}),
        /** Retention of the VPC flow logs in days. */
        flowLogRetentionDays: z
            .number()
            .refine(isLogRetentionDays, EXPECT.retention)
            .default(DEFAULT_FLOW_LOG_RETENTION_DAYS),
        /** The monitoring zone where workload clusters register their Thanos/Prometheus records. */
        monitoringZone: zoneSchema("monitoring.cnc.internal"),
        /** The internal application zone. */
        internalZone: zoneSchema("apps.cnc.internal"),
        /** Other VPCs that resolve the zones. */
        zoneAssociations: z
            .array(
                z
                    .object({
                        vpcId: z.string().regex(VPC_ID_RE, EXPECT.vpcId),
                        vpcRegion: z.string().regex(REGION_RE, EXPECT.region).optional(),
                        accountId: z.string().regex(ACCOUNT_ID_RE, EXPECT.accountId).optional(),
                        zones: z
                            .array(z.enum(ZONE_KEYS))
                            .min(1)
                            .refine((zs) => new Set(zs).size === zs.length, EXPECT.zoneKeys)
                            .optional(),
                    })
                    .strict(),
            )
            .default([]),
        /** Route 53 Resolver endpoints and forwarding rules. */
        resolver: z
            .object({
                inbound: flag(false),
                outbound: flag(false),
                allowedCidrs: z.array(cidr()).default([]),
                forwardRules: z
                    .array(
                        z
                            .object({
                                domain: dnsName(),
                                targetIps: z.array(z.string().refine(isIpv4, EXPECT.ipv4)).min(1).max(MAX_TARGET_IPS),
                            })
                            .strict(),
                    )
                    .default([]),
            })
            .strict()
            .prefault({}),
        /** Transit Gateway attachment with routes to the workload CIDRs. */
        transitGateway: z
            .object({
                enabled: flag(false),
                id: z.string().regex(TGW_ID_RE, EXPECT.tgwId).optional(),
                routeCidrs: z.array(cidr()).default([]),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .superRefine((cfg, ctx) => {
        const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
        const vpc = cidrOf(cfg.cidr);
        const vpcOk = vpc !== undefined && vpc.prefix >= MIN_VPC_PREFIX && vpc.prefix <= MAX_VPC_PREFIX;
        const azCount = cfg.availabilityZoneNames?.length ?? cfg.availabilityZones ?? DEFAULT_AZ_COUNT;

        if (cfg.availabilityZoneNames && cfg.availabilityZones !== undefined && cfg.availabilityZones !== cfg.availabilityZoneNames.length) {
            issue(["availabilityZones"], `the number of availabilityZoneNames (${cfg.availabilityZoneNames.length}) or nothing`);
        }

        // Subnet masks against the VPC, then the AZ count against the VPC's capacity.
        let masksOk = true;
        for (const key of ["privateSubnetMask", "publicSubnetMask"] as const) {
            const mask = cfg[key];
            // Out-of-range values are already reported by the field's own schema.
            if (vpcOk && mask !== undefined && mask > MIN_VPC_PREFIX && mask <= vpc.prefix) {
                issue([key], `a prefix length greater than the VPC's /${vpc.prefix}`);
                masksOk = false;
            }
        }
        if (vpcOk && masksOk) {
            const short = subnetCapacityShortfall(cfg.cidr, azCount, cfg.privateSubnetMask, cfg.publicSubnetMask);
            if (short) issue(["cidr"], short);
        }

        // Zones.
        const monitoring = isDnsName(cfg.monitoringZone.name) ? normalizeDnsName(cfg.monitoringZone.name) : undefined;
        const internal = isDnsName(cfg.internalZone.name) ? normalizeDnsName(cfg.internalZone.name) : undefined;
        if (monitoring && monitoring === internal) issue(["internalZone", "name"], `a name different from monitoringZone.name (${monitoring})`);
        const pairs = new Set<string>();
        cfg.zoneAssociations.forEach((a, i) => {
            for (const z of a.zones ?? ZONE_KEYS) {
                if (pairs.has(`${z}/${a.vpcId}`)) issue(["zoneAssociations", i, "vpcId"], `a VPC not already associated with the ${z} zone by an earlier entry`);
                pairs.add(`${z}/${a.vpcId}`);
            }
        });

        // Resolver.
        const r = cfg.resolver;
        if (azCount < 2) {
            for (const key of ["inbound", "outbound"] as const) {
                if (r[key]) issue(["resolver", key], `false with fewer than 2 availability zones (Resolver endpoints need IP addresses in two subnets)`);
            }
        }
        if (r.inbound && r.allowedCidrs.length === 0) issue(["resolver", "allowedCidrs"], "at least one source CIDR when resolver.inbound is true");
        if (r.forwardRules.length > 0 && !r.outbound) issue(["resolver", "outbound"], "true when resolver.forwardRules are listed (rules forward through the outbound endpoint)");
        const domains = new Set<string>();
        r.forwardRules.forEach((rule, i) => {
            if (!isDnsName(rule.domain)) return;
            const d = normalizeDnsName(rule.domain);
            if (d === monitoring || d === internal) issue(["resolver", "forwardRules", i, "domain"], "a domain other than this network's own private zones");
            else if (domains.has(d)) issue(["resolver", "forwardRules", i, "domain"], "a domain not forwarded by an earlier rule");
            domains.add(d);
        });

        // Transit Gateway: an ID when enabled; workload CIDRs apart from the VPC and each other.
        const t = cfg.transitGateway;
        if (t.enabled && t.id === undefined) issue(["transitGateway", "id"], `${EXPECT.tgwId} (required when transitGateway.enabled is true)`);
        for (const p of cidrOverlapProblems(vpcOk ? cfg.cidr : undefined, t.routeCidrs, (i) => String(i))) {
            issue(["transitGateway", "routeCidrs", Number(p.field)], p.expected);
        }
    });

export type NetworkConfig = z.infer<typeof networkConfigSchema>;

/** CommandControlNetwork's args from the parsed `network` section and the common settings. */
export function networkArgs(cfg: NetworkConfig, common: CommonSettings): CommandControlNetworkArgs {
    const zone = (z: NetworkConfig["monitoringZone"]) => ({ name: z.name, ...(z.existingZoneId ? { existingZoneId: z.existingZoneId } : {}) });
    return {
        vpcCidr: cfg.cidr,
        ...(cfg.availabilityZoneNames
            ? { availabilityZoneNames: cfg.availabilityZoneNames }
            : { availabilityZoneCount: cfg.availabilityZones ?? DEFAULT_AZ_COUNT }),
        natGateways: cfg.natGateways,
        ...(cfg.privateSubnetMask !== undefined ? { privateSubnetMask: cfg.privateSubnetMask } : {}),
        ...(cfg.publicSubnetMask !== undefined ? { publicSubnetMask: cfg.publicSubnetMask } : {}),
        ...(Object.keys(cfg.privateSubnetTags).length > 0 ? { privateSubnetTags: cfg.privateSubnetTags } : {}),
        endpoints: { ...cfg.endpoints },
        flowLogRetentionDays: cfg.flowLogRetentionDays,
        monitoringZone: zone(cfg.monitoringZone),
        internalZone: zone(cfg.internalZone),
        zoneAssociations: cfg.zoneAssociations.map((a) => ({
            vpcId: a.vpcId,
            ...(a.vpcRegion ? { vpcRegion: a.vpcRegion } : {}),
            ...(a.accountId ? { accountId: a.accountId } : {}),
            ...(a.zones ? { zones: [...a.zones] } : {}),
        })),
        ...(cfg.resolver.inbound || cfg.resolver.outbound
            ? {
                  resolver: {
                      inbound: cfg.resolver.inbound,
                      outbound: cfg.resolver.outbound,
                      allowedCidrs: cfg.resolver.allowedCidrs,
                      forwardRules: cfg.resolver.forwardRules.map((r) => ({ domain: r.domain, targetIps: r.targetIps })),
                  },
              }
            : {}),
        ...(cfg.transitGateway.enabled ? { transitGateway: { transitGatewayId: cfg.transitGateway.id!, routeCidrs: cfg.transitGateway.routeCidrs } } : {}),
        deletionProtection: common.deletionProtection,
    };
}
