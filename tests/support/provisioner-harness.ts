// What the ProvisionerServer tests need beyond the shared harness: providers, fixture args, known
// secret values (to search for in plain inputs), and a small evaluator for S3 bucket policies.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ProvisionerServerArgs } from "../../components/provisioner";
import type { PolicyDocument, PolicyStatement } from "../../components/common/iam";
import { ACCOUNT_ID, HarnessOptions, Recorder, setupPulumi } from "./pulumi-harness";

export const OIDC_URL = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
export const OIDC_ARN = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
export const ADMIN_ROLES = [`arn:aws:iam::${ACCOUNT_ID}:role/platform-admin`, `arn:aws:iam::${ACCOUNT_ID}:role/sre/break-glass`];
export const SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
export const VPC_ID = "vpc-0a1b2c3d4e5f60000";
export const CLUSTER_SG = "sg-0a1b2c3d4e5f60009";
export const ZONES = ["Z0123456789ABCDEFGHIJ", "Z0987654321KLMNOPQRST"];
export const SSH_PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk7ExampleExampleExampleExampleExampleEx provisioner@cnc";

/** Distinctive secret values: a test fails if any of them shows up in a plain (non-secret) input. */
export const GIT_TOKEN = "glpat-TEST-9f3c1e7a2b5d4c6e8f0a";
export const SSH_PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nTESTKEY-b3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
export const DB_PASSWORD = "mockDbPassword0123456789abcdefghijKLMNOP";
export const DB_HOST = "provisioner-test.c9akciq32.eu-west-1.rds.amazonaws.com";

/** Valid args (development profile); the Git token and SSH private key are secret Outputs as the stack passes them. */
/** The stack-level keys stacks/compose.ts passes (the stack config resolves them). */
export interface StackKeys {
    environment: string;
    prefix: string;
    profile: "production" | "development";
    deletionProtection: boolean;
}
export const dev: StackKeys = { environment: "dev", prefix: "cloud", profile: "development", deletionProtection: false };
export const prod: StackKeys = { environment: "prod", prefix: "cloud", profile: "production", deletionProtection: true };

export function provisionerArgs(overrides: Partial<ProvisionerServerArgs> = {}): ProvisionerServerArgs {
    return {
        environment: "test",
        prefix: "cloud",
        profile: "development",
        region: "eu-west-1",
        imageTag: "v0.93.1",
        utilitiesGitUrl: "https://gitlab.example.com",
        utilitiesGitPath: "/cloud/gitops.git",
        utilitiesGitToken: pulumi.secret(GIT_TOKEN),
        sshPublicKey: SSH_PUBLIC_KEY,
        stateBucketName: "cloud-test-kops-state",
        adminRoleArns: ADMIN_ROLES,
        vpcId: VPC_ID,
        subnetIds: SUBNETS,
        allowedSecurityGroupIds: [CLUSTER_SG],
        route53ZoneIds: ZONES,
        internalDomain: "apps.test.cnc.internal",
        oidcProviderArn: OIDC_ARN,
        oidcProviderUrl: OIDC_URL,
        db: { identifier: "provisioner-test" },
        ...overrides,
    };
}

export interface ProvisionerHarness {
    rec: Recorder;
    opts: pulumi.ComponentResourceOptions;
}

/** Fresh mocks (the database answers with a host, the password with DB_PASSWORD) and providers. */
export async function setupProvisionerPulumi(options: HarnessOptions = {}): Promise<ProvisionerHarness> {
    const rec = await setupPulumi({
        ...options,
        state: (a) => {
            const extra = options.state?.(a) ?? {};
            if (a.type === "random:index/randomPassword:RandomPassword") return { result: DB_PASSWORD, ...extra };
            if (a.type === "aws:rds/instance:Instance") {
                const host = a.inputs.replicateSourceDb ? DB_HOST.replace("provisioner-test", "provisioner-test-replica") : DB_HOST;
                return { address: host, endpoint: `${host}:5432`, identifier: a.inputs.identifier, ...extra };
            }
            return options.state?.(a);
        },
    });
    const providers = {
        aws: new aws.Provider("aws", { region: "eu-west-1" }),
        kubernetes: new k8s.Provider("k8s", { kubeconfig: "{}" }),
        random: new random.Provider("random", {}),
    };
    return { rec, opts: { providers } };
}

// ---------------------------------------------------------------------------------------------
// A small IAM evaluator: enough of IAM's semantics for the bucket policy's deny-with-exceptions
// and for the provisioner's identity policies and boundary: wildcard matching (`*`, `?`; actions
// case-insensitive), Action/NotAction, Resource/NotResource, and the condition operators and
// keys these documents use, with IAM's rules for a key the request does not carry.

export interface RequestContext {
    action: string;
    resource: string;
    principalArn?: string;
    secureTransport?: boolean;
    /** Any other condition key of the request (aws:RequestTag/..., aws:TagKeys, aws:ResourceTag/..., kms:..., iam:...). */
    keys?: Record<string, string | string[]>;
}

