// Pure decisions of LoggingPipeline: its rule book (schema.ts), sizing, IAM documents, packaging (no mocks).
import { strict as assert } from "assert";
import * as fc from "fast-check";
import {
    BOOTSTRAP_EXCLUDED_PACKAGES,
    BOOTSTRAP_HANDLER_PACKAGES,
    bootstrapCodePathOptions,
    clusterConfig,
    dashboardsUrl,
    domainAccessPolicy,
    domainArn,
    domainIngressRules,
    domainSubnetIds,
    fluentBitPolicy,
    hasWildcardPrincipal,
    logPublishingPolicy,
    loggingPhysicalNames,
    openSearchAlarmSpecs,
    planDomainSizing,
} from "../../components/logging/plan";
import { LOGGING_PROFILE_DEFAULTS, loggingPipelineSchema } from "../../components/logging/schema";
import { renderProblem } from "../../components/common/errors";
import { argsProblems } from "../../components/common/schema";

const ARN = domainArn("aws", "eu-west-1", "123456789012", "cloud-prod-logs");
const SUBNET = (n: number) => `subnet-0${n}${"0".repeat(15)}`;
const SUBNETS = [SUBNET(1), SUBNET(2), SUBNET(3)];

type Args = Record<string, unknown>;

function valid(overrides: Args = {}): Args {
    return {
        environment: "prod",
        prefix: "cloud",
        profile: "production",
        domainName: "cloud-prod-logs",
        vpcId: "vpc-0123456789abcdef0",
        subnetIds: SUBNETS,
        allowedSecurityGroupIds: ["sg-0c1a55e7c0ffee001"],
        instanceType: "r7g.large.search",
        instanceCount: 3,
        zoneAwareness: { enabled: true, availabilityZoneCount: 3 },
        dedicatedMasters: { enabled: true, type: "m7g.large.search", count: 3 },
        ebs: { volumeSizeGiB: 200 },
        clusterId: "cloud-prod-cnc",
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X",
        oidcProviderUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/X",
        ...overrides,
    };
}

const messages = (s: Args) => argsProblems(loggingPipelineSchema, s).map(renderProblem);
const settings = (s: Args) => loggingPipelineSchema.parse(s);

