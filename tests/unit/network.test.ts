// CommandControlNetwork under Pulumi mocks: what is registered, with which inputs and options.
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { InvalidArgsError } from "../../components/common/errors";
import { CommandControlNetwork, CommandControlNetworkArgs } from "../../components/network";
import { ACCOUNT_ID, DEFAULT_REGION, hash, RecordedResource, Recorder, settle, valueOf } from "../support/pulumi-harness";
import { resolverIp, routeTableFor, setupNetworkPulumi } from "../support/network-mocks";

const COMPONENT = "cloud-cnc:index:CommandControlNetwork";
const VPC = "awsx:ec2:Vpc";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const ZONE = "aws:route53/zone:Zone";
const ZONE_ASSOC = "aws:route53/zoneAssociation:ZoneAssociation";
const ZONE_AUTH = "aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization";
const RESOLVER_ENDPOINT = "aws:route53/resolverEndpoint:ResolverEndpoint";
const RESOLVER_RULE = "aws:route53/resolverRule:ResolverRule";
const RESOLVER_RULE_ASSOC = "aws:route53/resolverRuleAssociation:ResolverRuleAssociation";
const TGW_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const ROUTE = "aws:ec2/route:Route";

/** The IDs the harness gives the awsx VPC named `${n}-vpc`. */
const vpcId = (n: string) => `vpc-${hash(`${n}-vpc`)}`;
const privateSubnets = (n: string, count: number) => Array.from({ length: count }, (_, i) => `subnet-private${i}-${hash(`${n}-vpc`)}`);
const publicSubnets = (n: string, count: number) => Array.from({ length: count }, (_, i) => `subnet-public${i}-${hash(`${n}-vpc`)}`);

function prodArgs(): CommandControlNetworkArgs {
    return {
        environment: "prod",
        prefix: "cloud",
        profile: "production",
        vpcCidr: "10.80.0.0/16",
        availabilityZoneCount: 3,
        natGateways: "perAz",
        flowLogRetentionDays: 90,
        monitoringZone: { name: "monitoring.cnc.internal" },
        internalZone: { name: "apps.cnc.internal" },
        deletionProtection: true,
    };
}

function devArgs(): CommandControlNetworkArgs {
    return {
        environment: "dev",
        prefix: "cloud",
        profile: "development",
        vpcCidr: "10.90.0.0/20",
        availabilityZoneCount: 2,
        natGateways: "single",
        flowLogRetentionDays: 7,
        monitoringZone: { name: "monitoring.dev.cnc.internal" },
        internalZone: { name: "apps.dev.cnc.internal" },
        deletionProtection: false,
    };
}

async function build(args: CommandControlNetworkArgs, name = "net") {
    const { rec, captured } = await setupNetworkPulumi();
    const net = new CommandControlNetwork(name, args);
    await settle();
    return { rec, captured, net };
}

function assertChildOf(rec: Recorder, r: RecordedResource, componentName = "net") {
    assert.match(r.parent, new RegExp(`${COMPONENT.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}::${componentName}$`), `${r.type} ${r.name} is not a child of the component`);
    assert.ok(rec.resources.length > 0);
}

