// A real Thanos fleet on loopback (tests/integration/thanos-fleet-e2e.test.ts and the registration
// benchmark build on this): "workload clusters" (Prometheus + thanos sidecar + leaf thanos query),
// the central thanos query started with the flags render.ts produces (only ports and paths
// rewritten), the DnsRegistrar handler run from its built archive writing the endpoint-SD
// ConfigMap, and that ConfigMap projected into a directory the way kubelet does it.
//
// Name resolution: the registrar writes `<record name>:<grpcPort>` with one port for every
// cluster, so each leaf listens on its own loopback address (127.0.0.2, .3, ...; Linux routes all
// of 127/8) on the same port, and the central query resolves the record names through an
// /etc/hosts bind-mounted into its own mount namespace (`unshare -m`, `-Urm` when not root).
import { ChildProcess, execFileSync, spawn } from "child_process";
import { createHash, createHmac } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import * as YAML from "yaml";
import { THANOS_ENDPOINTS, renderThanosEndpointConfig } from "../../functions/dns-registrar/contract";
import { ENV } from "../../functions/dns-registrar/settings";
import { inClusterStoreEndpoints } from "../../components/thanos-federation/render";
import { binary } from "./binaries";
import { BuiltArchive, buildRegistrarArchive, buildRuntimeModules } from "./registrar-archive";
import { HandlerRun, NAMESPACE, REPO_ROOT, RegistrarWorld, runHandler, startRegistrarWorld } from "./registrar-env";
import { TEST_CREDENTIALS, TEST_REGION } from "./registrar-moto";
import { waitFor } from "./thanos-prometheus";
import { freePort } from "./ports";

export { freePort };

// ---------------------------------------------------------------------------------------------
// Processes: every one is tracked, so an after() hook can end them all (even on failure).

export interface FleetProcess {
    name: string;
    process: ChildProcess;
    pid: number;
    /** Last ~16 kB of its stdout+stderr. */
    log(): string;
    running(): boolean;
}

const tracked: FleetProcess[] = [];

export function spawnTracked(name: string, command: string, args: string[], env: Record<string, string> = {}, cwd?: string): FleetProcess {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env }, cwd });
    let out = "";
    const keep = (b: Buffer) => {
        out = (out + b.toString()).slice(-16_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.on("error", (e) => keep(Buffer.from(`spawn error: ${e.message}\n`)));
    if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
    const p: FleetProcess = { name, process: child, pid: child.pid, log: () => out, running: () => child.exitCode === null && child.signalCode === null };
    tracked.push(p);
    return p;
}

/** Ends one tracked process: SIGCONT (it may be stopped), SIGTERM, SIGKILL after 5 s. */
export async function stopProcess(p: FleetProcess): Promise<void> {
    const i = tracked.indexOf(p);
    if (i >= 0) tracked.splice(i, 1);
    if (!p.running()) return;
    await new Promise<void>((resolve) => {
        const timer = setTimeout(() => p.process.kill("SIGKILL"), 5000);
        p.process.once("exit", () => {
            clearTimeout(timer);
            resolve();
        });
        p.process.kill("SIGCONT");
        p.process.kill("SIGTERM");
    });
}

/** Ends every process this module started (for after() hooks). */
export async function stopFleetProcesses(): Promise<void> {
    await Promise.all([...tracked].map(stopProcess));
}

/** Runs a tracked process to its end; resolves with its exit code and output. */
export function runToExit(name: string, command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<{ code: number | null; log: string; ms: number }> {
    const started = Date.now();
    const p = spawnTracked(name, command, args, env);
    return new Promise((resolve) => {
        const timer = setTimeout(() => p.process.kill("SIGKILL"), timeoutMs);
        p.process.once("exit", (code) => {
            clearTimeout(timer);
            const i = tracked.indexOf(p);
            if (i >= 0) tracked.splice(i, 1);
            // Let the pipes drain.
            setImmediate(() => resolve({ code, log: p.log(), ms: Date.now() - started }));
        });
    });
}

async function waitReady(p: FleetProcess, url: string, timeoutMs = 60_000): Promise<void> {
    await waitFor(`${p.name} ready at ${url}`, timeoutMs, async () => {
        if (!p.running()) throw new Error(`${p.name} exited with ${p.process.exitCode ?? p.process.signalCode}: ${p.log().slice(-3000)}`);
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
    });
}

// ---------------------------------------------------------------------------------------------
// Ports and addresses

function bindable(host: string, port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const srv = net.createServer();
        srv.once("error", () => resolve(false));
        srv.listen(port, host, () => srv.close(() => resolve(true)));
    });
}

