// EKS authentication without shelling out: DescribeCluster for the API endpoint and CA, and the
// bearer token aws-iam-authenticator defines: `k8s-aws-v1.` + base64url(a presigned STS
// GetCallerIdentity URL, valid 60 s, whose signed headers include `x-k8s-aws-id: <cluster>`).
import { DescribeClusterCommand, DescribeClusterCommandOutput } from "@aws-sdk/client-eks";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

export const TOKEN_PREFIX = "k8s-aws-v1.";
export const CLUSTER_ID_HEADER = "x-k8s-aws-id";
export const TOKEN_PRESIGN_SECONDS = 60;

export interface Credentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}

export interface EksSender {
    send(command: DescribeClusterCommand): Promise<DescribeClusterCommandOutput>;
}

export interface ClusterAccess {
    /** API server URL. */
    server: string;
    /** Base64 PEM of the cluster CA (as DescribeCluster returns it). */
    caData: string;
}

/** The API endpoint and CA of an EKS cluster. */
export async function describeCluster(client: EksSender, clusterName: string): Promise<ClusterAccess> {
    const out = await client.send(new DescribeClusterCommand({ name: clusterName }));
    const server = out.cluster?.endpoint;
    const caData = out.cluster?.certificateAuthority?.data;
    if (!server || !caData) {
        throw new Error(`DescribeCluster ${clusterName}: no endpoint or certificate authority yet (status ${out.cluster?.status ?? "unknown"})`);
    }
    return { server, caData };
}

/** RFC 3986 query encoding, as SigV4 canonicalizes it. */
function encode(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The presigned STS GetCallerIdentity URL the token wraps. */
export async function presignedCallerIdentityUrl(options: { clusterName: string; region: string; credentials: Credentials; stsEndpoint: string; now?: Date }): Promise<string> {
    const endpoint = new URL(options.stsEndpoint);
    const request = new HttpRequest({
        method: "GET",
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path: endpoint.pathname || "/",
        query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
        headers: { host: endpoint.host, [CLUSTER_ID_HEADER]: options.clusterName },
    });
    const signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: "sts", sha256: Sha256 });
    const signed = await signer.presign(request, { expiresIn: TOKEN_PRESIGN_SECONDS, ...(options.now ? { signingDate: options.now } : {}) });
    const query = Object.entries(signed.query ?? {})
        .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : v === null || v === undefined ? [] : [[k, v]]))
        .map(([k, v]) => `${encode(k)}=${encode(String(v))}`)
        .sort()
        .join("&");
    return `${endpoint.protocol}//${endpoint.host}${signed.path}?${query}`;
}

/** The Kubernetes bearer token for the cluster (valid for 15 minutes on the EKS side). */
export async function eksToken(options: { clusterName: string; region: string; credentials: Credentials; stsEndpoint: string; now?: Date }): Promise<string> {
    const url = await presignedCallerIdentityUrl(options);
    return TOKEN_PREFIX + Buffer.from(url, "utf8").toString("base64url");
}
