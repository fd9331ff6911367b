import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { parseArgs } from "../common/schema";
import { statefulOptions } from "../common/stateful";
import { endpointServiceName, flowLogTrustPolicy, flowLogWritePolicy, planNetwork, SgRule, ZonePlan } from "./plan";
import { networkSchema } from "./schema";

/** VPC endpoints; each switch defaults to on. */
export interface NetworkEndpointsArgs {
    /** S3 gateway endpoint on the private route tables (free; ECR image layers and Thanos blocks). Default true. */
    s3?: boolean;
    /** STS interface endpoint (IRSA token exchange). Default true. */
    sts?: boolean;
    /** ECR API interface endpoint (image manifests, auth). Default true. */
    ecrApi?: boolean;
    /** ECR Docker registry interface endpoint (image pulls). Default true. */
    ecrDkr?: boolean;
    /** CloudWatch Logs interface endpoint (Fluent Bit, Lambda, control-plane log readers). Default true. */
    logs?: boolean;
    /** EC2 interface endpoint (VPC CNI, EBS CSI, node bootstrap). Default true. */
    ec2?: boolean;
    /** Elastic Load Balancing interface endpoint (AWS Load Balancer Controller). Default true. */
    elasticLoadBalancing?: boolean;
}

/** A private hosted zone: created here, or an existing one used by ID. */
export interface NetworkZoneArgs {
    /** DNS name of the zone, e.g. monitoring.cloud-cnc.internal (lowercase; a trailing dot is ignored). */
    name?: string;
    /** ID of an existing private hosted zone (Z...) to use instead of creating one; this VPC is associated with it. */
    existingZoneId?: string;
}

/** Another VPC that must resolve our private zones. */
export interface NetworkZoneAssociationArgs {
    /** ID of the other VPC (vpc-...). */
    vpcId: string;
    /** Region of the other VPC; default: the provider's region. */
    vpcRegion?: string;
    /**
     * Account that owns the other VPC, when it is not this account. Then only an association
     * authorization is created here and that account completes the association
     * (aws.route53.ZoneAssociation in its own stack). Leave unset for VPCs in this account.
     */
    accountId?: string;
    /** Which zones to associate: "monitoring", "internal". Default both. */
    zones?: string[];
}

/** A Resolver forwarding rule: queries for the domain go to the target resolvers. */
export interface NetworkForwardRuleArgs {
    /** Domain to forward, e.g. workloads.example.internal (the rule covers its subdomains). */
    domain: string;
    /** IPv4 addresses of the target DNS servers (port 53), 1 to 6. */
    targetIps: string[];
}

/** Route 53 Resolver endpoints and forwarding rules (the managed replacement for the original Bind9 servers). */
export interface NetworkResolverArgs {
    /** Create an inbound endpoint (one IP per private subnet) so other networks can forward our zones to us. Default false. */
    inbound?: boolean;
    /** Source CIDRs allowed to query the inbound endpoint (DNS, TCP and UDP 53); private ranges only (RFC 1918, RFC 6598). Required when inbound is on. Default none. */
    allowedCidrs?: string[];
    /** Create an outbound endpoint for the forwarding rules. Default false. */
    outbound?: boolean;
    /** Forwarding rules, associated with this VPC; need outbound. Default none. */
    forwardRules?: NetworkForwardRuleArgs[];
}

/** Attachment of the private subnets to a Transit Gateway, with routes to the workload networks. */
export interface NetworkTransitGatewayArgs {
    /** ID of the Transit Gateway (tgw-...), possibly shared from another account through RAM. */
    transitGatewayId: string;
    /** Workload CIDR blocks routed through the Transit Gateway from every private route table; private ranges only (RFC 1918, RFC 6598). Default none. */
    routeCidrs?: string[];
}

