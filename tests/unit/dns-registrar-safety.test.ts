import { strict as assert } from "assert";
import * as fc from "fast-check";
import { FilePlan, TargetEntry, parseFile, renderFile } from "../../functions/dns-registrar/planner";
import { ALLOW_REMOVALS_ONCE } from "../../functions/dns-registrar/contract";
import { allowedRemovals, decideFile, SafetyOptions } from "../../functions/dns-registrar/safety";
import { DEFAULT_EMPTY_CONFIRM_SECONDS, DEFAULT_SHRINK_ALWAYS_ALLOWED, DEFAULT_SHRINK_MAX_REMOVALS } from "../../functions/dns-registrar/settings";

const NOW = new Date("2026-06-01T12:00:00Z");
/** The percentage rule alone (no cap, no small-fleet exception), as the older tests below assume. */
const opts: SafetyOptions = { shrinkFloorPercent: 50, shrinkMaxRemovals: 100_000, shrinkAlwaysAllowed: 0, emptyConfirmSeconds: 60, now: NOW };
/** The defaults the component ships (production's 25% floor). */
const DEFAULTS: SafetyOptions = { shrinkFloorPercent: 25, shrinkMaxRemovals: DEFAULT_SHRINK_MAX_REMOVALS, shrinkAlwaysAllowed: DEFAULT_SHRINK_ALWAYS_ALLOWED, emptyConfirmSeconds: DEFAULT_EMPTY_CONFIRM_SECONDS, now: NOW };
const ids = (n: number, prefix = "c") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const ep = (id: string): TargetEntry => ({ target: `${id}-grpc.thanos.fleet.internal:10901`, labels: {} });
const thanosText = (...ids: string[]) => renderFile("thanos", ids.map(ep));
const plan = (...ids: string[]): FilePlan => ({ zoneEntries: ids.map(ep), staticEntries: [] });