/** A port free on 127.0.0.1 right now. */

/** One port free on every one of `hosts` (the registrar's single gRPC port for every cluster). */
export async function freePortOnAll(hosts: string[]): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
        const port = await freePort(hosts[0]);
        const ok = await Promise.all(hosts.map((h) => bindable(h, port)));
        if (ok.every(Boolean)) return port;
    }
    throw new Error(`no port free on all of ${hosts.join(", ")}`);
}

/** The loopback address of leaf `index` (0-based): 127.0.0.2, 127.0.0.3, ... */
export function leafIp(index: number): string {
    if (index < 0 || index > 250) throw new Error(`leaf index ${index} out of range`);
    return `127.0.0.${index + 2}`;
}

// ---------------------------------------------------------------------------------------------
// Rendered flags with only ports and paths rewritten

export interface ArgRewrite {
    httpAddress?: string;
    grpcAddress?: string;
    /** Rendered path -> local path (every path-valued flag must be here). */
    paths: Record<string, string>;
    /** Flags (`--name`) to drop, e.g. the compactor's `--wait` for one pass. */
    drop?: string[];
    /** Flags (`--name`) whose in-cluster address is replaced by a local one, e.g. the Ruler's `--query` and `--alertmanagers.url`. */
    values?: Record<string, string>;
}

export interface RewrittenArgs {
    args: string[];
    /** Index in the rendered args of each kept arg (aligned with `args`). */
    sourceIndex: number[];
    /** Rendered args that were rewritten (by index). */
    rewritten: number[];
    /** Rendered args that were dropped (by index). */
    dropped: number[];
}

/**
 * Rewrites only --http-address, --grpc-address, path-valued flags (value starting with `/`) and
 * the flags named in `values` of rendered Thanos args; every other arg is kept byte for byte. A path without a mapping, or a
 * rewrite asked for a flag the rendered args lack, is an error (a rendered change reaches the test).
 */
export function rewriteThanosArgs(rendered: string[], r: ArgRewrite): RewrittenArgs {
    const out: RewrittenArgs = { args: [], sourceIndex: [], rewritten: [], dropped: [] };
    const usedPaths = new Set<string>();
    rendered.forEach((arg, i) => {
        const m = /^(--[a-z0-9.-]+)=(.*)$/s.exec(arg);
        const flag = m?.[1] ?? arg;
        if (r.drop?.includes(flag)) {
            out.dropped.push(i);
            return;
        }
        let value: string | undefined;
        if (m && r.values?.[flag] !== undefined) value = r.values[flag];
        else if (m && flag === "--http-address" && r.httpAddress) value = r.httpAddress;
        else if (m && flag === "--grpc-address" && r.grpcAddress) value = r.grpcAddress;
        else if (m && m[2].startsWith("/")) {
            const local = r.paths[m[2]];
            if (local === undefined) throw new Error(`rendered ${flag}=${m[2]}: no local path given for it`);
            usedPaths.add(m[2]);
            value = local;
        }
        if (value !== undefined) {
            out.args.push(`${flag}=${value}`);
            out.rewritten.push(i);
        } else out.args.push(arg);
        out.sourceIndex.push(i);
    });
    for (const p of Object.keys(r.paths)) if (!usedPaths.has(p)) throw new Error(`no rendered flag has the path ${p}`);
    for (const d of r.drop ?? []) if (!rendered.some((a) => a === d || a.startsWith(`${d}=`))) throw new Error(`no rendered flag ${d} to drop`);
    for (const f of Object.keys(r.values ?? {})) if (!rendered.some((a) => a.startsWith(`${f}=`))) throw new Error(`no rendered flag ${f} to rewrite`);
    return out;
}