/** Arguments of CommandControlNetwork. */
export interface CommandControlNetworkArgs {
    /** Environment name, e.g. dev or prod: part of physical names (`<prefix>-<env>-vpc`, ...). */
    environment: string;
    /** Name prefix of physical names, e.g. cloud. */
    prefix: string;
    /** Sizing profile, "production" or "development": production defaults to a NAT gateway per AZ, 365-day flow logs and protected zones; development to one NAT gateway and 14-day flow logs. */
    profile: string;
    /** IPv4 CIDR block of the VPC, /16 to /24, inside RFC 1918 or RFC 6598 space, e.g. 10.80.0.0/16. */
    vpcCidr: string;
    /** Number of availability zones (the region's first N), 1 to 6. Default 3. */
    availabilityZoneCount?: number;
    /** Explicit availability zone names instead of the region's first N; the count then follows the list. */
    availabilityZoneNames?: string[];
    /** NAT gateways: "perAz" (one per AZ) or "single" (one for the VPC). Default "perAz" under the production profile, else "single". */
    natGateways?: string;
    /** Prefix length of each private subnet (nodes, pods, data services). Default: VPC prefix + 3 (a /19 in a /16). */
    privateSubnetMask?: number;
    /** Prefix length of each public subnet (NAT gateways, internet-facing load balancers), at most 27. Default: VPC prefix + 8, at most 27. */
    publicSubnetMask?: number;
    /** Extra tags on the private subnets, e.g. karpenter.sh/discovery. The load-balancer role tags are always set. */
    privateSubnetTags?: Record<string, string>;
    /** VPC endpoints to create; each defaults to on. */
    endpoints?: NetworkEndpointsArgs;
    /** Retention of the VPC flow-log group in days (a CloudWatch Logs retention value). Default 365 under the production profile, else 14. */
    flowLogRetentionDays?: number;
    /** The monitoring zone, where workload clusters register `<clusterID>-grpc.<zone>` and `<clusterID>.<zone>`. Default: a new zone monitoring.cnc.internal. */
    monitoringZone?: NetworkZoneArgs;
    /** The internal application zone (Grafana, Alertmanager, provisioner UIs). Default: a new zone apps.cnc.internal. */
    internalZone?: NetworkZoneArgs;
    /** Other VPCs that must resolve the zones (same account: association; other account: authorization). */
    zoneAssociations?: NetworkZoneAssociationArgs[];
    /** Route 53 Resolver endpoints and forwarding rules; none by default. */
    resolver?: NetworkResolverArgs;
    /** Transit Gateway attachment; none when unset. */
    transitGateway?: NetworkTransitGatewayArgs;
    /** Protect and retain the hosted zones created here. Default: true under the production profile. */
    deletionProtection?: boolean;
}

function sgRules(rules: SgRule[]): aws.types.input.ec2.SecurityGroupIngress[] {
    return rules.map((r) => ({ description: r.description, protocol: r.protocol, fromPort: r.fromPort, toPort: r.toPort, cidrBlocks: r.cidrBlocks }));
}

/**
 * The C&C cluster's network: an awsx VPC with private and public subnets per AZ and NAT, VPC
 * endpoints, the private monitoring and internal hosted zones with their associations, Route 53
 * Resolver endpoints and forwarding rules, an optional Transit Gateway attachment, and VPC flow logs.
 */
