// The DnsRegistrar's test world: moto (Route 53, EKS, STS, SQS) and the Kubernetes API test
// server, wired like production (the Kubernetes server authenticates the handler's EKS token and
// authorizes with the component's RBAC rules), plus a launcher that runs the handler in a
// separate Node >= 22.19 process, from source or from the built archive.
import { spawn } from "child_process";
import * as path from "path";
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, ListResourceRecordSetsCommand, ResourceRecordSet, Route53Client } from "@aws-sdk/client-route-53";
import { CreateClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ENV } from "../../functions/dns-registrar/settings";
import { RbacRule, rbacAllows, rbacRules } from "../../components/dns-registrar/plan";
import { DEFAULT_CONFIGMAPS } from "../../functions/dns-registrar/settings";
import { KubeTestServer, startKubeServer } from "./registrar-kube-server";
import { MotoServer, startMoto, TEST_CREDENTIALS, TEST_REGION } from "./registrar-moto";
import { verifyEksToken } from "./registrar-sigv4";
import { lambdaNode } from "./registrar-archive";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const CLUSTER_NAME = "cnc-test";
export const NAMESPACE = "monitoring";
export const GROUP = "cloud-cnc:dns-registrar";

export interface TestZone {
    id: string;
    name: string;
}

/** A record to have in a zone: A records point at 10.0.0.1, CNAMEs at an NLB name, TXT hold text. */
export interface TestRecord {
    name: string;
    type?: "A" | "AAAA" | "CNAME" | "TXT";
}

export interface RegistrarWorld {
    moto: MotoServer;
    kube: KubeTestServer;
    route53: Route53Client;
    zones: { thanos: TestZone; prometheus: TestZone; installations: TestZone };
    /** Identities (STS ARNs) the Kubernetes server authenticated, in order. */
    identities: string[];
    /** Reasons of rejected tokens. */
    rejectedTokens: string[];
    /** RBAC rules in force (change to test other grants). */
    rules: RbacRule[];
    /** The handler's environment for this world. */
    env(overrides?: Record<string, string>): Record<string, string>;
    /** Makes the zone's A/AAAA/CNAME/TXT records exactly `records` (apex SOA/NS untouched). */
    setRecords(zone: TestZone, records: TestRecord[]): Promise<void>;
    close(): Promise<void>;
}

function recordSet(zone: TestZone, r: TestRecord): ResourceRecordSet {
    const type = r.type ?? "A";
    const value = type === "A" ? "10.0.0.1" : type === "AAAA" ? "fd00::1" : type === "CNAME" ? "internal-nlb-123.elb.eu-west-1.amazonaws.com" : '"registrar test"';
    const name = r.name.endsWith(".") ? r.name : r.name.includes(zone.name) ? `${r.name}.` : `${r.name}.${zone.name}.`;
    return { Name: name, Type: type, TTL: 60, ResourceRecords: [{ Value: value }] };
}

/** Starts moto and the Kubernetes test server and creates the zones and the cluster. */
/**
 * Registers mocha before/after hooks that start a RegistrarWorld for the enclosing describe and
 * close it afterwards; `bind` receives the started world.
 */
export function useRegistrarWorld(bind: (world: RegistrarWorld) => void, options: { allowCreate?: boolean } = {}): void {
    let world: RegistrarWorld | undefined;
    before(async () => {
        world = await startRegistrarWorld(options);
        bind(world);
    });
    after(async () => {
        await world?.close();
    });
}

