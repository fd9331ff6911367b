// The `cloud-cnc:registrar` config section: DnsRegistrar's own schema without the keys the
// composition supplies. Rules, messages and defaults live in components/dns-registrar/schema.ts.
import { z } from "zod";
import { allRules } from "../../components/common/schema";
import { dnsRegistrarArgsSchema, dnsRegistrarRules } from "../../components/dns-registrar/schema";

/**
 * Args the composition supplies: stack-level settings, the cluster (name, private subnets, security
 * group), the tags, and the C&C's own federation target (off: ThanosFederation federates the C&C's
 * Prometheus itself, so its label is moot too). The ConfigMap names are the ones ThanosFederation
 * seeds (functions/dns-registrar/contract.ts): left at the component's defaults.
 */
const COMPOSED = {
    environment: true,
    prefix: true,
    profile: true,
    region: true,
    clusterName: true,
    vpcId: true,
    subnetIds: true,
    clusterSecurityGroupId: true,
    selfPrometheusTarget: true,
    selfClusterId: true,
    thanosStaticEndpoints: true,
    thanosEndpointsConfigMap: true,
    federationTargetsConfigMap: true,
    probeTargetsConfigMap: true,
    leafQueryTargetsConfigMap: true,
    tags: true,
} as const;

/**
 * DnsRegistrar's args as config. The watched zones default to the network's monitoring zone (the
 * composition fills them in). `inVpc` is the composition's switch: run the function in the
 * cluster's private subnets (needed when the EKS endpoint is private); when true the composition
 * passes vpcId, subnetIds and the cluster security group.
 */
export const registrarConfigSchema = dnsRegistrarArgsSchema
    .omit(COMPOSED)
    .partial({ thanosZoneId: true, thanosZoneName: true, prometheusZoneId: true, prometheusZoneName: true })
    .extend({ inVpc: z.boolean().default(true) })
    .superRefine(...allRules(dnsRegistrarRules))
    .prefault({});

export type RegistrarConfig = z.output<typeof registrarConfigSchema>;
