// The `cloud-cnc:monitoring` config section: schema messages and the mapping to ThanosFederation's args.
import { strict as assert } from "assert";
import { RETENTION_5M_EXPECTED, RETENTION_RAW_EXPECTED, settingsWithDefaults, validateSettings } from "../../components/thanos-federation/plan";
import { monitoringArgs, monitoringConfigSchema } from "../../stacks/config/monitoring";
import { validateSection } from "../../stacks/config/validate";

const common = { environment: "prod", prefix: "cloud", deletionProtection: true, tags: { team: "cnc" } };

describe("monitoring config section", () => {
    it("an empty section gets the defaults and maps to args the component accepts", () => {
        const { value, messages } = validateSection("monitoring", monitoringConfigSchema, {});
        assert.deepEqual(messages, []);
        const args = monitoringArgs(value!, common);
        assert.equal(args.clusterId, "cloud-prod-cnc");
        assert.equal(args.environment, "prod");
        assert.equal(args.prefix, "cloud");
        assert.equal(args.bucketName, undefined);
        assert.equal(args.bucketRegion, undefined, "the composition supplies the stack region");
        assert.equal(args.federationMode, "thanos");
        assert.deepEqual(args.federationMatch, ['{job="prometheus"}', '{__name__=~"job:.*"}']);
        assert.equal(args.federationGroups, 0);
        assert.equal(args.deletionProtection, true);
        assert.deepEqual(args.tags, { team: "cnc" });
        assert.deepEqual(args.thanos?.compactor, { retentionRaw: "30d", retention5m: "90d", retention1h: "1y", storageSize: "100Gi", resources: undefined });
        const full = { ...args, bucketRegion: "eu-west-1", oidcProviderArn: "arn", oidcProviderUrl: "https://x" };
        assert.deepEqual(validateSettings(full, settingsWithDefaults(full)), []);
    });

    it("maps every configured value", () => {
        const { value, messages } = validateSection("monitoring", monitoringConfigSchema, {
            clusterId: "cnc-eu",
            bucketName: "fleet-metrics",
            bucketRegion: "eu-central-1",
            storageClassName: "gp3",
            prometheus: { retention: "3d", replicas: 3, resources: { memoryLimit: "8Gi" } },
            thanos: { query: { replicas: 3, responseTimeout: "1m" }, queryFrontend: { enabled: true }, ruler: { ruleConfigMaps: ["fleet-alerts"] } },
            federation: { mode: "prometheus-federation", match: ['{__name__=~"job:.*"}'], groups: 4 },
        });
        assert.deepEqual(messages, []);
        const args = monitoringArgs(value!, common);
        assert.equal(args.clusterId, "cnc-eu");
        assert.equal(args.bucketName, "fleet-metrics");
        assert.equal(args.bucketRegion, "eu-central-1");
        assert.equal(args.storageClassName, "gp3");
        assert.deepEqual(args.prometheus, { retention: "3d", storageSize: "100Gi", replicas: 3, resources: { memoryLimit: "8Gi" } });
        assert.equal(args.thanos?.query?.responseTimeout, "1m");
        assert.equal(args.thanos?.queryFrontend?.enabled, true);
        assert.deepEqual(args.thanos?.ruler?.ruleConfigMaps, ["fleet-alerts"]);
        assert.equal(args.federationMode, "prometheus-federation");
        assert.deepEqual(args.federationMatch, ['{__name__=~"job:.*"}']);
        assert.equal(args.federationGroups, 4);
    });

    it("rejects retentions that delete data before downsampling, with the component's own messages", () => {
        const { messages } = validateSection("monitoring", monitoringConfigSchema, { thanos: { compactor: { retentionRaw: "2d", retention5m: "14d" } } });
        assert.deepEqual(messages, [
            `cloud-cnc:monitoring.thanos.compactor.retentionRaw: expected ${RETENTION_RAW_EXPECTED}, found "2d"`,
            `cloud-cnc:monitoring.thanos.compactor.retention5m: expected ${RETENTION_5M_EXPECTED}, found "14d"`,
        ]);
    });

    it("names the key, the expected form and the value for every other mistake", () => {
        const { messages } = validateSection("monitoring", monitoringConfigSchema, {
            federation: { mode: "federate", groups: 65 },
            prometheus: { retention: "a week" },
            thanos: { store: { indexCacheSizeMb: 8 } },
            grafana: { storageSize: "lots" },
            extra: true,
        });
        assert.deepEqual(messages.sort(), [
            'cloud-cnc:monitoring.extra: expected no unknown key here (known keys: clusterId, bucketName, bucketRegion, storageClassName, prometheus, alertmanager, grafana, thanos, federation), found true',
            'cloud-cnc:monitoring.federation.groups: expected a whole number of group federators from 0 (flat) to 64, found 65',
            'cloud-cnc:monitoring.federation.mode: expected one of "thanos", "prometheus-federation", found "federate"',
            'cloud-cnc:monitoring.grafana.storageSize: expected a Kubernetes quantity such as 10Gi, found "lots"',
            'cloud-cnc:monitoring.prometheus.retention: expected a duration such as 30s, 12h, 30d or 1y, found "a week"',
            'cloud-cnc:monitoring.thanos.store.indexCacheSizeMb: expected a whole number of megabytes from 64 to 65536, found 8',
        ].sort());
    });
});
