// DnsRegistrar's rule book (components/dns-registrar/schema.ts) without mocks: defaults, profile
// defaults, field and cross-field rules, Inputs that pass unchecked.
import { strict as assert } from "assert";
import { renderProblem } from "../../components/common/errors";
import { argsProblems } from "../../components/common/schema";
import { REGISTRAR_PROFILE_DEFAULTS, dnsRegistrarSchema } from "../../components/dns-registrar/schema";

const base = {
    environment: "dev",
    prefix: "cloud",
    profile: "development",
    region: "eu-west-1",
    clusterName: "cloud-dev-cnc",
    thanosZoneId: "ZTHANOS0001",
    thanosZoneName: "thanos.fleet.internal",
    prometheusZoneId: "ZPROM0002",
    prometheusZoneName: "prometheus.fleet.internal",
};

const problems = (args: Record<string, unknown>) => argsProblems(dnsRegistrarSchema, args).map(renderProblem);

describe("DnsRegistrar schema (the one rule book)", () => {
    it("profile defaults: 90-day logs under production, 30 under development; nothing else depends on the profile", () => {
        assert.deepEqual(REGISTRAR_PROFILE_DEFAULTS, { production: { logRetentionDays: 90 }, development: { logRetentionDays: 30 } });
        const dev = dnsRegistrarSchema.parse(base);
        const prod = dnsRegistrarSchema.parse({ ...base, profile: "production" });
        assert.equal(dev.logRetentionDays, 30);
        assert.equal(prod.logRetentionDays, 90);
        const { logRetentionDays: _d, profile: _dp, ...devRest } = dev;
        const { logRetentionDays: _p, profile: _pp, ...prodRest } = prod;
        assert.deepEqual(devRest, prodRest, "the shrink floor and every other default are the same in both profiles");
        assert.equal(dev.shrinkFloorPercent, 50);
        assert.equal(dnsRegistrarSchema.parse({ ...base, profile: "production", logRetentionDays: 7 }).logRetentionDays, 7);
    });

    it("plain defaults: the planner's patterns and ports, the contract's ConfigMaps, not in a VPC", () => {
        const s = dnsRegistrarSchema.parse(base);
        assert.deepEqual(
            [s.grpcPort, s.prometheusPort, s.queryHttpPort, s.thanosNamePattern, s.prometheusNamePattern, s.installationsNamePattern, s.queryNamePattern, s.selfPrometheusTarget, s.selfClusterId],
            [10901, 9090, 80, "{id}-grpc", "{id}", "{id}", "{id}", "prometheus-operated.monitoring.svc:9090", "command-control"],
        );
        assert.deepEqual(
            [s.namespace, s.thanosEndpointsConfigMap, s.federationTargetsConfigMap, s.probeTargetsConfigMap, s.leafQueryTargetsConfigMap],
            ["monitoring", "thanos-query-endpoints", "prometheus-federation-targets", "blackbox-probe-targets", "thanos-query-targets"],
        );
        assert.deepEqual(
            [s.scheduleExpression, s.memorySize, s.timeout, s.maximumRetryAttempts, s.maximumEventAgeSeconds, s.kubernetesGroup, s.allowConfigMapCreate],
            ["rate(5 minutes)", 512, 60, 2, 3600, "cloud-cnc:dns-registrar", false],
        );
        assert.deepEqual(s.tags, {});
        assert.equal(s.inVpc, false);
    });

    it("requires the stack settings and the watched zones", () => {
        assert.deepEqual(problems({}), [
            "environment: expected a lowercase name of 2-16 letters, digits and '-' such as dev or prod, found nothing",
            "prefix: expected a lowercase name prefix of 2-16 letters, digits and '-' such as cloud, found nothing",
            'profile: expected a sizing profile: "production" or "development", found nothing',
            "region: expected an AWS region the provider knows, such as eu-west-1, found nothing",
            "clusterName: expected an EKS cluster name of 1-100 letters, digits, '-' and '_' starting with a letter or digit, found nothing",
            "thanosZoneId: expected a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ (a /hostedzone/ prefix is allowed), found nothing",
            "thanosZoneName: expected a lowercase DNS name of at least two labels such as monitoring.cnc.internal, found nothing",
            "prometheusZoneId: expected a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ (a /hostedzone/ prefix is allowed), found nothing",
            "prometheusZoneName: expected a lowercase DNS name of at least two labels such as monitoring.cnc.internal, found nothing",
        ]);
        assert.deepEqual(problems({ ...base, profile: "prod" }), ['profile: expected a sizing profile: "production" or "development", found "prod"']);
    });

    it("zone IDs as Route 53 prints them (with or without /hostedzone/), exclusions in any case", () => {
        assert.deepEqual(problems({ ...base, thanosZoneId: "/hostedzone/ZTHANOS0001", prometheusZoneId: "hostedzone/ZPROM0002", exclusions: ["Legacy", "c1.fleet.internal."] }), []);
        assert.deepEqual(problems({ ...base, thanosZoneId: "/hostedzone/zlower", exclusions: ["a,b", ""] }), [
            'thanosZoneId: expected a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ (a /hostedzone/ prefix is allowed), found "/hostedzone/zlower"',
            'exclusions[0]: expected a cluster ID or DNS name, found "a,b"',
            'exclusions[1]: expected a cluster ID or DNS name, found ""',
        ]);
    });

    it("Outputs and Promises pass unchecked (AWS checks them at deployment); plain values are checked", () => {
        const later = Promise.resolve("anything");
        assert.deepEqual(problems({ ...base, clusterName: later, thanosZoneId: later, thanosZoneName: later, alarmTopicArn: later }), []);
        assert.deepEqual(problems({ ...base, alarmTopicArn: "arn:aws:sqs:eu-west-1:123456789012:q" }), [
            'alarmTopicArn: expected an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:alerts, found "arn:aws:sqs:eu-west-1:123456789012:q"',
        ]);
    });

    it("cross-field rules: zone pairs, four different ConfigMaps, different gRPC and leaf Query patterns, the VPC and cluster security group in a VPC", () => {
        assert.deepEqual(problems({ ...base, installationsZoneName: "cloud.example.com", federationTargetsConfigMap: "thanos-query-endpoints" }), [
            "installationsZoneId: expected to be set together with installationsZoneName, found nothing",
            `federationTargetsConfigMap: expected a ConfigMap name other than thanosEndpointsConfigMap's (each of the four files has its own ConfigMap), found "thanos-query-endpoints"`,
        ]);
        assert.deepEqual(problems({ ...base, thanosEndpointsConfigMap: "files", federationTargetsConfigMap: "files", probeTargetsConfigMap: "files", leafQueryTargetsConfigMap: "files" }), [
            `federationTargetsConfigMap: expected a ConfigMap name other than thanosEndpointsConfigMap's (each of the four files has its own ConfigMap), found "files"`,
            `probeTargetsConfigMap: expected a ConfigMap name other than thanosEndpointsConfigMap's (each of the four files has its own ConfigMap), found "files"`,
            `leafQueryTargetsConfigMap: expected a ConfigMap name other than thanosEndpointsConfigMap's (each of the four files has its own ConfigMap), found "files"`,
        ]);
        assert.deepEqual(problems({ ...base, queryNamePattern: "{id}-grpc" }), [
            `queryNamePattern: expected a pattern other than thanosNamePattern's (the leaf Query HTTP names are not the gRPC names), found "{id}-grpc"`,
        ]);
        assert.deepEqual(problems({ ...base, thanosNamePattern: "t-{id}", queryNamePattern: "t-{id}" }).length, 1);
        assert.deepEqual(problems({ ...base, thanosNamePattern: "t-{id}", queryNamePattern: "{id}-grpc" }), [], "the default gRPC pattern is free once the gRPC names are elsewhere");
        // An Output of subnets means a VPC: its length is known only at deployment.
        const subnets = Promise.resolve(["subnet-0123456789abcdef0"]);
        assert.deepEqual(problems({ ...base, subnetIds: subnets }), [
            "vpcId: expected the VPC of subnetIds (required when subnetIds is not empty), found nothing",
            "clusterSecurityGroupId: expected the cluster security group (required when subnetIds is not empty), found nothing",
        ]);
        assert.equal(dnsRegistrarSchema.parse({ ...base, subnetIds: subnets, vpcId: "vpc-0123456789abcdef0", clusterSecurityGroupId: Promise.resolve("sg-x") }).inVpc, true);
        assert.equal(dnsRegistrarSchema.parse({ ...base, subnetIds: [] }).inVpc, false);
        assert.deepEqual(problems({ ...base, subnetIds: ["subnet-1"], vpcId: "vpc-1", clusterSecurityGroupId: "sg-1" }), [
            'vpcId: expected a VPC ID such as vpc-0123456789abcdef0, found "vpc-1"',
            'subnetIds[0]: expected a subnet ID such as subnet-0123456789abcdef0, found "subnet-1"',
            'clusterSecurityGroupId: expected a security group ID such as sg-0123456789abcdef0, found "sg-1"',
        ]);
    });
});
