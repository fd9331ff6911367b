// The `cloud-cnc:logging` config section: LoggingPipeline's own schema as config (the same rules
// and messages), what the composition adds, and the defaults the component then applies per profile.
import { strict as assert } from "assert";
import { argsProblems } from "../../components/common/schema";
import { loggingPipelineSchema } from "../../components/logging/schema";
import { loggingConfigSchema } from "../../stacks/config/logging";
import { validateSection } from "../../stacks/config/validate";

const SUBNETS = ["subnet-0a0000000000000a1", "subnet-0b0000000000000b2", "subnet-0c0000000000000c3"];

/** What stacks/compose.ts adds to the section (stack settings, the network, the cluster). */
function composed(environment: string, profile: "production" | "development", deletionProtection = profile === "production") {
    return {
        environment,
        prefix: "cloud",
        profile,
        deletionProtection,
        tags: { Team: "platform" },
        vpcId: "vpc-0123456789abcdef0",
        subnetIds: SUBNETS,
        allowedSecurityGroupIds: ["sg-0c1a55e7c0ffee001"],
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
        oidcProviderUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
    };
}
const dev = composed("dev", "development");
const prod = composed("prod", "production");

function parse(raw: unknown) {
    const r = validateSection("logging", loggingConfigSchema.prefault({}), raw);
    assert.deepEqual(r.messages, []);
    return r.value!;
}

/** The section composed as stacks/compose.ts does it, then parsed by the component's schema. */
function settingsOf(raw: unknown, stack: ReturnType<typeof composed>) {
    const section = parse(raw);
    const args = { ...section, clusterId: section.clusterId ?? `cloud-${stack.environment}-cnc`, ...stack };
    assert.deepEqual(argsProblems(loggingPipelineSchema, args), []);
    return loggingPipelineSchema.parse(args);
}

const errors = (raw: unknown) => validateSection("logging", loggingConfigSchema, raw).messages;

