// Real Prometheus processes on loopback for the federation integration tests (the binaries of
// tests/support/binaries.ts): pick free ports, start servers in temp dirs, query their HTTP API,
// stop them all.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "./ports";

export { freePort };

export function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a file atomically (temp file + rename), the way kubelet swaps ConfigMap contents. */
export function writeAtomic(file: string, content: string): void {
    const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
}

export interface RunningPrometheus {
    name: string;
    port: number;
    url: string;
    dir: string;
    process: ChildProcess;
    /** Last lines of its stderr (diagnostics for failures). */
    log(): string;
}

const running: RunningPrometheus[] = [];

/** Starts `prometheus` with a config file (already written) on 127.0.0.1:port and waits until /-/ready. */
export async function startPrometheus(binary: string, name: string, configFile: string, port: number, dir: string, timeoutMs = 30_000): Promise<RunningPrometheus> {
    const dataDir = path.join(dir, `data-${name}`);
    fs.mkdirSync(dataDir, { recursive: true });
    const child = spawn(
        binary,
        [`--config.file=${configFile}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
        { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-8000);
    });
    const p: RunningPrometheus = { name, port, url: `http://127.0.0.1:${port}`, dir, process: child, log: () => stderr };
    running.push(p);
    await waitFor(`${name} ready`, timeoutMs, async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
        const res = await fetch(`${p.url}/-/ready`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
    });
    return p;
}

/** Stops one server (SIGTERM, then SIGKILL after 5s). */
export async function stopPrometheus(p: RunningPrometheus): Promise<void> {
    const i = running.indexOf(p);
    if (i >= 0) running.splice(i, 1);
    if (p.process.exitCode !== null || p.process.signalCode !== null) return;
    await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
            p.process.kill("SIGKILL");
        }, 5000);
        p.process.once("exit", () => {
            clearTimeout(timer);
            resolve();
        });
        p.process.kill("SIGTERM");
    });
}

/** Stops every server started by startPrometheus (for after() hooks). */
export async function stopAll(): Promise<void> {
    await Promise.all([...running].map(stopPrometheus));
}

/** Polls `check` every 500ms until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
        try {
            const value = await check();
            if (value !== undefined) return value;
        } catch (e) {
            lastError = e;
            if (e instanceof Error && / exited with /.test(e.message)) throw e;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
        }
        await new Promise((r) => setTimeout(r, 500));
    }
}

export interface Sample {
    metric: Record<string, string>;
    value: [number, string];
}

/** Instant query through the HTTP API. */
export async function query(p: RunningPrometheus, promql: string): Promise<Sample[]> {
    const res = await fetch(`${p.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data?: { resultType: string; result: Sample[] }; error?: string };
    if (body.status !== "success" || !body.data) throw new Error(`query ${promql} failed: ${body.error}`);
    return body.data.result;
}

export interface ActiveTarget {
    labels: Record<string, string>;
    scrapePool: string;
    scrapeUrl: string;
    health: string;
}

export async function activeTargets(p: RunningPrometheus): Promise<ActiveTarget[]> {
    const res = await fetch(`${p.url}/api/v1/targets?state=active`);
    const body = (await res.json()) as { status: string; data: { activeTargets: ActiveTarget[] } };
    return body.data.activeTargets;
}
