// The `cloud-cnc:monitoring` config section: ThanosFederation's own schema as config (the same
// rules and messages), and what the composition adds before the component parses it.
import { strict as assert } from "assert";
import { argsProblems } from "../../components/common/schema";
import { DEAD_MANS_SWITCH_NEEDS_WEBHOOK, RETENTION_5M_EXPECTED, RETENTION_RAW_EXPECTED, thanosFederationSchema } from "../../components/thanos-federation/schema";
import { monitoringConfigSchema } from "../../stacks/config/monitoring";
import { validateSection } from "../../stacks/config/validate";

/** What stacks/compose.ts adds to the section (stack settings, the cluster's OIDC provider). */
const composed = {
    environment: "prod",
    prefix: "cloud",
    profile: "production",
    deletionProtection: true,
    tags: { team: "cnc" },
    oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
    oidcProviderUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
};

describe("monitoring config section", () => {
    it("an empty section gets the defaults and, composed, is args the component accepts", () => {
        const { value, messages } = validateSection("monitoring", monitoringConfigSchema, {});
        assert.deepEqual(messages, []);
        assert.equal(value!.clusterId, undefined, "the composition supplies the cluster's name");
        assert.equal(value!.bucketName, undefined);
        assert.equal(value!.bucketRegion, undefined, "the composition supplies the stack region");
        assert.equal(value!.federation.mode, "thanos");
        assert.deepEqual(value!.federation.match, ['{job="prometheus"}', '{__name__=~"job:.*"}']);
        assert.equal(value!.federation.groups, 0);
        assert.deepEqual(value!.thanos.compactor, {
            retentionRaw: "30d",
            retention5m: "90d",
            retention1h: "1y",
            storageSize: "100Gi",
            resources: { cpuRequest: "250m", memoryRequest: "1Gi", cpuLimit: "1", memoryLimit: "4Gi" },
        });
        const args = { ...value!, ...composed, clusterId: "cloud-prod-cnc", bucketRegion: "eu-west-1" };
        assert.deepEqual(argsProblems(thanosFederationSchema, args), []);
        const settings = thanosFederationSchema.parse(args);
        assert.equal(settings.bucketName, "cloud-prod-prometheus-metrics");
        assert.equal(settings.deletionProtection, true);
        assert.deepEqual(settings.tags, { team: "cnc" });
        assert.equal(settings.prometheus.replicas, 2, "production profile");
    });

    it("keeps every configured value", () => {
        const { value, messages } = validateSection("monitoring", monitoringConfigSchema, {
            clusterId: "cnc-eu",
            bucketName: "fleet-metrics",
            bucketRegion: "eu-central-1",
            storageClassName: "gp3",
            prometheus: { retention: "3d", replicas: 3, resources: { memoryLimit: "8Gi" }, configMaps: ["thanos-query-targets", "blackbox-probe-targets"], disabledDefaultAlerts: ["KubeJobFailed"] },
            grafana: { cloudWatchRegion: "us-east-1" },
            thanos: { query: { replicas: 3, responseTimeout: "1m" }, queryFrontend: { enabled: true }, ruler: { ruleConfigMaps: ["fleet-alerts"] } },
            federation: { mode: "prometheus-federation", match: ['{__name__=~"job:.*"}'], groups: 4 },
        });
        assert.deepEqual(messages, []);
        assert.equal(value!.clusterId, "cnc-eu");
        assert.equal(value!.bucketName, "fleet-metrics");
        assert.equal(value!.bucketRegion, "eu-central-1");
        assert.equal(value!.storageClassName, "gp3");
        assert.deepEqual(value!.prometheus, {
            retention: "3d",
            storageSize: "100Gi",
            replicas: 3,
            resources: { cpuRequest: "500m", memoryRequest: "2Gi", cpuLimit: "2", memoryLimit: "8Gi" },
            configMaps: ["thanos-query-targets", "blackbox-probe-targets"],
            disabledDefaultAlerts: ["KubeJobFailed"],
        });
        assert.deepEqual(value!.grafana, { storageSize: "10Gi", cloudWatchRegion: "us-east-1" });
        assert.equal(value!.thanos.query.responseTimeout, "1m");
        assert.equal(value!.thanos.queryFrontend.enabled, true);
        assert.deepEqual(value!.thanos.ruler.ruleConfigMaps, ["fleet-alerts"]);
        assert.equal(value!.federation.mode, "prometheus-federation");
        assert.deepEqual(value!.federation.match, ['{__name__=~"job:.*"}']);
        assert.equal(value!.federation.groups, 4);
    });

    it("rejects retentions that delete data before downsampling, with the component's own messages", () => {
        const { messages } = validateSection("monitoring", monitoringConfigSchema, { thanos: { compactor: { retentionRaw: "2d", retention5m: "14d" } } });
        assert.deepEqual(messages, [
            `cloud-cnc:monitoring.thanos.compactor.retentionRaw: expected ${RETENTION_RAW_EXPECTED}, found "2d"`,
            `cloud-cnc:monitoring.thanos.compactor.retention5m: expected ${RETENTION_5M_EXPECTED}, found "14d"`,
        ]);
    });

    it("names the key, the expected form and the value for every other mistake, with the component's messages", () => {
        const { messages } = validateSection("monitoring", monitoringConfigSchema, {
            federation: { mode: "federate", groups: 65 },
            prometheus: { retention: "a week" },
            thanos: { store: { indexCacheSizeMb: 8 } },
            grafana: { storageSize: "lots" },
            extra: true,
        });
        assert.deepEqual(messages.sort(), [
            'cloud-cnc:monitoring.extra: expected no unknown key here (known keys: clusterId, bucketName, bucketRegion, storageClassName, createNamespace, prometheus, alertmanager, grafana, thanos, federation), found a value (hidden)',
            'cloud-cnc:monitoring.federation.groups: expected a whole number of group federators from 0 (flat) to 64, found 65',
            'cloud-cnc:monitoring.federation.mode: expected one of "thanos", "prometheus-federation", found "federate"',
            'cloud-cnc:monitoring.grafana.storageSize: expected a Kubernetes quantity above zero such as 10Gi, found "lots"',
            'cloud-cnc:monitoring.prometheus.retention: expected a duration of at least 2h such as 7d (the sidecar uploads 2h blocks; Prometheus keeps them this long locally), found "a week"',
            'cloud-cnc:monitoring.thanos.store.indexCacheSizeMb: expected a whole number of megabytes from 64 to 65536, found 8',
        ].sort());
    });

    it("refuses the dead man's switch URL as plain config (it is a secret key), duplicate or invalid mounted ConfigMaps and an unknown CloudWatch region", () => {
        const { messages } = validateSection("monitoring", monitoringConfigSchema, {
            deadMansSwitchUrl: "https://hc-ping.com/0d3c4e2a-0000-4000-8000-000000000000",
            prometheus: { configMaps: ["blackbox-probe-targets", "blackbox-probe-targets", "Bad_Name"] },
            grafana: { cloudWatchRegion: "europe" },
        });
        assert.deepEqual(messages.sort(), [
            "cloud-cnc:monitoring.deadMansSwitchUrl: expected no unknown key here (known keys: clusterId, bucketName, bucketRegion, storageClassName, createNamespace, prometheus, alertmanager, grafana, thanos, federation), found a value (hidden)",
            'cloud-cnc:monitoring.grafana.cloudWatchRegion: expected an AWS region the provider knows, such as eu-west-1, found "europe"',
            `cloud-cnc:monitoring.prometheus.configMaps: expected a list of distinct ConfigMap names, found ["blackbox-probe-targets","blackbox-probe-targets","Bad_Name"]`,
            `cloud-cnc:monitoring.prometheus.configMaps[2]: expected a ConfigMap name (lowercase letters, digits, '-'), found "Bad_Name"`,
        ].sort());
    });

    it("the component refuses a dead man's switch without the webhook, naming the missing field and never the URL", () => {
        const url = "https://hc-ping.com/0d3c4e2a-0000-4000-8000-000000000000";
        const problems = argsProblems(thanosFederationSchema, { ...composed, clusterId: "c", bucketRegion: "eu-west-1", deadMansSwitchUrl: url });
        assert.deepEqual(problems, [{ field: "alertWebhookUrl", expected: DEAD_MANS_SWITCH_NEEDS_WEBHOOK, found: undefined }]);
        assert.deepEqual(argsProblems(thanosFederationSchema, { ...composed, clusterId: "c", bucketRegion: "eu-west-1", deadMansSwitchUrl: url, alertWebhookUrl: "https://chat.example/hooks/x" }), []);
    });

    it("CloudWatch defaults to the bucket's region in the component; the composition sets the stack's", () => {
        const s = thanosFederationSchema.parse({ ...composed, clusterId: "c", bucketRegion: "eu-central-1" });
        assert.equal(s.grafana.cloudWatchRegion, "eu-central-1");
        assert.equal(thanosFederationSchema.parse({ ...composed, clusterId: "c", bucketRegion: "eu-central-1", grafana: { cloudWatchRegion: "us-east-1" } }).grafana.cloudWatchRegion, "us-east-1");
        assert.deepEqual(s.prometheus.configMaps, []);
    });

    it("config and component report a mistake identically (one rule book)", () => {
        const section = { prometheus: { retention: "1h" }, thanos: { compactor: { retentionRaw: "1d" } } };
        const fromConfig = validateSection("monitoring", monitoringConfigSchema, section).problems.map((p) => [p.field.replace("cloud-cnc:monitoring.", ""), p.expected]);
        const fromArgs = argsProblems(thanosFederationSchema, { ...section, ...composed, clusterId: "c", bucketRegion: "eu-west-1" }).map((p) => [p.field, p.expected]);
        assert.deepEqual(fromConfig, fromArgs);
    });
});
