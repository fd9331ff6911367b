// FleetObservability's scrape jobs and exporter values: exact renderings, and each ScrapeConfig
// checked against the CRD schema of prometheus-operator v0.93.1 (what kube-prometheus-stack
// 88.5.3 installs), with negative controls showing the check is real.
import { strict as assert } from "assert";
import { LEAF_QUERY_TARGETS, PROBE_TARGETS } from "../../functions/dns-registrar/contract";
import {
    PROBE_MODULE,
    SCRAPE_CONFIGMAPS,
    ScrapeConfigObject,
    fleetScrapeConfigs,
    installationProbeScrapeSpec,
    leafQueryScrapeSpec,
    mountedConfigMapFile,
    provisionerApiTargets,
    provisionerApiUrl,
    provisionerStateScrapeSpec,
} from "../../components/fleet-observability/scrape";
import { blackboxExporterAddress, blackboxExporterValues, jsonExporterAddress, jsonExporterValues, probeModule, provisionerExporterConfig } from "../../components/fleet-observability/exporters";
import { NAMES } from "../../components/provisioner/plan";
import { API_PORT } from "../../components/provisioner/render";
import { crdProblems, toPrometheusScrapeConfig } from "../support/scrape-config";

const BLACKBOX = "blackbox-exporter.monitoring.svc:9115";
const JSON_EXPORTER = "json-exporter.monitoring.svc:7979";
const all = () => fleetScrapeConfigs({ probes: { exporterAddress: blackboxExporterAddress() }, provisioner: { exporterAddress: jsonExporterAddress() } });

