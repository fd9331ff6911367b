// The last config check: each component's own schema (profile defaults and every rule included)
// on the args the composition will give it, with placeholders for the outputs of earlier layers
// and for secrets. Catches what a section cannot see alone: a mistake that only shows with the
// profile's defaults, or a rule across a section and the stack-level keys.
import { z } from "zod";
import { clusterSchema } from "../../components/cluster/schema";
import { Problem } from "../../components/common/errors";
import { argsProblems } from "../../components/common/schema";
import { dnsRegistrarSchema } from "../../components/dns-registrar/schema";
import { fleetObservabilitySchema } from "../../components/fleet-observability/schema";
import { loggingPipelineSchema } from "../../components/logging/schema";
import { DEFAULT_AZ_COUNT } from "../../components/network/plan";
import { networkSchema } from "../../components/network/schema";
import { provisionerSchema } from "../../components/provisioner/schema";
import { thanosFederationSchema } from "../../components/thanos-federation/schema";
import { appIngressSchema, ingressCertificateSchema } from "../../components/app-ingress/schema";
import { ClusterOutputs, NetworkOutputs, StackSecrets, certificateArgs, ingressArgs, clusterArgs, cncOwnedArns, loggingArgs, monitoringArgs, networkArgs, observabilityArgs, provisionerArgs, registrarArgs } from "../args";
import type { StackConfig } from "./index";
import { NAMESPACE } from "./validate";

/** A value known only at deployment (an output of an earlier layer, a secret): passes every Input field unchecked. */
const UNKNOWN: { apply(): unknown } = { apply: () => UNKNOWN };
const unknown = <T>() => UNKNOWN as unknown as T;

/** Args keys that come from stack-level config keys, and those keys. */
const STACK_KEYS: Record<string, string> = {
    environment: `${NAMESPACE}:environment`,
    prefix: `${NAMESPACE}:prefix`,
    profile: `${NAMESPACE}:profile`,
    deletionProtection: `${NAMESPACE}:deletionProtection`,
    tags: `${NAMESPACE}:tags`,
    region: "aws:region",
};

/** Args that carry another section's result (the network's subnets): reported at the config key that decides them. */
const FROM_NETWORK_SUBNETS = new Set(["subnetIds", "privateSubnetIds", "publicSubnetIds"]);

/** Every problem the components would report for this config; empty when they would all accept it. */
export function componentProblems(cfg: StackConfig): Problem[] {
    // One private and one public subnet per AZ, each ID unknown: a component that needs N subnets
    // (OpenSearch zone awareness) sees how many the network will have.
    const azCount = cfg.network.availabilityZoneNames?.length ?? cfg.network.availabilityZoneCount ?? DEFAULT_AZ_COUNT;
    const subnets = Array.from({ length: azCount }, () => unknown<string>());
    const network: NetworkOutputs = {
        vpcId: unknown(),
        privateSubnetIds: subnets,
        publicSubnetIds: subnets,
        monitoringZoneId: unknown(),
        monitoringZoneName: unknown(),
        internalZoneName: unknown(),
    };
    const cluster: ClusterOutputs = { clusterName: unknown(), oidcProviderArn: unknown(), oidcProviderUrl: unknown(), clusterSecurityGroupId: unknown() };
    const secrets: StackSecrets = { alertWebhookUrl: unknown(), provisionerGitToken: unknown(), ...(cfg.ingress ? { oidcClientSecret: unknown<string>() } : {}) };
    const checks: Array<[string, z.ZodType, unknown]> = [
        ["network", networkSchema, networkArgs(cfg)],
        ["cluster", clusterSchema, clusterArgs(cfg, network)],
        ["monitoring", thanosFederationSchema, monitoringArgs(cfg, cluster, secrets)],
        ["logging", loggingPipelineSchema, loggingArgs(cfg, network, cluster, unknown(), cfg.ingress ? unknown<string>() : undefined)],
        [
            "provisioner",
            provisionerSchema,
            provisionerArgs(
                cfg,
                network,
                cluster,
                secrets,
                cncOwnedArns({
                    clusterSecretsKeyArn: unknown(),
                    metricsBucketArn: unknown(),
                    metricsKeyArn: unknown(),
                    loggingKeyArn: unknown(),
                    registrarDlqArn: unknown(),
                    alarmTopicArn: unknown(),
                    alarmKeyArn: unknown(),
                }),
            ),
        ],
        ["registrar", dnsRegistrarSchema, registrarArgs(cfg, network, cluster, unknown())],
        [
            "observability",
            fleetObservabilitySchema,
            observabilityArgs(cfg, { provisionerApiUrl: unknown(), openSearchDomainName: unknown(), provisionerDatabaseId: unknown(), registrarFunctionName: unknown(), registrarDlqName: unknown() }),
        ],
    ];
    if (cfg.ingress) {
        const withIngress = { ...cfg, ingress: cfg.ingress };
        checks.push(["ingress", ingressCertificateSchema, certificateArgs(withIngress)]);
        checks.push(["ingress", appIngressSchema, ingressArgs(withIngress, { vpcCidr: cfg.network.vpcCidr }, unknown(), unknown())]);
    }
    const seen = new Set<string>();
    const out: Problem[] = [];
    for (const [section, schema, args] of checks) {
        for (const p of argsProblems(schema, args)) {
            const head = /^[^.[]+/.exec(p.field)![0];
            let problem: Problem;
            if (head in STACK_KEYS) problem = { ...p, field: STACK_KEYS[head] + p.field.slice(head.length) };
            // The apps domain is the internal zone's name.
            else if (section === "ingress" && head === "domain") problem = { ...p, field: `${NAMESPACE}:network.internalZone.name` };
            else if (FROM_NETWORK_SUBNETS.has(head) && p.field === head) {
                const key = cfg.network.availabilityZoneNames ? "availabilityZoneNames" : "availabilityZoneCount";
                problem = { field: `${NAMESPACE}:network.${key}`, expected: `${p.expected} for ${NAMESPACE}:${section}`, found: cfg.network.availabilityZoneNames ?? azCount };
            } else problem = { ...p, field: `${NAMESPACE}:${section}.${p.field}` };
            const key = `${problem.field}\u0000${problem.expected}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push(problem);
        }
    }
    return out;
}
