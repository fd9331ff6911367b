// The OpenSearch bootstrap's Lambda archive, built exactly as CallbackFunction builds it, run from
// its own directory in a separate Node process (the Lambda runtime's major when available) against
// the OpenSearch test server. No NODE_PATH: the handler needs no AWS SDK client, so everything it
// loads must be in the archive.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BOOTSTRAP_EXCLUDED_PACKAGES, BOOTSTRAP_HANDLER_PACKAGES } from "../../components/logging/plan";
import { renderDesiredState } from "../../components/logging/render";
import { bootstrapEvent } from "../../functions/opensearch-bootstrap/contract";
import { BuiltArchive, REPO_ROOT, buildBootstrapArchive, invokeArchive } from "../support/opensearch-archive";
import { OpenSearchTestServer, TEST_CREDENTIALS, TEST_REGION, startOpenSearchServer } from "../support/opensearch-server";

describe("opensearch-bootstrap artifact: the CallbackFunction archive runs on its own", function () {
    this.timeout(240_000);
    let tmp: string;
    let archive: BuiltArchive;
    let server: OpenSearchTestServer;
    let eventFile: string;
    const env = () => ({
        AWS_REGION: TEST_REGION,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: TEST_CREDENTIALS.sessionToken,
        BOOTSTRAP_RETRY_DELAY_MS: "5",
    });

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "opensearch-bootstrap-artifact-"));
        const cwd = process.cwd();
        process.chdir(REPO_ROOT); // computeCodePaths reads ./package.json, as a Pulumi program does
        try {
            archive = await buildBootstrapArchive(path.join(tmp, "task"));
        } finally {
            process.chdir(cwd);
        }
        server = await startOpenSearchServer();
        eventFile = path.join(tmp, "event.json");
        fs.writeFileSync(eventFile, JSON.stringify(bootstrapEvent(server.url, renderDesiredState({ retentionDays: 30, replicas: 1, writerRoleArns: ["arn:aws:iam::123456789012:role/fb"], readerRoleArns: [] }))));
        console.log(`      archive: ${archive.files} files, ${(archive.bytes / 1024).toFixed(0)} KiB unzipped, ${(archive.zipBytes / 1024).toFixed(0)} KiB zipped, __index.js ${archive.indexBytes} bytes, packages: ${archive.packages.join(" ")}`);
    });
    after(async () => {
        await server?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("bundles the signer and nothing it must not carry", () => {
        for (const p of BOOTSTRAP_HANDLER_PACKAGES) assert.ok(archive.packages.includes(p), `${p} bundled`);
        for (const p of BOOTSTRAP_EXCLUDED_PACKAGES) assert.ok(!archive.packages.includes(p), `${p} not bundled`);
        assert.deepEqual(archive.packages.filter((p) => p.startsWith("@pulumi/") || p.startsWith("@aws-sdk/client-") || p.startsWith("@kubernetes/") || p === "yaml" || p === "zod"), []);
        assert.ok(archive.zipBytes < 5 * 1024 * 1024, `small: ${archive.zipBytes} bytes zipped`);
        const index = fs.readFileSync(path.join(archive.dir, "__index.js"), "utf8");
        assert.match(index, /exports\.handler = __createBootstrapHandler\(\);/);
        assert.doesNotMatch(index, /require\("@pulumi\//, "no Pulumi at run time");
        assert.doesNotMatch(index, new RegExp(REPO_ROOT.replace(/[/.]/g, "\\$&")), "no path of the build machine captured");
        assert.doesNotMatch(index, /https?:\/\/127\.0\.0\.1:\d+/, "no test endpoint captured");
    });

    it("runs from its own directory: first run creates everything, a second process changes nothing", async () => {
        const first = await invokeArchive(archive.dir, eventFile, env());
        assert.ok(first.ok, `${JSON.stringify(first.runs)} ${first.message ?? ""} ${first.stderr}`);
        // (No index exists yet: none is behind the policy.)
        assert.ok(first.runs[0].summary.changes.every((c: any) => c.action === (c.kind === "audit-config" ? "updated" : c.kind === "ism-managed-indices" ? "unchanged" : "created")));
        assert.ok(server.requests.every((r) => r.signature.ok), "every request correctly signed by the bundled signer");
        assert.equal(server.writes().length, 9);
        assert.ok(first.lines.some((l) => l.message === "bootstrap complete" && l.service === "opensearch-bootstrap"));

        server.clearRequests();
        const second = await invokeArchive(archive.dir, eventFile, env(), 2);
        assert.ok(second.ok, second.message);
        assert.deepEqual(server.writes(), []);
        assert.deepEqual(second.runs.map((r) => r.summary.changes.every((c: any) => c.action === "unchanged")), [true, true]);
        console.log(`      node ${path.basename(second.node)}: init ${second.initMs!.toFixed(0)} ms, unchanged run ${second.runs[1].ms.toFixed(0)} ms (10 signed GETs)`);
    });

    it("a 5xx fails the invocation with the request in the message", async () => {
        server.inject({ method: "GET", path: "/_plugins/_security/api/roles/cloud-cnc-log-writer", status: 500 });
        const r = await invokeArchive(archive.dir, eventFile, env());
        assert.equal(r.ok, false, JSON.stringify(r));
        assert.match(r.runs[0].message!, /^GET \/_plugins\/_security\/api\/roles\/cloud-cnc-log-writer failed: HTTP 500/);
        assert.ok(r.lines.some((l) => l.level === "ERROR" && String(l.error).includes("HTTP 500")));
    });

    it("a dependency missing from the bundle fails at init (the check is real)", async () => {
        const broken = path.join(tmp, "broken");
        fs.cpSync(archive.dir, broken, { recursive: true });
        fs.rmSync(path.join(broken, "node_modules", "@smithy", "signature-v4"), { recursive: true });
        const r = await invokeArchive(broken, eventFile, env());
        assert.equal(r.ok, false);
        assert.equal(r.phase, "init");
        assert.match(r.message ?? "", /Cannot find module '@smithy\/signature-v4[/']/);
    });
});
