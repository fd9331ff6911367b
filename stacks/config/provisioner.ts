// The `cloud-cnc:provisioner` config section: ProvisionerServer's own schema without the keys the
// composition supplies. Rules, messages and defaults live in components/provisioner/schema.ts.
// Secrets are not part of it: the Git token (`provisionerGitToken`, required) and the optional SSH
// private key (`provisionerSshPrivateKey`) are read by the composition with requireSecret/getSecret.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { provisionerArgsSchema, provisionerRules } from "../../components/provisioner/schema";

/** Secret config keys of this section, read by the composition (never plain config). */
export const PROVISIONER_SECRET_KEYS = {
    provisionerGitToken: "the Git token of utilitiesGitUrl (required)",
    provisionerSshPrivateKey: "the SSH private key matching provisioner.sshPublicKey (optional)",
} as const;

/** Args the composition supplies: stack-level settings, the secrets, and the network's and cluster's outputs. */
const COMPOSED = {
    environment: true,
    prefix: true,
    profile: true,
    region: true,
    deletionProtection: true,
    tags: true,
    utilitiesGitToken: true,
    sshPrivateKey: true,
    vpcId: true,
    subnetIds: true,
    allowedSecurityGroupIds: true,
    internalDomain: true,
    oidcProviderArn: true,
    oidcProviderUrl: true,
} as const;

/** ProvisionerServer's args as config. */
export const provisionerConfigSchema = provisionerArgsSchema.omit(COMPOSED).superRefine(provisionerRules);

export type ProvisionerConfig = z.output<typeof provisionerConfigSchema>;

/** Reads this section's secrets (the composition calls it with `new pulumi.Config("cloud-cnc")`). */
export function provisionerSecrets(config: pulumi.Config): { utilitiesGitToken: pulumi.Output<string>; sshPrivateKey?: pulumi.Output<string> } {
    const sshPrivateKey = config.getSecret("provisionerSshPrivateKey");
    return { utilitiesGitToken: config.requireSecret("provisionerGitToken"), ...(sshPrivateKey ? { sshPrivateKey } : {}) };
}
