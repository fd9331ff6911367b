// DESIGN section 4: no resource is created inside `apply`. A resource registered in an apply
// callback shows in no preview until its inputs resolve, and breaks the dependency graph. The
// scan reads every file that creates resources (components, their shared helpers, the stacks).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const root = path.resolve(__dirname, "../..");

/** `new X(...)` and `createX(...)` calls inside a function passed to `.apply(...)`. */
export function resourcesCreatedInApply(source: string, fileName = "index.ts"): string[] {
    const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
    const found: string[] = [];
    const creates = (node: ts.Node) => ts.isNewExpression(node) || (ts.isCallExpression(node) && /^create[A-Z]/.test(node.expression.getText(sf)));
    const visit = (node: ts.Node, inApply: boolean) => {
        if (inApply && creates(node)) found.push(node.getText(sf).slice(0, 80));
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "apply") {
            visit(node.expression, inApply);
            for (const a of node.arguments) visit(a, true);
            return;
        }
        ts.forEachChild(node, (child) => visit(child, inApply));
    };
    visit(sf, false);
    return found;
}

/** Every source file that may create resources. */
function resourceFiles(): string[] {
    const files: string[] = [];
    for (const dir of ["components", "stacks"]) {
        const walk = (d: string) => {
            for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                const p = path.join(d, e.name);
                if (e.isDirectory()) walk(p);
                else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) files.push(p);
            }
        };
        walk(path.join(root, dir));
    }
    return files;
}

describe("no resource is created inside apply", () => {
    it("holds in every component, shared helper and stack file", () => {
        const files = resourceFiles();
        assert.ok(files.some((f) => f.endsWith(path.join("dns-registrar", "index.ts"))) && files.length > 20, "the scan does not see the components");
        const offenders = files.flatMap((f) => resourcesCreatedInApply(fs.readFileSync(f, "utf8"), f).map((o) => `${path.relative(root, f)}: ${o}`));
        assert.deepEqual(offenders, []);
    });

    it("the scan finds a resource or a create* helper inside an apply, and nothing outside one", () => {
        assert.deepEqual(resourcesCreatedInApply("const x = y.apply((v) => new aws.s3.Bucket(`b-${v}`, {}));"), ["new aws.s3.Bucket(`b-${v}`, {})"]);
        assert.deepEqual(resourcesCreatedInApply("pulumi.all([a]).apply(([v]) => { const r = new aws.iam.Role('r', {}); return r.arn; });"), ["new aws.iam.Role('r', {})"]);
        assert.deepEqual(resourcesCreatedInApply("region.apply((r) => createIrsaRole(`x-${r}`, {}, {}));"), ["createIrsaRole(`x-${r}`, {}, {})"]);
        assert.deepEqual(resourcesCreatedInApply("const b = new aws.s3.Bucket('b', { tags: y.apply((v) => ({ v })) });"), []);
    });
});
