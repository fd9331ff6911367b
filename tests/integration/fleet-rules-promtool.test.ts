// FleetObservability's rule files under the real tools at the deployed versions: `promtool check
// rules` (Prometheus v3.15.0) on the PrometheusRule groups and on the Ruler file (without the
// Thanos-only partial_response_strategy, as federation-promtool.test.ts does), `thanos tools
// rules-check` (Thanos v0.42.4) on the Ruler file as the Ruler reads it, and `promtool test
// rules` with, for EVERY alert, a case where it fires (exp_alerts with its exact labels and
// rendered annotations) and a case where it stays silent. Negative controls: a broken expression
// fails both checkers, and a wrong expected label fails promtool test rules.
//
// The Ruler's rules read through Thanos Query, where every series of the C&C Prometheus carries
// clusterID=<cnc> (its external label) and every leaf series its own clusterID: the Ruler's input
// series below are written that way.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ALERT_NAMES, Alert, AlertName, RuleOptions, prometheusRuleGroups, rulerRuleGroups } from "../../components/fleet-observability/rules";
import { toYaml } from "../../components/thanos-federation/render";
import { binary } from "../support/binaries";
import { tempDir } from "../support/thanos-prometheus";

const CNC = "cloud-prod-cnc";
const OPTIONS: RuleOptions = { cncClusterId: CNC, runbookBaseUrl: "https://github.com/example/cloud-cnc/blob/main/RUNBOOK.md" };

interface Run {
    code: number;
    output: string;
}

