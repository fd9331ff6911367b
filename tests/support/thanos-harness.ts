// What the ThanosFederation tests need beyond the shared harness: providers for the component
// and fixture args.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ThanosFederationArgs } from "../../components/thanos-federation";
import { ACCOUNT_ID, HarnessOptions, Recorder, setupPulumi } from "./pulumi-harness";

export const OIDC_URL = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
export const OIDC_ARN = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;

export function devArgs(overrides: Partial<ThanosFederationArgs> = {}): ThanosFederationArgs {
    return {
        clusterId: "cloud-dev-cnc",
        environment: "dev",
        prefix: "cloud",
        profile: "development",
        bucketRegion: "eu-west-1",
        oidcProviderArn: OIDC_ARN,
        oidcProviderUrl: OIDC_URL,
        storageClassName: "gp3",
        ...overrides,
    };
}

export function prodArgs(overrides: Partial<ThanosFederationArgs> = {}): ThanosFederationArgs {
    return devArgs({ clusterId: "cloud-prod-cnc", environment: "prod", profile: "production", deletionProtection: true, ...overrides });
}

export interface ThanosHarness {
    rec: Recorder;
    opts: pulumi.ComponentResourceOptions;
}

/** Fresh mocks and providers (aws + kubernetes) for the component. */
export async function setupThanosPulumi(options: HarnessOptions = {}): Promise<ThanosHarness> {
    const rec = await setupPulumi(options);
    const providers = {
        aws: new aws.Provider("aws", { region: "eu-west-1" }),
        kubernetes: new k8s.Provider("k8s", { kubeconfig: "{}" }),
    };
    return { rec, opts: { providers } };
}

