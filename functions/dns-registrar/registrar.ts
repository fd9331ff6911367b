// One registrar run: read the ConfigMaps, list the zones, plan, decide what is safe, write what
// changed. The order matters for concurrent runs: each write is conditional on the
// resourceVersion read BEFORE the zone was listed, so a run whose listing is older than the
// file's last write gets a 409, re-reads, re-lists and re-plans. The last successful write is
// therefore always based on a listing newer than every earlier write: no lost update, and any run
// started after the last zone change leaves the files equal to the zone.
import { ALLOW_REMOVALS_ONCE, EMPTY_SINCE_ANNOTATION, REGISTRAR_LABELS } from "./contract";
import { FileKind, FILE_KINDS, FILE_ROLE, Plan, ROLES, PlanOptions, RecordSet, Role, SkippedName, planTargets } from "./planner";
import { Listing } from "./route53";
import { CurrentFile, decideFile, Outcome } from "./safety";
import { ConfigMapStore, isConflictError, StoredConfigMap } from "./kube";
import { FILE_KEYS, RegistrarSettings } from "./settings";

/** Structured logs and metrics (Powertools in the Lambda, a recorder in tests). */
export interface Telemetry {
    info(message: string, fields?: Record<string, unknown>): void;
    warn(message: string, fields?: Record<string, unknown>): void;
    error(message: string, fields?: Record<string, unknown>): void;
    metric(name: string, unit: "Count" | "Milliseconds", value: number): void;
}

export interface RegistrarDeps {
    /** Complete listing of a zone; throws when it cannot be completed. */
    listZone(zoneId: string): Promise<Listing>;
    /** The ConfigMap store (connects and authenticates on first use in a run). */
    store(): Promise<ConfigMapStore>;
    now(): Date;
}

export interface FileResult {
    kind: FileKind;
    configMap: string;
    outcome: Outcome | "listing-failed" | "error";
    /** Whether the ConfigMap was written (created or replaced) by this run. */
    written: boolean;
    /** Targets in the file after the run (as written or as kept); -1 when unknown (failure). */
    targets: number;
    added: string[];
    removed: string[];
    /** 409 conflicts this file ran into (each followed by a re-read and re-plan). */
    conflicts: number;
    error?: string;
}

export interface RunSummary {
    ok: boolean;
    recordsSeen: number;
    targetsWritten: number;
    skipped: number;
    files: FileResult[];
    errors: string[];
    durationMs: number;
}

/** Thrown after a run that wrote what was safe but had failures (a plain Error: see kube.ts). */
export interface RegistrarRunError extends Error {
    name: "RegistrarRunError";
    summary: RunSummary;
}

export function registrarRunError(summary: RunSummary): RegistrarRunError {
    return Object.assign(new Error(`dns-registrar run failed: ${summary.errors.join("; ")}`), { name: "RegistrarRunError" as const, summary });
}

export function isRegistrarRunError(err: unknown): err is RegistrarRunError {
    return err instanceof Error && err.name === "RegistrarRunError";
}

/** Attempts per file when concurrent writers keep winning (each attempt re-reads and re-lists). */
export const MAX_WRITE_ATTEMPTS = 8;
/** Skipped names logged one by one per run; the rest are counted. */
export const MAX_SKIP_LOGS = 50;

function zoneIdFor(settings: RegistrarSettings, role: Role): string | undefined {
    return role === "thanos" ? settings.zones.thanos.id : role === "prometheus" ? settings.zones.prometheus.id : settings.zones.installations?.id;
}

/** Plans one file from its zone's records (the other roles see no records). */
export function planFile(kind: FileKind, records: readonly RecordSet[], options: PlanOptions): { plan: Plan; file: Plan[FileKind]; skipped: SkippedName[] } {
    const role = FILE_ROLE[kind];
    const plan = planTargets(
        { thanos: role === "thanos" ? records : [], prometheus: role === "prometheus" ? records : [], installations: role === "installations" ? records : [] },
        options,
    );
    return { plan, file: plan[kind], skipped: plan.skipped.filter((s) => s.role === role) };
}

function currentFile(kind: FileKind, cm: StoredConfigMap | undefined): CurrentFile {
    if (!cm) return { exists: false };
    return { exists: true, text: cm.data[FILE_KEYS[kind]], emptySince: cm.annotations[EMPTY_SINCE_ANNOTATION], allowRemovalsOnce: cm.annotations[ALLOW_REMOVALS_ONCE] === "true" };
}

