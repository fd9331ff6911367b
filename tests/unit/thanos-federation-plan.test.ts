// The pure decisions and renderers of ThanosFederation, without mocks.
import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as YAML from "yaml";
import { renderProblem } from "../../components/common/errors";
import { versions } from "../../components/common/versions";
import { EXPECTED, parseDuration } from "../../components/common/formats";
import { argsProblems } from "../../components/common/schema";
import { bucketAccessPolicy, bucketIdentities } from "../../components/thanos-federation/plan";
import {
    DEFAULT_FEDERATION_MATCH,
    MIN_5M_RETENTION_MS,
    MIN_RAW_RETENTION_MS,
    RETENTION_1H_EXPECTED,
    RETENTION_5M_EXPECTED,
    RETENTION_RAW_EXPECTED,
    retentionProblems,
    thanosFederationSchema,
} from "../../components/thanos-federation/schema";
import {
    PATHS,
    centralFederationConfig,
    compactorArgs,
    compactorWorkload,
    federationWorkload,
    groupFederationConfig,
    groupTargets,
    imagesOf,
    inClusterStoreEndpoints,
    kubePrometheusStackValues,
    queryArgs,
    queryFrontendWorkload,
    queryWorkload,
    renderObjstoreConfig,
    renderPrometheusConfig,
    renderRuleFile,
    ruleGroups,
    rulerWorkload,
    storeWorkload,
    cncPrometheusTarget,
} from "../../components/thanos-federation/render";

type SettingsInput = Record<string, any>;
const base: SettingsInput = { clusterId: "cnc-1", environment: "dev", prefix: "cloud", profile: "development", bucketRegion: "eu-west-1" };
const OIDC = { oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", oidcProviderUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" };
const settingsWithDefaults = (input: SettingsInput) => thanosFederationSchema.parse({ ...OIDC, ...input });
const HOUR = 3600e3;
const DAY = 24 * HOUR;

function problemsOf(input: SettingsInput): string[] {
    return argsProblems(thanosFederationSchema, { ...OIDC, ...input }).map(renderProblem);
}

