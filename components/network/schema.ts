// CommandControlNetwork's rule book: the one definition of its plain-data args (rules, messages,
// defaults, profile-dependent defaults). The component parses its args with it; the stack's
// `cloud-cnc:network` config section is this schema without the keys the composition supplies.
import { z } from "zod";
import { cidrOf, isIpv4 } from "../common/cidr";
import {
    EXPECTED,
    accountId,
    availabilityZone,
    awsRegion,
    dnsName,
    environmentName,
    hostedZoneId,
    intIn,
    internalCidr,
    isDnsName,
    logRetentionDays,
    namePrefix,
    transitGatewayId,
    vpcId,
} from "../common/formats";
import { ProfileDefaults, addIssue, allRules, profileSchema, withDefaults } from "../common/schema";
import {
    DEFAULT_AZ_COUNT,
    MAX_AZ_COUNT,
    MAX_PRIVATE_SUBNET_PREFIX,
    MAX_PUBLIC_SUBNET_PREFIX,
    MAX_VPC_PREFIX,
    MIN_VPC_PREFIX,
    NAT_STRATEGIES,
    PRIVATE_SUBNET_TAGS,
    ZONE_KEYS,
    cidrOverlapProblems,
    normalizeDnsName,
    subnetCapacityShortfall,
} from "./plan";

/** AWS accepts up to 6 target IPs per forwarding rule. */
export const MAX_TARGET_IPS = 6;

export const NETWORK_EXPECTED = {
    vpcPrefix: `a CIDR block from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}`,
    azCount: `a whole number of availability zones from 1 to ${MAX_AZ_COUNT}`,
    azNames: `a list of 1 to ${MAX_AZ_COUNT} availability zone names`,
    natGateways: `one of ${Object.keys(NAT_STRATEGIES).map((s) => JSON.stringify(s)).join(", ")}`,
    zoneKeys: `a list of zone keys from ${ZONE_KEYS.map((s) => JSON.stringify(s)).join(", ")}, each at most once`,
    targetIps: `a list of 1 to ${MAX_TARGET_IPS} IPv4 addresses`,
    subnetMask: (field: "privateSubnetMask" | "publicSubnetMask", vpcPrefix?: number) => {
        const max = field === "publicSubnetMask" ? MAX_PUBLIC_SUBNET_PREFIX : MAX_PRIVATE_SUBNET_PREFIX;
        const min = vpcPrefix !== undefined ? vpcPrefix + 1 : MIN_VPC_PREFIX + 1;
        const why = field === "publicSubnetMask" ? "; load balancers need at least a /27" : "";
        return `a prefix length from ${min} to ${max}${vpcPrefix !== undefined ? ` (smaller than the VPC /${vpcPrefix})` : ""}${why}`;
    },
} as const;

// ---------------------------------------------------------------------------------------------
// The args

const zoneSchema = (defaultName: string) =>
    z
        .object({
            name: dnsName().default(defaultName),
            existingZoneId: hostedZoneId().optional(),
        })
        .strict()
        .prefault({});

const flag = (on: boolean) => z.boolean().default(on);