// ---------------------------------------------------------------------------------------------
// The ConfigMap projected like kubelet (atomic writer: ..data symlink swap)

/**
 * Projects ConfigMap `data` into `dir` as kubelet's AtomicWriter does: the files go into a new
 * `..<timestamp>` directory, `..data_tmp` is symlinked to it and renamed over `..data`, and each
 * key is a symlink `<key> -> ..data/<key>`. Nothing is written when the content is unchanged.
 * Returns whether it swapped.
 */
export function projectConfigMap(dir: string, data: Record<string, string>): boolean {
    fs.mkdirSync(dir, { recursive: true });
    const dataLink = path.join(dir, "..data");
    let previous: string | undefined;
    if (fs.existsSync(dataLink)) {
        previous = fs.readlinkSync(dataLink);
        const current = path.join(dir, previous);
        const same =
            fs.readdirSync(current).sort().join("\n") === Object.keys(data).sort().join("\n") &&
            Object.entries(data).every(([k, v]) => fs.readFileSync(path.join(current, k), "utf8") === v);
        if (same) return false;
    }
    const stamp = `..${new Date().toISOString().replace(/[-:]/g, "_").replace("T", "_").replace("Z", "")}.${process.hrtime.bigint() % 1_000_000_000n}`;
    const tsDir = path.join(dir, stamp);
    fs.mkdirSync(tsDir);
    for (const [k, v] of Object.entries(data)) fs.writeFileSync(path.join(tsDir, k), v, { mode: 0o644 });
    const tmp = path.join(dir, "..data_tmp");
    fs.rmSync(tmp, { force: true });
    fs.symlinkSync(stamp, tmp);
    fs.renameSync(tmp, dataLink);
    for (const k of Object.keys(data)) {
        const link = path.join(dir, k);
        if (!fs.existsSync(link)) fs.symlinkSync(path.join("..data", k), link);
    }
    if (previous) fs.rmSync(path.join(dir, previous), { recursive: true, force: true });
    return true;
}

// ---------------------------------------------------------------------------------------------
// Thanos HTTP API

export interface QueryAnswer {
    result: { metric: Record<string, string>; value: [number, string] }[];
    warnings: string[];
    ms: number;
}

/** Instant query through a Thanos (or Prometheus) HTTP API; partial responses carry warnings. */
export async function instantQuery(url: string, promql: string, o: { time?: number; timeoutMs?: number } = {}): Promise<QueryAnswer> {
    const started = Date.now();
    const params = new URLSearchParams({ query: promql });
    if (o.time !== undefined) params.set("time", String(o.time));
    const res = await fetch(`${url}/api/v1/query?${params.toString()}`, { signal: AbortSignal.timeout(o.timeoutMs ?? 120_000) });
    const body = (await res.json()) as { status: string; data?: { result: QueryAnswer["result"] }; warnings?: string[]; error?: string };
    if (body.status !== "success" || !body.data) throw new Error(`query ${promql} at ${url} failed: HTTP ${res.status} ${body.error ?? ""}`);
    return { result: body.data.result, warnings: body.warnings ?? [], ms: Date.now() - started };
}

/** The sorted values of `label` in an answer. */
export function labelValues(a: QueryAnswer, label: string): string[] {
    return a.result.map((s) => s.metric[label]).sort();
}

// ---------------------------------------------------------------------------------------------
// Object storage in moto: the bucket, a KMS key, and the rendered objstore config pointed at moto

function toBytes(d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
    if (typeof d === "string") return d;
    if (d instanceof ArrayBuffer) return new Uint8Array(d);
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

class NodeSha256 {
    private readonly h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
    constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
        this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", toBytes(secret));
    }
    update(data: string | ArrayBuffer | ArrayBufferView): void {
        this.h.update(toBytes(data));
    }
    digest(): Promise<Uint8Array> {
        return Promise.resolve(new Uint8Array(this.h.digest()));
    }
}

