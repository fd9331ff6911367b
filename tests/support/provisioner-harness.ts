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
// A small S3 bucket-policy evaluator: enough of IAM's semantics to prove the deny-with-exceptions
// pattern (wildcard action/resource matching, ArnNotEquals / Bool on request context keys).

export interface RequestContext {
    principalArn: string;
    action: string;
    resource: string;
    secureTransport: boolean;
}

function wildcardMatch(pattern: string, value: string): boolean {
    const re = new RegExp("^" + pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
    return re.test(value);
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function contextValue(key: string, ctx: RequestContext): string {
    if (key === "aws:PrincipalArn") return ctx.principalArn;
    if (key === "aws:SecureTransport") return String(ctx.secureTransport);
    throw new Error(`evaluator: unsupported condition key ${key}`);
}

function conditionHolds(condition: PolicyStatement["Condition"], ctx: RequestContext): boolean {
    for (const [operator, entries] of Object.entries(condition ?? {})) {
        for (const [key, raw] of Object.entries(entries)) {
            const values = asList(raw as string | string[]).map(String);
            const actual = contextValue(key, ctx);
            let ok: boolean;
            switch (operator) {
                case "Bool":
                case "StringEquals":
                case "ArnEquals":
                    ok = values.includes(actual);
                    break;
                // Negated operators: true only when the value matches none of the listed values.
                case "StringNotEquals":
                case "ArnNotEquals":
                    ok = !values.includes(actual);
                    break;
                case "StringNotLike":
                case "ArnNotLike":
                    ok = !values.some((v) => wildcardMatch(v, actual));
                    break;
                default:
                    throw new Error(`evaluator: unsupported operator ${operator}`);
            }
            if (!ok) return false;
        }
    }
    return true;
}

/** Whether an explicit Deny of the policy applies to the request. */
export function explicitlyDenied(policy: PolicyDocument, ctx: RequestContext): boolean {
    return policy.Statement.some(
        (st) =>
            st.Effect === "Deny" &&
            asList(st.Action).some((a) => wildcardMatch(a, ctx.action)) &&
            asList(st.Resource).some((r) => wildcardMatch(r, ctx.resource)) &&
            conditionHolds(st.Condition, ctx),
    );
}

/** Every string found anywhere in a value (to search inputs for secret material). */
export function containsText(value: unknown, needle: string): boolean {
    if (typeof value === "string") return value.includes(needle);
    if (value === null || typeof value !== "object") return false;
    return Object.values(value as Record<string, unknown>).some((v) => containsText(v, needle));
}
