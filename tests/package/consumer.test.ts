// Consumer check: the packed package, installed into a TypeScript project outside the repo,
// compiles and runs a program that imports and instantiates the components, and Pulumi's
// analyzer can read the installed package the way `pulumi package add` does.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

function run(cmd: string, args: string[], cwd: string): string {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
}

describe("package: consumer project outside the repo", function () {
    this.timeout(900_000);
    let dir: string;
    let packed: string[];

    before(() => {
        run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], root);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloud-cnc-consumer-"));
        const info = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], root))[0];
        packed = info.files.map((f: { path: string }) => f.path);
        const tarball = path.join(dir, info.filename);
        fs.writeFileSync(
            path.join(dir, "package.json"),
            JSON.stringify({ name: "consumer", private: true, version: "0.0.0", dependencies: { "cloud-cnc": `file:${tarball}`, "@pulumi/pulumi": pkg.dependencies["@pulumi/pulumi"] } }, null, 2),
        );
        run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], dir);
        fs.copyFileSync(path.join(root, "tests/fixtures/consumer/index.ts"), path.join(dir, "index.ts"));
        fs.writeFileSync(
            path.join(dir, "tsconfig.json"),
            JSON.stringify({ compilerOptions: { module: "node20", target: "ES2022", strict: true, outDir: "out", skipLibCheck: false, types: ["node"] }, files: ["index.ts"] }),
        );
        // @types/node normally arrives with the package's dependencies; link the repo's if not.
        if (!fs.existsSync(path.join(dir, "node_modules/@types/node"))) {
            fs.mkdirSync(path.join(dir, "node_modules/@types"), { recursive: true });
            fs.symlinkSync(path.join(root, "node_modules/@types/node"), path.join(dir, "node_modules/@types/node"));
        }
    });

    after(() => {
        if (dir && !process.env.KEEP_CONSUMER) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("ships compiled code, declarations, the sources the analyzer reads, the handler code and the plugin manifest, and no tests", () => {
        for (const f of ["dist/index.js", "dist/index.d.ts", "dist/components/index.js", "dist/components/index.d.ts", "index.ts", "components/index.ts", "tsconfig.json", "PulumiPlugin.yaml", "package.json"]) {
            assert.ok(packed.includes(f), `package lacks ${f}`);
        }
        assert.ok(packed.some((f) => f.startsWith("dist/functions/dns-registrar/")), "package lacks the compiled registrar handler");
        assert.ok(!packed.some((f) => /^(tests|stacks|\.github|scripts)\//.test(f)), "package ships test, stack or CI files");
    });

    it("compiles (strict, with the package's own declarations) and runs a program that instantiates components under mocks", () => {
        run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "."], dir);
        const out = run(process.execPath, ["out/index.js"], dir);
        const report = JSON.parse(out.trim().split("\n").pop()!);
        assert.deepEqual(report.components.sort(), report.expectedComponents.sort());
        assert.ok(report.resourceCount > 10, `only ${report.resourceCount} resources registered`);
        for (const [name, value] of Object.entries(report.outputs)) {
            assert.ok(typeof value === "string" && value.length > 0, `output ${name} is empty`);
        }
    });

    it("lets Pulumi's analyzer read the installed package as `pulumi package add` does", () => {
        const script = `
            const { Analyzer } = require("@pulumi/pulumi/provider/experimental/analyzer");
            const { getPulumiComponents } = require("@pulumi/pulumi/provider/experimental/provider");
            const dir = require("path").dirname(require.resolve("cloud-cnc/package.json"));
            const names = getPulumiComponents(require("cloud-cnc")).map((c) => c.name);
            const r = new Analyzer(dir, "cloud-cnc", require("cloud-cnc/package.json"), new Set(names)).analyze();
            console.log(JSON.stringify({ names, found: Object.keys(r.components) }));`;
        const out = JSON.parse(run(process.execPath, ["-e", script], dir).trim());
        assert.ok(out.names.length >= 1);
        assert.deepEqual(out.found.sort(), out.names.sort());
    });
});
