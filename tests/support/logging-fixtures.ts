// What the LoggingPipeline tests need beyond the shared harness: domain state for the mocks,
// providers, and args built the way stacks/compose.ts builds them (the config section, then the
// keys the composition supplies).
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { LoggingPipeline, LoggingPipelineArgs } from "../../components/logging";
import { loggingConfigSchema } from "../../stacks/config/logging";
import { ACCOUNT_ID, Recorder, settle, setupPulumi } from "./pulumi-harness";

export const OIDC_URL = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
export const OIDC_ARN = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
export const CLUSTER_SG = "sg-0c1a55e7c0ffee001";
export const SUBNETS = ["subnet-0a0000000000000a1", "subnet-0b0000000000000b2", "subnet-0c0000000000000c3"];
export const SRE_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/sre-read-only`;

/** The endpoint the mocked domain reports. */
export { opensearchEndpointFor as endpointFor } from "./pulumi-harness";

/** The sizing profile the stacks derive for dev and prod. */
export const PROFILE_OF = { dev: "development", prod: "production" } as const;

/** Args as the stack would build them for an environment, from (raw) config. */
export function argsFor(environment: "dev" | "prod", rawConfig: Record<string, unknown> = {}, overrides: Partial<LoggingPipelineArgs> = {}): LoggingPipelineArgs {
    // SAML's groups come from the stack's ingress section, not the logging section: tests pass them in overrides.
    const { saml: _saml, ...cfg } = loggingConfigSchema.parse({ humanReadOnlyRoleArns: [SRE_ROLE], ...rawConfig });
    void _saml;
    return {
        ...cfg,
        clusterId: cfg.clusterId ?? `cloud-${environment}-cnc`,
        environment,
        prefix: "cloud",
        profile: PROFILE_OF[environment],
        deletionProtection: environment === "prod",
        tags: { Team: "platform" },
        vpcId: "vpc-0123456789abcdef0",
        subnetIds: SUBNETS,
        allowedSecurityGroupIds: [CLUSTER_SG],
        oidcProviderArn: OIDC_ARN,
        oidcProviderUrl: OIDC_URL,
        ...overrides,
    };
}

export interface LoggingHarness {
    rec: Recorder;
    component: LoggingPipeline;
}

/** Fresh mocks, providers (aws + kubernetes) and one LoggingPipeline named `logs`. */
export async function buildLogging(args: LoggingPipelineArgs, name = "logs"): Promise<LoggingHarness> {
    const rec = await setupPulumi();
    const providers = { aws: new aws.Provider("aws", { region: "eu-west-1" }), kubernetes: new k8s.Provider("k8s", { kubeconfig: "{}" }) };
    const component = new LoggingPipeline(name, args, { providers });
    await settle();
    return { rec, component };
}