describe("dns-registrar safety rules", () => {
    it("creates a missing ConfigMap with the plan, even an empty one", () => {
        const d = decideFile("thanos", { exists: false }, plan(), opts);
        assert.equal(d.outcome, "create");
        assert.equal(d.text, "endpoints: []\n");
        assert.equal(d.changed, true);
    });

    it("applies additions and small removals; reports no change when equal", () => {
        const d = decideFile("thanos", { exists: true, text: thanosText("a", "b", "c", "d") }, plan("a", "b", "c", "e"), opts);
        assert.equal(d.outcome, "apply");
        assert.deepEqual(d.added, ["e-grpc.thanos.fleet.internal:10901"]);
        assert.deepEqual(d.removed, ["d-grpc.thanos.fleet.internal:10901"]);
        assert.equal(d.text, thanosText("a", "b", "c", "e"));
        const same = decideFile("thanos", { exists: true, text: thanosText("a", "b") }, plan("b", "a"), opts);
        assert.equal(same.changed, false);
        assert.equal(same.outcome, "apply");
    });

    it("refuses to drop more than the floor in one run: adds, keeps the rest, and reports", () => {
        const d = decideFile("thanos", { exists: true, text: thanosText("a", "b", "c", "d") }, plan("a", "x"), opts);
        assert.equal(d.outcome, "shrink-refused");
        assert.deepEqual(parseFile("thanos", d.text)!.map((e) => e.target.split("-")[0]), ["a", "b", "c", "d", "x"]);
        assert.match(d.refusal!, /refused to remove 3 of 4 targets \(75%\) in one run; one run may remove 2 \(the larger of 0 and the smaller of 100000 and 50%\)/);
        assert.deepEqual(d.added, ["x-grpc.thanos.fleet.internal:10901"]);
        assert.deepEqual(d.removed, []);
        // exactly at the floor is allowed; 100 allows everything short of empty; 0 refuses any removal
        assert.equal(decideFile("thanos", { exists: true, text: thanosText("a", "b") }, plan("a"), opts).outcome, "apply");
        assert.equal(decideFile("thanos", { exists: true, text: thanosText("a", "b", "c") }, plan("z"), { ...opts, shrinkFloorPercent: 100 }).outcome, "apply");
        assert.equal(decideFile("thanos", { exists: true, text: thanosText("a", "b") }, plan("a"), { ...opts, shrinkFloorPercent: 0 }).outcome, "shrink-refused");
    });

    it("empties a file only after two observations of the empty zone, marking the first", () => {
        const text = thanosText("a", "b");
        const first = decideFile("thanos", { exists: true, text }, plan(), opts);
        assert.equal(first.outcome, "empty-pending");
        assert.equal(first.text, text, "targets kept");
        assert.equal(first.emptySince, NOW.toISOString());
        assert.equal(first.changed, true, "the marker is written");
        const tooSoon = decideFile("thanos", { exists: true, text, emptySince: "2026-06-01T11:59:30Z" }, plan(), opts);
        assert.equal(tooSoon.outcome, "empty-pending");
        assert.equal(tooSoon.changed, false, "marker kept as is");
        const confirmed = decideFile("thanos", { exists: true, text, emptySince: "2026-06-01T11:58:00Z" }, plan(), opts);
        assert.equal(confirmed.outcome, "empty-confirmed");
        assert.equal(confirmed.text, "endpoints: []\n");
        assert.equal(confirmed.emptySince, undefined);
        const garbage = decideFile("thanos", { exists: true, text, emptySince: "yesterday-ish" }, plan(), opts);
        assert.equal(garbage.outcome, "empty-pending");
        assert.equal(garbage.emptySince, NOW.toISOString());
        const back = decideFile("thanos", { exists: true, text, emptySince: "2026-06-01T11:58:00Z" }, plan("a", "b"), opts);
        assert.equal(back.outcome, "apply");
        assert.equal(back.emptySince, undefined, "a non-empty run clears the marker");
        assert.equal(back.changed, true);
    });

    it("ignores the static self target when judging shrink and emptiness", () => {
        const self: TargetEntry = { target: "prometheus-operated.monitoring.svc:9090", labels: { clusterID: "command-control" } };
        const c1: TargetEntry = { target: "c1.prometheus.fleet.internal:9090", labels: { clusterID: "c1" } };
        const text = renderFile("prometheus", [self, c1]);
        const d = decideFile("prometheus", { exists: true, text }, { zoneEntries: [], staticEntries: [self] }, opts);
        assert.equal(d.outcome, "empty-pending");
        const ok = decideFile("prometheus", { exists: true, text: renderFile("prometheus", [self]) }, { zoneEntries: [c1], staticEntries: [self] }, opts);
        assert.equal(ok.outcome, "apply");
        assert.deepEqual(ok.added, ["c1.prometheus.fleet.internal:9090"]);
    });

    it("ignores the static in-cluster Thanos endpoints when judging shrink and emptiness", () => {
        const store: TargetEntry = { target: "dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local", labels: {} };
        const text = renderFile("thanos", [store, ep("a"), ep("b")]);
        // Every workload cluster gone from the zone: pending, however many static entries remain.
        const d = decideFile("thanos", { exists: true, text }, { zoneEntries: [], staticEntries: [store] }, opts);
        assert.equal(d.outcome, "empty-pending");
        // A newly seeded file (static entries only) gets its first cluster as a plain addition.
        const first = decideFile("thanos", { exists: true, text: renderFile("thanos", [store]) }, { zoneEntries: [ep("a")], staticEntries: [store] }, opts);
        assert.equal(first.outcome, "apply");
        assert.deepEqual(first.added, [ep("a").target]);
        assert.ok(parseFile("thanos", first.text)!.some((e) => e.target === store.target), "the static entry is kept");
    });

    it("repairs a file that does not parse", () => {
        const d = decideFile("thanos", { exists: true, text: "endpoints: {broken" }, plan("a"), opts);
        assert.equal(d.outcome, "repair");
        assert.equal(d.text, thanosText("a"));
    });

    it("property: one run never removes more than the floor, and never empties without a confirmed marker", () => {
        const ids = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), { maxLength: 12 });
        fc.assert(
            fc.property(ids, ids, fc.integer({ min: 0, max: 100 }), fc.option(fc.integer({ min: 0, max: 600 })), (current, planned, floor, markerAge) => {
                const emptySince = markerAge === null ? undefined : new Date(NOW.getTime() - markerAge * 1000).toISOString();
                const d = decideFile("thanos", { exists: true, text: thanosText(...current), emptySince }, plan(...planned), { ...opts, shrinkFloorPercent: floor });
                const after = new Set(parseFile("thanos", d.text)!.map((e) => e.target));
                const removed = current.filter((id) => !after.has(ep(id).target));
                if (after.size === 0 && current.length > 0) {
                    assert.equal(d.outcome, "empty-confirmed");
                    assert.ok(markerAge !== null && markerAge >= 60);
                } else if (current.length > 0) {
                    assert.ok(removed.length * 100 <= floor * current.length, `${removed.length}/${current.length} removed with floor ${floor}`);
                }
                for (const id of planned) assert.ok(after.has(ep(id).target) || planned.length === 0, "every planned target is written");
            }),
            { numRuns: 1000 },
        );
    });

    it("removal allowance: the small-fleet exception, the percentage, and an absolute cap", () => {
        // The production floor of 25% alone would refuse removing 1 of 3 forever; one removal is always allowed.
        assert.equal(allowedRemovals(3, DEFAULTS), 1);
        const oneOfThree = decideFile("thanos", { exists: true, text: thanosText("a", "b", "c") }, plan("a", "b"), DEFAULTS);
        assert.equal(oneOfThree.outcome, "apply");
        assert.deepEqual(oneOfThree.removed, [ep("c").target]);
        // ...but not 2 of 3.
        assert.equal(decideFile("thanos", { exists: true, text: thanosText("a", "b", "c") }, plan("a"), DEFAULTS).outcome, "shrink-refused");
        // 25% of 40 is 10; of 400, 100, capped at 20.
        assert.equal(allowedRemovals(40, DEFAULTS), 10);
        assert.equal(allowedRemovals(400, DEFAULTS), DEFAULT_SHRINK_MAX_REMOVALS);
        const big = decideFile("thanos", { exists: true, text: thanosText(...ids(400)) }, plan(...ids(379)), DEFAULTS);
        assert.equal(big.outcome, "shrink-refused", "21 of 400 exceeds the absolute cap of 20");
        assert.match(big.refusal!, /one run may remove 20 .*allow-removals-once=true/);
        assert.equal(decideFile("thanos", { exists: true, text: thanosText(...ids(400)) }, plan(...ids(380)), DEFAULTS).outcome, "apply");
    });

    it("the empty-zone confirmation waits emptyConfirmSeconds (15 minutes by default), not one minute", () => {
        const text = thanosText(...ids(100));
        const pending = decideFile("thanos", { exists: true, text }, plan(), DEFAULTS);
        assert.equal(pending.outcome, "empty-pending");
        const sixtySecondsLater = { ...DEFAULTS, now: new Date(NOW.getTime() + 60_000) };
        assert.equal(decideFile("thanos", { exists: true, text, emptySince: pending.emptySince }, plan(), sixtySecondsLater).outcome, "empty-pending", "two runs 60 s apart no longer wipe 100 targets");
        const later = { ...DEFAULTS, now: new Date(NOW.getTime() + DEFAULT_EMPTY_CONFIRM_SECONDS * 1000) };
        assert.equal(decideFile("thanos", { exists: true, text, emptySince: pending.emptySince }, plan(), later).outcome, "empty-confirmed");
    });

    it(`an operator's ${ALLOW_REMOVALS_ONCE} annotation lifts both rules for one run, and is consumed`, () => {
        const text = thanosText(...ids(10));
        const d = decideFile("thanos", { exists: true, text, allowRemovalsOnce: true }, plan("c0"), DEFAULTS);
        assert.equal(d.outcome, "override-applied");
        assert.equal(d.overrideUsed, true);
        assert.equal(d.removed.length, 9);
        const empty = decideFile("thanos", { exists: true, text, allowRemovalsOnce: true }, plan(), DEFAULTS);
        assert.equal(empty.outcome, "override-applied");
        assert.deepEqual(parseFile("thanos", empty.text), []);
        // Nothing to remove: the annotation is still consumed (a write that only drops it).
        const noop = decideFile("thanos", { exists: true, text, allowRemovalsOnce: true }, plan(...ids(10)), DEFAULTS);
        assert.equal(noop.changed, true);
        assert.equal(noop.overrideUsed, true);
    });

    it("property: for fleets of 1 to 1,000, one run removes at most the allowance, always may remove one, never empties without confirmation, writes every addition", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 1, max: 1000 }),
                fc.integer({ min: 0, max: 1000 }),
                fc.integer({ min: 0, max: 30 }),
                fc.integer({ min: 0, max: 100 }),
                fc.integer({ min: 0, max: 50 }),
                fc.integer({ min: 0, max: 3 }),
                (fleet, keep, added, percent, cap, always) => {
                    const o: SafetyOptions = { ...DEFAULTS, shrinkFloorPercent: percent, shrinkMaxRemovals: cap, shrinkAlwaysAllowed: always };
                    const current = ids(fleet);
                    const planned = [...current.slice(0, Math.min(keep, fleet)), ...ids(added, "new")];
                    const d = decideFile("thanos", { exists: true, text: thanosText(...current) }, plan(...planned), o);
                    const after = new Set(parseFile("thanos", d.text)!.map((e) => e.target));
                    const removed = current.filter((id) => !after.has(ep(id).target)).length;
                    const allowance = allowedRemovals(fleet, o);
                    if (planned.length === 0) {
                        assert.equal(d.outcome, "empty-pending");
                        assert.equal(removed, 0);
                    } else {
                        assert.ok(removed <= allowance, `${removed} of ${fleet} removed, allowance ${allowance}`);
                        for (const id of planned) assert.ok(after.has(ep(id).target), "every planned target is written");
                    }
                    assert.ok(allowance >= Math.min(always, fleet) && allowance <= fleet);
                    if (always >= 1 && planned.length > 0 && fleet - Math.min(keep, fleet) === 1) assert.notEqual(d.outcome, "shrink-refused", "one removal is always allowed");
                },
            ),
            { numRuns: 150 },
        );
    });
});