describe("CommandControlNetwork: VPC and subnets", () => {
    it("prod: 3 AZs, NAT per AZ, explicit private and public subnets tagged for the Load Balancer Controller", async () => {
        const { rec } = await build(prodArgs());
        const vpc = rec.one(VPC, "net-vpc");
        assertChildOf(rec, vpc);
        assert.equal(vpc.inputs.cidrBlock, "10.80.0.0/16");
        assert.equal(vpc.inputs.numberOfAvailabilityZones, 3);
        assert.equal(vpc.inputs.availabilityZoneNames, undefined);
        assert.deepEqual(vpc.inputs.natGateways, { strategy: "OnePerAz" });
        assert.equal(vpc.inputs.subnetStrategy, "Auto");
        assert.equal(vpc.inputs.enableDnsHostnames, true);
        assert.equal(vpc.inputs.enableDnsSupport, true);
        assert.deepEqual(vpc.inputs.subnetSpecs, [
            { type: "Private", name: "private", cidrBlocks: ["10.80.0.0/19", "10.80.32.0/19", "10.80.64.0/19"], tags: { "kubernetes.io/role/internal-elb": "1" } },
            { type: "Public", name: "public", cidrBlocks: ["10.80.96.0/24", "10.80.97.0/24", "10.80.98.0/24"], tags: { "kubernetes.io/role/elb": "1" } },
        ]);
        // No isolated or other subnet types: nodes and data services share the private tier.
        assert.deepEqual(
            vpc.inputs.subnetSpecs.map((s: any) => s.type),
            ["Private", "Public"],
        );
    });

    it("dev: 2 AZs and a single NAT gateway in a /20", async () => {
        const { rec, net } = await build(devArgs());
        const vpc = rec.one(VPC);
        assert.equal(vpc.inputs.numberOfAvailabilityZones, 2);
        assert.deepEqual(vpc.inputs.natGateways, { strategy: "Single" });
        assert.deepEqual(vpc.inputs.subnetSpecs[0].cidrBlocks, ["10.90.0.0/23", "10.90.2.0/23"]);
        assert.deepEqual(vpc.inputs.subnetSpecs[1].cidrBlocks, ["10.90.4.0/27", "10.90.4.32/27"]);
        assert.deepEqual(await valueOf(net.availabilityZones), ["eu-west-1a", "eu-west-1b"]);
        assert.deepEqual(await valueOf(net.privateSubnetIds), privateSubnets("net", 2));
    });

    it("explicit AZ names go to awsx instead of a count, and become the availabilityZones output", async () => {
        const { rec, net } = await build({ ...prodArgs(), availabilityZoneCount: undefined, availabilityZoneNames: ["eu-west-1c", "eu-west-1a"] });
        const vpc = rec.one(VPC);
        assert.deepEqual(vpc.inputs.availabilityZoneNames, ["eu-west-1c", "eu-west-1a"]);
        assert.equal(vpc.inputs.numberOfAvailabilityZones, undefined);
        assert.deepEqual(await valueOf(net.availabilityZones), ["eu-west-1c", "eu-west-1a"]);
        assert.equal(vpc.inputs.subnetSpecs[0].cidrBlocks.length, 2);
    });

    it("extra private subnet tags are merged with the load-balancer role tag", async () => {
        const { rec } = await build({ ...prodArgs(), privateSubnetTags: { "karpenter.sh/discovery": "cnc" } });
        const specs = rec.one(VPC).inputs.subnetSpecs;
        assert.deepEqual(specs[0].tags, { "karpenter.sh/discovery": "cnc", "kubernetes.io/role/internal-elb": "1" });
        assert.deepEqual(specs[1].tags, { "kubernetes.io/role/elb": "1" });
    });

    it("looks up each private subnet's route table by its association (one invoke per AZ)", async () => {
        const { rec, net } = await build(prodArgs());
        const lookups = rec.invokes.filter((i) => i.token === "aws:ec2/getRouteTable:getRouteTable");
        assert.deepEqual(
            lookups.map((l) => l.args.subnetId).sort(),
            privateSubnets("net", 3).sort(),
        );
        assert.ok(lookups.every((l) => l.args.vpcId === vpcId("net")));
        assert.deepEqual(await valueOf(net.privateRouteTableIds), privateSubnets("net", 3).map(routeTableFor));
    });

    it("passes the aws provider from the component's options to the awsx remote component and to every child", async () => {
        const { rec, captured } = await setupNetworkPulumi();
        const provider = new aws.Provider("acct", { region: "eu-west-1" });
        new CommandControlNetwork("net", prodArgs(), { providers: [provider] });
        await settle();
        const vpcOpts = captured.get(`${VPC}::net-vpc`);
        assert.ok(vpcOpts, "awsx Vpc registration not captured");
        assert.match(vpcOpts.providers.aws ?? "", /pulumi:providers:aws::acct::/);
        const custom = rec.resources.filter((r) => r.custom && r.type.startsWith("aws:") && !r.type.startsWith("pulumi:"));
        assert.ok(custom.length > 10);
        for (const r of custom) assert.match(r.provider, /pulumi:providers:aws::acct::/, `${r.type} ${r.name} did not get the provider`);
        assert.ok(rec.invokes.filter((i) => i.token.startsWith("aws:")).length > 0);
    });
});

