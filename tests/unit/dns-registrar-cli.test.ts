import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { printable, runCli, USAGE } from "../../functions/dns-registrar/cli";

const DUMP = {
    ResourceRecordSets: [
        { Name: "fleet.internal.", Type: "SOA", TTL: 900, ResourceRecords: [{ Value: "ns. admin. 1 7200 900 1209600 86400" }] },
        { Name: "fleet.internal.", Type: "NS", TTL: 172800, ResourceRecords: [{ Value: "ns-1.awsdns-00.org." }] },
        { Name: "C2-grpc.fleet.internal.", Type: "A", AliasTarget: { HostedZoneId: "Z26RNL4JYFTOTI", DNSName: "internal-nlb.elb.amazonaws.com.", EvaluateTargetHealth: false } },
        { Name: "c1-grpc.fleet.internal.", Type: "CNAME", TTL: 60, ResourceRecords: [{ Value: "nlb-1.elb.amazonaws.com" }] },
        { Name: "c1.fleet.internal.", Type: "A", TTL: 60, ResourceRecords: [{ Value: "10.1.0.10" }] },
        { Name: "\\052.fleet.internal.", Type: "A", TTL: 60, ResourceRecords: [{ Value: "10.1.0.11" }] },
    ],
    IsTruncated: false,
    MaxItems: "300",
};

function run(argv: string[], files: Record<string, string> = {}) {
    let stdout = "";
    let stderr = "";
    const code = runCli(argv, {
        readFile: (p) => {
            if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
            return files[p];
        },
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
    });
    return { code, stdout, stderr };
}

