// The `cloud-cnc:logging` config section: defaults per environment, mapping to args, exact messages.
import { strict as assert } from "assert";
import { defaultSizing, loggingArgs, loggingConfigSchema } from "../../stacks/config/logging";
import { validateSection } from "../../stacks/config/validate";
import { validateLoggingArgs } from "../../components/logging/plan";

const dev = { environment: "dev", prefix: "cloud", profile: "development" as const, deletionProtection: false, tags: {} };
const prod = { environment: "prod", prefix: "cloud", profile: "production" as const, deletionProtection: true, tags: {} };

function parse(raw: unknown) {
    const r = validateSection("logging", loggingConfigSchema, raw);
    assert.deepEqual(r.messages, []);
    return r.value!;
}

const errors = (raw: unknown) => validateSection("logging", loggingConfigSchema, raw).messages;

describe("logging config section", () => {
    it("dev without config: one m7g.medium.search node, 20 GiB gp3, the original 30-day index retention, unprotected", () => {
        const args = loggingArgs(parse(undefined), dev);
        assert.deepEqual(
            {
                domainName: args.domainName,
                clusterId: args.clusterId,
                instanceType: args.instanceType,
                instanceCount: args.instanceCount,
                zoneAwareness: args.zoneAwareness,
                dedicatedMasters: args.dedicatedMasters,
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
                zoneAwareness: { enabled: false },
                dedicatedMasters: { enabled: false },
                ebs: { volumeSizeGiB: 20, volumeType: "gp3" },
                retentionDays: 30,
                logRetentionDays: 7,
                deletionProtection: false,
            },
        );
    });

    it("prod without sizing: 3 x r7g.large.search across 3 AZs, 3 m7g.large.search masters, 200 GiB, 30-day retention, protected", () => {
        const args = loggingArgs(parse({ humanReadOnlyRoleArns: ["arn:aws:iam::123456789012:role/sre"], allowedCidrs: ["10.100.0.0/16"] }), prod);
        assert.deepEqual(
            [args.instanceType, args.instanceCount, args.zoneAwareness, args.dedicatedMasters, args.ebs, args.retentionDays, args.logRetentionDays, args.deletionProtection],
            ["r7g.large.search", 3, { enabled: true, availabilityZoneCount: 3 }, { enabled: true, type: "m7g.large.search", count: 3 }, { volumeSizeGiB: 200, volumeType: "gp3" }, 30, 90, true],
        );
        assert.deepEqual(args.humanReadOnlyRoleArns, ["arn:aws:iam::123456789012:role/sre"]);
        assert.deepEqual(args.allowedCidrs, ["10.100.0.0/16"]);
        assert.equal(args.rolloverSize, "50gb");
        assert.equal(args.rolloverAge, "1d");
    });

    it("the environment defaults pass the component's own validation", () => {
        for (const common of [dev, prod]) {
            const args = { ...loggingArgs(parse({}), common), vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0a1", "subnet-0b2", "subnet-0c3"], allowedSecurityGroupIds: ["sg-0c1"], oidcProviderArn: "arn:x", oidcProviderUrl: "https://x" };
            assert.deepEqual(validateLoggingArgs(args), [], common.environment);
        }
        assert.deepEqual(defaultSizing("staging"), defaultSizing("dev"));
    });

    it("explicit sizing and settings are passed through", () => {
        const cfg = parse({
            domainName: "fleet-logs",
            retentionDays: 45,
            sizing: { instanceType: "r7g.xlarge.search", instanceCount: 6, zoneAwareness: { enabled: true, availabilityZoneCount: 3 }, dedicatedMasters: { enabled: true, type: "m7g.large.search", count: 5 }, ebs: { volumeSizeGiB: 500, iops: 6000, throughput: 250 } },
            fluentBit: { storageTotalLimitSize: "10G", retryLimit: 200 },
        });
        const args = loggingArgs(cfg, prod);
        assert.equal(args.domainName, "fleet-logs");
        assert.equal(args.retentionDays, 45);
        assert.equal(args.instanceCount, 6);
        assert.deepEqual(args.dedicatedMasters, { enabled: true, type: "m7g.large.search", count: 5 });
        assert.deepEqual(args.ebs, { volumeSizeGiB: 500, volumeType: "gp3", iops: 6000, throughput: 250 });
        assert.deepEqual(args.fluentBit, { storageTotalLimitSize: "10G", retryLimit: 200 });
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
                sizing: { instanceType: "r7g.large", instanceCount: 4, zoneAwareness: { enabled: true }, dedicatedMasters: { enabled: true, type: "m7g.large.search", count: 4 }, ebs: { volumeSizeGiB: 5 } },
            }),
            [
                `cloud-cnc:logging.domainName: expected a domain name of 3-28 lowercase letters, digits or '-' starting with a letter, found "Logs_Prod"`,
                `cloud-cnc:logging.sizing.instanceType: expected an OpenSearch instance type such as r7g.large.search, found "r7g.large"`,
                "cloud-cnc:logging.sizing.dedicatedMasters.count: expected 3 or 5 dedicated master nodes, found 4",
                "cloud-cnc:logging.sizing.ebs.volumeSizeGiB: expected a whole number of GiB from 10 to 16384, found 5",
                "cloud-cnc:logging.retentionDays: expected a whole number of days of at least 1, found 0",
                `cloud-cnc:logging.rolloverSize: expected a size such as 50gb, found "50 GB"`,
                "cloud-cnc:logging.logRetentionDays: expected a CloudWatch Logs retention (one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), found 10",
                `cloud-cnc:logging.humanReadOnlyRoleArns[0]: expected an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin, found "alice"`,
                `cloud-cnc:logging.allowedCidrs[0]: expected a CIDR block narrower than /0 (the domain is never open to all), found "0.0.0.0/0"`,
                "cloud-cnc:logging.sizing.instanceCount: expected a multiple of the availability zone count (3) with zone awareness, found 4",
            ],
        );
    });

    it("cross-field: instance count against the AZ count (zod has passed the formats)", () => {
        assert.deepEqual(
            errors({ sizing: { instanceType: "r7g.large.search", instanceCount: 4, zoneAwareness: { enabled: true }, ebs: { volumeSizeGiB: 100 } } }),
            ["cloud-cnc:logging.sizing.instanceCount: expected a multiple of the availability zone count (3) with zone awareness, found 4"],
        );
        assert.deepEqual(
            errors({ sizing: { instanceType: "r7g.large.search", instanceCount: 3, zoneAwareness: { enabled: true, availabilityZoneCount: 2 }, ebs: { volumeSizeGiB: 100 } } }),
            ["cloud-cnc:logging.sizing.instanceCount: expected a multiple of the availability zone count (2) with zone awareness, found 3"],
        );
        assert.deepEqual(errors({ sizing: { instanceType: "r7g.large.search", instanceCount: 4, ebs: { volumeSizeGiB: 100 } } }), [], "no zone awareness: any count");
    });

    it("unknown keys and missing sizing fields are reported", () => {
        assert.deepEqual(errors({ retention: 30 }), [
            "cloud-cnc:logging.retention: expected no unknown key here (known keys: domainName, engineVersion, clusterId, sizing, retentionDays, rolloverSize, rolloverAge, indexShards, indexReplicas, logRetentionDays, automatedSnapshotStartHour, humanReadOnlyRoleArns, additionalWriterRoleArns, allowedCidrs, fluentBit, createServiceLinkedRole), found 30",
        ]);
        assert.deepEqual(errors({ sizing: { instanceType: "r7g.large.search", ebs: { volumeSizeGiB: 100 } } }), ["cloud-cnc:logging.sizing.instanceCount: expected a whole number of data nodes from 1 to 80, found nothing"]);
    });
});