describe("ThanosFederation plan", () => {
    it("parses Prometheus durations and rejects anything else", () => {
        assert.equal(parseDuration("0"), 0);
        assert.equal(parseDuration("0d"), 0);
        assert.equal(parseDuration("40h"), 40 * HOUR);
        assert.equal(parseDuration("1y"), 365 * DAY);
        assert.equal(parseDuration("2w"), 14 * DAY);
        assert.equal(parseDuration("1d12h30m"), DAY + 12.5 * HOUR);
        assert.equal(parseDuration("250ms"), 250);
        for (const bad of ["", "d", "1.5d", "10 d", "1h1d", "-1d", "30D", "1mo"]) assert.equal(parseDuration(bad), undefined, bad);
    });

    it("retention: raw >= 3d and 5m >= 15d (or 0d = forever), 1h >= 5m; the boundaries are exact", () => {
        const ok = (raw: string, fiveMinutes: string, oneHour: string) => retentionProblems({ raw, fiveMinutes, oneHour }).map((p) => p.field);
        assert.deepEqual(ok("3d", "15d", "15d"), []);
        assert.deepEqual(ok("72h", "360h", "1y"), []);
        assert.deepEqual(ok("0d", "0d", "0d"), []);
        assert.deepEqual(ok("30d", "90d", "0d"), []);
        assert.deepEqual(ok("71h59m", "15d", "1y"), ["thanos.compactor.retentionRaw"]);
        assert.deepEqual(ok("40h", "15d", "1y"), ["thanos.compactor.retentionRaw"], "Thanos' own 40h floor still deletes raw blocks before the 2-day level exists");
        assert.deepEqual(ok("30d", "14d", "1y"), ["thanos.compactor.retention5m"]);
        assert.deepEqual(ok("30d", "10d", "1y"), ["thanos.compactor.retention5m"], "Thanos' own 10d floor still deletes 5m blocks before the 14-day level exists");
        assert.deepEqual(ok("30d", "90d", "60d"), ["thanos.compactor.retention1h"]);
        assert.deepEqual(ok("30d", "0d", "1y"), ["thanos.compactor.retention1h"], "5m kept forever needs 1h kept forever");
        assert.deepEqual(ok("soon", "90d", "1y"), ["thanos.compactor.retentionRaw"]);
        assert.equal(MIN_RAW_RETENTION_MS, 3 * DAY);
        assert.equal(MIN_5M_RETENTION_MS, 15 * DAY);
    });

    it("retention rule holds for any durations: accepted configs keep each resolution until the next one can be built", () => {
        const days = fc.integer({ min: 0, max: 800 });
        fc.assert(
            fc.property(days, days, days, (raw, five, hour) => {
                const problems = retentionProblems({ raw: `${raw}d`, fiveMinutes: `${five}d`, oneHour: `${hour}d` });
                const accepted = problems.length === 0;
                const forever = (d: number) => (d === 0 ? Infinity : d);
                const expected = (raw === 0 || raw >= 3) && (five === 0 || five >= 15) && forever(hour) >= forever(five);
                return accepted === expected;
            }),
            { numRuns: 500 },
        );
    });

    it("reports every invalid setting at once, naming the field, the expected form and the value found", () => {
        const messages = problemsOf({
            ...base,
            bucketRegion: "Ireland",
            federation: { mode: "federated", groups: -1, match: [] },
            prometheus: { retention: "1h", replicas: 0 },
            thanos: { store: { indexCacheSizeMb: 10 }, query: { responseTimeout: "soon" } },
        });
        assert.deepEqual(messages, [
            'bucketRegion: expected an AWS region the provider knows, such as eu-west-1, found "Ireland"',
            'prometheus.retention: expected a duration of at least 2h such as 7d (the sidecar uploads 2h blocks; Prometheus keeps them this long locally), found "1h"',
            "prometheus.replicas: expected a whole number of replicas from 1 to 10, found 0",
            'thanos.query.responseTimeout: expected a positive duration such as 30s, found "soon"',
            "thanos.store.indexCacheSizeMb: expected a whole number of megabytes from 64 to 65536, found 10",
            'federation.mode: expected one of "thanos", "prometheus-federation", found "federated"',
            'federation.match: expected a list of at least one series selector such as {job="prometheus"}, found []',
            "federation.groups: expected a whole number of group federators from 0 (flat) to 64, found -1",
        ]);
        assert.deepEqual(problemsOf({ ...base, prefix: "Cloud_X" }), ['prefix: expected a lowercase name prefix of 2-16 letters, digits and \'-\' such as cloud, found "Cloud_X"']);
        assert.deepEqual(problemsOf({ ...base, prefix: "xn--cloud" }), [
            'prefix: expected a prefix that makes a valid default bucket name (xn--cloud-dev-prometheus-metrics is not one), or set bucketName, found "xn--cloud"',
        ]);
        for (const bad of ["metrics.example.com", "xn--metrics", "metrics-s3alias", "sthree-metrics", "m"]) {
            assert.deepEqual(problemsOf({ ...base, bucketName: bad }), [`bucketName: expected ${EXPECTED.bucketName}, found "${bad}"`]);
        }
        assert.deepEqual(problemsOf({ ...base, clusterId: "C&C" }).length, 1);
        assert.deepEqual(problemsOf(base), []);
    });

    it("the compactor retention messages are the ones the component throws", () => {
        assert.deepEqual(
            retentionProblems({ raw: "1d", fiveMinutes: "7d", oneHour: "1d" }).map(renderProblem),
            [
                `thanos.compactor.retentionRaw: expected ${RETENTION_RAW_EXPECTED}, found "1d"`,
                `thanos.compactor.retention5m: expected ${RETENTION_5M_EXPECTED}, found "7d"`,
                `thanos.compactor.retention1h: expected ${RETENTION_1H_EXPECTED}, found "1d"`,
            ],
        );
    });

    it("defaults: HA counts in prod, single replicas elsewhere, the original match[] and the default bucket name", () => {
        const prod = settingsWithDefaults({ ...base, environment: "prod", profile: "production" });
        assert.deepEqual([prod.prometheus.replicas, prod.thanos.query.replicas, prod.thanos.ruler.replicas, prod.alertmanager.replicas], [2, 2, 2, 3]);
        const dev = settingsWithDefaults(base);
        assert.deepEqual([dev.prometheus.replicas, dev.thanos.query.replicas, dev.thanos.ruler.replicas, dev.alertmanager.replicas], [1, 1, 1, 1]);
        assert.deepEqual(dev.federation.match, ['{job="prometheus"}', '{__name__=~"job:.*"}']);
        assert.equal(dev.bucketName, "cloud-dev-prometheus-metrics");
        assert.equal(dev.federation.mode, "thanos");
        assert.deepEqual(retentionProblems({ raw: dev.thanos.compactor.retentionRaw, fiveMinutes: dev.thanos.compactor.retention5m, oneHour: dev.thanos.compactor.retention1h }), []);
    });

    it("bucket identities: four service accounts; only the compactor deletes; the Store Gateway only reads", () => {
        const ids = bucketIdentities();
        assert.deepEqual(ids.map((i) => i.serviceAccount), ["kps-prometheus", "thanos-store", "thanos-compactor", "thanos-ruler"]);
        const deleters = ids.filter((i) => i.objectActions.includes("s3:DeleteObject")).map((i) => i.role);
        assert.deepEqual(deleters, ["compactor"]);
        const store = ids.find((i) => i.role === "store")!;
        assert.deepEqual(store.objectActions, ["s3:GetObject"]);
        assert.deepEqual(store.kmsActions, ["kms:Decrypt"]);
        for (const i of ids) {
            const doc = bucketAccessPolicy(i, "arn:aws:s3:::b", "arn:aws:kms:eu-west-1:1:key/k");
            const all = doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
            assert.ok(all.every((a) => a !== undefined && !a.includes("*")), `${i.role}: no wildcard actions`);
            assert.ok(doc.Statement.every((s) => s.Effect === "Allow" && typeof s.Resource === "string" && !s.Resource.startsWith("*")));
        }
    });
});