/** Every arg of CommandControlNetwork: field rules, messages and plain defaults. */
export const networkArgsSchema = z
    .object({
        environment: environmentName(),
        prefix: namePrefix(),
        profile: profileSchema,
        vpcCidr: internalCidr().refine((v) => {
            const c = cidrOf(v);
            return c === undefined || (c.prefix >= MIN_VPC_PREFIX && c.prefix <= MAX_VPC_PREFIX);
        }, NETWORK_EXPECTED.vpcPrefix),
        availabilityZoneCount: intIn(1, MAX_AZ_COUNT, NETWORK_EXPECTED.azCount).optional(),
        availabilityZoneNames: z
            .array(availabilityZone(), NETWORK_EXPECTED.azNames)
            .min(1, NETWORK_EXPECTED.azNames)
            .max(MAX_AZ_COUNT, NETWORK_EXPECTED.azNames)
            .superRefine((names, ctx) => {
                names.forEach((n, i) => {
                    if (names.indexOf(n) !== i) addIssue(ctx, [i], "an availability zone not listed before", n);
                });
            })
            .optional(),
        natGateways: z.enum(Object.keys(NAT_STRATEGIES) as ["single", "perAz"], { message: NETWORK_EXPECTED.natGateways }).optional(),
        // The range of a mask depends on the VPC's prefix: checked by the rules below.
        privateSubnetMask: z.int(NETWORK_EXPECTED.subnetMask("privateSubnetMask")).optional(),
        publicSubnetMask: z.int(NETWORK_EXPECTED.subnetMask("publicSubnetMask")).optional(),
        privateSubnetTags: z
            .record(z.string(), z.string("a string tag value"))
            .superRefine((tags, ctx) => {
                for (const [k, v] of Object.entries(tags)) {
                    if (k in PRIVATE_SUBNET_TAGS) addIssue(ctx, [k], "no value here: the component sets this load-balancer discovery tag itself", v);
                }
            })
            .default({}),
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
        flowLogRetentionDays: logRetentionDays().optional(),
        monitoringZone: zoneSchema("monitoring.cnc.internal"),
        internalZone: zoneSchema("apps.cnc.internal"),
        zoneAssociations: z
            .array(
                z
                    .object({
                        vpcId: vpcId(),
                        vpcRegion: awsRegion().optional(),
                        accountId: accountId().optional(),
                        zones: z
                            .array(z.string(NETWORK_EXPECTED.zoneKeys), NETWORK_EXPECTED.zoneKeys)
                            .refine((zs) => zs.length > 0 && new Set(zs).size === zs.length && zs.every((k) => (ZONE_KEYS as readonly string[]).includes(k)), NETWORK_EXPECTED.zoneKeys)
                            .optional(),
                    })
                    .strict(),
            )
            .default([]),
        resolver: z
            .object({
                inbound: flag(false),
                allowedCidrs: z.array(internalCidr()).default([]),
                outbound: flag(false),
                forwardRules: z
                    .array(
                        z
                            .object({
                                domain: dnsName(),
                                targetIps: z
                                    .array(z.string().refine(isIpv4, EXPECTED.ipv4), NETWORK_EXPECTED.targetIps)
                                    .min(1, NETWORK_EXPECTED.targetIps)
                                    .max(MAX_TARGET_IPS, NETWORK_EXPECTED.targetIps),
                            })
                            .strict(),
                    )
                    .default([]),
            })
            .strict()
            .prefault({}),
        transitGateway: z
            .object({
                transitGatewayId: transitGatewayId(),
                routeCidrs: z.array(internalCidr(), "a list of workload CIDR blocks").default([]),
            })
            .strict()
            .optional(),
        deletionProtection: z.boolean().optional(),
    })
    .strict();

export type NetworkArgsInput = z.input<typeof networkArgsSchema>;

/** The number of AZs the args ask for. */
export function azCountOf(a: { availabilityZoneCount?: unknown; availabilityZoneNames?: unknown }): number {
    if (Array.isArray(a.availabilityZoneNames)) return a.availabilityZoneNames.length;
    return typeof a.availabilityZoneCount === "number" ? a.availabilityZoneCount : DEFAULT_AZ_COUNT;
}

/**
 * Rules across fields (run by the component and, on the keys it has, by the config section).
 * Written for raw, possibly invalid input: a field of the wrong type is reported by its own rule.
 */