describe("FleetObservability scrape jobs (ScrapeConfig specs)", () => {
    it("fleet-leaf-query: the registrar's leaf Query file, /metrics over HTTP, only thanos_build_info kept (up is synthetic)", () => {
        assert.deepEqual(leafQueryScrapeSpec(), {
            jobName: "fleet-leaf-query",
            metricsPath: "/metrics",
            scheme: "http",
            scrapeInterval: "60s",
            scrapeTimeout: "10s",
            fileSDConfigs: [{ files: ["/etc/prometheus/configmaps/thanos-query-targets/targets.json"] }],
            metricRelabelings: [{ sourceLabels: ["__name__"], regex: "thanos_build_info", action: "keep" }],
        });
        assert.equal(mountedConfigMapFile(LEAF_QUERY_TARGETS.configMap, LEAF_QUERY_TARGETS.key), "/etc/prometheus/configmaps/thanos-query-targets/targets.json");
        assert.equal(leafQueryScrapeSpec().relabelings, undefined, "registered_cluster from the file is kept as is; never a clusterID target label");
    });

    it("installation-probes: blackbox /probe?module=http_2xx, the URL as __param_target and instance, the exporter as __address__", () => {
        assert.deepEqual(installationProbeScrapeSpec({ exporterAddress: BLACKBOX }), {
            jobName: "installation-probes",
            metricsPath: "/probe",
            params: { module: ["http_2xx"] },
            scheme: "http",
            scrapeInterval: "60s",
            scrapeTimeout: "15s",
            fileSDConfigs: [{ files: ["/etc/prometheus/configmaps/blackbox-probe-targets/probes.json"] }],
            relabelings: [
                { sourceLabels: ["__address__"], targetLabel: "__param_target", action: "replace" },
                { sourceLabels: ["__param_target"], targetLabel: "instance", action: "replace" },
                { targetLabel: "__address__", replacement: BLACKBOX, action: "replace" },
            ],
        });
        assert.equal(blackboxExporterAddress(), BLACKBOX);
    });

    it("provisioner-state: json_exporter /probe once per API read (module as a __param_module target label), only the state gauges kept", () => {
        assert.equal(provisionerApiUrl(), `http://${NAMES.service}.provisioner.svc:${API_PORT}`);
        assert.equal(provisionerApiUrl(), "http://provisioner.provisioner.svc:8075");
        assert.deepEqual(provisionerApiTargets("http://p.x.svc:8075/"), [
            { url: "http://p.x.svc:8075/api/clusters?per_page=-1", module: "provisioner_clusters" },
            { url: "http://p.x.svc:8075/api/installations?per_page=-1", module: "provisioner_installations" },
        ]);
        assert.deepEqual(provisionerStateScrapeSpec({ exporterAddress: JSON_EXPORTER }), {
            jobName: "provisioner-state",
            metricsPath: "/probe",
            scheme: "http",
            scrapeInterval: "60s",
            scrapeTimeout: "30s",
            staticConfigs: [
                { targets: ["http://provisioner.provisioner.svc:8075/api/clusters?per_page=-1"], labels: { __param_module: "provisioner_clusters" } },
                { targets: ["http://provisioner.provisioner.svc:8075/api/installations?per_page=-1"], labels: { __param_module: "provisioner_installations" } },
            ],
            relabelings: [
                { sourceLabels: ["__address__"], targetLabel: "__param_target", action: "replace" },
                { sourceLabels: ["__param_target"], targetLabel: "instance", action: "replace" },
                { targetLabel: "__address__", replacement: JSON_EXPORTER, action: "replace" },
            ],
            metricRelabelings: [{ sourceLabels: ["__name__"], regex: "provisioner_cluster_info|provisioner_installation_info", action: "keep" }],
        });
    });

    it("three ScrapeConfig objects named after their jobs, in monitoring; the ConfigMaps Prometheus must mount", () => {
        const objects = all();
        assert.deepEqual(objects.map((o) => [o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name]), [
            ["monitoring.coreos.com/v1alpha1", "ScrapeConfig", "monitoring", "fleet-leaf-query"],
            ["monitoring.coreos.com/v1alpha1", "ScrapeConfig", "monitoring", "installation-probes"],
            ["monitoring.coreos.com/v1alpha1", "ScrapeConfig", "monitoring", "provisioner-state"],
        ]);
        assert.deepEqual(SCRAPE_CONFIGMAPS, [LEAF_QUERY_TARGETS.configMap, PROBE_TARGETS.configMap]);
        assert.deepEqual(fleetScrapeConfigs({ namespace: "obs", labels: { release: "kps" }, probes: { exporterAddress: "b:1" }, provisioner: { exporterAddress: "j:2" } })[0].metadata, {
            name: "fleet-leaf-query",
            namespace: "obs",
            labels: { "app.kubernetes.io/part-of": "cloud-cnc", release: "kps" },
        });
    });

    it("every object is valid against the ScrapeConfig CRD of prometheus-operator v0.93.1; the check catches pruned fields, bad enums and patterns", () => {
        for (const o of all()) assert.deepEqual(crdProblems(o), [], o.metadata.name);
        const [leaf] = all();
        const bad = (spec: object) => crdProblems({ ...leaf, spec: { ...leaf.spec, ...spec } } as ScrapeConfigObject);
        assert.deepEqual(bad({ metricRelabelConfigs: [] }), ["spec.metricRelabelConfigs: unknown field (pruned by the API server)"], "the Go name, not the CRD's");
        assert.deepEqual(bad({ scheme: "tcp" }), ['spec.scheme: "tcp" is not one of ["http","https","HTTP","HTTPS"]']);
        assert.deepEqual(bad({ scrapeInterval: "1 minute" }), ['spec.scrapeInterval: "1 minute" does not match ^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$']);
        assert.deepEqual(bad({ fileSDConfigs: [{ files: ["/etc/prometheus/targets.txt"] }] }), ['spec.fileSDConfigs[0].files[0]: "/etc/prometheus/targets.txt" does not match ^[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)$']);
        assert.deepEqual(bad({ metricRelabelings: [{ action: "keep_if", source_labels: ["x"] }] }), [
            'spec.metricRelabelings[0].action: "keep_if" is not one of ["replace","Replace","keep","Keep","drop","Drop","hashmod","HashMod","labelmap","LabelMap","labeldrop","LabelDrop","labelkeep","LabelKeep","lowercase","Lowercase","uppercase","Uppercase","keepequal","KeepEqual","dropequal","DropEqual"]',
            "spec.metricRelabelings[0].source_labels: unknown field (pruned by the API server)",
        ]);
        assert.deepEqual(bad({ staticConfigs: [{ labels: { a: "b" } }] }), ["spec.staticConfigs[0].targets: required"]);
    });

    it("the operator's prometheus.yml rendering (test helper): job_name, job relabeled to jobName first, then the spec's relabelings", () => {
        const [, probes] = all();
        assert.deepEqual(toPrometheusScrapeConfig(probes, { "/etc/prometheus/configmaps/blackbox-probe-targets/probes.json": "/tmp/p.json" }), {
            job_name: "scrapeConfig/monitoring/installation-probes",
            metrics_path: "/probe",
            params: { module: ["http_2xx"] },
            scrape_interval: "60s",
            scrape_timeout: "15s",
            scheme: "http",
            file_sd_configs: [{ files: ["/tmp/p.json"] }],
            relabel_configs: [
                { source_labels: ["job"], target_label: "__tmp_prometheus_job_name" },
                { target_label: "job", action: "replace", replacement: "installation-probes" },
                { source_labels: ["__address__"], target_label: "__param_target", action: "replace" },
                { source_labels: ["__param_target"], target_label: "instance", action: "replace" },
                { target_label: "__address__", replacement: BLACKBOX, action: "replace" },
            ],
        });
    });
});

