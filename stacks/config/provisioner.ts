// The `cloud-cnc:provisioner` config section: ProvisionerServer's own schema without the keys the
// composition supplies. Rules, messages and defaults live in components/provisioner/schema.ts.
// Secrets are not part of it: the Git token (`provisionerGitToken`, required) and the optional SSH
// private key (`provisionerSshPrivateKey`) are read by readSecrets (stacks/config/index.ts).
import { z } from "zod";
import { allRules } from "../../components/common/schema";
import { provisionerArgsSchema, provisionerRules } from "../../components/provisioner/schema";

/** Secret config keys of this section, read by the composition (never plain config). */
export const PROVISIONER_SECRET_KEYS = {
    provisionerGitToken: "the Git token of utilitiesGitUrl (required)",
    provisionerSshPrivateKey: "the SSH private key matching provisioner.sshPublicKey (optional)",
} as const;

/**
 * Args the composition supplies: stack-level settings, the secrets, the network's and cluster's
 * outputs, and the ARNs of every key, bucket, topic and queue the other components own.
 */
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
    protectedResourceArns: true,
    // Off when cloud-cnc:ingress is configured: AppIngress serves provisioner.<domain> behind OIDC.
    ownIngress: true,
} as const;

/** ProvisionerServer's args as config. */
export const provisionerConfigSchema = provisionerArgsSchema.omit(COMPOSED).superRefine(...allRules(provisionerRules));

export type ProvisionerConfig = z.output<typeof provisionerConfigSchema>;
