// The FleetObservability dashboards as rendered JSON: count, stable uids and folders, variables
// (every use defined, with a negative control), datasource variables on every target, panel ids
// and the 24-column grid, the required panels of each dashboard, and the CloudWatch targets against
// a catalog written from AWS documentation (tests/support/cloudwatch-catalog.ts).
import { strict as assert } from "assert";
import { FleetDashboard, fleetDashboards } from "../../components/fleet-observability/dashboards";
import {
    gridProblems,
    panelsOf,
    prometheusQueries,
    referencedVariables,
    substituteVariables,
    targetsOf,
    undefinedVariables,
    variablePrometheusQueries,
    variableQueryAsPromQL,
    variablesOf,
} from "../../components/fleet-observability/dashboards/inspect";
import { catalogProblem, cloudwatchCatalog } from "../support/cloudwatch-catalog";
import { DASHBOARD_OPTIONS } from "../support/dashboard-options";

const EXPECTED = [
    { uid: "cnc-fleet", folder: "Fleet" },
    { uid: "cnc-cluster", folder: "Fleet" },
    { uid: "cnc-installation", folder: "Fleet" },
    { uid: "cnc-uptime", folder: "Fleet" },
    { uid: "cnc-monitoring", folder: "Monitoring" },
    { uid: "cnc-database", folder: "AWS" },
    { uid: "cnc-quotas", folder: "AWS" },
];

function byUid(dashboards: FleetDashboard[], uid: string): FleetDashboard {
    const d = dashboards.find((x) => x.uid === uid);
    assert.ok(d, `no dashboard ${uid}`);
    return d;
}

function exprs(d: FleetDashboard): string[] {
    return prometheusQueries(d.json).map((q) => q.expr);
}

function clone<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