describe("CommandControlNetwork: default security group", () => {
    it("adopts the VPC's default security group with no rules at all", async () => {
        const { rec } = await build(prodArgs());
        const sg = rec.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "net-default-sg");
        assert.equal(sg.inputs.vpcId, vpcId("net"));
        assert.equal(sg.inputs.ingress, undefined);
        assert.equal(sg.inputs.egress, undefined);
        assertChildOf(rec, sg);
    });
});

describe("CommandControlNetwork: VPC endpoints", () => {
    it("all switches on: S3 gateway on the private route tables and six private-DNS interface endpoints", async () => {
        const { rec } = await build(prodArgs());
        const endpoints = rec.ofType(ENDPOINT);
        assert.deepEqual(
            endpoints.map((e) => e.inputs.serviceName).sort(),
            ["ec2", "ecr.api", "ecr.dkr", "elasticloadbalancing", "logs", "s3", "sts"].map((s) => `com.amazonaws.${DEFAULT_REGION}.${s}`).sort(),
        );
        const s3 = rec.one(ENDPOINT, "net-vpce-s3");
        assert.equal(s3.inputs.vpcEndpointType, "Gateway");
        assert.equal(s3.inputs.vpcId, vpcId("net"));
        assert.deepEqual(s3.inputs.routeTableIds, privateSubnets("net", 3).map(routeTableFor));
        assert.equal(s3.inputs.subnetIds, undefined);

        const sg = rec.one(SG, "net-endpoints");
        for (const e of endpoints.filter((x) => x.name !== "net-vpce-s3")) {
            assertChildOf(rec, e);
            assert.equal(e.inputs.vpcEndpointType, "Interface");
            assert.equal(e.inputs.privateDnsEnabled, true);
            assert.deepEqual(e.inputs.subnetIds, privateSubnets("net", 3));
            assert.deepEqual(e.inputs.securityGroupIds, [`${sg.name}-id`]);
        }
        assert.deepEqual(sg.inputs.ingress, [{ description: "HTTPS to AWS APIs from inside the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.80.0.0/16"] }]);
        assert.equal(sg.inputs.egress, undefined, "interface endpoints need no egress rules");
        assert.equal(sg.inputs.vpcId, vpcId("net"));
    });

    it("switched-off endpoints are absent; with every interface endpoint off there is no endpoint security group", async () => {
        const some = await build({ ...prodArgs(), endpoints: { ec2: false, elasticLoadBalancing: false, logs: false } });
        assert.deepEqual(
            some.rec.ofType(ENDPOINT).map((e) => e.name).sort(),
            ["net-vpce-ecr-api", "net-vpce-ecr-dkr", "net-vpce-s3", "net-vpce-sts"],
        );
        assert.equal(some.rec.ofType(SG).filter((s) => s.name === "net-endpoints").length, 1);

        const s3Only = await build({ ...prodArgs(), endpoints: { sts: false, ecrApi: false, ecrDkr: false, logs: false, ec2: false, elasticLoadBalancing: false } });
        assert.deepEqual(s3Only.rec.ofType(ENDPOINT).map((e) => e.name), ["net-vpce-s3"]);
        assert.equal(s3Only.rec.ofType(SG).filter((s) => s.name === "net-endpoints").length, 0);

        const none = await build({ ...prodArgs(), endpoints: { s3: false, sts: false, ecrApi: false, ecrDkr: false, logs: false, ec2: false, elasticLoadBalancing: false } });
        assert.equal(none.rec.ofType(ENDPOINT).length, 0);
    });
});

