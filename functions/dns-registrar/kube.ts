// Kubernetes adapter: the registrar's ConfigMaps through @kubernetes/client-node (promise API).
// Reads return the resourceVersion; replace sends it back, so a concurrent writer makes the API
// server answer 409 (ConflictError) and the caller re-reads and re-plans. Transient failures
// (5xx, timeouts, resets) are retried here a few times; 401/403/404/409 never are.
//
// @kubernetes/client-node 2.x is an ES module that needs Node >= 22.19 (its undici): it is loaded
// with a dynamic import when the handler first talks to the cluster, so the Pulumi program (which
// only serializes the handler) never loads it.
import type { V1ConfigMap } from "@kubernetes/client-node";
import { backoffDelay, RetryOptions } from "./route53";

/** One of the registrar's ConfigMaps as read. */
export interface StoredConfigMap {
    name: string;
    resourceVersion: string;
    data: Record<string, string>;
    annotations: Record<string, string>;
    /** The object as read (replace sends it back with the changes). */
    raw: V1ConfigMap;
}

/** The ConfigMap operations the registrar needs. */
export interface ConfigMapStore {
    /** The ConfigMap, or undefined when it does not exist. */
    get(name: string): Promise<StoredConfigMap | undefined>;
    /** Replaces data and annotations, conditional on the resourceVersion read. Throws ConflictError on 409. */
    replace(current: StoredConfigMap, data: Record<string, string>, annotations: Record<string, string>): Promise<StoredConfigMap>;
    /** Creates the ConfigMap. Throws ConflictError when it already exists. */
    create(name: string, data: Record<string, string>, annotations: Record<string, string>, labels: Record<string, string>): Promise<StoredConfigMap>;
}

// Errors are plain Error objects with a name (no `class extends Error`): the handler is serialized
// by value, and the serializer turns `super(message)` into a call of Error as a function, which
// drops the message.

/** A 409 from the API server: the object changed since it was read (or already exists). */
export interface ConflictError extends Error {
    name: "ConflictError";
}

/** Any other API failure (after retries for transient ones). */
export interface KubeApiError extends Error {
    name: "KubeApiError";
    status: number | undefined;
}

export function conflictError(message: string): ConflictError {
    return Object.assign(new Error(message), { name: "ConflictError" as const });
}

export function isConflictError(err: unknown): err is ConflictError {
    return err instanceof Error && err.name === "ConflictError";
}

export function kubeApiError(status: number | undefined, message: string): KubeApiError {
    return Object.assign(new Error(message), { name: "KubeApiError" as const, status });
}

export function isKubeApiError(err: unknown): err is KubeApiError {
    return err instanceof Error && err.name === "KubeApiError";
}

export interface KubeStoreOptions {
    server: string;
    /** Base64 PEM CA bundle. */
    caData: string;
    token: string;
    namespace: string;
    /** Per-request timeout. */
    timeoutMs: number;
    retry?: RetryOptions;
}

export const DEFAULT_KUBE_RETRY: RetryOptions = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/** The HTTP status of a client-node ApiException (not the numeric `code` of a DOMException such as a timeout's 23). */
function statusOf(err: unknown): number | undefined {
    if (err === null || typeof err !== "object" || !("headers" in err) || !("body" in err)) return undefined;
    const code = (err as { code?: unknown }).code;
    return typeof code === "number" && code >= 100 && code < 600 ? code : undefined;
}

function isTransient(err: unknown): boolean {
    const status = statusOf(err);
    if (status !== undefined) return status >= 500 || status === 429;
    const name = (err as { name?: string })?.name;
    // Timeouts (AbortSignal.timeout), aborted or reset connections, fetch failures.
    return name === "TimeoutError" || name === "AbortError" || err instanceof TypeError || (err as { cause?: { code?: string } })?.cause?.code !== undefined;
}

function describe(err: unknown): string {
    const status = statusOf(err);
    if (status !== undefined) {
        const body = (err as { body?: unknown }).body;
        let message = "";
        if (typeof body === "string") {
            try {
                message = (JSON.parse(body) as { message?: string }).message ?? body;
            } catch {
                message = body;
            }
        } else if (body && typeof body === "object") message = (body as { message?: string }).message ?? "";
        return `HTTP ${status}${message ? `: ${message}` : ""}`;
    }
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    return `${e?.name ?? "Error"}: ${e?.message ?? String(err)}${e?.cause?.message ? ` (${e.cause.message})` : ""}`;
}

function stored(name: string, cm: V1ConfigMap): StoredConfigMap {
    return {
        name,
        resourceVersion: cm.metadata?.resourceVersion ?? "",
        data: { ...(cm.data ?? {}) },
        annotations: { ...(cm.metadata?.annotations ?? {}) },
        raw: cm,
    };
}

/** A ConfigMapStore on a real (or test) Kubernetes API server. */
export async function createKubeStore(options: KubeStoreOptions): Promise<ConfigMapStore> {
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
        clusters: [{ name: "cluster", server: options.server, caData: options.caData, skipTLSVerify: false }],
        users: [{ name: "dns-registrar", token: options.token }],
        contexts: [{ name: "cluster", cluster: "cluster", user: "dns-registrar" }],
        currentContext: "cluster",
    });
    const api = kc.makeApiClient(k8s.CoreV1Api);
    const ns = options.namespace;
    const retry = options.retry ?? DEFAULT_KUBE_RETRY;
    const sleep = retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    // A fresh timeout signal per request: a middleware of the object-parameter API (which takes
    // the Observable-style middleware of the generated client) runs before each send.
    const requestOptions = {
        middleware: [
            {
                pre: (ctx: InstanceType<typeof k8s.RequestContext>) => {
                    ctx.setSignal(AbortSignal.timeout(options.timeoutMs));
                    return new k8s.Observable(Promise.resolve(ctx));
                },
                post: (response: InstanceType<typeof k8s.ResponseContext>) => new k8s.Observable(Promise.resolve(response)),
            },
        ],
        middlewareMergeStrategy: "append" as const,
    };

    async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
        for (let attempt = 1; ; attempt++) {
            try {
                return await fn();
            } catch (err) {
                if (statusOf(err) === 409) throw conflictError(`${what}: ${describe(err)}`);
                if (!isTransient(err) || attempt >= retry.maxAttempts) {
                    throw kubeApiError(statusOf(err), `${what}: ${describe(err)}${attempt > 1 ? ` (after ${attempt} attempts)` : ""}`);
                }
                await sleep(backoffDelay(attempt, retry));
            }
        }
    }

    return {
        async get(name) {
            try {
                const cm = await call(`get configmap ${ns}/${name}`, () => api.readNamespacedConfigMap({ name, namespace: ns }, requestOptions));
                return stored(name, cm);
            } catch (err) {
                if (isKubeApiError(err) && err.status === 404) return undefined;
                throw err;
            }
        },
        async replace(current, data, annotations) {
            const body: V1ConfigMap = {
                ...current.raw,
                apiVersion: "v1",
                kind: "ConfigMap",
                metadata: { ...current.raw.metadata, name: current.name, namespace: ns, resourceVersion: current.resourceVersion, annotations },
                data,
            };
            const cm = await call(`update configmap ${ns}/${current.name}`, () => api.replaceNamespacedConfigMap({ name: current.name, namespace: ns, body }, requestOptions));
            return stored(current.name, cm);
        },
        async create(name, data, annotations, labels) {
            const body: V1ConfigMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns, labels, annotations }, data };
            const cm = await call(`create configmap ${ns}/${name}`, () => api.createNamespacedConfigMap({ namespace: ns, body }, requestOptions));
            return stored(name, cm);
        },
    };
}
