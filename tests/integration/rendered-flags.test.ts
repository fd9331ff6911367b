// Every Thanos and Prometheus container the stacks render, fed to the real binary of the version
// the image runs (tests/support/binaries.ts): the dev and prod stacks, each in thanos mode,
// prometheus-federation flat and prometheus-federation over 3 groups, built under mocks.
//
// Three checks per distinct command line, each shown able to fail:
//   1. `<binary> <args> --help` exits 0: every flag name exists in that version (kingpin checks
//      names before it prints help; it does not parse values then);
//   2. the same args plus an unknown flag exit 1 with "unknown long flag": check 1 is not vacuous;
//   3. the args run for real (listen addresses moved to 127.0.0.1:0, absolute paths moved under a
//      temp dir, Kubernetes' $(VAR) expanded): the process gets past flag parsing, i.e. it does
//      not print a command-line parse error (it may then fail at run time, on a missing
//      config file or bucket: that is not a flag problem). A bad duration value is caught by the
//      same check (the negative control).
// Containers the Prometheus Operator builds (kube-prometheus-stack's Prometheus, its Thanos
// sidecar, Alertmanager) take their args from the operator, not from us, and are not here.
import { strict as assert } from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { versions } from "../../components/common/versions";
import { runProgram, setupPulumi } from "../support/pulumi-harness";
import { stackTestConfig } from "../support/stack-files";
import { BinaryName, binary } from "../support/binaries";
import { tempDir } from "../support/thanos-prometheus";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const program: () => Promise<Record<string, pulumi.Output<unknown>>> = require("../../stacks");

interface RenderedContainer {
    /** Where it was rendered: stack, mode, workload, container. */
    where: string;
    bin: BinaryName;
    args: string[];
    env: Record<string, string>;
}

const MODES: Record<string, Record<string, unknown>> = {
    thanos: { mode: "thanos" },
    "prometheus-federation flat": { mode: "prometheus-federation", groups: 0 },
    "prometheus-federation 3 groups": { mode: "prometheus-federation", groups: 3 },
};

const BINARY_OF_IMAGE: Record<string, BinaryName> = {
    [versions.thanosFederation.thanosImage]: "thanos",
    [versions.thanosFederation.prometheusImage]: "prometheus",
};

async function renderedContainers(stack: "dev" | "prod", mode: string): Promise<RenderedContainer[]> {
    const { config, secretKeys } = stackTestConfig(stack);
    const monitoring = JSON.parse(config["cloud-cnc:monitoring"] ?? "{}");
    monitoring.federation = { ...(monitoring.federation ?? {}), ...MODES[mode] };
    const rec = await setupPulumi({ config: { ...config, "cloud-cnc:monitoring": JSON.stringify(monitoring) }, secretKeys, stack, region: config["aws:region"] });
    await runProgram(program);
    assert.equal(rec.errorsLogged(), false, `${stack} ${mode}: the program logged errors`);
    const out: RenderedContainer[] = [];
    for (const w of rec.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment" || r.type === "kubernetes:apps/v1:StatefulSet")) {
        for (const c of w.inputs.spec?.template?.spec?.containers ?? []) {
            const bin = BINARY_OF_IMAGE[c.image];
            if (!bin) continue;
            assert.equal(c.command, undefined, `${w.name}/${c.name}: the image's entrypoint runs the args`);
            const env = Object.fromEntries((c.env ?? []).map((e: { name: string; value?: string }) => [e.name, e.value ?? `test-${e.name.toLowerCase()}`]));
            out.push({ where: `${stack} ${mode} ${w.inputs.metadata?.name ?? w.name}/${c.name}`, bin, args: c.args, env });
        }
    }
    return out;
}

/** Kubernetes expands $(VAR) in args from the container's env; unknown references stay as they are. */
function expand(arg: string, env: Record<string, string>): string {
    return arg.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
}

const ADDRESS_FLAG = /^(--[a-z.-]*(address|listen-address))=/;

/** The args as a loopback test process can run them: listeners on 127.0.0.1:0, absolute paths under root. */
function localArgs(args: string[], root: string): string[] {
    return args.map((a) => {
        const address = ADDRESS_FLAG.exec(a);
        if (address) return `${address[1]}=127.0.0.1:0`;
        const eq = a.indexOf("=");
        if (a.startsWith("--") && eq > 0 && a[eq + 1] === "/") return `${a.slice(0, eq + 1)}${path.join(root, a.slice(eq + 1))}`;
        return a;
    });
}

function run(bin: string, args: string[]): { code: number | null; stderr: string } {
    const r = spawnSync(bin, args, { encoding: "utf8", timeout: 20_000 });
    return { code: r.status, stderr: r.stderr };
}