describe("CommandControlNetwork: private hosted zones", () => {
    it("creates both zones with our VPC, ignoring later VPC associations; prod zones are protected and retained", async () => {
        const { rec, captured, net } = await build(prodArgs());
        const zones = rec.ofType(ZONE);
        assert.deepEqual(zones.map((z) => z.name).sort(), ["net-internal-zone", "net-monitoring-zone"]);
        const monitoring = rec.one(ZONE, "net-monitoring-zone");
        assert.equal(monitoring.inputs.name, "monitoring.cnc.internal");
        assert.deepEqual(monitoring.inputs.vpcs, [{ vpcId: vpcId("net") }]);
        assert.equal(monitoring.inputs.forceDestroy, false);
        for (const z of zones) {
            assertChildOf(rec, z);
            assert.equal(z.protect, true, `${z.name} not protected`);
            assert.equal(z.retainOnDelete, true, `${z.name} not retained`);
            assert.deepEqual(captured.get(`${ZONE}::${z.name}`)?.ignoreChanges, ["vpcs"]);
        }
        assert.equal(rec.ofType(ZONE_ASSOC).length, 0);
        assert.equal(await valueOf(net.monitoringZoneId), monitoring.state.zoneId);
        assert.equal(await valueOf(net.monitoringZoneName), "monitoring.cnc.internal");
        assert.equal(await valueOf(net.internalZoneId), rec.one(ZONE, "net-internal-zone").state.zoneId);
        assert.equal(await valueOf(net.internalZoneName), "apps.cnc.internal");
    });

    it("dev zones are neither protected nor retained and may be destroyed with their records", async () => {
        const { rec } = await build(devArgs());
        for (const z of rec.ofType(ZONE)) {
            assert.equal(z.protect, false);
            assert.equal(z.retainOnDelete, false);
            assert.equal(z.inputs.forceDestroy, true);
        }
    });

    it("existing zones are not created: our VPC is associated with them by ID", async () => {
        const { rec, net } = await build({
            ...prodArgs(),
            monitoringZone: { name: "monitoring.cnc.internal.", existingZoneId: "Z0123456789MONITOR" },
            internalZone: { name: "apps.cnc.internal", existingZoneId: "Z0123456789APPS" },
        });
        assert.equal(rec.ofType(ZONE).length, 0);
        const assocs = rec.ofType(ZONE_ASSOC);
        assert.deepEqual(
            assocs.map((a) => [a.name, a.inputs.zoneId, a.inputs.vpcId]).sort(),
            [
                ["net-internal-zone-self", "Z0123456789APPS", vpcId("net")],
                ["net-monitoring-zone-self", "Z0123456789MONITOR", vpcId("net")],
            ],
        );
        assert.equal(await valueOf(net.monitoringZoneId), "Z0123456789MONITOR");
        assert.equal(await valueOf(net.monitoringZoneName), "monitoring.cnc.internal");
        assert.equal(await valueOf(net.internalZoneId), "Z0123456789APPS");
    });

    it("same-account VPCs get associations; cross-account VPCs get authorizations only", async () => {
        const { rec } = await build({
            ...prodArgs(),
            zoneAssociations: [
                { vpcId: "vpc-0aaaaaaaaaaaaaaaa", vpcRegion: "us-east-1" },
                { vpcId: "vpc-0bbbbbbbbbbbbbbbb", accountId: "210987654321", zones: ["monitoring"] },
            ],
        });
        const monitoringId = rec.one(ZONE, "net-monitoring-zone").state.zoneId;
        const internalId = rec.one(ZONE, "net-internal-zone").state.zoneId;
        const assocs = rec.ofType(ZONE_ASSOC).map((a) => ({ name: a.name, ...a.inputs }));
        assert.deepEqual(
            assocs.sort((a, b) => a.name.localeCompare(b.name)),
            [
                { name: "net-internal-zone-assoc-vpc-0aaaaaaaaaaaaaaaa", zoneId: internalId, vpcId: "vpc-0aaaaaaaaaaaaaaaa", vpcRegion: "us-east-1" },
                { name: "net-monitoring-zone-assoc-vpc-0aaaaaaaaaaaaaaaa", zoneId: monitoringId, vpcId: "vpc-0aaaaaaaaaaaaaaaa", vpcRegion: "us-east-1" },
            ],
        );
        const auths = rec.ofType(ZONE_AUTH);
        assert.equal(auths.length, 1);
        assert.equal(auths[0].name, "net-monitoring-zone-auth-vpc-0bbbbbbbbbbbbbbbb");
        assert.deepEqual(auths[0].inputs, { zoneId: monitoringId, vpcId: "vpc-0bbbbbbbbbbbbbbbb" });
        assertChildOf(rec, auths[0]);
    });
});