describe("FleetObservability dashboards (rendered JSON)", () => {
    const dashboards = fleetDashboards(DASHBOARD_OPTIONS);

    it("renders at least 7 dashboards with stable, unique, short uids in the Fleet / Monitoring / AWS folders", () => {
        assert.ok(dashboards.length >= 7, `${dashboards.length} dashboards`);
        assert.deepEqual(
            dashboards.map((d) => ({ uid: d.uid, folder: d.folder })),
            EXPECTED,
        );
        assert.equal(new Set(dashboards.map((d) => d.uid)).size, dashboards.length);
        for (const d of dashboards) {
            assert.equal(d.json.uid, d.uid);
            assert.equal(d.json.title, d.title);
            assert.ok(d.uid.length <= 40, `${d.uid} longer than Grafana's 40 characters`);
            assert.match(d.uid, /^cnc-[a-z]+$/);
        }
    });

    it("is deterministic: the same options give byte-identical JSON (no spurious ConfigMap diffs)", () => {
        assert.equal(JSON.stringify(fleetDashboards(DASHBOARD_OPTIONS)), JSON.stringify(dashboards));
    });

    it("every variable used in a panel title, target or variable query is defined in that dashboard", () => {
        for (const d of dashboards) assert.deepEqual(undefinedVariables(d.json), [], `${d.uid} uses undefined variables`);
    });

    it("negative control: the checker catches an undefined variable in a target, in a title, and in a variable query", () => {
        const fleet = clone(byUid(dashboards, "cnc-cluster").json);
        const panel = panelsOf(fleet).find((p) => (p.targets ?? []).length > 0);
        assert.ok(panel?.targets);
        panel.targets[0].expr = `up{clusterID="$cluster"}`; // the original's variable name, not ours
        panel.title = "CPU of ${node}";
        const variable = variablesOf(fleet).find((v) => v.name === "clusterID");
        assert.ok(variable);
        variable.query = "label_values(kube_node_info{region=~\"[[region]]\"}, clusterID)";
        assert.deepEqual(
            undefinedVariables(fleet).map((u) => u.name).sort(),
            ["cluster", "node", "region"],
        );
    });

    it("variable references: Grafana's three syntaxes count, built-ins and regex back-references do not", () => {
        assert.deepEqual(referencedVariables(`rate(x{a="$a", b="\${b}", c=~"\${c:regex}", d="[[d]]"}[$__rate_interval]) label_replace(y, "z", "$1", "w", "(.+)")`), ["a", "b", "c", "d"]);
        assert.equal(substituteVariables(`x{a=~"$a", b="\${b}"}[$__range]`, { a: ["p", "q"], b: "r", __range: "6h" }), `x{a=~"(p|q)", b="r"}[6h]`);
        assert.throws(() => substituteVariables(`x{a="$a"}`, {}), /no value for variable a/);
    });

    it("label_values variable queries turn into the series selector they imply", () => {
        assert.equal(variableQueryAsPromQL("label_values(up{job=\"a\"}, clusterID)"), 'up{job="a"}');
        assert.equal(variableQueryAsPromQL("label_values(clusterID)"), '{clusterID!=""}');
        assert.equal(variableQueryAsPromQL("query_result(topk(5, up))"), "topk(5, up)");
        assert.throws(() => variableQueryAsPromQL("metrics(up.*)"), /unsupported/);
    });

    it("every Prometheus panel and target reads through the dashboard's `datasource` variable (type prometheus, default Thanos)", () => {
        for (const d of dashboards) {
            const promTargets = targetsOf(d.json).filter((t) => t.datasourceType === "prometheus");
            const vars = variablesOf(d.json);
            if (promTargets.length > 0) {
                const ds = vars.find((v) => v.name === "datasource");
                assert.ok(ds, `${d.uid} has Prometheus panels but no datasource variable`);
                assert.equal(ds.type, "datasource");
                assert.equal(ds.query, "prometheus");
                assert.deepEqual(ds.current, { text: "Thanos", value: "thanos" });
            }
            for (const t of promTargets) assert.equal(t.datasourceUid, "${datasource}", `${d.uid} panel ${t.panelId} ${t.refId}`);
            for (const v of vars.filter((x) => x.type === "query")) assert.deepEqual(v.datasource, { type: "prometheus", uid: "${datasource}" }, `${d.uid} variable ${v.name}`);
            for (const p of panelsOf(d.json).filter((x) => x.type !== "row")) {
                assert.ok(p.datasource?.uid === "${datasource}" || p.datasource?.uid === "${cloudwatch}", `${d.uid} panel ${p.id} hard-codes datasource ${JSON.stringify(p.datasource)}`);
            }
        }
    });

    it("every CloudWatch target reads through the `cloudwatch` variable (type cloudwatch, default the IRSA datasource)", () => {
        let count = 0;
        for (const d of dashboards) {
            for (const t of targetsOf(d.json).filter((x) => x.datasourceType === "cloudwatch")) {
                count++;
                assert.equal(t.datasourceUid, "${cloudwatch}");
                const v = variablesOf(d.json).find((x) => x.name === "cloudwatch");
                assert.ok(v, `${d.uid} has CloudWatch panels but no cloudwatch variable`);
                assert.equal(v.query, "cloudwatch");
                assert.deepEqual(v.current, { text: "CloudWatch", value: "cloudwatch" });
            }
        }
        assert.ok(count >= 30, `${count} CloudWatch targets`);
    });

    it("every target has a refId unique in its panel; panel ids are unique; panels stay within 24 columns and do not overlap", () => {
        for (const d of dashboards) {
            assert.deepEqual(gridProblems(d.json), [], d.uid);
            for (const p of panelsOf(d.json)) {
                const refIds = (p.targets ?? []).map((t) => t.refId);
                assert.ok(refIds.every((r) => typeof r === "string" && r.length > 0), `${d.uid} panel ${p.id} target without refId`);
                assert.equal(new Set(refIds).size, refIds.length, `${d.uid} panel ${p.id} repeats a refId`);
            }
        }
    });

    it("negative control: the grid checker catches an overflow, an overlap and a duplicate id", () => {
        const json = clone(byUid(dashboards, "cnc-uptime").json);
        const panels = json.panels as { id: number; gridPos: { x: number; y: number; w: number; h: number } }[];
        panels[1].gridPos.x = 20; // w 6: 26 > 24
        panels[3].id = panels[2].id;
        panels[5].gridPos = { ...panels[6].gridPos };
        const problems = gridProblems(json).map((p) => p.problem).join("\n");
        assert.match(problems, /leaves the 24 columns/);
        assert.match(problems, /also used by/);
        assert.match(problems, /overlap/);
    });

    it("Cluster: every panel query filters on $clusterID, and rates use $interval", () => {
        const d = byUid(dashboards, "cnc-cluster");
        const queries = prometheusQueries(d.json);
        assert.ok(queries.length >= 15);
        for (const q of queries) assert.match(q.expr, /clusterID="\$clusterID"/, q.where);
        for (const q of queries.filter((x) => /rate\(/.test(x.expr))) assert.match(q.expr, /\[\$interval\]/, q.where);
        assert.deepEqual(variablesOf(d.json).map((v) => v.name), ["datasource", "clusterID", "interval"]);
    });

    it("Fleet: registered (fleet-leaf-query), reporting, up/down, drift, installations per state, failing pods, top consumers, installations against size", () => {
        const e = exprs(byUid(dashboards, "cnc-fleet")).join("\n");
        for (const needle of [
            'up{job="fleet-leaf-query"}',
            "registered_cluster",
            'count by (clusterID) (up{clusterID!="", clusterID!="C&C"})',
            "== 1",
            "== 0",
            "unless on (clusterID)",
            "count by (state) (provisioner_installation_info)",
            "count by (state) (provisioner_cluster_info)",
            'provisioner_cluster_info{state="stable"}',
            "provisioned_cluster",
            'kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}',
            'kube_pod_status_phase{phase="Failed"}',
            "topk(10,",
            '"clusterID", "$1", "cluster", "(.+)"',
            "kube_node_info",
        ]) {
            assert.ok(e.includes(needle), `Fleet has no query with ${needle}`);
        }
        const drift = prometheusQueries(byUid(dashboards, "cnc-fleet").json).filter((q) => /unless on \(clusterID\)/.test(q.expr));
        assert.equal(drift.length, 3, "three drift tables");
    });

    it("Installation: installation -> clusterID -> namespace variables, Mattermost metrics, container limits, probe uptime", () => {
        const d = byUid(dashboards, "cnc-installation");
        assert.deepEqual(variablesOf(d.json).map((v) => v.name), ["datasource", "installation", "clusterID", "namespace"]);
        const e = exprs(d).join("\n");
        for (const m of ["mattermost_http_requests_total", "mattermost_http_errors_total", "mattermost_api_time_bucket", "mattermost_api_time_sum", "mattermost_api_time_count", "mattermost_process_cpu_seconds_total", "mattermost_process_resident_memory_bytes", "kube_pod_container_resource_limits", "probe_success", "provisioner_installation_info"]) {
            assert.ok(e.includes(m), `Installation has no ${m}`);
        }
        for (const q of prometheusQueries(d.json)) assert.match(q.expr, /\$installation|\$namespace/, `${q.where} is not scoped to the installation`);
    });

    it("Uptime: probe_success, probe_http_status_code, probe_duration_seconds by installation and instance; multi-valued installation", () => {
        const d = byUid(dashboards, "cnc-uptime");
        const e = exprs(d).join("\n");
        for (const m of ["probe_success", "probe_http_status_code", "probe_duration_seconds", "by (installation, instance)"]) assert.ok(e.includes(m), `Uptime has no ${m}`);
        const inst = variablesOf(d.json).find((v) => v.name === "installation");
        assert.equal(inst?.multi, true);
        assert.equal(inst?.includeAll, true);
        for (const q of prometheusQueries(d.json)) assert.match(q.expr, /installation=~"\$installation"/, q.where);
    });

    it("Monitoring health: Thanos components, Prometheus, Alertmanager, Fluent Bit; registrar and OpenSearch through CloudWatch", () => {
        const d = byUid(dashboards, "cnc-monitoring");
        const e = exprs(d).join("\n");
        for (const m of [
            "thanos_compact_halted",
            "thanos_objstore_bucket_operation_failures_total",
            "thanos_objstore_bucket_last_successful_upload_time",
            "grpc_client_handled_total",
            "thanos_store_nodes_grpc_connections",
            "thanos_rule_evaluation_with_warnings_total",
            "prometheus_rule_evaluation_failures_total",
            "alertmanager_notifications_failed_total",
            "fluentbit_output_retries_total",
            "fluentbit_output_errors_total",
            "fluentbit_output_retries_failed_total",
            "fluentbit_input_storage_memory_bytes",
        ]) {
            assert.ok(e.includes(m), `Monitoring health has no ${m}`);
        }
        const cw = targetsOf(d.json).filter((t) => t.datasourceType === "cloudwatch").map((t) => `${String(t.target.namespace)} ${String(t.target.metricName)}`);
        for (const m of ["AWS/Lambda Invocations", "AWS/Lambda Errors", "AWS/Lambda Throttles", "AWS/SQS ApproximateNumberOfMessagesVisible", "CloudCnc/DnsRegistrar TargetsWritten", "AWS/ES ClusterStatus.red", "AWS/ES FreeStorageSpace", "AWS/ES JVMMemoryPressure"]) {
            assert.ok(cw.includes(m), `Monitoring health has no CloudWatch ${m}`);
        }
    });

    it("Monitoring health without an OpenSearch domain has no AWS/ES panel; without registrar names it matches any function/queue", () => {
        const d = byUid(fleetDashboards({ ...DASHBOARD_OPTIONS, openSearchDomainName: undefined, registrarFunctionName: undefined, registrarDlqName: undefined }), "cnc-monitoring");
        const cw = targetsOf(d.json).filter((t) => t.datasourceType === "cloudwatch");
        assert.ok(!cw.some((t) => t.target.namespace === "AWS/ES"));
        const lambda = cw.find((t) => t.target.namespace === "AWS/Lambda");
        assert.deepEqual(lambda?.target.dimensions, { FunctionName: "*" });
        assert.equal(lambda?.target.matchExact, false);
        assert.deepEqual(gridProblems(d.json), []);
    });

    it("Database: the six required AWS/RDS metrics per DBInstanceIdentifier through the dbInstance variable", () => {
        const d = byUid(dashboards, "cnc-database");
        const cw = targetsOf(d.json).map((t) => t.target);
        for (const m of ["CPUUtilization", "FreeStorageSpace", "DatabaseConnections", "ReadLatency", "WriteLatency", "FreeableMemory"]) {
            const t = cw.find((x) => x.metricName === m);
            assert.ok(t, `Database has no ${m}`);
            assert.equal(t.namespace, "AWS/RDS");
            assert.deepEqual(t.dimensions, { DBInstanceIdentifier: "$dbInstance" });
            assert.equal(t.region, "eu-west-1");
        }
        const v = variablesOf(d.json).find((x) => x.name === "dbInstance");
        assert.equal(v?.query, "cnc-prod-provisioner,cnc-prod-provisioner-replica");
        const none = byUid(fleetDashboards({ ...DASHBOARD_OPTIONS, rdsInstanceIds: [] }), "cnc-database");
        assert.ok(!variablesOf(none.json).some((x) => x.name === "dbInstance"));
        assert.deepEqual(undefinedVariables(none.json), []);
    });

    it("Account quotas: each AWS/Usage ResourceCount has a SERVICE_QUOTA() expression over its own id; EBS/EIP/VPC come from Trusted Advisor in us-east-1", () => {
        const d = byUid(dashboards, "cnc-quotas");
        let usage = 0;
        for (const p of panelsOf(d.json).filter((x) => x.type !== "row")) {
            const ts = p.targets ?? [];
            const metric = ts.find((t) => t.metricName === "ResourceCount");
            if (metric) {
                usage++;
                const expr = ts.find((t) => t.metricEditorMode === 1);
                assert.ok(expr, `${p.title}: no expression`);
                assert.equal(expr.expression, `${String(metric.id)} / SERVICE_QUOTA(${String(metric.id)}) * 100`);
                assert.match(String(metric.id), /^[a-z][A-Za-z0-9_]*$/, "metric math ids start with a lowercase letter");
            } else {
                assert.equal(ts[0].namespace, "AWS/TrustedAdvisor", String(p.title));
                assert.equal(ts[0].region, "us-east-1");
                assert.equal((ts[0].dimensions as Record<string, string>).Region, "eu-west-1");
            }
        }
        assert.ok(usage >= 6, `${usage} usage panels`);
        const services = targetsOf(d.json).map((t) => (t.target.dimensions as Record<string, string> | undefined)?.Service ?? (t.target.dimensions as Record<string, string> | undefined)?.ServiceName);
        for (const s of ["EC2", "Elastic Load Balancing", "EBS", "VPC"]) assert.ok(services.includes(s), `no quota panel for ${s}`);
    });

    it("every CloudWatch target's namespace, metric, statistic and dimensions are in the catalog written from AWS docs", () => {
        const catalog = cloudwatchCatalog();
        let checked = 0;
        for (const d of dashboards) {
            for (const t of targetsOf(d.json).filter((x) => x.datasourceType === "cloudwatch")) {
                assert.equal(catalogProblem(t.target, catalog), undefined, `${d.uid} panel ${t.panelId} "${t.panelTitle}" ${t.refId}`);
                checked++;
            }
        }
        console.log(`      ${checked} CloudWatch targets checked against the catalog of ${Object.keys(catalog).length} namespaces`);
    });

    it("negative control: the catalog rejects a wrong metric name, statistic, dimension and quota value", () => {
        const base = { namespace: "AWS/RDS", metricName: "CPUUtilization", statistic: "Average", dimensions: { DBInstanceIdentifier: "x" } };
        assert.equal(catalogProblem(base), undefined);
        assert.match(String(catalogProblem({ ...base, metricName: "CPUUtilisation" })), /has no metric/);
        assert.match(String(catalogProblem({ ...base, statistic: "Sum" })), /statistic Sum/);
        assert.match(String(catalogProblem({ ...base, dimensions: { DbInstanceIdentifier: "x" } })), /dimensions/);
        assert.match(String(catalogProblem({ namespace: "AWS/Usage", metricName: "ResourceCount", statistic: "Maximum", dimensions: { Service: "EC2", Type: "Resource", Resource: "vCPUs", Class: "Standard/OnDemand" } })), /not a known combination/);
        assert.match(String(catalogProblem({ ...base, namespace: "AWS/Nope" })), /not in the catalog/);
    });

    it("counts: Prometheus panel queries and variable queries of all dashboards", () => {
        const panelQueries = dashboards.flatMap((d) => prometheusQueries(d.json));
        const variableQueries = dashboards.flatMap((d) => variablePrometheusQueries(d.json));
        assert.ok(panelQueries.length >= 100, `${panelQueries.length} panel queries`);
        assert.ok(variableQueries.length >= 6, `${variableQueries.length} variable queries`);
        console.log(`      ${dashboards.length} dashboards, ${dashboards.reduce((n, d) => n + panelsOf(d.json).length, 0)} panels, ${panelQueries.length} Prometheus panel queries, ${variableQueries.length} variable queries`);
    });
});
