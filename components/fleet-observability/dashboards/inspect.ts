// Reads rendered dashboard JSON (Grafana v1 model) back: its panels, Prometheus and CloudWatch
// targets, variable queries, and the template variables each string refers to. The tests use it
// to prove that no panel uses an undefined variable and that every query parses; the lead may use
// it for the component's own checks. Pure, no SDK types: it reads what Grafana would read.

/** A panel as stored (expanded rows keep their panels at top level, collapsed rows in `panels`). */
export interface PanelJson {
    id?: number;
    type?: string;
    title?: string;
    description?: string;
    datasource?: { type?: string; uid?: string };
    gridPos?: { x: number; y: number; w: number; h: number };
    targets?: Record<string, unknown>[];
    panels?: PanelJson[];
}

export interface VariableJson {
    name: string;
    type: string;
    query?: unknown;
    definition?: string;
    datasource?: { type?: string; uid?: string };
    multi?: boolean;
    includeAll?: boolean;
    current?: { text?: unknown; value?: unknown };
}

export function panelsOf(dashboard: Record<string, unknown>): PanelJson[] {
    const out: PanelJson[] = [];
    const walk = (panels: PanelJson[] | undefined): void => {
        for (const p of panels ?? []) {
            out.push(p);
            walk(p.panels);
        }
    };
    walk(dashboard.panels as PanelJson[] | undefined);
    return out;
}

export function variablesOf(dashboard: Record<string, unknown>): VariableJson[] {
    const templating = dashboard.templating as { list?: VariableJson[] } | undefined;
    return templating?.list ?? [];
}

export interface TargetRef {
    dashboard: string;
    panelId: number | undefined;
    panelTitle: string;
    refId: string;
    /** The datasource type that answers it (the target's own, else its panel's). */
    datasourceType: string | undefined;
    datasourceUid: string | undefined;
    target: Record<string, unknown>;
}

export function targetsOf(dashboard: Record<string, unknown>): TargetRef[] {
    const uid = String(dashboard.uid);
    return panelsOf(dashboard).flatMap((p) =>
        (p.targets ?? []).map((t) => {
            const ds = (t.datasource as { type?: string; uid?: string } | undefined) ?? p.datasource;
            return {
                dashboard: uid,
                panelId: p.id,
                panelTitle: p.title ?? "",
                refId: String(t.refId ?? ""),
                datasourceType: ds?.type,
                datasourceUid: ds?.uid,
                target: t,
            };
        }),
    );
}

export interface PromQueryRef {
    /** Where it comes from, for messages: `<uid> panel <id> "<title>" <refId>` or `<uid> variable <name>`. */
    where: string;
    expr: string;
}

/** Every Prometheus panel query of a dashboard. */
export function prometheusQueries(dashboard: Record<string, unknown>): PromQueryRef[] {
    return targetsOf(dashboard)
        .filter((t) => t.datasourceType === "prometheus")
        .map((t) => ({ where: `${t.dashboard} panel ${t.panelId} "${t.panelTitle}" ${t.refId}`, expr: String(t.target.expr ?? "") }));
}

/** The query string of a query variable (the classic string, or the editor object's `query`). */
export function variableQueryString(v: VariableJson): string {
    if (typeof v.query === "string") return v.query;
    if (v.query && typeof v.query === "object" && typeof (v.query as { query?: unknown }).query === "string") return (v.query as { query: string }).query;
    return v.definition ?? "";
}

/**
 * The PromQL a Prometheus variable query runs: `label_values(sel, label)` asks the series API for
 * `sel`, `label_values(label)` for every series carrying `label`, `query_result(expr)` evaluates
 * `expr`. Other forms (`label_names()`, `metrics(re)`) are not used by these dashboards and throw.
 */
export function variableQueryAsPromQL(query: string): string {
    const q = query.trim();
    const labelValues = /^label_values\((?:(.+),\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\)$/s.exec(q);
    if (labelValues) return labelValues[1] !== undefined ? labelValues[1].trim() : `{${labelValues[2]}!=""}`;
    const queryResult = /^query_result\((.+)\)$/s.exec(q);
    if (queryResult) return queryResult[1].trim();
    throw new Error(`unsupported Prometheus variable query form: ${query}`);
}

/** Every Prometheus query variable's query, as the PromQL it implies. */
export function variablePrometheusQueries(dashboard: Record<string, unknown>): PromQueryRef[] {
    return variablesOf(dashboard)
        .filter((v) => v.type === "query" && v.datasource?.type === "prometheus")
        .map((v) => ({ where: `${String(dashboard.uid)} variable ${v.name}`, expr: variableQueryAsPromQL(variableQueryString(v)) }));
}

/** Grafana's own variables (`$__rate_interval`, `$__range`, ...) start with two underscores. */
function isBuiltIn(name: string): boolean {
    return name.startsWith("__");
}

/**
 * The template variables a string refers to, in Grafana's three syntaxes: `$name`, `${name}` /
 * `${name:format}` / `${name.field}`, and the deprecated `[[name]]`. Built-ins (`$__...`) and
 * regex back-references (`$1` in label_replace) are not variables.
 */
export function referencedVariables(text: string): string[] {
    const names = new Set<string>();
    const re = /\$\{([A-Za-z0-9_]+)(?:[.:][^}]*)?\}|\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]|\$([A-Za-z0-9_]+)/g;
    for (const m of text.matchAll(re)) {
        const name = m[1] ?? m[2] ?? m[3];
        if (!name || isBuiltIn(name) || /^\d+$/.test(name)) continue;
        names.add(name);
    }
    return [...names];
}