/** IAM's wildcard match: `*` any run of characters (`/` included), `?` exactly one. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
    const body = pattern
        .split("")
        .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("");
    return new RegExp(`^${body}$`, caseInsensitive ? "si" : "s").test(value);
}

const asList = (v: string | string[] | boolean | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function contextValues(key: string, ctx: RequestContext): string[] | undefined {
    if (key === "aws:PrincipalArn") return ctx.principalArn === undefined ? undefined : [ctx.principalArn];
    if (key === "aws:SecureTransport") return ctx.secureTransport === undefined ? undefined : [String(ctx.secureTransport)];
    const found = Object.entries(ctx.keys ?? {}).find(([k]) => k.toLowerCase() === key.toLowerCase());
    return found === undefined ? undefined : asList(found[1]);
}

function valueMatches(base: string, policyValue: string, actual: string): boolean {
    switch (base) {
        case "StringEquals":
        case "ArnEquals":
        case "Bool":
            return policyValue === actual;
        case "StringLike":
        case "ArnLike":
            return wildcardMatch(policyValue, actual);
        case "NumericGreaterThanEquals":
            return Number(actual) >= Number(policyValue);
        case "NumericLessThanEquals":
            return Number(actual) <= Number(policyValue);
        default:
            throw new Error(`evaluator: unsupported operator ${base}`);
    }
}

const NEGATED: Record<string, string> = { StringNotEquals: "StringEquals", StringNotLike: "StringLike", ArnNotEquals: "ArnEquals", ArnNotLike: "ArnLike" };

function conditionHolds(condition: PolicyStatement["Condition"], ctx: RequestContext): boolean {
    for (const [operator, entries] of Object.entries(condition ?? {})) {
        for (const [key, raw] of Object.entries(entries)) {
            const values = asList(raw as string | string[]);
            const actual = contextValues(key, ctx);
            let ok: boolean;
            if (operator === "Null") ok = values[0] === "true" ? actual === undefined : actual !== undefined;
            else if (operator.startsWith("ForAllValues:")) {
                const base = operator.slice("ForAllValues:".length);
                ok = (actual ?? []).every((a) => values.some((v) => valueMatches(base, v, a)));
            } else if (operator.startsWith("ForAnyValue:")) {
                const base = operator.slice("ForAnyValue:".length);
                ok = (actual ?? []).some((a) => values.some((v) => valueMatches(base, v, a)));
            } else if (operator in NEGATED) {
                // A negated operator holds when the key is absent, and otherwise when no value matches.
                ok = actual === undefined || !actual.some((a) => values.some((v) => valueMatches(NEGATED[operator], v, a)));
            } else {
                ok = actual !== undefined && actual.some((a) => values.some((v) => valueMatches(operator, v, a)));
            }
            if (!ok) return false;
        }
    }
    return true;
}

/** Whether a statement's Action/NotAction and Resource/NotResource cover the request (conditions aside). */
export function statementCovers(st: PolicyStatement, action: string, resource: string): boolean {
    const actionOk = st.Action !== undefined ? asList(st.Action).some((a) => wildcardMatch(a, action, true)) : !asList(st.NotAction).some((a) => wildcardMatch(a, action, true));
    const resourceOk = st.Resource !== undefined ? asList(st.Resource).some((r) => wildcardMatch(r, resource)) : !asList(st.NotResource).some((r) => wildcardMatch(r, resource));
    return actionOk && resourceOk;
}

/** Whether the statement applies to the request, its conditions evaluated against it. */
export function statementApplies(st: PolicyStatement, ctx: RequestContext): boolean {
    return statementCovers(st, ctx.action, ctx.resource) && conditionHolds(st.Condition, ctx);
}

/** Whether an explicit Deny of the policy applies to the request. */
export function explicitlyDenied(policy: PolicyDocument, ctx: RequestContext): boolean {
    return policy.Statement.some((st) => st.Effect === "Deny" && statementApplies(st, ctx));
}

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

/**
 * IAM's decision for one principal with these identity policies and (optionally) a permissions
 * boundary: an explicit Deny anywhere wins; else allowed only when an identity policy and the
 * boundary both allow.
 */
export function decide(identity: PolicyDocument[], boundary: PolicyDocument | undefined, ctx: RequestContext): Decision {
    const all = [...identity, ...(boundary ? [boundary] : [])];
    if (all.some((d) => explicitlyDenied(d, ctx))) return "explicit-deny";
    const allows = (d: PolicyDocument) => d.Statement.some((st) => st.Effect === "Allow" && statementApplies(st, ctx));
    return identity.some(allows) && (boundary === undefined || allows(boundary)) ? "allow" : "implicit-deny";
}

/** Every string found anywhere in a value (to search inputs for secret material). */
export function containsText(value: unknown, needle: string): boolean {
    if (typeof value === "string") return value.includes(needle);
    if (value === null || typeof value !== "object") return false;
    return Object.values(value as Record<string, unknown>).some((v) => containsText(v, needle));
}
