// The `cloud-cnc:registrar` config section: DnsRegistrar's own schema as config (the same rules
// and messages), and what the composition adds before the component parses it.
import { strict as assert } from "assert";
import { argsProblems } from "../../components/common/schema";
import { dnsRegistrarSchema } from "../../components/dns-registrar/schema";
import { registrarConfigSchema } from "../../stacks/config/registrar";
import { validateSection } from "../../stacks/config/validate";

/** What stacks/compose.ts adds to the section (stack settings, the cluster, the default zones). */
const composed = {
    environment: "dev",
    prefix: "cloud",
    profile: "development",
    region: "eu-west-1",
    clusterName: "cloud-dev-cnc",
    selfPrometheusTarget: "",
    tags: { Environment: "dev" },
};
const monitoringZone = { thanosZoneId: "ZABCDE1", thanosZoneName: "m.cnc.internal", prometheusZoneId: "ZABCDE1", prometheusZoneName: "m.cnc.internal" };

/** The section as the composition passes it to the component (without the composition's inVpc switch). */
function composedArgs(section: Record<string, unknown>): Record<string, unknown> {
    const { inVpc: _inVpc, ...rest } = section;
    return { ...monitoringZone, ...rest, ...composed };
}

describe("cloud-cnc:registrar config section", () => {
    it("defaults everything; the zones, cluster and VPC are left to the composition; composed, the component accepts it", () => {
        const { value, messages } = validateSection("registrar", registrarConfigSchema, undefined);
        assert.deepEqual(messages, []);
        assert.deepEqual(value, {
            grpcPort: 10901,
            prometheusPort: 9090,
            queryHttpPort: 80,
            thanosNamePattern: "{id}-grpc",
            prometheusNamePattern: "{id}",
            installationsNamePattern: "{id}",
            queryNamePattern: "{id}",
            exclusions: [],
            namespace: "monitoring",
            allowConfigMapCreate: false,
            shrinkFloorPercent: 50,
            shrinkMaxRemovals: 20,
            shrinkAlwaysAllowed: 1,
            emptyConfirmSeconds: 900,
            scheduleExpression: "rate(5 minutes)",
            memorySize: 512,
            timeout: 60,
            maximumRetryAttempts: 2,
            maximumEventAgeSeconds: 3600,
            kubernetesGroup: "cloud-cnc:dns-registrar",
            inVpc: true,
        });
        // With the composition's values added, the args validate, and the profile sets the log retention.
        const args = composedArgs(value!);
        assert.deepEqual(argsProblems(dnsRegistrarSchema, args), []);
        assert.equal(dnsRegistrarSchema.parse(args).logRetentionDays, 30);
        assert.equal(dnsRegistrarSchema.parse({ ...args, profile: "production" }).logRetentionDays, 90);
    });

    it("keeps configured zones and options under the component's own key names", () => {
        const { value, messages } = validateSection("registrar", registrarConfigSchema, {
            thanosZoneId: "ZTHANOS1",
            thanosZoneName: "thanos.fleet.internal",
            installationsZoneId: "ZINST01",
            installationsZoneName: "cloud.example.com",
            exclusions: ["legacy"],
            alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
            scheduleExpression: "cron(0/10 * * * ? *)",
            logRetentionDays: 14,
            inVpc: false,
        });
        assert.deepEqual(messages, []);
        assert.equal(value!.thanosZoneId, "ZTHANOS1");
        assert.equal(value!.thanosZoneName, "thanos.fleet.internal");
        assert.equal(value!.prometheusZoneId, undefined);
        assert.equal(value!.installationsZoneName, "cloud.example.com");
        assert.deepEqual(value!.exclusions, ["legacy"]);
        assert.equal(value!.alarmTopicArn, "arn:aws:sns:eu-west-1:123456789012:alerts");
        assert.equal(value!.scheduleExpression, "cron(0/10 * * * ? *)");
        assert.equal(value!.inVpc, false);
        const settings = dnsRegistrarSchema.parse(composedArgs(value!));
        assert.equal(settings.thanosZoneId, "ZTHANOS1");
        assert.equal(settings.prometheusZoneId, "ZABCDE1", "unset zones come from the composition");
        assert.equal(settings.logRetentionDays, 14, "an explicit retention beats the profile's");
    });

    it("names the key, the expected form and the value found", () => {
        const { messages } = validateSection("registrar", registrarConfigSchema, {
            installationsZoneId: "nope",
            installationsZoneName: "cloud.example.com",
            grpcPort: 0,
            shrinkFloorPercent: 120,
            scheduleExpression: "hourly",
            thanosNamePattern: "grpc",
            kubernetesGroup: "system:masters",
            logRetentionDays: 10,
            extra: true,
        });
        assert.deepEqual(messages, [
            'cloud-cnc:registrar.installationsZoneId: expected a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ (a /hostedzone/ prefix is allowed), found "nope"',
            "cloud-cnc:registrar.grpcPort: expected a port number from 1 to 65535, found 0",
            'cloud-cnc:registrar.thanosNamePattern: expected a relative name pattern with exactly one {id} placeholder, such as "{id}-grpc", found "grpc"',
            "cloud-cnc:registrar.shrinkFloorPercent: expected an integer percentage from 0 to 100, found 120",
            'cloud-cnc:registrar.scheduleExpression: expected an EventBridge schedule such as "rate(5 minutes)" or "cron(0/5 * * * ? *)" (neither rate(...) nor cron(...)), found "hourly"',
            "cloud-cnc:registrar.logRetentionDays: expected one of CloudWatch Logs' retention periods in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, found 10",
            'cloud-cnc:registrar.kubernetesGroup: expected a Kubernetes group name not starting with system:, found "system:masters"',
            "cloud-cnc:registrar.extra: expected no unknown key here (known keys: thanosZoneId, thanosZoneName, prometheusZoneId, prometheusZoneName, installationsZoneId, installationsZoneName, grpcPort, prometheusPort, queryHttpPort, thanosNamePattern, prometheusNamePattern, installationsNamePattern, queryNamePattern, exclusions, namespace, allowConfigMapCreate, shrinkFloorPercent, shrinkMaxRemovals, shrinkAlwaysAllowed, emptyConfirmSeconds, scheduleExpression, memorySize, timeout, maximumRetryAttempts, maximumEventAgeSeconds, logRetentionDays, alarmTopicArn, kubernetesGroup, inVpc), found a value (hidden)",
        ]);
        const pair = validateSection("registrar", registrarConfigSchema, { thanosZoneId: "ZTHANOS1" });
        assert.deepEqual(pair.messages, ["cloud-cnc:registrar.thanosZoneName: expected to be set together with thanosZoneId, found nothing"]);
        const other = validateSection("registrar", registrarConfigSchema, { prometheusZoneName: "prometheus.fleet.internal" });
        assert.deepEqual(other.messages, ["cloud-cnc:registrar.prometheusZoneId: expected to be set together with prometheusZoneName, found nothing"]);
        // Keys the composition supplies are not config.
        const composedKey = validateSection("registrar", registrarConfigSchema, { clusterName: "x", region: "eu-west-1" });
        assert.deepEqual(composedKey.problems.map((p) => p.field), ["cloud-cnc:registrar.clusterName", "cloud-cnc:registrar.region"]);
    });

    it("config and component report a mistake identically (one rule book)", () => {
        const section = {
            thanosZoneId: "/hostedzone/nope",
            thanosZoneName: "Thanos.Fleet",
            installationsZoneId: "ZINST01",
            exclusions: ["a,b"],
            memorySize: 64,
            maximumRetryAttempts: 3,
            alarmTopicArn: "arn:aws:sns:eu-west-1:1:alerts",
            prometheusNamePattern: "{id}.{id}",
        };
        const fromConfig = validateSection("registrar", registrarConfigSchema, section).problems.map((p) => [p.field.replace("cloud-cnc:registrar.", ""), p.expected, p.found]);
        const fromArgs = argsProblems(dnsRegistrarSchema, composedArgs(section)).map((p) => [p.field, p.expected, p.found]);
        assert.equal(fromConfig.length, 8, JSON.stringify(fromConfig));
        assert.deepEqual(fromConfig, fromArgs);
    });
});