/** A SigV4-signed request to moto (S3 and KMS have no SDK client in this repository). */
export async function signedRequest(endpoint: string, service: "s3" | "kms", o: { method: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Response> {
    const url = new URL(endpoint);
    const signer = new SignatureV4({ service, region: TEST_REGION, credentials: TEST_CREDENTIALS, sha256: NodeSha256 });
    const req = new HttpRequest({
        method: o.method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: o.path,
        headers: { host: url.host, ...(o.headers ?? {}) },
        body: o.body,
    });
    const signed = await signer.sign(req);
    return fetch(`${endpoint}${o.path}`, { method: o.method, headers: signed.headers, body: o.body });
}

/** Creates an S3 bucket in moto (eu-west-1). */
export async function createBucket(endpoint: string, bucket: string): Promise<void> {
    const body = `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${TEST_REGION}</LocationConstraint></CreateBucketConfiguration>`;
    const res = await signedRequest(endpoint, "s3", { method: "PUT", path: `/${bucket}`, body });
    if (res.status !== 200) throw new Error(`CreateBucket ${bucket}: HTTP ${res.status} ${await res.text()}`);
}

/** Creates a KMS key in moto; returns its ARN. */
export async function createKmsKey(endpoint: string): Promise<string> {
    const res = await signedRequest(endpoint, "kms", {
        method: "POST",
        path: "/",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "TrentService.CreateKey" },
        body: JSON.stringify({ Description: "thanos metrics (fleet e2e)" }),
    });
    const out = (await res.json()) as { KeyMetadata?: { Arn?: string } };
    if (!out.KeyMetadata?.Arn) throw new Error(`CreateKey: HTTP ${res.status} ${JSON.stringify(out)}`);
    return out.KeyMetadata.Arn;
}

/**
 * The rendered objstore YAML with exactly two keys overridden for moto: `endpoint` (moto's
 * 127.0.0.1:<port> instead of s3.<region>.amazonaws.com) and `insecure: true` (moto speaks plain
 * HTTP). Credentials are not in the file (IRSA in production): the processes get
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in their environment, which the S3 client's
 * credential chain reads. Path-style addressing needs no override (minio-go uses path style for
 * an IP endpoint).
 */
export function objstoreForMoto(rendered: string, motoEndpoint: string): string {
    const doc = YAML.parse(rendered) as { type: string; config: Record<string, unknown> };
    doc.config.endpoint = new URL(motoEndpoint).host;
    doc.config.insecure = true;
    return YAML.stringify(doc, { sortMapEntries: true, lineWidth: 0 });
}

/** The S3 credentials every Thanos process that touches the bucket gets in its environment. */
export const S3_ENV: Readonly<Record<string, string>> = {
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: TEST_REGION,
};

/** Parses a stream of concatenated JSON documents (what `thanos tools bucket ls -o json` prints). */
export function parseJsonStream(text: string): unknown[] {
    const docs: unknown[] = [];
    let depth = 0;
    let start = -1;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
            if (c === "\\") i++;
            else if (c === '"') inString = false;
            continue;
        }
        if (c === '"') inString = true;
        else if (c === "{") {
            if (depth === 0) start = i;
            depth++;
        } else if (c === "}") {
            depth--;
            if (depth === 0) docs.push(JSON.parse(text.slice(start, i + 1)));
        }
    }
    return docs;
}

export interface BlockMeta {
    ulid: string;
    minTime: number;
    maxTime: number;
    thanos: { labels: Record<string, string>; source: string };
}

/** The blocks in the bucket, listed by the real `thanos tools bucket ls` through an objstore config file. */
export async function listBlocks(objstoreFile: string): Promise<BlockMeta[]> {
    const r = await runToExit("bucket-ls", binary("thanos"), ["tools", "bucket", "ls", `--objstore.config-file=${objstoreFile}`, "--output=json"], { ...S3_ENV }, 60_000);
    if (r.code !== 0) throw new Error(`thanos tools bucket ls exited with ${r.code}: ${r.log.slice(-2000)}`);
    return parseJsonStream(r.log.replace(/^ts=.*$/gm, "")) as BlockMeta[];
}

// ---------------------------------------------------------------------------------------------
// Workload clusters

