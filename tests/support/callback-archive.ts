// Builds a Lambda code archive exactly as aws.lambda.CallbackFunction does
// (node_modules/@pulumi/aws/lambda/lambdaMixins.js): pulumi.runtime.serializeFunction of the
// handler factory into `__index.js` (exportName "handler", isFactoryFunction, allowSecrets) and
// pulumi.runtime.computeCodePaths with the component's codePathOptions (plus "aws-sdk", which
// CallbackFunction appends). Under Pulumi mocks the archive's assets are not visible, so this is
// how the artifact tests and the benchmarks see what would be uploaded.
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import * as pulumi from "@pulumi/pulumi";

export interface BuiltArchive {
    dir: string;
    /** Files and bytes before compression. */
    files: number;
    bytes: number;
    /** Size of the zip (deflate) of the directory: what Lambda receives. */
    zipBytes: number;
    /** Packages bundled (node_modules/<name>, scoped as @scope/name), sorted. */
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

function listPackages(modules: string): string[] {
    if (!fs.existsSync(modules)) return [];
    return fs
        .readdirSync(modules)
        .flatMap((n) => (n.startsWith("@") ? fs.readdirSync(path.join(modules, n)).map((m) => `${n}/${m}`) : [n]))
        .filter((n) => !n.startsWith("."))
        .sort();
}

/** The text of `__index.js` as CallbackFunction would produce it for this handler factory. */
export async function serializeHandlerFactory(factory: (...args: any[]) => unknown): Promise<string> {
    const closure = await pulumi.runtime.serializeFunction(factory as (...args: unknown[]) => unknown, {
        serialize: () => true,
        exportName: "handler",
        isFactoryFunction: true,
        allowSecrets: true,
    });
    return closure.text;
}

/**
 * Materializes the archive of `factory` with `codePathOptions` into `dir` (created empty). Must
 * run with the repository root as the working directory (computeCodePaths reads ./package.json,
 * as in a Pulumi program).
 */
export async function buildCallbackArchive(dir: string, factory: (...args: any[]) => unknown, codePathOptions: pulumi.runtime.CodePathOptions & { extraExcludePackages: string[] }): Promise<BuiltArchive> {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const text = await serializeHandlerFactory(factory);
    fs.writeFileSync(path.join(dir, "__index.js"), text);

    const options = { ...codePathOptions, extraExcludePackages: [...codePathOptions.extraExcludePackages, "aws-sdk"] };
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
    return { dir, files, bytes, zipBytes, packages: listPackages(path.join(dir, "node_modules")), indexBytes: Buffer.byteLength(text) };
}

/**
 * The Node binary of the Lambda runtime's major (24): the venv's (scripts/setup-python.sh), else
 * this process' Node when it is new enough (>= 22.19, what @kubernetes/client-node 2.x needs).
 */
export function lambdaNode(repoRoot: string): string {
    const venvNode = path.join(repoRoot, ".venv", "bin", "node24");
    if (fs.existsSync(venvNode)) return venvNode;
    const [major, minor] = process.versions.node.split(".").map(Number);
    if (major > 22 || (major === 22 && minor >= 19)) return process.execPath;
    throw new Error(`no Node >= 22.19 for the Lambda handlers: run scripts/setup-python.sh (installs Node 24 into .venv/bin/node24); this is Node ${process.versions.node}`);
}
