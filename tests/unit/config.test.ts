import { strict as assert } from "assert";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { renderProblem } from "../../components/common/errors";
import { argsProblems } from "../../components/common/schema";
import { networkArgsSchema } from "../../components/network/schema";
import { ConfigError, PRIVATE_ENDPOINT_WARNING, UNPROTECTED_PRODUCTION_WARNING, parseStackConfig } from "../../stacks/config";
import { nameCollisionProblems, stackNames } from "../../stacks/config/names";
import { TEST_SECRETS, stackTestConfig } from "../support/stack-files";


/** The problems (one rendered line each) parseStackConfig reports for a config. */
function problems(raw: Record<string, string>, secretKeys: string[] = Object.keys(TEST_SECRETS), stackName?: string): string[] {
    try {
        parseStackConfig(raw, new Set(secretKeys), stackName);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
        return e.problems.map(renderProblem);
    }
    return [];
}

function withKey(base: Record<string, string>, key: string, value: unknown): Record<string, string> {
    const out = { ...base };
    if (value === undefined) delete out[key];
    else out[key] = typeof value === "string" ? value : JSON.stringify(value);
    return out;
}

/** Sets one field inside a structured (JSON) config value. */
function withField(base: Record<string, string>, key: string, pathInValue: (string | number)[], value: unknown): Record<string, string> {
    const obj = JSON.parse(base[key]);
    let node = obj;
    for (const p of pathInValue.slice(0, -1)) node = node[p];
    const last = pathInValue[pathInValue.length - 1];
    if (value === undefined) delete node[last];
    else node[last] = value;
    return { ...base, [key]: JSON.stringify(obj) };
}