export class CommandControlNetwork extends pulumi.ComponentResource {
    /** ID of the VPC. */
    public readonly vpcId: pulumi.Output<string>;
    /** IPv4 CIDR block of the VPC. */
    public readonly vpcCidr: pulumi.Output<string>;
    /** Private subnet IDs, one per AZ in AZ order (nodes, pods, data services, internal load balancers). */
    public readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Public subnet IDs, one per AZ in AZ order (NAT gateways, internet-facing load balancers). */
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Private subnet CIDR blocks, in AZ order. */
    public readonly privateSubnetCidrs: pulumi.Output<string[]>;
    /** Public subnet CIDR blocks, in AZ order. */
    public readonly publicSubnetCidrs: pulumi.Output<string[]>;
    /** Route table IDs of the private subnets, in AZ order. */
    public readonly privateRouteTableIds: pulumi.Output<string[]>;
    /** Availability zone names the subnets are in, in order. */
    public readonly availabilityZones: pulumi.Output<string[]>;
    /** ID of the monitoring hosted zone (created or existing). */
    public readonly monitoringZoneId: pulumi.Output<string>;
    /** Name of the monitoring hosted zone. */
    public readonly monitoringZoneName: pulumi.Output<string>;
    /** ID of the internal application hosted zone (created or existing). */
    public readonly internalZoneId: pulumi.Output<string>;
    /** Name of the internal application hosted zone. */
    public readonly internalZoneName: pulumi.Output<string>;
    /** IP addresses of the Resolver inbound endpoint (forward our zones here); empty when there is none. */
    public readonly resolverInboundIps: pulumi.Output<string[]>;
    /** ID of the Resolver outbound endpoint; empty when there is none. */
    public readonly resolverOutboundEndpointId: pulumi.Output<string>;
    /** ID of the Transit Gateway VPC attachment; empty when there is none. */
    public readonly transitGatewayAttachmentId: pulumi.Output<string>;
    /** Name of the CloudWatch log group that receives the VPC flow logs. */
    public readonly flowLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: CommandControlNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = parseArgs(`CommandControlNetwork ${name}`, networkSchema, args);
        super("cloud-cnc:index:CommandControlNetwork", name, {}, opts);
        const plan = planNetwork(settings);
        const names = plan.names;
        const parent = { parent: this };

        const region = aws.getRegionOutput({}, parent).region;
        const partition = aws.getPartitionOutput({}, parent).partition;
        const accountId = aws.getCallerIdentityOutput({}, parent).accountId;

