// The per-environment composition: the original system's three layers with explicit
// dependencies — cluster -> post-installation -> DNS registration. It composes the components
// that exist; each later layer depends on the one before it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CommandControlNetwork } from "../components/network";
import { StackConfig, commonSettings } from "./config";
import { networkArgs } from "./config/network";

/** Tags every AWS resource of the stack carries (the provider's default tags). */
export function defaultTags(cfg: StackConfig): Record<string, string> {
    return { ...cfg.tags, Environment: cfg.environment, Project: "cloud-cnc", ManagedBy: "pulumi" };
}

/** Builds the stack from validated config and returns its outputs. */
export function composeStack(cfg: StackConfig): Record<string, pulumi.Output<unknown>> {
    const common = commonSettings(cfg);
    const awsProvider = new aws.Provider("aws", { region: cfg.region as aws.Region, defaultTags: { tags: defaultTags(cfg) } });

    // Layer 1: cluster.
    const network = new CommandControlNetwork("cnc", networkArgs(cfg.network, common), { providers: { aws: awsProvider } });

    return {
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        monitoringZoneName: network.monitoringZoneName,
        internalZoneName: network.internalZoneName,
    };
}
