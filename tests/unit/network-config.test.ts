// The `cloud-cnc:network` config section: CommandControlNetwork's own schema as config (the same
// rules and messages), defaults, and the composed args end to end under mocks for dev and prod.
import { strict as assert } from "assert";
import { CommandControlNetwork } from "../../components/network";
import { argsProblems } from "../../components/common/schema";
import { networkSchema } from "../../components/network/schema";
import { networkConfigSchema } from "../../stacks/config/network";
import { validateSection } from "../../stacks/config/validate";
import { settle } from "../support/pulumi-harness";
import { setupNetworkPulumi } from "../support/network-mocks";

/** What stacks/compose.ts adds to the section. */
const composed = (environment: "dev" | "prod") => ({
    environment,
    prefix: "cloud",
    profile: environment === "prod" ? ("production" as const) : ("development" as const),
    deletionProtection: environment === "prod",
});

/** The network sections of Pulumi.dev.yaml and Pulumi.prod.yaml. */
const DEV_NETWORK = {
    vpcCidr: "10.90.0.0/20",
    availabilityZoneCount: 2,
    natGateways: "single",
    endpoints: { ec2: false, elasticLoadBalancing: false },
    flowLogRetentionDays: 7,
    monitoringZone: { name: "monitoring.dev.cnc.internal" },
    internalZone: { name: "apps.dev.cnc.internal" },
};

const PROD_NETWORK = {
    vpcCidr: "10.80.0.0/16",
    availabilityZoneCount: 3,
    natGateways: "perAz",
    flowLogRetentionDays: 365,
    monitoringZone: { name: "monitoring.cnc.internal" },
    internalZone: { name: "apps.cnc.internal" },
    zoneAssociations: [{ vpcId: "vpc-0aaaaaaaaaaaaaaaa", accountId: "210987654321", zones: ["monitoring"] }],
    resolver: { inbound: true, allowedCidrs: ["10.100.0.0/14"] },
    transitGateway: { transitGatewayId: "tgw-0123456789abcdef0", routeCidrs: ["10.100.0.0/14"] },
};

const check = (raw: unknown) => validateSection("network", networkConfigSchema, raw);

