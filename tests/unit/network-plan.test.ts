// Pure decisions of CommandControlNetwork: CIDR maths, subnet layout, endpoints, zones,
// associations, Resolver, Transit Gateway routes, flow-log policies and args validation.
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { blockSize, cidrOf, cidrRange, cidrsOverlap, formatCidr, formatIpv4, parseCidr, parseIpv4 } from "../../components/common/cidr";
import { renderProblem } from "../../components/common/errors";
import { isDnsName } from "../../components/common/formats";
import { argsProblems } from "../../components/common/schema";
import type { CommandControlNetworkArgs } from "../../components/network";
import {
    cidrOverlapProblems,
    defaultSubnetMasks,
    endpointServiceName,
    flowLogTrustPolicy,
    flowLogWritePolicy,
    networkNames,
    planEndpoints,
    planNetwork,
    planResolver,
    planSubnets,
    planTransitGatewayRoutes,
    planZoneAssociations,
    planZones,
} from "../../components/network/plan";
import { networkSchema } from "../../components/network/schema";

const base = (profile: "production" | "development" = "production"): CommandControlNetworkArgs => ({
    environment: "prod",
    prefix: "cloud",
    profile,
    vpcCidr: "10.80.0.0/16",
    monitoringZone: { name: "monitoring.cnc.internal" },
    internalZone: { name: "apps.cnc.internal" },
});

/** The component's problems for these args (its own rule book), one rendered line each, in a stable order. */
const messages = (args: CommandControlNetworkArgs) => argsProblems(networkSchema, args).map(renderProblem).sort();

describe("network plan: IPv4 and CIDR maths", () => {
    it("parses and formats dotted quads, rejecting out-of-range octets, leading zeros and short forms", () => {
        assert.equal(parseIpv4("0.0.0.0"), 0);
        assert.equal(parseIpv4("255.255.255.255"), 2 ** 32 - 1);
        assert.equal(parseIpv4("10.1.2.3"), 10 * 2 ** 24 + 1 * 2 ** 16 + 2 * 256 + 3);
        for (const bad of ["256.0.0.1", "10.0.0", "10.0.0.01", "1.2.3.4.5", " 10.0.0.1", "a.b.c.d", ""]) assert.equal(parseIpv4(bad), undefined, bad);
        assert.equal(formatIpv4(parseIpv4("172.31.255.1")!), "172.31.255.1");
    });

    it("parses canonical CIDR blocks, reports host bits with the network address, rejects malformed ones", () => {
        assert.deepEqual(parseCidr("10.0.0.0/16"), { cidr: { base: parseIpv4("10.0.0.0"), prefix: 16 } });
        assert.deepEqual(parseCidr("0.0.0.0/0"), { cidr: { base: 0, prefix: 0 } });
        assert.deepEqual(parseCidr("10.0.0.1/32"), { cidr: { base: parseIpv4("10.0.0.1"), prefix: 32 } });
        assert.deepEqual(parseCidr("10.0.0.1/16"), { hostBitsSet: "10.0.0.0/16" });
        assert.deepEqual(parseCidr("10.0.130.0/17"), { hostBitsSet: "10.0.128.0/17" });
        for (const bad of ["10.0.0.0/33", "10.0.0.0", "10.0.0.0/", "10.0.0.0/016x", "10.0.0.0/-1", 42, undefined]) assert.equal(parseCidr(bad), undefined, String(bad));
    });

    it("computes ranges and overlaps at block edges", () => {
        const a = cidrOf("10.0.0.0/24")!;
        assert.deepEqual(cidrRange(a).map(formatIpv4), ["10.0.0.0", "10.0.0.255"]);
        assert.equal(cidrsOverlap(a, cidrOf("10.0.1.0/24")!), false, "adjacent blocks do not overlap");
        assert.equal(cidrsOverlap(a, cidrOf("10.0.0.255/32")!), true, "last address overlaps");
        assert.equal(cidrsOverlap(cidrOf("10.0.0.0/8")!, cidrOf("10.200.0.0/16")!), true, "containment overlaps");
        assert.equal(cidrsOverlap(cidrOf("0.0.0.0/0")!, a), true);
        assert.equal(blockSize(16), 65536);
        assert.equal(formatCidr(cidrOf("192.168.0.0/16")!), "192.168.0.0/16");
    });

    it("property: parse(format(x)) round-trips every aligned block", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (addr, prefix) => {
                const base = Math.floor(addr / blockSize(prefix)) * blockSize(prefix);
                const text = formatCidr({ base, prefix });
                assert.deepEqual(cidrOf(text), { base, prefix });
            }),
        );
    });
});

