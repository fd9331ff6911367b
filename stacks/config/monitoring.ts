// The `cloud-cnc:monitoring` config section: ThanosFederation's own schema without the keys the
// composition supplies. Rules, messages and defaults live in components/thanos-federation/schema.ts.
import { z } from "zod";
import { allRules } from "../../components/common/schema";
import { grafanaSchemaShape, thanosFederationArgsSchema, thanosFederationRules } from "../../components/thanos-federation/schema";

/** Args the composition supplies: stack-level settings, the cluster's OIDC provider and the webhook secret. */
const COMPOSED = {
    environment: true,
    prefix: true,
    profile: true,
    oidcProviderArn: true,
    oidcProviderUrl: true,
    alertWebhookUrl: true,
    deadMansSwitchUrl: true,
    deletionProtection: true,
    tags: true,
    // From cloud-cnc:ingress (Grafana signs in with the IdP the ALB uses) and its secret.
    grafanaOidcClientSecret: true,
} as const;

/**
 * ThanosFederation's args as config. `clusterId` defaults to the cluster's name and
 * `bucketRegion` to the stack's region (the composition fills them in).
 */
export const monitoringConfigSchema = thanosFederationArgsSchema
    .omit(COMPOSED)
    .partial({ clusterId: true, bucketRegion: true })
    // grafana.sso is composed from cloud-cnc:ingress (same issuer, client and groups): not set here.
    .extend({ grafana: z.object(grafanaSchemaShape()).strict().prefault({}) })
    .superRefine(...allRules(thanosFederationRules));

export type MonitoringConfig = z.output<typeof monitoringConfigSchema>;
