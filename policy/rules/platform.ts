// OpenSearch and EKS: in the VPC, encrypted, HTTPS only, signed-in access, all control-plane logs.
import { Rule, doc, list, ofType, resourceRule, stackRule } from "./util";

const DOMAIN = ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"];
const EKS = ["eks:index:Cluster", "aws:eks/cluster:Cluster"];
const ALL_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

const isWildcard = (p: unknown): boolean => p === "*" || (typeof p === "object" && p !== null && Object.values(p).some((v) => list(v).includes("*")));

/** EKS settings from either the pulumi/eks component or the plain aws.eks.Cluster. */
function eks(p: Record<string, any>) {
    const vpc = p.vpcConfig ?? {};
    return {
        privateAccess: p.endpointPrivateAccess ?? vpc.endpointPrivateAccess,
        publicAccess: p.endpointPublicAccess ?? vpc.endpointPublicAccess,
        publicCidrs: list(p.publicAccessCidrs ?? vpc.publicAccessCidrs),
        secretsKey: p.encryptionConfigKeyArn ?? p.encryptionConfig?.provider?.keyArn,
        logTypes: list(p.enabledClusterLogTypes),
    };
}

export const OPENSEARCH_RULES: Rule[] = [
    resourceRule("opensearch-in-vpc", "Every OpenSearch domain lives in the VPC (vpcOptions with subnets): no public endpoint.", DOMAIN, (p) => (list(p.vpcOptions?.subnetIds).length > 0 ? [] : ["no vpcOptions.subnetIds: the domain would have a public endpoint"])),
    resourceRule("opensearch-encryption", "Every OpenSearch domain encrypts at rest and between nodes.", DOMAIN, (p) => [
        ...(p.encryptAtRest?.enabled === true ? [] : ["encryptAtRest is not enabled"]),
        ...(p.nodeToNodeEncryption?.enabled === true ? [] : ["nodeToNodeEncryption is not enabled"]),
    ]),
    resourceRule("opensearch-https-only", "Every OpenSearch domain enforces HTTPS with a TLS 1.2+ policy.", DOMAIN, (p) => {
        const o = p.domainEndpointOptions ?? {};
        return [...(o.enforceHttps === true ? [] : ["enforceHttps is not true"]), ...(/TLS-1-[23]/.test(String(o.tlsSecurityPolicy ?? "")) ? [] : [`tlsSecurityPolicy ${o.tlsSecurityPolicy ?? "unset"} allows TLS below 1.2`])];
    }),
    resourceRule("opensearch-fine-grained-access", "Every OpenSearch domain has fine-grained access control on, without anonymous access.", DOMAIN, (p) => {
        const a = p.advancedSecurityOptions ?? {};
        return [...(a.enabled === true ? [] : ["advancedSecurityOptions.enabled is not true"]), ...(a.anonymousAuthEnabled === true ? ["anonymousAuthEnabled is true"] : [])];
    }),
    stackRule(
        "opensearch-no-wildcard-principal",
        "No OpenSearch access policy names the '*' principal. The one exception is the statement SamlBrowserSessions of a domain with SAML sign-in (aws.opensearch.DomainSamlOptions in the stack): AWS's documented setup, because a browser session carries no SigV4 signature; the VPC security group and fine-grained access control then protect the domain (components/logging/README.md).",
        [...DOMAIN, "aws:opensearch/domainSamlOptions:DomainSamlOptions"],
        (rs) => {
            const saml = ofType(rs, "aws:opensearch/domainSamlOptions:DomainSamlOptions").filter((s) => s.props.samlOptions?.enabled === true);
            return ofType(rs, ...DOMAIN).flatMap((d) => {
                const withSaml = saml.some((s) => s.props.domainName === d.props.domainName || (s.propertyDependencies?.domainName ?? []).some((x) => x.urn === d.urn));
                const bad = (doc(d.props.accessPolicies)?.Statement ?? []).filter((s) => s.Effect === "Allow" && isWildcard(s.Principal) && !(withSaml && s.Sid === "SamlBrowserSessions"));
                return bad.map((s) => ({ message: `domain ${d.props.domainName ?? d.name}: statement ${s.Sid ?? "(no Sid)"} allows the '*' principal`, urn: d.urn }));
            });
        },
    ),
];

export const EKS_RULES: Rule[] = [
    resourceRule("eks-private-endpoint", "Every EKS API endpoint is private; a public endpoint only when explicitly allowed with CIDRs (publicAccessCidrs).", EKS, (p) => {
        const e = eks(p);
        return [
            ...(e.privateAccess === true ? [] : ["endpointPrivateAccess is not true"]),
            ...(e.publicAccess !== false && e.publicCidrs.length === 0 ? ["the public endpoint is on (or not turned off) without publicAccessCidrs"] : []),
        ];
    }),
    resourceRule("eks-secrets-encryption", "Every EKS cluster envelope-encrypts Kubernetes Secrets with a KMS key.", EKS, (p) => (eks(p).secretsKey ? [] : ["no KMS key for secrets encryption"])),
    resourceRule("eks-control-plane-logs", `Every EKS cluster ships all control-plane logs (${ALL_LOG_TYPES.join(", ")}).`, EKS, (p) => {
        const missing = ALL_LOG_TYPES.filter((t) => !eks(p).logTypes.includes(t));
        return missing.length === 0 ? [] : [`control-plane logs missing: ${missing.join(", ")}`];
    }),
    resourceRule("eks-no-open-public-cidr", "No EKS public endpoint is open to 0.0.0.0/0 (or ::/0).", EKS, (p) => (eks(p).publicCidrs.some((c) => c === "0.0.0.0/0" || c === "::/0") ? ["publicAccessCidrs includes an open range"] : [])),
];
