// The DnsRegistrar's Lambda archive, built exactly as CallbackFunction builds it, copied into an
// empty directory and run there in a separate Node process against moto and the Kubernetes test
// server. The AWS SDK v3 clients come from an emulated runtime directory (NODE_PATH), as the
// Lambda runtime provides them; everything else must be in the archive.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXCLUDED_PACKAGES, HANDLER_PACKAGES } from "../../components/dns-registrar/plan";
import { BuiltArchive, buildRegistrarArchive, buildRuntimeModules } from "../support/registrar-archive";
import { emfMetrics, NAMESPACE, REPO_ROOT, RegistrarWorld, runHandler, startRegistrarWorld } from "../support/registrar-env";

describe("dns-registrar artifact: the CallbackFunction archive runs on its own", function () {
    this.timeout(240_000);
    let tmp: string;
    let archive: BuiltArchive;
    let runtime: string;
    let w: RegistrarWorld;

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "registrar-artifact-"));
        const cwd = process.cwd();
        process.chdir(REPO_ROOT); // computeCodePaths reads ./package.json, as a Pulumi program does
        try {
            archive = await buildRegistrarArchive(path.join(tmp, "task"));
        } finally {
            process.chdir(cwd);
        }
        runtime = buildRuntimeModules(path.join(tmp, "runtime"), REPO_ROOT);
        w = await startRegistrarWorld();
        console.log(`      archive: ${archive.files} files, ${(archive.bytes / 1e6).toFixed(1)} MB unzipped, ${(archive.zipBytes / 1e6).toFixed(1)} MB zipped, __index.js ${archive.indexBytes} bytes, ${archive.packages.length} packages`);
    });
    after(async () => {
        await w?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("bundles what the handler needs and nothing it must not carry", () => {
        for (const p of HANDLER_PACKAGES) assert.ok(archive.packages.includes(p), `${p} bundled`);
        for (const p of EXCLUDED_PACKAGES) assert.ok(!archive.packages.includes(p), `${p} not bundled`);
        assert.deepEqual(archive.packages.filter((p) => p.startsWith("@pulumi/") || p.startsWith("@aws-sdk/client-") || p.startsWith("@types/")), []);
        assert.ok(archive.zipBytes < 50 * 1024 * 1024, "under Lambda's 50 MB direct-upload limit");
        assert.ok(archive.bytes < 250 * 1024 * 1024, "under Lambda's 250 MB unzipped limit");
        const index = fs.readFileSync(path.join(archive.dir, "__index.js"), "utf8");
        assert.match(index, /exports\.handler = __createRegistrarHandler\(\);/);
        assert.doesNotMatch(index, /require\("@pulumi\//, "no Pulumi at run time");
        assert.doesNotMatch(index, new RegExp(REPO_ROOT.replace(/[/.]/g, "\\$&")), "no path of the build machine captured");
        assert.doesNotMatch(index, /REGISTRAR_KUBE_SERVER"?\s*[:=]\s*"http/, "no test endpoint captured");
        assert.match(index, /import\("@kubernetes\/client-node"\)/, "client-node is loaded lazily");
    });

    it("runs from an empty directory against moto and the Kubernetes test server", async () => {
        for (const name of ["thanos-query-endpoints", "prometheus-federation-targets", "blackbox-probe-targets", "thanos-query-targets"]) w.kube.seed(NAMESPACE, name, {});
        await w.setRecords(w.zones.thanos, [{ name: "c1-grpc" }, { name: "c2-grpc" }, { name: "c2" }]);
        await w.setRecords(w.zones.prometheus, [{ name: "c1" }]);
        const r = await runHandler({ env: w.env(), archiveDir: archive.dir, runtimeModules: runtime, times: 2 });
        assert.ok(r.ok, `${JSON.stringify(r.runs)} ${r.message ?? ""} ${r.stderr}`);
        assert.equal(w.kube.get(NAMESPACE, "thanos-query-endpoints")!.data!["endpoints.yaml"], "endpoints:\n  - address: c1-grpc.thanos.fleet.internal:10901\n  - address: c2-grpc.thanos.fleet.internal:10901\n");
        assert.match(w.kube.get(NAMESPACE, "prometheus-federation-targets")!.data!["targets.json"], /"clusterID": "c1"/);
        assert.deepEqual(JSON.parse(w.kube.get(NAMESPACE, "thanos-query-targets")!.data!["targets.json"]), [{ targets: ["c2.thanos.fleet.internal:80"], labels: { registered_cluster: "c2" } }]);
        assert.deepEqual(emfMetrics(r.lines).FilesWritten, [4, 0]);
        assert.ok(r.lines.some((l) => l.message === "run complete" && l.service === "dns-registrar"));
    });

    it("a dependency missing from the bundle fails the run (the check is real)", async () => {
        const broken = path.join(tmp, "broken");
        fs.cpSync(archive.dir, broken, { recursive: true });
        fs.rmSync(path.join(broken, "node_modules", "yaml"), { recursive: true });
        const r = await runHandler({ env: w.env(), archiveDir: broken, runtimeModules: runtime });
        assert.equal(r.ok, false);
        assert.equal(r.phase, "init");
        assert.match(r.message ?? "", /Cannot find module 'yaml'/);
    });

    it("without the runtime's AWS SDK (no NODE_PATH) the archive does not load: the SDK really is left to the runtime", async () => {
        const r = await runHandler({ env: w.env(), archiveDir: archive.dir, runtimeModules: path.join(tmp, "nowhere") });
        assert.equal(r.ok, false);
        assert.match(r.message ?? "", /Cannot find module '@aws-sdk\/client-(route-53|eks)/);
    });
});
