// FleetObservability under mocks: what it registers (dashboard ConfigMaps for Grafana's sidecar,
// the PrometheusRule, the ScrapeConfigs, the two exporter releases) and what it refuses.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { InvalidArgsError } from "../../components/common/errors";
import { versions } from "../../components/common/versions";
import { FleetObservability, FleetObservabilityArgs, RULER_RULE_FILE, fleetRulerRuleFiles, withFleetObservability } from "../../components/fleet-observability";
import { ALERT_NAMES, REPLACED_DEFAULT_ALERTS } from "../../components/fleet-observability/rules";
import { SCRAPE_CONFIGMAPS } from "../../components/fleet-observability/scrape";
import { GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION, runbookUrlWarnings } from "../../components/fleet-observability/plan";
import { settle } from "../support/pulumi-harness";
import { setupThanosPulumi } from "../support/thanos-harness";

const T = {
    configMap: "kubernetes:core/v1:ConfigMap",
    release: "kubernetes:helm.sh/v3:Release",
    rule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    scrape: "kubernetes:monitoring.coreos.com/v1alpha1:ScrapeConfig",
};

function args(overrides: Partial<FleetObservabilityArgs> = {}): FleetObservabilityArgs {
    return {
        profile: "production",
        region: "eu-west-1",
        clusterId: "cloud-prod-cnc",
        runbookBaseUrl: "https://github.com/example-org/cloud-cnc/blob/main/RUNBOOK.md",
        provisionerApiUrl: pulumi.output("http://provisioner.provisioner.svc:8075"),
        openSearchDomainName: pulumi.output("cloud-prod-logs"),
        rdsInstanceIds: ["provisioner-prod"],
        registrarFunctionName: pulumi.output("cloud-prod-dns-registrar"),
        registrarDlqName: "cloud-prod-dns-registrar-dlq",
        ...overrides,
    };
}

async function build(a = args()) {
    const h = await setupThanosPulumi();
    const component = new FleetObservability("observability", a, h.opts);
    await settle();
    return { ...h, component };
}

