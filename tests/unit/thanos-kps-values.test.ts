// The kube-prometheus-stack values the component sets are keys of the pinned chart: a misspelled
// or renamed key is silently ignored by Helm, and every mock accepts it. The list below was
// checked against the chart's own values.yaml at the pinned version (components/common/versions.ts
// says where and when); a key outside it must be checked upstream first, then added here.
import { strict as assert } from "assert";
import { versions } from "../../components/common/versions";
import { DATASOURCE_UIDS, GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION, names, prometheusConfigMapFile } from "../../components/thanos-federation/plan";
import { ALERT_WEBHOOK_SECRET, DEAD_MANS_SWITCH_SECRET, imageValues, kubePrometheusStackValues, renderAlertmanagerConfig } from "../../components/thanos-federation/render";
import { thanosFederationSchema } from "../../components/thanos-federation/schema";

/**
 * Values keys confirmed in prometheus-community/helm-charts tag kube-prometheus-stack-88.5.3
 * (charts/kube-prometheus-stack/values.yaml; Grafana keys in grafana-community/helm-charts tag
 * grafana-12.11.1, charts/grafana/values.yaml, the dependency 88.5.3 pins; `resources` of the
 * kube-state-metrics and prometheus-node-exporter subcharts), read 2026-12-04. A path ends where
 * the chart's value is a free-form map or list (alertmanager.config is the Alertmanager config
 * itself; prometheusSpec.thanos is passed to the Prometheus CR's ThanosSpec by
 * templates/prometheus/prometheus.yaml, which reads `image` and `objectStorageConfig.existingSecret`).
 *
 * Added for issue 14, read 2026 in the same tags (kube-prometheus-stack-88.5.3 = ea930bae,
 * grafana-12.11.1 = 864f7794):
 * - prometheus.prometheusSpec.configMaps (kps values.yaml, `configMaps: []`, passed to the
 *   Prometheus CR by templates/prometheus/prometheus.yaml); prometheus-operator mounts each at
 *   /etc/prometheus/configmaps/<name> (pkg/prometheus/common.go `configmapsDir`, v0.93.0);
 * - grafana.serviceAccount.{create,name} (grafana values.yaml; kps sets create/autoMount) and
 *   .annotations (commented example in values.yaml, rendered through `tpl` by
 *   templates/serviceaccount.yaml); the name defaults to the subchart fullname `kps-grafana`
 *   (templates/_helpers.tpl `grafana.serviceAccountName`);
 * - grafana.sidecar.dashboards.folderAnnotation (values.yaml `null`; env FOLDER_ANNOTATION,
 *   templates/_pod.tpl) and .provider.foldersFromFilesStructure (values.yaml `false`;
 *   templates/_config.tpl drops the provider's fixed folder when true);
 * - defaultRules.disabled (values.yaml:321 `disabled: {}`, a map alert name -> true; every default
 *   alert's template is wrapped in `if not (.Values.defaultRules.disabled.<Name> | default false)`,
 *   e.g. templates/prometheus/rules-1.14/kubernetes-apps.yaml:29 for KubePodCrashLooping), read
 *   2026-12-05.
 */