describe("LoggingPipeline plan", () => {
    describe("validation (exact messages)", () => {
        it("accepts the prod and dev shapes", () => {
            assert.deepEqual(messages(valid()), []);
            assert.deepEqual(messages(valid({ profile: "development", instanceType: "m7g.medium.search", instanceCount: 1, zoneAwareness: undefined, dedicatedMasters: undefined, ebs: { volumeSizeGiB: 20 }, subnetIds: [SUBNET(1)] })), []);
        });

        it("domain name rules: 3-28 lowercase letters, digits, hyphens, starting with a letter", () => {
            const expected = (v: string) => `domainName: expected a domain name of 3-28 lowercase letters, digits or '-' starting with a letter, found ${JSON.stringify(v)}`;
            for (const bad of ["ab", "1logs", "Logs", "logs_prod", "a-very-long-domain-name-over-28"]) assert.deepEqual(messages(valid({ domainName: bad })), [expected(bad)]);
            for (const good of ["abc", "cloud-prod-logs", "a234567890123456789012345678"]) assert.deepEqual(messages(valid({ domainName: good })), []);
        });

        it("zone awareness: instance count a multiple of the AZ count; only 2 or 3 AZs", () => {
            assert.deepEqual(messages(valid({ instanceCount: 4 })), ["instanceCount: expected a multiple of the availability zone count (3) with zone awareness, found 4"]);
            assert.deepEqual(messages(valid({ instanceCount: 6 })), []);
            assert.deepEqual(messages(valid({ instanceCount: 3, zoneAwareness: { enabled: true, availabilityZoneCount: 2 } })), ["instanceCount: expected a multiple of the availability zone count (2) with zone awareness, found 3"]);
            assert.deepEqual(messages(valid({ zoneAwareness: { enabled: true, availabilityZoneCount: 4 } })), ["zoneAwareness.availabilityZoneCount: expected 2 or 3 availability zones, found 4"]);
            assert.deepEqual(messages(valid({ instanceCount: 4, zoneAwareness: { enabled: false } })), [], "no rule without zone awareness");
        });

        it("dedicated masters: 3 or 5, with a type", () => {
            for (const count of [1, 2, 4, 6]) {
                assert.deepEqual(messages(valid({ dedicatedMasters: { enabled: true, type: "m7g.large.search", count } })), [`dedicatedMasters.count: expected 3 or 5 dedicated master nodes, found ${count}`]);
            }
            assert.deepEqual(messages(valid({ dedicatedMasters: { enabled: true, type: "m7g.large.search", count: 5 } })), []);
            // The development profile has no master type to offer (production's is m7g.large.search).
            assert.deepEqual(messages(valid({ profile: "development", dedicatedMasters: { enabled: true } })), [
                "dedicatedMasters.type: expected the dedicated master instance type (required when dedicated masters are enabled), such as m7g.large.search, found nothing",
            ]);
            assert.deepEqual(settings(valid({ dedicatedMasters: { enabled: true } })).dedicatedMasters, { enabled: true, type: "m7g.large.search", count: 3 }, "production supplies the type");
        });

        it("retention >= 1 day, ISM sizes/ages, CloudWatch retention values, snapshot hour", () => {
            assert.deepEqual(messages(valid({ retentionDays: 0, rolloverSize: "50GB", rolloverAge: "1w", logRetentionDays: 10, automatedSnapshotStartHour: 24 })), [
                "retentionDays: expected a whole number of days of at least 1, found 0",
                `rolloverSize: expected a size such as 50gb, found "50GB"`,
                `rolloverAge: expected an age such as 1d or 12h, found "1w"`,
                "logRetentionDays: expected a CloudWatch Logs retention (one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), found 10",
                "automatedSnapshotStartHour: expected an hour of the day from 0 to 23 (UTC), found 24",
            ]);
            assert.deepEqual(messages(valid({ retentionDays: 1 })), []);
        });

        it("network: at least one source, never /0, enough subnets for the AZs, IDs well formed", () => {
            assert.deepEqual(messages(valid({ allowedSecurityGroupIds: [], allowedCidrs: [] })), [
                "allowedSecurityGroupIds: expected at least one security group or CIDR block allowed to reach the domain (where Fluent Bit runs), found []",
            ]);
            assert.deepEqual(messages(valid({ allowedSecurityGroupIds: [], allowedCidrs: ["10.100.0.0/16"] })), []);
            assert.deepEqual(messages(valid({ allowedCidrs: ["0.0.0.0/0", "10.1.0.0/33"] })), [
                `allowedCidrs[0]: expected a private IPv4 CIDR block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 (RFC 1918, RFC 6598) such as 10.0.0.0/16, found "0.0.0.0/0"`,
                `allowedCidrs[1]: expected an IPv4 CIDR block such as 10.0.0.0/16, found "10.1.0.0/33"`,
            ]);
            assert.deepEqual(messages(valid({ subnetIds: SUBNETS.slice(0, 2) })), [`subnetIds: expected at least 3 private subnets (one per availability zone the domain uses), found ${JSON.stringify(SUBNETS.slice(0, 2))}`]);
            assert.deepEqual(messages(valid({ allowedSecurityGroupIds: ["default"] })), [`allowedSecurityGroupIds[0]: expected a security group ID such as sg-0123456789abcdef0, found "default"`]);
        });

        it("EBS: gp3 only, size 10-16384, iops/throughput at least the gp3 baseline", () => {
            assert.deepEqual(messages(valid({ ebs: { volumeSizeGiB: 20000, volumeType: "io1", iops: 100, throughput: 100 } })), [
                "ebs.volumeSizeGiB: expected a whole number of GiB from 10 to 16384, found 20000",
                `ebs.volumeType: expected gp3 (the volume type this component provisions), found "io1"`,
                "ebs.iops: expected a whole number of IOPS of at least 3000 (gp3 baseline), found 100",
                "ebs.throughput: expected a whole number of MiB/s of at least 125 (gp3 baseline), found 100",
            ]);
        });

        it("identities: role ARNs, a lowercase cluster id (index names), the OIDC provider", () => {
            assert.deepEqual(messages(valid({ humanReadOnlyRoleArns: ["arn:aws:iam::123456789012:user/alice"], clusterId: "Cloud-Prod", oidcProviderArn: undefined })), [
                `clusterId: expected a cluster id of 1-63 lowercase letters, digits, '.', '_' or '-' (it becomes part of index names), found "Cloud-Prod"`,
                "oidcProviderArn: expected the cluster's IAM OIDC provider ARN (for Fluent Bit's IRSA role), found nothing",
                `humanReadOnlyRoleArns[0]: expected an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin, found "arn:aws:iam::123456789012:user/alice"`,
            ]);
        });

        it("skips values that are still Outputs (known only at deployment)", () => {
            const output = { apply: () => undefined };
            assert.deepEqual(messages(valid({ vpcId: output, subnetIds: output, allowedSecurityGroupIds: [output] })), []);
        });

        it("rules read the profile's defaults: production's 3 AZs need a multiple of 3 nodes and 3 subnets", () => {
            const bare = valid({ instanceType: undefined, instanceCount: undefined, zoneAwareness: undefined, dedicatedMasters: undefined, ebs: undefined });
            assert.deepEqual(messages(bare), []);
            assert.deepEqual(messages({ ...bare, instanceCount: 4, subnetIds: [SUBNET(1)] }), [
                "instanceCount: expected a multiple of the availability zone count (3) with zone awareness, found 4",
                `subnetIds: expected at least 3 private subnets (one per availability zone the domain uses), found ["${SUBNET(1)}"]`,
            ]);
            assert.deepEqual(messages({ ...bare, profile: "development", instanceCount: 4, subnetIds: [SUBNET(1)] }), [], "development: one AZ");
        });

        it("the derived domain name must be valid too, reported at prefix", () => {
            assert.deepEqual(messages(valid({ domainName: undefined, prefix: "platform-team", environment: "staging-eu" })), [
                `prefix: expected a prefix and environment that make a valid default domain name (platform-team-staging-eu-logs is not a domain name of 3-28 lowercase letters, digits or '-' starting with a letter), or set domainName, found "platform-team"`,
            ]);
            assert.deepEqual(messages(valid({ domainName: "fleet-logs", prefix: "platform-team", environment: "staging-eu" })), []);
        });
    });

    describe("profile defaults", () => {
        const bare = (profile: string) => settings(valid({ profile, domainName: undefined, instanceType: undefined, instanceCount: undefined, zoneAwareness: undefined, dedicatedMasters: undefined, ebs: undefined, subnetIds: SUBNETS }));

        it("production: 3 x r7g.large.search over 3 AZs, 3 m7g.large.search masters, 200 GiB gp3, 90-day log retention, protected", () => {
            const s = bare("production");
            assert.deepEqual(
                [s.instanceType, s.instanceCount, s.zoneAwareness, s.dedicatedMasters, s.ebs, s.logRetentionDays, s.deletionProtection],
                ["r7g.large.search", 3, { enabled: true, availabilityZoneCount: 3 }, { enabled: true, type: "m7g.large.search", count: 3 }, { volumeSizeGiB: 200, volumeType: "gp3" }, 90, true],
            );
        });

        it("development: 1 x m7g.medium.search, one AZ, no masters, 20 GiB gp3, 7-day log retention, unprotected", () => {
            const s = bare("development");
            assert.deepEqual(
                [s.instanceType, s.instanceCount, s.zoneAwareness.enabled, s.dedicatedMasters.enabled, s.ebs, s.logRetentionDays, s.deletionProtection],
                ["m7g.medium.search", 1, false, false, { volumeSizeGiB: 20, volumeType: "gp3" }, 7, false],
            );
            assert.equal(planDomainSizing(s).subnetCount, 1);
        });

        it("both profiles: the same plain defaults (index retention 30 days, rollover 50gb/1d, 1 shard, snapshot at 3 UTC, pinned engine), the default domain name", () => {
            for (const profile of ["production", "development"]) {
                const s = bare(profile);
                assert.deepEqual([s.retentionDays, s.rolloverSize, s.rolloverAge, s.indexShards, s.automatedSnapshotStartHour, s.domainName], [30, "50gb", "1d", 1, 3, "cloud-prod-logs"], profile);
                assert.match(s.engineVersion, /^OpenSearch_\d+\.\d+$/);
            }
        });

        it("the environment's name decides nothing: prod on the development profile is sized for development, staging on production for production", () => {
            const sized = (environment: string, profile: string) => {
                const s = settings(valid({ environment, profile, instanceType: undefined, instanceCount: undefined, zoneAwareness: undefined, dedicatedMasters: undefined, ebs: undefined }));
                return [s.instanceType, s.instanceCount, s.logRetentionDays, s.deletionProtection];
            };
            assert.deepEqual(sized("prod", "development"), ["m7g.medium.search", 1, 7, false]);
            assert.deepEqual(sized("staging", "production"), ["r7g.large.search", 3, 90, true]);
        });

        it("explicit args win over the profile, key by key", () => {
            const s = settings(valid({ profile: "production", instanceType: undefined, ebs: { iops: 6000 }, logRetentionDays: 30, deletionProtection: false }));
            assert.deepEqual([s.instanceType, s.ebs, s.logRetentionDays, s.deletionProtection], ["r7g.large.search", { volumeSizeGiB: 200, volumeType: "gp3", iops: 6000 }, 30, false]);
        });

        it("the table covers exactly the profile-dependent args", () => {
            assert.deepEqual(Object.keys(LOGGING_PROFILE_DEFAULTS.production).sort(), Object.keys(LOGGING_PROFILE_DEFAULTS.development).sort());
            assert.deepEqual(Object.keys(LOGGING_PROFILE_DEFAULTS.production).sort(), ["dedicatedMasters", "deletionProtection", "ebs", "instanceCount", "instanceType", "logRetentionDays", "zoneAwareness"]);
        });
    });

    describe("sizing", () => {
        it("prod: zone awareness over 3 AZs, masters, one subnet per AZ, one replica", () => {
            const s = planDomainSizing(settings(valid({ zoneAwareness: { enabled: true }, dedicatedMasters: { enabled: true, type: "m7g.large.search" } })));
            assert.equal(s.subnetCount, 3);
            assert.equal(s.defaultReplicas, 1);
            assert.deepEqual(clusterConfig(s), {
                instanceType: "r7g.large.search",
                instanceCount: 3,
                zoneAwarenessEnabled: true,
                zoneAwarenessConfig: { availabilityZoneCount: 3 },
                dedicatedMasterEnabled: true,
                dedicatedMasterType: "m7g.large.search",
                dedicatedMasterCount: 3,
            });
        });
        it("dev: one node, one subnet, no replica", () => {
            const s = planDomainSizing(settings(valid({ profile: "development", instanceType: "m7g.medium.search", instanceCount: 1, zoneAwareness: undefined, dedicatedMasters: undefined, ebs: { volumeSizeGiB: 20 } })));
            assert.deepEqual([s.subnetCount, s.defaultReplicas, s.ebs.volumeType], [1, 0, "gp3"]);
            assert.deepEqual(domainSubnetIds(SUBNETS, s), [SUBNET(1)]);
        });
    });

    describe("names", () => {
        it("physical names say what each resource is for: <prefix>-<env>-<role>", () => {
            assert.deepEqual(loggingPhysicalNames("cloud", "prod"), {
                bootstrapFunction: "cloud-prod-opensearch-bootstrap",
                bootstrapRolePrefix: "cloud-prod-opensearch-bootstrap-",
                fluentBitRolePrefix: "cloud-prod-fluent-bit-",
                domainSecurityGroupPrefix: "cloud-prod-opensearch-",
                bootstrapSecurityGroupPrefix: "cloud-prod-opensearch-bootstrap-",
            });
            const long = loggingPhysicalNames("platform-team-eu", "staging-eu-west1");
            assert.ok(long.bootstrapRolePrefix.length <= 38 && long.fluentBitRolePrefix.length <= 38, "IAM namePrefix limit");
            assert.ok(long.bootstrapFunction.length <= 64, "Lambda name limit");
        });

        it("Dashboards URL", () => {
            assert.equal(dashboardsUrl("vpc-x.eu-west-1.es.amazonaws.com"), "https://vpc-x.eu-west-1.es.amazonaws.com/_dashboards");
        });
    });

    describe("IAM and network documents", () => {
        it("the domain ARN and the /* resource", () => {
            assert.equal(ARN, "arn:aws:es:eu-west-1:123456789012:domain/cloud-prod-logs");
            assert.equal(fluentBitPolicy(ARN).Statement[0].Resource, `${ARN}/*`);
            assert.equal(domainArn("aws-cn", "cn-north-1", "123456789012", "x-logs"), "arn:aws-cn:es:cn-north-1:123456789012:domain/x-logs");
        });

        it("access policy names principals exactly and never '*'; the wildcard check itself catches every '*' form", () => {
            const doc = domainAccessPolicy(ARN, { writers: ["arn:aws:iam::1:role/fb", "arn:aws:iam::1:role/fb"], bootstrap: "arn:aws:iam::1:role/boot", readers: [] });
            assert.equal(hasWildcardPrincipal(doc), false);
            assert.deepEqual(doc.Statement.map((s) => s.Sid), ["LogWriters", "Bootstrap"], "no reader statement without readers");
            assert.deepEqual(doc.Statement[0].Principal, { AWS: ["arn:aws:iam::1:role/fb"] });
            for (const p of ["*" as const, { AWS: "*" }, { AWS: ["arn:aws:iam::1:role/x", "*"] }]) {
                assert.equal(hasWildcardPrincipal({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: p, Action: "es:*" }] }), true);
            }
        });

        it("log publishing policy: only es.amazonaws.com, only for this account and domain, only the given groups", () => {
            const doc = logPublishingPolicy(["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/opensearch/x/audit:*", "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/opensearch/x/application"], "123456789012", ARN);
            assert.deepEqual(doc.Statement[0].Resource, ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/opensearch/x/audit:*", "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/opensearch/x/application:*"]);
            assert.deepEqual(doc.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": ARN } });
        });

        it("ingress rules: one per source, HTTPS only", () => {
            assert.deepEqual(domainIngressRules(["sg-1", "sg-2"], ["10.0.0.0/16"]).map((r) => [r.role, r.sourceSecurityGroupId ?? r.cidr]), [
                ["https-from-sg-0", "sg-1"],
                ["https-from-sg-1", "sg-2"],
                ["https-from-cidr-0", "10.0.0.0/16"],
            ]);
        });
    });

    it("packaging: bundle the signer and hash only; Pulumi, the AWS SDK clients and the registrar's runtime packages stay out", () => {
        const o = bootstrapCodePathOptions();
        assert.deepEqual(o.extraIncludePackages, BOOTSTRAP_HANDLER_PACKAGES);
        for (const p of ["@pulumi/pulumi", "@pulumi/aws", "@aws-sdk/client-sts", "@kubernetes/client-node", "yaml", "zod", "@aws-lambda-powertools/logger"]) assert.ok(o.extraExcludePackages.includes(p), p);
        for (const p of BOOTSTRAP_HANDLER_PACKAGES) assert.ok(!BOOTSTRAP_EXCLUDED_PACKAGES.includes(p), `${p} is not excluded (an excluded name is dropped even as a dependency)`);
        o.extraExcludePackages.push("aws-sdk");
        assert.ok(!bootstrapCodePathOptions().extraExcludePackages.includes("aws-sdk"), "fresh arrays every call");
    });
});

