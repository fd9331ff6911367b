// SECURITY.md: every control row links a test that exists (file and title) and a policy rule of the pack.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../policy/rules";

const root = path.resolve(__dirname, "../..");

describe("SECURITY.md", () => {
    const text = fs.readFileSync(path.join(root, "SECURITY.md"), "utf8");
    const rows = text.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| control") && !l.startsWith("|---"));

    it("has a control row for each of the original system's weaknesses, and the threat model and reporting sections", () => {
        assert.ok(rows.length >= 12, `${rows.length} rows`);
        for (const original of ["static AWS access keys", "system:masters", "dashboard bound to cluster-admin", "public API endpoint", "plain Terraform variables"]) assert.ok(rows.some((r) => r.includes(original)), original);
        assert.match(text, /## Threat model/);
        assert.match(text, /## Reporting a vulnerability/);
    });

    it("every linked test exists with that title, and every named rule is a rule of the pack", () => {
        const names = new Set(RULES.map((r) => r.policy.name));
        let links = 0;
        for (const row of rows) {
            for (const m of row.matchAll(/`(tests\/[^`]+\.test\.ts)` "([^"]+)"/g)) {
                links++;
                const file = path.join(root, m[1]);
                assert.ok(fs.existsSync(file), m[1]);
                const source = fs.readFileSync(file, "utf8");
                const title = m[2];
                // Titles built from a loop (`${stack}: ...`, `${rule.policy.name}: ...`) match their template.
                const literal = source.includes(title);
                const templated = /^(dev|prod|staging): /.test(title) ? source.includes(title.replace(/^(dev|prod|staging): /, "${stack}: ")) : /^[a-z0-9-]+: passes the good fixture/.test(title) && names.has(title.split(":")[0]) && source.includes("${rule.policy.name}: passes the good fixture, reports the bad one");
                assert.ok(literal || templated, `${m[1]} has no test "${title}"`);
            }
            for (const m of row.matchAll(/rules? ((?:`[a-z0-9-]+`(?:, | and |\))?)+)/g)) for (const r of m[1].matchAll(/`([a-z0-9-]+)`/g)) assert.ok(names.has(r[1]), `no rule ${r[1]}`);
        }
        assert.ok(links >= rows.length, `${links} test links for ${rows.length} rows`);
    });
});
