// The real tools on what WorkloadClusterMonitoring renders, in both modes and both identities:
// checkov on its Kubernetes objects (the Helm releases are outside the scan), parliament on its
// IAM identity policies. Findings beyond the repo's accepted list (tests/support/policy-findings.ts) fail.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { CHECKOV_ACCEPTED, PARLIAMENT_ACCEPTED } from "../support/policy-findings";
import { args, build } from "../support/workload-fixtures";

const bin = (name: string) => path.resolve(__dirname, "../../.venv/bin", name);

describe("WorkloadClusterMonitoring: checkov and parliament", function () {
    this.timeout(300_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workload-tools-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    before(async () => {
        fs.mkdirSync(path.join(dir, "k8s"));
        fs.mkdirSync(path.join(dir, "iam"));
        const variants = [
            args(),
            args({ mode: "prometheus-federation" }),
            args({ identity: { kind: "pod-identity", clusterName: "customer-eu-1", targetRoleArn: "arn:aws:iam::210987654321:role/cloud-prod-metrics-writer" }, logging: { endpoint: "vpc-x.eu-west-1.es.amazonaws.com", region: "eu-west-1", domainArn: "arn:aws:es:eu-west-1:210987654321:domain/cloud-prod-logs", roleArn: "arn:aws:iam::210987654321:role/cloud-prod-log-writer" } }),
        ];
        for (const [i, a] of variants.entries()) {
            const { rec } = await build(a);
            for (const r of rec.resources) {
                if (r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh") && r.inputs.kind) fs.writeFileSync(path.join(dir, "k8s", `${i}-${r.inputs.kind}-${r.name}.yaml`), YAML.stringify(r.inputs));
                if (r.type === "aws:iam/rolePolicy:RolePolicy") fs.writeFileSync(path.join(dir, "iam", `${i}-${r.name}.json`), r.inputs.policy);
            }
        }
    });

    it("checkov passes every Kubernetes check on its objects but the repo's accepted ones; the leaf Query passes the workload checks", () => {
        assert.ok(fs.existsSync(bin("checkov")), "run scripts/setup-python.sh");
        assert.ok(fs.readdirSync(path.join(dir, "k8s")).length >= 8);
        const run = spawnSync(bin("checkov"), ["-d", path.join(dir, "k8s"), "--framework", "kubernetes", "-o", "json", "--compact", "--skip-download"], { encoding: "utf8", env: { ...process.env, BC_SKIP_MAPPING: "TRUE" }, maxBuffer: 64 * 1024 * 1024 });
        assert.ok(run.stdout.trim().startsWith("{"), `checkov printed no report (exit ${run.status}): ${run.stderr.slice(-2000)}`);
        const report = JSON.parse(run.stdout) as { results: { passed_checks: Array<{ check_id: string; resource: string }>; failed_checks: Array<{ check_id: string; resource: string }> } };
        assert.deepEqual(report.results.failed_checks.filter((f) => !(f.check_id in CHECKOV_ACCEPTED)).map((f) => `${f.check_id} ${f.resource}`), []);
        const leaf = report.results.passed_checks.filter((p) => /thanos-query-leaf/.test(p.resource)).map((p) => p.check_id);
        for (const id of ["CKV_K8S_8", "CKV_K8S_9", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13", "CKV_K8S_20", "CKV_K8S_22", "CKV_K8S_28", "CKV_K8S_37"]) assert.ok(leaf.includes(id), `${id} did not pass on the leaf Query`);
    });

    it("parliament finds nothing in its identity policies beyond the accepted findings", () => {
        assert.ok(fs.existsSync(bin("parliament")), "run scripts/setup-python.sh");
        assert.ok(fs.readdirSync(path.join(dir, "iam")).length >= 3);
        const out = spawnSync(bin("parliament"), ["--directory", path.join(dir, "iam"), "--json"], { encoding: "utf8" });
        assert.equal(out.error, undefined);
        const findings = out.stdout
            .split("\n")
            .filter((l) => l.trim().startsWith("{"))
            .map((l) => JSON.parse(l) as { issue: string; severity: string; detail: unknown; location: { filepath?: string } });
        assert.deepEqual(
            findings.filter((f) => !PARLIAMENT_ACCEPTED.some((a) => a.issue === f.issue && a.detail.test(JSON.stringify(f.detail)))).map((f) => `${f.severity} ${f.issue} ${JSON.stringify(f.detail)} in ${path.basename(f.location.filepath ?? "?")}`),
            [],
        );
    });
});