describe("network plan: subnet layout", () => {
    it("a /16 with 3 AZs: private /19s first, then public /24s, the rest unallocated", () => {
        const layout = planSubnets("10.80.0.0/16", 3, 19, 24);
        assert.deepEqual(layout.private, ["10.80.0.0/19", "10.80.32.0/19", "10.80.64.0/19"]);
        assert.deepEqual(layout.public, ["10.80.96.0/24", "10.80.97.0/24", "10.80.98.0/24"]);
        assert.equal(layout.requiredAddresses, 3 * 8192 + 3 * 256);
        assert.equal(layout.fits, true);
    });

    it("default masks follow the VPC size, public never smaller than /27", () => {
        assert.deepEqual(defaultSubnetMasks(16), { private: 19, public: 24 });
        assert.deepEqual(defaultSubnetMasks(20), { private: 23, public: 27 });
        assert.deepEqual(defaultSubnetMasks(24), { private: 27, public: 27 });
    });

    it("edge: an exactly full /24 (4 AZs of /27 + /27) fits; one more AZ does not", () => {
        const full = planSubnets("10.0.0.0/24", 4, 27, 27);
        assert.equal(full.fits, true);
        assert.deepEqual(full.private, ["10.0.0.0/27", "10.0.0.32/27", "10.0.0.64/27", "10.0.0.96/27"]);
        assert.deepEqual(full.public, ["10.0.0.128/27", "10.0.0.160/27", "10.0.0.192/27", "10.0.0.224/27"]);
        const over = planSubnets("10.0.0.0/24", 5, 27, 27);
        assert.deepEqual([over.fits, over.private, over.requiredAddresses, over.vpcAddresses], [false, [], 320, 256]);
    });

    it("edge: public larger than private is allocated first so blocks stay aligned", () => {
        const layout = planSubnets("10.0.0.0/20", 2, 26, 24);
        assert.deepEqual(layout.public, ["10.0.0.0/24", "10.0.1.0/24"]);
        assert.deepEqual(layout.private, ["10.0.2.0/26", "10.0.2.64/26"]);
    });

    it("edge: 6 AZs in a /16 and a single AZ", () => {
        assert.deepEqual(planSubnets("10.0.0.0/16", 6, 19, 24).public, ["10.0.192.0/24", "10.0.193.0/24", "10.0.194.0/24", "10.0.195.0/24", "10.0.196.0/24", "10.0.197.0/24"]);
        assert.deepEqual(planSubnets("172.16.0.0/20", 1, 23, 27), { private: ["172.16.0.0/23"], public: ["172.16.2.0/27"], requiredAddresses: 544, vpcAddresses: 4096, fits: true });
    });

    it("property: whenever the sizes add up, subnets are aligned, inside the VPC and pairwise disjoint", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 16, max: 24 }),
                fc.integer({ min: 1, max: 6 }),
                fc.integer({ min: 17, max: 28 }),
                fc.integer({ min: 17, max: 27 }),
                fc.integer({ min: 0, max: 255 }),
                (vpcPrefix, azs, privateMask, publicMask, octet) => {
                    const vpc = formatCidr({ base: Math.floor((octet * 2 ** 24 + 0x00a00000) / blockSize(vpcPrefix)) * blockSize(vpcPrefix), prefix: vpcPrefix });
                    const layout = planSubnets(vpc, azs, privateMask, publicMask);
                    const shouldFit = privateMask >= vpcPrefix && publicMask >= vpcPrefix && azs * (blockSize(privateMask) + blockSize(publicMask)) <= blockSize(vpcPrefix);
                    assert.equal(layout.fits, shouldFit);
                    if (!shouldFit) return;
                    const all = [...layout.private, ...layout.public].map((c) => cidrOf(c));
                    assert.equal(all.length, 2 * azs);
                    assert.ok(all.every((c) => c !== undefined), "every block is canonical (aligned)");
                    const v = cidrOf(vpc)!;
                    for (const c of all) {
                        const [s, e] = cidrRange(c!);
                        const [vs, ve] = cidrRange(v);
                        assert.ok(s >= vs && e <= ve, `${formatCidr(c!)} outside ${vpc}`);
                    }
                    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) assert.equal(cidrsOverlap(all[i]!, all[j]!), false);
                    assert.ok(layout.private.every((c) => cidrOf(c)!.prefix === privateMask));
                },
            ),
            { numRuns: 300 },
        );
    });
});