export function networkRules(a: Partial<z.output<typeof networkArgsSchema>>, ctx: z.RefinementCtx): void {
    const vpc = cidrOf(a.vpcCidr);
    const vpcOk = vpc !== undefined && vpc.prefix >= MIN_VPC_PREFIX && vpc.prefix <= MAX_VPC_PREFIX;
    const names = Array.isArray(a.availabilityZoneNames) ? a.availabilityZoneNames : undefined;
    const countOk = a.availabilityZoneCount === undefined || (Number.isInteger(a.availabilityZoneCount) && a.availabilityZoneCount >= 1 && a.availabilityZoneCount <= MAX_AZ_COUNT);
    const namesOk = names === undefined || (names.length >= 1 && names.length <= MAX_AZ_COUNT);
    if (names && namesOk && countOk && a.availabilityZoneCount !== undefined && a.availabilityZoneCount !== names.length) {
        addIssue(ctx, ["availabilityZoneCount"], `the number of availabilityZoneNames (${names.length}) or nothing`, a.availabilityZoneCount);
    }
    const azCount = azCountOf(a);

    // Subnet masks against the VPC, then the AZ count against the VPC's capacity.
    let masksOk = true;
    for (const key of ["privateSubnetMask", "publicSubnetMask"] as const) {
        const mask = a[key];
        if (mask === undefined) continue;
        if (!Number.isInteger(mask)) {
            masksOk = false; // the field's own rule reports it
            continue;
        }
        const max = key === "publicSubnetMask" ? MAX_PUBLIC_SUBNET_PREFIX : MAX_PRIVATE_SUBNET_PREFIX;
        const min = vpcOk ? vpc.prefix + 1 : MIN_VPC_PREFIX + 1;
        if (mask < min || mask > max) {
            addIssue(ctx, [key], NETWORK_EXPECTED.subnetMask(key, vpcOk ? vpc.prefix : undefined), mask);
            masksOk = false;
        }
    }
    if (vpcOk && masksOk && countOk && namesOk) {
        const short = subnetCapacityShortfall(a.vpcCidr!, azCount, a.privateSubnetMask, a.publicSubnetMask);
        if (short) addIssue(ctx, ["vpcCidr"], short, a.vpcCidr);
    }

    // Zones.
    const zoneName = (zone: unknown) => {
        const n = (zone as { name?: unknown } | undefined)?.name ?? undefined;
        return isDnsName(n) ? normalizeDnsName(n as string) : undefined;
    };
    const monitoring = zoneName(a.monitoringZone);
    const internal = zoneName(a.internalZone);
    if (monitoring && monitoring === internal) addIssue(ctx, ["internalZone", "name"], `a name different from monitoringZone.name (${monitoring})`, a.internalZone?.name);
    const existing = (zone: unknown) => (zone as { existingZoneId?: unknown } | undefined)?.existingZoneId;
    if (typeof existing(a.monitoringZone) === "string" && existing(a.monitoringZone) === existing(a.internalZone)) {
        addIssue(ctx, ["internalZone", "existingZoneId"], "a hosted zone other than monitoringZone.existingZoneId (the two zones hold different records)", existing(a.internalZone));
    }
    const pairs = new Set<string>();
    (Array.isArray(a.zoneAssociations) ? a.zoneAssociations : []).forEach((assoc, i) => {
        const zones = Array.isArray(assoc?.zones) ? assoc.zones : ZONE_KEYS;
        for (const zone of zones) {
            const key = `${zone}/${assoc?.vpcId}`;
            if (pairs.has(key)) addIssue(ctx, ["zoneAssociations", i, "vpcId"], `a VPC not already associated with the ${zone} zone by an earlier entry`, assoc?.vpcId);
            pairs.add(key);
        }
    });

    // Resolver.
    const r = a.resolver;
    if (r && typeof r === "object") {
        if ((r.inbound || r.outbound) && countOk && namesOk && azCount < 2) {
            addIssue(ctx, ["resolver"], "at least 2 availability zones for Resolver endpoints (AWS needs two IP addresses in different subnets)", {
                inbound: r.inbound ?? false,
                outbound: r.outbound ?? false,
                availabilityZones: azCount,
            });
        }
        if (r.inbound && Array.isArray(r.allowedCidrs) && r.allowedCidrs.length === 0) addIssue(ctx, ["resolver", "allowedCidrs"], "at least one source CIDR when resolver.inbound is on", r.allowedCidrs);
        const rules = Array.isArray(r.forwardRules) ? r.forwardRules : [];
        if (rules.length > 0 && !r.outbound) addIssue(ctx, ["resolver", "outbound"], "true when resolver.forwardRules are listed (rules forward through the outbound endpoint)", r.outbound);
        const domains = new Set<string>();
        rules.forEach((rule, i) => {
            if (!isDnsName(rule?.domain)) return;
            const d = normalizeDnsName(rule.domain);
            if (d === monitoring || d === internal) addIssue(ctx, ["resolver", "forwardRules", i, "domain"], "a domain other than this network's own private zones", rule.domain);
            else if (domains.has(d)) addIssue(ctx, ["resolver", "forwardRules", i, "domain"], "a domain not forwarded by an earlier rule", rule.domain);
            domains.add(d);
        });
    }

    // Transit Gateway: workload CIDRs apart from the VPC and from each other.
    const t = a.transitGateway;
    if (t && Array.isArray(t.routeCidrs)) {
        for (const p of cidrOverlapProblems(vpcOk ? a.vpcCidr : undefined, t.routeCidrs, String)) addIssue(ctx, ["transitGateway", "routeCidrs", Number(p.field)], p.expected, p.found);
    }
}

/** Defaults that depend on the sizing profile: a NAT gateway per AZ, a year of flow logs and protected zones in production. */
export const NETWORK_PROFILE_DEFAULTS = {
    production: { natGateways: "perAz", flowLogRetentionDays: 365, deletionProtection: true },
    development: { natGateways: "single", flowLogRetentionDays: 14, deletionProtection: false },
} satisfies ProfileDefaults<z.output<typeof networkArgsSchema>>;

/** The args parsed into settings: every default applied (plain, then the profile's). */
export const networkSchema = networkArgsSchema.superRefine(...allRules(networkRules)).transform((a) => {
    const s = withDefaults(a, NETWORK_PROFILE_DEFAULTS[a.profile]) as typeof a & { natGateways: keyof typeof NAT_STRATEGIES; flowLogRetentionDays: number; deletionProtection: boolean };
    return { ...s, availabilityZoneCount: azCountOf(s) };
});

/** CommandControlNetwork's settings: the args after every default. */
export type NetworkSettings = z.output<typeof networkSchema>;
