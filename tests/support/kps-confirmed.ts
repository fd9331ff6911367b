// The kube-prometheus-stack 88.5.3 values keys read upstream, shared by every test that renders values for it
// (ThanosFederation on the C&C, WorkloadClusterMonitoring on the workload clusters).

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
 *
 * Added for issue 15 (grafana-12.11.1 = 864f7794, read 2026-12-05):
 * - grafana."grafana.ini" (values.yaml:959, a free-form map converted to ini; the chart's defaults
 *   are merged with ours; `server.root_url` is its commented example) and grafana.envValueFrom
 *   (values.yaml:628 `envValueFrom: {}`, "valueFrom environment variable references", rendered by
 *   templates/_pod.tpl as `env: - name: <key> valueFrom: <value>`). The chart fails to render a
 *   plaintext `auth.generic_oauth.client_secret` (templates/_helpers.tpl grafana.assertNoLeakedSecrets,
 *   values.yaml:1815 `assertNoLeakedSecrets: true`): only `$__env{...}`/`$__file{...}`/`$__vault{...}` pass.
 */
export const CONFIRMED_88_5_3 = new Set([
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
    "grafana.envValueFrom",
    "grafana.grafana.ini",
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
export const THANOS_SPEC = new Set(["image", "version", "blockSize", "objectStorageConfig", "resources"]);

export function keyPaths(value: unknown, path: string[] = [], out: string[] = []): string[] {
    const here = path.join(".");
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !CONFIRMED_88_5_3.has(here)) {
        for (const [k, v] of Object.entries(value)) keyPaths(v, [...path, k], out);
    } else out.push(here);
    return out;
}