describe("network plan: endpoints, zones, associations, resolver, TGW", () => {
    it("endpoints default on; switches remove exactly their endpoint", () => {
        assert.deepEqual(
            planEndpoints(undefined).map((e) => [e.key, e.service, e.type]),
            [
                ["s3", "s3", "Gateway"],
                ["sts", "sts", "Interface"],
                ["ecrApi", "ecr.api", "Interface"],
                ["ecrDkr", "ecr.dkr", "Interface"],
                ["logs", "logs", "Interface"],
                ["ec2", "ec2", "Interface"],
                ["elasticLoadBalancing", "elasticloadbalancing", "Interface"],
            ],
        );
        assert.deepEqual(planEndpoints({ s3: false, ecrDkr: false, elasticLoadBalancing: true }).map((e) => e.key), ["sts", "ecrApi", "logs", "ec2", "elasticLoadBalancing"]);
        assert.equal(endpointServiceName("us-gov-west-1", "ecr.dkr"), "com.amazonaws.us-gov-west-1.ecr.dkr");
    });

    it("zones: created unless an existing ID is given; trailing dots dropped", () => {
        assert.deepEqual(planZones({ name: "monitoring.cnc.internal." }, { name: "apps.cnc.internal", existingZoneId: "Z0ABC123" }), [
            { key: "monitoring", name: "monitoring.cnc.internal", create: true, existingZoneId: "", role: "monitoring-zone" },
            { key: "internal", name: "apps.cnc.internal", create: false, existingZoneId: "Z0ABC123", role: "internal-zone" },
        ]);
    });

    it("associations: one per VPC and zone; an account ID turns it into an authorization", () => {
        assert.deepEqual(planZoneAssociations([{ vpcId: "vpc-0aaaaaaaaaaaaaaaa" }, { vpcId: "vpc-11111111", accountId: "210987654321", vpcRegion: "us-east-1", zones: ["internal"] }]), [
            { zoneKey: "monitoring", vpcId: "vpc-0aaaaaaaaaaaaaaaa", kind: "association", role: "monitoring-zone-assoc-vpc-0aaaaaaaaaaaaaaaa" },
            { zoneKey: "internal", vpcId: "vpc-0aaaaaaaaaaaaaaaa", kind: "association", role: "internal-zone-assoc-vpc-0aaaaaaaaaaaaaaaa" },
            { zoneKey: "internal", vpcId: "vpc-11111111", vpcRegion: "us-east-1", kind: "authorization", accountId: "210987654321", role: "internal-zone-auth-vpc-11111111" },
        ]);
        assert.deepEqual(planZoneAssociations(undefined), []);
    });

    it("resolver: DNS-only rules; outbound egress to deduplicated targets; no rules without outbound", () => {
        const plan = planResolver({
            inbound: true,
            allowedCidrs: ["10.100.0.0/16"],
            outbound: true,
            forwardRules: [
                { domain: "a.example.", targetIps: ["10.9.0.2", "10.9.0.3"] },
                { domain: "b.example", targetIps: ["10.9.0.2"] },
            ],
        });
        assert.deepEqual(plan.inboundIngress.map((r) => [r.protocol, r.fromPort, r.toPort, r.cidrBlocks]), [
            ["udp", 53, 53, ["10.100.0.0/16"]],
            ["tcp", 53, 53, ["10.100.0.0/16"]],
        ]);
        assert.deepEqual(plan.outboundEgress.map((r) => r.cidrBlocks), [["10.9.0.2/32", "10.9.0.3/32"], ["10.9.0.2/32", "10.9.0.3/32"]]);
        assert.deepEqual(plan.rules.map((r) => [r.domain, r.role, r.targetIps]), [
            ["a.example", "fwd-a-example", [{ ip: "10.9.0.2", port: 53 }, { ip: "10.9.0.3", port: 53 }]],
            ["b.example", "fwd-b-example", [{ ip: "10.9.0.2", port: 53 }]],
        ]);
        assert.deepEqual(planResolver(undefined), { inbound: false, outbound: false, inboundIngress: [], outboundEgress: [], rules: [] });
        assert.deepEqual(planResolver({ outbound: false, forwardRules: [{ domain: "a.example", targetIps: ["10.9.0.2"] }] }).rules, []);
    });

    it("TGW routes: one per AZ and CIDR, named by AZ and CIDR", () => {
        assert.deepEqual(planTransitGatewayRoutes(2, ["10.100.0.0/16", "172.16.0.0/12"]), [
            { azIndex: 0, destinationCidr: "10.100.0.0/16", role: "tgw-az1-10-100-0-0-16" },
            { azIndex: 0, destinationCidr: "172.16.0.0/12", role: "tgw-az1-172-16-0-0-12" },
            { azIndex: 1, destinationCidr: "10.100.0.0/16", role: "tgw-az2-10-100-0-0-16" },
            { azIndex: 1, destinationCidr: "172.16.0.0/12", role: "tgw-az2-172-16-0-0-12" },
        ]);
        assert.deepEqual(planTransitGatewayRoutes(3, []), []);
    });

    it("flow-log policies: trust limited to this account's flow logs; write limited to one group", () => {
        assert.deepEqual(flowLogTrustPolicy("111122223333", "aws-us-gov", "us-gov-west-1").Statement[0].Condition, {
            StringEquals: { "aws:SourceAccount": "111122223333" },
            ArnLike: { "aws:SourceArn": "arn:aws-us-gov:ec2:us-gov-west-1:111122223333:vpc-flow-log/*" },
        });
        const write = flowLogWritePolicy("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/vpc-flow-logs/net-1:*");
        assert.deepEqual(write.Statement, [
            {
                Sid: "WriteFlowLogsToOwnGroup",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                Resource: ["arn:aws:logs:eu-west-1:111122223333:log-group:/aws/vpc-flow-logs/net-1", "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/vpc-flow-logs/net-1:log-stream:*"],
            },
        ]);
        assert.ok(!JSON.stringify(write).includes('"*"'), "no wildcard resource");
    });

    it("planNetwork: production defaults (3 AZs, NAT per AZ, every endpoint, 365-day retention, no resolver/TGW); development: one NAT, 14 days", () => {
        const plan = planNetwork(networkSchema.parse(base()));
        assert.equal(plan.azCount, 3);
        assert.equal(plan.natStrategy, "OnePerAz");
        assert.equal(plan.endpoints.length, 7);
        assert.equal(plan.flowLogRetentionDays, 365);
        assert.deepEqual([plan.privateSubnetMask, plan.publicSubnetMask], [19, 24]);
        assert.deepEqual(plan.transitGateway, { enabled: false, transitGatewayId: "", routes: [] });
        assert.deepEqual([plan.resolver.inbound, plan.resolver.outbound], [false, false]);
        assert.equal(planNetwork(networkSchema.parse({ ...base(), natGateways: "single" })).natStrategy, "Single");
        const dev = planNetwork(networkSchema.parse(base("development")));
        assert.deepEqual([dev.natStrategy, dev.flowLogRetentionDays], ["Single", 14]);
        assert.equal(planNetwork(networkSchema.parse({ ...base("development"), natGateways: "perAz", flowLogRetentionDays: 30 })).natStrategy, "OnePerAz", "an explicit value wins over the profile");
    });

    it("physical names: <prefix>-<env>-<role>, recognizable in the console", () => {
        const names = networkNames("cloud", "prod");
        assert.equal(names.vpc, "cloud-prod-vpc");
        assert.equal(names.endpoint("sts"), "cloud-prod-vpce-sts");
        assert.equal(names.resolverInbound, "cloud-prod-resolver-inbound");
        assert.equal(names.flowLogGroupPrefix, "/aws/vpc-flow-logs/cloud-prod-vpc-");
        assert.equal(names.flowLogRolePrefix, "cloud-prod-vpc-flow-logs-");
        assert.ok(networkNames("platform-team-eu", "staging-eu-west").flowLogRolePrefix.length <= 38, "IAM namePrefix limit");
    });

    it("DNS names: lowercase labels, at least two, optional trailing dot", () => {
        for (const ok of ["cnc.internal", "monitoring.cnc.internal.", "a-1.b2.example.com"]) assert.equal(isDnsName(ok), true, ok);
        for (const bad of ["internal", "Monitoring.cnc.internal", "-a.example", "a..example", "a_b.example", `${"a".repeat(64)}.example`, "", 7]) assert.equal(isDnsName(bad), false, String(bad));
    });
});