describe("CommandControlNetwork: Route 53 Resolver", () => {
    const resolverArgs = (): CommandControlNetworkArgs => ({
        ...prodArgs(),
        resolver: {
            inbound: true,
            allowedCidrs: ["10.100.0.0/16", "10.101.0.0/16"],
            outbound: true,
            forwardRules: [
                { domain: "corp.example.com", targetIps: ["192.168.1.10", "192.168.2.10"] },
                { domain: "workloads.example.internal.", targetIps: ["10.100.0.2"] },
            ],
        },
    });

    it("inbound endpoint in every private subnet, reachable on DNS from the allowed CIDRs only", async () => {
        const { rec, net } = await build(resolverArgs());
        const inbound = rec.one(RESOLVER_ENDPOINT, "net-resolver-inbound");
        assert.equal(inbound.inputs.direction, "INBOUND");
        assert.deepEqual(inbound.inputs.ipAddresses, privateSubnets("net", 3).map((subnetId) => ({ subnetId })));
        assert.deepEqual(inbound.inputs.protocols, ["Do53"]);
        const sg = rec.one(SG, "net-resolver-inbound");
        assert.deepEqual(inbound.inputs.securityGroupIds, [`${sg.name}-id`]);
        assert.deepEqual(sg.inputs.ingress, [
            { description: "DNS (udp) from allowed networks", protocol: "udp", fromPort: 53, toPort: 53, cidrBlocks: ["10.100.0.0/16", "10.101.0.0/16"] },
            { description: "DNS (tcp) from allowed networks", protocol: "tcp", fromPort: 53, toPort: 53, cidrBlocks: ["10.100.0.0/16", "10.101.0.0/16"] },
        ]);
        assert.equal(sg.inputs.egress, undefined);
        assert.deepEqual(await valueOf(net.resolverInboundIps), [0, 1, 2].map((n) => resolverIp("net-resolver-inbound", n)));
    });

    it("outbound endpoint and one FORWARD rule per domain, associated with our VPC; egress only to the targets", async () => {
        const { rec, net } = await build(resolverArgs());
        const outbound = rec.one(RESOLVER_ENDPOINT, "net-resolver-outbound");
        assert.equal(outbound.inputs.direction, "OUTBOUND");
        assert.equal(await valueOf(net.resolverOutboundEndpointId), "net-resolver-outbound-id");
        const sg = rec.one(SG, "net-resolver-outbound");
        assert.equal(sg.inputs.ingress, undefined);
        const targets = ["192.168.1.10/32", "192.168.2.10/32", "10.100.0.2/32"];
        assert.deepEqual(sg.inputs.egress, [
            { description: "DNS (udp) to forwarding targets", protocol: "udp", fromPort: 53, toPort: 53, cidrBlocks: targets },
            { description: "DNS (tcp) to forwarding targets", protocol: "tcp", fromPort: 53, toPort: 53, cidrBlocks: targets },
        ]);
        const rules = rec.ofType(RESOLVER_RULE).sort((a, b) => a.name.localeCompare(b.name));
        assert.deepEqual(
            rules.map((r) => [r.name, r.inputs.domainName, r.inputs.ruleType, r.inputs.resolverEndpointId, r.inputs.targetIps]),
            [
                ["net-fwd-corp-example-com", "corp.example.com", "FORWARD", "net-resolver-outbound-id", [{ ip: "192.168.1.10", port: 53 }, { ip: "192.168.2.10", port: 53 }]],
                ["net-fwd-workloads-example-internal", "workloads.example.internal", "FORWARD", "net-resolver-outbound-id", [{ ip: "10.100.0.2", port: 53 }]],
            ],
        );
        const assocs = rec.ofType(RESOLVER_RULE_ASSOC).sort((a, b) => a.name.localeCompare(b.name));
        assert.deepEqual(
            assocs.map((a) => [a.name, a.inputs.resolverRuleId, a.inputs.vpcId]),
            [
                ["net-fwd-corp-example-com-assoc", "net-fwd-corp-example-com-id", vpcId("net")],
                ["net-fwd-workloads-example-internal-assoc", "net-fwd-workloads-example-internal-id", vpcId("net")],
            ],
        );
    });

    it("disabled: no endpoints, rules or their security groups; empty outputs", async () => {
        const { rec, net } = await build(prodArgs());
        for (const t of [RESOLVER_ENDPOINT, RESOLVER_RULE, RESOLVER_RULE_ASSOC]) assert.equal(rec.ofType(t).length, 0, t);
        assert.deepEqual(rec.ofType(SG).map((s) => s.name), ["net-endpoints"]);
        assert.deepEqual(await valueOf(net.resolverInboundIps), []);
        assert.equal(await valueOf(net.resolverOutboundEndpointId), "");
    });

    it("inbound only: no outbound endpoint and no rules", async () => {
        const { rec } = await build({ ...prodArgs(), resolver: { inbound: true, allowedCidrs: ["10.100.0.0/16"] } });
        assert.deepEqual(rec.ofType(RESOLVER_ENDPOINT).map((e) => e.name), ["net-resolver-inbound"]);
        assert.equal(rec.ofType(RESOLVER_RULE).length, 0);
    });
});

