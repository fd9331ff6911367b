// A Kubernetes API test server for the DnsRegistrar suites: ConfigMaps in namespaces, served
// over HTTPS (a throw-away self-signed certificate made with `openssl`) on 127.0.0.1 only.
//
// Semantics follow the API server for ConfigMaps:
//   GET    /api/v1/namespaces/{ns}/configmaps/{name}   200 | 404 NotFound
//   POST   /api/v1/namespaces/{ns}/configmaps          201 | 409 AlreadyExists | 400 (rv set, bad body)
//   PUT    /api/v1/namespaces/{ns}/configmaps/{name}   200 | 404 | 409 Conflict on a stale
//          metadata.resourceVersion (no resourceVersion: unconditional, as Kubernetes allows)
//   PATCH  same path, merge patch (application/merge-patch+json or strategic-merge-patch+json);
//          a metadata.resourceVersion in the patch is a precondition (409 when stale)
// One global, increasing resourceVersion; errors are `Status` objects. Bearer-token
// authentication and RBAC-style authorization are pluggable; faults (any status such as 409 or
// 500, delays that still process the request after the client gave up, hangs, and gates a test
// opens when it wants) are injected per method and name.
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export interface ConfigMapObject {
    apiVersion: "v1";
    kind: "ConfigMap";
    metadata: {
        name: string;
        namespace: string;
        uid: string;
        resourceVersion: string;
        creationTimestamp: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
    };
    data?: Record<string, string>;
}

export interface Identity {
    user: string;
    groups: string[];
}

export interface FaultRule {
    /** HTTP method to match (any when unset). */
    method?: string;
    /** ConfigMap name to match ("" matches create requests; any when unset). */
    name?: string;
    /** How many matching requests the rule applies to (default 1). */
    times?: number;
    /** Answer with this status (a Status object) without processing the request. */
    status?: number;
    /** Wait this long, then process the request normally (even if the client has gone). */
    delayMs?: number;
    /** Never answer (the connection stays open until the client gives up or the server closes). */
    hang?: boolean;
    /** Wait for this promise before processing (a gate the test opens). */
    gate?: Promise<void>;
    /** Called when the rule matches (before waiting). */
    onMatch?: () => void;
}

export interface RequestRecord {
    method: string;
    name: string;
    namespace: string;
    status: number;
    user?: string;
    /** metadata.resourceVersion the client sent (PUT/PATCH/POST bodies). */
    sentResourceVersion?: string;
    fault?: string;
}

export interface KubeServerOptions {
    /** Token -> identity; undefined answers 401. Unset: no authentication. */
    authenticate?: (token: string) => Promise<Identity | undefined>;
    /** RBAC decision for (identity, verb, namespace, name); name is "" for create. Unset: allow. */
    authorize?: (identity: Identity | undefined, verb: string, namespace: string, name: string) => boolean;
    /** Serve plain HTTP instead of HTTPS. */
    plainHttp?: boolean;
}