describe("FleetObservability exporter values", () => {
    const image = (repository: string, tag: string) => ({ repository, tag });

    it("blackbox exporter 11.17.2: the http_2xx module (GET, 2xx, ip4, TLS verified, the ping body), pinned image, hardened pod, resources", () => {
        const values = blackboxExporterValues({ image: image("quay.io/prometheus/blackbox-exporter", "v0.28.0") });
        assert.deepEqual(values.image, { registry: "quay.io", repository: "prometheus/blackbox-exporter", tag: "v0.28.0", pullPolicy: "IfNotPresent" });
        assert.equal(values.fullnameOverride, "blackbox-exporter");
        assert.deepEqual((values.config as { modules: object }).modules, { [PROBE_MODULE]: probeModule() });
        assert.deepEqual(probeModule(), {
            prober: "http",
            timeout: "10s",
            http: {
                method: "GET",
                valid_status_codes: [],
                valid_http_versions: ["HTTP/1.1", "HTTP/2.0"],
                preferred_ip_protocol: "ip4",
                follow_redirects: true,
                fail_if_body_not_matches_regexp: ['"status" *: *"OK"'],
                tls_config: { insecure_skip_verify: false },
            },
        });
        assert.ok(new RegExp('"status" *: *"OK"').test('{"ActiveSearchBackend":"database","status":"OK"}'));
        assert.ok(!new RegExp('"status" *: *"OK"').test('{"status":"UNHEALTHY"}'));
        assert.deepEqual(values.securityContext, {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        assert.deepEqual(values.resources, { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } });
        assert.equal(values.automountServiceAccountToken, false);
        assert.deepEqual(values.service, { type: "ClusterIP", port: 9115 });
        assert.deepEqual(values.serviceMonitor, { enabled: false, selfMonitor: { enabled: false } });
        // The probe job's scrape timeout stays above the module's probe timeout.
        const seconds = (d: string) => Number(d.replace(/s$/, ""));
        assert.ok(seconds(installationProbeScrapeSpec({ exporterAddress: BLACKBOX }).scrapeTimeout!) > seconds(probeModule().timeout as string));
    });

    it("json_exporter 0.19.2: one module per provisioner read, object scrape of every item into an info gauge; pinned image, hardened", () => {
        assert.deepEqual(provisionerExporterConfig(), {
            modules: {
                provisioner_clusters: {
                    metrics: [
                        {
                            name: "provisioner_cluster",
                            type: "object",
                            valuetype: "gauge",
                            help: "provisioner_cluster_info: one series per item of the provisioner API, value 1",
                            path: "{[*]}",
                            labels: { provisioned_cluster: "{.ID}", state: "{.State}" },
                            values: { info: "1" },
                        },
                    ],
                    valid_status_codes: [200],
                },
                provisioner_installations: {
                    metrics: [
                        {
                            name: "provisioner_installation",
                            type: "object",
                            valuetype: "gauge",
                            help: "provisioner_installation_info: one series per item of the provisioner API, value 1",
                            path: "{[*]}",
                            labels: { installation: "{.ID}", state: "{.State}", cluster: "{.ClusterIDs[0]}" },
                            values: { info: "1" },
                        },
                    ],
                    valid_status_codes: [200],
                },
            },
        });
        const values = jsonExporterValues({ image: image("quay.io/prometheuscommunity/json-exporter", "v0.7.0") });
        assert.deepEqual(values.image, { repository: "quay.io/prometheuscommunity/json-exporter", tag: "v0.7.0", pullPolicy: "IfNotPresent" });
        assert.deepEqual(values.configuration, { structuredConfig: provisionerExporterConfig() });
        assert.deepEqual(values.service, { type: "ClusterIP", port: 7979 });
        assert.deepEqual(values.serviceMonitor, { enabled: false });
        assert.equal((values.securityContext as { readOnlyRootFilesystem: boolean }).readOnlyRootFilesystem, true);
        assert.equal((values.podSecurityContext as { runAsNonRoot: boolean }).runAsNonRoot, true);
        assert.equal(jsonExporterAddress(), JSON_EXPORTER);
        // The modules the scrape job asks for are the ones the exporter has.
        const modules = Object.keys(provisionerExporterConfig().modules).sort();
        assert.deepEqual(provisionerStateScrapeSpec({ exporterAddress: JSON_EXPORTER }).staticConfigs!.map((c) => c.labels!.__param_module).sort(), modules);
    });
});