export async function startRegistrarWorld(options: { allowCreate?: boolean } = {}): Promise<RegistrarWorld> {
    const moto = await startMoto(REPO_ROOT);
    const aws = { region: TEST_REGION, endpoint: moto.endpoint, credentials: TEST_CREDENTIALS };
    const route53 = new Route53Client(aws);
    const sts = new STSClient(aws);
    const identities: string[] = [];
    const rejectedTokens: string[] = [];
    const tokenCache = new Map<string, string>();
    const world: Partial<RegistrarWorld> & { rules: RbacRule[] } = {
        rules: rbacRules(Object.values(DEFAULT_CONFIGMAPS), options.allowCreate ?? false),
    };
    const kube = await startKubeServer({
        // What EKS does with the bearer token: check it (signature, expiry, cluster header), then
        // ask STS who signed it. moto cannot answer a presigned GET (it routes requests by their
        // Authorization header), so the identity comes from GetCallerIdentity with the key the
        // token was signed with; the access entry maps every such identity to GROUP.
        authenticate: async (token) => {
            const check = verifyEksToken(token, { clusterName: CLUSTER_NAME, secrets: { [TEST_CREDENTIALS.accessKeyId]: TEST_CREDENTIALS.secretAccessKey } });
            if (!check.ok) {
                rejectedTokens.push(check.reason ?? "invalid");
                return undefined;
            }
            let arn = tokenCache.get(token);
            if (!arn) {
                const who = await sts.send(new GetCallerIdentityCommand({}));
                arn = who.Arn ?? "unknown";
                tokenCache.set(token, arn);
                identities.push(arn);
            }
            return { user: arn, groups: [GROUP, "system:authenticated"] };
        },
        authorize: (identity, verb, namespace, name) => namespace === NAMESPACE && (identity?.groups.includes(GROUP) ?? false) && rbacAllows(world.rules, verb, name),
    });

    const zone = async (name: string): Promise<TestZone> => {
        const out = await route53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `${name}-${Date.now()}-${Math.random()}` }));
        return { id: out.HostedZone!.Id!.replace("/hostedzone/", ""), name };
    };
    const zones = { thanos: await zone("thanos.fleet.internal"), prometheus: await zone("prometheus.fleet.internal"), installations: await zone("cloud.example.com") };
    await new EKSClient(aws).send(new CreateClusterCommand({ name: CLUSTER_NAME, roleArn: "arn:aws:iam::123456789012:role/eks-cluster", resourcesVpcConfig: { subnetIds: ["subnet-0aaa"] } }));

    return Object.assign(world, {
        moto,
        kube,
        route53,
        zones,
        identities,
        rejectedTokens,
        env: (overrides: Record<string, string> = {}) => ({
            AWS_REGION: TEST_REGION,
            AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
            AWS_ENDPOINT_URL: moto.endpoint,
            [ENV.stsEndpoint]: moto.endpoint,
            [ENV.kubeServer]: kube.url,
            [ENV.kubeCaData]: kube.caData,
            [ENV.clusterName]: CLUSTER_NAME,
            [ENV.namespace]: NAMESPACE,
            [ENV.thanosZoneId]: zones.thanos.id,
            [ENV.thanosZoneName]: zones.thanos.name,
            [ENV.prometheusZoneId]: zones.prometheus.id,
            [ENV.prometheusZoneName]: zones.prometheus.name,
            [ENV.installationsZoneId]: zones.installations.id,
            [ENV.installationsZoneName]: zones.installations.name,
            [ENV.emptyConfirmSeconds]: "0",
            [ENV.kubeTimeoutMs]: "2000",
            ...overrides,
        }),
        async setRecords(z: TestZone, records: TestRecord[]) {
            const existing: ResourceRecordSet[] = [];
            let start: { StartRecordName?: string; StartRecordType?: ResourceRecordSet["Type"] } = {};
            for (;;) {
                const page = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: z.id, ...start }));
                existing.push(...(page.ResourceRecordSets ?? []));
                if (!page.IsTruncated) break;
                start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType };
            }
            const wanted = records.map((r) => recordSet(z, r));
            const key = (r: ResourceRecordSet) => `${r.Name!.toLowerCase().replace(/\\052/g, "*")}|${r.Type}`;
            const wantedKeys = new Set(wanted.map(key));
            const existingKeys = new Set(existing.map(key));
            const changes = [
                ...existing.filter((r) => r.Type !== "SOA" && r.Type !== "NS" && !wantedKeys.has(key(r))).map((r) => ({ Action: "DELETE" as const, ResourceRecordSet: r })),
                // UPSERT: moto (5.2.5) still reports a deleted name as existing to a later CREATE.
                ...wanted.filter((r) => !existingKeys.has(key(r))).map((r) => ({ Action: "UPSERT" as const, ResourceRecordSet: r })),
            ];
            for (let i = 0; i < changes.length; i += 500) {
                await route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: z.id, ChangeBatch: { Changes: changes.slice(i, i + 500) } }));
            }
        },
        async close() {
            await kube.close();
            await moto.stop();
        },
    }) as RegistrarWorld;
}

