// Shared pieces of the FleetObservability dashboards: the options every dashboard module takes,
// the datasource references (always a dashboard variable, never a hard-coded uid), the variables
// whose names are the same on every dashboard, panel and query helpers on
// @grafana/grafana-foundation-sdk 0.0.21, and an explicit grid layout (the SDK's auto-layout can
// overflow 24 columns, and it gives panels no id).
//
// Everything here is pure: builders in, plain JSON out (`build()`, then a JSON round trip that
// drops `undefined`).
import * as cog from "@grafana/grafana-foundation-sdk/cog";
import {
    CustomVariableBuilder,
    DashboardBuilder,
    DashboardCursorSync,
    DatasourceVariableBuilder,
    IntervalVariableBuilder,
    QueryVariableBuilder,
    RowBuilder,
    ThresholdsConfigBuilder,
    ThresholdsMode,
    VariableRefresh,
    VariableSort,
} from "@grafana/grafana-foundation-sdk/dashboard";
import type { GridPos, Panel, Threshold } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder as PromQueryBuilder, PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { MetricEditorMode, MetricQueryType, MetricsQueryBuilder, QueryMode } from "@grafana/grafana-foundation-sdk/cloudwatch";
import type { Dimensions } from "@grafana/grafana-foundation-sdk/cloudwatch";
import { PanelBuilder as TimeseriesPanelBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import { PanelBuilder as StatPanelBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TablePanelBuilder } from "@grafana/grafana-foundation-sdk/table";
import { PanelBuilder as GaugePanelBuilder } from "@grafana/grafana-foundation-sdk/gauge";
import { SCRAPE_JOBS } from "../scrape";
import { promString } from "../sets";

/** Options of every dashboard module (plain data; the component's schema fills them). */
export interface DashboardOptions {
    /** The C&C's own `clusterID` (ThanosFederation's CNC_CLUSTER_ID): excluded from "reporting" fleet clusters. */
    cncClusterId: string;
    /** AWS region of the C&C: the region of every CloudWatch query (Trusted Advisor's are always us-east-1). */
    region: string;
    /** LoggingPipeline's OpenSearch domain name (CloudWatch `AWS/ES` dimension `DomainName`); no OpenSearch row when absent. */
    openSearchDomainName?: string;
    /** AWS account ID: the `ClientId` dimension of `AWS/ES`. When absent, OpenSearch queries match the domain name only (matchExact false). */
    awsAccountId?: string;
    /** RDS instance identifiers (`DBInstanceIdentifier`) the Database dashboard offers; empty: every instance in the region. */
    rdsInstanceIds: string[];
    /** The DnsRegistrar Lambda's function name (`AWS/Lambda` dimension `FunctionName`); absent: every function ("*"). */
    registrarFunctionName?: string;
    /** The DnsRegistrar's dead-letter queue name (`AWS/SQS` dimension `QueueName`); absent: every queue ("*"). */
    registrarDlqName?: string;
    /** Default value (uid) of each dashboard's Prometheus `datasource` variable: ThanosFederation's Thanos datasource. */
    thanosDatasourceUid: "thanos";
    /** Default value (uid) of each dashboard's `cloudwatch` variable: the CloudWatch datasource (IRSA, no keys). */
    cloudWatchDatasourceUid: "cloudwatch";
}

/** One provisioned dashboard: the lead's render puts `json` into a ConfigMap in folder `folder`. */
export interface FleetDashboard {
    uid: string;
    title: string;
    /** Grafana folder (the sidecar's folder annotation value): "Fleet", "Monitoring" or "AWS". */
    folder: string;
    json: Record<string, unknown>;
}

export const FOLDERS = { fleet: "Fleet", monitoring: "Monitoring", aws: "AWS" } as const;

/** Dashboard variable names, the same on every dashboard that uses them. */
export const VARS = {
    prometheus: "datasource",
    cloudwatch: "cloudwatch",
    clusterID: "clusterID",
    namespace: "namespace",
    installation: "installation",
    interval: "interval",
    dbInstance: "dbInstance",
} as const;

/** Every Prometheus panel and target reads through the `datasource` variable. */
export const PROMETHEUS_DS = { type: "prometheus", uid: `\${${VARS.prometheus}}` };
/** Every CloudWatch panel and target reads through the `cloudwatch` variable. */
export const CLOUDWATCH_DS = { type: "cloudwatch", uid: `\${${VARS.cloudwatch}}` };

/** Scrape job of the C&C Prometheus that probes each registered leaf Query (`registered_cluster` label). */
export const LEAF_QUERY_JOB = SCRAPE_JOBS.leafQuery;
export { promString };

// ---------------------------------------------------------------------------------------------
// Variables

export function prometheusDatasourceVariable(o: DashboardOptions): DatasourceVariableBuilder {
    return new DatasourceVariableBuilder(VARS.prometheus)
        .label("Data source")
        .type("prometheus")
        .current({ text: "Thanos", value: o.thanosDatasourceUid });
}

export function cloudwatchDatasourceVariable(o: DashboardOptions): DatasourceVariableBuilder {
    return new DatasourceVariableBuilder(VARS.cloudwatch)
        .label("CloudWatch")
        .type("cloudwatch")
        .current({ text: "CloudWatch", value: o.cloudWatchDatasourceUid });
}

/**
 * A Prometheus query variable. The query is the classic string form (`label_values(...)`), which
 * Grafana's variable editor migrates itself; the object form needs editor-specific fields
 * (`label`, `metric`) that a `query` string alone does not fill.
 */
export function queryVariable(name: string, label: string, query: string, opts: { multi?: boolean; includeAll?: boolean } = {}): QueryVariableBuilder {
    const v = new QueryVariableBuilder(name)
        .label(label)
        .datasource(PROMETHEUS_DS)
        .query(query)
        .definition(query)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc);
    if (opts.multi) v.multi(true);
    if (opts.includeAll) v.includeAll(true).allValue(".+");
    return v;
}

