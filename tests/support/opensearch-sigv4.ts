// An independent check of SigV4 header signatures, written from the AWS Signature Version 4
// spec with node:crypto only (not with the @smithy signer the handler uses): what OpenSearch
// Service verifies on every request. Non-S3 rules: each path segment of the URI as received is
// URI-encoded once more, the query is sorted, the payload hash covers the body actually sent.
import { canonicalQuery, expectedSignature, parseAmzDate, rfc3986, sha256Hex, signaturesMatch } from "./sigv4-spec";

export interface SignatureCheck {
    ok: boolean;
    reason?: string;
    accessKeyId?: string;
    region?: string;
    service?: string;
    signedHeaders?: string[];
}

export interface VerifyOptions {
    /** Secret access key per access key ID. */
    secrets: Record<string, string>;
    region: string;
    service: string;
    now?: Date;
    /** Accepted clock skew (AWS: 5 minutes). */
    maxSkewSeconds?: number;
}

export interface ReceivedRequest {
    method: string;
    /** The request target exactly as received (path and query, still encoded). */
    rawUrl: string;
    /** Header names lowercased, values as received. */
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
}

export { rfc3986 } from "./sigv4-spec";

function headerValue(v: string | string[] | undefined): string | undefined {
    if (v === undefined) return undefined;
    return (Array.isArray(v) ? v.join(",") : v).trim().replace(/\s+/g, " ");
}

/** Verifies the Authorization header of a request signed with AWS4-HMAC-SHA256. */
export function verifySignedRequest(req: ReceivedRequest, options: VerifyOptions): SignatureCheck {
    const fail = (reason: string, extra: Partial<SignatureCheck> = {}): SignatureCheck => ({ ok: false, reason, ...extra });
    const auth = headerValue(req.headers["authorization"]);
    if (!auth) return fail("no Authorization header");
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return fail(`malformed Authorization header: ${auth}`);
    const [, accessKeyId, day, region, service, signedHeaderList, signature] = m;
    const signedHeaders = signedHeaderList.split(";");
    const base = { accessKeyId, region, service, signedHeaders };
    if (region !== options.region) return fail(`signed for region ${region}, not ${options.region}`, base);
    if (service !== options.service) return fail(`signed for service ${service}, not ${options.service}`, base);
    if (!signedHeaders.includes("host")) return fail("host is not a signed header", base);
    if (!signedHeaders.includes("x-amz-date")) return fail("x-amz-date is not a signed header", base);
    if ([...signedHeaders].sort().join(";") !== signedHeaderList) return fail("SignedHeaders are not sorted", base);
    const secret = options.secrets[accessKeyId];
    if (!secret) return fail(`unknown access key ${accessKeyId}`, base);

    const amzDate = headerValue(req.headers["x-amz-date"]) ?? "";
    const signedAt = parseAmzDate(amzDate);
    if (!signedAt || !amzDate.startsWith(day)) return fail("x-amz-date missing or not in the credential's day", base);
    const now = (options.now ?? new Date()).getTime();
    if (Math.abs(now - signedAt.getTime()) > (options.maxSkewSeconds ?? 300) * 1000) return fail("x-amz-date too far from now", base);

    const bodyHash = sha256Hex(req.body);
    const declared = headerValue(req.headers["x-amz-content-sha256"]);
    if (declared !== undefined && declared !== bodyHash) return fail("x-amz-content-sha256 does not match the body", base);

    const [rawPath, rawQuery = ""] = req.rawUrl.split("?", 2);
    const canonicalUri = rawPath
        .split("/")
        .map((seg) => rfc3986(seg))
        .join("/");
    const pairs = rawQuery === "" ? [] : rawQuery.split("&").map((kv) => kv.split("=", 2).map((x) => decodeURIComponent((x ?? "").replace(/\+/g, " "))) as [string, string]);
    const query = canonicalQuery(pairs.map(([k, v]) => [k, v ?? ""] as const));
    const canonicalHeaders = signedHeaders.map((h) => `${h}:${headerValue(req.headers[h]) ?? ""}\n`).join("");
    for (const h of signedHeaders) if (req.headers[h] === undefined) return fail(`signed header ${h} is missing from the request`, base);
    const canonicalRequest = [req.method, canonicalUri, query, canonicalHeaders, signedHeaderList, declared ?? bodyHash].join("\n");
    const expected = expectedSignature({ secret, day, region, service, amzDate, canonicalRequest });
    if (!signaturesMatch(signature, expected)) return fail("signature does not match", base);
    return { ok: true, ...base };
}
