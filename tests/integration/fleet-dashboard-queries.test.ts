// Every Prometheus query of every FleetObservability dashboard panel, and every query variable's
// query (label_values(...) turned into the series selector it asks for), with the dashboard's
// variables substituted the way Grafana does (Grafana's $__rate_interval/$__interval/$__range,
// multi-valued variables as regex alternations), parsed by the REAL Prometheus v3.15.0 (the
// version the stack deploys, tests/support/binaries.ts) through its /api/v1/parse_query endpoint
// (web/api/v1/api.go at v0.315.0: GET/POST /parse_query, no feature flag), then run as an instant
// query, which must not fail either. A typo is rejected (negative control).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { FleetDashboard, fleetDashboards } from "../../components/fleet-observability/dashboards";
import { VariableJson, panelsOf, prometheusQueries, substituteVariables, variablePrometheusQueries, variablesOf } from "../../components/fleet-observability/dashboards/inspect";
import { binary } from "../support/binaries";
import { RunningPrometheus, freePort, startPrometheus, stopAll, tempDir } from "../support/thanos-prometheus";
import { DASHBOARD_OPTIONS } from "../support/dashboard-options";

/** Grafana's built-in variables, with values a 6 h dashboard at 30 s scrape interval would get. */
const BUILT_INS: Record<string, string> = { __rate_interval: "2m", __interval: "30s", __range: "6h", __range_s: "21600" };

/** Realistic values of the query variables (two of each for multi-valued ones). */
const SAMPLES: Record<string, string[]> = {
    clusterID: ["8zgxkq3h1jgkbr4ibu5fdp4gmc", "y6obyg8kwtdfmmw7zn5xkgb4ph"],
    installation: ["ab3mffz3mjfobr9xaxdnhf9wqa", "c9z1bdfpm3ryfmirdfbf8xh5ny"],
    namespace: ["ab3mffz3mjfobr9xaxdnhf9wqa"],
};

/** The values Grafana would substitute for a dashboard's variables (custom/interval: their current value). */
function variableValues(variables: VariableJson[]): Record<string, string | string[]> {
    const values: Record<string, string | string[]> = { ...BUILT_INS };
    for (const v of variables) {
        if (v.type === "datasource") continue;
        if (v.type === "query") {
            const sample = SAMPLES[v.name];
            if (!sample) throw new Error(`no sample value for query variable ${v.name}`);
            values[v.name] = v.multi ? sample : sample[0];
        } else {
            values[v.name] = String(v.current?.value ?? "");
        }
    }
    return values;
}

interface ApiAnswer {
    status: string;
    errorType?: string;
    error?: string;
}