describe("FleetObservability (mocks)", function () {
    this.timeout(60_000);

    it("provisions every dashboard as a ConfigMap Grafana's sidecar loads, in its folder, with the Outputs filled in", async () => {
        const { rec } = await build();
        const dashboards = rec.ofType(T.configMap).filter((c) => c.inputs.metadata.labels?.[GRAFANA_DASHBOARD_LABEL.key] === GRAFANA_DASHBOARD_LABEL.value);
        assert.ok(dashboards.length >= 7, `${dashboards.length} dashboards`);
        for (const d of dashboards) {
            assert.equal(d.inputs.metadata.namespace, "monitoring");
            assert.ok(["Fleet", "Monitoring", "AWS"].includes(d.inputs.metadata.annotations[GRAFANA_FOLDER_ANNOTATION]), d.name);
            const [[key, text]] = Object.entries<string>(d.inputs.data);
            const json = JSON.parse(text);
            assert.equal(key, `${json.uid}.json`);
            assert.equal(d.inputs.metadata.name, `dashboard-${json.uid}`);
        }
        // The OpenSearch domain (an Output) reached the monitoring dashboard's JSON.
        const monitoring = dashboards.find((d) => d.inputs.metadata.name === "dashboard-cnc-monitoring")!;
        assert.match(Object.values<string>(monitoring.inputs.data)[0], /cloud-prod-logs/);
    });

    it("loads the local alert groups as a PrometheusRule and renders the Ruler's fleet-wide file for ThanosFederation", async () => {
        const { rec } = await build();
        const [rule] = rec.ofType(T.rule);
        const local: string[] = rule.inputs.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert).filter(Boolean));
        const files = fleetRulerRuleFiles({ profile: "production", region: "eu-west-1", clusterId: "cloud-prod-cnc", runbookBaseUrl: "https://example.org/RUNBOOK.md" });
        const ruler: string[] = YAML.parse(files[RULER_RULE_FILE]).groups.flatMap((g: any) => g.rules.map((r: any) => r.alert).filter(Boolean));
        // Every alert is evaluated exactly once: locally or by the Ruler.
        assert.deepEqual([...local, ...ruler].sort(), [...ALERT_NAMES].sort());
        for (const g of YAML.parse(files[RULER_RULE_FILE]).groups) assert.equal(g.partial_response_strategy, "warn");
        for (const g of rule.inputs.spec.groups) assert.equal(g.partial_response_strategy, undefined);
    });

    it("scrapes the registered leaf Queries, the installation probes and the provisioner's state at its URL", async () => {
        const { rec } = await build();
        const jobs = rec.ofType(T.scrape).map((s) => s.inputs.spec.jobName).sort();
        assert.deepEqual(jobs, ["fleet-leaf-query", "installation-probes", "provisioner-state"]);
        const provisioner = rec.ofType(T.scrape).find((s) => s.inputs.spec.jobName === "provisioner-state")!;
        const targets = provisioner.inputs.spec.staticConfigs.flatMap((c: any) => c.targets);
        assert.deepEqual(targets, ["http://provisioner.provisioner.svc:8075/api/clusters?per_page=-1", "http://provisioner.provisioner.svc:8075/api/installations?per_page=-1"]);
    });

    it("installs both exporters from the pinned charts and images; production probes from two replicas", async () => {
        const { rec } = await build();
        const releases = rec.ofType(T.release);
        const blackbox = releases.find((r) => r.inputs.chart === versions.fleetObservability.blackboxChart.chart)!;
        const json = releases.find((r) => r.inputs.chart === versions.fleetObservability.jsonExporterChart.chart)!;
        assert.equal(blackbox.inputs.version, versions.fleetObservability.blackboxChart.version);
        assert.equal(json.inputs.version, versions.fleetObservability.jsonExporterChart.version);
        assert.equal(blackbox.inputs.values.image.tag, versions.fleetObservability.blackboxExporterImage.tag);
        assert.equal(json.inputs.values.image.tag, versions.fleetObservability.jsonExporterImage.tag);
        assert.equal(blackbox.inputs.values.replicas, 2);
        const dev = await build(args({ profile: "development" }));
        assert.equal(dev.rec.ofType(T.release).find((r) => r.inputs.chart === versions.fleetObservability.blackboxChart.chart)!.inputs.values.replicas, 1);
    });

    it("the exporters run without a Kubernetes API token (json exporter: the component's own ServiceAccount, automount off)", async () => {
        const { rec } = await build();
        const account = rec.ofType("kubernetes:core/v1:ServiceAccount").find((a) => a.inputs.metadata.name === "json-exporter")!;
        assert.equal(account.inputs.automountServiceAccountToken, false);
        assert.equal(account.inputs.metadata.namespace, "monitoring");
        const releases = rec.ofType(T.release);
        const json = releases.find((r) => r.inputs.chart === versions.fleetObservability.jsonExporterChart.chart)!;
        assert.deepEqual(json.inputs.values.serviceAccount, { create: false, name: "json-exporter" });
        const blackbox = releases.find((r) => r.inputs.chart === versions.fleetObservability.blackboxChart.chart)!;
        assert.equal(blackbox.inputs.values.automountServiceAccountToken, false);
    });

    it("withFleetObservability adds what it needs to ThanosFederation's args, keeping what they say, and is idempotent", () => {
        const plain = { profile: "production", region: "eu-west-1", clusterId: "cloud-prod-cnc", runbookBaseUrl: "https://example.org/RUNBOOK.md" };
        const federation = {
            clusterId: "cloud-prod-cnc",
            environment: "prod",
            prefix: "cloud",
            profile: "production",
            bucketRegion: "eu-west-1",
            oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/x",
            oidcProviderUrl: "x",
            prometheus: { retention: "3d", configMaps: ["mine", SCRAPE_CONFIGMAPS[0]], disabledDefaultAlerts: ["KubeJobFailed"] },
            thanos: { ruler: { replicas: 3, ruleFiles: { "mine.yaml": "groups: []" } } },
        };
        const wired = withFleetObservability(federation, plain);
        assert.equal(wired.prometheus!.retention, "3d");
        assert.deepEqual(wired.prometheus!.configMaps, ["mine", ...SCRAPE_CONFIGMAPS]);
        assert.deepEqual(wired.prometheus!.disabledDefaultAlerts, ["KubeJobFailed", ...Object.keys(REPLACED_DEFAULT_ALERTS)]);
        assert.equal(wired.thanos!.ruler!.replicas, 3);
        assert.equal(wired.thanos!.ruler!.metaAlerts, false);
        assert.deepEqual(Object.keys(wired.thanos!.ruler!.ruleFiles!).sort(), ["mine.yaml", RULER_RULE_FILE].sort());
        assert.deepEqual(wired.thanos!.ruler!.ruleFiles![RULER_RULE_FILE], fleetRulerRuleFiles(plain)[RULER_RULE_FILE]);
        assert.deepEqual(withFleetObservability(wired, plain), wired);
        // The input is not modified.
        assert.deepEqual(federation.prometheus.configMaps, ["mine", SCRAPE_CONFIGMAPS[0]]);
        assert.throws(() => withFleetObservability(federation, { ...plain, runbookBaseUrl: "not a url" }), InvalidArgsError);
    });

    it("warns when the runbook URL is a placeholder on a reserved example domain, and only then", () => {
        for (const url of ["https://git.example.com/your-org/cloud-cnc/blob/main/RUNBOOK.md", "https://example.org/RUNBOOK.md", "https://docs.EXAMPLE.net/r", "https://runbooks.test/r", "https://wiki.example/r"]) {
            const [warning, ...rest] = runbookUrlWarnings(url);
            assert.equal(rest.length, 0);
            assert.match(warning, /reserved example domain/, url);
            assert.ok(warning.includes(url) && warning.includes("cloud-cnc:observability.runbookBaseUrl"));
        }
        for (const url of ["https://github.com/acme/cloud-cnc/blob/main/RUNBOOK.md", "https://counterexample.com/r", "https://example.com.evil.io/r", "https://my-example.org/r"]) {
            assert.deepEqual(runbookUrlWarnings(url), [], url);
        }
    });

    it("refuses bad args before creating any child, naming each", async () => {
        const h = await setupThanosPulumi();
        assert.throws(
            () => new FleetObservability("bad", args({ runbookBaseUrl: "http://insecure.example/RUNBOOK.md", alerts: { clusterCpuRatio: 1.5 } }), h.opts),
            (e: unknown) => {
                assert.ok(e instanceof InvalidArgsError);
                assert.match(e.message, /runbookBaseUrl/);
                assert.match(e.message, /alerts\.clusterCpuRatio/);
                return true;
            },
        );
        await settle();
        assert.equal(h.rec.resources.filter((r) => r.type.startsWith("kubernetes:") && r.custom && r.type !== "pulumi:providers:kubernetes").length, 0);
    });
});