export interface LeafCluster {
    id: string;
    /** Loopback address of its leaf query (127.0.0.x). */
    ip: string;
    /** The name the registrar registers for it: `<id>-grpc.<thanos zone>`. */
    recordName: string;
    prometheus: FleetProcess & { url: string };
    sidecar: FleetProcess & { url: string; grpc: string };
    leafQuery: FleetProcess & { url: string; grpc: string; rewritten?: RewrittenArgs };
    dir: string;
}

export interface LeafOptions {
    id: string;
    index: number;
    /** The gRPC port every leaf query listens on (the registrar's REGISTRAR_GRPC_PORT). */
    grpcPort: number;
    root: string;
    thanosZone: string;
    /** Objstore config file for the sidecar's uploads (none: StoreAPI only). */
    objstoreFile?: string;
    /** min = max block duration of the leaf Prometheus (the sidecar uploads only uncompacted blocks). Default 2h. */
    blockDuration?: string;
    scrapeInterval?: string;
    /**
     * The leaf query's args as WorkloadClusterMonitoring renders them (leafQueryArgs): run with
     * only the addresses and the endpoint (in-cluster SRV -> this leaf's sidecar) rewritten.
     */
    renderedQueryArgs?: string[];
}

/** Starts one workload cluster: Prometheus (external label clusterID, scraping itself), a thanos sidecar, a leaf thanos query on <ip>:<grpcPort>. */
export async function startLeafCluster(o: LeafOptions): Promise<LeafCluster> {
    const dir = path.join(o.root, o.id);
    fs.mkdirSync(dir, { recursive: true });
    const ip = leafIp(o.index);
    const [promPort, sidecarGrpc, sidecarHttp, queryHttp] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const block = o.blockDuration ?? "2h";
    fs.writeFileSync(
        path.join(dir, "prometheus.yml"),
        YAML.stringify({
            global: { scrape_interval: o.scrapeInterval ?? "1s", evaluation_interval: o.scrapeInterval ?? "1s", external_labels: { clusterID: o.id } },
            scrape_configs: [{ job_name: "prometheus", static_configs: [{ targets: [`127.0.0.1:${promPort}`] }] }],
        }),
    );
    const tsdb = path.join(dir, "tsdb");
    const prometheus = Object.assign(
        spawnTracked(`${o.id}/prometheus`, binary("prometheus"), [
            `--config.file=${path.join(dir, "prometheus.yml")}`,
            `--storage.tsdb.path=${tsdb}`,
            `--web.listen-address=127.0.0.1:${promPort}`,
            `--storage.tsdb.min-block-duration=${block}`,
            `--storage.tsdb.max-block-duration=${block}`,
            "--log.level=warn",
        ]),
        { url: `http://127.0.0.1:${promPort}` },
    );
    await waitReady(prometheus, `${prometheus.url}/-/ready`);
    const sidecar = Object.assign(
        spawnTracked(
            `${o.id}/sidecar`,
            binary("thanos"),
            [
                "sidecar",
                "--log.level=info",
                `--prometheus.url=${prometheus.url}`,
                `--tsdb.path=${tsdb}`,
                `--grpc-address=127.0.0.1:${sidecarGrpc}`,
                `--http-address=127.0.0.1:${sidecarHttp}`,
                ...(o.objstoreFile ? [`--objstore.config-file=${o.objstoreFile}`] : []),
            ],
            o.objstoreFile ? { ...S3_ENV } : {},
        ),
        { url: `http://127.0.0.1:${sidecarHttp}`, grpc: `127.0.0.1:${sidecarGrpc}` },
    );
    const endpointConfig = YAML.stringify({ endpoints: [{ address: sidecar.grpc }] });
    const rewritten = o.renderedQueryArgs
        ? rewriteThanosArgs(o.renderedQueryArgs, { httpAddress: `127.0.0.1:${queryHttp}`, grpcAddress: `${ip}:${o.grpcPort}`, paths: {}, values: { "--endpoint.sd-config": endpointConfig } })
        : undefined;
    const leafQuery = Object.assign(
        spawnTracked(
            `${o.id}/leaf-query`,
            binary("thanos"),
            rewritten ? rewritten.args : ["query", "--log.level=warn", `--http-address=127.0.0.1:${queryHttp}`, `--grpc-address=${ip}:${o.grpcPort}`, `--endpoint.sd-config=${endpointConfig}`],
        ),
        { url: `http://127.0.0.1:${queryHttp}`, grpc: `${ip}:${o.grpcPort}`, ...(rewritten ? { rewritten } : {}) },
    );
    await Promise.all([waitReady(sidecar, `${sidecar.url}/-/ready`), waitReady(leafQuery, `${leafQuery.url}/-/ready`)]);
    // The leaf answers for its cluster before anyone federates it.
    await waitFor(`${o.id} leaf query to see its Prometheus`, 60_000, async () => ((await instantQuery(leafQuery.url, "up")).result.length > 0 ? true : undefined));
    return { id: o.id, ip, recordName: `${o.id}-grpc.${o.thanosZone}`, prometheus, sidecar, leafQuery, dir };
}

