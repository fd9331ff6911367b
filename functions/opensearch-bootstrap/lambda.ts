// The Lambda entry point. `createBootstrapHandler` is the factory the LoggingPipeline component
// hands to aws.lambda.CallbackFunction (callbackFactory). It captures nothing from the Pulumi
// program: the endpoint and the desired state arrive in the event (the aws.lambda.Invocation
// input), the credentials and region in the environment the Lambda runtime sets.
import { applyDesiredState } from "./apply";
import { createClient, credentialsFromEnv } from "./client";
import { BootstrapEvent, BootstrapSummary, desiredHash } from "./contract";

function log(level: "INFO" | "ERROR", message: string, data: Record<string, unknown> = {}): void {
    console.log(JSON.stringify({ level, message, service: "opensearch-bootstrap", ...data }));
}

function positiveInt(value: string | undefined, fallback: number): number {
    const n = Number(value);
    return value !== undefined && Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** Checks the event's shape and its hash (a truncated or hand-edited input is refused). */
export function parseEvent(event: unknown): BootstrapEvent {
    const e = (typeof event === "string" ? JSON.parse(event) : event) as Partial<BootstrapEvent> | null;
    const problems: string[] = [];
    if (!e || typeof e !== "object") throw new Error("bootstrap event: expected an object with endpoint, desiredHash and desired");
    if (typeof e.endpoint !== "string" || e.endpoint === "") problems.push("endpoint (a domain endpoint)");
    if (typeof e.desiredHash !== "string" || !/^[0-9a-f]{64}$/.test(e.desiredHash)) problems.push("desiredHash (64 hex digits)");
    const d = e.desired;
    if (!d || typeof d !== "object") problems.push("desired (the desired state)");
    else {
        if (!d.ismPolicy || typeof d.ismPolicy.id !== "string") problems.push("desired.ismPolicy");
        if (!d.indexTemplate || typeof d.indexTemplate.name !== "string") problems.push("desired.indexTemplate");
        for (const key of ["roles", "roleMappings", "indexPatterns"] as const) if (!Array.isArray(d[key])) problems.push(`desired.${key}`);
        if (typeof d.defaultIndexPatternId !== "string") problems.push("desired.defaultIndexPatternId");
    }
    if (problems.length > 0) throw new Error(`bootstrap event: missing or invalid ${problems.join(", ")}`);
    const event_ = e as BootstrapEvent;
    const actual = desiredHash(event_.endpoint, event_.desired);
    if (actual !== event_.desiredHash) throw new Error(`bootstrap event: desiredHash ${event_.desiredHash} does not match the desired state (sha256 ${actual})`);
    return event_;
}

/** The handler factory (runs at cold start). */
export function createBootstrapHandler(): (event: unknown) => Promise<BootstrapSummary> {
    return async (event) => {
        const started = Date.now();
        try {
            const e = parseEvent(event);
            const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
            if (!region) throw new Error("AWS_REGION is not set (the Lambda runtime sets it)");
            const client = createClient({
                endpoint: e.endpoint,
                region,
                credentials: credentialsFromEnv(process.env),
                maxAttempts: positiveInt(process.env.BOOTSTRAP_MAX_ATTEMPTS, 3),
                retryDelayMs: positiveInt(process.env.BOOTSTRAP_RETRY_DELAY_MS, 1000),
                timeoutMs: positiveInt(process.env.BOOTSTRAP_TIMEOUT_MS, 15_000),
            });
            log("INFO", "bootstrap started", { endpoint: e.endpoint, desiredHash: e.desiredHash });
            const changes = await applyDesiredState(client, e.desired, { log: (message, data) => log("INFO", message, data) });
            const summary: BootstrapSummary = { desiredHash: e.desiredHash, changes, requests: client.sent() };
            log("INFO", "bootstrap complete", {
                ms: Date.now() - started,
                requests: summary.requests,
                written: changes.filter((c) => c.action !== "unchanged").map((c) => `${c.kind}:${c.name}:${c.action}`),
            });
            return summary;
        } catch (err) {
            log("ERROR", "bootstrap failed", { error: err instanceof Error ? err.message : String(err), ms: Date.now() - started });
            throw err;
        }
    };
}