/**
 * A command-line parse failure, as each program reports it: kingpin's "<program>: error: <what>"
 * (unknown flags, exit 1), Thanos's "error parsing commandline arguments: [...]: <what>" and
 * Prometheus's "Error parsing command line arguments: <what>" (bad values, exit 2).
 */
const PARSE_ERROR = /^(?:(?:thanos|prometheus): error: |error parsing command ?line arguments: (?:\[[^\]]*\]: )?)(.*)$/im;

/** Runs the process until it exits or `ms` pass; its stderr either way. */
function runBriefly(bin: string, args: string[], cwd: string, ms = 2500): Promise<{ exited: boolean; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(bin, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        let exited = false;
        // Both streams: Thanos prints its usage and parse error to stdout and stderr alike.
        child.stdout.on("data", (d) => (stderr += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        const timer = setTimeout(() => child.kill("SIGKILL"), ms);
        child.on("exit", (_code, signal) => {
            clearTimeout(timer);
            exited = signal === null;
            resolve({ exited, stderr });
        });
    });
}

describe("rendered Thanos and Prometheus args under the real binaries (flag parsers)", function () {
    this.timeout(300_000);
    const distinct = new Map<string, RenderedContainer & { also: string[] }>();
    let root: string;

    before(async () => {
        root = tempDir("cloud-cnc-flags-");
        for (const stack of ["dev", "prod"] as const) {
            for (const mode of Object.keys(MODES)) {
                for (const c of await renderedContainers(stack, mode)) {
                    const args = c.args.map((a) => expand(a, c.env));
                    const key = JSON.stringify([c.bin, args]);
                    const seen = distinct.get(key);
                    if (seen) seen.also.push(c.where);
                    else distinct.set(key, { ...c, args, also: [] });
                }
            }
        }
    });

    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it("found every workload of both modes in both stacks", () => {
        const names = new Set([...distinct.values()].flatMap((c) => [c.where, ...c.also]).map((w) => w.split(" ").slice(-1)[0]));
        for (const expected of ["thanos-query/thanos-query", "thanos-store/thanos-store", "thanos-compactor/thanos-compactor", "thanos-ruler/thanos-ruler"]) {
            assert.ok([...names].some((n) => n.endsWith(expected)), `${expected} in ${[...names].join(", ")}`);
        }
        assert.ok([...names].some((n) => n.endsWith("/prometheus")), "a federation Prometheus");
        assert.ok([...names].some((n) => n.endsWith("/thanos-sidecar")), "the federation Prometheus's sidecar");
        // Dev and prod differ (retention, resources-driven flags), and flat and grouped federation differ.
        assert.ok(distinct.size >= 10, `${distinct.size} distinct command lines`);
    });

    it("every rendered command line's flags exist in the binary the image runs (--help exits 0)", () => {
        for (const c of distinct.values()) {
            const r = run(binary(c.bin), [...c.args, "--help"]);
            assert.equal(r.code, 0, `${c.where}: ${c.bin} ${c.args.join(" ")} --help\n${r.stderr.slice(-400)}`);
        }
    });

    it("an unknown flag next to the same args fails (the check above can fail)", () => {
        for (const c of distinct.values()) {
            const r = run(binary(c.bin), [...c.args, "--cloud-cnc-no-such-flag=1", "--help"]);
            assert.equal(r.code, 1, c.where);
            assert.match(r.stderr, /unknown long flag '--cloud-cnc-no-such-flag'/, c.where);
        }
    });

    it("every rendered command line gets past flag parsing when it runs (values included)", async () => {
        const results = await Promise.all(
            [...distinct.values()].map(async (c, i) => {
                const cwd = path.join(root, `run-${i}`);
                fs.mkdirSync(cwd, { recursive: true });
                return { c, r: await runBriefly(binary(c.bin), localArgs(c.args, cwd), cwd) };
            }),
        );
        for (const { c, r } of results) assert.doesNotMatch(r.stderr, PARSE_ERROR, `${c.where}: ${localArgs(c.args, "<tmp>").join(" ")}`);
    });

    it("a bad value in a rendered command line is a parse error (the check above can fail)", async () => {
        const query = [...distinct.values()].find((c) => c.args[0] === "query")!;
        const broken = query.args.map((a) => (a.startsWith("--store.response-timeout=") ? "--store.response-timeout=ten-seconds" : a));
        assert.notDeepEqual(broken, query.args, "the query renders --store.response-timeout");
        const cwd = path.join(root, "broken");
        fs.mkdirSync(cwd, { recursive: true });
        const r = await runBriefly(binary("thanos"), localArgs(broken, cwd), cwd);
        assert.equal(r.exited, true);
        assert.match(r.stderr, PARSE_ERROR);
        assert.match(PARSE_ERROR.exec(r.stderr)![1], /not a valid duration string: "ten-seconds"/);
    });
});
