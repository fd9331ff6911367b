// What the registrar may write, given what a ConfigMap holds now and what a complete listing of
// the zone says. Pure: the caller passes the clock. The rules:
//   - targets are only ever removed by a complete listing (a failed listing never reaches here);
//   - one run removes at most `allowedRemovals(current)` zone-derived targets: the larger of
//     `shrinkAlwaysAllowed` (a small fleet can always lose one cluster) and the smaller of
//     `shrinkMaxRemovals` (an absolute cap for large fleets) and `shrinkFloorPercent` % of the
//     current targets. Beyond that it writes the additions only, keeps the rest, and reports a
//     refusal (the run fails loudly);
//   - going to zero zone-derived targets needs two consecutive observations of the empty zone, at
//     least `emptyConfirmSeconds` apart; the first is recorded in an annotation on the ConfigMap;
//   - an operator may lift both rules for one run with the annotation ALLOW_REMOVALS_ONCE on the
//     ConfigMap: the next run applies the listing as is and removes the annotation.
import { ALLOW_REMOVALS_ONCE } from "./contract";
import { FileKind, FilePlan, TargetEntry, fileEntries, mergeEntries, parseFile, renderFile } from "./planner";

/** What a ConfigMap holds for one file now. */
export interface CurrentFile {
    /** Whether the ConfigMap exists. */
    exists: boolean;
    /** The file's text (the ConfigMap's data key), undefined when the key is missing. */
    text?: string;
    /** The empty-since annotation, if any. */
    emptySince?: string;
    /** The operator's one-time override (ALLOW_REMOVALS_ONCE is "true"). */
    allowRemovalsOnce?: boolean;
}

export interface SafetyOptions {
    /** Most zone-derived targets (percent of the current ones) one run may remove. 0..100. */
    shrinkFloorPercent: number;
    /** Most zone-derived targets one run may remove, whatever the percentage. */
    shrinkMaxRemovals: number;
    /** Removals one run may always make (a fleet of 3 can lose 1 whatever the percentage). */
    shrinkAlwaysAllowed: number;
    /** Least time between the two observations of an empty zone before the file is emptied. */
    emptyConfirmSeconds: number;
    now: Date;
}

export type Outcome =
    /** The operator's one-time override: the listing is applied whatever it removes. */
    | "override-applied"
    /** The ConfigMap does not exist: create it with the plan. */
    | "create"
    /** The plan is applied as is. */
    | "apply"
    /** The current text is not a valid file: replaced by the plan. */
    | "repair"
    /** The zone is empty for the first time (or not long enough): keep the targets, mark the time. */
    | "empty-pending"
    /** The zone was empty in two consecutive runs: the file is emptied. */
    | "empty-confirmed"
    /** Too many removals at once: additions applied, removals refused. */
    | "shrink-refused";

export interface FileDecision {
    outcome: Outcome;
    /** The file text to store. */
    text: string;
    /** The empty-since annotation to store (undefined: none). */
    emptySince: string | undefined;
    /** Whether text or annotation differ from the current ones (false: no write at all). */
    changed: boolean;
    /** Targets in `text` (zone-derived and static). */
    targets: number;
    /** Zone-derived targets added / removed relative to the current file (as written). */
    added: string[];
    removed: string[];
    /** Set when the run must fail loudly (shrink refused). */
    refusal?: string;
    /** The operator's one-time override was used (the annotation is to be removed). */
    overrideUsed?: boolean;
}

/** How many of `current` zone-derived targets one run may remove. */
export function allowedRemovals(current: number, o: Pick<SafetyOptions, "shrinkFloorPercent" | "shrinkMaxRemovals" | "shrinkAlwaysAllowed">): number {
    const byPercent = Math.floor((current * o.shrinkFloorPercent) / 100);
    return Math.min(current, Math.max(o.shrinkAlwaysAllowed, Math.min(o.shrinkMaxRemovals, byPercent)));
}

function validDate(s: string | undefined): Date | undefined {
    if (s === undefined) return undefined;
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? undefined : d;
}

function diff(from: TargetEntry[], to: TargetEntry[]): { added: string[]; removed: string[] } {
    const a = new Set(from.map((e) => e.target));
    const b = new Set(to.map((e) => e.target));
    return { added: [...b].filter((t) => !a.has(t)).sort(), removed: [...a].filter((t) => !b.has(t)).sort() };
}

/** Decides what to write for one file. */
export function decideFile(kind: FileKind, current: CurrentFile, plan: FilePlan, options: SafetyOptions): FileDecision {
    const planned = fileEntries(plan);
    const plannedText = renderFile(kind, planned);
    const staticTargets = new Set(plan.staticEntries.map((e) => e.target));
    const finish = (outcome: Outcome, text: string, emptySince: string | undefined, written: TargetEntry[], before: TargetEntry[], refusal?: string): FileDecision => {
        const { added, removed } = diff(
            before.filter((e) => !staticTargets.has(e.target)),
            written.filter((e) => !staticTargets.has(e.target)),
        );
        const overrideUsed = current.allowRemovalsOnce === true;
        const changed = !current.exists || text !== current.text || emptySince !== current.emptySince || overrideUsed;
        return { outcome, text, emptySince, changed, targets: written.length, added, removed, ...(refusal ? { refusal } : {}), ...(overrideUsed ? { overrideUsed } : {}) };
    };

    if (!current.exists) return finish("create", plannedText, undefined, planned, []);
    const currentEntries = parseFile(kind, current.text ?? "");
    if (currentEntries === undefined) return finish("repair", plannedText, undefined, planned, []);

    const currentZone = currentEntries.filter((e) => !staticTargets.has(e.target));
    const plannedZone = plan.zoneEntries;
    // The operator's one-time override: the listing is applied as is (and the annotation goes).
    if (current.allowRemovalsOnce) return finish("override-applied", plannedText, undefined, planned, currentEntries);

    if (plannedZone.length === 0 && currentZone.length > 0) {
        const since = validDate(current.emptySince);
        if (since && options.now.getTime() - since.getTime() >= options.emptyConfirmSeconds * 1000) {
            return finish("empty-confirmed", plannedText, undefined, planned, currentEntries);
        }
        const marker = since ? current.emptySince : options.now.toISOString();
        return finish("empty-pending", current.text ?? "", marker, currentEntries, currentEntries);
    }

    const { removed } = diff(currentZone, plannedZone);
    const allowed = allowedRemovals(currentZone.length, options);
    if (currentZone.length > 0 && removed.length > allowed) {
        const kept = mergeEntries(currentZone, planned);
        const percent = Math.round((removed.length * 1000) / currentZone.length) / 10;
        const refusal =
            `${kind}: refused to remove ${removed.length} of ${currentZone.length} targets (${percent}%) in one run; ` +
            `one run may remove ${allowed} (the larger of ${options.shrinkAlwaysAllowed} and the smaller of ${options.shrinkMaxRemovals} and ${options.shrinkFloorPercent}%). ` +
            `Additions were applied, removals kept: check the zone, then, if the removal is intended, annotate the ConfigMap with ` +
            `${ALLOW_REMOVALS_ONCE}=true for one run.`;
        return finish("shrink-refused", renderFile(kind, kept), undefined, kept, currentEntries, refusal);
    }
    return finish("apply", plannedText, undefined, planned, currentEntries);
}