describe("CommandControlNetwork: Transit Gateway", () => {
    it("attaches the private subnets and routes each workload CIDR from every private route table", async () => {
        const { rec, net } = await build({ ...prodArgs(), transitGateway: { transitGatewayId: "tgw-0123456789abcdef0", routeCidrs: ["10.100.0.0/16", "172.16.0.0/12"] } });
        const attachment = rec.one(TGW_ATTACHMENT, "net-tgw");
        assert.equal(attachment.inputs.transitGatewayId, "tgw-0123456789abcdef0");
        assert.equal(attachment.inputs.vpcId, vpcId("net"));
        assert.deepEqual(attachment.inputs.subnetIds, privateSubnets("net", 3));
        assert.equal(attachment.inputs.dnsSupport, "enable");
        assert.equal(await valueOf(net.transitGatewayAttachmentId), "net-tgw-id");

        const routes = rec.ofType(ROUTE);
        const tables = privateSubnets("net", 3).map(routeTableFor);
        const expected = tables.flatMap((rtb, i) =>
            ["10.100.0.0/16", "172.16.0.0/12"].map((cidr) => [`net-tgw-az${i + 1}-${cidr.replace(/[./]/g, "-")}`, rtb, cidr, "tgw-0123456789abcdef0"]),
        );
        assert.deepEqual(
            routes.map((r) => [r.name, r.inputs.routeTableId, r.inputs.destinationCidrBlock, r.inputs.transitGatewayId]).sort(),
            expected.sort(),
        );
        for (const r of routes) {
            assertChildOf(rec, r);
            assert.ok(r.dependencies.includes(attachment.urn), `${r.name} does not wait for the attachment`);
        }
        // Public route tables keep their internet route only: no TGW route points at a public subnet's table.
        assert.ok(routes.every((r) => !publicSubnets("net", 3).map(routeTableFor).includes(r.inputs.routeTableId)));
    });

    it("disabled: no attachment, no routes, empty attachment ID", async () => {
        const { rec, net } = await build(prodArgs());
        assert.equal(rec.ofType(TGW_ATTACHMENT).length, 0);
        assert.equal(rec.ofType(ROUTE).length, 0);
        assert.equal(await valueOf(net.transitGatewayAttachmentId), "");
    });
});