async function api(p: RunningPrometheus, endpoint: string, query: string): Promise<ApiAnswer> {
    const res = await fetch(`${p.url}/api/v1/${endpoint}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ query }).toString(),
    });
    return (await res.json()) as ApiAnswer;
}

describe("FleetObservability dashboard queries under the real Prometheus v3.15.0", function () {
    this.timeout(120_000);
    let prometheus: RunningPrometheus;
    let dir: string;

    before(async () => {
        dir = tempDir("cloud-cnc-dash-queries-");
        const config = path.join(dir, "prometheus.yml");
        fs.writeFileSync(config, YAML.stringify({ global: { scrape_interval: "30s" } }));
        prometheus = await startPrometheus(binary("prometheus"), "dashboards", config, await freePort(), dir);
    });

    after(async () => {
        await stopAll();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("negative control: parse_query rejects a typo, an unknown function, an unsubstituted Grafana variable, a bad join and a type error; accepts the fixed query", async () => {
        const good = `sum by (clusterID) (rate(node_cpu_seconds_total{mode="idle"}[2m]))`;
        assert.equal((await api(prometheus, "parse_query", good)).status, "success");
        for (const bad of [
            `sum by (clusterID (rate(node_cpu_seconds_total{mode="idle"}[2m]))`,
            `sum by (clusterID) (rates(node_cpu_seconds_total{mode="idle"}[2m]))`,
            `sum by (clusterID) (rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))`,
            `sum by (clusterID) (node_cpu_seconds_total{mode="idle"}) unless on clusterID up`,
            `sum by (clusterID) (rate(node_cpu_seconds_total{mode="idle"}))`,
        ]) {
            const answer = await api(prometheus, "parse_query", bad);
            assert.equal(answer.status, "error", `accepted: ${bad}`);
            assert.equal(answer.errorType, "bad_data", bad);
        }
    });

    /** Substitutes, parses and runs every query of the dashboards; returns the failures and counts. */
    async function checkQueries(dashboards: FleetDashboard[]): Promise<{ failures: string[]; panelQueries: number; variableQueries: number }> {
        const failures: string[] = [];
        let panelQueries = 0;
        let variableQueries = 0;
        for (const d of dashboards) {
            const values = variableValues(variablesOf(d.json));
            const refs = [...prometheusQueries(d.json).map((q) => ({ ...q, kind: "panel" })), ...variablePrometheusQueries(d.json).map((q) => ({ ...q, kind: "variable" }))];
            for (const ref of refs) {
                const expr = substituteVariables(ref.expr, values);
                assert.ok(!/\$(?!\d)/.test(expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')), `${ref.where}: a variable is left outside strings: ${expr}`);
                const parsed = await api(prometheus, "parse_query", expr);
                if (parsed.status !== "success") failures.push(`${ref.where}: parse_query ${parsed.errorType}: ${parsed.error}\n    ${expr}`);
                const run = await api(prometheus, "query", expr);
                if (run.status !== "success") failures.push(`${ref.where}: query ${run.errorType}: ${run.error}\n    ${expr}`);
                if (ref.kind === "panel") panelQueries++;
                else variableQueries++;
            }
        }
        return { failures, panelQueries, variableQueries };
    }

    it("every panel query and every variable query of every dashboard parses and runs (variables substituted)", async () => {
        const dashboards = fleetDashboards(DASHBOARD_OPTIONS);
        const { failures, panelQueries, variableQueries } = await checkQueries(dashboards);
        assert.deepEqual(failures, []);
        assert.ok(panelQueries >= 100 && variableQueries >= 6);
        console.log(`      ${panelQueries + variableQueries} queries checked by Prometheus v3.15.0 parse_query + instant query: ${panelQueries} panel queries and ${variableQueries} variable queries over ${dashboards.length} dashboards`);
    });

    it("negative control: a typo in one panel query of a rendered dashboard is caught by the same check", async () => {
        const dashboards = fleetDashboards(DASHBOARD_OPTIONS);
        const cluster = dashboards.find((d) => d.uid === "cnc-cluster");
        assert.ok(cluster);
        const panel = panelsOf(cluster.json).find((p) => (p.targets ?? []).length > 0);
        assert.ok(panel?.targets);
        panel.targets[0].expr = String(panel.targets[0].expr).replace(")", ""); // drop a parenthesis
        const { failures } = await checkQueries([cluster]);
        assert.equal(failures.length, 2, failures.join("\n")); // parse_query and the instant query both refuse it
        assert.match(failures[0], /cnc-cluster panel \d+ .* parse_query bad_data/);
    });

    it("multi-valued variables reach Prometheus as regex alternations that it accepts", async () => {
        const uptime = fleetDashboards(DASHBOARD_OPTIONS).find((d) => d.uid === "cnc-uptime");
        assert.ok(uptime);
        const expr = substituteVariables(prometheusQueries(uptime.json)[0].expr, variableValues(variablesOf(uptime.json)));
        assert.match(expr, /installation=~"\(ab3mffz3mjfobr9xaxdnhf9wqa\|c9z1bdfpm3ryfmirdfbf8xh5ny\)"/);
        assert.equal((await api(prometheus, "parse_query", expr)).status, "success");
    });
});