        // VPC. awsx is a remote component: only the `providers` it is given explicitly reach it.
        const awsProvider = this.getProvider("aws::");
        const vpc = new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: plan.vpcCidr,
                ...(plan.azNames.length > 0 ? { availabilityZoneNames: plan.azNames } : { numberOfAvailabilityZones: plan.azCount }),
                enableDnsHostnames: true, // private hosted zones and interface endpoints' private DNS need both
                enableDnsSupport: true,
                natGateways: { strategy: plan.natStrategy },
                tags: { Name: names.vpc },
                subnetStrategy: "Auto",
                subnetSpecs: [
                    { type: "Private", name: "private", cidrBlocks: plan.subnets.private, tags: plan.privateSubnetTags },
                    { type: "Public", name: "public", cidrBlocks: plan.subnets.public, tags: plan.publicSubnetTags },
                ],
            },
            { parent: this, ...(awsProvider ? { providers: [awsProvider] } : {}) },
        );
        const vpcId = vpc.vpcId;
        const privateSubnetIds = vpc.privateSubnetIds;

        // Adopt the VPC's default security group and strip its rules: nothing may rely on it.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId, tags: { Name: names.defaultSecurityGroup } }, parent);

        // awsx gives every subnet its own route table. Look each private one up by its subnet's
        // association: one invoke per AZ, so the number of routes is known at preview.
        const routeTableIds = Array.from({ length: plan.azCount }, (_, i) =>
            aws.ec2.getRouteTableOutput({ vpcId, subnetId: privateSubnetIds.apply((ids) => ids[i]) }, parent).routeTableId,
        );
        const privateRouteTableIds = pulumi.all(routeTableIds);

        // VPC endpoints.
        const interfaceEndpoints = plan.endpoints.filter((e) => e.type === "Interface");
        const endpointSg =
            interfaceEndpoints.length > 0
                ? new aws.ec2.SecurityGroup(
                      `${name}-endpoints`,
                      { vpcId, namePrefix: `${names.endpointsSecurityGroup}-`, description: "Interface VPC endpoints: HTTPS from inside the VPC", ingress: sgRules(plan.endpointIngress), tags: { Name: names.endpointsSecurityGroup } },
                      parent,
                  )
                : undefined;
        for (const e of plan.endpoints) {
            const serviceName = region.apply((r) => endpointServiceName(r, e.service));
            new aws.ec2.VpcEndpoint(
                `${name}-vpce-${e.role}`,
                e.type === "Gateway"
                    ? { vpcId, serviceName, vpcEndpointType: "Gateway", routeTableIds: privateRouteTableIds, tags: { Name: names.endpoint(e.role) } }
                    : {
                          vpcId,
                          serviceName,
                          vpcEndpointType: "Interface",
                          subnetIds: privateSubnetIds,
                          securityGroupIds: [endpointSg!.id],
                          privateDnsEnabled: true,
                          tags: { Name: names.endpoint(e.role) },
                      },
                parent,
            );
        }

        // Private hosted zones.
        const zoneIds = {} as Record<ZonePlan["key"], pulumi.Output<string>>;
        for (const z of plan.zones) {
            if (z.create) {
                const zone = new aws.route53.Zone(
                    `${name}-${z.role}`,
                    {
                        name: z.name,
                        comment: `cloud-cnc ${z.key} zone of ${names.vpc}`,
                        vpcs: [{ vpcId }],
                        // Records are written by workload clusters and the registrar; in dev the zone may go with them.
                        forceDestroy: !settings.deletionProtection,
                    },
                    // Other VPCs are attached by ZoneAssociation (here or in their own account): the zone must not fight them.
                    statefulOptions(settings.deletionProtection, { parent: this, ignoreChanges: ["vpcs"] }),
                );
                zoneIds[z.key] = zone.zoneId;
            } else {
                new aws.route53.ZoneAssociation(`${name}-${z.role}-self`, { zoneId: z.existingZoneId, vpcId }, parent);
                zoneIds[z.key] = pulumi.output(z.existingZoneId);
            }
        }
        for (const a of plan.associations) {
            const common = { zoneId: zoneIds[a.zoneKey], vpcId: a.vpcId, ...(a.vpcRegion ? { vpcRegion: a.vpcRegion } : {}) };
            if (a.kind === "association") new aws.route53.ZoneAssociation(`${name}-${a.role}`, common, parent);
            else new aws.route53.VpcAssociationAuthorization(`${name}-${a.role}`, common, parent);
        }

        // Route 53 Resolver.
        const ipAddresses = privateSubnetIds.apply((ids) => ids.map((subnetId) => ({ subnetId })));
        let resolverInboundIps: pulumi.Output<string[]> = pulumi.output([]);
        let resolverOutboundEndpointId: pulumi.Output<string> = pulumi.output("");
        if (plan.resolver.inbound) {
            const sg = new aws.ec2.SecurityGroup(
                `${name}-resolver-inbound`,
                { vpcId, namePrefix: `${names.resolverInbound}-`, description: "Route 53 Resolver inbound endpoint: DNS from allowed networks", ingress: sgRules(plan.resolver.inboundIngress), tags: { Name: names.resolverInbound } },
                parent,
            );
            const inbound = new aws.route53.ResolverEndpoint(
                `${name}-resolver-inbound`,
                { name: names.resolverInbound, direction: "INBOUND", securityGroupIds: [sg.id], ipAddresses, protocols: ["Do53"] },
                parent,
            );
            resolverInboundIps = inbound.ipAddresses.apply((ips) => ips.map((ip) => ip.ip));
        }
        if (plan.resolver.outbound) {
            const sg = new aws.ec2.SecurityGroup(
                `${name}-resolver-outbound`,
                { vpcId, namePrefix: `${names.resolverOutbound}-`, description: "Route 53 Resolver outbound endpoint: DNS to forwarding targets", egress: sgRules(plan.resolver.outboundEgress), tags: { Name: names.resolverOutbound } },
                parent,
            );
            const outbound = new aws.route53.ResolverEndpoint(
                `${name}-resolver-outbound`,
                { name: names.resolverOutbound, direction: "OUTBOUND", securityGroupIds: [sg.id], ipAddresses, protocols: ["Do53"] },
                parent,
            );
            resolverOutboundEndpointId = outbound.id;
            for (const r of plan.resolver.rules) {
                const rule = new aws.route53.ResolverRule(
                    `${name}-${r.role}`,
                    { name: names.forwardRule(r.role), domainName: r.domain, ruleType: "FORWARD", resolverEndpointId: outbound.id, targetIps: r.targetIps },
                    parent,
                );
                new aws.route53.ResolverRuleAssociation(`${name}-${r.role}-assoc`, { resolverRuleId: rule.id, vpcId }, parent);
            }
        }

        // Transit Gateway.
        let transitGatewayAttachmentId: pulumi.Output<string> = pulumi.output("");
        if (plan.transitGateway.enabled) {
            const attachment = new aws.ec2transitgateway.VpcAttachment(
                `${name}-tgw`,
                { transitGatewayId: plan.transitGateway.transitGatewayId, vpcId, subnetIds: privateSubnetIds, dnsSupport: "enable", tags: { Name: names.transitGatewayAttachment } },
                parent,
            );
            transitGatewayAttachmentId = attachment.id;
            for (const r of plan.transitGateway.routes) {
                new aws.ec2.Route(
                    `${name}-${r.role}`,
                    { routeTableId: routeTableIds[r.azIndex], destinationCidrBlock: r.destinationCidr, transitGatewayId: plan.transitGateway.transitGatewayId },
                    { parent: this, dependsOn: [attachment] },
                );
            }
        }

        // Flow logs.
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, { namePrefix: names.flowLogGroupPrefix, retentionInDays: plan.flowLogRetentionDays }, parent);
        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                namePrefix: names.flowLogRolePrefix,
                description: `VPC flow logs of ${names.vpc} to CloudWatch Logs`,
                assumeRolePolicy: pulumi.all([accountId, partition, region]).apply(([acct, part, reg]) => JSON.stringify(flowLogTrustPolicy(acct, part, reg))),
            },
            parent,
        );
        const rolePolicy = new aws.iam.RolePolicy(`${name}-flow-logs`, { role: role.name, policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogWritePolicy(arn))) }, parent);
        new aws.ec2.FlowLog(
            `${name}-flow-logs`,
            { vpcId, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: logGroup.arn, iamRoleArn: role.arn, maxAggregationInterval: 600, tags: { Name: names.flowLog } },
            { parent: this, dependsOn: [rolePolicy] },
        );

        this.vpcId = vpcId;
        this.vpcCidr = pulumi.output(plan.vpcCidr);
        this.privateSubnetIds = privateSubnetIds;
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetCidrs = pulumi.output(plan.subnets.private);
        this.publicSubnetCidrs = pulumi.output(plan.subnets.public);
        this.privateRouteTableIds = privateRouteTableIds;
        // awsx takes the first N names of getAvailabilityZones when it is not given names; so do we.
        this.availabilityZones =
            plan.azNames.length > 0 ? pulumi.output(plan.azNames) : aws.getAvailabilityZonesOutput({}, parent).names.apply((n) => n.slice(0, plan.azCount));
        this.monitoringZoneId = zoneIds.monitoring;
        this.monitoringZoneName = pulumi.output(plan.zones[0].name);
        this.internalZoneId = zoneIds.internal;
        this.internalZoneName = pulumi.output(plan.zones[1].name);
        this.resolverInboundIps = resolverInboundIps;
        this.resolverOutboundEndpointId = resolverOutboundEndpointId;
        this.transitGatewayAttachmentId = transitGatewayAttachmentId;
        this.flowLogGroupName = logGroup.name;

        this.registerOutputs({
            vpcId: this.vpcId,
            vpcCidr: this.vpcCidr,
            privateSubnetIds: this.privateSubnetIds,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetCidrs: this.privateSubnetCidrs,
            publicSubnetCidrs: this.publicSubnetCidrs,
            privateRouteTableIds: this.privateRouteTableIds,
            availabilityZones: this.availabilityZones,
            monitoringZoneId: this.monitoringZoneId,
            monitoringZoneName: this.monitoringZoneName,
            internalZoneId: this.internalZoneId,
            internalZoneName: this.internalZoneName,
            resolverInboundIps: this.resolverInboundIps,
            resolverOutboundEndpointId: this.resolverOutboundEndpointId,
            transitGatewayAttachmentId: this.transitGatewayAttachmentId,
            flowLogGroupName: this.flowLogGroupName,
        });
    }
}
