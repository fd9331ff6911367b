// The AWS Signature Version 4 steps both test verifiers share (the EKS token check in
// registrar-sigv4.ts, the OpenSearch request check in opensearch-sigv4.ts), written from the spec
// with node:crypto only — never with the @smithy signer the code under test uses.
import * as crypto from "crypto";

/** RFC 3986 percent-encoding: everything except A-Z a-z 0-9 - _ . ~ (so "%" becomes "%25"). */
export function rfc3986(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(data: Buffer | string): string {
    return crypto.createHash("sha256").update(data).digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
    return crypto.createHmac("sha256", key).update(data, "utf8").digest();
}

/** `20261122T030000Z` -> Date, or undefined when malformed. */
export function parseAmzDate(s: string): Date | undefined {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
    return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

/** The canonical query string: decoded pairs re-encoded, sorted by name then value. */
export function canonicalQuery(pairs: Array<readonly [string, string]>): string {
    return pairs
        .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
        .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join("&");
}

/** The signature a request with this canonical form must carry (string to sign, derived key, HMAC). */
export function expectedSignature(o: { secret: string; day: string; region: string; service: string; amzDate: string; canonicalRequest: string }): string {
    const scope = `${o.day}/${o.region}/${o.service}/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", o.amzDate, scope, sha256Hex(o.canonicalRequest)].join("\n");
    const key = hmac(hmac(hmac(hmac(`AWS4${o.secret}`, o.day), o.region), o.service), "aws4_request");
    return crypto.createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
}

/** Constant-time comparison of two hex signatures. */
export function signaturesMatch(got: string, expected: string): boolean {
    return got.length === expected.length && crypto.timingSafeEqual(Buffer.from(got), Buffer.from(expected));
}
