// The `cloud-cnc:network` config section: defaults, cross-field checks with exact messages, and
// the mapping to CommandControlNetwork's args (end to end under mocks for dev and prod).
import { strict as assert } from "assert";
import { CommandControlNetwork } from "../../components/network";
import { validateNetworkArgs } from "../../components/network/plan";
import { CommonSettings } from "../../stacks/config/common";
import { networkArgs, networkConfigSchema } from "../../stacks/config/network";
import { validateSection } from "../../stacks/config/validate";
import { settle } from "../support/pulumi-harness";
import { setupNetworkPulumi } from "../support/network-mocks";

const common = (environment: string, deletionProtection: boolean): CommonSettings => ({ environment, prefix: "cloud", profile: environment === "prod" ? "production" : "development", deletionProtection, tags: { Team: "cloud" } });

/** The network sections proposed for Pulumi.dev.yaml and Pulumi.prod.yaml. */
const DEV_NETWORK = {
    cidr: "10.90.0.0/20",
    availabilityZones: 2,
    natGateways: "single",
    endpoints: { ec2: false, elasticLoadBalancing: false },
    flowLogRetentionDays: 7,
    monitoringZone: { name: "monitoring.dev.cnc.internal" },
    internalZone: { name: "apps.dev.cnc.internal" },
};

const PROD_NETWORK = {
    cidr: "10.80.0.0/16",
    availabilityZones: 3,
    natGateways: "perAz",
    flowLogRetentionDays: 365,
    monitoringZone: { name: "monitoring.cnc.internal" },
    internalZone: { name: "apps.cnc.internal" },
    zoneAssociations: [{ vpcId: "vpc-0aaaaaaaaaaaaaaaa", accountId: "210987654321", zones: ["monitoring"] }],
    resolver: { inbound: true, allowedCidrs: ["10.100.0.0/14"] },
    transitGateway: { enabled: true, id: "tgw-0123456789abcdef0", routeCidrs: ["10.100.0.0/14"] },
};

const check = (raw: unknown) => validateSection("network", networkConfigSchema, raw);