export interface HandlerRun {
    ok: boolean;
    code: number | null;
    initMs?: number;
    runs: { ok: boolean; ms: number; name?: string; message?: string; summary?: any }[];
    /** JSON lines the handler printed (Powertools logs and EMF metric documents). */
    lines: Record<string, any>[];
    stderr: string;
    wallMs: number;
    phase?: string;
    message?: string;
}

/**
 * Runs the handler in a separate Node (>= 22.19) process: from source through ts-node (cwd: the
 * repository), or from a built archive directory (cwd: the archive, NODE_PATH: the emulated
 * runtime modules). `times` invocations share one cold start.
 */
export function runHandler(options: { env: Record<string, string>; archiveDir?: string; runtimeModules?: string; event?: unknown; times?: number; timeoutMs?: number }): Promise<HandlerRun> {
    const node = lambdaNode(REPO_ROOT);
    const invoke = path.join(REPO_ROOT, "tests", "support", "registrar-invoke.js");
    const args = options.archiveDir
        ? [invoke, path.join(options.archiveDir, "__index.js"), "handler"]
        : ["-r", "ts-node/register", invoke, path.join(REPO_ROOT, "functions", "dns-registrar", "lambda.ts"), "factory"];
    args.push(JSON.stringify(options.event ?? { source: "aws.events", "detail-type": "Scheduled Event" }), String(options.times ?? 1));
    // Only what Lambda would set, plus the test world's variables: no inherited AWS settings.
    const env: Record<string, string> = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        LAMBDA_TASK_ROOT: options.archiveDir ?? REPO_ROOT,
        AWS_LAMBDA_FUNCTION_NAME: "dns-registrar-test",
        ...(options.archiveDir ? { NODE_PATH: options.runtimeModules ?? "" } : { TS_NODE_TRANSPILE_ONLY: "1", TS_NODE_PROJECT: path.join(REPO_ROOT, "tsconfig.json") }),
        ...options.env,
    };
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const child = spawn(node, args, { cwd: options.archiveDir ?? REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
        child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
        const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            const lines: Record<string, any>[] = [];
            let result: any;
            for (const line of stdout.split("\n")) {
                if (line.startsWith("@@RESULT ")) result = JSON.parse(line.slice(9));
                else if (line.trim().startsWith("{")) {
                    try {
                        lines.push(JSON.parse(line));
                    } catch {
                        // not a JSON line
                    }
                }
            }
            if (!result) return reject(new Error(`handler process (exit ${code}) printed no result.\nstdout: ${stdout.slice(-3000)}\nstderr: ${stderr.slice(-3000)}`));
            resolve({ ...result, runs: result.runs ?? [], code, lines, stderr, wallMs: Date.now() - started });
        });
    });
}

/** The metric values of the EMF documents a run printed (name -> values in order). */
export function emfMetrics(lines: Record<string, any>[]): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const doc of lines) {
        const defs = doc._aws?.CloudWatchMetrics?.[0]?.Metrics as { Name: string }[] | undefined;
        if (!defs) continue;
        for (const d of defs) (out[d.Name] ??= []).push(doc[d.Name] as number);
    }
    return out;
}