describe("CommandControlNetwork: flow logs", () => {
    it("flow log of ALL traffic to a log group with the configured retention, via a role scoped to that group", async () => {
        const { rec, net } = await build(prodArgs());
        const group = rec.one("aws:cloudwatch/logGroup:LogGroup", "net-flow-logs");
        assert.equal(group.inputs.retentionInDays, 90);
        assert.equal(group.inputs.namePrefix, "/aws/vpc-flow-logs/cloud-prod-vpc-");
        assert.equal(await valueOf(net.flowLogGroupName), group.state.name);

        const role = rec.one("aws:iam/role:Role", "net-flow-logs");
        assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "VpcFlowLogsDelivery",
                    Effect: "Allow",
                    Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
                        ArnLike: { "aws:SourceArn": `arn:aws:ec2:${DEFAULT_REGION}:${ACCOUNT_ID}:vpc-flow-log/*` },
                    },
                },
            ],
        });
        assert.equal(role.inputs.managedPolicyArns, undefined);

        const policy = rec.one("aws:iam/rolePolicy:RolePolicy", "net-flow-logs");
        assert.equal(policy.inputs.role, role.state.name);
        assert.deepEqual(JSON.parse(policy.inputs.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "WriteFlowLogsToOwnGroup",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                    Resource: [group.state.arn, `${group.state.arn}:log-stream:*`],
                },
            ],
        });
        assert.equal(rec.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0);

        const flow = rec.one("aws:ec2/flowLog:FlowLog", "net-flow-logs");
        assert.equal(flow.inputs.vpcId, vpcId("net"));
        assert.equal(flow.inputs.trafficType, "ALL");
        assert.equal(flow.inputs.logDestinationType, "cloud-watch-logs");
        assert.equal(flow.inputs.logDestination, group.state.arn);
        assert.equal(flow.inputs.iamRoleArn, role.state.arn);
        assert.ok(flow.dependencies.includes(policy.urn), "the flow log must wait for the role's policy");
    });

    it("dev retention comes from the args", async () => {
        const { rec } = await build(devArgs());
        assert.equal(rec.one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 7);
    });
});

describe("CommandControlNetwork: outputs and shape", () => {
    it("exposes every output; the component registers exactly the expected resources for prod defaults", async () => {
        const { rec, net } = await build(prodArgs());
        assert.equal(await valueOf(net.vpcId), vpcId("net"));
        assert.equal(await valueOf(net.vpcCidr), "10.80.0.0/16");
        assert.deepEqual(await valueOf(net.privateSubnetIds), privateSubnets("net", 3));
        assert.deepEqual(await valueOf(net.publicSubnetIds), publicSubnets("net", 3));
        assert.deepEqual(await valueOf(net.privateSubnetCidrs), ["10.80.0.0/19", "10.80.32.0/19", "10.80.64.0/19"]);
        assert.deepEqual(await valueOf(net.publicSubnetCidrs), ["10.80.96.0/24", "10.80.97.0/24", "10.80.98.0/24"]);
        assert.deepEqual(await valueOf(net.availabilityZones), ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        assert.deepEqual(rec.countByType(), {
            [COMPONENT]: 1,
            [VPC]: 1,
            [SG]: 1,
            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
            [ENDPOINT]: 7,
            [ZONE]: 2,
            "aws:cloudwatch/logGroup:LogGroup": 1,
            "aws:iam/role:Role": 1,
            "aws:iam/rolePolicy:RolePolicy": 1,
            "aws:ec2/flowLog:FlowLog": 1,
        });
        for (const r of rec.resources.filter((x) => x.type !== COMPONENT)) assertChildOf(rec, r);
    });

    it("invalid args throw one InvalidArgsError listing every problem, before anything is registered", async () => {
        const { rec } = await setupNetworkPulumi();
        let error: unknown;
        try {
            new CommandControlNetwork("bad", {
                ...prodArgs(),
                vpcCidr: "10.0.0.0/24",
                availabilityZoneCount: 6,
                flowLogRetentionDays: 45,
                monitoringZone: { name: "monitoring.cnc.internal", existingZoneId: "zabc" },
                transitGateway: { transitGatewayId: "tgw-0123456789abcdef0", routeCidrs: ["10.0.0.0/16"] },
            });
        } catch (e) {
            error = e;
        }
        await settle();
        assert.ok(error instanceof InvalidArgsError, `expected InvalidArgsError, got ${error}`);
        assert.equal(
            error.message,
            [
                "CommandControlNetwork bad: 4 invalid settings:",
                `  - flowLogRetentionDays: expected one of CloudWatch Logs' retention periods in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, found 45`,
                '  - monitoringZone.existingZoneId: expected a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ, found "zabc"',
                '  - vpcCidr: expected a VPC CIDR large enough for 6 private /27 and 6 public /27 subnets (384 addresses; a /24 has 256): use a larger block, fewer AZs or smaller subnets, found "10.0.0.0/24"',
                '  - transitGateway.routeCidrs[0]: expected a CIDR block that does not overlap the VPC CIDR 10.0.0.0/24, found "10.0.0.0/16"',
            ].join("\n"),
        );
        assert.deepEqual(rec.resources, [], "nothing may be registered when args are invalid");
    });
});
