// The OpenSearch bootstrap's Lambda code archive (built as CallbackFunction builds it, see
// callback-archive.ts) and a runner that invokes it in a separate Node process.
import * as path from "path";
import { spawn } from "child_process";
import { createBootstrapHandler } from "../../functions/opensearch-bootstrap/lambda";
import { bootstrapCodePathOptions } from "../../components/logging/plan";
import { BuiltArchive, buildCallbackArchive, lambdaNode } from "./callback-archive";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export type { BuiltArchive } from "./callback-archive";

/** Materializes the bootstrap handler's archive into `dir` (created empty); run with the repository root as cwd. */
export function buildBootstrapArchive(dir: string): Promise<BuiltArchive> {
    return buildCallbackArchive(dir, createBootstrapHandler, bootstrapCodePathOptions());
}

/** Node of the Lambda runtime's major (24, from the repo's venv). */
export function runtimeNode(): string {
    return lambdaNode(REPO_ROOT);
}

export interface InvokeResult {
    ok: boolean;
    phase?: string;
    message?: string;
    initMs?: number;
    runs: { ok: boolean; ms: number; summary?: any; message?: string }[];
    /** The handler's JSON log lines. */
    lines: Record<string, unknown>[];
    stderr: string;
    node: string;
}

/**
 * Runs `<archiveDir>/__index.js` in a separate Node process started in the archive directory,
 * with only `env` (no NODE_PATH: everything must come from the archive).
 */
export function invokeArchive(archiveDir: string, eventFile: string, env: Record<string, string>, times = 1): Promise<InvokeResult> {
    const node = runtimeNode();
    const runner = path.join(REPO_ROOT, "tests", "support", "opensearch-invoke.js");
    return new Promise((resolve, reject) => {
        const child = spawn(node, [runner, path.join(archiveDir, "__index.js"), eventFile, String(times)], {
            cwd: archiveDir,
            env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        child.on("error", reject);
        child.on("close", () => {
            const resultLine = stdout.split("\n").find((l) => l.startsWith("@@RESULT "));
            if (!resultLine) return reject(new Error(`no result from the runner: ${stdout}\n${stderr}`));
            const lines = stdout
                .split("\n")
                .filter((l) => l.startsWith("{"))
                .map((l) => JSON.parse(l) as Record<string, unknown>);
            resolve({ ...JSON.parse(resultLine.slice("@@RESULT ".length)), lines, stderr, node });
        });
    });
}