describe("logging config section", () => {
    it("dev without config: one m7g.medium.search node, 20 GiB gp3, the original 30-day index retention, unprotected", () => {
        const args = settingsOf(undefined, dev);
        assert.deepEqual(
            {
                domainName: args.domainName,
                clusterId: args.clusterId,
                instanceType: args.instanceType,
                instanceCount: args.instanceCount,
                zoneAwareness: args.zoneAwareness.enabled,
                dedicatedMasters: args.dedicatedMasters.enabled,
                ebs: args.ebs,
                retentionDays: args.retentionDays,
                logRetentionDays: args.logRetentionDays,
                deletionProtection: args.deletionProtection,
            },
            {
                domainName: "cloud-dev-logs",
                clusterId: "cloud-dev-cnc",
                instanceType: "m7g.medium.search",
                instanceCount: 1,
                zoneAwareness: false,
                dedicatedMasters: false,
                ebs: { volumeSizeGiB: 20, volumeType: "gp3" },
                retentionDays: 30,
                logRetentionDays: 7,
                deletionProtection: false,
            },
        );
    });

    it("prod without sizing: 3 x r7g.large.search across 3 AZs, 3 m7g.large.search masters, 200 GiB, 30-day retention, protected", () => {
        const args = settingsOf({ humanReadOnlyRoleArns: ["arn:aws:iam::123456789012:role/sre"], allowedCidrs: ["10.100.0.0/16"] }, prod);
        assert.deepEqual(
            [args.instanceType, args.instanceCount, args.zoneAwareness, args.dedicatedMasters, args.ebs, args.retentionDays, args.logRetentionDays, args.deletionProtection],
            ["r7g.large.search", 3, { enabled: true, availabilityZoneCount: 3 }, { enabled: true, type: "m7g.large.search", count: 3 }, { volumeSizeGiB: 200, volumeType: "gp3" }, 30, 90, true],
        );
        assert.deepEqual(args.humanReadOnlyRoleArns, ["arn:aws:iam::123456789012:role/sre"]);
        assert.deepEqual(args.allowedCidrs, ["10.100.0.0/16"]);
        assert.equal(args.rolloverSize, "50gb");
        assert.equal(args.rolloverAge, "1d");
    });

    it("the profile, not the environment's name, picks the defaults; both profiles' defaults pass the component's own validation", () => {
        // (settingsOf asserts the composed args have no problem.)
        const staging = settingsOf({}, composed("staging", "development"));
        const devSettings = settingsOf({}, dev);
        assert.deepEqual([staging.instanceType, staging.instanceCount, staging.logRetentionDays], [devSettings.instanceType, devSettings.instanceCount, devSettings.logRetentionDays]);
        const prodOnDevelopment = settingsOf({}, composed("prod", "development", false));
        assert.deepEqual([prodOnDevelopment.instanceType, prodOnDevelopment.logRetentionDays, prodOnDevelopment.deletionProtection], ["m7g.medium.search", 7, false]);
        const stagingOnProduction = settingsOf({}, composed("staging", "production"));
        assert.deepEqual([stagingOnProduction.instanceType, stagingOnProduction.logRetentionDays, stagingOnProduction.deletionProtection], ["r7g.large.search", 90, true]);
    });

    it("explicit sizing and settings are passed through", () => {
        const args = settingsOf(
            {
                domainName: "fleet-logs",
                retentionDays: 45,
                instanceType: "r7g.xlarge.search",
                instanceCount: 6,
                zoneAwareness: { enabled: true, availabilityZoneCount: 3 },
                dedicatedMasters: { enabled: true, type: "m7g.large.search", count: 5 },
                ebs: { volumeSizeGiB: 500, iops: 6000, throughput: 250 },
                fluentBit: { storageTotalLimitSize: "10G", retryLimit: 200 },
            },
            prod,
        );
        assert.equal(args.domainName, "fleet-logs");
        assert.equal(args.retentionDays, 45);
        assert.equal(args.instanceCount, 6);
        assert.deepEqual(args.dedicatedMasters, { enabled: true, type: "m7g.large.search", count: 5 });
        assert.deepEqual(args.ebs, { volumeSizeGiB: 500, volumeType: "gp3", iops: 6000, throughput: 250 });
        assert.deepEqual(args.fluentBit, { namespace: "logging", createNamespace: true, storageTotalLimitSize: "10G", retryLimit: 200 });
    });

    it("bad config: exact messages naming the key, the expected form and the value", () => {
        assert.deepEqual(
            errors({
                domainName: "Logs_Prod",
                retentionDays: 0,
                rolloverSize: "50 GB",
                logRetentionDays: 10,
                allowedCidrs: ["0.0.0.0/0"],
                humanReadOnlyRoleArns: ["alice"],
                instanceType: "r7g.large",
                instanceCount: 4,
                zoneAwareness: { enabled: true },
                dedicatedMasters: { enabled: true, type: "m7g.large.search", count: 4 },
                ebs: { volumeSizeGiB: 5 },
            }),
            [
                `cloud-cnc:logging.domainName: expected a domain name of 3-28 lowercase letters, digits or '-' starting with a letter, found "Logs_Prod"`,
                `cloud-cnc:logging.instanceType: expected an OpenSearch instance type such as r7g.large.search, found "r7g.large"`,
                "cloud-cnc:logging.retentionDays: expected a whole number of days of at least 1, found 0",
                `cloud-cnc:logging.rolloverSize: expected a size such as 50gb, found "50 GB"`,
                "cloud-cnc:logging.logRetentionDays: expected a CloudWatch Logs retention (one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), found 10",
                `cloud-cnc:logging.humanReadOnlyRoleArns[0]: expected an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin, found "alice"`,
                `cloud-cnc:logging.allowedCidrs[0]: expected a private IPv4 CIDR block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 (RFC 1918, RFC 6598) such as 10.0.0.0/16, found "0.0.0.0/0"`,
                "cloud-cnc:logging.ebs.volumeSizeGiB: expected a whole number of GiB from 10 to 16384, found 5",
                "cloud-cnc:logging.dedicatedMasters.count: expected 3 or 5 dedicated master nodes, found 4",
                "cloud-cnc:logging.instanceCount: expected a multiple of the availability zone count (3) with zone awareness, found 4",
            ],
        );
    });

    it("cross-field: instance count against the AZ count (zod has passed the formats)", () => {
        assert.deepEqual(
            errors({ instanceType: "r7g.large.search", instanceCount: 4, zoneAwareness: { enabled: true }, ebs: { volumeSizeGiB: 100 } }),
            ["cloud-cnc:logging.instanceCount: expected a multiple of the availability zone count (3) with zone awareness, found 4"],
        );
        assert.deepEqual(
            errors({ instanceType: "r7g.large.search", instanceCount: 3, zoneAwareness: { enabled: true, availabilityZoneCount: 2 }, ebs: { volumeSizeGiB: 100 } }),
            ["cloud-cnc:logging.instanceCount: expected a multiple of the availability zone count (2) with zone awareness, found 3"],
        );
        assert.deepEqual(errors({ instanceType: "r7g.large.search", instanceCount: 4, ebs: { volumeSizeGiB: 100 } }), [], "no zone awareness: any count");
    });

    it("unknown keys and malformed sizing fields are reported", () => {
        assert.deepEqual(errors({ retention: 30 }), [
            "cloud-cnc:logging.retention: expected no unknown key here (known keys: domainName, engineVersion, instanceType, instanceCount, clusterId, retentionDays, rolloverSize, rolloverAge, indexShards, indexReplicas, logRetentionDays, automatedSnapshotStartHour, humanReadOnlyRoleArns, additionalWriterRoleArns, allowedCidrs, ebs, fluentBit, zoneAwareness, dedicatedMasters, createServiceLinkedRole, saml), found a value (hidden)",
        ]);
        // The old grouping key is gone: its fields are the component's own args now.
        assert.deepEqual(errors({ sizing: { instanceType: "r7g.large.search" } }).length, 1);
        assert.match(errors({ sizing: { instanceType: "r7g.large.search" } })[0], /^cloud-cnc:logging\.sizing: expected no unknown key here \(known keys: .*instanceType, instanceCount.*\), found a value \(hidden\)$/);
        assert.deepEqual(errors({ instanceCount: "three" }), ['cloud-cnc:logging.instanceCount: expected a whole number of data nodes from 1 to 80, found "three"']);
    });

    it("config and component report a mistake identically (one rule book)", () => {
        const section = {
            domainName: "Logs",
            instanceCount: 4,
            zoneAwareness: { enabled: true },
            logRetentionDays: 10,
            allowedCidrs: ["0.0.0.0/0"],
            ebs: { volumeSizeGiB: 5 },
            fluentBit: { retryLimit: 0 },
        };
        const fromConfig = validateSection("logging", loggingConfigSchema, section).problems.map((p) => [p.field.replace("cloud-cnc:logging.", ""), p.expected]);
        const fromArgs = argsProblems(loggingPipelineSchema, { ...section, ...prod, clusterId: "cloud-prod-cnc" }).map((p) => [p.field, p.expected]);
        assert.equal(fromConfig.length, 6);
        assert.deepEqual(fromConfig, fromArgs);
    });

    it("a profile-dependent mistake the section cannot judge alone is reported by the component, before any child", () => {
        // 4 data nodes are fine for the config section (no zone awareness is set there) ...
        assert.deepEqual(errors({ instanceCount: 4 }), []);
        // ... but the production profile spreads the domain over 3 AZs.
        assert.deepEqual(
            argsProblems(loggingPipelineSchema, { ...parse({ instanceCount: 4 }), ...prod, clusterId: "cloud-prod-cnc" }).map((p) => [p.field, p.expected]),
            [["instanceCount", "a multiple of the availability zone count (3) with zone awareness"]],
        );
    });
});
