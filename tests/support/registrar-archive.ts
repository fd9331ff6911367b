// Builds the DnsRegistrar's Lambda code archive exactly as aws.lambda.CallbackFunction does
// (node_modules/@pulumi/aws/lambda/lambdaMixins.js): pulumi.runtime.serializeFunction of the
// handler factory into `__index.js` (exportName "handler", isFactoryFunction, allowSecrets) and
// pulumi.runtime.computeCodePaths with the component's codePathOptions (plus "aws-sdk", which
// CallbackFunction appends). Under Pulumi mocks the archive's assets are not visible, so this is
// how tests and the benchmark see what would be uploaded.
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import * as pulumi from "@pulumi/pulumi";
import { createRegistrarHandler } from "../../functions/dns-registrar/lambda";
import { registrarCodePathOptions } from "../../components/dns-registrar/plan";

export interface BuiltArchive {
    dir: string;
    /** Files and bytes before compression. */
    files: number;
    bytes: number;
    /** Size of the zip (deflate) of the directory: what Lambda receives. */
    zipBytes: number;
    /** Top-level packages bundled (node_modules/<name>). */
    packages: string[];
    /** Bytes of __index.js. */
    indexBytes: number;
}

function copyTree(src: string, dest: string): void {
    const stat = fs.statSync(src); // follows symlinks, as the archive does
    if (stat.isDirectory()) {
        fs.mkdirSync(dest, { recursive: true });
        for (const entry of fs.readdirSync(src)) copyTree(path.join(src, entry), path.join(dest, entry));
    } else {
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.copyFileSync(src, dest);
    }
}

function treeSize(dir: string): { files: number; bytes: number } {
    let files = 0;
    let bytes = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            const s = treeSize(p);
            files += s.files;
            bytes += s.bytes;
        } else {
            files++;
            bytes += fs.statSync(p).size;
        }
    }
    return { files, bytes };
}

/** The text of `__index.js` as CallbackFunction would produce it. */
export async function serializeRegistrarHandler(): Promise<string> {
    const closure = await pulumi.runtime.serializeFunction(createRegistrarHandler as unknown as (...args: unknown[]) => unknown, {
        serialize: () => true,
        exportName: "handler",
        isFactoryFunction: true,
        allowSecrets: true,
    });
    return closure.text;
}

/**
 * Materializes the archive into `dir` (created empty). Must run with the repository root as the
 * working directory (computeCodePaths reads ./package.json, as in a Pulumi program).
 */
export async function buildRegistrarArchive(dir: string): Promise<BuiltArchive> {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const text = await serializeRegistrarHandler();
    fs.writeFileSync(path.join(dir, "__index.js"), text);

    const options = registrarCodePathOptions();
    options.extraExcludePackages.push("aws-sdk");
    const codePaths = await pulumi.runtime.computeCodePaths(options);
    for (const [archivePath, asset] of codePaths) {
        const source = await (asset as unknown as { path: Promise<string> }).path;
        copyTree(path.resolve(source), path.join(dir, archivePath));
    }
    const { files, bytes } = treeSize(dir);
    const zip = path.join(path.dirname(dir), `${path.basename(dir)}.zip`);
    fs.rmSync(zip, { force: true });
    execFileSync("zip", ["-q", "-r", "-X", zip, "."], { cwd: dir });
    const zipBytes = fs.statSync(zip).size;
    fs.rmSync(zip, { force: true });
    const modules = path.join(dir, "node_modules");
    const packages = fs.existsSync(modules)
        ? fs.readdirSync(modules).flatMap((n) => (n.startsWith("@") ? fs.readdirSync(path.join(modules, n)).map((m) => `${n}/${m}`) : [n])).filter((n) => !n.startsWith("."))
        : [];
    return { dir, files, bytes, zipBytes, packages: packages.sort(), indexBytes: Buffer.byteLength(text) };
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

/** Node >= 22.19 (what @kubernetes/client-node 2.x needs): the venv's Node 24, else this one if new enough. */
export function lambdaNode(repoRoot: string): string {
    const venvNode = path.join(repoRoot, ".venv", "bin", "node24");
    if (fs.existsSync(venvNode)) return venvNode;
    const [major, minor] = process.versions.node.split(".").map(Number);
    if (major > 22 || (major === 22 && minor >= 19)) return process.execPath;
    throw new Error(`no Node >= 22.19 for the Lambda handler: run scripts/setup-python.sh (installs Node 24 into .venv/bin/node24); this is Node ${process.versions.node}`);
}
