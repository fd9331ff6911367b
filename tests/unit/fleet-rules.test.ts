// FleetObservability's alert rules (components/fleet-observability/rules.ts) against the issue's
// requirements: at least 20 alerts, each with a severity, a summary, a description naming the
// cluster when it is about one, and a runbook_url whose anchor is a heading of RUNBOOK.md
// (GitHub's anchor algorithm); unique names; where each group runs.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    ALERT_NAMES,
    ALERT_SCOPE,
    Alert,
    GROUP_PLACEMENT,
    RuleOptions,
    SEVERITIES,
    prometheusRuleGroups,
    ruleOptionsSchema,
    rulerRuleGroups,
} from "../../components/fleet-observability/rules";

const RUNBOOK = path.resolve(__dirname, "../../RUNBOOK.md");
const BASE = "https://github.com/example/cloud-cnc/blob/main/RUNBOOK.md";
const OPTIONS: RuleOptions = { cncClusterId: "cloud-prod-cnc", runbookBaseUrl: BASE };

/**
 * GitHub's heading anchors (github-slugger): lower case, drop everything but letters, marks,
 * numbers, connector punctuation, spaces and hyphens, spaces to hyphens; repeats get -1, -2, ...
 * Inline code/emphasis markers are dropped with the rest of the punctuation.
 */
function githubAnchors(markdown: string): string[] {
    const seen = new Map<string, number>();
    const anchors: string[] = [];
    let fenced = false;
    for (const line of markdown.split("\n")) {
        if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
        const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
        if (!m) continue;
        const base = m[1].toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        anchors.push(n === 0 ? base : `${base}-${n}`);
    }
    return anchors;
}

function allAlerts(o: RuleOptions = OPTIONS): Alert[] {
    return [...prometheusRuleGroups(o).groups, ...rulerRuleGroups(o).groups].flatMap((g) => g.rules);
}