describe("network config section", () => {
    it("fills defaults: 3 AZs, NAT per AZ, every endpoint, 30-day flow logs, default zone names, nothing optional", () => {
        const { value, messages } = check({ cidr: "10.0.0.0/16" });
        assert.deepEqual(messages, []);
        assert.deepEqual(value, {
            cidr: "10.0.0.0/16",
            natGateways: "perAz",
            privateSubnetTags: {},
            endpoints: { s3: true, sts: true, ecrApi: true, ecrDkr: true, logs: true, ec2: true, elasticLoadBalancing: true },
            flowLogRetentionDays: 30,
            monitoringZone: { name: "monitoring.cnc.internal" },
            internalZone: { name: "apps.cnc.internal" },
            zoneAssociations: [],
            resolver: { inbound: false, outbound: false, allowedCidrs: [], forwardRules: [] },
            transitGateway: { enabled: false, routeCidrs: [] },
        });
        const args = networkArgs(value!, common("prod", true));
        assert.equal(args.availabilityZoneCount, 3);
        assert.equal(args.resolver, undefined);
        assert.equal(args.transitGateway, undefined);
        assert.deepEqual(validateNetworkArgs(args), []);
    });

    it("maps the proposed dev and prod sections to valid args that differ where they should", () => {
        const dev = networkArgs(check(DEV_NETWORK).value!, common("dev", false));
        const prod = networkArgs(check(PROD_NETWORK).value!, common("prod", true));
        assert.deepEqual(validateNetworkArgs(dev), []);
        assert.deepEqual(validateNetworkArgs(prod), []);
        assert.deepEqual([dev.availabilityZoneCount, dev.natGateways, dev.deletionProtection], [2, "single", false]);
        assert.deepEqual([prod.availabilityZoneCount, prod.natGateways, prod.deletionProtection], [3, "perAz", true]);
        assert.deepEqual(dev.endpoints, { s3: true, sts: true, ecrApi: true, ecrDkr: true, logs: true, ec2: false, elasticLoadBalancing: false });
        assert.deepEqual(prod.transitGateway, { transitGatewayId: "tgw-0123456789abcdef0", routeCidrs: ["10.100.0.0/14"] });
        assert.deepEqual(prod.resolver, { inbound: true, outbound: false, allowedCidrs: ["10.100.0.0/14"], forwardRules: [] });
        assert.deepEqual(prod.zoneAssociations, [{ vpcId: "vpc-0aaaaaaaaaaaaaaaa", accountId: "210987654321", zones: ["monitoring"] }]);
    });

    it("explicit AZ names map to availabilityZoneNames without a count", () => {
        const args = networkArgs(check({ cidr: "10.0.0.0/16", availabilityZoneNames: ["eu-west-1b", "eu-west-1c"] }).value!, common("dev", false));
        assert.deepEqual(args.availabilityZoneNames, ["eu-west-1b", "eu-west-1c"]);
        assert.equal(args.availabilityZoneCount, undefined);
    });

    it("end to end under mocks: dev config gives 2 AZs and one NAT, prod 3 AZs and NAT per AZ with protected zones", async () => {
        for (const [raw, settings, azs, nat, protect] of [
            [DEV_NETWORK, common("dev", false), 2, "Single", false],
            [PROD_NETWORK, common("prod", true), 3, "OnePerAz", true],
        ] as const) {
            const { rec } = await setupNetworkPulumi();
            new CommandControlNetwork("net", networkArgs(check(raw).value!, settings));
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
        ["a malformed CIDR", { cidr: "10.0.0.0/33" }, ['cloud-cnc:network.cidr: expected an IPv4 CIDR block such as 10.0.0.0/16, found "10.0.0.0/33"']],
        ["a CIDR with host bits set", { cidr: "10.80.1.0/16" }, ['cloud-cnc:network.cidr: expected the network address of the block (10.80.0.0/16), found "10.80.1.0/16"']],
        ["a CIDR outside /16-/24", { cidr: "10.0.0.0/26" }, ['cloud-cnc:network.cidr: expected a CIDR block from /16 to /24, found "10.0.0.0/26"']],
        ["a missing CIDR", {}, ["cloud-cnc:network.cidr: expected a value (required; a string), found nothing"]],
        [
            "more AZs than the subnets fit",
            { cidr: "10.0.0.0/24", availabilityZones: 6 },
            ['cloud-cnc:network.cidr: expected a VPC CIDR large enough for 6 private /27 and 6 public /27 subnets (384 addresses; a /24 has 256): use a larger block, fewer AZs or smaller subnets, found "10.0.0.0/24"'],
        ],
        [
            "explicit subnet masks too large for the VPC",
            { cidr: "10.0.0.0/20", privateSubnetMask: 20, publicSubnetMask: 24 },
            ["cloud-cnc:network.privateSubnetMask: expected a prefix length greater than the VPC's /20, found 20"],
        ],
        ["an AZ count out of range", { cidr: "10.0.0.0/16", availabilityZones: 7 }, ["cloud-cnc:network.availabilityZones: expected a whole number of availability zones from 1 to 6, found 7"]],
        [
            "AZ names that disagree with the count",
            { cidr: "10.0.0.0/16", availabilityZones: 3, availabilityZoneNames: ["eu-west-1a", "eu-west-1b"] },
            ["cloud-cnc:network.availabilityZones: expected the number of availabilityZoneNames (2) or nothing, found 3"],
        ],
        ["an unknown NAT strategy", { cidr: "10.0.0.0/16", natGateways: "OnePerAz" }, ['cloud-cnc:network.natGateways: expected one of "perAz", "single", found "OnePerAz"']],
        [
            "a retention CloudWatch does not offer",
            { cidr: "10.0.0.0/16", flowLogRetentionDays: 45 },
            ["cloud-cnc:network.flowLogRetentionDays: expected one of CloudWatch Logs' retention periods in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, found 45"],
        ],
        [
            "a malformed existing zone ID",
            { cidr: "10.0.0.0/16", internalZone: { name: "apps.cnc.internal", existingZoneId: "/hostedzone/Z0123" } },
            ['cloud-cnc:network.internalZone.existingZoneId: expected a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ, found "/hostedzone/Z0123"'],
        ],
        [
            "a zone name that is not a DNS name",
            { cidr: "10.0.0.0/16", monitoringZone: { name: "Monitoring Zone" } },
            ['cloud-cnc:network.monitoringZone.name: expected a lowercase DNS name of at least two labels such as monitoring.cnc.internal, found "Monitoring Zone"'],
        ],
        [
            "both zones with one name",
            { cidr: "10.0.0.0/16", monitoringZone: { name: "cnc.internal" }, internalZone: { name: "cnc.internal." } },
            ['cloud-cnc:network.internalZone.name: expected a name different from monitoringZone.name (cnc.internal), found "cnc.internal."'],
        ],
        [
            "an unknown top-level key",
            { cidr: "10.0.0.0/16", vpcCidr: "10.0.0.0/16" },
            [
                'cloud-cnc:network.vpcCidr: expected no unknown key here (known keys: cidr, availabilityZones, availabilityZoneNames, natGateways, privateSubnetMask, publicSubnetMask, privateSubnetTags, endpoints, flowLogRetentionDays, monitoringZone, internalZone, zoneAssociations, resolver, transitGateway), found "10.0.0.0/16"',
            ],
        ],
        [
            "an unknown endpoint switch",
            { cidr: "10.0.0.0/16", endpoints: { ecr: false } },
            ["cloud-cnc:network.endpoints.ecr: expected no unknown key here (known keys: s3, sts, ecrApi, ecrDkr, logs, ec2, elasticLoadBalancing), found false"],
        ],
        [
            "workload CIDRs overlapping the VPC and each other",
            { cidr: "10.0.0.0/16", transitGateway: { enabled: true, id: "tgw-0123456789abcdef0", routeCidrs: ["10.0.128.0/17", "10.100.0.0/16", "10.100.2.0/24"] } },
            [
                'cloud-cnc:network.transitGateway.routeCidrs[0]: expected a CIDR block that does not overlap the VPC CIDR 10.0.0.0/16, found "10.0.128.0/17"',
                'cloud-cnc:network.transitGateway.routeCidrs[2]: expected a CIDR block that does not overlap another listed block (10.100.0.0/16), found "10.100.2.0/24"',
            ],
        ],
        [
            "a TGW enabled without an ID",
            { cidr: "10.0.0.0/16", transitGateway: { enabled: true, routeCidrs: ["10.100.0.0/16"] } },
            ["cloud-cnc:network.transitGateway.id: expected a Transit Gateway ID such as tgw-0123456789abcdef0 (required when transitGateway.enabled is true), found nothing"],
        ],
        [
            "forwarding rules without an outbound endpoint, with a bad target IP",
            { cidr: "10.0.0.0/16", resolver: { forwardRules: [{ domain: "corp.example.com", targetIps: ["10.9.0.300"] }] } },
            [
                'cloud-cnc:network.resolver.forwardRules[0].targetIps[0]: expected an IPv4 address such as 10.0.0.2, found "10.9.0.300"',
                "cloud-cnc:network.resolver.outbound: expected true when resolver.forwardRules are listed (rules forward through the outbound endpoint), found nothing",
            ],
        ],
        [
            "an inbound endpoint with one AZ and no allowed CIDRs",
            { cidr: "10.0.0.0/16", availabilityZones: 1, resolver: { inbound: true } },
            [
                "cloud-cnc:network.resolver.inbound: expected false with fewer than 2 availability zones (Resolver endpoints need IP addresses in two subnets), found true",
                "cloud-cnc:network.resolver.allowedCidrs: expected at least one source CIDR when resolver.inbound is true, found nothing",
            ],
        ],
        [
            "a bad association",
            { cidr: "10.0.0.0/16", zoneAssociations: [{ vpcId: "vpc-0aaaaaaaaaaaaaaaa", accountId: "2109876543", zones: ["thanos"] }] },
            [
                'cloud-cnc:network.zoneAssociations[0].accountId: expected a 12-digit AWS account ID, found "2109876543"',
                'cloud-cnc:network.zoneAssociations[0].zones[0]: expected one of "monitoring", "internal", found "thanos"',
            ],
        ],
    ];

    for (const [title, raw, expected] of bad) {
        it(`rejects ${title} with the exact message`, () => {
            const { messages, value } = check(raw);
            assert.equal(value, undefined);
            assert.deepEqual(messages, expected);
        });
    }
});