describe("logging plan: OpenSearch alarms", () => {
    it("FreeStorageSpace alarms at 25% of one data node's volume in MiB, for any volume size; Nodes counts data and master nodes", () => {
        fc.assert(
            fc.property(fc.integer({ min: 10, max: 16384 }), fc.integer({ min: 1, max: 80 }), fc.option(fc.constantFrom(3, 5)), (volumeSizeGiB, instanceCount, masters) => {
                const specs = openSearchAlarmSpecs({ instanceCount, dedicatedMasterEnabled: masters !== null, dedicatedMasterCount: masters ?? undefined, ebs: { volumeSizeGiB, volumeType: "gp3" } });
                const free = specs.find((x) => x.role === "free-storage")!;
                const nodes = specs.find((x) => x.role === "nodes")!;
                return free.threshold === Math.floor(volumeSizeGiB * 256) && free.comparisonOperator === "LessThanOrEqualToThreshold" && nodes.threshold === instanceCount + (masters ?? 0);
            }),
        );
    });

    it("every alarm is a single AWS/ES metric on the domain dimension, within CloudWatch's one-day evaluation limit, with a description", () => {
        const specs = openSearchAlarmSpecs({ instanceCount: 3, dedicatedMasterEnabled: false, ebs: { volumeSizeGiB: 100, volumeType: "gp3" } });
        assert.equal(new Set(specs.map((x) => x.role)).size, specs.length);
        for (const x of specs) {
            assert.equal(x.math, undefined);
            assert.deepEqual([x.metric!.namespace, x.metric!.dimension], ["AWS/ES", "domain"]);
            assert.ok(x.period * x.evaluationPeriods <= 86400, x.role);
            assert.ok(x.description.startsWith("OpenSearch: "), x.role);
        }
    });
});