describe("dns-registrar CLI", () => {
    it("prints what the registrar would write, zones defaulting to the dump's SOA", () => {
        const r = run(["plan", "zone.json"], { "zone.json": JSON.stringify(DUMP) });
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(out), ["thanosEndpoints", "prometheusTargets", "probes", "leafQueryTargets"]);
        assert.equal(out.thanosEndpoints, "endpoints:\n  - address: c1-grpc.fleet.internal:10901\n  - address: c2-grpc.fleet.internal:10901\n");
        assert.deepEqual(out.prometheusTargets, [
            { targets: ["c1.fleet.internal:9090"], labels: { clusterID: "c1" } },
            { targets: ["prometheus-operated.monitoring.svc:9090"], labels: { clusterID: "command-control" } },
        ]);
        assert.deepEqual(out.probes, []);
        // c1 has a leaf Query HTTP name next to its gRPC one; C2 only the gRPC one.
        assert.deepEqual(out.leafQueryTargets, [{ targets: ["c1.fleet.internal:80"], labels: { registered_cluster: "c1" } }]);
        assert.match(r.stderr, /^skipped \*\.fleet\.internal A \[thanos\]: wildcard name$/m);
    });

    it("takes zones and the gRPC port as options; accepts the bare ResourceRecordSets array", () => {
        const r = run(["plan", "z.json", "--thanos-zone", "fleet.internal.", "--prometheus-zone=other.internal", "--installations-zone", "fleet.internal", "--grpc-port", "443"], { "z.json": JSON.stringify(DUMP.ResourceRecordSets) });
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.match(out.thanosEndpoints, /c1-grpc\.fleet\.internal:443/);
        assert.deepEqual(out.prometheusTargets.map((g: { targets: string[] }) => g.targets[0]), ["prometheus-operated.monitoring.svc:9090"]);
        assert.deepEqual(out.probes.map((g: { targets: string[] }) => g.targets[0]), [
            "https://c1-grpc.fleet.internal/api/v4/system/ping",
            "https://c1.fleet.internal/api/v4/system/ping",
            "https://c2-grpc.fleet.internal/api/v4/system/ping",
        ]);
    });

    it("bad input: one line on stderr and a non-zero exit", () => {
        const cases: [string[], Record<string, string>, number, RegExp][] = [
            [["plan", "missing.json"], {}, 1, /^dns-registrar: missing\.json: cannot read \(ENOENT\)\n$/],
            [["plan", "x.json"], { "x.json": "{not json" }, 1, /^dns-registrar: x\.json: not JSON \(.+\)\n$/],
            [["plan", "x.json"], { "x.json": '{"Records": []}' }, 1, /^dns-registrar: x\.json: expected a ListResourceRecordSets response .*\n$/],
            [["plan", "x.json"], { "x.json": '[{"Name": "a.b."}]' }, 1, /^dns-registrar: x\.json: ResourceRecordSets\[0\]\.Type: expected a record type such as A, found undefined\n$/],
            [["plan", "x.json"], { "x.json": '[{"Name": "a.b.", "Type": "A"}]' }, 1, /^dns-registrar: x\.json: cannot tell the zone \(no SOA record\); pass --thanos-zone and --prometheus-zone\n$/],
            [["plan", "x.json", "--grpc-port", "nope"], {}, 2, /^dns-registrar: --grpc-port: expected a port from 1 to 65535, found "nope"\n$/],
            [["plan", "x.json", "--thanos-zone"], {}, 2, /^dns-registrar: --thanos-zone needs a value; usage: /],
            [["plan", "x.json", "--bogus"], {}, 2, /^dns-registrar: unknown option --bogus; usage: /],
            [["apply"], {}, 2, /^dns-registrar: unknown command "apply"; usage: /],
            [[], {}, 2, new RegExp(`^dns-registrar: ${USAGE.replace(/[[\]().*+?]/g, "\\$&")}\n$`)],
        ];
        for (const [argv, files, code, re] of cases) {
            const r = run(argv, files);
            assert.equal(r.code, code, argv.join(" "));
            assert.match(r.stderr, re, argv.join(" "));
            assert.equal(r.stderr.split("\n").filter(Boolean).length, 1, "one line");
            assert.equal(r.stdout, "");
        }
    });

    it("runs as a command (ts-node), exit codes included", function () {
        this.timeout(60_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "registrar-cli-"));
        const file = path.join(dir, "zone.json");
        fs.writeFileSync(file, JSON.stringify(DUMP));
        const cli = path.resolve(__dirname, "../../functions/dns-registrar/cli.ts");
        const env = { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" };
        const ok = spawnSync(process.execPath, ["-r", "ts-node/register", cli, "plan", file], { env, encoding: "utf8" });
        assert.equal(ok.status, 0, ok.stderr);
        assert.match(JSON.parse(ok.stdout).thanosEndpoints, /c2-grpc\.fleet\.internal:10901/);
        fs.writeFileSync(file, "[");
        const bad = spawnSync(process.execPath, ["-r", "ts-node/register", cli, "plan", file], { env, encoding: "utf8" });
        assert.equal(bad.status, 1);
        assert.match(bad.stderr, /^dns-registrar: .*zone\.json: not JSON/);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("escapes control characters in every human-readable line: a record name cannot forge a line", () => {
        const dump = { ResourceRecordSets: [...DUMP.ResourceRecordSets, { Name: "evil\\012skipped ok-grpc.fleet.internal A [thanos]: fine.fleet.internal.", Type: "A", TTL: 60, ResourceRecords: [{ Value: "10.1.0.12" }] }] };
        const r = run(["plan", "zone.json"], { "zone.json": JSON.stringify(dump) });
        assert.equal(r.code, 0, r.stderr);
        for (const line of r.stderr.split("\n").filter((l) => l !== "")) assert.match(line, /^skipped /, `an injected line: ${JSON.stringify(line)}`);
        assert.match(r.stderr, /evil\\x0askipped ok-grpc/);
        assert.equal(printable("a\nb\u2028c\u202ed\u0007"), "a\\x0ab\\u2028c\\u202ed\\x07");
        // A file name with a newline in an error line.
        const missing = run(["plan", "no\nsuch.json"]);
        assert.equal(missing.stderr.split("\n").filter((l) => l !== "").length, 1);
    });

    it("prints the same bytes under LANG=C and LANG=da_DK.UTF-8 (no locale-dependent sort)", function () {
        this.timeout(60_000);
        // In Danish collation "aa" sorts after "z": a localeCompare sort would reorder these targets.
        const dump = {
            ResourceRecordSets: [
                { Name: "fleet.internal.", Type: "SOA", TTL: 900, ResourceRecords: [{ Value: "ns. admin. 1 7200 900 1209600 86400" }] },
                { Name: "zz1.fleet.internal.", Type: "A", TTL: 60, ResourceRecords: [{ Value: "10.1.0.1" }] },
                { Name: "aa1.fleet.internal.", Type: "A", TTL: 60, ResourceRecords: [{ Value: "10.1.0.2" }] },
                { Name: "zz1-grpc.fleet.internal.", Type: "A", TTL: 60, ResourceRecords: [{ Value: "10.1.0.3" }] },
                { Name: "aa1-grpc.fleet.internal.", Type: "A", TTL: 60, ResourceRecords: [{ Value: "10.1.0.4" }] },
            ],
        };
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "registrar-locale-"));
        const file = path.join(dir, "zone.json");
        fs.writeFileSync(file, JSON.stringify(dump));
        const cli = path.join(__dirname, "../../functions/dns-registrar/cli.ts");
        const outputs = ["C", "da_DK.UTF-8"].map((lang) => {
            const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", cli, "plan", file], { encoding: "utf8", env: { ...process.env, LANG: lang, LC_ALL: lang } });
            assert.equal(r.status, 0, r.stderr);
            return r.stdout;
        });
        fs.rmSync(dir, { recursive: true, force: true });
        assert.equal(outputs[1], outputs[0]);
        const targets = JSON.parse(outputs[0]).prometheusTargets.map((g: { targets: string[] }) => g.targets[0]);
        assert.ok(targets.indexOf("aa1.fleet.internal:9090") < targets.indexOf("zz1.fleet.internal:9090"));
    });
});
