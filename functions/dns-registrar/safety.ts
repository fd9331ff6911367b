// What the registrar may write, given what a ConfigMap holds now and what a complete listing of
// the zone says. Pure: the caller passes the clock. The rules:
//   - targets are only ever removed by a complete listing (a failed listing never reaches here);
//   - one run never drops more than `shrinkFloorPercent` of the zone-derived targets: it then
//     writes the additions only, keeps the rest, and reports a refusal (the run fails loudly);
//   - going to zero zone-derived targets needs two consecutive observations of the empty zone, at
//     least `emptyConfirmSeconds` apart; the first is recorded in an annotation on the ConfigMap.
import { FileKind, FilePlan, TargetEntry, fileEntries, mergeEntries, parseFile, renderFile } from "./planner";

/** What a ConfigMap holds for one file now. */
export interface CurrentFile {
    /** Whether the ConfigMap exists. */
    exists: boolean;
    /** The file's text (the ConfigMap's data key), undefined when the key is missing. */
    text?: string;
    /** The empty-since annotation, if any. */
    emptySince?: string;
}

export interface SafetyOptions {
    /** Most zone-derived targets (percent of the current ones) one run may remove. 0..100. */
    shrinkFloorPercent: number;
    /** Least time between the two observations of an empty zone before the file is emptied. */
    emptyConfirmSeconds: number;
    now: Date;
}

export type Outcome =
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
        const changed = !current.exists || text !== current.text || emptySince !== current.emptySince;
        return { outcome, text, emptySince, changed, targets: written.length, added, removed, ...(refusal ? { refusal } : {}) };
    };

    if (!current.exists) return finish("create", plannedText, undefined, planned, []);
    const currentEntries = parseFile(kind, current.text ?? "");
    if (currentEntries === undefined) return finish("repair", plannedText, undefined, planned, []);

    const currentZone = currentEntries.filter((e) => !staticTargets.has(e.target));
    const plannedZone = plan.zoneEntries;

    if (plannedZone.length === 0 && currentZone.length > 0) {
        const since = validDate(current.emptySince);
        if (since && options.now.getTime() - since.getTime() >= options.emptyConfirmSeconds * 1000) {
            return finish("empty-confirmed", plannedText, undefined, planned, currentEntries);
        }
        const marker = since ? current.emptySince : options.now.toISOString();
        return finish("empty-pending", current.text ?? "", marker, currentEntries, currentEntries);
    }

    const { removed } = diff(currentZone, plannedZone);
    if (currentZone.length > 0 && removed.length * 100 > options.shrinkFloorPercent * currentZone.length) {
        const kept = mergeEntries(currentZone, planned);
        const percent = Math.round((removed.length * 1000) / currentZone.length) / 10;
        const refusal =
            `${kind}: refused to remove ${removed.length} of ${currentZone.length} targets (${percent}%) in one run; ` +
            `the shrink floor allows at most ${options.shrinkFloorPercent}%. Additions were applied, removals kept: ` +
            `check the zone, then raise shrinkFloorPercent for one run if the removal is intended.`;
        return finish("shrink-refused", renderFile(kind, kept), undefined, kept, currentEntries, refusal);
    }
    return finish("apply", plannedText, undefined, planned, currentEntries);
}