describe("stack config schema", () => {
    const dev = stackTestConfig("dev").config;
    const prod = stackTestConfig("prod").config;
    const secrets = new Set(Object.keys(TEST_SECRETS));

    it("accepts Pulumi.dev.yaml and Pulumi.prod.yaml as committed", () => {
        assert.deepEqual(problems(dev), []);
        assert.deepEqual(problems(prod), []);
        assert.equal(parseStackConfig(dev, secrets).environment, "dev");
        assert.equal(parseStackConfig(prod, secrets).deletionProtection, true);
    });

    const bad: Array<[string, Record<string, string>, string[]]> = [
        ["missing region", withKey(dev, "aws:region", undefined), ["aws:region: expected an AWS region the provider knows, such as eu-west-1 (pulumi config set aws:region <region>), found nothing"]],
        ["malformed region", withKey(dev, "aws:region", "Ireland"), ['aws:region: expected an AWS region the provider knows, such as eu-west-1 (pulumi config set aws:region <region>), found "Ireland"']],
        ["missing environment", withKey(dev, "cloud-cnc:environment", undefined), ["cloud-cnc:environment: expected a lowercase name of 2-16 letters, digits and '-' such as dev or prod, found nothing"]],
        ["environment with capitals", withKey(dev, "cloud-cnc:environment", "Dev_1"), ['cloud-cnc:environment: expected a lowercase name of 2-16 letters, digits and \'-\' such as dev or prod, found "Dev_1"']],
        ["deletionProtection not a boolean", withKey(dev, "cloud-cnc:deletionProtection", "yes"), ['cloud-cnc:deletionProtection: expected a boolean, found "yes"']],
        ["no profile for an environment other than dev or prod", withKey(dev, "cloud-cnc:environment", "staging"), ['cloud-cnc:profile: expected a sizing profile: "production" or "development" (required unless the environment is exactly dev or prod), found nothing']],
        ["a profile that does not exist", withKey(dev, "cloud-cnc:profile", "prod"), ['cloud-cnc:profile: expected a sizing profile: "production" or "development", found "prod"']],
        ["unknown top-level key", withKey(dev, "cloud-cnc:clusterName", "x"), [/^cloud-cnc:clusterName: expected no unknown key here \(known keys: environment, prefix, profile, deletionProtection, allowUnprotectedProduction, tags/.source]],
        ["tags not an object", withKey(dev, "cloud-cnc:tags", ["a"]), ['cloud-cnc:tags: expected a map of names to values, found ["a"]']],
        ["tag value too long", withField(dev, "cloud-cnc:tags", ["Team"], "x".repeat(300)), [/^cloud-cnc:tags\.Team: expected a tag value of at most 256 characters, found "x{196}\.\.\.$/.source]],
        ["a VPC CIDR with host bits", withField(dev, "cloud-cnc:network", ["vpcCidr"], "10.90.0.1/18"), ['cloud-cnc:network.vpcCidr: expected the network address of the block (10.90.0.0/18), found "10.90.0.1/18"']],
        ["an unknown network key", withField(dev, "cloud-cnc:network", ["natGateway"], "single"), [/^cloud-cnc:network\.natGateway: expected no unknown key here \(known keys: vpcCidr, /.source]],
        ["a Kubernetes version that is not a minor", withField(dev, "cloud-cnc:cluster", ["kubernetesVersion"], "v1.34.2"), [/^cloud-cnc:cluster\.kubernetesVersion: expected .*, found "v1\.34\.2"$/.source]],
        ["node group min above max", withField(prod, "cloud-cnc:cluster", ["nodeGroups"], [{ name: "system", instanceTypes: ["t3.large"], minSize: 9, maxSize: 4, desiredSize: 4, diskSizeGiB: 50 }]), [/^cloud-cnc:cluster\.nodeGroups\[0\]\.minSize: expected .*, found 9$/.source]],
        ["an admin role that is not a role ARN", withField(dev, "cloud-cnc:cluster", ["adminRoleArns", 0], "arn:aws:iam::123456789012:user/bob"), [/^cloud-cnc:cluster\.adminRoleArns\[0\]: expected .*role.*, found "arn:aws:iam::123456789012:user\/bob"$/.source]],
        ["raw retention too short to downsample", withField(dev, "cloud-cnc:monitoring", ["thanos", "compactor", "retentionRaw"], "1d"), [/^cloud-cnc:monitoring\.thanos\.compactor\.retentionRaw: expected .*, found "1d"$/.source]],
        ["a federation mode that does not exist", withField(dev, "cloud-cnc:monitoring", ["federation", "mode"], "remote-write"), ['cloud-cnc:monitoring.federation.mode: expected one of "thanos", "prometheus-federation", found "remote-write"']],
        ["a registrar schedule EventBridge cannot run", withField(dev, "cloud-cnc:registrar", ["scheduleExpression"], "every 5 minutes"), [/^cloud-cnc:registrar\.scheduleExpression: expected an EventBridge schedule such as "rate\(5 minutes\)".*, found "every 5 minutes"$/.source]],
        ["prefix with a dot", withKey(dev, "cloud-cnc:prefix", "my.co"), ['cloud-cnc:prefix: expected a lowercase name prefix of 2-16 letters, digits and \'-\' such as cloud, found "my.co"']],
    ];

    it("checks each section with its component's own schema and the profile's defaults, before anything is registered", () => {
        // Four data nodes are fine alone, but the production profile spreads the domain over 3 AZs.
        const fourNodes = withField(prod, "cloud-cnc:logging", ["instanceCount"], 4);
        assert.deepEqual(problems(fourNodes), ["cloud-cnc:logging.instanceCount: expected a multiple of the availability zone count (3) with zone awareness, found 4"]);
        // The same node count under the development profile (no zone awareness) is accepted.
        assert.deepEqual(problems(withKey(withField(dev, "cloud-cnc:logging", ["instanceCount"], 4), "cloud-cnc:logging", JSON.stringify({ ...JSON.parse(dev["cloud-cnc:logging"]), instanceCount: 4 }))), []);
        // A storage ceiling below the production profile's 100 GiB + 10%.
        assert.deepEqual(problems(withField(prod, "cloud-cnc:provisioner", ["db"], { maxAllocatedStorageGiB: 105 })), [
            "cloud-cnc:provisioner.db.maxAllocatedStorageGiB: expected at least 110 (RDS storage autoscaling needs 10% above allocatedStorageGiB 100), found 105",
        ]);
        // A rule across the stack-level prefix and a component's physical names.
        assert.deepEqual(problems(withKey(dev, "cloud-cnc:prefix", "cl--x")), ["cloud-cnc:prefix: expected a prefix without '--' (RDS refuses it in the database's names), found \"cl--x\""]);
    });

    for (const [title, raw, expected] of bad) {
        it(`rejects ${title} with a message naming the key, the expected form and the value`, () => {
            const got = problems(raw);
            assert.equal(got.length, expected.length, `got: ${got.join(" | ")}`);
            expected.forEach((e, i) => (e.startsWith("^") ? assert.match(got[i], new RegExp(e)) : assert.equal(got[i], e)));
        });
    }

    it("reports every problem together, in one error", () => {
        let raw = withKey(dev, "cloud-cnc:environment", "X");
        raw = withKey(raw, "cloud-cnc:deletionProtection", "1");
        raw = withKey(raw, "aws:region", undefined);
        raw = withKey(raw, "cloud-cnc:bogus", "1");
        const got = problems(raw);
        assert.equal(got.length, 4, got.join("\n"));
        try {
            parseStackConfig(raw, secrets);
            assert.fail("no error");
        } catch (e) {
            const message = (e as Error).message;
            assert.match(message, /^stack config: 4 invalid settings:\n/);
            for (const key of ["aws:region", "cloud-cnc:environment", "cloud-cnc:deletionProtection", "cloud-cnc:bogus"]) assert.ok(message.includes(key), `message lacks ${key}`);
        }
    });

    it("requires the provisioner's Git token as a secret, and refuses it in plain text", () => {
        assert.deepEqual(problems(withKey(dev, "cloud-cnc:provisionerGitToken", undefined)), [
            "cloud-cnc:provisionerGitToken: expected a secret: the Git token of utilitiesGitUrl (required) (pulumi config set --secret cloud-cnc:provisionerGitToken <value>), found nothing",
        ]);
        assert.deepEqual(problems(dev, []), [
            'cloud-cnc:provisionerGitToken: expected a secret (pulumi config set --secret cloud-cnc:provisionerGitToken ...), found a value (hidden)',
            'cloud-cnc:alertWebhookUrl: expected a secret (pulumi config set --secret cloud-cnc:alertWebhookUrl ...), found a value (hidden)',
            'cloud-cnc:oidcClientSecret: expected a secret (pulumi config set --secret cloud-cnc:oidcClientSecret ...), found a value (hidden)',
        ]);
        assert.deepEqual(problems(withKey(dev, "cloud-cnc:someToken", "x"), [...secrets, "cloud-cnc:someToken"]), [
            'cloud-cnc:someToken: expected a known key (secret keys: alertWebhookUrl, deadMansSwitchUrl, provisionerGitToken, provisionerSshPrivateKey, oidcClientSecret), found a value (hidden)',
        ]);
    });

    it("requires the alert webhook URL as a secret", () => {
        assert.deepEqual(problems(withKey(dev, "cloud-cnc:alertWebhookUrl", undefined)), [
            "cloud-cnc:alertWebhookUrl: expected a secret: the Mattermost incoming webhook URL Alertmanager sends alerts to (pulumi config set --secret cloud-cnc:alertWebhookUrl <value>), found nothing",
        ]);
    });

    it("never prints a value that may be a secret: unknown keys, secret-named fields, credential-looking values", () => {
        const webhook = "https://chat.example.com/hooks/9xq3kd81mfbwzx7pgqe1tcyw3r";
        const token = "glpat-AbCdEf0123456789xyz";
        const got = problems({
            ...withField(withKey(dev, "cloud-cnc:alertWebhookURL", webhook), "cloud-cnc:provisioner", ["gitToken"], token),
            "cloud-cnc:tags": JSON.stringify({ Team: "platform", Repo: "https://ci:s3cr3t@git.example.com/cnc.git" }),
        });
        const text = got.join("\n");
        for (const secret of [webhook, token, "s3cr3t", "9xq3kd81"]) assert.ok(!text.includes(secret), `a secret is echoed: ${text}`);
        assert.ok(got.some((l) => l.startsWith("cloud-cnc:alertWebhookURL: expected no unknown key here") && l.endsWith("found a value (hidden)")), text);
        assert.ok(got.some((l) => l.startsWith("cloud-cnc:provisioner.gitToken: expected no unknown key here") && l.endsWith("found a value (hidden)")), text);
        // Values that are not secret-looking are still shown, so mistakes stay easy to find.
        assert.deepEqual(problems(withKey(dev, "cloud-cnc:environment", "Dev_1")), ['cloud-cnc:environment: expected a lowercase name of 2-16 letters, digits and \'-\' such as dev or prod, found "Dev_1"']);
    });

    it("names every field on one line: odd keys quoted, control characters escaped, a non-object named as a whole", () => {
        const got = problems(withKey(dev, "cloud-cnc:tags", JSON.stringify({ "Team\nFAKE: line": "x".repeat(300), "a.b": "y".repeat(300) })));
        assert.deepEqual(got.map((l) => l.split(": expected")[0]), ['cloud-cnc:tags["Team\\nFAKE: line"]', 'cloud-cnc:tags["a.b"]']);
        for (const l of got) assert.doesNotMatch(l, /\n/);
        assert.deepEqual(argsProblems(networkArgsSchema, 42), [{ field: "(the args as a whole)", expected: "an object", found: 42 }]);
    });

    it("reports config mistakes as a pulumi RunError (the message, not a stack trace), with a hint when YAML made a version a number", () => {
        let error: unknown;
        try {
            parseStackConfig(withField(dev, "cloud-cnc:cluster", ["kubernetesVersion"], 1.3), secrets);
        } catch (e) {
            error = e;
        }
        assert.ok(pulumi.RunError.isInstance(error), "pulumi up prints a RunError's message only");
        assert.match((error as Error).message, /cloud-cnc:cluster\.kubernetesVersion: expected .*\(YAML read a number: quote it in the stack file, e\.g\. "1\.30" for a version\), found 1\.3/);
    });

    describe("reaching the cluster on the first deployment (runnerInVpc, the endpoint)", () => {
        const cluster = (raw: Record<string, string>) => JSON.parse(raw["cloud-cnc:cluster"]);

        it("dev: a public endpoint limited to a documented placeholder CIDR, so the first run from outside the VPC works once it is replaced", () => {
            assert.equal(cluster(dev).endpointPublicAccess, true);
            assert.deepEqual(cluster(dev).publicAccessCidrs, ["203.0.113.10/32"]);
            assert.deepEqual(parseStackConfig(dev, secrets).warnings, []);
            assert.equal(parseStackConfig(dev, secrets).runnerInVpc, false);
        });

        it("prod: a private-only endpoint, deployed from a runner in the VPC (runnerInVpc), so no warning", () => {
            assert.equal(cluster(prod).endpointPublicAccess, undefined);
            assert.equal(prod["cloud-cnc:runnerInVpc"], "true");
            const cfg = parseStackConfig(prod, secrets);
            assert.equal(cfg.runnerInVpc, true);
            assert.deepEqual(cfg.warnings, []);
        });

        it("warns (without failing) when the endpoint is private and no in-VPC runner is declared", () => {
            const cfg = parseStackConfig(withKey(prod, "cloud-cnc:runnerInVpc", undefined), secrets);
            assert.deepEqual(cfg.warnings, [PRIVATE_ENDPOINT_WARNING]);
            assert.match(PRIVATE_ENDPOINT_WARNING, /^the EKS API endpoint is private only \(cloud-cnc:cluster\.endpointPublicAccess is not true\) and cloud-cnc:runnerInVpc is not true: /);
            assert.match(PRIVATE_ENDPOINT_WARNING, /README "First deployment"/);
            assert.deepEqual(cfg.notes, [], "a warning, not a note");
            const devPrivate = withField(withField(dev, "cloud-cnc:cluster", ["endpointPublicAccess"], undefined), "cloud-cnc:cluster", ["publicAccessCidrs"], undefined);
            assert.deepEqual(parseStackConfig(devPrivate, secrets).warnings, [PRIVATE_ENDPOINT_WARNING]);
            assert.deepEqual(parseStackConfig(withKey(devPrivate, "cloud-cnc:runnerInVpc", "true"), secrets).warnings, []);
        });

        it("takes runnerInVpc as a boolean only", () => {
            assert.deepEqual(problems(withKey(prod, "cloud-cnc:runnerInVpc", "yes")), ['cloud-cnc:runnerInVpc: expected a boolean, found "yes"']);
        });

        it("refuses a public endpoint open to every address unless allowAnyCidr is set", () => {
            const open = withField(dev, "cloud-cnc:cluster", ["publicAccessCidrs"], ["0.0.0.0/1", "128.0.0.0/1"]);
            assert.deepEqual(problems(open), [
                'cloud-cnc:cluster.publicAccessCidrs: expected CIDR blocks that together cover at most 65536 public IPv4 addresses (a /16), or allowAnyCidr: true to open the public endpoint wider (these cover every public IPv4 address), found ["0.0.0.0/1","128.0.0.0/1"]',
            ]);
            assert.deepEqual(problems(withField(open, "cloud-cnc:cluster", ["allowAnyCidr"], true)), []);
        });
    });

    describe("safety of stateful data", () => {
        const EXPECTED =
            "true (or unset) under the production profile: it keeps the database's deletion protection and final snapshot, and retains keys, buckets, the domain and zones; set cloud-cnc:allowUnprotectedProduction: true to deploy production without them";

        it("refuses deletionProtection: false under the production profile, derived (prod) or explicit (staging)", () => {
            assert.deepEqual(problems(withKey(prod, "cloud-cnc:deletionProtection", "false")), [`cloud-cnc:deletionProtection: ${"expected " + EXPECTED}, found false`]);
            const staging = withKey(withKey(withKey(dev, "cloud-cnc:environment", "staging"), "cloud-cnc:profile", "production"), "cloud-cnc:deletionProtection", "false");
            assert.deepEqual(problems(staging), [`cloud-cnc:deletionProtection: expected ${EXPECTED}, found false`]);
            assert.deepEqual(problems(withKey(dev, "cloud-cnc:deletionProtection", "false")), [], "development may be unprotected");
        });

        it("deploys production unprotected only with allowUnprotectedProduction, and then warns in every preview", () => {
            const raw = withKey(withKey(prod, "cloud-cnc:deletionProtection", "false"), "cloud-cnc:allowUnprotectedProduction", "true");
            const cfg = parseStackConfig(raw, secrets);
            assert.equal(cfg.deletionProtection, false);
            assert.deepEqual(cfg.warnings, [UNPROTECTED_PRODUCTION_WARNING]);
            assert.deepEqual(parseStackConfig(prod, secrets).warnings, [], "protected production: no warning");
            assert.deepEqual(parseStackConfig(withKey(dev, "cloud-cnc:deletionProtection", "false"), secrets).warnings, []);
            assert.deepEqual(problems(withKey(prod, "cloud-cnc:allowUnprotectedProduction", "yes")), ['cloud-cnc:allowUnprotectedProduction: expected a boolean, found "yes"']);
        });

        it("refuses an environment that is not the stack's name (Pulumi.prod.yaml saying dev would take over dev's names)", () => {
            assert.deepEqual(problems(dev, undefined, "prod"), [
                `cloud-cnc:environment: expected the stack's name, "prod" (Pulumi.prod.yaml): physical names are <prefix>-<environment>-<role>, so another environment's name would take over that stack's resources, found "dev"`,
            ]);
            assert.deepEqual(problems(dev, undefined, "dev"), []);
            assert.deepEqual(problems(prod, undefined, "prod"), []);
            // A malformed environment is reported once, by its format.
            assert.equal(problems(withKey(dev, "cloud-cnc:environment", "Dev"), undefined, "dev").length, 1);
        });
    });

    describe("names that share a namespace across components (buckets, key aliases)", () => {
        it("refuses a bucket name another bucket of the stack has: monitoring.bucketName: cloud-dev-kops-state", () => {
            assert.deepEqual(problems(withField(dev, "cloud-cnc:monitoring", ["bucketName"], "cloud-dev-kops-state")), [
                'cloud-cnc:monitoring.bucketName: expected a name no other resource of the stack takes (the metrics bucket and the kops state bucket would both be the S3 bucket cloud-dev-kops-state), found "cloud-dev-kops-state"',
            ]);
            // Set on the other side, it is reported there.
            assert.deepEqual(problems(withField(dev, "cloud-cnc:provisioner", ["stateBucketName"], "cloud-dev-prometheus-metrics")), [
                'cloud-cnc:provisioner.stateBucketName: expected a name no other resource of the stack takes (the kops state bucket and the metrics bucket would both be the S3 bucket cloud-dev-prometheus-metrics), found "cloud-dev-prometheus-metrics"',
            ]);
            // Both set to one name: reported once, at the later key.
            const both = withField(withField(dev, "cloud-cnc:monitoring", ["bucketName"], "cloud-dev-data"), "cloud-cnc:provisioner", ["stateBucketName"], "cloud-dev-data");
            assert.deepEqual(problems(both), [
                'cloud-cnc:provisioner.stateBucketName: expected a name no other resource of the stack takes (the kops state bucket and the metrics bucket would both be the S3 bucket cloud-dev-data), found "cloud-dev-data"',
            ]);
        });

        it("refuses a name whose derived key alias is another component's (alias/cloud-dev-alarms, alias/cloud-dev-logs-opensearch)", () => {
            assert.deepEqual(problems(withField(dev, "cloud-cnc:monitoring", ["bucketName"], "cloud-dev-alarms")), [
                "cloud-cnc:monitoring.bucketName: expected a name no other resource of the stack takes (the metrics bucket's key and the alarm topic's key would both be the KMS alias alias/cloud-dev-alarms), found \"cloud-dev-alarms\"",
            ]);
            assert.deepEqual(problems(withField(dev, "cloud-cnc:monitoring", ["bucketName"], "cloud-dev-logs-opensearch")), [
                "cloud-cnc:monitoring.bucketName: expected a name no other resource of the stack takes (the metrics bucket's key and the OpenSearch domain's key would both be the KMS alias alias/cloud-dev-logs-opensearch), found \"cloud-dev-logs-opensearch\"",
            ]);
        });

        it("default names never collide, for any prefix and environment (property)", () => {
            const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);
            const base = parseStackConfig(dev, secrets);
            fc.assert(
                fc.property(name, name, (prefix, environment) => {
                    assert.deepEqual(nameCollisionProblems({ ...base, prefix, environment, monitoring: { ...base.monitoring, bucketName: undefined }, logging: { ...base.logging, domainName: undefined } }), []);
                }),
            );
        });

        it("the committed stacks' names are all distinct", () => {
            for (const raw of [dev, prod]) {
                const names = stackNames(parseStackConfig(raw, secrets));
                assert.equal(names.length, 8);
                for (const kind of ["S3 bucket", "KMS alias"]) {
                    const of = names.filter((n) => n.kind === kind).map((n) => n.name);
                    assert.equal(new Set(of).size, of.length, `${kind}: ${of.join(", ")}`);
                }
            }
        });
    });

    describe("mistakes that used to pass silently (issue 12)", () => {
        it("refuses an availability zone of another region", () => {
            const raw = withField(withField(dev, "cloud-cnc:network", ["availabilityZoneCount"], undefined), "cloud-cnc:network", ["availabilityZoneNames"], ["us-east-1a", "eu-west-1b"]);
            assert.deepEqual(problems(raw), ['cloud-cnc:network.availabilityZoneNames[0]: expected an availability zone of the stack\'s region eu-west-1, such as eu-west-1a, found "us-east-1a"']);
            assert.deepEqual(problems(withField(raw, "cloud-cnc:network", ["availabilityZoneNames"], ["eu-west-1a", "eu-west-1c"])), []);
        });

        it("refuses limits below requests, at the limit", () => {
            const raw = withField(dev, "cloud-cnc:monitoring", ["prometheus", "resources"], { cpuRequest: "2", cpuLimit: "1500m", memoryRequest: "4Gi", memoryLimit: "3900Mi" });
            assert.deepEqual(problems(raw), [
                'cloud-cnc:monitoring.prometheus.resources.cpuLimit: expected a cpu limit no lower than cpuRequest (2), found "1500m"',
                'cloud-cnc:monitoring.prometheus.resources.memoryLimit: expected a memory limit no lower than memoryRequest (4Gi), found "3900Mi"',
            ]);
            // Against the default request too: a limit alone below the default request of 500m.
            assert.deepEqual(problems(withField(dev, "cloud-cnc:monitoring", ["prometheus", "resources"], { cpuLimit: "250m" })), [
                'cloud-cnc:monitoring.prometheus.resources.cpuLimit: expected a cpu limit no lower than cpuRequest (500m), found "250m"',
            ]);
            assert.deepEqual(problems(withField(dev, "cloud-cnc:monitoring", ["prometheus", "resources"], { cpuRequest: "1", cpuLimit: "1000m", memoryRequest: "1Gi", memoryLimit: "1024Mi" })), [], "equal is fine");
        });

        it("refuses a cron() or rate() EventBridge would refuse, saying which field", () => {
            assert.deepEqual(problems(withField(dev, "cloud-cnc:registrar", ["scheduleExpression"], "cron(0 0 * * * *)")), [
                'cloud-cnc:registrar.scheduleExpression: expected an EventBridge schedule such as "rate(5 minutes)" or "cron(0/5 * * * ? *)" (exactly one of day-of-month and day-of-week must be ? (EventBridge refuses both set, and both ?)), found "cron(0 0 * * * *)"',
            ]);
            assert.deepEqual(problems(withField(dev, "cloud-cnc:registrar", ["scheduleExpression"], "rate(1 minutes)")), [
                'cloud-cnc:registrar.scheduleExpression: expected an EventBridge schedule such as "rate(5 minutes)" or "cron(0/5 * * * ? *)" (rate(1 minutes) takes the singular: rate(1 minute)), found "rate(1 minutes)"',
            ]);
        });

        it("refuses tag keys with AWS's reserved aws: prefix, in any case", () => {
            assert.deepEqual(problems(withField(dev, "cloud-cnc:tags", ["AWS:Owner"], "me")), ['cloud-cnc:tags.AWS:Owner: expected a tag key not starting with aws: (AWS reserves the prefix and refuses such tags), found "AWS:Owner"']);
        });

        it("warns when cloud-cnc:tags sets Environment or Project: the stack's own tags replace them", () => {
            const cfg = parseStackConfig(withField(withField(dev, "cloud-cnc:tags", ["Environment"], "production"), "cloud-cnc:tags", ["Project"], "cnc"), secrets);
            assert.deepEqual(cfg.warnings, [
                'cloud-cnc:tags.Environment ("production") is replaced by the stack\'s own Environment tag ("dev"): remove it from cloud-cnc:tags or use another key',
                'cloud-cnc:tags.Project ("cnc") is replaced by the stack\'s own Project tag ("cloud-cnc"): remove it from cloud-cnc:tags or use another key',
            ]);
            assert.deepEqual(parseStackConfig(withField(dev, "cloud-cnc:tags", ["Environment"], "dev"), secrets).warnings, [], "the same value is no surprise");
        });

        it("refuses a volume of size 0, and a CPU or memory quantity of 0", () => {
            assert.deepEqual(problems(withField(dev, "cloud-cnc:monitoring", ["prometheus", "storageSize"], "0")), ['cloud-cnc:monitoring.prometheus.storageSize: expected a Kubernetes quantity above zero such as 100Gi, found "0"']);
            assert.deepEqual(problems(withField(dev, "cloud-cnc:monitoring", ["grafana"], { storageSize: "0Gi" })), ['cloud-cnc:monitoring.grafana.storageSize: expected a Kubernetes quantity above zero such as 10Gi, found "0Gi"']);
            assert.deepEqual(problems(withField(dev, "cloud-cnc:monitoring", ["prometheus", "resources"], { cpuRequest: "0m" })), ['cloud-cnc:monitoring.prometheus.resources.cpuRequest: expected a CPU quantity above zero such as 500m or 2, found "0m"']);
        });

        it("refuses one existing hosted zone for both private zones", () => {
            const raw = withField(withField(dev, "cloud-cnc:network", ["monitoringZone", "existingZoneId"], "Z0123456789ABCDEFGHIJ"), "cloud-cnc:network", ["internalZone", "existingZoneId"], "Z0123456789ABCDEFGHIJ");
            assert.deepEqual(problems(raw), ['cloud-cnc:network.internalZone.existingZoneId: expected a hosted zone other than monitoringZone.existingZoneId (the two zones hold different records), found "Z0123456789ABCDEFGHIJ"']);
        });

        it("refuses a region the AWS provider does not know", () => {
            assert.deepEqual(problems(withKey(dev, "aws:region", "eu-west-9")), ['aws:region: expected an AWS region the provider knows, such as eu-west-1 (pulumi config set aws:region <region>), found "eu-west-9"']);
            assert.deepEqual(problems(withField(dev, "cloud-cnc:monitoring", ["bucketRegion"], "us-east-7")), ['cloud-cnc:monitoring.bucketRegion: expected an AWS region the provider knows, such as eu-west-1, found "us-east-7"']);
            for (const region of ["eu-west-1", "us-east-1", "sa-east-1", "ap-southeast-4"]) {
                const raw = withKey(dev, "aws:region", region);
                const got = problems(raw);
                // Only dev's eu-west-1 availability zone list could object: dev names none.
                assert.deepEqual(got, [], `${region}: ${got.join(" | ")}`);
            }
            // Regions the provider knows but the shipped RDS CA bundle predates: only the provisioner objects.
            for (const region of ["ap-southeast-5", "mx-central-1"]) {
                assert.deepEqual(problems(withKey(dev, "aws:region", region)), [
                    `aws:region: expected a region whose RDS root CA is in the bundle the provisioner verifies its database with (components/provisioner/rds-ca-bundle.ts; replace it with a newer global-bundle.pem for a newer region), found "${region}"`,
                ]);
            }
        });
    });

    describe("network guards reason about address ranges (one shared guard, components/common/cidr.ts)", () => {
        const INTERNAL = "a private IPv4 CIDR block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 (RFC 1918, RFC 6598) such as 10.0.0.0/16";
        const withResolver = (cidrs: string[]) => withField(dev, "cloud-cnc:network", ["resolver"], { inbound: true, allowedCidrs: cidrs });
        const withTgw = (cidrs: string[]) => withField(dev, "cloud-cnc:network", ["transitGateway"], { transitGatewayId: "tgw-0123456789abcdef0", routeCidrs: cidrs });
        // Lists meant to be internal: every public or special-purpose block is refused, whatever its spelling.
        const internalLists: Array<[string, (cidrs: string[]) => Record<string, string>]> = [
            ["cloud-cnc:cluster.privateAccessCidrs", (c) => withField(dev, "cloud-cnc:cluster", ["privateAccessCidrs"], c)],
            ["cloud-cnc:network.resolver.allowedCidrs", withResolver],
            ["cloud-cnc:network.transitGateway.routeCidrs", withTgw],
            ["cloud-cnc:logging.allowedCidrs", (c) => withField(dev, "cloud-cnc:logging", ["allowedCidrs"], c)],
        ];
        for (const [key, set] of internalLists) {
            it(`${key}: only private ranges; 0.0.0.0/0, its halves, a public block and a block straddling a private range are refused`, () => {
                const refused = ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "8.8.0.0/18", "10.0.0.0/7", "198.18.0.0/15", "203.0.113.0/24"];
                const got = problems(set(["10.200.0.0/16", ...refused]));
                assert.deepEqual(got, refused.map((c, i) => `${key}[${i + 1}]: expected ${INTERNAL}, found "${c}"`));
                assert.deepEqual(problems(set(["10.200.0.0/16", "172.31.0.0/16", "192.168.10.0/24", "100.64.0.0/16"])), []);
            });
        }

        it("refuses a VPC CIDR of public addresses (8.8.0.0/18)", () => {
            assert.deepEqual(problems(withField(dev, "cloud-cnc:network", ["vpcCidr"], "8.8.0.0/18")), [`cloud-cnc:network.vpcCidr: expected ${INTERNAL}, found "8.8.0.0/18"`]);
            assert.deepEqual(problems(withField(dev, "cloud-cnc:network", ["vpcCidr"], "100.64.0.0/18")), [], "RFC 6598 shared address space is internal");
        });

        it("refuses a public endpoint list that covers more than a /16 of public addresses, however it is split", () => {
            const tooWide = (what: string, found: string) =>
                `cloud-cnc:cluster.publicAccessCidrs: expected CIDR blocks that together cover at most 65536 public IPv4 addresses (a /16), or allowAnyCidr: true to open the public endpoint wider (these cover ${what}), found ${found}`;
            const quarters = ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"];
            assert.deepEqual(problems(withField(dev, "cloud-cnc:cluster", ["publicAccessCidrs"], quarters)), [tooWide("every public IPv4 address", JSON.stringify(quarters))]);
            const twoSixteens = ["8.8.0.0/16", "9.9.0.0/16"];
            assert.deepEqual(problems(withField(dev, "cloud-cnc:cluster", ["publicAccessCidrs"], twoSixteens)), [tooWide("131072 public IPv4 addresses", JSON.stringify(twoSixteens))]);
            assert.deepEqual(problems(withField(dev, "cloud-cnc:cluster", ["publicAccessCidrs"], ["8.8.0.0/17", "8.8.128.0/17"])), [], "exactly a /16");
        });
    });

    it("refuses a GovCloud or China region: the stack deploys to the aws partition only", () => {
        for (const [region, partition] of [["us-gov-west-1", "aws-us-gov"], ["cn-north-1", "aws-cn"]]) {
            const got = problems(withKey(dev, "aws:region", region));
            assert.equal(got.length, 1, got.join("\n"));
            assert.match(got[0], new RegExp(`^aws:region: expected a region of the commercial AWS partition \\(aws\\): ${partition} .*, found "${region}"$`));
        }
    });

    it("ignores other providers' namespaces", () => {
        assert.deepEqual(problems(withKey(dev, "kubernetes:context", "x")), []);
    });
});