const CONFIRMED_88_5_3 = new Set([
    "alertmanager.alertmanagerSpec.image.registry",
    "alertmanager.alertmanagerSpec.image.repository",
    "alertmanager.alertmanagerSpec.image.tag",
    "alertmanager.alertmanagerSpec.podAntiAffinity",
    "alertmanager.alertmanagerSpec.replicas",
    "alertmanager.alertmanagerSpec.resources",
    "alertmanager.alertmanagerSpec.secrets",
    "alertmanager.alertmanagerSpec.storage",
    "alertmanager.config",
    "alertmanager.enabled",
    "alertmanager.podDisruptionBudget.enabled",
    "alertmanager.podDisruptionBudget.minAvailable",
    "crds.enabled",
    "defaultRules.create",
    "defaultRules.disabled",
    "defaultRules.rules.etcd",
    "defaultRules.rules.kubeControllerManager",
    "defaultRules.rules.kubeProxy",
    "defaultRules.rules.kubeSchedulerAlerting",
    "defaultRules.rules.kubeSchedulerRecording",
    "fullnameOverride",
    "grafana.additionalDataSources",
    "grafana.admin.existingSecret",
    "grafana.admin.passwordKey",
    "grafana.admin.userKey",
    "grafana.deploymentStrategy.type",
    "grafana.enabled",
    "grafana.persistence.accessModes",
    "grafana.persistence.enabled",
    "grafana.persistence.size",
    "grafana.persistence.storageClassName",
    "grafana.persistence.type",
    "grafana.resources",
    "grafana.serviceAccount.annotations",
    "grafana.serviceAccount.create",
    "grafana.serviceAccount.name",
    "grafana.sidecar.dashboards.enabled",
    "grafana.sidecar.dashboards.folderAnnotation",
    "grafana.sidecar.dashboards.label",
    "grafana.sidecar.dashboards.labelValue",
    "grafana.sidecar.dashboards.provider.foldersFromFilesStructure",
    "grafana.sidecar.dashboards.searchNamespace",
    "grafana.sidecar.datasources.defaultDatasourceEnabled",
    "grafana.sidecar.datasources.enabled",
    "grafana.sidecar.datasources.isDefaultDatasource",
    "kube-state-metrics.resources",
    "kubeControllerManager.enabled",
    "kubeEtcd.enabled",
    "kubeProxy.enabled",
    "kubeScheduler.enabled",
    "kubeStateMetrics.enabled",
    "nodeExporter.enabled",
    "prometheus-node-exporter.resources",
    "prometheus.podDisruptionBudget.enabled",
    "prometheus.podDisruptionBudget.minAvailable",
    "prometheus.prometheusSpec.configMaps",
    "prometheus.prometheusSpec.disableCompaction",
    "prometheus.prometheusSpec.externalLabels",
    "prometheus.prometheusSpec.image.registry",
    "prometheus.prometheusSpec.image.repository",
    "prometheus.prometheusSpec.image.tag",
    "prometheus.prometheusSpec.podAntiAffinity",
    "prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues",
    "prometheus.prometheusSpec.probeSelectorNilUsesHelmValues",
    "prometheus.prometheusSpec.replicaExternalLabelName",
    "prometheus.prometheusSpec.replicas",
    "prometheus.prometheusSpec.resources",
    "prometheus.prometheusSpec.retention",
    "prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues",
    "prometheus.prometheusSpec.scrapeConfigSelectorNilUsesHelmValues",
    "prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues",
    "prometheus.prometheusSpec.storageSpec",
    "prometheus.prometheusSpec.thanos",
    "prometheus.prometheusSpec.walCompression",
    "prometheus.serviceAccount.annotations",
    "prometheus.serviceAccount.create",
    "prometheus.serviceAccount.name",
    "prometheus.thanosService.enabled",
    "prometheus.thanosServiceMonitor.enabled",
    "prometheusOperator.resources",
]);

/** The Prometheus CR ThanosSpec fields we set (prometheus-operator v0.93.1, the chart's appVersion). */
const THANOS_SPEC = new Set(["image", "version", "blockSize", "objectStorageConfig", "resources"]);

function keyPaths(value: unknown, path: string[] = [], out: string[] = []): string[] {
    const here = path.join(".");
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !CONFIRMED_88_5_3.has(here)) {
        for (const [k, v] of Object.entries(value)) keyPaths(v, [...path, k], out);
    } else out.push(here);
    return out;
}