describe("network plan: args validation", () => {
    it("accepts realistic prod and dev args", () => {
        assert.deepEqual(messages({ ...base(), availabilityZoneCount: 3, natGateways: "perAz", flowLogRetentionDays: 90, deletionProtection: true }), []);
        assert.deepEqual(messages({ ...base(), vpcCidr: "10.90.0.0/20", availabilityZoneCount: 2, natGateways: "single", flowLogRetentionDays: 7 }), []);
        assert.deepEqual(
            messages({
                ...base(),
                zoneAssociations: [{ vpcId: "vpc-0aaaaaaaaaaaaaaaa", accountId: "210987654321", vpcRegion: "us-east-1", zones: ["monitoring"] }],
                resolver: { inbound: true, allowedCidrs: ["10.100.0.0/16"], outbound: true, forwardRules: [{ domain: "corp.example", targetIps: ["10.100.0.2"] }] },
                transitGateway: { transitGatewayId: "tgw-0123456789abcdef0", routeCidrs: ["10.100.0.0/16", "10.101.0.0/16"] },
            }),
            [],
        );
    });

    const cases: Array<[string, Partial<CommandControlNetworkArgs>, string[]]> = [
        ["a malformed VPC CIDR", { vpcCidr: "10.0.0.0/33" }, ['vpcCidr: expected an IPv4 CIDR block such as 10.0.0.0/16, found "10.0.0.0/33"']],
        ["a VPC CIDR with host bits", { vpcCidr: "10.80.0.1/16" }, ['vpcCidr: expected the network address of the block (10.80.0.0/16), found "10.80.0.1/16"']],
        ["a VPC CIDR too large", { vpcCidr: "10.0.0.0/8" }, ['vpcCidr: expected a CIDR block from /16 to /24, found "10.0.0.0/8"']],
        [
            "more AZs than the VPC can hold",
            { vpcCidr: "10.0.0.0/24", availabilityZoneCount: 5 },
            ['vpcCidr: expected a VPC CIDR large enough for 5 private /27 and 5 public /27 subnets (320 addresses; a /24 has 256): use a larger block, fewer AZs or smaller subnets, found "10.0.0.0/24"'],
        ],
        [
            "explicit masks that do not fit",
            { vpcCidr: "10.0.0.0/20", availabilityZoneCount: 3, privateSubnetMask: 21 },
            ['vpcCidr: expected a VPC CIDR large enough for 3 private /21 and 3 public /27 subnets (6240 addresses; a /20 has 4096): use a larger block, fewer AZs or smaller subnets, found "10.0.0.0/20"'],
        ],
        ["an AZ count of 0 and of 7", { availabilityZoneCount: 0 }, ["availabilityZoneCount: expected a whole number of availability zones from 1 to 6, found 0"]],
        ["a fractional AZ count", { availabilityZoneCount: 2.5 }, ["availabilityZoneCount: expected a whole number of availability zones from 1 to 6, found 2.5"]],
        [
            "AZ names that disagree with the count",
            { availabilityZoneCount: 3, availabilityZoneNames: ["eu-west-1a", "eu-west-1a"] },
            ['availabilityZoneNames[1]: expected an availability zone not listed before, found "eu-west-1a"', "availabilityZoneCount: expected the number of availabilityZoneNames (2) or nothing, found 3"],
        ],
        ["an unknown NAT strategy", { natGateways: "OnePerAz" }, ['natGateways: expected one of "single", "perAz", found "OnePerAz"']],
        [
            "subnet masks out of range",
            { vpcCidr: "10.0.0.0/20", privateSubnetMask: 20, publicSubnetMask: 28 },
            [
                "privateSubnetMask: expected a prefix length from 21 to 28 (smaller than the VPC /20), found 20",
                "publicSubnetMask: expected a prefix length from 21 to 27 (smaller than the VPC /20); load balancers need at least a /27, found 28",
            ],
        ],
        [
            "a retention CloudWatch does not offer",
            { flowLogRetentionDays: 0 },
            ["flowLogRetentionDays: expected one of CloudWatch Logs' retention periods in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, found 0"],
        ],
        [
            "bad zone names and IDs",
            { monitoringZone: { name: "Monitoring", existingZoneId: "Z12ab" }, internalZone: { name: "apps.cnc.internal", existingZoneId: "/hostedzone/Z0123456789ABC" } },
            [
                'monitoringZone.name: expected a lowercase DNS name of at least two labels such as monitoring.cnc.internal, found "Monitoring"',
                'monitoringZone.existingZoneId: expected a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ, found "Z12ab"',
                'internalZone.existingZoneId: expected a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ, found "/hostedzone/Z0123456789ABC"',
            ],
        ],
        ["the same name for both zones", { internalZone: { name: "monitoring.cnc.internal." } }, ['internalZone.name: expected a name different from monitoringZone.name (monitoring.cnc.internal), found "monitoring.cnc.internal."']],
        [
            "bad associations",
            { zoneAssociations: [{ vpcId: "vpc-123", accountId: "12345", vpcRegion: "Ireland", zones: ["thanos"] }, { vpcId: "vpc-0aaaaaaaaaaaaaaaa" }, { vpcId: "vpc-0aaaaaaaaaaaaaaaa", zones: ["internal"] }] },
            [
                'zoneAssociations[0].vpcId: expected a VPC ID such as vpc-0123456789abcdef0, found "vpc-123"',
                'zoneAssociations[0].vpcRegion: expected an AWS region the provider knows, such as eu-west-1, found "Ireland"',
                'zoneAssociations[0].accountId: expected a 12-digit AWS account ID, found "12345"',
                'zoneAssociations[0].zones: expected a list of zone keys from "monitoring", "internal", each at most once, found ["thanos"]',
                'zoneAssociations[2].vpcId: expected a VPC not already associated with the internal zone by an earlier entry, found "vpc-0aaaaaaaaaaaaaaaa"',
            ],
        ],
        [
            "a resolver that cannot work",
            {
                availabilityZoneCount: 1,
                resolver: { inbound: true, allowedCidrs: [], forwardRules: [{ domain: "monitoring.cnc.internal", targetIps: ["10.0.0.256"] }, { domain: "corp", targetIps: [] }] },
            },
            [
                'resolver: expected at least 2 availability zones for Resolver endpoints (AWS needs two IP addresses in different subnets), found {"inbound":true,"outbound":false,"availabilityZones":1}',
                "resolver.allowedCidrs: expected at least one source CIDR when resolver.inbound is on, found []",
                "resolver.outbound: expected true when resolver.forwardRules are listed (rules forward through the outbound endpoint), found false",
                'resolver.forwardRules[0].domain: expected a domain other than this network\'s own private zones, found "monitoring.cnc.internal"',
                'resolver.forwardRules[0].targetIps[0]: expected an IPv4 address such as 10.0.0.2, found "10.0.0.256"',
                'resolver.forwardRules[1].domain: expected a lowercase DNS name of at least two labels such as monitoring.cnc.internal, found "corp"',
                "resolver.forwardRules[1].targetIps: expected a list of 1 to 6 IPv4 addresses, found []",
            ],
        ],
        [
            "TGW CIDRs overlapping the VPC and each other, and a bad TGW ID",
            { transitGateway: { transitGatewayId: "tgw-xyz", routeCidrs: ["10.80.128.0/17", "10.100.0.0/16", "10.100.64.0/18", "10.1.0.0/33"] } },
            [
                'transitGateway.transitGatewayId: expected a Transit Gateway ID such as tgw-0123456789abcdef0, found "tgw-xyz"',
                'transitGateway.routeCidrs[0]: expected a CIDR block that does not overlap the VPC CIDR 10.80.0.0/16, found "10.80.128.0/17"',
                'transitGateway.routeCidrs[2]: expected a CIDR block that does not overlap another listed block (10.100.0.0/16), found "10.100.64.0/18"',
                'transitGateway.routeCidrs[3]: expected an IPv4 CIDR block such as 10.0.0.0/16, found "10.1.0.0/33"',
            ],
        ],
        [
            "a private subnet tag that would override the load-balancer tag",
            { privateSubnetTags: { "kubernetes.io/role/internal-elb": "0" } },
            ['privateSubnetTags["kubernetes.io/role/internal-elb"]: expected no value here: the component sets this load-balancer discovery tag itself, found "0"'],
        ],
    ];

    for (const [title, override, expected] of cases) {
        it(`rejects ${title}, naming field, expected form and value`, () => {
            assert.deepEqual(messages({ ...base(), ...override } as CommandControlNetworkArgs), [...expected].sort());
        });
    }

    it("reports an AZ count of 7 as well as 0", () => {
        assert.deepEqual(messages({ ...base(), availabilityZoneCount: 7 }), ["availabilityZoneCount: expected a whole number of availability zones from 1 to 6, found 7"]);
    });

    it("workload CIDR helpers: overlap-only skips malformed entries; the schema reports each entry once, form or overlap", () => {
        const list = ["bad", "10.0.0.0/8", "10.1.0.0/16"];
        assert.deepEqual(
            cidrOverlapProblems("192.168.0.0/16", list, (i) => `x[${i}]`).map(renderProblem),
            ['x[2]: expected a CIDR block that does not overlap another listed block (10.0.0.0/8), found "10.1.0.0/16"'],
        );
        const problems = argsProblems(networkSchema, { ...base(), vpcCidr: "10.0.0.0/16", transitGateway: { transitGatewayId: "tgw-0123456789abcdef0", routeCidrs: list } });
        assert.deepEqual(problems.map((p) => p.field).sort(), ["transitGateway.routeCidrs[0]", "transitGateway.routeCidrs[1]"]);
    });
});