describe("FleetObservability alert rules", () => {
    const runbook = fs.readFileSync(RUNBOOK, "utf8");
    const anchors = new Set(githubAnchors(runbook));
    const alerts = allAlerts();

    it("the anchor function matches GitHub's on the cases that matter (punctuation, code, repeats)", () => {
        assert.deepEqual(githubAnchors("# Runbook: fleet alerts\n## `FleetClusterDown`\n```sh\n# not a heading\n```\n## FleetClusterDown\n## CloudWatch alarms (outside Prometheus)"), [
            "runbook-fleet-alerts",
            "fleetclusterdown",
            "fleetclusterdown-1",
            "cloudwatch-alarms-outside-prometheus",
        ]);
    });

    it(`defines at least 20 alerts, with unique names, exactly ALERT_NAMES (${ALERT_NAMES.length})`, () => {
        assert.ok(alerts.length >= 20, `${alerts.length} alerts`);
        const names = alerts.map((a) => a.alert);
        assert.equal(new Set(names).size, names.length, `duplicate names: ${names.filter((n, i) => names.indexOf(n) !== i).join(", ")}`);
        assert.deepEqual([...names].sort(), [...ALERT_NAMES].sort());
        assert.deepEqual(Object.keys(ALERT_SCOPE).sort(), [...ALERT_NAMES].sort());
    });

    it("covers the issue's fleet, drift and workload alerts", () => {
        const names = new Set<string>(alerts.map((a) => a.alert));
        for (const required of [
            "FleetClusterDown",
            "FleetClusterRegisteredNotReporting",
            "FleetClusterProvisionedNotRegistered",
            "FleetClusterReportingUnknown",
            "ThanosSidecarNotUploading",
            "ThanosCompactHalted",
            "ThanosCompactNotRunning",
            "ThanosBucketOperationsFailing",
            "ThanosQueryStoreCallsFailing",
            "PrometheusRuleEvaluationFailures",
            "AlertmanagerNotificationsFailing",
            "FluentBitOutputErrors",
            "InstallationPingFailing",
            "FleetPodCrashLooping",
            "FleetPodFailed",
            "FleetNodeNotReady",
            "FleetNodeTainted",
            "FleetClusterCPUHigh",
            "FleetClusterMemoryHigh",
            "MattermostCPUNearLimit",
            "MattermostMemoryNearLimit",
            "MattermostAPIErrorRateHigh",
            "MattermostAPILatencyHigh",
        ]) {
            assert.ok(names.has(required), required);
        }
    });

    it("every alert has a severity in {critical, warning, info}, a summary and a description; per-cluster ones name {{ $labels.clusterID }}", () => {
        for (const a of alerts) {
            assert.ok(SEVERITIES.includes(a.labels.severity), `${a.alert}: severity ${a.labels.severity}`);
            assert.deepEqual(Object.keys(a.labels), ["severity"], a.alert);
            assert.ok(a.annotations.summary.length > 10, `${a.alert}: summary`);
            assert.ok(a.annotations.description.length > 20, `${a.alert}: description`);
            const scope = ALERT_SCOPE[a.alert];
            if (scope === "cluster") assert.match(a.annotations.description, /\{\{ \$labels\.clusterID \}\}/, a.alert);
            if (scope === "installation") assert.match(a.annotations.description, /\{\{ \$labels\.installation \}\}/, a.alert);
            assert.ok(a.expr.trim().length > 0 && !a.expr.includes("\n"), a.alert);
        }
        assert.ok(alerts.filter((a) => ALERT_SCOPE[a.alert] === "cluster").length >= 15);
    });

    it("every runbook_url is <runbookBaseUrl>#<anchor> and the anchor is a heading of RUNBOOK.md", () => {
        for (const a of alerts) {
            const url = new URL(a.annotations.runbook_url);
            assert.equal(`${url.origin}${url.pathname}`, BASE, a.alert);
            const anchor = url.hash.slice(1);
            assert.equal(anchor, a.alert.toLowerCase());
            assert.ok(anchors.has(anchor), `${a.alert}: RUNBOOK.md has no heading with anchor #${anchor}`);
        }
        // The check can fail: an anchor of a missing section is not found.
        assert.ok(!anchors.has("fleetclusterexploded"));
    });

    it("each alert's RUNBOOK.md section says what it means, how to check and how to fix", () => {
        const sections = runbook.split(/^## /m).slice(1);
        for (const name of ALERT_NAMES) {
            const section = sections.find((s) => s.startsWith(`${name}\n`));
            assert.ok(section, `no section ## ${name}`);
            for (const part of ["**Means.**", "**Check.**", "**Fix.**"]) assert.ok(section.includes(part), `${name}: no ${part}`);
            assert.match(section, /```sh\n[\s\S]+?```/, `${name}: no commands`);
        }
    });

    it("Ruler groups evaluate on partial responses (warn); PrometheusRule groups carry no Thanos field; GROUP_PLACEMENT says where each runs", () => {
        const ruler = rulerRuleGroups(OPTIONS).groups;
        const prom = prometheusRuleGroups(OPTIONS).groups;
        for (const g of ruler) assert.equal(g.partial_response_strategy, "warn", g.name);
        for (const g of prom) assert.ok(!("partial_response_strategy" in g), g.name);
        const placed = new Map(GROUP_PLACEMENT.map((p) => [p.group, p.evaluatedBy]));
        assert.deepEqual(
            [...ruler.map((g) => [g.name, "ruler"]), ...prom.map((g) => [g.name, "prometheus"])].sort(),
            [...placed.entries()].sort(),
        );
        // The drift pair that needs both the registered set and what reports is in the Ruler; the local one in Prometheus.
        const where = (n: string) => (ruler.some((g) => g.rules.some((r) => r.alert === n)) ? "ruler" : "prometheus");
        assert.equal(where("FleetClusterRegisteredNotReporting"), "ruler");
        assert.equal(where("FleetClusterReportingUnknown"), "ruler");
        assert.equal(where("FleetClusterDown"), "prometheus");
        assert.equal(where("ThanosCompactHalted"), "prometheus");
    });

    it("the drift alerts use exactly the agreed series", () => {
        const byName = new Map(alerts.map((a) => [a.alert, a]));
        assert.match(byName.get("FleetClusterDown")!.expr, /up\{job="fleet-leaf-query"\}/);
        assert.match(byName.get("FleetClusterDown")!.expr, /"registered_cluster"/);
        assert.match(byName.get("FleetClusterProvisionedNotRegistered")!.expr, /provisioner_cluster_info\{state="stable"\}/);
        assert.match(byName.get("FleetClusterProvisionedNotRegistered")!.expr, /"provisioned_cluster"/);
        assert.match(byName.get("FleetClusterReportingUnknown")!.expr, /clusterID!="cloud-prod-cnc"/);
        assert.match(byName.get("InstallationPingFailing")!.expr, /probe_success\{job="installation-probes"\}/);
    });

    it("thresholds default to the issue's values and can be overridden", () => {
        const byName = (o: RuleOptions) => new Map(allAlerts(o).map((a) => [a.alert, a]));
        const d = byName(OPTIONS);
        assert.match(d.get("FleetClusterCPUHigh")!.expr, /> 0\.9$/);
        assert.equal(d.get("FleetClusterCPUHigh")!.for, "10m");
        assert.match(d.get("FleetClusterMemoryHigh")!.expr, /> 0\.8$/);
        assert.match(d.get("MattermostCPUNearLimit")!.expr, /> 0\.8$/);
        assert.match(d.get("MattermostMemoryNearLimit")!.expr, /> 0\.8$/);
        assert.match(d.get("MattermostAPILatencyHigh")!.expr, /> 0\.5$/);
        assert.match(d.get("ThanosSidecarNotUploading")!.expr, /\/ 3600 > 3$/);
        const o = byName({ ...OPTIONS, thresholds: { clusterCpuRatio: 0.75, clusterCpuFor: "20m", apiLatencySeconds: 1 } });
        assert.match(o.get("FleetClusterCPUHigh")!.expr, /> 0\.75$/);
        assert.equal(o.get("FleetClusterCPUHigh")!.for, "20m");
        assert.match(o.get("FleetClusterCPUHigh")!.annotations.summary, /75%/);
        assert.match(o.get("MattermostAPILatencyHigh")!.annotations.summary, /1000 ms/);
        assert.match(o.get("FleetClusterMemoryHigh")!.expr, /> 0\.8$/, "untouched keys keep their default");
    });

    it("refuses options that would render broken rules", () => {
        const bad: unknown[] = [
            { ...OPTIONS, runbookBaseUrl: `${BASE}#top` },
            { ...OPTIONS, runbookBaseUrl: "RUNBOOK.md" },
            { ...OPTIONS, cncClusterId: 'a"b' },
            { ...OPTIONS, thresholds: { clusterCpuRatio: 90 } },
            { ...OPTIONS, thresholds: { clusterCpuFor: "ten minutes" } },
            { ...OPTIONS, thresholds: { noSuchKey: 1 } },
        ];
        for (const o of bad) assert.equal(ruleOptionsSchema.safeParse(o).success, false, JSON.stringify(o));
        assert.throws(() => prometheusRuleGroups(bad[0] as RuleOptions));
    });

    it("is deterministic", () => {
        assert.equal(JSON.stringify(allAlerts()), JSON.stringify(allAlerts()));
    });
});
