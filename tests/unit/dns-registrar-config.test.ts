import { strict as assert } from "assert";
import { registrarArgs, registrarConfigSchema } from "../../stacks/config/registrar";
import { validateSection } from "../../stacks/config/validate";
import { validateRegistrarArgs } from "../../components/dns-registrar/plan";

const common = { environment: "dev", prefix: "cloud", profile: "development" as const, deletionProtection: false, tags: { environment: "dev" } };

describe("cloud-cnc:registrar config section", () => {
    it("defaults everything; the mapping leaves zones, cluster and VPC to the composition", () => {
        const { value, messages } = validateSection("registrar", registrarConfigSchema, undefined);
        assert.deepEqual(messages, []);
        assert.equal(value!.inVpc, true);
        const args = registrarArgs(value!, common);
        assert.deepEqual(args, {
            grpcPort: 10901,
            prometheusPort: 9090,
            exclusions: [],
            shrinkFloorPercent: 50,
            scheduleExpression: "rate(5 minutes)",
            memorySize: 512,
            timeout: 60,
            logRetentionDays: 30,
            kubernetesGroup: "cloud-cnc:dns-registrar",
            allowConfigMapCreate: false,
            namespace: "monitoring",
            tags: { environment: "dev" },
        });
        // With the composition's values added, the args validate.
        assert.deepEqual(validateRegistrarArgs({ ...args, clusterName: "cnc", thanosZoneId: "ZABCDE1", thanosZoneName: "m.internal", prometheusZoneId: "ZABCDE1", prometheusZoneName: "m.internal" }), []);
    });

    it("maps configured zones and options", () => {
        const { value } = validateSection("registrar", registrarConfigSchema, {
            thanosZone: { id: "ZTHANOS1", name: "thanos.fleet.internal" },
            installationsZone: { id: "ZINST01", name: "cloud.example.com" },
            exclusions: ["legacy"],
            alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
            scheduleExpression: "cron(0/10 * * * ? *)",
        });
        const args = registrarArgs(value!, common);
        assert.equal(args.thanosZoneId, "ZTHANOS1");
        assert.equal(args.thanosZoneName, "thanos.fleet.internal");
        assert.equal(args.prometheusZoneId, undefined);
        assert.equal(args.installationsZoneName, "cloud.example.com");
        assert.deepEqual(args.exclusions, ["legacy"]);
        assert.equal(args.alarmTopicArn, "arn:aws:sns:eu-west-1:123456789012:alerts");
        assert.equal(args.scheduleExpression, "cron(0/10 * * * ? *)");
    });

    it("names the key, the expected form and the value found", () => {
        const { messages } = validateSection("registrar", registrarConfigSchema, {
            installationsZone: { id: "nope", name: "cloud.example.com" },
            grpcPort: 0,
            shrinkFloorPercent: 120,
            scheduleExpression: "hourly",
            thanosNamePattern: "grpc",
            kubernetesGroup: "system:masters",
            logRetentionDays: 10,
            extra: true,
        });
        assert.deepEqual(messages, [
            'cloud-cnc:registrar.installationsZone.id: expected a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ, found "nope"',
            "cloud-cnc:registrar.grpcPort: expected a port number from 1 to 65535, found 0",
            'cloud-cnc:registrar.thanosNamePattern: expected a relative name pattern with exactly one {id} placeholder, such as "{id}-grpc", found "grpc"',
            "cloud-cnc:registrar.shrinkFloorPercent: expected an integer percentage from 0 to 100, found 120",
            'cloud-cnc:registrar.scheduleExpression: expected an EventBridge schedule such as "rate(5 minutes)" or "cron(0/5 * * * ? *)", found "hourly"',
            "cloud-cnc:registrar.logRetentionDays: expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, found 10",
            'cloud-cnc:registrar.kubernetesGroup: expected a Kubernetes group name not starting with system:, found "system:masters"',
            "cloud-cnc:registrar.extra: expected no unknown key here (known keys: thanosZone, prometheusZone, installationsZone, grpcPort, prometheusPort, thanosNamePattern, prometheusNamePattern, installationsNamePattern, exclusions, shrinkFloorPercent, scheduleExpression, memorySize, timeout, logRetentionDays, alarmTopicArn, kubernetesGroup, allowConfigMapCreate, namespace, inVpc), found true",
        ]);
        const pair = validateSection("registrar", registrarConfigSchema, { thanosZone: { id: "ZTHANOS1" } });
        assert.deepEqual(pair.messages, ["cloud-cnc:registrar.thanosZone.name: expected to be set together with the zone's id, found nothing"]);
    });
});
