// Starts and stops moto's server (the AWS API emulator from PyPI, installed into .venv by
// scripts/setup-python.sh) on 127.0.0.1 and a free port, for the DnsRegistrar suites:
// Route 53, EKS, STS and SQS are answered by real protocol implementations.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { freePort } from "./ports";

export { freePort };

export interface MotoServer {
    /** http://127.0.0.1:<port> */
    endpoint: string;
    port: number;
    /** Forgets every resource (POST /moto-api/reset). */
    reset(): Promise<void>;
    stop(): Promise<void>;
}

/** Credentials moto accepts (any are accepted; these are what the tests sign with). */
export const TEST_CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
export const TEST_REGION = "eu-west-1";

/** A TCP port free on 127.0.0.1 right now. */

async function waitUntilUp(endpoint: string, proc: ChildProcess, deadlineMs: number, log: () => string): Promise<void> {
    const until = Date.now() + deadlineMs;
    while (Date.now() < until) {
        if (proc.exitCode !== null) throw new Error(`moto_server exited with ${proc.exitCode}: ${log()}`);
        try {
            const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
            if (res.status < 500) return;
        } catch {
            // not listening yet
        }
        await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`moto_server did not answer on ${endpoint} within ${deadlineMs} ms: ${log()}`);
}

/** The moto_server of the repository's venv; a clear error when setup-python.sh has not run. */
export function motoBinary(repoRoot: string): string {
    const bin = path.join(repoRoot, ".venv", "bin", "moto_server");
    if (!fs.existsSync(bin)) throw new Error(`${bin} not found: run scripts/setup-python.sh first (installs moto[server] from requirements-dev.txt)`);
    return bin;
}

/** Starts `.venv/bin/moto_server -H 127.0.0.1 -p <free port>` and waits until it answers. */
export async function startMoto(repoRoot: string): Promise<MotoServer> {
    const bin = motoBinary(repoRoot);
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    let output = "";
    const proc = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, MOTO_PORT: String(port) } });
    const keep = (b: Buffer) => {
        output = (output + b.toString()).slice(-4000);
    };
    proc.stdout!.on("data", keep);
    proc.stderr!.on("data", keep);
    try {
        await waitUntilUp(endpoint, proc, 30_000, () => output);
    } catch (err) {
        proc.kill("SIGKILL");
        throw err;
    }
    return {
        endpoint,
        port,
        async reset() {
            const res = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
            if (res.status !== 200) throw new Error(`moto reset: HTTP ${res.status}`);
        },
        stop: () =>
            new Promise<void>((resolve) => {
                if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
                const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
                proc.once("exit", () => {
                    clearTimeout(timer);
                    resolve();
                });
                proc.kill("SIGTERM");
            }),
    };
}