export interface KubeTestServer {
    /** https://127.0.0.1:<port> */
    url: string;
    /** Base64 PEM of the server's certificate (its own CA), as DescribeCluster returns CA data. */
    caData: string;
    requests: RequestRecord[];
    /** Adds a fault rule (rules are checked in order). */
    inject(rule: FaultRule): void;
    clearFaults(): void;
    /** Creates or overwrites a ConfigMap directly (bumps the resourceVersion). */
    seed(namespace: string, name: string, data: Record<string, string>, annotations?: Record<string, string>, labels?: Record<string, string>): ConfigMapObject;
    get(namespace: string, name: string): ConfigMapObject | undefined;
    remove(namespace: string, name: string): void;
    close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 (openssl; Debian/Ubuntu ship it). */
export function selfSignedCertificate(): { key: string; cert: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-test-tls-"));
    try {
        execFileSync(
            "openssl",
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=kube-test-apiserver", "-addext", "subjectAltName=IP:127.0.0.1"],
            { cwd: dir, stdio: "pipe" },
        );
        return { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
    } catch (err) {
        throw new Error(`openssl could not make a test certificate (apt-get install openssl): ${(err as Error).message}`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const VERBS: Record<string, string> = { GET: "get", POST: "create", PUT: "update", PATCH: "patch" };

function status(code: number, reason: string, message: string, name?: string): Record<string, unknown> {
    return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(name !== undefined ? { details: { name, kind: "configmaps" } } : {}), code };
}

const REASONS: Record<number, string> = { 400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 415: "UnsupportedMediaType", 422: "Invalid", 429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable" };

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
    if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
    const out: Record<string, unknown> = target !== null && typeof target === "object" && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
    for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
        if (v === null) delete out[k];
        else out[k] = mergePatch(out[k], v);
    }
    return out;
}

function isStringMap(v: unknown): v is Record<string, string> {
    return v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");
}

/** Starts the server on 127.0.0.1 and a free port. */
export async function startKubeServer(options: KubeServerOptions = {}): Promise<KubeTestServer> {
    const objects = new Map<string, ConfigMapObject>();
    const requests: RequestRecord[] = [];
    let faults: (FaultRule & { left: number })[] = [];
    let version = 1000;
    const key = (ns: string, name: string) => `${ns}/${name}`;
    const sockets = new Set<net.Socket>();

    const store = (ns: string, name: string, data: Record<string, string> | undefined, annotations: Record<string, string> | undefined, labels: Record<string, string> | undefined, previous?: ConfigMapObject): ConfigMapObject => {
        version += 1;
        const obj: ConfigMapObject = {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: {
                name,
                namespace: ns,
                uid: previous?.metadata.uid ?? crypto.randomUUID(),
                resourceVersion: String(version),
                creationTimestamp: previous?.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, "Z"),
                ...(labels && Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}),
                ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
            },
            ...(data ? { data: { ...data } } : {}),
        };
        objects.set(key(ns, name), obj);
        return obj;
    };

    const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const rawBody = Buffer.concat(chunks).toString("utf8");
        const url = new URL(req.url ?? "/", "https://127.0.0.1");
        const method = (req.method ?? "GET").toUpperCase();
        const m = /^\/api\/v1\/namespaces\/([a-z0-9-]+)\/configmaps(?:\/([a-z0-9.-]+))?$/.exec(url.pathname);
        const record: RequestRecord = { method, name: m?.[2] ?? "", namespace: m?.[1] ?? "", status: 0 };
        requests.push(record);
        const send = (code: number, body: unknown) => {
            record.status = code;
            if (res.destroyed || res.writableEnded) return;
            res.writeHead(code, { "content-type": "application/json" });
            res.end(JSON.stringify(body));
        };
        const fail = (code: number, message: string, name?: string) => send(code, status(code, REASONS[code] ?? "InternalError", message, name));

        let body: Record<string, any> | undefined;
        if (rawBody !== "") {
            try {
                body = JSON.parse(rawBody) as Record<string, any>;
            } catch {
                return fail(400, "the body is not JSON");
            }
            record.sentResourceVersion = body?.metadata?.resourceVersion;
        }

        // Authentication, then authorization (as the API server orders them).
        let identity: Identity | undefined;
        if (options.authenticate) {
            const auth = req.headers.authorization ?? "";
            const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
            identity = token ? await options.authenticate(token) : undefined;
            if (!identity) return fail(401, "Unauthorized");
            record.user = identity.user;
        }
        if (!m) return fail(404, `the server could not find the requested resource (${method} ${url.pathname})`);
        const [, ns, name] = m;
        const verb = VERBS[method];
        if (!verb || (verb === "create" && name !== undefined) || (verb !== "create" && name === undefined)) return fail(405 as number, `method ${method} not allowed here`);
        if (options.authorize && !options.authorize(identity, verb, ns, name ?? "")) {
            return fail(403, `configmaps${name ? ` "${name}"` : ""} is forbidden: User "${identity?.user ?? "anonymous"}" cannot ${verb} resource "configmaps" in API group "" in the namespace "${ns}"`, name);
        }

        // Faults.
        const rule = faults.find((f) => f.left > 0 && (f.method === undefined || f.method === method) && (f.name === undefined || f.name === (name ?? "")));
        if (rule) {
            rule.left -= 1;
            rule.onMatch?.();
            record.fault = rule.status ? `status ${rule.status}` : rule.hang ? "hang" : rule.delayMs !== undefined ? `delay ${rule.delayMs}` : "gate";
            if (rule.hang) return; // never answered
            if (rule.gate) await rule.gate;
            if (rule.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs));
            if (rule.status) {
                const msg = rule.status === 409 ? `Operation cannot be fulfilled on configmaps "${name}": the object has been modified; please apply your changes to the latest version and try again` : `injected fault ${rule.status}`;
                return fail(rule.status, msg, name);
            }
        }

