// A small SigV4-signed HTTPS client for one OpenSearch Service domain (service name `es`), for the
// REST API and the Dashboards API under /_dashboards. Node's http/https only; the signer is
// @smithy/signature-v4 with @aws-crypto/sha256-js (no AWS SDK client in the bundle).
import * as http from "http";
import * as https from "https";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

export interface Credentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}

export interface ClientOptions {
    /** Domain endpoint host (https implied) or URL; plain http only for loopback hosts (tests). */
    endpoint: string;
    region: string;
    credentials: Credentials;
    /** Per-request timeout. Default 15000. */
    timeoutMs?: number;
    /** Attempts for 429/502/503/504 and connection errors. Default 3. */
    maxAttempts?: number;
    /** First retry delay; doubles per attempt. Default 1000. */
    retryDelayMs?: number;
}

export interface HttpResult {
    status: number;
    body: string;
}

/** A request that OpenSearch answered with a status the bootstrap cannot accept. */
export interface OpenSearchHttpError extends Error {
    name: "OpenSearchHttpError";
    method: string;
    path: string;
    status: number;
    responseBody: string;
}

/**
 * Builds an OpenSearchHttpError. A factory, not a subclass of Error: CallbackFunction's closure
 * serializer turns `super(message)` into `Error.call(this, message)`, which sets no message (the
 * artifact test caught the Lambda failing with an empty message).
 */
export function openSearchHttpError(method: string, path: string, status: number, responseBody: string): OpenSearchHttpError {
    const err = new Error(`${method} ${path} failed: HTTP ${status}: ${responseBody.slice(0, 500)}`) as OpenSearchHttpError;
    err.name = "OpenSearchHttpError";
    err.method = method;
    err.path = path;
    err.status = status;
    err.responseBody = responseBody;
    return err;
}

export interface OpenSearchClient {
    /** Sends one signed request; `path` may carry a query string. Retries only transient failures. */
    request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
    /** Requests sent so far (each attempt counts). */
    sent(): number;
}

// Module-level constants are arrays, not Sets: CallbackFunction's closure serializer captures a
// Set as a plain object (its .has then throws in the Lambda); the artifact test runs the archive.
const LOOPBACK = ["127.0.0.1", "localhost", "[::1]", "::1"];
const RETRYABLE = [429, 502, 503, 504];

/** The base URL for an endpoint: https unless it is an explicit http URL of a loopback host. */
export function endpointUrl(endpoint: string): URL {
    const url = new URL(/^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`);
    if (url.protocol === "http:" && !LOOPBACK.includes(url.hostname)) {
        throw new Error(`endpoint ${endpoint}: plain http is only allowed for loopback test servers; OpenSearch Service is https only`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`endpoint ${endpoint}: expected an https endpoint`);
    return url;
}

/** Credentials of the Lambda execution role, as the runtime provides them in the environment. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) throw new Error("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set (the Lambda runtime provides them)");
    return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}

function splitPath(pathWithQuery: string): { path: string; query: Record<string, string> } {
    const [path, search = ""] = pathWithQuery.split("?", 2);
    const query: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(search)) query[k] = v;
    return { path, query };
}

function send(url: URL, method: string, path: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<HttpResult> {
    const transport = url.protocol === "http:" ? http : https;
    return new Promise((resolve, reject) => {
        const req = transport.request(
            { protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ""), port: url.port || undefined, method, path, headers, timeout: timeoutMs },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
                res.on("error", reject);
            },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
        req.on("error", reject);
        if (body !== undefined) req.write(body);
        req.end();
    });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A client for one domain. Every request is signed for service `es` in `region`. */
export function createClient(options: ClientOptions): OpenSearchClient {
    const base = endpointUrl(options.endpoint);
    const signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: "es", sha256: Sha256 });
    const timeoutMs = options.timeoutMs ?? 15_000;
    const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    const retryDelayMs = options.retryDelayMs ?? 1000;
    let count = 0;

    return {
        sent: () => count,
        async request(method, pathWithQuery, body, extraHeaders = {}) {
            const { path, query } = splitPath(pathWithQuery);
            const text = body === undefined ? undefined : JSON.stringify(body);
            const host = base.port ? `${base.hostname}:${base.port}` : base.hostname;
            for (let attempt = 1; ; attempt++) {
                const unsigned = new HttpRequest({
                    method,
                    protocol: base.protocol,
                    hostname: base.hostname,
                    ...(base.port ? { port: Number(base.port) } : {}),
                    path,
                    query,
                    headers: {
                        host,
                        accept: "application/json",
                        ...(text !== undefined ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) } : {}),
                        ...extraHeaders,
                    },
                    ...(text !== undefined ? { body: text } : {}),
                });
                const signed = (await signer.sign(unsigned)) as HttpRequest;
                count++;
                let result: HttpResult | undefined;
                let failure: unknown;
                try {
                    result = await send(base, method, pathWithQuery, signed.headers as Record<string, string>, text, timeoutMs);
                } catch (err) {
                    failure = err;
                }
                const transient = result === undefined || RETRYABLE.includes(result.status);
                if (!transient || attempt >= maxAttempts) {
                    if (result === undefined) throw failure instanceof Error ? failure : new Error(String(failure));
                    return result;
                }
                await sleep(retryDelayMs * 2 ** (attempt - 1));
            }
        },
    };
}
