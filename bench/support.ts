// What every benchmark shares: statistics, a description of the machine, and writing its section
// of BENCHMARKS.md between its own markers (the rest of the file is left alone).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..");

export function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs: number[], p: number): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;

/** CPU count and model, memory (free -h), kernel. */
export function machine(): string {
    const cpus = os.cpus();
    const free = spawnSync("free", ["-h"], { encoding: "utf8" }).stdout.split("\n")[1]?.replace(/\s+/g, " ").trim() ?? "unknown";
    const nproc = spawnSync("nproc", [], { encoding: "utf8" }).stdout.trim();
    return `nproc ${nproc} (${cpus[0]?.model ?? "unknown CPU"}); free -h: \`${free}\`; ${os.type()} ${os.release()}`;
}

/** Replaces (or appends) the section between `<!-- name:begin -->` and `<!-- name:end -->` in BENCHMARKS.md. */
export function writeSection(name: string, section: string): void {
    const file = path.join(REPO_ROOT, "BENCHMARKS.md");
    const begin = `<!-- ${name}:begin -->`;
    const end = `<!-- ${name}:end -->`;
    const block = `${begin}\n${section}${end}`;
    let text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n\nNumbers from `npm run bench` (each section names its machine and date).\n\n";
    if (text.includes(begin) && text.includes(end)) text = text.slice(0, text.indexOf(begin)) + block + text.slice(text.indexOf(end) + end.length);
    else text = `${text.trimEnd()}\n\n${block}\n`;
    fs.writeFileSync(file, text);
}
