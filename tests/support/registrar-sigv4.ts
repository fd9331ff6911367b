// An independent check of EKS bearer tokens, written from the AWS Signature Version 4 spec with
// node:crypto only (not with the @smithy signer the handler uses): what the EKS authenticator and
// STS verify. The x-k8s-aws-id header is not in the token: the verifier supplies ITS cluster name,
// so a token minted for another cluster fails the signature check.
import { canonicalQuery, expectedSignature, parseAmzDate, sha256Hex, signaturesMatch } from "./sigv4-spec";

export interface TokenCheckOptions {
    clusterName: string;
    /** Secret access key per access key ID. */
    secrets: Record<string, string>;
    now?: Date;
    /** Accepted distance between X-Amz-Date and now (EKS: 15 minutes). */
    maxAgeSeconds?: number;
}

export interface TokenCheck {
    ok: boolean;
    reason?: string;
    accessKeyId?: string;
    region?: string;
    url?: string;
}

const EMPTY_SHA256 = sha256Hex("");

/** Verifies a `k8s-aws-v1.` token: shape, expiry, signed headers and the SigV4 signature. */
export function verifyEksToken(token: string, options: TokenCheckOptions): TokenCheck {
    const fail = (reason: string, extra: Partial<TokenCheck> = {}): TokenCheck => ({ ok: false, reason, ...extra });
    if (!token.startsWith("k8s-aws-v1.")) return fail("missing k8s-aws-v1. prefix");
    const encoded = token.slice("k8s-aws-v1.".length);
    if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return fail("payload is not unpadded base64url");
    const urlText = Buffer.from(encoded, "base64url").toString("utf8");
    let url: URL;
    try {
        url = new URL(urlText);
    } catch {
        return fail("payload is not a URL");
    }
    const q = url.searchParams;
    const one = (k: string) => (q.getAll(k).length === 1 ? q.get(k)! : undefined);
    if (one("Action") !== "GetCallerIdentity") return fail("Action is not GetCallerIdentity", { url: urlText });
    if (one("Version") !== "2011-06-15") return fail("Version is not 2011-06-15", { url: urlText });
    if (one("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") return fail("X-Amz-Algorithm is not AWS4-HMAC-SHA256", { url: urlText });
    const expires = one("X-Amz-Expires");
    if (expires !== "60") return fail(`X-Amz-Expires is ${expires}, not 60`, { url: urlText });
    const credential = one("X-Amz-Credential")?.split("/");
    if (!credential || credential.length !== 5 || credential[3] !== "sts" || credential[4] !== "aws4_request") return fail("X-Amz-Credential is not an sts scope", { url: urlText });
    const [accessKeyId, day, region] = credential;
    const amzDate = one("X-Amz-Date") ?? "";
    const signedAt = parseAmzDate(amzDate);
    if (!signedAt || !amzDate.startsWith(day)) return fail("X-Amz-Date missing or not in the credential's day", { url: urlText });
    const now = options.now ?? new Date();
    if (Math.abs(now.getTime() - signedAt.getTime()) > (options.maxAgeSeconds ?? 900) * 1000) return fail("token expired", { url: urlText });
    const signedHeaders = (one("X-Amz-SignedHeaders") ?? "").split(";");
    if (!signedHeaders.includes("host") || !signedHeaders.includes("x-k8s-aws-id")) return fail(`signed headers ${signedHeaders.join(";")} lack host or x-k8s-aws-id`, { url: urlText });
    const secret = options.secrets[accessKeyId];
    if (!secret) return fail(`unknown access key ${accessKeyId}`, { url: urlText });

    const headerValues: Record<string, string> = { host: url.host, "x-k8s-aws-id": options.clusterName };
    for (const h of signedHeaders) if (headerValues[h] === undefined) return fail(`cannot supply signed header ${h}`, { url: urlText });
    const query = canonicalQuery([...q.entries()].filter(([k]) => k !== "X-Amz-Signature"));
    const canonicalRequest = ["GET", url.pathname || "/", query, signedHeaders.map((h) => `${h}:${headerValues[h].trim()}\n`).join(""), signedHeaders.join(";"), EMPTY_SHA256].join("\n");
    const expected = expectedSignature({ secret, day, region, service: "sts", amzDate, canonicalRequest });
    if (!signaturesMatch(one("X-Amz-Signature") ?? "", expected)) return fail("signature does not match", { url: urlText, accessKeyId, region });
    return { ok: true, accessKeyId, region, url: urlText };
}