function message(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

/**
 * One full reconciliation. Throws RegistrarRunError (after writing what was safe) when anything
 * failed. Every run, whatever fails (connecting, a read, a write, a re-read after a conflict),
 * ends in one structured summary line ("run complete" or "run failed") and the run's metrics.
 */
export async function reconcile(settings: RegistrarSettings, deps: RegistrarDeps, telemetry: Telemetry): Promise<RunSummary> {
    const started = Date.now();
    try {
        return await reconcileFiles(settings, deps, telemetry, started);
    } catch (err) {
        if (isRegistrarRunError(err)) throw err;
        // Nothing was decided (no connection, or an unexpected failure): every file failed.
        const error = `run aborted: ${message(err)}`;
        const files = FILE_KINDS.map((kind): FileResult => ({ kind, configMap: settings.configMaps[kind], outcome: "error", written: false, targets: -1, added: [], removed: [], conflicts: 0, error }));
        return finishRun({ ok: false, recordsSeen: 0, targetsWritten: 0, skipped: 0, files, errors: [error], durationMs: Date.now() - started }, telemetry);
    }
}

/** The run's metrics and its one summary line; throws RegistrarRunError when the run failed. */
function finishRun(summary: RunSummary, telemetry: Telemetry): RunSummary {
    const results = summary.files;
    telemetry.metric("RecordsSeen", "Count", summary.recordsSeen);
    telemetry.metric("TargetsWritten", "Count", summary.targetsWritten);
    telemetry.metric("SkippedNames", "Count", summary.skipped);
    telemetry.metric("FilesWritten", "Count", results.filter((r) => r.written).length);
    telemetry.metric("WriteConflicts", "Count", results.reduce((n, r) => n + r.conflicts, 0));
    telemetry.metric("ListingFailures", "Count", results.filter((r) => r.outcome === "listing-failed").length);
    telemetry.metric("ShrinkRefusals", "Count", results.filter((r) => r.outcome === "shrink-refused").length);
    telemetry.metric("EmptyZonePending", "Count", results.filter((r) => r.outcome === "empty-pending").length);
    telemetry.metric("Errors", "Count", summary.errors.length);
    telemetry.metric("DurationMs", "Milliseconds", summary.durationMs);
    if (summary.errors.length > 0) {
        telemetry.error("run failed", { errors: summary.errors, durationMs: summary.durationMs });
        throw registrarRunError(summary);
    }
    telemetry.info("run complete", { recordsSeen: summary.recordsSeen, targetsWritten: summary.targetsWritten, skipped: summary.skipped, durationMs: summary.durationMs });
    return summary;
}

async function reconcileFiles(settings: RegistrarSettings, deps: RegistrarDeps, telemetry: Telemetry, started: number): Promise<RunSummary> {
    const store = await deps.store();
    const errors: string[] = [];

    // 1. Read every ConfigMap first: the versions our writes will be conditional on. A file whose
    //    read fails is reported and left alone; the others go on.
    const read = await Promise.allSettled(FILE_KINDS.map((kind) => store.get(settings.configMaps[kind])));
    const currents = new Map<FileKind, StoredConfigMap | undefined>();
    const readErrors = new Map<FileKind, string>();
    FILE_KINDS.forEach((kind, i) => {
        const r = read[i];
        if (r.status === "fulfilled") currents.set(kind, r.value);
        else readErrors.set(kind, `${kind} (${settings.configMaps[kind]}): read failed: ${message(r.reason)}; kept the previous file`);
    });

    // 2. List each watched zone once (after the reads).
    const zoneIds = [...new Set(FILE_KINDS.map((k) => zoneIdFor(settings, FILE_ROLE[k])).filter((z): z is string => z !== undefined))];
    const listings = new Map<string, Listing | Error>();
    await Promise.all(
        zoneIds.map(async (zoneId) => {
            try {
                listings.set(zoneId, await deps.listZone(zoneId));
            } catch (err) {
                listings.set(zoneId, err instanceof Error ? err : new Error(String(err)));
            }
        }),
    );
    let recordsSeen = 0;
    for (const l of listings.values()) if (!(l instanceof Error)) recordsSeen += l.records.length;

    // Skipped names, once per run and role (the Thanos zone gives two files, one listing).
    const skipped: SkippedName[] = [];
    for (const role of ROLES) {
        const zoneId = zoneIdFor(settings, role);
        const listing = zoneId === undefined ? undefined : listings.get(zoneId);
        const kind = FILE_KINDS.find((k) => FILE_ROLE[k] === role)!;
        if (listing && !(listing instanceof Error)) skipped.push(...planFile(kind, listing.records, settings.plan).skipped);
    }
    skipped.slice(0, MAX_SKIP_LOGS).forEach((s) => telemetry.info("skipped name", { name: s.name, type: s.type, role: s.role, reason: s.reason }));
    if (skipped.length > MAX_SKIP_LOGS) telemetry.info("more skipped names", { count: skipped.length - MAX_SKIP_LOGS });

    // 3. Per file: plan, decide, write; on 409 re-read, re-list, re-plan.
    const results = await Promise.all(
        FILE_KINDS.map(async (kind): Promise<FileResult> => {
            const name = settings.configMaps[kind];
            const zoneId = zoneIdFor(settings, FILE_ROLE[kind]);
            let current = currents.get(kind);
            let listing: Listing | Error | undefined = zoneId === undefined ? undefined : listings.get(zoneId);
            let conflicts = 0;
            const readError = readErrors.get(kind);
            if (readError) return { kind, configMap: name, outcome: "error", written: false, targets: -1, added: [], removed: [], conflicts, error: readError };
            for (let attempt = 1; ; attempt++) {
                if (listing instanceof Error) {
                    const error = `${kind} (${name}): ${listing.message}; kept the previous file`;
                    return { kind, configMap: name, outcome: "listing-failed", written: false, targets: -1, added: [], removed: [], conflicts, error };
                }
                const { file } = planFile(kind, listing?.records ?? [], settings.plan);
                const decision = decideFile(kind, currentFile(kind, current), file, {
                    shrinkFloorPercent: settings.shrinkFloorPercent,
                    shrinkMaxRemovals: settings.shrinkMaxRemovals,
                    shrinkAlwaysAllowed: settings.shrinkAlwaysAllowed,
                    emptyConfirmSeconds: settings.emptyConfirmSeconds,
                    now: deps.now(),
                });
                const targets = decision.targets;
                const base = { kind, configMap: name, outcome: decision.outcome, added: decision.added, removed: decision.removed, conflicts, ...(decision.refusal ? { error: decision.refusal } : {}) };
                if (!decision.changed) return { ...base, written: false, targets };
                const annotations = { ...(current?.annotations ?? {}) };
                if (decision.emptySince === undefined) delete annotations[EMPTY_SINCE_ANNOTATION];
                else annotations[EMPTY_SINCE_ANNOTATION] = decision.emptySince;
                if (decision.overrideUsed) {
                    delete annotations[ALLOW_REMOVALS_ONCE];
                    telemetry.warn("operator override used: applied the listing whatever it removes", { configMap: name, removed: decision.removed.length });
                }
                try {
                    if (current) {
                        await store.replace(current, { ...current.data, [FILE_KEYS[kind]]: decision.text }, annotations);
                    } else {
                        await store.create(name, { [FILE_KEYS[kind]]: decision.text }, annotations, { ...REGISTRAR_LABELS });
                    }
                    return { ...base, conflicts, written: true, targets };
                } catch (err) {
                    if (!isConflictError(err) || attempt >= MAX_WRITE_ATTEMPTS) {
                        return { ...base, conflicts, outcome: "error", written: false, targets: -1, error: `${kind} (${name}): ${message(err)}` };
                    }
                    conflicts++;
                    telemetry.info("write conflict, re-reading and re-listing", { configMap: name, attempt });
                    try {
                        current = await store.get(name);
                    } catch (readErr) {
                        return { ...base, conflicts, outcome: "error", written: false, targets: -1, error: `${kind} (${name}): re-read after a conflict failed: ${message(readErr)}; kept the previous file` };
                    }
                    if (zoneId !== undefined) {
                        try {
                            listing = await deps.listZone(zoneId);
                        } catch (listErr) {
                            listing = listErr instanceof Error ? listErr : new Error(String(listErr));
                        }
                    }
                }
            }
        }),
    );

    for (const r of results) {
        if (r.error) errors.push(r.error);
        if (r.outcome === "empty-pending") telemetry.warn("zone empty: keeping the targets until a later run confirms it", { configMap: r.configMap });
        telemetry.info("file reconciled", {
            configMap: r.configMap,
            outcome: r.outcome,
            written: r.written,
            targets: r.targets,
            added: r.added.slice(0, 20),
            removed: r.removed.slice(0, 20),
            addedCount: r.added.length,
            removedCount: r.removed.length,
            conflicts: r.conflicts,
        });
    }
    return finishRun(
        {
            ok: errors.length === 0,
            recordsSeen,
            targetsWritten: results.filter((r) => r.written).reduce((n, r) => n + r.targets, 0),
            skipped: skipped.length,
            files: results,
            errors,
            durationMs: Date.now() - started,
        },
        telemetry,
    );
}
