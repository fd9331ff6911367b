// Racing registrar runs (separate handler processes) on different zone states: the ConfigMap ends
// equal to the final zone truth and no update is lost. Interleavings are forced with gates on the
// Kubernetes test server, then randomized with delays.
import { strict as assert } from "assert";
import { DEFAULT_PLAN_OPTIONS, planTargets, renderPlan } from "../../functions/dns-registrar/planner";
import { HandlerRun, NAMESPACE, RegistrarWorld, runHandler, useRegistrarWorld } from "../support/registrar-env";
import { ENV } from "../../functions/dns-registrar/settings";

const CM = "thanos-query-endpoints";

function truth(w: RegistrarWorld, ids: string[]): string {
    return renderPlan(
        planTargets({ thanos: ids.map((id) => ({ Name: `${id}-grpc.${w.zones.thanos.name}.`, Type: "A" })), prometheus: [], installations: [] }, { ...DEFAULT_PLAN_OPTIONS, thanosZone: w.zones.thanos.name }),
    ).thanos;
}

function gate(): { promise: Promise<void>; open: () => void } {
    let open!: () => void;
    const promise = new Promise<void>((r) => (open = r));
    return { promise, open };
}

const thanosFile = (r: HandlerRun) => r.runs[0].summary?.files.find((f: { kind: string }) => f.kind === "thanos");

describe("dns-registrar integration: concurrent runs", function () {
    this.timeout(240_000);
    let w: RegistrarWorld;
    // Wide floor: these tests are about ordering, not the shrink safety net.
    const env = () => w.env({ [ENV.shrinkFloorPercent]: "100" });

    useRegistrarWorld((world) => (w = world));
    beforeEach(async () => {
        w.kube.clearFaults();
        await w.setRecords(w.zones.prometheus, []);
        await w.setRecords(w.zones.installations, []);
        w.kube.seed(NAMESPACE, "prometheus-federation-targets", { "targets.json": renderPlan(planTargets({ thanos: [], prometheus: [], installations: [] }, DEFAULT_PLAN_OPTIONS)).prometheus });
        w.kube.seed(NAMESPACE, "blackbox-probe-targets", { "probes.json": "[]\n" });
        w.kube.seed(NAMESPACE, "thanos-query-targets", { "targets.json": "[]\n" });
    });

    it("a stale run's write loses (409) to a newer run's; it re-reads, re-lists and leaves the newer truth", async () => {
        const s1 = ["c1", "c2", "c3"];
        w.kube.seed(NAMESPACE, CM, { "endpoints.yaml": truth(w, s1) });
        await w.setRecords(w.zones.thanos, ["c1", "c2", "c3", "c4"].map((id) => ({ name: `${id}-grpc` })));
        const putArrived = gate();
        const release = gate();
        w.kube.inject({ method: "PUT", name: CM, gate: release.promise, onMatch: putArrived.open });
        const stale = runHandler({ env: env() });
        await putArrived.promise; // A has read the ConfigMap and listed state X; its PUT is held.
        const finalIds = ["c1", "c2", "c3", "c5"];
        await w.setRecords(w.zones.thanos, finalIds.map((id) => ({ name: `${id}-grpc` })));
        const newer = await runHandler({ env: env() }); // B lists the final state and writes it.
        assert.ok(newer.ok, JSON.stringify(newer.runs));
        assert.equal(w.kube.get(NAMESPACE, CM)!.data!["endpoints.yaml"], truth(w, finalIds));
        release.open();
        const a = await stale;
        assert.ok(a.ok, JSON.stringify(a.runs));
        assert.equal(thanosFile(a).conflicts, 1, "the stale write got a 409");
        assert.equal(thanosFile(a).written, false, "after re-listing it had nothing to write");
        assert.equal(w.kube.get(NAMESPACE, CM)!.data!["endpoints.yaml"], truth(w, finalIds));
    });

    it("both writes held, the stale one lands first: the newer run gets 409, re-plans, and its truth is final", async () => {
        w.kube.seed(NAMESPACE, CM, { "endpoints.yaml": truth(w, ["c1"]) });
        await w.setRecords(w.zones.thanos, ["c1", "c2"].map((id) => ({ name: `${id}-grpc` })));
        const aArrived = gate();
        const bArrived = gate();
        const releaseA = gate();
        const releaseB = gate();
        w.kube.inject({ method: "PUT", name: CM, gate: releaseA.promise, onMatch: aArrived.open });
        w.kube.inject({ method: "PUT", name: CM, gate: releaseB.promise, onMatch: bArrived.open });
        const marker = w.kube.requests.length;
        const a = runHandler({ env: env() });
        await aArrived.promise;
        const finalIds = ["c1", "c3"];
        await w.setRecords(w.zones.thanos, finalIds.map((id) => ({ name: `${id}-grpc` })));
        const b = runHandler({ env: env() });
        await bArrived.promise; // both read the same resourceVersion
        releaseA.open();
        const ra = await a;
        assert.ok(ra.ok);
        assert.equal(w.kube.get(NAMESPACE, CM)!.data!["endpoints.yaml"], truth(w, ["c1", "c2"]), "A (stale) landed first");
        releaseB.open();
        const rb = await b;
        assert.ok(rb.ok, JSON.stringify(rb.runs));
        assert.equal(thanosFile(rb).conflicts, 1);
        assert.equal(thanosFile(rb).written, true);
        assert.equal(w.kube.get(NAMESPACE, CM)!.data!["endpoints.yaml"], truth(w, finalIds));
        const puts = w.kube.requests.slice(marker).filter((q) => q.method === "PUT" && q.name === CM).map((q) => q.status);
        assert.deepEqual(puts, [200, 409, 200], "in arrival order: A's write, B's stale write, B's re-planned write");
    });

    it("randomized: runs racing while the zone changes; a run after the last change leaves the truth; every write was conditional", async () => {
        let seed = 20260601;
        const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
        w.kube.seed(NAMESPACE, CM, { "endpoints.yaml": truth(w, []) });
        const marker = w.kube.requests.length;
        const states = [
            ["c1", "c2", "c3"],
            ["c1", "c3", "c4", "c5"],
            ["c2", "c4", "c5", "c6", "c7"],
        ];
        for (let i = 0; i < 8; i++) w.kube.inject({ method: i % 2 ? "PUT" : "GET", name: CM, delayMs: Math.floor(rand() * 400) });
        const runs: Promise<HandlerRun>[] = [];
        for (const state of states) {
            await w.setRecords(w.zones.thanos, state.map((id) => ({ name: `${id}-grpc` })));
            runs.push(runHandler({ env: env() }), runHandler({ env: env() }));
            await new Promise((r) => setTimeout(r, Math.floor(rand() * 300)));
        }
        // The event for the last change triggers one more run (as EventBridge or the schedule would).
        runs.push(runHandler({ env: env() }));
        const results = await Promise.all(runs);
        for (const r of results) assert.ok(r.ok, JSON.stringify(r.runs));
        assert.equal(w.kube.get(NAMESPACE, CM)!.data!["endpoints.yaml"], truth(w, states[states.length - 1]));
        const writes = w.kube.requests.slice(marker).filter((q) => q.method === "PUT" && q.name === CM);
        assert.ok(writes.length >= 1);
        assert.ok(writes.every((q) => q.sentResourceVersion !== undefined && q.sentResourceVersion !== ""), "no unconditional write");
    });
});