        const current = name ? objects.get(key(ns, name)) : undefined;
        switch (verb) {
            case "get":
                if (!current) return fail(404, `configmaps "${name}" not found`, name);
                return send(200, current);
            case "create": {
                if (!body || body.kind !== "ConfigMap" || typeof body.metadata?.name !== "string") return fail(400, "a ConfigMap with metadata.name is required");
                const newName = body.metadata.name as string;
                if (body.metadata.namespace !== undefined && body.metadata.namespace !== ns) return fail(400, "the namespace of the provided object does not match the namespace sent on the request");
                if (body.metadata.resourceVersion) return fail(400, "resourceVersion should not be set on objects to be created");
                if (body.data !== undefined && !isStringMap(body.data)) return fail(400, "data must map strings to strings");
                if (objects.has(key(ns, newName))) {
                    return send(409, status(409, "AlreadyExists", `configmaps "${newName}" already exists`, newName));
                }
                record.name = newName;
                return send(201, store(ns, newName, body.data, body.metadata.annotations, body.metadata.labels));
            }
            case "update": {
                if (!body || body.kind !== "ConfigMap" || body.metadata?.name !== name) return fail(400, "the name of the object does not match the name on the URL");
                if (body.data !== undefined && !isStringMap(body.data)) return fail(400, "data must map strings to strings");
                if (!current) return fail(404, `configmaps "${name}" not found`, name);
                const rv = body.metadata.resourceVersion;
                if (rv !== undefined && rv !== "" && rv !== current.metadata.resourceVersion) {
                    return fail(409, `Operation cannot be fulfilled on configmaps "${name}": the object has been modified; please apply your changes to the latest version and try again`, name);
                }
                return send(200, store(ns, name!, body.data, body.metadata.annotations, body.metadata.labels, current));
            }
            case "patch": {
                const type = (req.headers["content-type"] ?? "").split(";")[0].trim();
                if (type !== "application/merge-patch+json" && type !== "application/strategic-merge-patch+json") return fail(415, `content type ${type} is not supported here`);
                if (!current) return fail(404, `configmaps "${name}" not found`, name);
                const rv = body?.metadata?.resourceVersion;
                if (rv !== undefined && rv !== current.metadata.resourceVersion) {
                    return fail(409, `Operation cannot be fulfilled on configmaps "${name}": the object has been modified; please apply your changes to the latest version and try again`, name);
                }
                const merged = mergePatch(current, body ?? {}) as ConfigMapObject;
                if (merged.data !== undefined && !isStringMap(merged.data)) return fail(400, "data must map strings to strings");
                return send(200, store(ns, name!, merged.data, merged.metadata?.annotations, merged.metadata?.labels, current));
            }
        }
        return fail(405, "unsupported");
    };

    const tls = options.plainHttp ? undefined : selfSignedCertificate();
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
        handler(req, res).catch((err) => {
            if (!res.headersSent) {
                res.writeHead(500, { "content-type": "application/json" });
                res.end(JSON.stringify(status(500, "InternalError", String(err))));
            }
        });
    };
    const server: http.Server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
    server.on("connection", (s: net.Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    server.on("secureConnection", (s: net.Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const port = (server.address() as net.AddressInfo).port;
    return {
        url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
        caData: tls ? Buffer.from(tls.cert).toString("base64") : "",
        requests,
        inject: (rule) => faults.push({ ...rule, left: rule.times ?? 1 }),
        clearFaults: () => {
            faults = [];
        },
        seed: (ns, name, data, annotations, labels) => store(ns, name, data, annotations, labels, objects.get(key(ns, name))),
        get: (ns, name) => {
            const o = objects.get(key(ns, name));
            return o ? (JSON.parse(JSON.stringify(o)) as ConfigMapObject) : undefined;
        },
        remove: (ns, name) => {
            objects.delete(key(ns, name));
        },
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
}