describe("network config section", () => {
    it("fills defaults: every endpoint, default zone names, no resolver endpoints, no TGW; 3 AZs and the profile's NAT and retention", () => {
        const { value, messages } = check({ vpcCidr: "10.0.0.0/16" });
        assert.deepEqual(messages, []);
        assert.deepEqual(value, {
            vpcCidr: "10.0.0.0/16",
            privateSubnetTags: {},
            endpoints: { s3: true, sts: true, ecrApi: true, ecrDkr: true, logs: true, ec2: true, elasticLoadBalancing: true },
            monitoringZone: { name: "monitoring.cnc.internal" },
            internalZone: { name: "apps.cnc.internal" },
            zoneAssociations: [],
            resolver: { inbound: false, outbound: false, allowedCidrs: [], forwardRules: [] },
        });
        const prod = networkSchema.parse({ ...value!, ...composed("prod") });
        assert.deepEqual([prod.availabilityZoneCount, prod.natGateways, prod.flowLogRetentionDays, prod.deletionProtection], [3, "perAz", 365, true]);
        assert.equal(prod.transitGateway, undefined);
        const dev = networkSchema.parse({ ...value!, ...composed("dev") });
        assert.deepEqual([dev.availabilityZoneCount, dev.natGateways, dev.flowLogRetentionDays, dev.deletionProtection], [3, "single", 14, false]);
    });

    it("the dev and prod sections, composed, are valid args that differ where they should", () => {
        const devArgs = { ...check(DEV_NETWORK).value!, ...composed("dev") };
        const prodArgs = { ...check(PROD_NETWORK).value!, ...composed("prod") };
        assert.deepEqual(argsProblems(networkSchema, devArgs), []);
        assert.deepEqual(argsProblems(networkSchema, prodArgs), []);
        const dev = networkSchema.parse(devArgs);
        const prod = networkSchema.parse(prodArgs);
        assert.deepEqual([dev.availabilityZoneCount, dev.natGateways, dev.deletionProtection], [2, "single", false]);
        assert.deepEqual([prod.availabilityZoneCount, prod.natGateways, prod.deletionProtection], [3, "perAz", true]);
        assert.deepEqual(dev.endpoints, { s3: true, sts: true, ecrApi: true, ecrDkr: true, logs: true, ec2: false, elasticLoadBalancing: false });
        assert.deepEqual(prod.transitGateway, { transitGatewayId: "tgw-0123456789abcdef0", routeCidrs: ["10.100.0.0/14"] });
        assert.deepEqual(prod.resolver, { inbound: true, outbound: false, allowedCidrs: ["10.100.0.0/14"], forwardRules: [] });
        assert.deepEqual(prod.zoneAssociations, [{ vpcId: "vpc-0aaaaaaaaaaaaaaaa", accountId: "210987654321", zones: ["monitoring"] }]);
    });

    it("explicit AZ names give the count; no count needs configuring", () => {
        const { value } = check({ vpcCidr: "10.0.0.0/16", availabilityZoneNames: ["eu-west-1b", "eu-west-1c"] });
        assert.equal(value!.availabilityZoneCount, undefined);
        const settings = networkSchema.parse({ ...value!, ...composed("dev") });
        assert.deepEqual(settings.availabilityZoneNames, ["eu-west-1b", "eu-west-1c"]);
        assert.equal(settings.availabilityZoneCount, 2);
    });

    it("end to end under mocks: dev config gives 2 AZs and one NAT, prod 3 AZs and NAT per AZ with protected zones", async () => {
        for (const [raw, env, azs, nat, protect] of [
            [DEV_NETWORK, "dev", 2, "Single", false],
            [PROD_NETWORK, "prod", 3, "OnePerAz", true],
        ] as const) {
            const { rec } = await setupNetworkPulumi();
            new CommandControlNetwork("net", { ...check(raw).value!, ...composed(env) });
            await settle();
            const vpc = rec.one("awsx:ec2:Vpc");
            assert.equal(vpc.inputs.numberOfAvailabilityZones, azs);
            assert.deepEqual(vpc.inputs.natGateways, { strategy: nat });
            assert.ok(rec.ofType("aws:route53/zone:Zone").every((z) => z.protect === protect && z.retainOnDelete === protect));
            assert.equal(rec.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").length, azs === 2 ? 5 : 7);
            assert.equal(rec.ofType("aws:ec2transitgateway/vpcAttachment:VpcAttachment").length, azs === 2 ? 0 : 1);
        }
    });

    const bad: Array<[string, unknown, string[]]> = [
        ["a malformed CIDR", { vpcCidr: "10.0.0.0/33" }, ['cloud-cnc:network.vpcCidr: expected an IPv4 CIDR block such as 10.0.0.0/16, found "10.0.0.0/33"']],
        ["a CIDR with host bits set", { vpcCidr: "10.80.1.0/16" }, ['cloud-cnc:network.vpcCidr: expected the network address of the block (10.80.0.0/16), found "10.80.1.0/16"']],
        ["a CIDR outside /16-/24", { vpcCidr: "10.0.0.0/26" }, ['cloud-cnc:network.vpcCidr: expected a CIDR block from /16 to /24, found "10.0.0.0/26"']],
        ["a missing CIDR", {}, ["cloud-cnc:network.vpcCidr: expected an IPv4 CIDR block such as 10.0.0.0/16, found nothing"]],
        [
            "more AZs than the subnets fit",
            { vpcCidr: "10.0.0.0/24", availabilityZoneCount: 6 },
            ['cloud-cnc:network.vpcCidr: expected a VPC CIDR large enough for 6 private /27 and 6 public /27 subnets (384 addresses; a /24 has 256): use a larger block, fewer AZs or smaller subnets, found "10.0.0.0/24"'],
        ],
        [
            "explicit subnet masks too large for the VPC",
            { vpcCidr: "10.0.0.0/20", privateSubnetMask: 20, publicSubnetMask: 24 },
            ["cloud-cnc:network.privateSubnetMask: expected a prefix length from 21 to 28 (smaller than the VPC /20), found 20"],
        ],
        ["an AZ count out of range", { vpcCidr: "10.0.0.0/16", availabilityZoneCount: 7 }, ["cloud-cnc:network.availabilityZoneCount: expected a whole number of availability zones from 1 to 6, found 7"]],
        [
            "AZ names that disagree with the count",
            { vpcCidr: "10.0.0.0/16", availabilityZoneCount: 3, availabilityZoneNames: ["eu-west-1a", "eu-west-1b"] },
            ["cloud-cnc:network.availabilityZoneCount: expected the number of availabilityZoneNames (2) or nothing, found 3"],
        ],
        ["an unknown NAT strategy", { vpcCidr: "10.0.0.0/16", natGateways: "OnePerAz" }, ['cloud-cnc:network.natGateways: expected one of "single", "perAz", found "OnePerAz"']],
        [
            "a retention CloudWatch does not offer",
            { vpcCidr: "10.0.0.0/16", flowLogRetentionDays: 45 },
            ["cloud-cnc:network.flowLogRetentionDays: expected one of CloudWatch Logs' retention periods in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, found 45"],
        ],
        [
            "a malformed existing zone ID",
            { vpcCidr: "10.0.0.0/16", internalZone: { name: "apps.cnc.internal", existingZoneId: "/hostedzone/Z0123" } },
            ['cloud-cnc:network.internalZone.existingZoneId: expected a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ, found "/hostedzone/Z0123"'],
        ],
        [
            "a zone name that is not a DNS name",
            { vpcCidr: "10.0.0.0/16", monitoringZone: { name: "Monitoring Zone" } },
            ['cloud-cnc:network.monitoringZone.name: expected a lowercase DNS name of at least two labels such as monitoring.cnc.internal, found "Monitoring Zone"'],
        ],
        [
            "both zones with one name",
            { vpcCidr: "10.0.0.0/16", monitoringZone: { name: "cnc.internal" }, internalZone: { name: "cnc.internal." } },
            ['cloud-cnc:network.internalZone.name: expected a name different from monitoringZone.name (cnc.internal), found "cnc.internal."'],
        ],
        [
            "an unknown top-level key",
            { vpcCidr: "10.0.0.0/16", cidr: "10.0.0.0/16" },
            [
                'cloud-cnc:network.cidr: expected no unknown key here (known keys: vpcCidr, availabilityZoneCount, availabilityZoneNames, natGateways, privateSubnetMask, publicSubnetMask, privateSubnetTags, endpoints, flowLogRetentionDays, monitoringZone, internalZone, zoneAssociations, resolver, transitGateway), found a value (hidden)',
            ],
        ],
        [
            "an unknown endpoint switch",
            { vpcCidr: "10.0.0.0/16", endpoints: { ecr: false } },
            ["cloud-cnc:network.endpoints.ecr: expected no unknown key here (known keys: s3, sts, ecrApi, ecrDkr, logs, ec2, elasticLoadBalancing), found a value (hidden)"],
        ],
        [
            "workload CIDRs overlapping the VPC and each other",
            { vpcCidr: "10.0.0.0/16", transitGateway: { transitGatewayId: "tgw-0123456789abcdef0", routeCidrs: ["10.0.128.0/17", "10.100.0.0/16", "10.100.2.0/24"] } },
            [
                'cloud-cnc:network.transitGateway.routeCidrs[0]: expected a CIDR block that does not overlap the VPC CIDR 10.0.0.0/16, found "10.0.128.0/17"',
                'cloud-cnc:network.transitGateway.routeCidrs[2]: expected a CIDR block that does not overlap another listed block (10.100.0.0/16), found "10.100.2.0/24"',
            ],
        ],
        [
            "a TGW without an ID",
            { vpcCidr: "10.0.0.0/16", transitGateway: { routeCidrs: ["10.100.0.0/16"] } },
            ["cloud-cnc:network.transitGateway.transitGatewayId: expected a Transit Gateway ID such as tgw-0123456789abcdef0, found nothing"],
        ],
        [
            "forwarding rules without an outbound endpoint, with a bad target IP",
            { vpcCidr: "10.0.0.0/16", resolver: { forwardRules: [{ domain: "corp.example.com", targetIps: ["10.9.0.300"] }] } },
            [
                'cloud-cnc:network.resolver.forwardRules[0].targetIps[0]: expected an IPv4 address such as 10.0.0.2, found "10.9.0.300"',
                "cloud-cnc:network.resolver.outbound: expected true when resolver.forwardRules are listed (rules forward through the outbound endpoint), found false",
            ],
        ],
        [
            "an inbound endpoint with one AZ and no allowed CIDRs",
            { vpcCidr: "10.0.0.0/16", availabilityZoneCount: 1, resolver: { inbound: true } },
            [
                'cloud-cnc:network.resolver: expected at least 2 availability zones for Resolver endpoints (AWS needs two IP addresses in different subnets), found {"inbound":true,"outbound":false,"availabilityZones":1}',
                "cloud-cnc:network.resolver.allowedCidrs: expected at least one source CIDR when resolver.inbound is on, found []",
            ],
        ],
        [
            "a bad association",
            { vpcCidr: "10.0.0.0/16", zoneAssociations: [{ vpcId: "vpc-0aaaaaaaaaaaaaaaa", accountId: "2109876543", zones: ["thanos"] }] },
            [
                'cloud-cnc:network.zoneAssociations[0].accountId: expected a 12-digit AWS account ID, found "2109876543"',
                'cloud-cnc:network.zoneAssociations[0].zones: expected a list of zone keys from "monitoring", "internal", each at most once, found ["thanos"]',
            ],
        ],
    ];

    for (const [title, raw, expected] of bad) {
        it(`rejects ${title} with the exact message, the component's own`, () => {
            const { messages, value } = check(raw);
            assert.equal(value, undefined);
            assert.deepEqual(messages, expected);
            // One rule book: the component reports the same problems for the same args.
            const fromArgs = argsProblems(networkSchema, { ...(raw as object), ...composed("dev") }).map((p) => `cloud-cnc:network.${p.field}: expected ${p.expected}`);
            assert.deepEqual(
                fromArgs.filter((m) => !m.includes("no unknown key")),
                expected.filter((m) => !m.includes("no unknown key")).map((m) => m.replace(/, found .*$/s, "")),
            );
        });
    }
});
