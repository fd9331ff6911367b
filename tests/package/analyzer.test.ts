// Multi-language check: Pulumi's component analyzer (what `pulumi package add` runs) turns every
// public component into a schema entry whose inputs and outputs match the TypeScript
// declarations and carry their documentation.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { Analyzer, AnalyzeResult } from "@pulumi/pulumi/provider/experimental/analyzer";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import { generateSchema } from "@pulumi/pulumi/provider/experimental/schema";
import { z } from "zod";
import { ARGS_SCHEMAS } from "../../components/schemas";
import { input } from "../../components/common/schema";
import { analyzerShape, propertyDifferences, zodShape } from "../support/schema-shape";

const root = path.resolve(__dirname, "../..");

interface Declared {
    inputs: Map<string, string>; // name -> JSDoc
    outputs: Map<string, string>;
    token?: string;
}

/** Reads each component's Args interface and public Output fields straight from the sources. */
function declaredComponents(names: string[]): Map<string, Declared> {
    const program = ts.createProgram([path.join(root, "index.ts")], { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: true });
    const checker = program.getTypeChecker();
    const found = new Map<string, Declared>();
    const doc = (sym: ts.Symbol) => ts.displayPartsToString(sym.getDocumentationComment(checker)).trim();
    for (const sf of program.getSourceFiles()) {
        if (!sf.fileName.startsWith(path.join(root, "components"))) continue;
        ts.forEachChild(sf, (node) => {
            if (!ts.isClassDeclaration(node) || !node.name || !names.includes(node.name.text)) return;
            const ctor = node.members.find(ts.isConstructorDeclaration)!;
            const argsParam = ctor.parameters.find((p) => p.name.getText(sf) === "args")!;
            const argsType = checker.getTypeAtLocation(argsParam.type!);
            const inputs = new Map(argsType.getProperties().map((p) => [p.name, doc(p)] as [string, string]));
            const outputs = new Map<string, string>();
            for (const m of node.members) {
                if (!ts.isPropertyDeclaration(m) || !m.name) continue;
                const mods = ts.getCombinedModifierFlags(m);
                if (mods & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
                const sym = checker.getSymbolAtLocation(m.name)!;
                outputs.set(m.name.getText(sf), doc(sym));
            }
            const superCall = /super\(\s*"([^"]+)"/.exec(ctor.getText(sf));
            found.set(node.name.text, { inputs, outputs, token: superCall?.[1] });
        });
    }
    return found;
}