// ---------------------------------------------------------------------------------------------
// The central query: rendered flags, its own /etc/hosts

export interface CentralQuery extends FleetProcess {
    url: string;
    /** The args it runs with (rendered, ports and paths rewritten). */
    args: RewrittenArgs;
    /** The /etc/hosts it sees (bind-mounted; rewrite in place with setHosts). */
    hostsFile: string;
    setHosts(entries: Record<string, string>): void;
}

function hostsText(entries: Record<string, string>): string {
    const base = fs.readFileSync("/etc/hosts", "utf8");
    return `${base.replace(/\n*$/, "\n")}# thanos fleet e2e\n${Object.entries(entries)
        .map(([name, ip]) => `${ip} ${name}`)
        .join("\n")}\n`;
}

/**
 * Starts `thanos query` with `renderedArgs` (queryArgs(settings)), only --http-address,
 * --grpc-address and the endpoint-SD file path rewritten, inside a private mount namespace whose
 * /etc/hosts maps `hosts` names to loopback addresses. The spawned PID is the thanos process
 * (unshare and sh exec it): checked through /proc/<pid>/exe.
 */
export async function startCentralQuery(o: { renderedArgs: string[]; renderedEndpointsFile: string; endpointsFile: string; root: string; hosts: Record<string, string> }): Promise<CentralQuery> {
    const [http, grpc] = [await freePort(), await freePort()];
    const args = rewriteThanosArgs(o.renderedArgs, { httpAddress: `127.0.0.1:${http}`, grpcAddress: `127.0.0.1:${grpc}`, paths: { [o.renderedEndpointsFile]: o.endpointsFile } });
    const hostsFile = path.join(o.root, "central-hosts");
    fs.writeFileSync(hostsFile, hostsText(o.hosts));
    const thanos = binary("thanos");
    const unshareFlags = process.getuid?.() === 0 ? ["-m"] : ["-Urm"];
    const p = spawnTracked("central-query", "unshare", [...unshareFlags, "sh", "-c", 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, thanos, ...args.args]);
    const url = `http://127.0.0.1:${http}`;
    try {
        await waitReady(p, `${url}/-/ready`);
    } catch (e) {
        if (/unshare|mount:|Operation not permitted|permission denied/i.test(p.log())) {
            throw new Error(
                `the central thanos query needs its own /etc/hosts (a private mount namespace: \`unshare ${unshareFlags.join(" ")}\` + \`mount --bind\`), and this machine refused it: ${p.log().slice(-1500)}`,
            );
        }
        throw e;
    }
    const exe = fs.readlinkSync(`/proc/${p.pid}/exe`);
    if (exe !== fs.realpathSync(thanos)) throw new Error(`central query PID ${p.pid} runs ${exe}, not ${thanos}`);
    return Object.assign(p, {
        url,
        args,
        hostsFile,
        // In place (same inode): the bind mount shows the new text; Go re-reads /etc/hosts when it changes.
        setHosts: (entries: Record<string, string>) => fs.writeFileSync(hostsFile, hostsText(entries)),
    });
}