describe("ThanosFederation: kube-prometheus-stack values against the pinned chart", () => {
    const settingsArgs = (profile: "production" | "development") => ({
        clusterId: "c",
        environment: "dev",
        prefix: "cloud",
        profile,
        bucketRegion: "eu-west-1",
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/x",
        oidcProviderUrl: "https://x",
        storageClassName: "gp3",
    });
    const settings = (profile: "production" | "development") => thanosFederationSchema.parse(settingsArgs(profile));

    it("pins the chart version whose values were checked", () => {
        assert.equal(versions.thanosFederation.kubePrometheusStack.version, "88.5.3", "a new chart version: check every key below against its values.yaml, then update the list and this line");
    });

    for (const profile of ["production", "development"] as const) {
        for (const alertWebhook of [true, false]) {
            it(`sets only confirmed keys (${profile}, webhook ${alertWebhook ? "on, with the dead man's switch" : "off"})`, () => {
                const s = thanosFederationSchema.parse({ ...settingsArgs(profile), prometheus: { configMaps: ["thanos-query-targets"] } });
                const values = kubePrometheusStackValues({ settings: s, prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q", alertWebhook, deadMansSwitch: alertWebhook });
                const unknown = keyPaths(values).filter((p) => !CONFIRMED_88_5_3.has(p));
                assert.deepEqual(unknown, []);
                const thanos = (values as any).prometheus.prometheusSpec.thanos;
                assert.deepEqual(Object.keys(thanos).filter((k) => !THANOS_SPEC.has(k)), []);
                assert.deepEqual(Object.keys(thanos.objectStorageConfig), ["existingSecret"]);
            });
        }
    }

    it("disables exactly the configured default alerts (defaultRules.disabled), none by default; refuses a malformed or repeated name", () => {
        const values = (disabledDefaultAlerts?: string[]) =>
            (kubePrometheusStackValues({ settings: thanosFederationSchema.parse({ ...settingsArgs("production"), prometheus: { ...(disabledDefaultAlerts ? { disabledDefaultAlerts } : {}) } }), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" }) as any).defaultRules;
        assert.deepEqual(values().disabled, {});
        assert.deepEqual(values(["KubePodCrashLooping", "KubeNodeNotReady"]).disabled, { KubePodCrashLooping: true, KubeNodeNotReady: true });
        assert.equal(values(["KubePodCrashLooping"]).create, true);
        const bad = thanosFederationSchema.safeParse({ ...settingsArgs("production"), prometheus: { disabledDefaultAlerts: ["Kube Pod", "A", "A"] } });
        assert.equal(bad.success, false);
        const messages = bad.error!.issues.map((i) => i.message);
        assert.ok(messages.some((m) => m.includes("an alert name such as KubePodCrashLooping")), messages.join("\n"));
        assert.ok(messages.includes("a list of distinct alert names"), messages.join("\n"));
    });

    it("Grafana: one folder per grafana_folder annotation, the CloudWatch datasource in the configured region with SDK default auth, the IRSA-annotated service account", () => {
        const s = thanosFederationSchema.parse({ ...settingsArgs("production"), grafana: { cloudWatchRegion: "us-east-2" } });
        const g = (kubePrometheusStackValues({ settings: s, prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:aws:iam::123456789012:role/grafana", queryUrl: "http://q" }) as any).grafana;
        assert.equal(g.sidecar.dashboards.folderAnnotation, GRAFANA_FOLDER_ANNOTATION);
        assert.equal(GRAFANA_FOLDER_ANNOTATION, "grafana_folder");
        assert.deepEqual(g.sidecar.dashboards.provider, { foldersFromFilesStructure: true });
        assert.deepEqual([g.sidecar.dashboards.label, g.sidecar.dashboards.labelValue], [GRAFANA_DASHBOARD_LABEL.key, GRAFANA_DASHBOARD_LABEL.value]);
        assert.deepEqual(g.serviceAccount, { create: true, name: names.kpsGrafanaServiceAccount, annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/grafana" } });
        assert.equal(names.kpsGrafanaServiceAccount, "kps-grafana", "the grafana subchart's fullname under release kps");
        const cw = g.additionalDataSources.find((d: any) => d.type === "cloudwatch");
        assert.deepEqual(cw, { name: "CloudWatch", uid: DATASOURCE_UIDS.cloudwatch, type: "cloudwatch", access: "proxy", isDefault: false, editable: false, jsonData: { authType: "default", defaultRegion: "us-east-2" } });
        assert.equal(DATASOURCE_UIDS.cloudwatch, "cloudwatch");
        // Unset, the region is the bucket's (the stack composition passes the stack's region).
        const d = (kubePrometheusStackValues({ settings: settings("development"), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" }) as any).grafana;
        assert.equal(d.additionalDataSources.find((x: any) => x.uid === "cloudwatch").jsonData.defaultRegion, "eu-west-1");
        assert.equal(d.additionalDataSources.filter((x: any) => x.isDefault).length, 1, "one default datasource (Thanos)");
    });

    it("prometheusSpec.configMaps is the configured list (none by default), mounted where ScrapeConfigs read it", () => {
        const s = thanosFederationSchema.parse({ ...settingsArgs("development"), prometheus: { configMaps: ["thanos-query-targets", "blackbox-probe-targets"] } });
        const spec = (kubePrometheusStackValues({ settings: s, prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" }) as any).prometheus.prometheusSpec;
        assert.deepEqual(spec.configMaps, ["thanos-query-targets", "blackbox-probe-targets"]);
        assert.deepEqual((kubePrometheusStackValues({ settings: settings("development"), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" }) as any).prometheus.prometheusSpec.configMaps, []);
        assert.equal(prometheusConfigMapFile("blackbox-probe-targets", "probes.json"), "/etc/prometheus/configmaps/blackbox-probe-targets/probes.json");
    });

    it("Alertmanager: both Secrets mounted and the heartbeat route only with the webhook and the dead man's switch", () => {
        const am = (alertWebhook: boolean, deadMansSwitch: boolean) =>
            (kubePrometheusStackValues({ settings: settings("development"), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q", alertWebhook, deadMansSwitch }) as any).alertmanager;
        assert.deepEqual(am(true, true).alertmanagerSpec.secrets, [ALERT_WEBHOOK_SECRET.name, DEAD_MANS_SWITCH_SECRET.name]);
        assert.deepEqual(am(true, true).config, renderAlertmanagerConfig({ deadMansSwitch: true }));
        assert.deepEqual(am(true, false).alertmanagerSpec.secrets, [ALERT_WEBHOOK_SECRET.name]);
        assert.deepEqual(am(true, false).config, renderAlertmanagerConfig());
        // No webhook: the chart's default config, no Secret mounted (the schema refuses a heartbeat without the webhook).
        assert.equal(am(false, true).config, undefined);
        assert.equal(am(false, true).alertmanagerSpec.secrets, undefined);
    });

    it("runs the Prometheus and Alertmanager the tests run, not the chart's defaults (v3.14.0-distroless, v0.34.0)", () => {
        const values = kubePrometheusStackValues({ settings: settings("production"), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q", alertWebhook: true }) as any;
        assert.deepEqual(values.prometheus.prometheusSpec.image, { registry: "quay.io", repository: "prometheus/prometheus", tag: versions.binaries.prometheus.imageTag });
        assert.deepEqual(values.alertmanager.alertmanagerSpec.image, { registry: "quay.io", repository: "prometheus/alertmanager", tag: versions.binaries.alertmanager.imageTag });
        assert.equal(values.prometheus.prometheusSpec.thanos.image, `quay.io/thanos/thanos:${versions.binaries.thanos.imageTag}`);
        assert.deepEqual(imageValues("quay.io/prometheus/prometheus:v3.15.0"), { registry: "quay.io", repository: "prometheus/prometheus", tag: "v3.15.0" });
    });

    it("the binaries the tests build are the versions the images run (versions.ts `binaries`)", () => {
        const tag = (image: string) => image.split(":")[1];
        assert.equal(versions.binaries.thanos.imageTag, tag(versions.thanosFederation.thanosImage));
        assert.equal(versions.binaries.prometheus.imageTag, tag(versions.thanosFederation.prometheusImage));
        assert.equal(versions.binaries.alertmanager.imageTag, tag(versions.thanosFederation.alertmanagerImage));
        // Prometheus 3.x is published as Go module v0.3MM.P: v3.15.0 is v0.315.0.
        const [major, minor, patch] = versions.binaries.prometheus.imageTag.slice(1).split(".").map(Number);
        assert.equal(versions.binaries.prometheus.moduleVersion, `v0.${major * 100 + minor}.${patch}`);
    });
});
