// checkov (the repo's venv, scripts/setup-python.sh) on the Kubernetes objects AppIngress renders
// with everything on: Ingresses of both groups, the OIDC Secrets, the LB controller's Roles and
// RoleBindings, Headlamp's namespace and read-only ClusterRole/Binding (its chart is a Helm
// release, outside the scan). Every failed check must be listed below with its reason.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { MONITORING_APPS, args, build } from "../support/app-ingress-fixtures";

const checkov = path.resolve(__dirname, "../../.venv/bin/checkov");

/** Findings accepted on these manifests, each for a stated reason. */
const ACCEPTED: Record<string, string> = {};

describe("AppIngress manifests: checkov", function () {
    this.timeout(300_000);

    it("passes every Kubernetes check on the Ingresses, Secrets and RBAC (incl. CKV2_K8S_5 read-all-secrets, CKV_K8S_49 wildcards)", async () => {
        assert.ok(fs.existsSync(checkov), `${checkov} is missing: run scripts/setup-python.sh`);
        const apps = MONITORING_APPS.map((a) => (a.name === "grafana" ? { ...a, public: true } : { ...a }));
        const { rec } = await build(args({ apps, headlamp: { enabled: true, adminGroups: ["cnc-admins"] } }));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "app-ingress-checkov-"));
        try {
            let n = 0;
            for (const r of rec.resources) {
                if (r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh") && r.inputs.kind) {
                    fs.writeFileSync(path.join(dir, `${r.inputs.kind}-${r.name}.yaml`), YAML.stringify(r.inputs));
                    n++;
                }
            }
            assert.ok(n >= 10, `only ${n} manifests rendered`);
            const run = spawnSync(checkov, ["-d", dir, "--framework", "kubernetes", "-o", "json", "--compact", "--skip-download"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
            assert.ok(run.stdout.trim().startsWith("{"), `checkov printed no report (exit ${run.status}): ${run.stderr.slice(-2000)}`);
            const report = JSON.parse(run.stdout) as { results: { passed_checks: Array<{ check_id: string }>; failed_checks: Array<{ check_id: string; file_path: string; check_name: string }> } };
            const failed = report.results.failed_checks.filter((f) => !(f.check_id in ACCEPTED));
            assert.deepEqual(failed.map((f) => `${f.check_id} ${f.check_name} ${f.file_path}`), []);
            const passed = new Set(report.results.passed_checks.map((p) => p.check_id));
            for (const id of ["CKV2_K8S_5", "CKV_K8S_49"]) assert.ok(passed.has(id), `${id} did not run (passed: ${[...passed].join(", ")})`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