/** The executable of a PID (to check a process is the one that was started, still running). */
export function exeOf(pid: number): string | undefined {
    try {
        return fs.readlinkSync(`/proc/${pid}/exe`);
    } catch {
        return undefined;
    }
}

// ---------------------------------------------------------------------------------------------
// The registrar: its built archive against moto Route 53 and the Kubernetes API test server

export interface FleetRegistrar {
    world: RegistrarWorld;
    archive: BuiltArchive;
    runtimeModules: string;
    /** The handler's environment (grpc port, static endpoints, shrink rules...). */
    env: Record<string, string>;
    /** Directory the endpoint-SD ConfigMap is projected into (the central query's volume). */
    endpointsDir: string;
    endpointsFile: string;
    /** Makes the Thanos zone's records exactly `<id>-grpc` for `ids` (A records). */
    setClusters(ids: string[]): Promise<void>;
    /** Runs the handler from its archive once. */
    run(): Promise<HandlerRun>;
    /** The ConfigMap's endpoints.yaml now. */
    configMapText(): string | undefined;
    /** Projects the ConfigMap into endpointsDir (kubelet); returns whether the file changed. */
    sync(): boolean;
    close(): Promise<void>;
}

/** The ConfigMap seed ThanosFederation renders (its in-cluster StoreAPIs), for the registrar's static endpoints too. */
export function endpointsSeed(federationMode: string): { staticEndpoints: string[]; text: string } {
    // What ThanosFederation seeds the ConfigMap with (index.ts) and passes DnsRegistrar as thanosStaticEndpoints.
    const staticEndpoints = inClusterStoreEndpoints(federationMode);
    return { staticEndpoints, text: renderThanosEndpointConfig(staticEndpoints) };
}

/**
 * Builds the registrar's archive, starts moto + the Kubernetes API test server, seeds the three
 * ConfigMaps as ThanosFederation does, and projects the endpoint ConfigMap into `root/endpoints`.
 */
export async function startFleetRegistrar(o: { root: string; grpcPort: number; federationMode: string; env?: Record<string, string> }): Promise<FleetRegistrar> {
    const cwd = process.cwd();
    process.chdir(REPO_ROOT); // computeCodePaths reads ./package.json, as a Pulumi program does
    let archive: BuiltArchive;
    try {
        archive = await buildRegistrarArchive(path.join(o.root, "registrar-task"));
    } finally {
        process.chdir(cwd);
    }
    const runtimeModules = buildRuntimeModules(path.join(o.root, "registrar-runtime"), REPO_ROOT);
    const world = await startRegistrarWorld();
    const seed = endpointsSeed(o.federationMode);
    world.kube.seed(NAMESPACE, THANOS_ENDPOINTS.configMap, { [THANOS_ENDPOINTS.key]: seed.text });
    world.kube.seed(NAMESPACE, "prometheus-federation-targets", { "targets.json": "[]\n" });
    world.kube.seed(NAMESPACE, "blackbox-probe-targets", { "probes.json": "[]\n" });
    world.kube.seed(NAMESPACE, "thanos-query-targets", { "targets.json": "[]\n" });
    const env = world.env({ [ENV.grpcPort]: String(o.grpcPort), [ENV.thanosStaticEndpoints]: seed.staticEndpoints.join(","), ...(o.env ?? {}) });
    const endpointsDir = path.join(o.root, "endpoints");
    const configMapText = () => world.kube.get(NAMESPACE, THANOS_ENDPOINTS.configMap)?.data?.[THANOS_ENDPOINTS.key];
    const sync = () => {
        const text = configMapText();
        if (text === undefined) throw new Error(`ConfigMap ${THANOS_ENDPOINTS.configMap} has no ${THANOS_ENDPOINTS.key}`);
        return projectConfigMap(endpointsDir, { [THANOS_ENDPOINTS.key]: text });
    };
    sync();
    return {
        world,
        archive,
        runtimeModules,
        env,
        endpointsDir,
        endpointsFile: path.join(endpointsDir, THANOS_ENDPOINTS.key),
        setClusters: (ids) => world.setRecords(world.zones.thanos, ids.map((id) => ({ name: `${id}-grpc` }))),
        run: () => runHandler({ env, archiveDir: archive.dir, runtimeModules }),
        configMapText,
        sync,
        close: () => world.close(),
    };
}

