// Route 53 adapter: the complete record-set listing of a hosted zone, all pages, with retries on
// throttling and PriorRequestNotComplete. A listing that cannot be completed throws ListingError:
// the caller must then keep the previous files (a partial listing never shrinks a target set).
import { ListResourceRecordSetsCommand, ListResourceRecordSetsCommandOutput, RRType } from "@aws-sdk/client-route-53";
import type { RecordSet } from "./planner";

/** The part of Route53Client the adapter uses (so tests can count calls). */
export interface Route53Sender {
    send(command: ListResourceRecordSetsCommand): Promise<ListResourceRecordSetsCommandOutput>;
}

export interface RetryOptions {
    /** Attempts per page, including the first. */
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    sleep?: (ms: number) => Promise<void>;
    random?: () => number;
}

export const DEFAULT_ROUTE53_RETRY: RetryOptions = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 };

// Module-level constants are plain arrays (not Sets): the handler is serialized by value.
/** Error names Route 53 (and the SDK) use for conditions worth retrying. */
const RETRYABLE_NAMES = [
    "Throttling",
    "ThrottlingException",
    "PriorRequestNotComplete",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "ServiceUnavailable",
    "InternalError",
    "InternalFailure",
    "TimeoutError",
    "RequestTimeout",
    "RequestTimeoutException",
];
const RETRYABLE_CODES = ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET"];

/** Whether an SDK error is transient (throttling, PriorRequestNotComplete, 5xx, network). */
export function isRetryable(err: unknown): boolean {
    if (err === null || typeof err !== "object") return false;
    const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
    if (e.name && RETRYABLE_NAMES.includes(e.name)) return true;
    if (e.code && RETRYABLE_CODES.includes(e.code)) return true;
    const status = e.$metadata?.httpStatusCode;
    if (status !== undefined && (status >= 500 || status === 429)) return true;
    return e.$retryable !== undefined;
}

/** Full-jitter exponential backoff delay before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, options: RetryOptions): number {
    const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor((options.random ?? Math.random)() * cap);
}

/** A listing that could not be completed (a plain Error with a name: see kube.ts on why no class). */
export interface ListingError extends Error {
    name: "ListingError";
    zoneId: string;
    pagesRead: number;
}

export function listingError(zoneId: string, pagesRead: number, message: string, cause?: unknown): ListingError {
    const err = new Error(`listing of hosted zone ${zoneId} incomplete after ${pagesRead} page(s): ${message}`, cause === undefined ? undefined : { cause });
    return Object.assign(err, { name: "ListingError" as const, zoneId, pagesRead });
}

export function isListingError(err: unknown): err is ListingError {
    return err instanceof Error && err.name === "ListingError";
}

export interface Listing {
    zoneId: string;
    records: RecordSet[];
    pages: number;
    /** Retries spent on transient errors. */
    retries: number;
}

/** Lists every record set of the zone (all pages). Throws ListingError when it cannot complete. */
export async function listAllRecordSets(client: Route53Sender, zoneId: string, retry: RetryOptions = DEFAULT_ROUTE53_RETRY, maxPages = 10_000): Promise<Listing> {
    const sleep = retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const records: RecordSet[] = [];
    let pages = 0;
    let retries = 0;
    let start: { name?: string; type?: RRType | string; identifier?: string } = {};
    const seenCursors = new Set<string>();
    for (;;) {
        if (pages >= maxPages) throw listingError(zoneId, pages, `more than ${maxPages} pages`);
        let page: ListResourceRecordSetsCommandOutput | undefined;
        for (let attempt = 1; ; attempt++) {
            try {
                page = await client.send(
                    new ListResourceRecordSetsCommand({
                        HostedZoneId: zoneId,
                        MaxItems: 300,
                        ...(start.name !== undefined ? { StartRecordName: start.name } : {}),
                        ...(start.type !== undefined ? { StartRecordType: start.type as RRType } : {}),
                        ...(start.identifier !== undefined ? { StartRecordIdentifier: start.identifier } : {}),
                    }),
                );
                break;
            } catch (err) {
                if (!isRetryable(err) || attempt >= retry.maxAttempts) {
                    const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
                    throw listingError(zoneId, pages, `${what}${attempt > 1 ? ` (after ${attempt} attempts)` : ""}`, err);
                }
                retries++;
                await sleep(backoffDelay(attempt, retry));
            }
        }
        pages++;
        if (!page || !Array.isArray(page.ResourceRecordSets)) throw listingError(zoneId, pages, "response without ResourceRecordSets");
        records.push(...(page.ResourceRecordSets as RecordSet[]));
        if (!page.IsTruncated) return { zoneId, records, pages, retries };
        if (!page.NextRecordName) throw listingError(zoneId, pages, "truncated response without NextRecordName");
        const cursor = `${page.NextRecordName}\u0000${page.NextRecordType ?? ""}\u0000${page.NextRecordIdentifier ?? ""}`;
        if (seenCursors.has(cursor)) throw listingError(zoneId, pages, `pagination did not advance (${page.NextRecordName})`);
        seenCursors.add(cursor);
        start = { name: page.NextRecordName, type: page.NextRecordType, identifier: page.NextRecordIdentifier };
    }
}