/** The rate window choice of the Cluster dashboard (`rate(...[$interval])`). */
export function intervalVariable(): IntervalVariableBuilder {
    return new IntervalVariableBuilder(VARS.interval)
        .label("Interval")
        .values("1m,5m,15m,1h")
        .current({ text: "5m", value: "5m" });
}

/** A fixed list (custom variable), e.g. the RDS instances of the Database dashboard. */
export function customVariable(name: string, label: string, values: string[], opts: { multi?: boolean; includeAll?: boolean } = {}): CustomVariableBuilder {
    const v = new CustomVariableBuilder(name)
        .label(label)
        .values(values.join(","))
        .current({ text: values[0] ?? "", value: values[0] ?? "" });
    if (opts.multi) v.multi(true);
    if (opts.includeAll) v.includeAll(true);
    return v;
}

// ---------------------------------------------------------------------------------------------
// Queries

export interface PromTarget {
    expr: string;
    /** Legend (`{{label}}` templates). */
    legend?: string;
    /** Instant query (stat/table of "now"); default range. */
    instant?: boolean;
    /** Table format (one row per series, labels as columns). */
    table?: boolean;
}

function refIdOf(index: number): string {
    return String.fromCharCode("A".charCodeAt(0) + index);
}

export function promQuery(index: number, t: PromTarget): PromQueryBuilder {
    const q = new PromQueryBuilder().refId(refIdOf(index)).datasource(PROMETHEUS_DS).expr(t.expr);
    if (t.legend) q.legendFormat(t.legend);
    if (t.instant) q.instant();
    else q.range();
    if (t.table) q.format(PromQueryFormat.Table);
    return q;
}

export interface CloudWatchMetric {
    namespace: string;
    metricName: string;
    dimensions: Dimensions;
    statistic: string;
    /** Exact dimension match (default true); false lets "*" and missing dimensions match. */
    matchExact?: boolean;
    /** Query region; default the dashboard options' region. */
    region?: string;
    /** Metric-math id (lowercase first letter) when an expression refers to this query. */
    id?: string;
    /** Hidden (only an input of an expression). */
    hide?: boolean;
    label?: string;
}

export interface CloudWatchExpression {
    /** Metric math over other targets' ids, e.g. `m1 / SERVICE_QUOTA(m1) * 100`. */
    expression: string;
    id: string;
    label?: string;
    region?: string;
}

export type CloudWatchTarget = CloudWatchMetric | CloudWatchExpression;

export function isExpression(t: CloudWatchTarget): t is CloudWatchExpression {
    return "expression" in t;
}

export function cloudwatchQuery(index: number, t: CloudWatchTarget, defaultRegion: string): MetricsQueryBuilder {
    const q = new MetricsQueryBuilder()
        .refId(refIdOf(index))
        .datasource(CLOUDWATCH_DS)
        .queryMode(QueryMode.Metrics)
        .metricQueryType(MetricQueryType.Search)
        .region(t.region ?? defaultRegion)
        .period("");
    if (isExpression(t)) {
        q.metricEditorMode(MetricEditorMode.Code).expression(t.expression).id(t.id);
        if (t.label) q.label(t.label);
        return q;
    }
    q.metricEditorMode(MetricEditorMode.Builder)
        .namespace(t.namespace)
        .metricName(t.metricName)
        .dimensions(t.dimensions)
        .statistic(t.statistic)
        .matchExact(t.matchExact ?? true)
        .id(t.id ?? "");
    if (t.hide) q.hide(true);
    if (t.label) q.label(t.label);
    return q;
}

// ---------------------------------------------------------------------------------------------
// Panels