function stringsIn(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, out));
    else if (value && typeof value === "object") Object.values(value).forEach((v) => stringsIn(v, out));
    return out;
}

export interface VariableUse {
    where: string;
    name: string;
}

/** Every variable use in panel titles, descriptions, datasources and targets, and in variable queries and datasources. */
export function variableUses(dashboard: Record<string, unknown>): VariableUse[] {
    const uid = String(dashboard.uid);
    const uses: VariableUse[] = [];
    const add = (where: string, texts: string[]): void => {
        for (const t of texts) for (const name of referencedVariables(t)) uses.push({ where, name });
    };
    for (const p of panelsOf(dashboard)) {
        const where = `${uid} panel ${p.id} "${p.title ?? ""}"`;
        add(where, [p.title ?? "", p.description ?? "", ...stringsIn(p.datasource), ...stringsIn(p.targets)]);
    }
    for (const v of variablesOf(dashboard)) {
        if (v.type === "query") add(`${uid} variable ${v.name}`, [variableQueryString(v), v.definition ?? "", ...stringsIn(v.datasource)]);
    }
    return uses;
}

/** Uses of variables the dashboard's templating does not define (empty when the dashboard is sound). */
export function undefinedVariables(dashboard: Record<string, unknown>): VariableUse[] {
    const defined = new Set(variablesOf(dashboard).map((v) => v.name));
    return variableUses(dashboard).filter((u) => !defined.has(u.name));
}

/**
 * Replaces variables the way Grafana's Prometheus datasource interpolates them: a single value as
 * is, several values as a regex alternation `(a|b)`. Throws on a variable with no value, so a
 * query can never reach Prometheus with a `$` left in it.
 */
export function substituteVariables(text: string, values: Record<string, string | string[]>): string {
    const re = /\$\{([A-Za-z0-9_]+)(?:[.:][^}]*)?\}|\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]|\$([A-Za-z0-9_]+)/g;
    return text.replace(re, (whole, a?: string, b?: string, c?: string) => {
        const name = (a ?? b ?? c) as string;
        if (/^\d+$/.test(name)) return whole;
        const value = values[name];
        if (value === undefined) throw new Error(`no value for variable ${name} in: ${text}`);
        return Array.isArray(value) ? (value.length === 1 ? value[0] : `(${value.join("|")})`) : value;
    });
}

export interface GridProblem {
    where: string;
    problem: string;
}

/** Panels outside the 24-column grid, overlapping panels, and duplicate panel ids. */
export function gridProblems(dashboard: Record<string, unknown>): GridProblem[] {
    const uid = String(dashboard.uid);
    const problems: GridProblem[] = [];
    const top = (dashboard.panels as PanelJson[] | undefined) ?? [];
    const seen = new Map<number, string>();
    for (const p of panelsOf(dashboard)) {
        const where = `${uid} panel ${p.id} "${p.title ?? ""}"`;
        if (typeof p.id !== "number") problems.push({ where, problem: "no numeric id" });
        else if (seen.has(p.id)) problems.push({ where, problem: `id ${p.id} also used by ${seen.get(p.id)}` });
        else seen.set(p.id, where);
        const g = p.gridPos;
        if (!g) {
            problems.push({ where, problem: "no gridPos" });
            continue;
        }
        if (g.x < 0 || g.w < 1 || g.h < 1 || g.x + g.w > 24) problems.push({ where, problem: `gridPos x=${g.x} w=${g.w} leaves the 24 columns` });
    }
    for (let i = 0; i < top.length; i++) {
        for (let j = i + 1; j < top.length; j++) {
            const a = top[i].gridPos;
            const b = top[j].gridPos;
            if (!a || !b) continue;
            const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
            if (overlap) problems.push({ where: `${uid} panels ${top[i].id} and ${top[j].id}`, problem: "overlap" });
        }
    }
    return problems;
}
