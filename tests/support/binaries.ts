// The real programs the integration suites run, built by scripts/setup-binaries.sh from their Go
// modules at exactly the versions the stacks deploy (components/common/versions.ts `binaries`).
// The script writes <cache>/paths.json; this reads it, checks the binary is the version pinned
// today (a stale cache after a version bump is refused), and never falls back to PATH.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { versions } from "../../components/common/versions";

export type BinaryName = "thanos" | "prometheus" | "promtool" | "alertmanager" | "amtool" | "blackbox_exporter" | "json_exporter";

/** The cache setup-binaries.sh builds into (CLOUD_CNC_BIN_CACHE, default ~/.cache/cloud-cnc/bin). */
export function binaryCache(): string {
    return process.env.CLOUD_CNC_BIN_CACHE ?? path.join(os.homedir(), ".cache", "cloud-cnc", "bin");
}

/** The tool (versions.binaries key) that builds a binary, and the image tag it must report. */
export function pinOf(bin: BinaryName): { tool: keyof typeof versions.binaries; imageTag: string } {
    for (const [tool, b] of Object.entries(versions.binaries)) {
        if ((b.binaries as readonly string[]).includes(bin)) return { tool: tool as keyof typeof versions.binaries, imageTag: b.imageTag };
    }
    throw new Error(`no pinned tool builds ${bin}`);
}

const checked = new Map<BinaryName, string>();

/** Absolute path of the built binary at the pinned version; a clear error naming the setup script otherwise. */
export function binary(bin: BinaryName): string {
    const cached = checked.get(bin);
    if (cached) return cached;
    const { imageTag } = pinOf(bin);
    const file = path.join(binaryCache(), "paths.json");
    const setup = "run `bash scripts/setup-binaries.sh` (npm test runs it) and try again";
    if (!fs.existsSync(file)) throw new Error(`${bin} ${imageTag} is not built: ${file} is missing; ${setup}`);
    const p = (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>)[bin];
    if (!p || !fs.existsSync(p)) throw new Error(`${bin} ${imageTag} is not built (${p ?? "not in paths.json"}); ${setup}`);
    // Every one of these prints "<name>, version X.Y.Z (...)" for --version: Prometheus,
    // Alertmanager and blackbox_exporter on stdout, Thanos and json_exporter on stderr.
    const run = spawnSync(p, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (run.status !== 0) throw new Error(`${p} --version exited with ${run.status}: ${run.stderr}; ${setup}`);
    const out = `${run.stdout}\n${run.stderr}`;
    const version = /version (\S+)/.exec(out)?.[1];
    if (`v${version}` !== imageTag) throw new Error(`${p} reports version ${version}, but ${imageTag} is pinned; ${setup}`);
    checked.set(bin, p);
    return p;
}