describe("ThanosFederation renderers", () => {
    const s = settingsWithDefaults({ ...base, federation: { mode: "prometheus-federation", groups: 3 }, thanos: { queryFrontend: { enabled: true } } });

    it("are deterministic", () => {
        const once = () => [
            renderObjstoreConfig("b", "eu-west-1", "arn:k"),
            queryArgs(s).join(" "),
            compactorArgs(s).join(" "),
            renderRuleFile(ruleGroups()),
            renderPrometheusConfig(centralFederationConfig({ match: s.federation.match, targetsFile: PATHS.promTargetsFile, cncTarget: cncPrometheusTarget(), groupTargets: groupTargets(3) })),
            JSON.stringify(kubePrometheusStackValues({ settings: s, prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" })),
        ];
        assert.deepEqual(once(), once());
    });

    it("objstore config: S3 in the configured region, SSE-KMS with our key, no credentials", () => {
        const doc = YAML.parse(renderObjstoreConfig("cloud-prod-prometheus-metrics", "ap-southeast-2", "arn:aws:kms:ap-southeast-2:1:key/k"));
        assert.deepEqual(doc, {
            type: "S3",
            config: {
                bucket: "cloud-prod-prometheus-metrics",
                endpoint: "s3.ap-southeast-2.amazonaws.com",
                region: "ap-southeast-2",
                sse_config: { type: "SSE-KMS", kms_key_id: "arn:aws:kms:ap-southeast-2:1:key/k" },
            },
        });
    });

    it("Query reads every endpoint from the SD file (no deprecated --endpoint flag); its static entries are in-cluster services only", () => {
        const args = queryArgs(s);
        assert.deepEqual(args.filter((a) => /^--endpoint(=|-strict|-group)/.test(a)), [], "--endpoint is deprecated in Thanos v0.42 (cmd/thanos/query.go)");
        const statics = inClusterStoreEndpoints(s.federation.mode);
        assert.ok(statics.length >= 4, "sidecars, store, ruler, federation Prometheus");
        for (const e of statics) assert.match(e, /^dnssrv\+_grpc\._tcp\.[a-z0-9-]+\.monitoring\.svc\.cluster\.local$/);
        assert.equal(args.filter((a) => a.startsWith("--endpoint.sd-config-file=")).length, 1);
        const reload = parseDuration(args.find((a) => a.startsWith("--endpoint.sd-config-reload-interval="))!.split("=")[1])!;
        assert.ok(reload > 0 && reload <= 30e3);
    });

    it("group federators shard by hashmod on __address__: same modulus, one index each, same targets file", () => {
        const configs = [0, 1, 2].map((index) => groupFederationConfig({ match: DEFAULT_FEDERATION_MATCH, targetsFile: "/t.json", groups: 3, index }));
        configs.forEach((c, index) => {
            const [job] = c.scrape_configs;
            assert.equal(job.honor_labels, true);
            assert.equal(job.metrics_path, "/federate");
            assert.deepEqual(job.file_sd_configs, [{ files: ["/t.json"], refresh_interval: "30s" }]);
            assert.deepEqual(job.relabel_configs, [
                { source_labels: ["__address__"], modulus: 3, target_label: "__tmp_federation_shard", action: "hashmod" },
                { source_labels: ["__tmp_federation_shard"], regex: String(index), action: "keep" },
            ]);
        });
        // The central server over groups scrapes the groups, not the clusters.
        const central = centralFederationConfig({ match: DEFAULT_FEDERATION_MATCH, targetsFile: "/t.json", cncTarget: "cnc:9090", groupTargets: groupTargets(3) });
        assert.equal(central.scrape_configs.some((j) => j.file_sd_configs !== undefined), false);
        const flat = centralFederationConfig({ match: DEFAULT_FEDERATION_MATCH, targetsFile: "/t.json", cncTarget: "cnc:9090", groupTargets: [] });
        assert.deepEqual(flat.scrape_configs.map((j) => j.job_name), ["federate", "federate-cnc"]);
        assert.deepEqual(flat.scrape_configs[1].static_configs, [{ targets: ["cnc:9090"], labels: { clusterID: "C&C" } }]);
    });

    it("every workload image comes from versions.ts and none is `latest`", () => {
        const workloads = [
            queryWorkload(s),
            queryFrontendWorkload(s),
            storeWorkload(s),
            compactorWorkload(s),
            rulerWorkload(s, "x"),
            federationWorkload(s, { name: "prometheus-federation", configMap: "c", configChecksum: "x", sidecar: true }),
        ];
        const images = imagesOf(workloads);
        assert.equal(images.length, 7);
        for (const image of images) {
            assert.doesNotMatch(image, /:latest$|^[^:]+$/);
            assert.ok([versions.thanosFederation.thanosImage, versions.thanosFederation.prometheusImage].includes(image as any), image);
        }
        const values = JSON.stringify(kubePrometheusStackValues({ settings: s, prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" }));
        assert.doesNotMatch(values, /latest/);
    });
});