function run(bin: string, args: string[], cwd: string): Run {
    // Both streams: thanos logs its verdict on stderr, promtool prints on stdout.
    const r = spawnSync(bin, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
    return { code: r.status ?? 1, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

/** The groups as promtool reads them: partial_response_strategy is a Thanos extension promtool rejects. */
function forPromtool(groups: { name: string; rules: Alert[]; partial_response_strategy?: string }[]): string {
    return toYaml({ groups: groups.map(({ partial_response_strategy: _thanosOnly, ...g }) => g) });
}

// ---------------------------------------------------------------------------------------------
// The cases: input series (promtool expanding notation, 1m interval), when to evaluate, and the
// alerts expected (labels from the expression; `value` is how the template renders $value).

type Series = [string, string];
interface FireCase {
    series: Series[];
    at: string;
    alerts: { labels: Record<string, string>; value?: string }[];
}
interface SilentCase {
    series: Series[];
    at: string;
}

const leafUp = (cluster: string, v: string, viaQuery = false): Series => [
    `up{job="fleet-leaf-query", instance="${cluster}.thanos.example.internal:80", registered_cluster="${cluster}"${viaQuery ? `, clusterID="${CNC}"` : ""}}`,
    v,
];
const c1 = 'clusterID="c1"';
const mm = `${c1}, namespace="inst1", pod="inst1-mm-0", container="mattermost"`;
const mmApi = `${c1}, namespace="inst1", installationId="inst1", pod="inst1-mm-0"`;

const CASES: Record<AlertName, { fire: FireCase; silent: SilentCase }> = {
    FleetClusterDown: {
        fire: {
            series: [leafUp("c1", "0x15"), leafUp("c2", "1x15")],
            at: "10m",
            alerts: [{ labels: { job: "fleet-leaf-query", instance: "c1.thanos.example.internal:80", registered_cluster: "c1", clusterID: "c1" } }],
        },
        silent: { series: [leafUp("c1", "1x15")], at: "10m" },
    },
    FleetClusterProvisionedNotRegistered: {
        fire: {
            series: [
                ['provisioner_cluster_info{job="provisioner-inventory", provisioned_cluster="c1", name="one", state="stable"}', "1x45"],
                ['provisioner_cluster_info{job="provisioner-inventory", provisioned_cluster="c2", name="two", state="stable"}', "1x45"],
                leafUp("c1", "1x45"),
            ],
            at: "40m",
            alerts: [{ labels: { provisioned_cluster: "c2", clusterID: "c2" } }],
        },
        // c2 exists but is still being created: not expected to be registered yet.
        silent: {
            series: [
                ['provisioner_cluster_info{job="provisioner-inventory", provisioned_cluster="c1", name="one", state="stable"}', "1x45"],
                ['provisioner_cluster_info{job="provisioner-inventory", provisioned_cluster="c2", name="two", state="creation-in-progress"}', "1x45"],
                leafUp("c1", "1x45"),
            ],
            at: "40m",
        },
    },
    FleetProvisionerInventoryMissing: {
        fire: { series: [leafUp("c1", "1x30")], at: "20m", alerts: [{ labels: {} }] },
        silent: { series: [leafUp("c1", "1x30"), ['provisioner_cluster_info{provisioned_cluster="c1", state="stable"}', "1x30"]], at: "20m" },
    },
    ThanosCompactHalted: {
        fire: { series: [['thanos_compact_halted{job="thanos-compactor", instance="thanos-compactor-0"}', "1x15"]], at: "10m", alerts: [{ labels: { job: "thanos-compactor" } }] },
        silent: { series: [['thanos_compact_halted{job="thanos-compactor", instance="thanos-compactor-0"}', "0x15"]], at: "10m" },
    },
    ThanosCompactNotRunning: {
        fire: { series: [['up{job="thanos-compactor", instance="thanos-compactor-0"}', "0x30"]], at: "20m", alerts: [{ labels: {} }] },
        silent: {
            series: [
                ['up{job="thanos-compactor", instance="thanos-compactor-0"}', "1x30"],
                ['thanos_objstore_bucket_last_successful_upload_time{job="thanos-compactor", bucket="metrics"}', "600x30"],
            ],
            at: "20m",
        },
    },
    ThanosBucketOperationsFailing: {
        fire: {
            series: [
                ['thanos_objstore_bucket_operations_total{job="thanos-store", operation="get", bucket="metrics"}', "0+100x30"],
                ['thanos_objstore_bucket_operation_failures_total{job="thanos-store", operation="get", bucket="metrics"}', "0+10x30"],
            ],
            at: "25m",
            alerts: [{ labels: { job: "thanos-store", operation: "get" }, value: "10%" }],
        },
        silent: {
            series: [
                ['thanos_objstore_bucket_operations_total{job="thanos-store", operation="get", bucket="metrics"}', "0+100x30"],
                ['thanos_objstore_bucket_operation_failures_total{job="thanos-store", operation="get", bucket="metrics"}', "0+1x30"],
            ],
            at: "25m",
        },
    },
    ThanosQueryStoreCallsFailing: {
        fire: {
            series: [
                ['grpc_client_started_total{job="thanos-query", grpc_method="Series", grpc_service="thanos.Store"}', "0+100x30"],
                ['grpc_client_handled_total{job="thanos-query", grpc_method="Series", grpc_service="thanos.Store", grpc_code="OK"}', "0+80x30"],
                ['grpc_client_handled_total{job="thanos-query", grpc_method="Series", grpc_service="thanos.Store", grpc_code="Unavailable"}', "0+20x30"],
            ],
            at: "25m",
            alerts: [{ labels: { job: "thanos-query" }, value: "20%" }],
        },
        silent: {
            series: [
                ['grpc_client_started_total{job="thanos-query", grpc_method="Series", grpc_service="thanos.Store"}', "0+100x30"],
                ['grpc_client_handled_total{job="thanos-query", grpc_method="Series", grpc_service="thanos.Store", grpc_code="OK"}', "0+99x30"],
                ['grpc_client_handled_total{job="thanos-query", grpc_method="Series", grpc_service="thanos.Store", grpc_code="Unavailable"}', "0+1x30"],
            ],
            at: "25m",
        },
    },
    ThanosRulerPartialResponses: {
        fire: { series: [['thanos_rule_evaluation_with_warnings_total{job="thanos-ruler", instance="thanos-ruler-0", strategy="warn"}', "0+1x45"]], at: "40m", alerts: [{ labels: { job: "thanos-ruler" } }] },
        // Warnings under the abort strategy are not partial evaluations.
        silent: {
            series: [
                ['thanos_rule_evaluation_with_warnings_total{job="thanos-ruler", instance="thanos-ruler-0", strategy="warn"}', "0x45"],
                ['thanos_rule_evaluation_with_warnings_total{job="thanos-ruler", instance="thanos-ruler-0", strategy="abort"}', "0+1x45"],
            ],
            at: "40m",
        },
    },
    ThanosRulerAlertsDropped: {
        fire: {
            series: [['thanos_alert_sender_alerts_dropped_total{job="thanos-ruler", instance="thanos-ruler-0", alertmanager="http://am:9093/api/v2/alerts"}', "0+1x15"]],
            at: "10m",
            alerts: [{ labels: { job: "thanos-ruler" } }],
        },
        silent: {
            series: [
                ['thanos_alert_sender_alerts_dropped_total{job="thanos-ruler", instance="thanos-ruler-0", alertmanager="http://am:9093/api/v2/alerts"}', "0x15"],
                ['thanos_alert_queue_alerts_dropped_total{job="thanos-ruler", instance="thanos-ruler-0"}', "0x15"],
            ],
            at: "10m",
        },
    },
    PrometheusRuleEvaluationFailures: {
        fire: {
            series: [['prometheus_rule_evaluation_failures_total{job="kps-prometheus", instance="p-0", rule_group="/etc/prometheus/rules/fleet.yaml;cnc-monitoring"}', "0+1x30"]],
            at: "25m",
            alerts: [{ labels: { job: "kps-prometheus", rule_group: "/etc/prometheus/rules/fleet.yaml;cnc-monitoring" } }],
        },
        silent: { series: [['prometheus_rule_evaluation_failures_total{job="kps-prometheus", instance="p-0", rule_group="g"}', "3x30"]], at: "25m" },
    },
    AlertmanagerNotificationsFailing: {
        fire: {
            series: [
                ['alertmanager_notifications_total{job="kps-alertmanager", instance="am-0", integration="slack"}', "0+10x30"],
                ['alertmanager_notifications_failed_total{job="kps-alertmanager", instance="am-0", integration="slack", reason="clientError"}', "0+5x30"],
            ],
            at: "20m",
            alerts: [{ labels: { job: "kps-alertmanager", integration: "slack" }, value: "50%" }],
        },
        silent: {
            series: [
                ['alertmanager_notifications_total{job="kps-alertmanager", instance="am-0", integration="slack"}', "0+10x30"],
                ['alertmanager_notifications_failed_total{job="kps-alertmanager", instance="am-0", integration="slack", reason="clientError"}', "0x30"],
            ],
            at: "20m",
        },
    },
    InstallationPingFailing: {
        fire: {
            series: [['probe_success{job="installation-probes", installation="inst1", instance="https://inst1.cloud.example.com/api/v4/system/ping"}', "0x15"]],
            at: "10m",
            alerts: [{ labels: { installation: "inst1", instance: "https://inst1.cloud.example.com/api/v4/system/ping" } }],
        },
        silent: { series: [['probe_success{job="installation-probes", installation="inst1", instance="https://inst1.cloud.example.com/api/v4/system/ping"}', "1x15"]], at: "10m" },
    },
    // --- Ruler (series as Thanos Query returns them)
    FleetClusterRegisteredNotReporting: {
        // The required drift test: c1 is registered (its leaf Query is scraped) but no series of clusterID c1 exists.
        fire: {
            series: [leafUp("c1", "1x30", true), leafUp("c2", "1x30", true), ['up{job="kubelet", instance="n1", clusterID="c2"}', "1x30"], [`up{job="prometheus", instance="p", clusterID="${CNC}"}`, "1x30"]],
            at: "20m",
            alerts: [{ labels: { registered_cluster: "c1", clusterID: "c1" } }],
        },
        silent: { series: [leafUp("c1", "1x30", true), ['up{job="kubelet", instance="n1", clusterID="c1"}', "1x30"]], at: "20m" },
    },
    FleetClusterReportingUnknown: {
        // c9 reports but is not registered; the C&C's own series (clusterID=<cnc>) never count as unknown.
        fire: {
            series: [leafUp("c1", "1x45", true), ['up{job="kubelet", clusterID="c1"}', "1x45"], ['up{job="kubelet", clusterID="c9"}', "1x45"], [`up{job="prometheus", clusterID="${CNC}"}`, "1x45"]],
            at: "40m",
            alerts: [{ labels: { clusterID: "c9" } }],
        },
        silent: { series: [leafUp("c1", "1x45", true), leafUp("c9", "1x45", true), ['up{job="kubelet", clusterID="c1"}', "1x45"], ['up{job="kubelet", clusterID="c9"}', "1x45"]], at: "40m" },
    },
    ThanosSidecarNotUploading: {
        // Last sidecar upload at t=0; at 3h30m it is 3.5h old. The compactor's recent upload does not count.
        fire: {
            series: [
                [`thanos_objstore_bucket_last_successful_upload_time{${c1}, job="kps-thanos-discovery", bucket="metrics"}`, "0x240"],
                [`thanos_objstore_bucket_last_successful_upload_time{${c1}, job="thanos-compactor", bucket="metrics"}`, "12000x240"],
            ],
            at: "210m",
            alerts: [{ labels: { clusterID: "c1" }, value: "3.5" }],
        },
        silent: { series: [[`thanos_objstore_bucket_last_successful_upload_time{${c1}, job="kps-thanos-discovery", bucket="metrics"}`, "10000x240"]], at: "210m" },
    },
    FluentBitOutputRecordsLost: {
        fire: { series: [[`fluentbit_output_retries_failed_total{${c1}, name="opensearch.0", pod="fluent-bit-x"}`, "0+1x20"]], at: "15m", alerts: [{ labels: { clusterID: "c1", name: "opensearch.0" } }] },
        silent: { series: [[`fluentbit_output_retries_failed_total{${c1}, name="opensearch.0", pod="fluent-bit-x"}`, "2x20"]], at: "15m" },
    },
    FluentBitOutputErrors: {
        fire: { series: [[`fluentbit_output_errors_total{${c1}, name="opensearch.0", pod="fluent-bit-x"}`, "0+1x30"]], at: "25m", alerts: [{ labels: { clusterID: "c1", name: "opensearch.0" } }] },
        silent: { series: [[`fluentbit_output_errors_total{${c1}, name="opensearch.0", pod="fluent-bit-x"}`, "5x30"]], at: "25m" },
    },
    FleetPodCrashLooping: {
        fire: {
            series: [[`kube_pod_container_status_waiting_reason{${c1}, namespace="inst1", pod="inst1-mm-0", container="mattermost", reason="CrashLoopBackOff"}`, "1x30"]],
            at: "25m",
            alerts: [{ labels: { clusterID: "c1", namespace: "inst1", pod: "inst1-mm-0", container: "mattermost" } }],
        },
        silent: { series: [[`kube_pod_container_status_waiting_reason{${c1}, namespace="inst1", pod="inst1-mm-0", container="mattermost", reason="ContainerCreating"}`, "1x30"]], at: "25m" },
    },
    FleetPodFailed: {
        fire: { series: [[`kube_pod_status_phase{${c1}, namespace="ns", pod="job-x", phase="Failed"}`, "1x30"]], at: "25m", alerts: [{ labels: { clusterID: "c1", namespace: "ns", pod: "job-x" } }] },
        silent: {
            series: [
                [`kube_pod_status_phase{${c1}, namespace="ns", pod="job-x", phase="Failed"}`, "0x30"],
                [`kube_pod_status_phase{${c1}, namespace="ns", pod="job-x", phase="Running"}`, "1x30"],
            ],
            at: "25m",
        },
    },
    FleetNodeNotReady: {
        fire: { series: [[`kube_node_status_condition{${c1}, node="ip-10-0-1-1", condition="Ready", status="true"}`, "0x30"]], at: "25m", alerts: [{ labels: { clusterID: "c1", node: "ip-10-0-1-1" } }] },
        silent: { series: [[`kube_node_status_condition{${c1}, node="ip-10-0-1-1", condition="Ready", status="true"}`, "1x30"]], at: "25m" },
    },
    FleetNodeTainted: {
        fire: {
            series: [[`kube_node_spec_taint{${c1}, node="ip-10-0-1-1", key="node.kubernetes.io/unschedulable", value="", effect="NoSchedule"}`, "1x45"]],
            at: "40m",
            alerts: [{ labels: { clusterID: "c1", node: "ip-10-0-1-1", key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" } }],
        },
        // A dedication taint someone set on purpose is not a condition.
        silent: { series: [[`kube_node_spec_taint{${c1}, node="ip-10-0-1-1", key="dedicated", value="monitoring", effect="NoSchedule"}`, "1x45"]], at: "40m" },
    },
    FleetClusterCPUHigh: {
        // 3 idle CPU-seconds per minute on one CPU: 95% used.
        fire: { series: [[`node_cpu_seconds_total{${c1}, instance="n1", cpu="0", mode="idle"}`, "0+3x30"]], at: "25m", alerts: [{ labels: { clusterID: "c1" }, value: "95%" }] },
        silent: { series: [[`node_cpu_seconds_total{${c1}, instance="n1", cpu="0", mode="idle"}`, "0+30x30"]], at: "25m" },
    },
    FleetClusterMemoryHigh: {
        fire: {
            series: [
                [`node_memory_MemAvailable_bytes{${c1}, instance="n1"}`, "10x30"],
                [`node_memory_MemTotal_bytes{${c1}, instance="n1"}`, "100x30"],
            ],
            at: "25m",
            alerts: [{ labels: { clusterID: "c1" }, value: "90%" }],
        },
        silent: {
            series: [
                [`node_memory_MemAvailable_bytes{${c1}, instance="n1"}`, "50x30"],
                [`node_memory_MemTotal_bytes{${c1}, instance="n1"}`, "100x30"],
            ],
            at: "25m",
        },
    },
    MattermostCPUNearLimit: {
        fire: {
            series: [
                [`container_cpu_usage_seconds_total{${mm}}`, "0+54x30"],
                [`kube_pod_container_resource_limits{${mm}, resource="cpu", unit="core"}`, "1x30"],
            ],
            at: "25m",
            alerts: [{ labels: { clusterID: "c1", namespace: "inst1", pod: "inst1-mm-0" }, value: "90%" }],
        },
        silent: {
            series: [
                [`container_cpu_usage_seconds_total{${mm}}`, "0+54x30"],
                [`kube_pod_container_resource_limits{${mm}, resource="cpu", unit="core"}`, "2x30"],
            ],
            at: "25m",
        },
    },
    MattermostMemoryNearLimit: {
        fire: {
            series: [
                [`container_memory_working_set_bytes{${mm}}`, "900x30"],
                [`kube_pod_container_resource_limits{${mm}, resource="memory", unit="byte"}`, "1000x30"],
            ],
            at: "25m",
            alerts: [{ labels: { clusterID: "c1", namespace: "inst1", pod: "inst1-mm-0" }, value: "90%" }],
        },
        silent: {
            series: [
                [`container_memory_working_set_bytes{${mm}}`, "500x30"],
                [`kube_pod_container_resource_limits{${mm}, resource="memory", unit="byte"}`, "1000x30"],
            ],
            at: "25m",
        },
    },
    MattermostAPIErrorRateHigh: {
        fire: {
            series: [
                [`mattermost_http_requests_total{${mmApi}}`, "0+600x30"],
                [`mattermost_http_errors_total{${mmApi}}`, "0+60x30"],
            ],
            at: "25m",
            alerts: [{ labels: { clusterID: "c1", namespace: "inst1", installationId: "inst1" }, value: "10%" }],
        },
        silent: {
            series: [
                [`mattermost_http_requests_total{${mmApi}}`, "0+600x30"],
                [`mattermost_http_errors_total{${mmApi}}`, "0+6x30"],
            ],
            at: "25m",
        },
    },
    MattermostAPILatencyHigh: {
        fire: {
            series: [
                [`mattermost_api_time_sum{${mmApi}, handler="getPosts", method="GET", status_code="200"}`, "0+45x30"],
                [`mattermost_api_time_count{${mmApi}, handler="getPosts", method="GET", status_code="200"}`, "0+60x30"],
            ],
            at: "25m",
            alerts: [{ labels: { clusterID: "c1", namespace: "inst1", installationId: "inst1" }, value: "750ms" }],
        },
        silent: {
            series: [
                [`mattermost_api_time_sum{${mmApi}, handler="getPosts", method="GET", status_code="200"}`, "0+6x30"],
                [`mattermost_api_time_count{${mmApi}, handler="getPosts", method="GET", status_code="200"}`, "0+60x30"],
            ],
            at: "25m",
        },
    },
};

/** Renders an annotation the way the expected alert shows it: labels substituted, `$value` as the case says. */
function expand(template: string, labels: Record<string, string>, value: string | undefined, alert: string): string {
    return template.replace(/\{\{ ([^}]+) \}\}/g, (_m, expr: string) => {
        const label = /^\$labels\.(\w+)$/.exec(expr);
        if (label) {
            if (labels[label[1]] === undefined) throw new Error(`${alert}: the template uses ${label[1]}, which the case's labels lack`);
            return labels[label[1]];
        }
        if (/^\$value\b/.test(expr)) {
            if (value === undefined) throw new Error(`${alert}: the template renders $value; give the case a value`);
            return value;
        }
        throw new Error(`${alert}: unexpected template ${expr}`);
    });
}

interface TestGroup {
    name: string;
    interval: string;
    input_series: { series: string; values: string }[];
    alert_rule_test: { eval_time: string; alertname: string; exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[] }[];
}

function testGroups(alerts: Alert[]): TestGroup[] {
    const byName = new Map(alerts.map((a) => [a.alert, a]));
    const groups: TestGroup[] = [];
    for (const name of ALERT_NAMES) {
        const a = byName.get(name)!;
        const { fire, silent } = CASES[name];
        const inputs = (s: Series[]) => s.map(([series, values]) => ({ series, values }));
        groups.push({
            name: `${name} fires`,
            interval: "1m",
            input_series: inputs(fire.series),
            alert_rule_test: [
                {
                    eval_time: fire.at,
                    alertname: name,
                    exp_alerts: fire.alerts.map((x) => {
                        const labels = { ...x.labels, severity: a.labels.severity };
                        const annotations = Object.fromEntries(Object.entries(a.annotations).map(([k, v]) => [k, expand(v, labels, x.value, name)]));
                        return { exp_labels: labels, exp_annotations: annotations };
                    }),
                },
            ],
        });
        groups.push({ name: `${name} stays silent`, interval: "1m", input_series: inputs(silent.series), alert_rule_test: [{ eval_time: silent.at, alertname: name, exp_alerts: [] }] });
    }
    return groups;
}

describe("FleetObservability rules under promtool v3.15.0 and thanos v0.42.4 (real tools)", function () {
    this.timeout(300_000);
    let dir: string;
    let promtool: string;
    let thanos: string;
    const prom = prometheusRuleGroups(OPTIONS).groups;
    const ruler = rulerRuleGroups(OPTIONS).groups;
    const alerts = [...prom, ...ruler].flatMap((g) => g.rules);

    before(() => {
        promtool = binary("promtool");
        thanos = binary("thanos");
        dir = tempDir("cloud-cnc-fleet-rules-");
        fs.writeFileSync(path.join(dir, "prometheus-rules.yml"), forPromtool(prom));
        fs.writeFileSync(path.join(dir, "ruler-rules.promtool.yml"), forPromtool(ruler));
        fs.writeFileSync(path.join(dir, "ruler-rules.yml"), toYaml({ groups: ruler }));
    });

    after(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("promtool check rules accepts the PrometheusRule groups and the Ruler file", () => {
        for (const [file, count] of [
            ["prometheus-rules.yml", prom.flatMap((g) => g.rules).length],
            ["ruler-rules.promtool.yml", ruler.flatMap((g) => g.rules).length],
        ] as const) {
            const r = run(promtool, ["check", "rules", file], dir);
            assert.equal(r.code, 0, r.output);
            assert.match(r.output, new RegExp(`SUCCESS: ${count} rules found`), r.output);
        }
    });

    it("thanos tools rules-check accepts the Ruler file with partial_response_strategy", () => {
        const r = run(thanos, ["tools", "rules-check", "--rules=ruler-rules.yml"], dir);
        assert.equal(r.code, 0, r.output);
        assert.match(r.output, new RegExp(`result=SUCCESS rulesfound=${ruler.flatMap((g) => g.rules).length}\\b`), r.output);
    });

    it("a broken expression fails both checkers (the checks can fail)", () => {
        const broken = ruler.map((g, i) => (i === 0 ? { ...g, rules: [{ ...g.rules[0], expr: `${g.rules[0].expr} unless on (clusterID` }, ...g.rules.slice(1)] } : g));
        fs.writeFileSync(path.join(dir, "broken.yml"), toYaml({ groups: broken }));
        fs.writeFileSync(path.join(dir, "broken.promtool.yml"), forPromtool(broken));
        const t = run(thanos, ["tools", "rules-check", "--rules=broken.yml"], dir);
        assert.notEqual(t.code, 0, t.output);
        const p = run(promtool, ["check", "rules", "broken.promtool.yml"], dir);
        assert.notEqual(p.code, 0, p.output);
        assert.match(p.output, /parse error/i);
        // And thanos refuses an unknown strategy: it reads the field promtool cannot.
        fs.writeFileSync(path.join(dir, "bad-strategy.yml"), toYaml({ groups: [{ ...ruler[0], partial_response_strategy: "sometimes" }] }));
        assert.notEqual(run(thanos, ["tools", "rules-check", "--rules=bad-strategy.yml"], dir).code, 0);
    });

    it("every alert has a firing and a silent case", () => {
        for (const name of ALERT_NAMES) {
            assert.ok(CASES[name].fire.alerts.length > 0, `${name}: no expected alert in its firing case`);
        }
        assert.deepEqual(Object.keys(CASES).sort(), [...ALERT_NAMES].sort());
    });

    it("promtool test rules: every alert fires with its labels and annotations, and stays silent when it should", () => {
        const groups = testGroups(alerts);
        fs.writeFileSync(path.join(dir, "fleet-rules-test.yml"), toYaml({ rule_files: ["prometheus-rules.yml", "ruler-rules.promtool.yml"], evaluation_interval: "1m", tests: groups }));
        const r = run(promtool, ["test", "rules", "fleet-rules-test.yml"], dir);
        assert.equal(r.code, 0, r.output);
        assert.match(r.output, /SUCCESS/);
        const drift = groups.find((g) => g.name === "FleetClusterRegisteredNotReporting fires")!;
        assert.ok(drift.input_series.some((s) => s.series.includes('registered_cluster="c1"')) && !drift.input_series.some((s) => s.series.includes('clusterID="c1"')));
        console.log(`      ${alerts.length} alerts, ${groups.length} promtool test cases (${groups.filter((g) => g.name.endsWith("fires")).length} firing, ${groups.filter((g) => g.name.endsWith("silent")).length} silent)`);
    });

    it("the required drift test alone: a registered cluster with no metrics fires FleetClusterRegisteredNotReporting (and not before its 15m)", () => {
        const groups = testGroups(alerts).filter((g) => g.name.startsWith("FleetClusterRegisteredNotReporting"));
        const early = { ...groups[0], name: "not before for", alert_rule_test: [{ ...groups[0].alert_rule_test[0], eval_time: "10m", exp_alerts: [] }] };
        fs.writeFileSync(path.join(dir, "drift-test.yml"), toYaml({ rule_files: ["ruler-rules.promtool.yml"], evaluation_interval: "1m", tests: [...groups, early] }));
        const r = run(promtool, ["test", "rules", "drift-test.yml"], dir);
        assert.equal(r.code, 0, r.output);
    });

    it("a wrong expectation fails promtool test rules (negative control)", () => {
        const groups = testGroups(alerts);
        const fire = groups.find((g) => g.name === "FleetClusterRegisteredNotReporting fires")!;
        fire.alert_rule_test[0].exp_alerts[0].exp_labels.clusterID = CNC; // what the Ruler's old clusterID label made of it
        const silent = groups.find((g) => g.name === "FleetClusterDown stays silent")!;
        silent.input_series[0].values = "0x15"; // the leaf Query is down: it must fire now
        const cpu = groups.find((g) => g.name === "FleetClusterCPUHigh fires")!;
        const ann = cpu.alert_rule_test[0].exp_alerts[0].exp_annotations;
        ann.description = ann.description.replace("95%", "94%"); // the rendered annotation is compared too
        fs.writeFileSync(path.join(dir, "wrong-test.yml"), toYaml({ rule_files: ["prometheus-rules.yml", "ruler-rules.promtool.yml"], evaluation_interval: "1m", tests: [fire, silent, cpu] }));
        const r = run(promtool, ["test", "rules", "wrong-test.yml"], dir);
        assert.notEqual(r.code, 0, r.output);
        assert.match(r.output, /FleetClusterRegisteredNotReporting/);
        assert.match(r.output, /FleetClusterDown/);
        assert.match(r.output, /FleetClusterCPUHigh/);
    });
});