describe("package: Pulumi component analyzer (multi-language schema)", function () {
    this.timeout(180_000);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const components = getPulumiComponents(require(path.join(root, "components")));
    const names = components.map((c) => c.name).sort();
    let result: AnalyzeResult;
    let declared: Map<string, Declared>;

    before(() => {
        result = new Analyzer(root, "cloud-cnc", pkg, new Set(names)).analyze();
        declared = declaredComponents(names);
    });

    it("finds public components exported from components/index.ts", () => {
        assert.ok(names.length >= 1, "components/index.ts exports no ComponentResource");
        assert.deepEqual(Object.keys(result.components).sort(), names);
    });

    it("uses the type token cloud-cnc:index:<ClassName> for every component", () => {
        for (const name of names) {
            assert.equal(declared.get(name)?.token, `cloud-cnc:index:${name}`, `${name} registers with another token`);
        }
    });

    it("lists every Args field as a documented input and every public field as a documented output", () => {
        for (const name of names) {
            const schema = result.components[name];
            const decl = declared.get(name)!;
            assert.deepEqual(Object.keys(schema.inputs).sort(), [...decl.inputs.keys()].sort(), `${name} inputs`);
            assert.deepEqual(Object.keys(schema.outputs).sort(), [...decl.outputs.keys()].sort(), `${name} outputs`);
            for (const [field, text] of [...decl.inputs, ...decl.outputs]) {
                assert.ok(text.length > 0, `${name}.${field} has no doc comment`);
            }
            for (const [field, prop] of [...Object.entries(schema.inputs), ...Object.entries(schema.outputs)]) {
                assert.ok(prop.description && prop.description.length > 0, `${name}.${field} has no description in the schema`);
            }
            assert.ok(Object.keys(schema.outputs).length > 0, `${name} has no outputs`);
        }
    });

    it("one rule book: every component's zod args schema has exactly the keys, types, optionality and Input-ness of its Args interface", () => {
        const spec = generateSchema("cloud-cnc", pkg.version, pkg.description, result.components, result.typeDefinitions, result.dependencies);
        const types = spec.types ?? {};
        const differences: string[] = [];
        for (const name of names.filter((n) => n in ARGS_SCHEMAS)) {
            const resource = (spec.resources as Record<string, any>)[`cloud-cnc:index:${name}`];
            const required = new Set<string>(resource.requiredInputs ?? []);
            const fromArgs = Object.fromEntries(Object.entries(resource.inputProperties as Record<string, any>).map(([k, v]) => [k, { ...analyzerShape(v, types), optional: !required.has(k) }]));
            differences.push(...propertyDifferences(name, zodShape(ARGS_SCHEMAS[name]).properties!, fromArgs));
        }
        assert.deepEqual(differences, []);
        assert.deepEqual(Object.keys(ARGS_SCHEMAS).sort(), names, "components/schemas.ts lists every public component");
    });

    it("the agreement check catches a field added to one side only, a changed type, optionality or Input-ness", () => {
        const spec = generateSchema("cloud-cnc", pkg.version, pkg.description, result.components, result.typeDefinitions, result.dependencies);
        const resource = (spec.resources as Record<string, any>)["cloud-cnc:index:ThanosFederation"];
        const required = new Set<string>(resource.requiredInputs ?? []);
        const fromArgs = Object.fromEntries(Object.entries(resource.inputProperties as Record<string, any>).map(([k, v]) => [k, { ...analyzerShape(v, spec.types ?? {}), optional: !required.has(k) }]));
        const base = ARGS_SCHEMAS.ThanosFederation;
        const cases: [z.ZodObject, RegExp][] = [
            [base.extend({ retentionDays: z.number().optional() }), /^retentionDays: in the zod schema, not in the Args interface$/],
            [base.omit({ storageClassName: true }), /^storageClassName: in the Args interface, not in the zod schema$/],
            [base.extend({ createNamespace: z.string().optional() }), /^createNamespace: the zod schema says optional string, the Args interface says optional boolean$/],
            [base.extend({ bucketRegion: z.string().optional() }), /^bucketRegion: the zod schema says optional string, the Args interface says required string$/],
            [base.extend({ clusterId: input(z.string()) }), /^clusterId: the zod schema says required Input<string>, the Args interface says required string$/],
            [base.extend({ grafana: z.object({ storageSize: z.number().optional() }).optional() }), /^grafana\.storageSize: the zod schema says optional number, the Args interface says optional string$/],
            [base.extend({ grafana: z.object({ storageSize: z.string() }).optional() }), /^grafana\.storageSize: the zod schema says required string, the Args interface says optional string$/],
        ];
        for (const [schema, expected] of cases) {
            const differences = propertyDifferences("", zodShape(schema).properties!, fromArgs);
            assert.ok(differences.some((d) => expected.test(d)), `${expected}: got ${differences.join("; ")}`);
        }
    });

    it("generates a package schema with each component as a component resource", () => {
        const spec = generateSchema("cloud-cnc", pkg.version, pkg.description, result.components, result.typeDefinitions, result.dependencies);
        for (const name of names) {
            const resource = (spec.resources as Record<string, any>)[`cloud-cnc:index:${name}`];
            assert.ok(resource, `schema has no resource cloud-cnc:index:${name}`);
            assert.equal(resource.isComponent, true);
            const required: string[] = resource.requiredInputs ?? [];
            for (const r of required) assert.ok(r in resource.inputProperties, `${name}: required input ${r} is not an input`);
        }
        // Nested argument shapes become named object types of the package.
        for (const [token, type] of Object.entries(spec.types ?? {})) {
            assert.match(token, /^cloud-cnc:index:/);
            assert.equal((type as any).type, "object");
        }
    });
});
