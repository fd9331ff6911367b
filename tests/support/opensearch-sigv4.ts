// An independent check of SigV4 header signatures, written from the AWS Signature Version 4
// spec with node:crypto only (not with the @smithy signer the handler uses): what OpenSearch
// Service verifies on every request. Non-S3 rules: each path segment of the URI as received is
// URI-encoded once more, the query is sorted, the payload hash covers the body actually sent.
import * as crypto from "crypto";

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

/** RFC 3986 percent-encoding: everything except A-Z a-z 0-9 - _ . ~ (so "%" becomes "%25"). */
export function rfc3986(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: Buffer | string) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => crypto.createHmac("sha256", key).update(data, "utf8").digest();

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
    const dm = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!dm || !amzDate.startsWith(day)) return fail("x-amz-date missing or not in the credential's day", base);
    const signedAt = Date.UTC(+dm[1], +dm[2] - 1, +dm[3], +dm[4], +dm[5], +dm[6]);
    const now = (options.now ?? new Date()).getTime();
    if (Math.abs(now - signedAt) > (options.maxSkewSeconds ?? 300) * 1000) return fail("x-amz-date too far from now", base);

    const bodyHash = sha256Hex(req.body);
    const declared = headerValue(req.headers["x-amz-content-sha256"]);
    if (declared !== undefined && declared !== bodyHash) return fail("x-amz-content-sha256 does not match the body", base);

    const [rawPath, rawQuery = ""] = req.rawUrl.split("?", 2);
    const canonicalUri = rawPath
        .split("/")
        .map((seg) => rfc3986(seg))
        .join("/");
    const pairs = rawQuery === "" ? [] : rawQuery.split("&").map((kv) => kv.split("=", 2).map((x) => decodeURIComponent((x ?? "").replace(/\+/g, " "))) as [string, string]);
    const canonicalQuery = pairs
        .map(([k, v]) => [rfc3986(k), rfc3986(v ?? "")] as const)
        .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join("&");
    const canonicalHeaders = signedHeaders.map((h) => `${h}:${headerValue(req.headers[h]) ?? ""}\n`).join("");
    for (const h of signedHeaders) if (req.headers[h] === undefined) return fail(`signed header ${h} is missing from the request`, base);
    const canonicalRequest = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaderList, declared ?? bodyHash].join("\n");
    const scope = `${day}/${region}/${service}/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), "aws4_request");
    const expected = crypto.createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
    if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return fail("signature does not match", base);
    return { ok: true, ...base };
}