export interface RegistrationTiming {
    /** Route 53 change (ChangeResourceRecordSets) */
    route53Ms: number;
    /** the handler process, from start to exit (cold start included) */
    handlerMs: number;
    /** kubelet's projection of the ConfigMap */
    swapMs: number;
    /** from the swap to the first central query that returns the cluster */
    visibleMs: number;
    totalMs: number;
}

/**
 * Registers clusters end to end: Route 53 records for `ids`, one handler run from its archive,
 * the ConfigMap projected, then polls `promql` on the central query until `expect(answer)` holds.
 * Per-step times for the benchmark. Throws when the handler run fails.
 */
export async function registerClusters(
    reg: FleetRegistrar,
    central: { url: string },
    ids: string[],
    expect: (a: QueryAnswer) => boolean,
    o: { promql?: string; timeoutMs?: number; pollMs?: number } = {},
): Promise<{ run: HandlerRun; timing: RegistrationTiming; answer: QueryAnswer }> {
    const t0 = Date.now();
    await reg.setClusters(ids);
    const t1 = Date.now();
    const run = await reg.run();
    if (!run.ok) throw new Error(`registrar run failed: ${JSON.stringify(run.runs)} ${run.message ?? ""} ${run.stderr.slice(-2000)}`);
    const t2 = Date.now();
    reg.sync();
    const t3 = Date.now();
    const answer = await pollQuery(central.url, o.promql ?? "count by (clusterID) (up)", expect, o.timeoutMs ?? 60_000, o.pollMs ?? 250);
    const t4 = Date.now();
    return { run, answer, timing: { route53Ms: t1 - t0, handlerMs: t2 - t1, swapMs: t3 - t2, visibleMs: t4 - t3, totalMs: t4 - t0 } };
}

/** Polls an instant query until `expect` holds; the last answer in the error otherwise. */
export async function pollQuery(url: string, promql: string, expect: (a: QueryAnswer) => boolean, timeoutMs: number, pollMs = 250): Promise<QueryAnswer> {
    const deadline = Date.now() + timeoutMs;
    let last: QueryAnswer | undefined;
    let lastError: unknown;
    for (;;) {
        try {
            last = await instantQuery(url, promql, { timeoutMs: Math.max(1000, deadline - Date.now()) });
            if (expect(last)) return last;
        } catch (e) {
            lastError = e;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms polling ${promql}: last answer ${JSON.stringify(last)}${lastError ? `, last error ${String(lastError)}` : ""}`);
        }
        await new Promise((r) => setTimeout(r, pollMs));
    }
}

// ---------------------------------------------------------------------------------------------
// A whole fleet (what the e2e and the benchmark start)

/** Leaf `ids` (clusters) started in parallel, sharing one gRPC port on their own loopback addresses. */
export async function startLeaves(o: { root: string; ids: string[]; grpcPort: number; thanosZone: string; objstoreFile?: string; blockDuration?: string; renderedQueryArgs?: Record<string, string[]> }): Promise<LeafCluster[]> {
    return Promise.all(
        o.ids.map((id, index) =>
            startLeafCluster({ id, index, grpcPort: o.grpcPort, root: o.root, thanosZone: o.thanosZone, objstoreFile: o.objstoreFile, blockDuration: o.blockDuration, renderedQueryArgs: o.renderedQueryArgs?.[id] }),
        ),
    );
}

/** The hosts entries (record name -> leaf ip) of leaves. */
export function hostsOf(leaves: LeafCluster[]): Record<string, string> {
    return Object.fromEntries(leaves.map((l) => [l.recordName, l.ip]));
}

/** Runs `which` for a command (a clear error when a needed tool is missing). */
export function requireCommand(cmd: string): void {
    try {
        execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    } catch {
        throw new Error(`${cmd} is needed by the Thanos fleet e2e (util-linux) and is not installed`);
    }
}