export interface PanelStyle {
    description?: string;
    unit?: string;
    min?: number;
    max?: number;
    /** Absolute thresholds: green below the first value, then each color from its value. */
    thresholds?: { value: number; color: string }[];
}

type AnyPanelBuilder = TimeseriesPanelBuilder | StatPanelBuilder | TablePanelBuilder | GaugePanelBuilder;

function style<T extends AnyPanelBuilder>(p: T, title: string, s: PanelStyle): T {
    p.title(title);
    if (s.description) p.description(s.description);
    if (s.unit) p.unit(s.unit);
    if (s.min !== undefined) p.min(s.min);
    if (s.max !== undefined) p.max(s.max);
    if (s.thresholds) {
        const steps: Threshold[] = [{ value: null, color: "green" }, ...s.thresholds.map((t) => ({ value: t.value, color: t.color }))];
        p.thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps));
    }
    return p;
}

export type PanelKind = "timeseries" | "stat" | "table" | "gauge";

function newPanel(kind: PanelKind): AnyPanelBuilder {
    switch (kind) {
        case "timeseries":
            return new TimeseriesPanelBuilder();
        case "stat":
            return new StatPanelBuilder();
        case "table":
            return new TablePanelBuilder();
        case "gauge":
            return new GaugePanelBuilder();
    }
}

/** A panel of Prometheus targets through the `datasource` variable. */
export function promPanel(kind: PanelKind, title: string, targets: PromTarget[], s: PanelStyle = {}): AnyPanelBuilder {
    const p = style(newPanel(kind), title, s);
    p.datasource(PROMETHEUS_DS);
    const instantByDefault = kind !== "timeseries";
    targets.forEach((t, i) => p.withTarget(promQuery(i, { instant: instantByDefault, table: kind === "table", ...t })));
    return p;
}

/** A panel of CloudWatch targets through the `cloudwatch` variable. */
export function cloudwatchPanel(kind: PanelKind, title: string, targets: CloudWatchTarget[], region: string, s: PanelStyle = {}): AnyPanelBuilder {
    const p = style(newPanel(kind), title, s);
    p.datasource(CLOUDWATCH_DS);
    targets.forEach((t, i) => p.withTarget(cloudwatchQuery(i, t, region)));
    return p;
}

// ---------------------------------------------------------------------------------------------
// Layout

/**
 * Places rows and panels on the 24-column grid explicitly, numbering panel ids from 1 in order
 * (stable ids keep `viewPanel=` links working). A panel that does not fit on the current line
 * starts the next one.
 */
export class GridLayout {
    private nextId = 1;
    private x = 0;
    private y = 0;
    private lineHeight = 0;

    constructor(private readonly dashboard: DashboardBuilder) {}

    private newLine(): void {
        if (this.x > 0 || this.lineHeight > 0) {
            this.y += this.lineHeight;
            this.x = 0;
            this.lineHeight = 0;
        }
    }

    /** An expanded row header (its panels follow it at top level, as Grafana stores expanded rows). */
    row(title: string): this {
        this.newLine();
        this.dashboard.withRow(new RowBuilder(title).id(this.nextId++).collapsed(false).gridPos({ x: 0, y: this.y, w: 24, h: 1 }));
        this.y += 1;
        return this;
    }

    /** Adds a panel `w` columns wide and `h` rows high. */
    add(panel: AnyPanelBuilder, w: number, h: number): this {
        if (w < 1 || w > 24) throw new Error(`panel width ${w} is outside 1..24`);
        if (this.x + w > 24) this.newLine();
        const gridPos: GridPos = { x: this.x, y: this.y, w, h };
        panel.id(this.nextId++).gridPos(gridPos);
        this.dashboard.withPanel(panel as cog.Builder<Panel>);
        this.x += w;
        this.lineHeight = Math.max(this.lineHeight, h);
        if (this.x === 24) this.newLine();
        return this;
    }
}

/** A dashboard with the project's defaults (tags, UTC, shared crosshair, 6h, read-only). */
export function newDashboard(uid: string, title: string, description: string): DashboardBuilder {
    if (uid.length > 40) throw new Error(`dashboard uid ${uid} is longer than Grafana's 40 characters`);
    return new DashboardBuilder(title)
        .uid(uid)
        .description(description)
        .tags(["cloud-cnc", "fleet-observability"])
        .timezone("utc")
        .tooltip(DashboardCursorSync.Crosshair)
        .time({ from: "now-6h", to: "now" })
        .refresh("1m")
        .readonly();
}

/** The plain JSON of a built dashboard (no `undefined` members). */
export function toFleetDashboard(folder: string, dashboard: DashboardBuilder): FleetDashboard {
    const json = JSON.parse(JSON.stringify(dashboard.build())) as Record<string, unknown>;
    return { uid: String(json.uid), title: String(json.title), folder, json };
}
