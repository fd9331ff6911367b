// Test helpers for FleetObservability's ScrapeConfig objects:
//  - toPrometheusScrapeConfig: what prometheus-operator makes of a ScrapeConfig in prometheus.yml,
//    following its generateScrapeConfig (pkg/prometheus/promcfg.go at v0.93.0: job_name
//    `scrapeConfig/<ns>/<name>`, the `__tmp_prometheus_job_name` relabeling first, then
//    `job` <- spec.jobName, then the spec's relabelings; generateRelabelConfig lowercases actions),
//    for the fields these jobs use. No enforcedNamespaceLabel, no scrape class, one shard (kps defaults);
//  - crdProblems: the object checked against the ScrapeConfig CRD schema of prometheus-operator
//    v0.93.1 (tests/fixtures/scrapeconfig-crd-v0.93.1.json): unknown fields (the API server would
//    prune them silently), types, enums, patterns, minimums, required keys.
import * as fs from "fs";
import * as path from "path";
import { RelabelConfig, ScrapeConfigObject } from "../../components/fleet-observability/scrape";

function relabel(r: RelabelConfig): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (r.sourceLabels && r.sourceLabels.length > 0) out.source_labels = r.sourceLabels;
    if (r.separator !== undefined) out.separator = r.separator;
    if (r.targetLabel) out.target_label = r.targetLabel;
    if (r.regex) out.regex = r.regex;
    if (r.modulus) out.modulus = r.modulus;
    if (r.replacement !== undefined) out.replacement = r.replacement;
    if (r.action) out.action = r.action.toLowerCase();
    return out;
}

/**
 * One `scrape_configs` entry as prometheus-operator renders `sc`. `files` maps a file_sd path of
 * the spec (the pod's mount) to where the test put that file.
 */
export function toPrometheusScrapeConfig(sc: ScrapeConfigObject, files: Record<string, string> = {}): Record<string, unknown> {
    const s = sc.spec;
    const cfg: Record<string, unknown> = { job_name: `scrapeConfig/${sc.metadata.namespace}/${sc.metadata.name}` };
    if (s.honorLabels !== undefined) cfg.honor_labels = s.honorLabels;
    if (s.metricsPath !== undefined) cfg.metrics_path = s.metricsPath;
    if (s.params && Object.keys(s.params).length > 0) cfg.params = s.params;
    if (s.scrapeInterval !== undefined) cfg.scrape_interval = s.scrapeInterval;
    if (s.scrapeTimeout !== undefined) cfg.scrape_timeout = s.scrapeTimeout;
    if (s.scheme !== undefined) cfg.scheme = s.scheme;
    if (s.staticConfigs && s.staticConfigs.length > 0) cfg.static_configs = s.staticConfigs.map((c) => ({ targets: c.targets, labels: c.labels ?? {} }));
    if (s.fileSDConfigs && s.fileSDConfigs.length > 0) {
        cfg.file_sd_configs = s.fileSDConfigs.map((c) => ({ files: c.files.map((f) => files[f] ?? f), ...(c.refreshInterval ? { refresh_interval: c.refreshInterval } : {}) }));
    }
    const relabelings: Record<string, unknown>[] = [{ source_labels: ["job"], target_label: "__tmp_prometheus_job_name" }];
    if (s.jobName) relabelings.push({ target_label: "job", action: "replace", replacement: s.jobName });
    for (const r of s.relabelings ?? []) relabelings.push(relabel(r));
    cfg.relabel_configs = relabelings;
    if (s.metricRelabelings && s.metricRelabelings.length > 0) cfg.metric_relabel_configs = s.metricRelabelings.map(relabel);
    return cfg;
}

interface Schema {
    type?: string;
    properties?: Record<string, Schema>;
    additionalProperties?: Schema | boolean;
    items?: Schema;
    enum?: unknown[];
    pattern?: string;
    minLength?: number;
    minItems?: number;
    minimum?: number;
    required?: string[];
}

interface CrdFixture {
    apiVersion: string;
    kind: string;
    specPropertyNames: string[];
    specRequired: string[];
    spec: Schema;
}

export function scrapeConfigCrd(): CrdFixture {
    return JSON.parse(fs.readFileSync(path.resolve(__dirname, "../fixtures/scrapeconfig-crd-v0.93.1.json"), "utf8")) as CrdFixture;
}

function check(value: unknown, schema: Schema, at: string, problems: string[]): void {
    const t = schema.type;
    const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value === "number" ? (Number.isInteger(value) ? "integer" : "number") : typeof value;
    if (t && !(t === actual || (t === "number" && actual === "integer"))) {
        problems.push(`${at}: expected ${t}, found ${actual}`);
        return;
    }
    if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    if (typeof value === "string") {
        if (schema.pattern && !new RegExp(schema.pattern).test(value)) problems.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
        if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${at}: shorter than ${schema.minLength}`);
    }
    if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: below ${schema.minimum}`);
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${at}: fewer than ${schema.minItems} items`);
        value.forEach((v, i) => schema.items && check(v, schema.items, `${at}[${i}]`, problems));
    }
    if (actual === "object") {
        const obj = value as Record<string, unknown>;
        for (const r of schema.required ?? []) if (!(r in obj)) problems.push(`${at}.${r}: required`);
        for (const [k, v] of Object.entries(obj)) {
            const sub = schema.properties?.[k];
            if (sub) check(v, sub, `${at}.${k}`, problems);
            else if (schema.additionalProperties && typeof schema.additionalProperties === "object") check(v, schema.additionalProperties, `${at}.${k}`, problems);
            else if (schema.properties) problems.push(`${at}.${k}: unknown field (pruned by the API server)`);
        }
    }
}

/** Problems of a ScrapeConfig object against the v0.93.1 CRD ([] when valid). */
export function crdProblems(sc: ScrapeConfigObject): string[] {
    const crd = scrapeConfigCrd();
    const problems: string[] = [];
    if (sc.apiVersion !== crd.apiVersion) problems.push(`apiVersion: expected ${crd.apiVersion}, found ${sc.apiVersion}`);
    if (sc.kind !== crd.kind) problems.push(`kind: expected ${crd.kind}, found ${sc.kind}`);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(sc.metadata.name)) problems.push(`metadata.name: not a DNS subdomain: ${sc.metadata.name}`);
    for (const k of Object.keys(sc.spec)) {
        if (!crd.specPropertyNames.includes(k)) problems.push(`spec.${k}: unknown field (pruned by the API server)`);
        else if (!crd.spec.properties?.[k]) problems.push(`spec.${k}: a CRD field this check does not carry (add it to the fixture)`);
    }
    check(sc.spec, { ...crd.spec, required: crd.specRequired }, "spec", problems);
    return problems.filter((p, i, all) => all.indexOf(p) === i);
}
