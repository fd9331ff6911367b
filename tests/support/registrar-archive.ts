// The DnsRegistrar's Lambda code archive (built as CallbackFunction builds it, see
// callback-archive.ts) and the runtime-provided modules the Lambda environment adds beside it.
import * as fs from "fs";
import * as path from "path";
import { createRegistrarHandler } from "../../functions/dns-registrar/lambda";
import { registrarCodePathOptions } from "../../components/dns-registrar/plan";
import { BuiltArchive, buildCallbackArchive, serializeHandlerFactory } from "./callback-archive";

export type { BuiltArchive } from "./callback-archive";
export { lambdaNode } from "./callback-archive";

/** The text of `__index.js` as CallbackFunction would produce it. */
export function serializeRegistrarHandler(): Promise<string> {
    return serializeHandlerFactory(createRegistrarHandler);
}

/** Materializes the registrar's archive into `dir` (created empty); run with the repository root as cwd. */
export function buildRegistrarArchive(dir: string): Promise<BuiltArchive> {
    return buildCallbackArchive(dir, createRegistrarHandler, registrarCodePathOptions());
}

/** The package directory `name` resolves to from `fromDir` (Node's node_modules lookup). */
function resolvePackageDir(name: string, fromDir: string): string | undefined {
    for (let d = fromDir; ; d = path.dirname(d)) {
        const candidate = path.join(d, "node_modules", name);
        if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
        if (path.dirname(d) === d) return undefined;
    }
}

/**
 * Emulates what the Lambda runtime provides outside the bundle (/var/runtime/node_modules): the
 * AWS SDK v3 clients the handler uses and their dependencies, as symlinks in `dir/node_modules`.
 * Point NODE_PATH at it. Packages not reachable from those clients are NOT there, so a dependency
 * the bundle forgot still fails to load.
 */
export function buildRuntimeModules(dir: string, repoRoot: string, clients = ["@aws-sdk/client-route-53", "@aws-sdk/client-eks"]): string {
    const modules = path.join(dir, "node_modules");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(modules, { recursive: true });
    const rootModules = path.join(repoRoot, "node_modules");
    const seen = new Set<string>();
    const visit = (pkgDir: string) => {
        const real = fs.realpathSync(pkgDir);
        if (seen.has(real)) return;
        seen.add(real);
        // Hoisted packages are linked at the top; nested ones come along inside their parent.
        const rel = path.relative(rootModules, pkgDir);
        if (!rel.startsWith("..") && !rel.includes(`${path.sep}node_modules${path.sep}`)) {
            const link = path.join(modules, rel);
            if (!fs.existsSync(link)) {
                fs.mkdirSync(path.dirname(link), { recursive: true });
                fs.symlinkSync(real, link, "dir");
            }
        }
        const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
        for (const dep of Object.keys(pkg.dependencies ?? {})) {
            const depDir = resolvePackageDir(dep, pkgDir);
            if (depDir) visit(depDir);
        }
    };
    for (const client of clients) {
        const d = resolvePackageDir(client, repoRoot);
        if (!d) throw new Error(`${client} is not installed`);
        visit(d);
    }
    return modules;
}
