// Real tools on what the dev and prod stacks render: parliament on every IAM identity policy,
// checkov on every Kubernetes manifest (Helm charts aside). Both from the repo's venv
// (scripts/setup-python.sh). A finding that is not listed below, with its reason, fails.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { Recorder, runProgram, setupPulumi } from "../support/pulumi-harness";
import { stackTestConfig } from "../support/stack-files";
import { CHECKOV_ACCEPTED, PARLIAMENT_ACCEPTED } from "../support/policy-findings";

const root = path.resolve(__dirname, "../..");
const venvBin = path.join(root, ".venv", "bin");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = require("../../stacks");

/** Identity-policy resource types and the input holding the document. */
const IAM_DOCUMENTS: Record<string, string> = { "aws:iam/rolePolicy:RolePolicy": "policy", "aws:iam/policy:Policy": "policy" };

/** Checks that must pass on every workload: probes, resources, pinned tags, locked-down containers. */
const REQUIRED_ON_EVERY_WORKLOAD = ["CKV_K8S_8", "CKV_K8S_9", "CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13", "CKV_K8S_14", "CKV_K8S_20", "CKV_K8S_22", "CKV_K8S_23", "CKV_K8S_28", "CKV_K8S_37"];

function tool(name: string): string {
    const bin = path.join(venvBin, name);
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run scripts/setup-python.sh (it installs ${name} from requirements-dev.txt)`);
    return bin;
}

async function render(stack: "dev" | "prod"): Promise<Recorder> {
    const rec = await setupPulumi({ ...stackTestConfig(stack), stack });
    await runProgram(program);
    return rec;
}

describe("real tools on the rendered stacks: parliament (IAM) and checkov (Kubernetes)", function () {
    this.timeout(300_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloud-cnc-lint-"));
    const rendered: Partial<Record<"dev" | "prod", Recorder>> = {};

    before(async () => {
        rendered.dev = await render("dev");
        rendered.prod = await render("prod");
        for (const [stack, rec] of Object.entries(rendered)) {
            fs.mkdirSync(path.join(dir, stack, "iam"), { recursive: true });
            fs.mkdirSync(path.join(dir, stack, "k8s"), { recursive: true });
            for (const r of rec!.resources) {
                const field = IAM_DOCUMENTS[r.type];
                if (field) fs.writeFileSync(path.join(dir, stack, "iam", `${r.name}.json`), typeof r.inputs[field] === "string" ? r.inputs[field] : JSON.stringify(r.inputs[field]));
                if (r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh") && r.inputs.kind) {
                    fs.writeFileSync(path.join(dir, stack, "k8s", `${r.name}.yaml`), YAML.stringify(r.inputs));
                }
            }
        }
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: parliament finds nothing in the identity policies beyond the accepted findings`, () => {
            const policies = fs.readdirSync(path.join(dir, stack, "iam"));
            assert.ok(policies.length >= 10, `only ${policies.length} identity policies rendered`);
            const out = spawnSync(tool("parliament"), ["--directory", path.join(dir, stack, "iam"), "--json"], { encoding: "utf8" });
            assert.equal(out.error, undefined);
            const findings = out.stdout
                .split("\n")
                .filter((l) => l.trim().startsWith("{"))
                .map((l) => JSON.parse(l) as { issue: string; severity: string; detail: unknown; location: { filepath?: string } });
            const unexpected = findings.filter(
                (f) => f.issue !== "RESOURCE_STAR" && !PARLIAMENT_ACCEPTED.some((a) => a.issue === f.issue && a.detail.test(JSON.stringify(f.detail))),
            );
            assert.deepEqual(
                unexpected.map((f) => `${f.severity} ${f.issue} ${JSON.stringify(f.detail)} in ${path.basename(f.location.filepath ?? "?")}`),
                [],
            );
        });

        it(`${stack}: checkov passes every Kubernetes check on the rendered manifests but the accepted ones`, () => {
            // checkov exits 1 when any check fails; the result is judged below. --skip-download
            // keeps it offline (no guideline or policy download).
            const run = spawnSync(tool("checkov"), ["-d", path.join(dir, stack, "k8s"), "--framework", "kubernetes", "-o", "json", "--compact", "--skip-download"], {
                encoding: "utf8",
                env: { ...process.env, BC_SKIP_MAPPING: "TRUE" },
                maxBuffer: 64 * 1024 * 1024,
            });
            assert.ok(run.stdout.trim().startsWith("{"), `checkov printed no report (exit ${run.status}): ${run.stderr.slice(-2000)}`);
            const report = JSON.parse(run.stdout) as { results: { passed_checks: Array<{ check_id: string; resource: string }>; failed_checks: Array<{ check_id: string; resource: string }> } };
            const failed = report.results.failed_checks.filter((f) => !(f.check_id in CHECKOV_ACCEPTED));
            assert.deepEqual(failed.map((f) => `${f.check_id} ${f.resource}`), []);
            const workloads = [...new Set(report.results.passed_checks.filter((p) => p.check_id === "CKV_K8S_8").map((p) => p.resource))];
            const expectedWorkloads = rendered[stack]!.resources.filter((r) => ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"].includes(r.type)).length;
            assert.equal(workloads.length, expectedWorkloads, "every Deployment/StatefulSet was checked");
            for (const check of REQUIRED_ON_EVERY_WORKLOAD) {
                const passedOn = new Set(report.results.passed_checks.filter((p) => p.check_id === check).map((p) => p.resource));
                for (const w of workloads) assert.ok(passedOn.has(w), `${check} did not pass on ${w}`);
            }
        });
    }
});
